"""The check-in question and crisis by meaning in the resident app, under Pilot (issue 12)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.engine.events import Event, SafeguardingShown
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.screens.conversation import ConversationScreen
from navigator.tui.screens.safeguarding import SafeguardingScreen
from navigator.tui.widgets.own_words import OwnWords
from navigator.tui.widgets.quick_replies import QuickReplies
from tests.support.waiting import until
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(90)

WORRYING = "i keep standing on the edge of the car park roof"


async def _type(app: NavigatorApp, pilot: object, text: str) -> None:
    words = app.screen.query_one(OwnWords)
    words.input.value = text
    words.input.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def _press_for_a_topic(app: NavigatorApp, pilot: object, key: str) -> str | None:
    """Press a topic's number and wait until its first question is up: on a loaded machine
    the model loading in the background can hold the first keypress back for seconds, and
    text typed before the question is there would be read at the welcome screen."""
    await pilot.press(key)  # type: ignore[attr-defined]
    await until(pilot, lambda: app.conversation.state.node_id is not None)  # type: ignore[arg-type]
    assert app.conversation.view.kind == "question"
    return app.conversation.state.node_id


def _labels(app: NavigatorApp) -> list[str]:
    return [choice.label for choice in app.screen.query_one(QuickReplies).choices]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_check_in_asks_then_yes_shows_the_panel(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    events: list[Event],
    size: tuple[int, int],
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await _type(app, pilot, WORRYING)
        assert isinstance(app.screen, ConversationScreen)
        assert "Are you, or is anyone else, in danger right now?" in flat(screen_text(app))
        assert _labels(app) == [
            "Yes, someone is in danger or needs help now",
            "No, nobody is in danger right now",
        ]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SafeguardingScreen)
        assert "999" in flat(screen_text(app))
    assert [e.crisis_kind for e in events if isinstance(e, SafeguardingShown)] == [
        "suicide-self-harm"
    ]


async def test_no_at_the_check_in_carries_on_at_the_question(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, events: list[Event]
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2", "enter")  # a topic (Enter: "2" could start "21"): its first question
        await pilot.pause()
        topic = app.conversation.state.topic_id
        await _type(app, pilot, WORRYING)
        assert "in danger right now?" in flat(screen_text(app))
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert not [e for e in events if isinstance(e, SafeguardingShown)]
        assert "in danger right now?" not in _labels(app)
        assert app.conversation.state.topic_id == topic


async def test_an_indirect_crisis_story_mid_topic_shows_the_panel(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, events: list[Event]
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        node = await _press_for_a_topic(app, pilot, "1")
        await _type(app, pilot, "my husband has crushing pain in his chest going down his arm")
        assert isinstance(app.screen, SafeguardingScreen)
        assert "Call 999 now" in flat(screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert app.conversation.state.node_id == node
    assert [(e.crisis_kind, e.node_id) for e in events if isinstance(e, SafeguardingShown)] == [
        ("medical-emergency", node)
    ]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_smothering_told_at_a_question_mid_topic_asks_then_shows_the_panel(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    events: list[Event],
    size: tuple[int, int],
) -> None:
    """Third round: a disclosure the second held-aside set missed (it scored just under the
    check-in band), typed at a question in the middle of a topic."""
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        node = await _press_for_a_topic(app, pilot, "2")
        await _type(app, pilot, "he put a pillow over my face till i passed out")
        assert "in danger right now?" in flat(screen_text(app))
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SafeguardingScreen)
        assert "999" in flat(screen_text(app))
    assert [(e.crisis_kind, e.node_id) for e in events if isinstance(e, SafeguardingShown)] == [
        ("domestic-abuse", node)
    ]
