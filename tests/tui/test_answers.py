"""Answers in people's own words in the resident app, on the demo borough, at 80x24 and 120x40.

Words typed at a question that are not an answer ask the question again with
its options ("Carry on" first) and never drop the person to the topic list;
"she is 82" at the age question answers it; a first message fills what it says.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from navigator.engine.events import AnswerGiven, Event
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.widgets.own_words import OwnWords
from navigator.tui.widgets.quick_replies import QuickReplies
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

SIZES = [(80, 24), (120, 40)]


async def type_words(app: NavigatorApp, pilot: Pilot[None], text: str) -> None:
    words = app.screen.query_one(OwnWords)
    words.input.focus()
    words.input.value = text
    await pilot.press("enter")
    await pilot.pause()


def labels(app: NavigatorApp) -> list[str]:
    return [choice.label for choice in app.screen.query_one(QuickReplies).choices]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_words_not_understood_ask_the_question_again_in_the_topic(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("1", "enter", "1", "2", "3", "1")  # adults, home, someone else, 65+
        await pilot.pause()
        assert "What is hardest at the moment?" in flat(screen_text(app))

        await type_words(app, pilot, "she keeps falling over")

        shown = flat(screen_text(app))
        assert "Sorry, I did not catch that." in shown
        assert "Care and support for adults" in shown, "still in the topic"
        assert labels(app) == [
            "Carry on",
            "Several everyday tasks",
            "One thing, like the bath or the stairs",
            "Memory, confusion or getting lost",
            "Getting help during the night",
            "I'm not sure",
        ]
        assert "Money, benefits and debt" not in labels(app)

        await pilot.press("1")
        await pilot.pause()
        assert labels(app)[0] == "Several everyday tasks", "Carry on returns to the question"


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_she_is_82_at_the_age_question_moves_on(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    events: list[Event],
    size: tuple[int, int],
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("1", "enter", "1", "2")  # adults, help at home, someone else
        await pilot.pause()
        assert "How old is the person who needs help?" in flat(screen_text(app))

        await type_words(app, pilot, "she is 82")

        assert "Does the person who needs help live in Northbrook?" in flat(screen_text(app))
    answers = [e for e in events if isinstance(e, AnswerGiven)]
    assert (answers[-1].node_id, answers[-1].option_id, answers[-1].via) == (
        "asc-age",
        "65-plus",
        "own_words",
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_the_first_message_fills_answers_and_f3_can_change_them(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await type_words(app, pilot, "my mum is 82 and keeps falling")
        await pilot.press("1")  # help at home
        await pilot.pause()

        shown = flat(screen_text(app))
        assert "Does the person who needs help live in Northbrook?" in shown
        assert "From what you told me" in shown and "press F3" in shown

        await pilot.press("f3")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "Who needs the help? - Someone I look after or worry about" in shown
        assert "How old is the person who needs help? - 65 or over" in shown
