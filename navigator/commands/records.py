"""`navigator db upgrade|status`, `navigator purge` and `navigator demo-data`.

Exit status: 0 when it worked, 1 when the database could not be used (the
message says why and what to do), 2 for a bad argument or an unreadable
knowledge base. Passwords in database URLs are never printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from typing import TYPE_CHECKING, TextIO

from navigator.config import Settings, parse_months

if TYPE_CHECKING:
    from navigator.records.problems import StoreProblem

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def db_help(arguments: argparse.Namespace, settings: Settings) -> int:
    print(
        "usage: navigator db upgrade   apply the records database's migrations\n"
        "       navigator db status    the outbox backlog, the last copy and the database\n"
        f"\nrecords database: {_display(settings.resolved_database_url)}\n"
        f"outbox:           {settings.outbox_path}"
    )
    return EXIT_OK


def db_upgrade(arguments: argparse.Namespace, settings: Settings) -> int:
    """Create or migrate the main records database (and its folder, for SQLite)."""
    from navigator.records.database import connected, current_revision, upgrade
    from navigator.records.problems import classify

    url = settings.resolved_database_url
    try:
        with connected(url, writing=True) as engine:
            upgrade(engine)
            with engine.connect() as connection:
                revision = current_revision(connection)
    except Exception as error:
        return _failed("db upgrade", url, classify(error))
    print(f"The records database {_display(url)} is up to date (schema {revision}).")
    return EXIT_OK


def db_status(arguments: argparse.Namespace, settings: Settings) -> int:
    """What is waiting on this machine, when it last reached the database, and whether it can."""
    from navigator.records.database import (
        SchemaNotCurrent,
        connected,
        current_revision,
        head_revision,
        sqlite_file,
    )
    from navigator.records.outbox import LAST_COPY, LAST_PROBLEM, Outbox
    from navigator.records.problems import classify

    healthy = True
    print(f"Outbox: {settings.outbox_path}")
    if settings.outbox_path.exists():
        try:
            with Outbox(settings.outbox_path) as outbox:
                backlog, rejected = outbox.backlog(), outbox.rejected()
                last_copy, last_problem = outbox.get_meta(LAST_COPY), outbox.get_meta(LAST_PROBLEM)
        except Exception as error:
            print(f"  cannot be read: {classify(error).detail}")
            healthy = False
        else:
            print(f"  waiting to be copied: {backlog} event{'s' if backlog != 1 else ''}")
            print(f"  last successful copy: {_when(last_copy)}")
            if last_problem:
                print(f"  last problem: {last_problem}")
            if rejected:
                print(f"  set aside (refused by the database): {rejected} (table `rejected`)")
    else:
        print("  empty (nothing recorded on this machine yet)")

    url = settings.resolved_database_url
    print(f"Records database: {_display(url)}")
    path = sqlite_file(url)
    if path is not None and not path.exists():
        print("  not created yet: it is made on first use, or by `navigator db upgrade`")
        return EXIT_OK if healthy else EXIT_FAILED
    try:
        with connected(url, busy_timeout=2.0) as engine, engine.connect() as connection:
            revision = current_revision(connection)
        head = head_revision()
        if revision != head:
            raise SchemaNotCurrent(f"schema {revision or 'none'}, this version needs {head}")
    except Exception as error:
        problem = classify(error)
        print(f"  not usable: {problem.message}\n  ({problem.detail})")
        return EXIT_FAILED
    print(f"  reachable, schema {revision} (current)")
    return EXIT_OK if healthy else EXIT_FAILED


def purge(arguments: argparse.Namespace, settings: Settings) -> int:
    """Delete sessions older than `--older-than` (default: the retention setting)."""
    from navigator.records.database import connected, ensure_schema, sqlite_file
    from navigator.records.problems import classify
    from navigator.records.retention import months_before
    from navigator.records.retention import purge as purge_records

    period = getattr(arguments, "older_than", None)
    try:
        months = parse_months(period) if period else settings.retention_months
        if months < 1:
            raise ValueError("keep records for at least one month (for example 24m)")
    except ValueError as problem:
        print(f"navigator purge: --older-than {period}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    url = settings.resolved_database_url
    path = sqlite_file(url)
    if path is not None and not path.exists():
        print(f"There are no records yet ({path} does not exist), so nothing was removed.")
        return EXIT_OK
    now = dt.datetime.now(dt.UTC)
    try:
        with connected(url, writing=True) as engine:
            ensure_schema(engine)
            removed = purge_records(engine, months, now)
    except Exception as error:
        return _failed("purge", url, classify(error))
    cutoff = months_before(now, months).date().isoformat()
    noun = "session" if removed == 1 else "sessions"
    print(
        f"Removed {removed} {noun} that started before {cutoff} ({months} months ago), "
        "with everything recorded in them."
    )
    return EXIT_OK


def demo_data(arguments: argparse.Namespace, settings: Settings) -> int:
    """Fill the records database with made-up sessions walked from the knowledge base."""
    from navigator.kb import KnowledgeBaseUnreadable, load
    from navigator.records.demo import fill
    from navigator.records.problems import classify

    council = getattr(arguments, "council", None)
    if council:
        return _demo_council(arguments, settings, council)
    sessions = 10_000 if arguments.sessions is None else int(arguments.sessions)
    seed = 1 if arguments.seed is None else int(arguments.seed)
    if sessions < 1:
        print("navigator demo-data: --sessions must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = load(settings.knowledge)
    except KnowledgeBaseUnreadable as problem:
        print(f"navigator demo-data: {problem}", file=sys.stderr)
        return EXIT_USAGE
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        print(
            f"navigator demo-data: the knowledge base {settings.knowledge} has {len(errors)} "
            f"error(s), first: {errors[0]}. Run `navigator validate` and fix them first.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    url = settings.resolved_database_url
    bar = ProgressBar(sys.stderr, "demo-data")
    started = time.monotonic()
    try:
        outcome = fill(url, result.knowledge, sessions, seed, progress=bar)
    except Exception as error:
        bar.finish()
        return _failed("demo-data", url, classify(error))
    bar.finish()
    seconds = time.monotonic() - started
    print(
        f"Added {outcome.sessions:,} made-up sessions ({outcome.rows:,} rows) to "
        f"{_display(url)} in {seconds:.1f} s (seed {seed})."
    )
    return EXIT_OK


def _demo_council(arguments: argparse.Namespace, settings: Settings, council_id: str) -> int:
    """Made-up records for one of the demo's councils: its districts, its demand (branch
    evidence, issue 18), so packs from several councils can be compared."""
    from navigator.interop.evidence.councils import demand_of
    from navigator.interop.evidence.publishing import PublishProblem, load_knowledge
    from navigator.records.demo import fill
    from navigator.records.problems import classify

    try:
        knowledge, codes = load_knowledge(settings.knowledge)
    except PublishProblem as problem:
        print(f"navigator demo-data: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if council_id not in codes.councils:
        print(
            f"navigator demo-data: there is no council '{council_id}' in codes/places.yaml; "
            f"choose one of {', '.join(sorted(codes.councils))}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    place, demand = codes.councils[council_id], demand_of(council_id)
    default = round(place.population * demand.uptake)
    sessions = default if arguments.sessions is None else int(arguments.sessions)
    if sessions < 1:
        print("navigator demo-data: --sessions must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    seed = demand.seed if arguments.seed is None else int(arguments.seed)
    populations = {d: ward.population for d, ward in place.ward_of().items()}
    url = settings.resolved_database_url
    bar = ProgressBar(sys.stderr, "demo-data")
    try:
        outcome = fill(
            url, knowledge, sessions, seed, progress=bar, populations=populations,
            need_weights=demand.need_weights,
        )  # fmt: skip
    except Exception as error:
        bar.finish()
        return _failed("demo-data", url, classify(error))
    bar.finish()
    print(
        f"Added {outcome.sessions:,} made-up sessions for {place.name} ({place.code}, made up) "
        f"to {_display(url)} (seed {seed}). Publish with: navigator publish --council "
        f"{council_id} --period YYYY-Qn --out DIR"
    )
    return EXIT_OK


class ProgressBar:
    """A one-line progress bar on a terminal; a few plain lines when output is not a terminal."""

    WIDTH = 30

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.started = time.monotonic()
        self.terminal = stream.isatty()
        self.last_tenth = -1
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        elapsed = time.monotonic() - self.started
        text = f"{done:,} of {total:,} sessions  {elapsed:.0f} s"
        if self.terminal:
            filled = round(fraction * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r{self.label} [{bar}] {fraction:4.0%}  {text}")
            self.drawn = True
        elif int(fraction * 10) > self.last_tenth:
            self.last_tenth = int(fraction * 10)
            self.stream.write(f"{self.label}: {fraction:.0%}  {text}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def _display(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


def _when(iso: str | None) -> str:
    if not iso:
        return "never"
    moment = dt.datetime.fromisoformat(iso)
    age = dt.datetime.now(dt.UTC) - moment
    minutes = int(age.total_seconds() // 60)
    ago = "just now" if minutes < 1 else f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC ({ago})"


def _failed(command: str, url: str, problem: StoreProblem) -> int:
    print(
        f"navigator {command}: {_display(url)}: {problem.headline}\n({problem.detail})",
        file=sys.stderr,
    )
    return EXIT_FAILED
