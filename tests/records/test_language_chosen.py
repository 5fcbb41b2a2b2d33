"""A language chosen on the first screen is the session's recorded language, on each engine.

Real conversations on the demo knowledge base (Welsh served), real payloads, stored
in SQLite and in PostgreSQL when NAVIGATOR_TEST_POSTGRES_URL is set; the managers'
split by language reads them back.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from navigator.engine.conversation import Conversation
from navigator.kb import KnowledgeBase
from navigator.records.database import connected, upgrade
from navigator.records.payloads import to_payload
from navigator.records.reports.groups.languages import by_language
from navigator.records.reports.presets import Preset
from navigator.records.reports.tables import Filters, Period
from navigator.records.store import SESSIONS, store_payloads

WHEN = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)


def test_the_chosen_language_is_stored_and_split_by(
    demo_kb: KnowledgeBase, database_url: str
) -> None:
    payloads = []
    for language in ["cy"] * 6 + ["en"] * 7:
        conversation = Conversation(demo_kb, channel="kiosk", site="library", clock=lambda: WHEN)
        conversation.choose_language(language)
        conversation.finish()
        payloads += [to_payload(event) for event in conversation.events]
    with connected(database_url, writing=True) as engine:
        upgrade(engine)
        with engine.begin() as connection:
            store_payloads(connection, payloads, WHEN)
        with engine.connect() as connection:
            stored = sorted(connection.execute(select(SESSIONS.c.language)).scalars())
        assert stored == ["cy"] * 6 + ["en"] * 7
        table = by_language(
            engine,
            Filters(Period(dt.date(2026, 3, 2), dt.date(2026, 3, 15))),
            Preset("threshold", 5),
            {"cy": "Welsh", "en": "English"},
        )
    assert table.row_for("Welsh")["sessions"] == 6
    assert table.row_for("All languages")["sessions"] == 13
