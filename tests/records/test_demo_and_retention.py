"""Made-up records walked from a real knowledge base, and retention that removes old ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from navigator.engine import events as ev
from navigator.kb import KnowledgeBase, load
from navigator.records.database import connected, upgrade
from navigator.records.demo import all_columns_known, fill
from navigator.records.payloads import to_payload
from navigator.records.retention import months_before, purge
from navigator.records.store import store_payloads
from tests.conftest import DEMO_KNOWLEDGE
from tests.records.conversations import Conversation
from tests.records.small_kb import NODE_IDS, write_small_kb
from tests.records.test_session_flags import flags

END = dt.date(2025, 6, 30)


@pytest.fixture
def small_kb(tmp_path: Path) -> KnowledgeBase:
    result = load(write_small_kb(tmp_path / "kb"))
    assert result.ok, result.diagnostics
    return result.knowledge


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def column(engine: Engine, sql: str) -> list[object]:
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text(sql))]


def test_demo_columns_match_the_models() -> None:
    assert all_columns_known()


def test_demo_data_walks_the_knowledge_base(database_url: str, small_kb: KnowledgeBase) -> None:
    result = fill(database_url, small_kb, 3000, seed=7, end=END, chunk=1000)
    assert result.sessions == 3000
    with connected(database_url) as engine:
        assert scalar(engine, "SELECT count(*) FROM sessions") == 3000
        assert set(column(engine, "SELECT DISTINCT node_id FROM steps WHERE kind = 'answer'")) <= (
            NODE_IDS
        )
        assert set(column(engine, "SELECT DISTINCT option_id FROM steps")) <= {
            "an-adult", "a-child", "yes", "no", "back-to-start", None
        }  # fmt: skip
        assert set(column(engine, "SELECT DISTINCT service_id FROM outcome_services")) == {
            "carers-hub", "respite-beds", "young-carers", "debt-advice"
        }  # fmt: skip
        fits = set(column(engine, "SELECT DISTINCT fit FROM outcome_services"))
        assert {"offered", "waiting_list", "ineligible", "out_of_area"} <= fits
        failed = column(
            engine, "SELECT DISTINCT failed_rule FROM outcome_services WHERE fit = 'ineligible'"
        )
        assert failed == ["age_band"]
        reasons = set(column(engine, "SELECT DISTINCT reason FROM unmet_needs"))
        assert reasons <= set(small_kb.reasons)
        assert {"no_service", "unmatched", "out_of_area", "not_helpful"} <= reasons
        ends = set(column(engine, "SELECT DISTINCT end_how FROM sessions"))
        assert {"finished", "abandoned"} <= ends
        abandoned_at = set(
            column(engine, "SELECT DISTINCT last_node_id FROM sessions WHERE end_how = 'abandoned'")
        )
        assert abandoned_at <= {"carers-start", "money-start", "money-start-2"}
        districts = dict(
            column_pairs(engine, "SELECT postcode_district, count(*) FROM contexts GROUP BY 1")
        )
        assert set(districts) == {"NB1", "NB2"}
        assert districts["NB1"] > 4 * districts["NB2"]  # populations 90,000 and 10,000
        first, last = (
            column(engine, "SELECT min(started_at), max(started_at) FROM sessions")[0],
            None,
        )
        assert str(first) < "2023-08-01"
        last = column(engine, "SELECT max(started_at) FROM sessions")[0]
        assert str(last) >= "2025-06-01"
        assert scalar(engine, "SELECT count(*) FROM events") == 0
        channels = set(column(engine, "SELECT DISTINCT channel FROM sessions"))
        assert channels == {"kiosk", "advocate", "web", "plain"}
        overview_flags = flags(engine).values()  # each checked against the child tables
        assert any(services for services, _, _ in overview_flags)
        assert any(unmet for _, unmet, _ in overview_flags)


def column_pairs(engine: Engine, sql: str) -> list[tuple[object, object]]:
    with engine.connect() as connection:
        return [(row[0], row[1]) for row in connection.execute(text(sql))]


def test_demo_data_is_the_same_for_the_same_seed(tmp_path: Path, small_kb: KnowledgeBase) -> None:
    dumps = []
    for name, seed in (("one", 3), ("two", 3), ("three", 4)):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        fill(url, small_kb, 500, seed=seed, end=END)
        with connected(url) as engine:
            dumps.append(
                column(
                    engine, "SELECT id || channel || site || started_at FROM sessions ORDER BY id"
                )
                + column(engine, "SELECT session_id || sequence || kind FROM steps ORDER BY 1")
            )
    assert dumps[0] == dumps[1]
    assert dumps[0] != dumps[2]


def test_demo_data_adds_to_existing_records_and_keeps_indexes(
    tmp_path: Path, small_kb: KnowledgeBase
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    fill(url, small_kb, 200, seed=1, end=END)
    fill(url, small_kb, 300, seed=2, end=END)
    with connected(url) as engine:
        assert scalar(engine, "SELECT count(*) FROM sessions") == 500
        indexes = set(
            column(
                engine, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'"
            )
        )
        assert "ix_unmet_needs_need_id_at" in indexes and "ix_steps_topic_id_node_id" in indexes
        assert scalar(engine, "PRAGMA integrity_check") == "ok"
        assert scalar(engine, "PRAGMA journal_mode") == "wal"


def test_demo_data_from_the_demo_knowledge_base(tmp_path: Path) -> None:
    result = load(DEMO_KNOWLEDGE)
    assert result.ok, [str(finding) for finding in result.diagnostics]
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    fill(url, result.knowledge, 2000, seed=1)
    with connected(url) as engine:
        topics = set(
            column(engine, "SELECT DISTINCT topic_id FROM sessions WHERE topic_id IS NOT NULL")
        )
        nodes = set(column(engine, "SELECT DISTINCT node_id FROM steps WHERE node_id IS NOT NULL"))
        overview_flags = flags(engine).values()  # each checked against the child tables
    assert {True} == {any(column) for column in zip(*overview_flags, strict=True)}
    assert (
        topics <= set(result.knowledge.topics) and len(topics) >= len(result.knowledge.topics) // 2
    )
    assert nodes <= set(result.knowledge.nodes)


# --- Retention -------------------------------------------------------------------------------


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        yield engine


def record_session_started_at(engine: Engine, when: dt.datetime) -> str:
    conversation = Conversation(start=when)
    events: list[ev.Event] = conversation.whole()
    with engine.begin() as connection:
        store_payloads(connection, [to_payload(e) for e in events], when)
    return conversation.session_id


def test_purge_removes_old_sessions_and_everything_in_them(engine: Engine) -> None:
    now = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC)
    old = [record_session_started_at(engine, now - dt.timedelta(days=days)) for days in (800, 740)]
    kept = [record_session_started_at(engine, now - dt.timedelta(days=days)) for days in (700, 3)]
    assert purge(engine, 24, now) == len(old)
    remaining = set(column(engine, "SELECT id FROM sessions"))
    assert remaining == set(kept)
    for table in ("steps", "outcomes", "outcome_services", "unmet_needs", "safeguarding_shown",
                  "feedback", "contexts", "events"):  # fmt: skip
        sessions = set(column(engine, f"SELECT DISTINCT session_id FROM {table}"))
        assert sessions == set(kept), table
    assert purge(engine, 24, now) == 0


def test_months_are_calendar_months() -> None:
    moment = dt.datetime(2025, 3, 31, 9, 0, tzinfo=dt.UTC)
    assert months_before(moment, 1) == dt.datetime(2025, 2, 28, 9, 0, tzinfo=dt.UTC)
    assert months_before(moment, 24) == dt.datetime(2023, 3, 31, 9, 0, tzinfo=dt.UTC)
    assert months_before(moment, 15) == dt.datetime(2023, 12, 31, 9, 0, tzinfo=dt.UTC)
