"""Manager reports at real scale: every dashboard query and a full report, against raw SQL twins.

For each engine (SQLite, and PostgreSQL when a URL is given or
NAVIGATOR_TEST_POSTGRES_URL is set) this fills a database with
`navigator demo-data` (1,000,000 sessions by default; an existing database
with enough sessions is reused), then times, over the dashboard's default
period (the last 13 weeks of records):

- each query the dashboard runs, through Navigator (SQLAlchemy, result rows
  fetched), and the same aggregate written by hand in SQL and run on the raw
  driver (`sqlite3` / `psycopg`), alternately, best of `--repeat`;
- the dashboard's first view (filter choices, then the overview with its
  protection), and a full report rendered as HTML, against the sum of their
  twins.

Run: .venv/bin/python tests/bench/bench_reports.py [--sessions N] [--sqlite PATH]
     [--postgres URL] [--postgres-sessions N] [--no-sqlite] [--repeat 3] [--markdown]

`--postgres-sessions` sizes the PostgreSQL database apart from SQLite's (issue 16
asks for 10,000,000 there: `--postgres-sessions 10000000 --no-sqlite`); each size
has its own database (`navigator_bench_reports_<N>`), so sizes never mix.

Prints one row per query: Navigator's time, the twin's, and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, make_url

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from navigator.kb import KnowledgeBase, load  # noqa: E402
from navigator.records.database import (  # noqa: E402
    connected,
    make_engine,
    sqlite_file,
    upgrade,
)
from navigator.records.reports import queries as q  # noqa: E402
from navigator.records.reports.export import render  # noqa: E402
from navigator.records.reports.groups.requests import UNMATCHED_TEXTS  # noqa: E402
from navigator.records.reports.review import PAGE_SIZE, Review  # noqa: E402
from navigator.records.reports.tables import Drill, Filters, Period  # noqa: E402

BENCH_DATABASE = "navigator_bench_reports"
DEFAULT_SQLITE = Path("/tmp/navigator-bench-reports/1m.sqlite3")

# --- The hand-written twins ----------------------------------------------------------------

RANGE = "s.started_at >= :begin AND s.started_at < :end"
GAVE_UP = "NOT s.reached_outcome AND (s.end_how IN ('abandoned', 'timed_out') OR s.end_how IS NULL)"
WEEK = {
    "sqlite": "CAST((julianday(s.started_at) - julianday(:begin)) / 7 AS INTEGER)",
    "postgresql": "CAST(floor(extract(epoch FROM (s.started_at - CAST(:begin AS timestamptz)))"
    " / 604800) AS INTEGER)",
}
DAY_WEEK = {
    "sqlite": "CAST(julianday(d.day) - julianday(:first_day) AS INTEGER) / 7",
    "postgresql": "(d.day - CAST(:first_day AS date)) / 7",
}
CONCAT = {"sqlite": "group_concat", "postgresql": "string_agg"}
GAVE_UP_SQLITE = (
    "s.reached_outcome = 0 AND (s.end_how IN ('abandoned', 'timed_out') OR s.end_how IS NULL)"
)

MONTH = {
    "sqlite": "strftime('%Y-%m', s.started_at)",
    "postgresql": "to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM')",
}


def _distinct(column: str) -> str:
    """The hand-written twin of a choice list: `column`'s values by an index skip-scan."""
    return f"""
        WITH RECURSIVE walk(v) AS (
          SELECT min({column}) FROM sessions
          UNION ALL SELECT (SELECT min({column}) FROM sessions WHERE {column} > walk.v)
          FROM walk WHERE walk.v IS NOT NULL)
        SELECT v FROM walk WHERE v IS NOT NULL ORDER BY v"""


