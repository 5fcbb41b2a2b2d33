"""The daily summary `session_days` (migration `0006_summary`) always equals the sessions.

The first view reads the summary instead of the sessions; these tests hold it to the same
figures counted from the sessions (`queries.overview_from_sessions`, the query it replaced),
row for row, on a real SQLite file and a real PostgreSQL server: for every filter
combination and for periods that do not start or end on a week's edge; after sessions are
recorded through the store, changed (topic, end, flags, start moved to another day, site),
deleted by retention, and after upgrading and downgrading the schema on a database that
already held sessions. The overview's tables (suppression included) are the same whichever
query feeds them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, event, insert, inspect, select, text, update

from navigator.records.database import alembic_config, make_engine, upgrade
from navigator.records.reports import queries as q
from navigator.records.reports.review import Review
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Filters, Period
from navigator.records.retention import PURGE_BATCH, purge
from tests.manager.known_data import TODAY, known_sessions, store, write_knowledge
from tests.records.conftest import throwaway_postgres

DAY0 = dt.date(2025, 1, 6)  # a Monday
SITES = ("north", "south", "east")
CHANNELS = ("kiosk", "web", "advocate")
TOPICS = (None, "housing", "money", "carers")
LANGUAGES = ("en", "cy", "pl")
ENDS = (None, "finished", "abandoned", "timed_out")
PERIODS = (
    Period(DAY0, DAY0 + dt.timedelta(days=27)),  # four whole weeks
    Period(DAY0 + dt.timedelta(days=2), DAY0 + dt.timedelta(days=17)),  # Wednesday to Friday
    Period(DAY0 + dt.timedelta(days=5), DAY0 + dt.timedelta(days=5)),  # one day
    Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28)),  # a whole month
    Period(DAY0 - dt.timedelta(days=30), DAY0 + dt.timedelta(days=70)),  # past both ends
)


def random_sessions(count: int, seed: int, prefix: str = "s") -> list[dict[str, Any]]:
    """Sessions spread over 8 weeks, every dimension and flag mixed, some starts within a
    second of midnight (a day's and a week's edge)."""
    chance = random.Random(seed)
    rows = []
    for number in range(count):
        day = DAY0 + dt.timedelta(days=chance.randrange(56))
        second = chance.choice((0, 1, 86_399, chance.randrange(86_400)))
        started = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + dt.timedelta(
            seconds=second, microseconds=chance.choice((0, 999_999, 500_000))
        )
        reached = chance.random() < 0.4
        rows.append(
            {
                "id": f"{prefix}{seed}-{number:05d}",
                "channel": chance.choice(CHANNELS),
                "site": chance.choice(SITES),
                "language": chance.choice(LANGUAGES),
                "started_at": started,
                "received_at": started,
                "end_how": chance.choice(ENDS),
                "reached_outcome": reached,
                "reached_services": reached and chance.random() < 0.7,
                "has_unmet": chance.random() < 0.3,
                "has_safeguarding": chance.random() < 0.1,
                "topic_id": chance.choice(TOPICS),
            }
        )
    return rows


def every_filter() -> Iterator[Filters]:
    for period in PERIODS:
        for site, channel, topic in itertools.product(
            (None, "south"), (None, "web"), (None, "money")
        ):
            yield Filters(period, site=site, channel=channel, topic=topic)
        yield Filters(period, sites=("north", "east"))
        yield Filters(period, sites=("north",), channel="kiosk", topic="housing")


def assert_summary_equals_sessions(engine: Engine) -> None:
    """Every filter's overview and side by side, from the summary and from the sessions."""
    with engine.connect() as connection:
        for filters in every_filter():
            ours = connection.execute(q.overview(filters)).all()
            theirs = connection.execute(q.overview_from_sessions(filters)).all()
            assert [tuple(map(int_or_text, r)) for r in ours] == [
                tuple(map(int_or_text, r)) for r in theirs
            ], filters
            for column in ("site", "channel", "language"):
                ours = connection.execute(q.overview_by(column, filters)).all()
                theirs = connection.execute(q.overview_by_from_sessions(column, filters)).all()
                assert sorted(tuple(map(int_or_text, r)) for r in ours) == sorted(
                    tuple(map(int_or_text, r)) for r in theirs
                ), (column, filters)


def int_or_text(value: Any) -> Any:
    return value if isinstance(value, str) or value is None else int(value)


