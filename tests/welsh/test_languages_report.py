"""Managers' figures by language: real Welsh and English sessions stored in real SQLite.

A language with few sessions is hidden, and so is one more row, so the hidden
one cannot be worked out from the total.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from navigator.engine.conversation import Conversation
from navigator.kb import KnowledgeBase
from navigator.records.database import connected, upgrade
from navigator.records.payloads import to_payload
from navigator.records.reports.groups.languages import by_language
from navigator.records.reports.presets import Preset
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Filters, Period
from navigator.records.store import store_payloads

WHEN = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
FILTERS = Filters(Period(dt.date(2026, 3, 2), dt.date(2026, 3, 15)))


def sessions(knowledge: KnowledgeBase, language: str, count: int) -> list[dict[str, object]]:
    payloads = []
    for _ in range(count):
        conversation = Conversation(knowledge, channel="kiosk", site="library", clock=lambda: WHEN)
        if language != "en":
            conversation.choose_language(language)  # chosen on the first screen
        conversation.finish()
        payloads += [to_payload(event) for event in conversation.events]
    return payloads


def test_sessions_by_language_with_small_numbers_hidden(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    with connected(url, writing=True) as engine:
        upgrade(engine)
        with engine.begin() as connection:
            store_payloads(
                connection, sessions(demo_kb, "en", 12) + sessions(demo_kb, "cy", 9), WHEN
            )
        table = by_language(
            engine, FILTERS, Preset("threshold", 5), {"cy": "Welsh", "en": "English"}
        )
        assert table.row_for("Welsh")["sessions"] == 9
        assert table.row_for("English")["sessions"] == 12
        assert table.row_for("All languages")["sessions"] == 21

        # With a threshold of 10, nine Welsh sessions are too few to show.
        small = by_language(engine, FILTERS, Preset("threshold", 10), {"cy": "Welsh"})
        welsh = small.row_for("Welsh")["sessions"]
        english = small.row_for("en")["sessions"]
        assert isinstance(welsh, Hidden) and str(welsh) == "<10"
        # English alone beside the total would give Welsh away: it is hidden too.
        assert isinstance(english, Hidden) and not english.primary
        assert small.row_for("All languages")["sessions"] == 21