TWINS: dict[str, str] = {
    "choices: first and last day": """
        SELECT (SELECT min(started_at) FROM sessions), (SELECT max(started_at) FROM sessions)""",
    "choices: sites": _distinct("site"),
    "choices: channels": _distinct("channel"),
    "overview (headline, weekly)": """
        SELECT {day_week} AS week, d.language, sum(d.sessions), sum(d.reached_services),
          sum(d.unmet), sum(d.safeguarding), sum(d.gave_up)
        FROM session_days d WHERE {days} GROUP BY week, d.language
        HAVING sum(d.sessions) > 0 ORDER BY week, d.language""",
    "side by side: sites": """
        SELECT d.site, sum(d.sessions), sum(d.reached_services), sum(d.unmet), sum(d.gave_up)
        FROM session_days d WHERE {days} GROUP BY d.site HAVING sum(d.sessions) > 0""",
    "side by side: channels": """
        SELECT d.channel, sum(d.sessions), sum(d.reached_services), sum(d.unmet),
          sum(d.gave_up)
        FROM session_days d WHERE {fine_days} GROUP BY d.channel HAVING sum(d.sessions) > 0""",
    "unmet by age band": """
        SELECT c.age_band, count(*)
        FROM sessions s JOIN unmet_needs u ON u.session_id = s.id
        LEFT JOIN contexts c ON c.session_id = s.id
        WHERE {range} GROUP BY c.age_band""",
    "unmet by month and need": """
        SELECT {month} AS month, u.need_id, count(*)
        FROM sessions s JOIN unmet_needs u ON u.session_id = s.id
        WHERE {range} GROUP BY month, u.need_id""",
    "unmet by need (+ period before)": """
        SELECT u.need_id, sum(CASE WHEN s.started_at >= :begin THEN 1 ELSE 0 END),
               sum(CASE WHEN s.started_at < :begin THEN 1 ELSE 0 END)
        FROM sessions s JOIN unmet_needs u ON u.session_id = s.id
        WHERE s.started_at >= :previous AND s.started_at < :end GROUP BY u.need_id""",
    "unmet by reason (+ period before)": """
        SELECT u.reason, sum(CASE WHEN s.started_at >= :begin THEN 1 ELSE 0 END),
               sum(CASE WHEN s.started_at < :begin THEN 1 ELSE 0 END)
        FROM sessions s JOIN unmet_needs u ON u.session_id = s.id
        WHERE s.started_at >= :previous AND s.started_at < :end GROUP BY u.reason""",
    "unmet by district": """
        SELECT c.postcode_district, count(*)
        FROM sessions s JOIN unmet_needs u ON u.session_id = s.id
        LEFT JOIN contexts c ON c.session_id = s.id
        WHERE {range} GROUP BY c.postcode_district""",
    "unmet by need and end node (agencies)": """
        SELECT u.need_id, u.node_id, count(*)
        FROM sessions s JOIN unmet_needs u ON u.session_id = s.id
        WHERE {range} GROUP BY u.need_id, u.node_id""",
    "gave up, by node": """
        SELECT s.last_node_id, count(*) FROM sessions s
        WHERE {range} AND {gave_up} GROUP BY s.last_node_id""",
    "answered, by question": """
        SELECT st.node_id, count(DISTINCT st.session_id)
        FROM sessions s JOIN steps st ON st.session_id = s.id
        WHERE {range} AND st.kind = 'answer' GROUP BY st.node_id""",
    "service pressure (first page)": """
        SELECT os.service_id, count(*),
          sum(CASE WHEN os.fit = 'offered' THEN 1 ELSE 0 END),
          sum(CASE WHEN os.fit = 'waiting_list' THEN 1 ELSE 0 END),
          sum(CASE WHEN os.fit = 'ineligible' THEN 1 ELSE 0 END),
          sum(CASE WHEN os.fit = 'out_of_area' THEN 1 ELSE 0 END),
          sum(CASE WHEN os.fit = 'closed' THEN 1 ELSE 0 END),
          sum(CASE WHEN os.fit <> 'offered' THEN 1 ELSE 0 END) AS pressure
        FROM sessions s JOIN outcome_services os ON os.session_id = s.id
        WHERE {range} GROUP BY os.service_id ORDER BY pressure DESC, os.service_id
        LIMIT {page}""",
    "services considered (for paging)": """
        SELECT count(DISTINCT os.service_id)
        FROM sessions s JOIN outcome_services os ON os.session_id = s.id WHERE {range}""",
    "ineligible by rule (a page of services)": """
        SELECT os.service_id, os.failed_rule, count(*)
        FROM sessions s JOIN outcome_services os ON os.session_id = s.id
        WHERE {range} AND os.fit = 'ineligible' AND os.service_id IN ({services})
        GROUP BY os.service_id, os.failed_rule""",
    "unmatched requests, counted": """
        SELECT lower(trim(u.text)) AS t, count(*)
        FROM sessions s JOIN unmet_needs u ON u.session_id = s.id
        WHERE {range} AND u.reason = 'unmatched' AND u.text IS NOT NULL
        GROUP BY t ORDER BY count(*) DESC, t LIMIT {unmatched}""",
    "knowledge base versions": """
        SELECT s.content_hash, count(*), min(s.started_at), max(s.started_at)
        FROM sessions s WHERE {range} GROUP BY s.content_hash ORDER BY max(s.started_at) DESC""",
    "pathways behind a figure (first page)": """
        WITH chosen AS (
          SELECT DISTINCT s.id FROM sessions s JOIN unmet_needs u ON u.session_id = s.id
          WHERE {range} AND u.need_id = :need),
        walked AS (
          SELECT st.session_id, {concat}(st.node_id || ':' || coalesce(st.option_id, ''), ' > ')
            OVER (PARTITION BY st.session_id ORDER BY st.sequence
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS path
          FROM steps st JOIN chosen c ON c.id = st.session_id WHERE st.kind = 'answer'),
        per_session AS (SELECT DISTINCT session_id, path FROM walked)
        SELECT path, count(*), count(*) OVER () FROM per_session
        GROUP BY path HAVING count(*) >= 5 ORDER BY count(*) DESC, path LIMIT {page}""",
}

