"""Publishing and comparing open-data packs at scale: many councils, many sessions each.

The issue's target is 20 councils with 500,000 sessions each on one PostgreSQL
server, each pack made in under 30 s and a comparison of 20 packs in under 5 s.
Each council is its own Navigator, so each has its own database (on one server
for PostgreSQL; one file each for SQLite); the made-up councils of the demo are
used in turn, with a different seed for each copy.

For each council this fills the database with `navigator demo-data --council`
(timed, but not the point; an existing database with enough sessions is
reused), then times publishing the last whole quarter's pack (count and code
in SQL, protect, write), against a baseline in the same run: one raw SQL scan
counting the quarter's unmet-need records by need, reason and channel (the
least any publisher must read). Then it times `compare` over every pack,
against the baseline of reading the same CSV files with the csv module.

Run: .venv/bin/python tests/bench/bench_publish.py [--councils 20] [--sessions 500000]
     [--postgres URL | --sqlite-dir DIR] [--period 2026-Q3]

Prints one row per council and a summary with the ratios.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
import time
from pathlib import Path

from sqlalchemy import make_url, text

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.interop.evidence.compare import compare_packs  # noqa: E402
from navigator.interop.evidence.councils import demand_of  # noqa: E402
from navigator.interop.evidence.periods import parse_period  # noqa: E402
from navigator.interop.evidence.publishing import load_knowledge, publish_pack  # noqa: E402
from navigator.records.database import make_engine  # noqa: E402
from navigator.records.demo import fill  # noqa: E402

PLACES = ("northbrook", "eastmoor", "riverford", "hallam-vale")
BASELINE_SQL = """
SELECT u.need_id, u.reason, s.channel, count(DISTINCT u.session_id)
FROM unmet_needs u JOIN sessions s ON s.id = u.session_id
WHERE s.started_at >= :start AND s.started_at < :end
GROUP BY u.need_id, u.reason, s.channel
"""


def last_whole_quarter(today: dt.date) -> str:
    quarter = (today.month - 1) // 3
    return f"{today.year if quarter else today.year - 1}-Q{quarter or 4}"


def database_for(index: int, arguments: argparse.Namespace) -> str:
    """Council `index`'s database: its own on the PostgreSQL server, or its own file."""
    if arguments.postgres:
        import psycopg

        base = make_url(arguments.postgres)
        name = f"navigator_bench_publish_{index:02d}"
        admin = base.set(drivername="postgresql", database="postgres")
        conninfo = admin.render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        return base.set(database=name).render_as_string(hide_password=False)
    folder = Path(arguments.sqlite_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'council-{index:02d}.sqlite3'}"


def sessions_in(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM sessions")).scalar() or 0)
    except Exception:  # no tables yet
        return 0
    finally:
        engine.dispose()


def baseline(url: str, period_name: str) -> float:
    period = parse_period(period_name)
    start = dt.datetime.combine(period.start, dt.time(), dt.UTC)
    end = dt.datetime.combine(period.end_exclusive, dt.time(), dt.UTC)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            began = time.perf_counter()
            if engine.dialect.name == "sqlite":  # stored as UTC text
                bounds = {"start": f"{start:%Y-%m-%d %H:%M:%S}", "end": f"{end:%Y-%m-%d %H:%M:%S}"}
            else:
                bounds = {"start": start, "end": end}
            connection.execute(text(BASELINE_SQL), bounds).fetchall()
            return time.perf_counter() - began
    finally:
        engine.dispose()


def read_csvs(packs: list[Path]) -> float:
    began = time.perf_counter()
    total = 0
    for pack in packs:
        with (pack / "unmet-need.csv").open(encoding="utf-8", newline="") as handle:
            total += sum(int(row["count"] or 0) for row in csv.DictReader(handle))
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=500_000, help="per council")
    parser.add_argument("--postgres", default=os.environ.get("NAVIGATOR_TEST_POSTGRES_URL"))
    parser.add_argument("--sqlite-dir", default="/tmp/navigator-bench-publish")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even if a URL is set")
    parser.add_argument("--out", type=Path, default=Path("/tmp/navigator-bench-publish/packs"))
    parser.add_argument("--period", default=last_whole_quarter(dt.datetime.now(dt.UTC).date()))
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    arguments = parser.parse_args()
    if arguments.sqlite:
        arguments.postgres = None
    engine_name = "PostgreSQL" if arguments.postgres else "SQLite"
    knowledge, codes = load_knowledge(arguments.knowledge)
    period = parse_period(arguments.period)
    run = arguments.out / f"{engine_name.lower()}-{time.strftime('%Y%m%dT%H%M%S')}"
    print(f"{arguments.councils} councils x {arguments.sessions:,} sessions on {engine_name}, "
          f"period {period.name}")  # fmt: skip
    columns = ("fill s", 8), ("publish s", 10), ("baseline s", 11), ("ratio", 7), ("rows", 8)
    print(f"{'council':<22} " + " ".join(f"{name:>{width}}" for name, width in columns))
    packs, publish_times, baseline_times = [], [], []
    for index in range(arguments.councils):
        place = PLACES[index % len(PLACES)]
        url = database_for(index, arguments)
        fill_seconds = 0.0
        if sessions_in(url) < arguments.sessions:
            began = time.perf_counter()
            populations = {d: w.population for d, w in codes.councils[place].ward_of().items()}
            fill(url, knowledge, arguments.sessions, demand_of(place).seed + 100 * index,
                 populations=populations, need_weights=demand_of(place).need_weights)  # fmt: skip
            fill_seconds = time.perf_counter() - began
        out = run / f"{index:02d}-{place}"
        began = time.perf_counter()
        result = publish_pack(url, arguments.knowledge, period, out, council_id=place)
        seconds = time.perf_counter() - began
        floor = baseline(url, period.name)
        packs.append(out)
        publish_times.append(seconds)
        baseline_times.append(floor)
        print(f"{index:02d} {place:<19} {fill_seconds:>8.1f} {seconds:>10.2f} {floor:>11.3f} "
              f"{seconds / floor:>7.1f} {result.rows:>8,}")  # fmt: skip
    began = time.perf_counter()
    compare_packs(packs)
    compare_seconds = time.perf_counter() - began
    reading = read_csvs(packs)
    print(
        f"\npublish: median {sorted(publish_times)[len(publish_times) // 2]:.2f} s, "
        f"max {max(publish_times):.2f} s per pack (target < 30 s); baseline scan median "
        f"{sorted(baseline_times)[len(baseline_times) // 2]:.3f} s"
    )
    print(
        f"compare {len(packs)} packs: {compare_seconds:.2f} s (target < 5 s); reading their CSVs "
        f"alone: {reading:.2f} s, ratio {compare_seconds / reading:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
