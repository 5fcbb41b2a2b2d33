"""Choosing a language on the first screen: offered actively, held for the session, recorded.

Real conversations on the demo knowledge base (knowledge/, where Welsh is
`served: true`), real payloads stored in a real SQLite file.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from sqlalchemy import select

from navigator.engine.conversation import Conversation
from navigator.engine.events import LanguageChosen, SessionStarted
from navigator.engine.views import WelcomeView
from navigator.kb import KnowledgeBase
from navigator.plain.chat import PlainChat
from navigator.records.database import connected, upgrade
from navigator.records.models import Session
from navigator.records.payloads import to_payload
from navigator.records.store import store_payloads

WHEN = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)


def test_the_first_screen_offers_every_language_in_the_councils_order(
    demo_kb: KnowledgeBase,
) -> None:
    english_first = Conversation(demo_kb, channel="kiosk", site="library").view
    welsh_first = Conversation(
        demo_kb, channel="kiosk", site="library", language="cy", language_order=("cy", "en")
    ).view
    assert isinstance(english_first, WelcomeView) and isinstance(welsh_first, WelcomeView)
    assert [(c.own_name, c.current) for c in english_first.languages] == [
        ("English", True),
        ("Cymraeg", False),
    ]
    assert [(c.own_name, c.current) for c in welsh_first.languages] == [
        ("Cymraeg", True),
        ("English", False),
    ]


def test_a_chosen_language_holds_for_the_session_and_is_recorded(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    conversation = Conversation(demo_kb, channel="kiosk", site="library", clock=lambda: WHEN)
    english = conversation.view.title
    conversation.choose_language("cy")
    assert conversation.language == "cy"
    assert conversation.view.title == demo_kb.message("engine_welcome_title", "cy") != english
    conversation.choose_language("xx")  # not served: nothing changes
    assert conversation.language == "cy"
    conversation.finish()
    kinds = [type(event) for event in conversation.events]
    assert kinds[:2] == [SessionStarted, LanguageChosen]

    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    with connected(url, writing=True) as engine:
        upgrade(engine)
        with engine.begin() as connection:
            payloads = [to_payload(event) for event in conversation.events]
            store_payloads(connection, payloads, WHEN)
        with engine.connect() as connection:
            languages = connection.execute(select(Session.__table__.c.language)).scalars().all()  # type: ignore[attr-defined]
    assert languages == ["cy"]


def test_typing_a_languages_own_name_chooses_it(demo_kb: KnowledgeBase) -> None:
    conversation = Conversation(demo_kb, channel="plain", site="library")
    conversation.say("Cymraeg")
    assert conversation.language == "cy"
    conversation.say("English")
    assert conversation.language == "en"


def test_plain_chat_offers_the_languages_and_changes_its_own_words(
    demo_kb: KnowledgeBase,
) -> None:
    conversation = Conversation(demo_kb, channel="plain", site="library")
    output = io.StringIO()
    PlainChat(conversation, output).run(["Cymraeg\n"])
    shown = output.getvalue()
    assert "English / Cymraeg" in shown.split("1.")[0]  # before the topics: an active offer
    welsh_title = demo_kb.message("engine_welcome_title", "cy")
    assert shown.count(welsh_title) == 1
    assert shown.rstrip().endswith(demo_kb.message("plain_goodbye", "cy"))