OVERVIEW_BEFORE_0002 = """
        SELECT {week} AS week, count(*),
          sum(CASE WHEN EXISTS (SELECT 1 FROM outcomes o
                                WHERE o.session_id = s.id AND o.offered > 0) THEN 1 ELSE 0 END),
          sum(CASE WHEN EXISTS (SELECT 1 FROM unmet_needs u
                                WHERE u.session_id = s.id) THEN 1 ELSE 0 END),
          sum(CASE WHEN EXISTS (SELECT 1 FROM safeguarding_shown g
                                WHERE g.session_id = s.id) THEN 1 ELSE 0 END),
          sum(CASE WHEN {gave_up} THEN 1 ELSE 0 END)
        FROM sessions s WHERE {range} GROUP BY week ORDER BY week"""
"""The overview as it was before migration 0002 gave sessions their flags: three probes per
session into the child tables. The bench times it as the baseline for the flags."""
BEFORE_0002 = "overview: flags vs the probes of before 0002"

OVERVIEW_FROM_SESSIONS = """
        SELECT {week} AS week, s.language, count(*),
          sum(CASE WHEN s.reached_services THEN 1 ELSE 0 END),
          sum(CASE WHEN s.has_unmet THEN 1 ELSE 0 END),
          sum(CASE WHEN s.has_safeguarding THEN 1 ELSE 0 END),
          sum(CASE WHEN {gave_up} THEN 1 ELSE 0 END)
        FROM sessions s WHERE {range} GROUP BY week, s.language ORDER BY week, s.language"""
"""The overview as it was before migration 0006 (`session_days`): one pass over the period's
sessions. The bench times it as the baseline for the daily summary."""
BEFORE_0006 = "overview: session_days vs the sessions of before 0006"

FIRST_VIEW = (
    "choices: first and last day",
    "choices: sites",
    "choices: channels",
    "overview (headline, weekly)",
)
REPORT = (
    "overview (headline, weekly)",
    "side by side: sites",
    "side by side: channels",
    "unmet by age band",
    "unmet by month and need",
    "unmet by need (+ period before)",
    "unmet by reason (+ period before)",
    "unmet by district",
    "unmet by need and end node (agencies)",
    "gave up, by node",
    "answered, by question",
    "service pressure (first page)",
    "ineligible by rule (a page of services)",
    "unmatched requests, counted",
    "knowledge base versions",
)


