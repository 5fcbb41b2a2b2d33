"""`navigator import oruk | review | accept`: bring a neighbour's ORUK feed in as candidates.

Exit status: 0 done, 1 refused (the message says why; nothing was written and
the last good import stays), 2 the knowledge folder or candidate is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from navigator.config import Settings
from navigator.interop.oruk_import import ImportRefused, store
from navigator.interop.oruk_import import accept as accepting
from navigator.interop.oruk_import.fetch import MEGABYTE, Limits
from navigator.interop.oruk_import.run import run_import

EXIT_OK, EXIT_REFUSED, EXIT_MISSING = 0, 1, 2


def import_help(arguments: argparse.Namespace, settings: Settings) -> int:
    print(
        "navigator import: give 'oruk SOURCE --into DIR', 'review' or 'accept ID'.", file=sys.stderr
    )
    return EXIT_MISSING


def import_oruk(arguments: argparse.Namespace, settings: Settings) -> int:
    """Import a feed, file or data package as candidates, and print what changed."""
    knowledge = Path(arguments.into or settings.knowledge)
    limits = Limits(
        page_bytes=int(arguments.max_mb * MEGABYTE),
        seconds_per_request=arguments.timeout,
        read_seconds=min(arguments.timeout, Limits.read_seconds),
        concurrency=arguments.concurrency,
    )
    try:
        outcome = run_import(
            arguments.source,
            knowledge,
            feed=arguments.feed,
            licence=arguments.licence,
            attribution=arguments.attribution,
            limits=limits,
            progress=_Bar(sys.stderr),
        )
    except ImportRefused as problem:
        print(f"\nnavigator import: {problem}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print(
            "\nnavigator import: interrupted. Nothing was written; run the same command "
            "again to carry on where it stopped.",
            file=sys.stderr,
        )
        return 130
    info = outcome.feed_info
    print(f"Imported {outcome.written} candidates from {info.source} into {outcome.path}")
    print(f"Feed '{outcome.feed}': {_describe(info.envelope, info.version, info.profile)}")
    for line in outcome.diff.lines():
        print(line)
    for note in outcome.notes:
        print(f"  note     {note}")
    print("Review them with 'navigator import review', then 'navigator import accept ID'.")
    return EXIT_OK


def review(arguments: argparse.Namespace, settings: Settings) -> int:
    """Each feed's last import (source, version, diff) and its candidates, for content staff."""
    knowledge = Path(arguments.into or settings.knowledge)
    feeds = store.feeds(knowledge)
    if arguments.feed:
        feeds = [feed for feed in feeds if feed == arguments.feed]
    if not feeds:
        print(f"navigator import review: no imported candidates in {knowledge}.", file=sys.stderr)
        return EXIT_MISSING
    accepted = accepting.accepted_ids(knowledge)
    for feed in feeds:
        summary = store.last_summary(knowledge, feed) or {}
        print(f"== {feed}: {summary.get('source', '?')} (fetched {summary.get('fetched_at', '?')})")
        version, profile = summary.get("version"), summary.get("profile")
        print(f"   {_describe(str(summary.get('envelope', '')), version, profile)}")
        print(
            f"   licence: {summary.get('licence') or 'not declared: confirm it with the publisher'}"
        )
        for line in summary.get("diff", []):
            print(f"   {line}")
        for note in summary.get("notes", []):
            print(f"   note: {note}")
        for said, key in (("changed in", "changed_ids"), ("gone from", "gone_ids")):
            for service_id in summary.get(key, []):
                if service_id in accepted:
                    print(
                        f"   CHECK: '{service_id}', which you accepted as a service, has "
                        f"{said} the feed: compare services/imported-{feed}.yaml with it."
                    )
        for entry in store.previous(knowledge, feed):
            mark = "accepted" if entry.get("id") in accepted else "candidate"
            needs = ", ".join(entry.get("needs", [])) or "no need matched"
            print(f"   [{mark}] {entry.get('id')}: {entry.get('name')} ({needs})")
    return EXIT_OK


def accept(arguments: argparse.Namespace, settings: Settings) -> int:
    """Copy a reviewed candidate into the services, ready to be named in an outcome."""
    knowledge = Path(arguments.into or settings.knowledge)
    try:
        path = accepting.accept(
            knowledge, arguments.candidate, needs=arguments.need or [], today=dt.date.today()
        )
    except ImportRefused as problem:
        print(f"navigator import accept: {problem}", file=sys.stderr)
        return EXIT_MISSING
    print(
        f"'{arguments.candidate}' is now a service in {path}. It is not offered to anyone "
        "until you add its id to an outcome's 'services:' in a topic (until then "
        "'navigator validate' reports it as never offered); then run 'navigator validate'."
    )
    return EXIT_OK


def _describe(envelope: str, version: object, profile: object) -> str:
    kind = {"v3": "ORUK 3.0 list pages", "v1": "ORUK 1.0 list pages"}.get(envelope, envelope)
    return f"{kind}; version {version or 'not declared'}; profile {profile or 'not declared'}"


class _Bar:
    """A plain-text progress bar: redrawn in place on a terminal, a line per tenth otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if self.stream.isatty():
            filled = done * 30 // total if total else 30
            self.stream.write(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{total} services")
            self.stream.flush()
        elif tenth != self.shown:
            self.shown = tenth
            print(f"fetched {done} of {total} services", file=self.stream)
