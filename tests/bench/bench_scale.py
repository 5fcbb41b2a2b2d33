"""Many councils in ONE PostgreSQL database: publish each pack, compare them, open the review.

Issues 18 and 16 ask for 20 councils with 500,000 sessions each (10,000,000 in
all) in one database: each council's pack in under 30 s, a comparison of the 20
packs in under 5 s, and the manager's first view on 10,000,000 sessions in
under 2 s. `navigator demo-data` makes realistic sessions in Python, about
3,500 a second here, so 10,000,000 would take most of an hour. This bench makes
them SQL-side instead, from a realistic template:

1. Template: `navigator.records.demo.fill` (the demo's own generator: seasons,
   weekdays, hours, pathways through the real knowledge base, unmet ends and
   their reasons, districts weighted by population, each made-up council's own
   pattern of demand) makes `--template` sessions for each of the four made-up
   councils; they are kept in `tpl_*` tables and the records tables emptied.
2. Copies: for each of the `--councils` councils (the four places in turn),
   `INSERT ... SELECT ... FROM tpl_* CROSS JOIN generate_series(...)` copies
   its place's template `sessions / template` times into the records tables,
   with new ids, the council's own site names ("c07-central-library") and each
   copy moved back in time by whole weeks and some minutes (so weekdays and
   hours keep their pattern and copies do not coincide). Only the tables that
   publishing and the first view read are copied: sessions, contexts, topic
   steps and unmet needs (`--all-tables` copies every step, outcome, service
   and feedback row too, about three times the rows). Secondary indexes are
   dropped before and built after, as a restore does; VACUUM ANALYZE follows.
3. Publish each council's pack for the last whole quarter (`publish_pack` with
   `sites=`, what `navigator publish --site` does), against a baseline in the
   same run: one hand-written SQL scan counting the same council's quarter of
   unmet need by need, reason and channel (the least any publisher must read).
4. Compare the packs (`compare_packs`), against reading the same CSV files.
5. The manager's first view over the whole database (filter choices, then the
   overview with its protection, as `bench_reports.py` times it), against its
   hand-written SQL twins; then the same for one council's manager, whose scope
   (setting `manager_sites`) is that council's sites.

An existing database of the same size is reused (steps 1 and 2 are skipped).

Run: nice -n 10 .venv/bin/python tests/bench/bench_scale.py [--councils 20]
     [--sessions 500000] [--template 25000] [--postgres URL] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import make_url

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.interop.evidence.compare import compare_packs  # noqa: E402
from navigator.interop.evidence.councils import demand_of  # noqa: E402
from navigator.interop.evidence.periods import parse_period  # noqa: E402
from navigator.interop.evidence.publishing import load_knowledge, publish_pack  # noqa: E402
from navigator.records.database import make_engine, upgrade  # noqa: E402
from navigator.records.demo import fill  # noqa: E402
from navigator.records.reports.review import Review  # noqa: E402
from navigator.records.reports.tables import Filters  # noqa: E402

PLACES = ("northbrook", "eastmoor", "riverford", "hallam-vale")
READ_TABLES = ("sessions", "contexts", "steps", "unmet_needs")
"""What publishing and the first view read; `--all-tables` copies the rest as well."""
OTHER_TABLES = ("outcomes", "outcome_services", "safeguarding_shown", "feedback")
TIME_COLUMNS = {"started_at", "ended_at", "received_at", "at", "answered_at"}

BASELINE_SQL = """
SELECT u.need_id, u.reason, s.channel, count(DISTINCT u.session_id)
FROM unmet_needs u JOIN sessions s ON s.id = u.session_id
WHERE s.site = ANY(%(sites)s) AND s.started_at >= %(start)s AND s.started_at < %(end)s
GROUP BY u.need_id, u.reason, s.channel
"""

FIRST_VIEW_TWINS = (
    "SELECT (SELECT min(started_at) FROM sessions), (SELECT max(started_at) FROM sessions)",
    """WITH RECURSIVE walk(v) AS (
         SELECT min(site) FROM sessions
         UNION ALL SELECT (SELECT min(site) FROM sessions WHERE site > walk.v)
         FROM walk WHERE walk.v IS NOT NULL)
       SELECT v FROM walk WHERE v IS NOT NULL ORDER BY v""",
    """WITH RECURSIVE walk(v) AS (
         SELECT min(channel) FROM sessions
         UNION ALL SELECT (SELECT min(channel) FROM sessions WHERE channel > walk.v)
         FROM walk WHERE walk.v IS NOT NULL)
       SELECT v FROM walk WHERE v IS NOT NULL ORDER BY v""",
    """SELECT date_trunc('week', s.started_at) AS week, s.language, count(*),
         sum(CASE WHEN s.reached_services THEN 1 ELSE 0 END),
         sum(CASE WHEN s.has_unmet THEN 1 ELSE 0 END),
         sum(CASE WHEN s.has_safeguarding THEN 1 ELSE 0 END),
         sum(CASE WHEN NOT s.reached_outcome AND (s.end_how IN ('abandoned', 'timed_out')
                  OR s.end_how IS NULL) THEN 1 ELSE 0 END)
       FROM sessions s WHERE s.started_at >= %(begin)s AND s.started_at < %(end)s
       GROUP BY week, s.language ORDER BY week, s.language""",
)
SCOPED_TWINS = (
    """SELECT min(first), max(last) FROM unnest(%(sites)s::text[]) AS scope(site),
         LATERAL (SELECT min(started_at) AS first, max(started_at) AS last
                  FROM sessions WHERE sessions.site = scope.site) AS ends""",
    FIRST_VIEW_TWINS[1],
    FIRST_VIEW_TWINS[2],
    FIRST_VIEW_TWINS[3].replace(
        "s.started_at < %(end)s", "s.started_at < %(end)s AND s.site = ANY(%(sites)s)"
    ),
)
"""The same first view for a council's manager (setting `manager_sites`): its own sites."""