@dataclass
class Setting:
    """One engine's database and what the queries are asked about."""

    name: str
    url: str
    engine: Engine
    filters: Filters
    need: str
    services: list[str]

    def ours(self, label: str) -> Callable[[], Any]:
        """Navigator's query for a twin, as the dashboard builds it."""
        f = self.filters
        builders: dict[str, Callable[[], Any]] = {
            "choices: first and last day": q.date_range,
            "choices: sites": lambda: q.distinct_values("site"),
            "choices: channels": lambda: q.distinct_values("channel"),
            "overview (headline, weekly)": lambda: q.overview(f),
            "side by side: sites": lambda: q.overview_by("site", f),
            "side by side: channels": lambda: q.overview_by("channel", f),
            "unmet by age band": lambda: q.unmet_by_age_band(f),
            "unmet by month and need": lambda: q.unmet_by_month(f),
            "unmet by need (+ period before)": lambda: q.unmet_by("need_id", f),
            "unmet by reason (+ period before)": lambda: q.unmet_by("reason", f),
            "unmet by district": lambda: q.unmet_by_district(f),
            "unmet by need and end node (agencies)": lambda: q.unmet_by_need_and_node(f),
            "gave up, by node": lambda: q.gave_up_at(f),
            "answered, by question": lambda: q.answered(f),
            "service pressure (first page)": lambda: q.service_pressure(f).limit(PAGE_SIZE),
            "services considered (for paging)": lambda: q.services_considered(f),
            "ineligible by rule (a page of services)": lambda: q.ineligible_by_rule(
                f, self.services
            ),
            "unmatched requests, counted": lambda: q.unmatched_texts(f, UNMATCHED_TEXTS),
            "knowledge base versions": lambda: q.content_versions(f),
            "pathways behind a figure (first page)": lambda: q.pathways(
                Drill("need", need_id=self.need), f, 5, PAGE_SIZE, 0, {}
            ),
        }
        statement = builders[label]()

        def run() -> Any:
            with self.engine.connect() as connection:
                return connection.execute(statement).all()

        return run

    def twin(self, label: str, template: str | None = None) -> Callable[[], Any]:
        """The hand-written SQL on the raw driver, with the same parameters."""
        dialect = self.engine.dialect.name
        sql = (template or TWINS[label]).format(
            range=RANGE,
            gave_up=GAVE_UP_SQLITE if dialect == "sqlite" else GAVE_UP,
            week=WEEK[dialect],
            day_week=DAY_WEEK[dialect],
            days="d.grain = 1 AND d.day >= :first_day AND d.day <= :last_day",
            fine_days="d.grain = 0 AND d.day >= :first_day AND d.day <= :last_day",
            month=MONTH[dialect],
            concat=CONCAT[dialect],
            page=PAGE_SIZE,
            unmatched=UNMATCHED_TEXTS,
            services=", ".join(f"'{service}'" for service in self.services) or "''",
        )
        begin, end = self.filters.period.bounds
        previous, _ = self.filters.period.previous.bounds
        parameters: dict[str, Any] = {"begin": begin, "end": end, "previous": previous}
        parameters["need"] = self.need
        parameters["first_day"] = self.filters.period.start.isoformat()
        parameters["last_day"] = self.filters.period.end.isoformat()
        if dialect == "sqlite":
            parameters = {
                key: value.strftime("%Y-%m-%d %H:%M:%S.%f")
                if isinstance(value, dt.datetime)
                else value
                for key, value in parameters.items()
            }
            path = str(make_url(self.url).database)
            connection = sqlite3.connect(path)

            def run_sqlite() -> Any:
                return connection.execute(sql, parameters).fetchall()

            return run_sqlite
        for name in parameters:
            sql = sql.replace(f":{name}", f"%({name})s")
        postgres = psycopg.connect(_conninfo(self.url))

        def run_postgres() -> Any:
            with postgres.cursor() as cursor:
                cursor.execute(sql, parameters)  # type: ignore[arg-type]
                return cursor.fetchall()

        return run_postgres


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def best(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def paired(ours: Callable[[], Any], twin: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best of `repeat` for each, run alternately so both see the same cache and load."""
    ours()
    twin()
    ours_times: list[float] = []
    twin_times: list[float] = []
    for _ in range(repeat):
        for run, times in ((twin, twin_times), (ours, ours_times)):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    return min(ours_times), min(twin_times)


# --- Databases -------------------------------------------------------------------------------


def session_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM sessions").scalar_one())


def fill(url: str, sessions: int, knowledge_dir: Path) -> None:
    """`navigator demo-data`, the real command, into `url`."""
    environment = dict(
        os.environ, NAVIGATOR_DATABASE_URL=url, NAVIGATOR_KNOWLEDGE=str(knowledge_dir)
    )
    command = [str(REPO / ".venv" / "bin" / "navigator"), "demo-data", "--sessions", str(sessions)]
    print(f"filling {make_url(url).render_as_string()} with {sessions:,} sessions ...", flush=True)
    subprocess.run([str(part) for part in command], env=environment, check=True)


def existing_sessions(url: str) -> int:
    """How many sessions `url` holds already, without making its file or keeping it open."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return 0
    with connected(url) as engine:  # disposed before `demo-data` runs in another process
        try:
            return session_count(engine)
        except Exception:  # no schema yet
            return 0


def prepared(url: str, sessions: int, knowledge_dir: Path) -> Engine:
    have = existing_sessions(url)
    if have < sessions:
        if have:
            raise SystemExit(
                f"{url} holds {have:,} sessions, fewer than {sessions:,}: remove it or pass "
                "another database"
            )
        fill(url, sessions, knowledge_dir)
    engine = make_engine(url, writing=True)
    if have >= sessions:
        started = time.perf_counter()
        upgrade(engine)  # what `navigator db upgrade` does to a database filled by an older one
        print(f"schema upgraded in {time.perf_counter() - started:.1f} s", flush=True)
    return engine


def postgres_database(base: str, sessions: int) -> str:
    """The bench's own database for `sessions` on the server of `base`, created when missing."""
    admin = _conninfo(base)
    name = f"{BENCH_DATABASE}_{sessions}"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def setting_for(name: str, url: str, engine: Engine, knowledge: KnowledgeBase) -> Setting:
    review = Review(engine=engine, knowledge=knowledge)
    last = review.choices().last_day or dt.date.today()
    filters = Filters(Period(last - dt.timedelta(days=90), last))
    with engine.connect() as connection:
        need = connection.execute(q.unmet_by("need_id", filters).order_by(None)).all()
        services = connection.execute(q.service_pressure(filters).limit(PAGE_SIZE)).all()
    top_need = max((row for row in need if row.key), key=lambda row: row.current).key
    return Setting(name, url, engine, filters, top_need, [row.service_id for row in services])


# --- The run ---------------------------------------------------------------------------------


@dataclass
class Line:
    engine: str
    label: str
    ours: float
    twin: float

    @property
    def ratio(self) -> float:
        return self.ours / self.twin if self.twin else float("nan")


def bench(setting: Setting, knowledge: KnowledgeBase, repeat: int) -> list[Line]:
    lines: list[Line] = []
    twin_best: dict[str, float] = {}
    for label in TWINS:
        ours, twin = paired(setting.ours(label), setting.twin(label), repeat)
        twin_best[label] = twin
        lines.append(Line(setting.name, label, ours, twin))
        print(
            f"  {label:45} {ours * 1000:9.1f} ms  twin {twin * 1000:9.1f} ms  x{ours / twin:.2f}",
            flush=True,
        )

    ours, before = paired(
        setting.ours("overview (headline, weekly)"),
        setting.twin(BEFORE_0002, OVERVIEW_BEFORE_0002),
        repeat,
    )
    lines.append(Line(setting.name, BEFORE_0002, ours, before))
    ours, sessions = paired(
        setting.ours("overview (headline, weekly)"),
        setting.twin(BEFORE_0006, OVERVIEW_FROM_SESSIONS),
        repeat,
    )
    lines.append(Line(setting.name, BEFORE_0006, ours, sessions))
    print(
        f"  {BEFORE_0006:45} {ours * 1000:9.1f} ms  then {sessions * 1000:9.1f} ms  "
        f"x{ours / sessions:.2f}",
        flush=True,
    )
    print(
        f"  {BEFORE_0002:45} {ours * 1000:9.1f} ms  then {before * 1000:9.1f} ms  "
        f"x{ours / before:.2f}",
        flush=True,
    )

    def first_view() -> None:
        review = Review(engine=setting.engine, knowledge=knowledge)
        review.choices()
        review.section("overview", setting.filters)

    def full_report() -> None:
        review = Review(engine=setting.engine, knowledge=knowledge)
        render(review.report(setting.filters), "html")

    first = best(first_view, repeat)
    lines.append(
        Line(
            setting.name,
            "FIRST VIEW (choices + overview, protected)",
            first,
            sum(twin_best[label] for label in FIRST_VIEW),
        )
    )
    report = best(full_report, max(1, repeat - 1))
    lines.append(
        Line(
            setting.name,
            "FULL REPORT (every figure, HTML)",
            report,
            sum(twin_best[label] for label in REPORT),
        )
    )
    for line in lines[-2:]:
        print(
            f"  {line.label:45} {line.ours * 1000:9.1f} ms  twins {line.twin * 1000:8.1f} ms"
            f"  x{line.ratio:.2f}",
            flush=True,
        )
    return lines


def markdown(lines: list[Line]) -> str:
    rows = [
        "| engine | figure | Navigator (ms) | hand-written SQL (ms) | ratio |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    rows += [
        f"| {line.engine} | {line.label} | {line.ours * 1000:,.1f} | {line.twin * 1000:,.1f} "
        f"| {line.ratio:.2f} |"
        for line in lines
    ]
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres-sessions",
        type=int,
        default=None,
        help="sessions in the PostgreSQL database (default: --sessions)",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="time PostgreSQL only")
    parser.add_argument("--sqlite", type=Path, default=DEFAULT_SQLITE)
    parser.add_argument("--postgres", default=os.environ.get("NAVIGATOR_TEST_POSTGRES_URL"))
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    arguments = parser.parse_args()
    knowledge = load(arguments.knowledge).knowledge
    databases: list[tuple[str, str, int]] = []
    if not arguments.no_sqlite:
        arguments.sqlite.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{arguments.sqlite.resolve()}"
        databases.append(("SQLite", url, arguments.sessions))
    if arguments.postgres:
        size = arguments.postgres_sessions or arguments.sessions
        databases.append(("PostgreSQL", postgres_database(arguments.postgres, size), size))
    else:
        print("PostgreSQL skipped: set NAVIGATOR_TEST_POSTGRES_URL or pass --postgres URL")
    lines: list[Line] = []
    for name, url, size in databases:
        engine = prepared(url, size, arguments.knowledge)
        setting = setting_for(name, url, engine, knowledge)
        print(
            f"{name}: {session_count(engine):,} sessions; period {setting.filters.period} "
            f"({repeat_note(arguments.repeat)})",
            flush=True,
        )
        lines += bench(setting, knowledge, arguments.repeat)
        engine.dispose()
    worst = max(
        (line for line in lines if line.label in TWINS),
        key=lambda line: line.ratio,
    )
    print(f"\nslowest against its twin: {worst.engine} {worst.label} x{worst.ratio:.2f}")
    if arguments.markdown:
        print()
        print(markdown(lines))
    return 0


def repeat_note(repeat: int) -> str:
    return f"best of {repeat}, Navigator and its twin alternately"


if __name__ == "__main__":
    sys.exit(main())
