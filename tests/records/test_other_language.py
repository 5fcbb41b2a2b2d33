"""Messages in another language are stored as unmet need "Needed another language".

Real conversations on the test borough (with the real knowledge/messages/,
languages.yaml included) produce the events; they are stored as the writer
stores them in a real database (SQLite, and PostgreSQL when
NAVIGATOR_TEST_POSTGRES_URL is set), and the managers' review counts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from navigator.engine.conversation import Conversation
from navigator.kb import KnowledgeBase
from navigator.records.database import connected, upgrade
from navigator.records.models import UnmetNeedRecord
from navigator.records.payloads import to_payload
from navigator.records.reports.review import Review
from navigator.records.reports.tables import Filters, Period
from navigator.records.store import store_payloads
from tests.support.reports import shown

WHEN = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)
FILTERS = Filters(Period(dt.date(2025, 3, 3), dt.date(2025, 3, 16)))
MESSAGES = {
    "pl": ["Potrzebuję pomocy z czynszem", "nie mam pracy i nie mam co jeść"],
    "ur": ["میرے پاس کرایہ دینے کے پیسے نہیں ہیں"],
}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        yield engine


def store_sessions(knowledge: KnowledgeBase, engine: Engine, sessions: int) -> None:
    """`sessions` sessions per language, each writing every message of that language."""
    payloads = []
    for texts in MESSAGES.values():
        for _ in range(sessions):
            conversation = Conversation(
                knowledge, channel="kiosk", site="central-library", clock=lambda: WHEN
            )
            for text in texts:
                conversation.say(text)
            conversation.finish()
            payloads += [to_payload(event) for event in conversation.events]
    with engine.begin() as connection:
        store_payloads(connection, payloads, WHEN)


def test_the_language_is_stored_as_the_reason_once_per_session(
    test_kb: KnowledgeBase, engine: Engine
) -> None:
    store_sessions(test_kb, engine, sessions=2)

    unmet = UnmetNeedRecord.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.execute(
            select(unmet.c.reason, unmet.c.need_id, unmet.c.text, unmet.c.recorded_by)
        ).all()

    # Two Polish messages in one session are one need; what was typed is never kept.
    assert sorted(tuple(row) for row in rows) == [
        ("other_language", None, "pl", "engine"),
        ("other_language", None, "pl", "engine"),
        ("other_language", None, "ur", "engine"),
        ("other_language", None, "ur", "engine"),
    ]


def test_managers_see_the_demand_by_reason(test_kb: KnowledgeBase, engine: Engine) -> None:
    store_sessions(test_kb, engine, sessions=3)
    review = Review(engine=engine, knowledge=test_kb, threshold=5)

    rows = shown(review.report(FILTERS).table("unmet_by_reason"))

    assert [row[:2] for row in rows if row[0] == "Needed another language"] == [
        ["Needed another language", "6"]
    ]