def summary_totals(engine: Engine) -> dict[int, int]:
    """Sessions counted at each grain: both must be every session."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT grain, sum(sessions) FROM session_days GROUP BY grain")
        ).all()
    return {int(grain): int(total) for grain, total in rows}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navigator.sqlite3'}"
        return
    with throwaway_postgres("navigator_days") as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, writing=True)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_summary_equals_the_sessions_for_every_filter(engine: Engine) -> None:
    rows = random_sessions(1500, seed=1)
    with engine.begin() as connection:
        connection.execute(insert(q.SESSIONS), rows[:1000])  # one statement, many rows
        for row in rows[1000:]:  # and one at a time
            connection.execute(insert(q.SESSIONS), row)
    assert summary_totals(engine) == {0: 1500, 1: 1500}
    assert_summary_equals_sessions(engine)


def test_summary_follows_every_change_to_a_session(engine: Engine) -> None:
    rows = random_sessions(600, seed=2)
    with engine.begin() as connection:
        connection.execute(insert(q.SESSIONS), rows)
    chance = random.Random(3)
    S = q.SESSIONS.c
    with engine.begin() as connection:
        for row in chance.sample(rows, 300):
            change = chance.choice(
                (
                    {"topic_id": chance.choice(TOPICS)},
                    {"end_how": chance.choice(ENDS), "reached_outcome": chance.random() < 0.5},
                    {"has_unmet": True, "has_safeguarding": True, "reached_services": True},
                    {"started_at": row["started_at"] + dt.timedelta(days=chance.randrange(-9, 9))},
                    {"site": chance.choice(SITES), "channel": chance.choice(CHANNELS)},
                    {"language": chance.choice(LANGUAGES)},
                    {"ended_at": row["started_at"]},  # no figure changes
                )
            )
            connection.execute(update(q.SESSIONS).where(S.id == row["id"]).values(change))
        # One statement changing many sessions at once.
        connection.execute(update(q.SESSIONS).where(S.site == "east").values(has_unmet=True))
    assert summary_totals(engine) == {0: 600, 1: 600}
    assert_summary_equals_sessions(engine)


def test_summary_follows_sessions_recorded_through_the_store(
    engine: Engine, tmp_path: Path
) -> None:
    """The store's path: a stub, then its start, first topic, flags and end, in batches."""
    knowledge = write_knowledge(tmp_path / "knowledge")
    walks = known_sessions(knowledge.content_hash)
    half = len(walks) // 2
    store(engine, walks[:half])
    store(engine, walks[half:])
    store(engine, walks)  # a retry: every event again, nothing counted twice
    with engine.connect() as connection:
        total = connection.execute(text("SELECT count(*) FROM sessions")).scalar_one()
    assert summary_totals(engine) == {0: total, 1: total}
    with engine.connect() as connection:
        for period in (Period(dt.date(2025, 2, 3), TODAY), Period(TODAY - dt.timedelta(3), TODAY)):
            for filters in (Filters(period), Filters(period, channel="kiosk")):
                assert (
                    connection.execute(q.overview(filters)).all()
                    == connection.execute(q.overview_from_sessions(filters)).all()
                )


@pytest.mark.parametrize("batch", [PURGE_BATCH, 7])  # 7: many short transactions
def test_retention_takes_purged_sessions_out_of_the_summary(engine: Engine, batch: int) -> None:
    rows = random_sessions(800, seed=4)
    with engine.begin() as connection:
        connection.execute(insert(q.SESSIONS), rows)
    cutoff = dt.datetime.combine(DAY0 + dt.timedelta(days=29), dt.time(13), tzinfo=dt.UTC)
    kept = sum(row["started_at"] >= cutoff for row in rows)
    # purge keeps the last month: "now" is one month after the cutoff
    purged = purge(engine, 1, now=cutoff.replace(month=cutoff.month + 1), batch=batch)
    assert purged == len(rows) - kept
    assert summary_totals(engine) == {0: kept, 1: kept}
    with engine.connect() as connection:
        empty = connection.execute(
            text("SELECT count(*) FROM session_days WHERE sessions = 0")
        ).scalar_one()
        first = connection.execute(text("SELECT min(day) FROM session_days")).scalar_one()
    assert empty == 0
    assert str(first)[:10] == cutoff.date().isoformat()  # the cutoff's day, partly kept
    assert_summary_equals_sessions(engine)
    with engine.begin() as connection:  # and then everything, as `navigator purge` can
        connection.execute(text("DELETE FROM sessions"))
    assert summary_totals(engine) == {0: 0, 1: 0}  # rows of 0 until the next purge
    with engine.connect() as connection:
        for filters in every_filter():
            assert connection.execute(q.overview(filters)).all() == []


def test_upgrade_backfills_and_downgrade_removes_the_summary(database_url: str) -> None:
    """On a database already holding sessions at `0005_scale`: the upgrade counts them all,
    later sessions follow; the downgrade leaves no table and no trigger behind, and sessions
    can still be written; upgrading again counts everything once."""
    engine = make_engine(database_url, writing=True)
    config = alembic_config()

    def migrate(how: str, target: str) -> None:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            getattr(command, how)(config, target)

    migrate("upgrade", "0005_scale")
    rows = random_sessions(700, seed=5)
    with engine.begin() as connection:
        connection.execute(insert(q.SESSIONS), rows[:400])
    migrate("upgrade", "head")
    assert summary_totals(engine) == {0: 400, 1: 400}
    with engine.begin() as connection:
        connection.execute(insert(q.SESSIONS), rows[400:550])
    assert_summary_equals_sessions(engine)
    migrate("downgrade", "0005_scale")
    with engine.connect() as connection:
        assert "session_days" not in inspect(connection).get_table_names()
        triggers = connection.execute(
            text(
                "SELECT count(*) FROM information_schema.triggers"
                if engine.dialect.name == "postgresql"
                else "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
            )
        ).scalar_one()
    assert triggers == 0
    with engine.begin() as connection:  # writing sessions works without the summary
        connection.execute(insert(q.SESSIONS), rows[550:])
        connection.execute(text("DELETE FROM sessions WHERE id = :id"), {"id": rows[0]["id"]})
    migrate("upgrade", "head")
    assert summary_totals(engine) == {0: 699, 1: 699}
    assert_summary_equals_sessions(engine)
    engine.dispose()


