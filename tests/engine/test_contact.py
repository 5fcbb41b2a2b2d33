"""The shared contact builder (`navigator.engine.contact`) on the demo knowledge base.

Services are assessed by the real engine from the shipped YAML, and worded
with the shipped messages, so these are the lines residents read.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from msgspec.structs import replace

from navigator.engine.contact import (
    ContactWords,
    contact_lines,
    qr_text,
    status_line,
    takeaway_block,
)
from navigator.engine.conversation import Conversation
from navigator.engine.eligibility import assess
from navigator.engine.render import service_view
from navigator.engine.views import ServiceView
from navigator.kb import KnowledgeBase
from navigator.plain.chat import plain_words

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def conversation(demo_kb: KnowledgeBase) -> Conversation:
    return Conversation(demo_kb, channel="plain", site="test")


@pytest.fixture(scope="module")
def words(conversation: Conversation) -> ContactWords:
    """Every line on, with the plain front end's words for contact and the app's for status."""
    return replace(
        plain_words(conversation.wording),
        open="app_card_open",
        waiting="app_card_waiting",
        waiting_no_time="app_card_waiting_no_time",
        closed="app_card_closed",
    )


def view_of(conversation: Conversation, service_id: str, **changes: object) -> ServiceView:
    """The demo service as the engine shows it, with any field of its YAML changed first."""
    service = conversation.knowledge.services[service_id].model_copy(update=changes)
    return service_view(conversation, assess(service, conversation.facts, conversation.wording))


def test_full_lines_come_in_one_order_with_each_phone_and_what_it_is_for(
    conversation: Conversation, words: ContactWords
) -> None:
    housing = view_of(conversation, "housing-options")

    assert contact_lines(housing, words) == [
        "Phone: 03069 990310 (Monday to Friday, 9am to 5pm)",
        "Phone: 03069 990199 (Out of hours, evenings, weekends and bank holidays)",
        "Website: https://www.northbrook.gov.uk/homeless",
        "Email: housingoptions@northbrook.gov.uk",
        "Address: Northbrook Customer Centre, 1 Market Square, Northbrook NB1 1AA",
        "How to start: Phone and say you are homeless or may lose your home. "
        "Have any letters from your landlord ready.",
        "Open: Monday to Friday, 9am to 5pm. Emergency line at all other times.",
        "Cost: Free",
    ]


def test_brief_lines_keep_only_how_to_get_in_touch(
    conversation: Conversation, words: ContactWords
) -> None:
    housing = view_of(conversation, "housing-options")

    assert contact_lines(housing, words, brief=True) == [
        "Phone: 03069 990310",
        "Phone: 03069 990199",
        "Website: https://www.northbrook.gov.uk/homeless",
        "Email: housingoptions@northbrook.gov.uk",
    ]


def test_a_phone_with_no_purpose_and_a_key_left_out_give_no_empty_words(
    conversation: Conversation, words: ContactWords
) -> None:
    carers = view_of(conversation, "carers-centre")
    card_like = replace(words, hours=None, cost=None)

    lines = contact_lines(carers, card_like)

    assert lines[0] == "Phone: 01632 960200"
    assert not any(line.startswith(("Open:", "Cost:")) for line in lines)
    assert "Open: Monday to Friday, 9am to 5pm. Thursday until 8pm." in contact_lines(carers, words)


def test_a_waiting_list_is_said_with_its_time_and_carried_in_the_code(
    conversation: Conversation, words: ContactWords
) -> None:
    money = view_of(conversation, "money-advice-centre")

    assert money.fit == "waiting_list"
    assert status_line(money, words) == "There is a waiting list of about 3 weeks."
    assert takeaway_block(money, words) == (
        "Northbrook Money Advice\n"
        "Phone: 01632 960 881\n"
        "Website: https://www.northbrookmoneyadvice.org.uk\n"
        "Email: help@northbrookmoneyadvice.org.uk\n"
        "There is a waiting list of about 3 weeks."
    )


def test_a_closed_service_is_said_as_closed_everywhere_it_is_carried(
    conversation: Conversation, words: ContactWords
) -> None:
    closed = view_of(conversation, "carers-centre", status="closed")

    assert closed.fit == "closed"
    assert status_line(closed, words) == "This service is not taking new people right now."
    assert takeaway_block(closed, words).endswith(
        "Email: hello@northbrookcarers.org.uk\nThis service is not taking new people right now."
    )


def test_an_open_service_says_open_but_the_code_leaves_it_out(
    conversation: Conversation, words: ContactWords
) -> None:
    carers = view_of(conversation, "carers-centre")

    assert status_line(carers, words) == "Taking new people."
    assert "Taking new people" not in takeaway_block(carers, words)
    assert status_line(carers, replace(words, open=None)) == ""


def test_without_the_engines_note_the_front_ends_own_words_say_the_status(
    conversation: Conversation, words: ContactWords
) -> None:
    money = replace(view_of(conversation, "money-advice-centre"), status_note="")
    closed = replace(view_of(conversation, "carers-centre", status="closed"), status_note="")

    assert status_line(money, words) == "Waiting list: about 3 weeks."
    assert status_line(replace(money, wait_weeks=None), words) == (
        "Waiting list: there may be a wait."
    )
    assert status_line(closed, words) == "Closed: not taking new people right now."
    assert status_line(closed, replace(words, closed=None)) == ""


def test_the_code_keeps_whole_blocks_in_order_within_its_limit(
    conversation: Conversation, words: ContactWords
) -> None:
    housing = view_of(conversation, "housing-options")
    money = view_of(conversation, "money-advice-centre")
    carers = view_of(conversation, "carers-centre")
    long_name = replace(carers, name="Carers " * 40)

    text = qr_text([housing, long_name, money], words, before=["Title"], after=["Steps"], limit=400)

    blocks = text.split("\n\n")
    assert blocks == [
        "Title",
        takeaway_block(housing, words),
        takeaway_block(money, words),
        "Steps",
    ], "the block too long to fit is left out, the ones after it still go in"
    assert len(text) <= 400
    one_short = qr_text(
        [housing, long_name, money], words, before=["Title"], after=["Steps"], limit=len(text) - 1
    )
    assert one_short == "\n\n".join(blocks[:3]), "one character short: the last block goes"


def test_an_empty_code_says_the_given_words(words: ContactWords) -> None:
    assert qr_text([], words, empty="Services that may help you") == "Services that may help you"


def test_every_front_end_shows_the_same_lines_in_the_same_order(
    demo_kb: KnowledgeBase, conversation: Conversation
) -> None:
    """The card, the printed page, plain chat and the advocate's summary all use the builder."""
    import io

    from navigator.engine.summary import SessionSummary
    from navigator.plain.chat import PlainChat
    from navigator.tui.takeaway import printable_summary
    from navigator.tui.text import AppText
    from navigator.tui.widgets.service_card import card_text

    money = view_of(conversation, "money-advice-centre")
    text = AppText(demo_kb)
    plain = io.StringIO()
    PlainChat(conversation, plain).show_service(money)
    summary = SessionSummary((), dt.date(2026, 3, 3), conversation.wording, found=(money,))
    shown = {
        "card": card_text(money, text).plain,
        "print": printable_summary([money], text),
        "plain": plain.getvalue(),
        "summary": summary.plain_text(),
    }

    for name, page in shown.items():
        flat = " ".join(page.split())
        places = [
            flat.find(piece)
            for piece in ("01632 960 881", "www.northbrookmoney", "help@", "Church Lane")
        ]
        assert -1 not in places and places == sorted(places), name
        assert re.search(r"waiting list", flat, re.IGNORECASE), name