SUMMARY_OVERVIEW = """SELECT (d.day - %(first_day)s::date) / 7 AS week, d.language, sum(d.sessions),
         sum(d.reached_services), sum(d.unmet), sum(d.safeguarding), sum(d.gave_up)
       FROM session_days d
       WHERE d.grain = 1 AND d.day >= %(first_day)s AND d.day <= %(last_day)s
       GROUP BY week, d.language HAVING sum(d.sessions) > 0 ORDER BY week, d.language"""
SUMMARY_TWINS = (*FIRST_VIEW_TWINS[:3], SUMMARY_OVERVIEW)
"""The first view since migration 0006: the same choices, the overview from `session_days`."""
SCOPED_SUMMARY_TWINS = (
    *SCOPED_TWINS[:3],
    SUMMARY_OVERVIEW.replace(
        "d.day <= %(last_day)s", "d.day <= %(last_day)s AND d.site = ANY(%(sites)s)"
    ),
)


def last_whole_quarter(today: dt.date) -> str:
    quarter = (today.month - 1) // 3
    return f"{today.year if quarter else today.year - 1}-Q{quarter or 4}"


def conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database(base: str, councils: int, sessions: int) -> str:
    """The bench's own database for this size on the server of `base`, made when missing."""
    name = f"navigator_bench_scale_{councils}x{sessions}"
    admin = make_url(base).set(database="postgres")
    with psycopg.connect(conninfo(admin.render_as_string(False)), autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def timed(label: str, run: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - began
    print(f"  {label}: {seconds:,.1f} s", flush=True)
    return seconds, result


def site_of(council: int) -> str:
    return f"c{council:02d}-"


# --- Making the rows -------------------------------------------------------------------------


def make_template(url: str, template: int, knowledge_root: Path, tables: tuple[str, ...]) -> None:
    """The demo's own sessions for each place, kept in tpl_* tables; records tables emptied."""
    knowledge, codes = load_knowledge(knowledge_root)
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        for table in tables:
            connection.execute(f"DROP TABLE IF EXISTS tpl_{table}")
    for place in PLACES:
        populations = {d: w.population for d, w in codes.councils[place].ward_of().items()}
        demand = demand_of(place)
        fill(url, knowledge, template, demand.seed, populations=populations,
             need_weights=demand.need_weights)  # fmt: skip
        with psycopg.connect(conninfo(url), autocommit=True) as connection:
            for table in tables:
                if place == PLACES[0]:
                    connection.execute(
                        f"CREATE TABLE tpl_{table} AS SELECT %s::text AS place, * FROM {table}",
                        (place,),
                    )
                else:
                    connection.execute(
                        f"INSERT INTO tpl_{table} SELECT %s::text, * FROM {table}", (place,)
                    )
            connection.execute("TRUNCATE sessions CASCADE")


def columns_of(connection: psycopg.Connection[Any], table: str) -> list[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND table_schema = current_schema() ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [row[0] for row in rows]


def copy_sql(table: str, columns: list[str], council: int, copies: int) -> str:
    """INSERT ... SELECT: `copies` copies of the council's place's template rows."""
    shift = "(make_interval(weeks => mod(k, 9)) + make_interval(mins => mod(k * 37, 240)))"
    chosen = []
    for column in columns:
        if column in {"id", "session_id"}:
            chosen.append(f"t.{column} || '-{council:02d}-' || k")
        elif column == "site":
            chosen.append(f"'{site_of(council)}' || t.site")
        elif column in TIME_COLUMNS:
            chosen.append(f"t.{column} - {shift}")
        else:
            chosen.append(f"t.{column}")
    where = "t.place = %(place)s"
    if table == "steps":
        where += " AND (t.kind = 'topic' OR %(all_steps)s)"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(chosen)} "
        f"FROM tpl_{table} t CROSS JOIN generate_series(0, {copies - 1}) AS k WHERE {where}"
    )


def secondary_indexes(connection: psycopg.Connection[Any], tables: tuple[str, ...]) -> list[str]:
    """CREATE INDEX statements of the tables' indexes that back no constraint."""
    rows = connection.execute(
        """SELECT i.indexdef FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        (list(tables),),
    ).fetchall()
    return [row[0] for row in rows]


def foreign_keys(connection: psycopg.Connection[Any], tables: tuple[str, ...]) -> list[str]:
    """ALTER TABLE statements that add back the tables' foreign keys, after the copies."""
    rows = connection.execute(
        """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
           FROM pg_constraint c
           WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)""",
        (list(tables),),
    ).fetchall()
    for table, name, _ in rows:
        connection.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in rows
    ]


def make_rows(url: str, arguments: argparse.Namespace) -> None:
    tables = READ_TABLES + (OTHER_TABLES if arguments.all_tables else ())
    total = arguments.councils * arguments.sessions
    print(f"making {total:,} sessions: template of {arguments.template:,} per place, then "
          f"copies SQL-side", flush=True)  # fmt: skip
    timed("template (navigator demo-data's generator, 4 places)",
          lambda: make_template(url, arguments.template, arguments.knowledge, tables))  # fmt: skip
    copies = arguments.sessions // arguments.template
    began = time.perf_counter()
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        connection.execute("SET synchronous_commit = off")
        connection.execute("SET maintenance_work_mem = '512MB'")
        indexes = secondary_indexes(connection, tables)
        for statement in indexes:
            name = statement.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
            connection.execute(f"DROP INDEX {name}")
        keys = foreign_keys(connection, tables)  # checked once at the end, not row by row
        columns = {table: columns_of(connection, table) for table in tables}
        for council in range(arguments.councils):
            place = PLACES[council % len(PLACES)]
            step = time.perf_counter()
            for table in tables:
                connection.execute(
                    copy_sql(table, columns[table], council, copies),  # type: ignore[arg-type]
                    {"place": place, "all_steps": arguments.all_tables},
                )
            print(f"  council {council:02d} ({place}): {time.perf_counter() - step:,.1f} s",
                  flush=True)  # fmt: skip
        copied = time.perf_counter() - began
        print(f"  copies, without secondary indexes: {copied:,.1f} s", flush=True)
        timed(f"building {len(indexes)} secondary indexes",
              lambda: [connection.execute(s) for s in indexes])  # type: ignore[arg-type] # fmt: skip
        timed(f"adding back {len(keys)} foreign keys (each checked in one pass)",
              lambda: [connection.execute(k) for k in keys])  # type: ignore[arg-type] # fmt: skip
        timed("VACUUM ANALYZE (visibility map for index-only scans, then statistics)",
              lambda: connection.execute("VACUUM ANALYZE"))  # fmt: skip
        for table in tables:
            count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
            print(f"  {table}: {count[0] if count else 0:,} rows", flush=True)
    print(f"made in {time.perf_counter() - began:,.1f} s after the template", flush=True)


def session_count(url: str) -> int:
    try:
        with psycopg.connect(conninfo(url)) as connection:
            row = connection.execute("SELECT count(*) FROM sessions").fetchone()
            return int(row[0]) if row else 0
    except psycopg.errors.UndefinedTable:
        return 0


# --- Timing ----------------------------------------------------------------------------------


def council_sites(url: str, council: int) -> list[str]:
    prefix = site_of(council)
    with psycopg.connect(conninfo(url)) as connection:
        rows = connection.execute(
            "SELECT DISTINCT site FROM tpl_sessions WHERE place = %s",
            (PLACES[council % len(PLACES)],),
        ).fetchall()
    return [prefix + row[0] for row in rows]


def baseline(url: str, sites: list[str], period_name: str) -> float:
    period = parse_period(period_name)
    bounds = {
        "sites": sites,
        "start": dt.datetime.combine(period.start, dt.time(), dt.UTC),
        "end": dt.datetime.combine(period.end_exclusive, dt.time(), dt.UTC),
    }
    with psycopg.connect(conninfo(url)) as connection:
        began = time.perf_counter()
        connection.execute(BASELINE_SQL, bounds).fetchall()  # type: ignore[arg-type]
        return time.perf_counter() - began


def read_csvs(packs: list[Path]) -> float:
    began = time.perf_counter()
    for pack in packs:
        with (pack / "unmet-need.csv").open(encoding="utf-8", newline="") as handle:
            sum(int(row["count"] or 0) for row in csv.DictReader(handle))
    return time.perf_counter() - began


def first_view(
    url: str, knowledge_root: Path, repeat: int, sites: tuple[str, ...] = ()
) -> tuple[float, float, float, Filters]:
    """Best of `repeat`: Navigator's first view, its hand-written twins (the same queries,
    the overview from `session_days`), and the twins of before migration 0006 (the overview
    from the sessions), in turn; for a manager whose scope is `sites` when given."""
    knowledge, _ = load_knowledge(knowledge_root)
    engine = make_engine(url)
    review = Review(engine=engine, knowledge=knowledge, sites=sites)
    filters = Filters(review.default_period())
    begin, end = filters.period.bounds
    bounds = {"begin": begin, "end": end, "sites": list(sites),
              "first_day": filters.period.start, "last_day": filters.period.end}  # fmt: skip
    twin_sets = (
        SCOPED_SUMMARY_TWINS if sites else SUMMARY_TWINS,
        SCOPED_TWINS if sites else FIRST_VIEW_TWINS,
    )
    ours: list[float] = []
    twins: tuple[list[float], list[float]] = ([], [])
    with psycopg.connect(conninfo(url)) as connection:
        for _ in range(repeat + 1):  # the first round warms the cache for all three
            for statements, times in zip(twin_sets, twins, strict=True):
                began = time.perf_counter()
                for sql in statements:
                    connection.execute(sql, bounds).fetchall()  # type: ignore[arg-type]
                times.append(time.perf_counter() - began)
            began = time.perf_counter()
            fresh = Review(engine=engine, knowledge=knowledge, sites=sites)
            fresh.choices()
            fresh.section("overview", Filters(fresh.default_period()))
            ours.append(time.perf_counter() - began)
    engine.dispose()
    return min(ours[1:]), min(twins[0][1:]), min(twins[1][1:]), filters


def first_views(url: str, knowledge_root: Path, repeat: int, councils: int) -> None:
    """Print the region's first view and one council manager's, with the load average."""
    scope = tuple(council_sites(url, councils // 3))
    for name, sites in (("every site of the region", ()), (f"council {councils // 3}", scope)):
        load = os.getloadavg()[0]
        ours, twins, sessions, filters = first_view(url, knowledge_root, repeat, sites)
        print(
            f"first view, {name} ({filters.period.start} to {filters.period.end}): best "
            f"{ours:.3f} s (aim < 2 s); hand-written twins {twins:.3f} s, ratio "
            f"{ours / twins:.2f}; the twins of before 0006 (from the sessions) {sessions:.3f} s, "
            f"ratio {ours / sessions:.2f}; load average {load:.1f}",
            flush=True,
        )


@contextlib.contextmanager
def busy(count: int) -> Iterator[None]:
    """`count` processes spinning on the CPU for the duration (a loaded machine, reproducibly:
    the shared machine's own load comes and goes)."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        time.sleep(5)  # let the load average feel them
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--councils", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=500_000, help="per council")
    parser.add_argument("--template", type=int, default=25_000, help="demo sessions per place")
    parser.add_argument("--all-tables", action="store_true", help="copy every records table")
    parser.add_argument("--postgres", default=os.environ.get("NAVIGATOR_TEST_POSTGRES_URL"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/navigator-bench-scale"))
    parser.add_argument("--period", default=last_whole_quarter(dt.datetime.now(dt.UTC).date()))
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--first-view-only",
        action="store_true",
        help="time only the two first views (the region's, a council manager's), not publishing",
    )
    parser.add_argument(
        "--load",
        type=int,
        default=0,
        help="also time the first views with this many busy processes running beside them",
    )
    arguments = parser.parse_args()
    if not arguments.postgres:
        parser.error("give --postgres URL (or set NAVIGATOR_TEST_POSTGRES_URL)")
    if arguments.sessions % arguments.template:
        parser.error("--sessions must be a whole number of --template copies")
    total = arguments.councils * arguments.sessions
    url = database(arguments.postgres, arguments.councils, arguments.sessions)
    engine = make_engine(url, writing=True)
    timed("schema upgrade (migrations not yet applied: 0006's backfill of session_days)",
          lambda: upgrade(engine))  # fmt: skip
    engine.dispose()
    have = session_count(url)
    if have != total:
        if have:
            raise SystemExit(f"{url} holds {have:,} sessions, not {total:,}: drop it first")
        make_rows(url, arguments)
    else:
        print(f"reusing {total:,} sessions in {make_url(url).database}", flush=True)

    if arguments.first_view_only:
        first_views(url, arguments.knowledge, arguments.repeat, arguments.councils)
        if arguments.load:
            with busy(arguments.load):
                print(f"with {arguments.load} busy processes beside:", flush=True)
                first_views(url, arguments.knowledge, arguments.repeat, arguments.councils)
        return 0
    period = parse_period(arguments.period)
    run = arguments.out / time.strftime("%Y%m%dT%H%M%S")
    print(f"\npublishing {arguments.councils} packs for {period.name}, one council at a time")
    print(f"{'council':<20} {'publish s':>10} {'baseline s':>11} {'ratio':>7} {'rows':>8}")
    packs, publish_times, baseline_times = [], [], []
    for council in range(arguments.councils):
        place = PLACES[council % len(PLACES)]
        sites = council_sites(url, council)
        out = run / f"{council:02d}-{place}"
        began = time.perf_counter()
        result = publish_pack(url, arguments.knowledge, period, out, council_id=place, sites=sites,
                              cache_dir=arguments.out / "knowledge-cache")  # fmt: skip
        seconds = time.perf_counter() - began
        floor = baseline(url, sites, period.name)
        packs.append(out)
        publish_times.append(seconds)
        baseline_times.append(floor)
        print(f"{council:02d} {place:<17} {seconds:>10.2f} {floor:>11.3f} {seconds / floor:>7.1f} "
              f"{result.rows:>8,}", flush=True)  # fmt: skip
    compare_times = []
    for _ in range(arguments.repeat):
        began = time.perf_counter()
        compare_packs(packs)
        compare_times.append(time.perf_counter() - began)
    reading = min(read_csvs(packs) for _ in range(arguments.repeat))
    median = sorted(publish_times)[len(publish_times) // 2]
    floor = sorted(baseline_times)[len(baseline_times) // 2]
    compared = min(compare_times)
    print(f"\n{total:,} sessions in one PostgreSQL database, {arguments.councils} councils")
    print(
        f"publish: median {median:.2f} s, max {max(publish_times):.2f} s per pack (aim < 30 s); "
        f"baseline scan median {floor:.3f} s"
    )
    print(
        f"compare {len(packs)} packs: best {compared:.2f} s (aim < 5 s); reading their CSVs "
        f"alone {reading:.2f} s, ratio {compared / reading:.1f}"
    )
    first_views(url, arguments.knowledge, arguments.repeat, arguments.councils)
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