class SessionsReview(Review):
    """The review as it was before the summary: the overview counted from the sessions."""

    def overview_rows(self, filters: Filters) -> Any:
        return self.rows(q.overview_from_sessions(filters))


def test_the_first_view_shows_the_same_tables_and_reads_only_the_summary(
    engine: Engine, tmp_path: Path
) -> None:
    """The overview's tables, hidden cells included, for periods and filters (small counts
    so that suppression applies), and the SQL of the first view names no `sessions` table
    but for the filter choices."""
    knowledge = write_knowledge(tmp_path / "knowledge")
    with engine.begin() as connection:
        connection.execute(insert(q.SESSIONS), random_sessions(300, seed=6))
    filters = [
        Filters(PERIODS[0]),
        Filters(PERIODS[1], site="south"),
        Filters(PERIODS[0], channel="web", topic="money"),
        Filters(PERIODS[3], sites=("north",)),
    ]
    seen: list[str] = []

    def remember(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        for shown in filters:
            ours = Review(engine=engine, knowledge=knowledge, threshold=5)
            theirs = SessionsReview(engine=engine, knowledge=knowledge, threshold=5)
            seen.clear()
            tables = ours.section("overview", shown)
            assert seen and all("FROM sessions" not in sql for sql in seen), seen
            assert tables == theirs.section("overview", shown)
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def test_small_counts_are_hidden_alike(engine: Engine, tmp_path: Path) -> None:
    """Known data: 7 sessions in the first week, 3 in the second (one of them unmet): the
    headline shows 10, and both weeks are hidden (the second under 5, the first because the
    headline would give the second away), by both reviews alike."""
    knowledge = write_knowledge(tmp_path / "knowledge")
    sessions = random_sessions(10, seed=7)
    for number, row in enumerate(sessions):
        row["started_at"] = dt.datetime.combine(
            DAY0 + dt.timedelta(days=0 if number < 7 else 8), dt.time(10), tzinfo=dt.UTC
        )
        row["has_unmet"] = number in (1, 2, 3, 4, 5, 8)
    with engine.begin() as connection:
        connection.execute(insert(q.SESSIONS), sessions)
    shown = Filters(Period(DAY0, DAY0 + dt.timedelta(days=13)))
    ours = Review(engine=engine, knowledge=knowledge, threshold=5).section("overview", shown)
    theirs = SessionsReview(engine=engine, knowledge=knowledge, threshold=5).section(
        "overview", shown
    )
    assert ours == theirs
    weekly = next(table for table in ours if table.key == "weekly")
    headline = next(table for table in ours if table.key == "headline")
    assert headline.rows[0][1] == 10
    low, hidden = Hidden(5, primary=True), Hidden(5, primary=False)
    assert headline.rows == (
        ("Sessions", 10, None),
        ("Reached services", low, hidden),
        ("Ended in unmet need", hidden, hidden),  # 6, but the weeks' 5 and 1 would show
        ("Shown safeguarding contacts", low, hidden),
        ("Gave up", 7, 70.0),
    )
    # the second week's 3 sessions are under 5, and the first week's 7 would give them away
    assert weekly.rows == (("2025-01-06", hidden, hidden), ("2025-01-13", low, low))
    with engine.connect() as connection:
        days = connection.execute(
            select(q.DAYS.c.day, q.DAYS.c.sessions).where(q.DAYS.c.grain == 1)
        ).all()
    assert sum(int(count) for _, count in days) == 10


@pytest.mark.postgres
def test_concurrent_writers_are_all_counted(tmp_path: Path) -> None:
    """PostgreSQL: four writers recording sessions at the same sites and days at once, each
    session in its own transaction (as copiers of several kiosks do), in different orders;
    the row locks of the summary's upserts make them wait for each other, not lose a count."""
    with throwaway_postgres("navigator_days") as url:
        engine = make_engine(url, writing=True)
        upgrade(engine)
        rows = random_sessions(400, seed=8)
        for row in rows:  # few summary rows, so the writers contend for the same ones
            row["started_at"] = row["started_at"].replace(day=6 + int(row["id"][-1]) % 2)

        def write(part: list[dict[str, Any]]) -> None:
            for row in part:
                with engine.begin() as connection:
                    connection.execute(insert(q.SESSIONS), row)

        parts = [rows[number::4] for number in range(4)]
        threads = [threading.Thread(target=write, args=(part,)) for part in parts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert summary_totals(engine) == {0: 400, 1: 400}
        assert_summary_equals_sessions(engine)
        engine.dispose()
