"""The results as a resident first sees them: from the top, scrollable from the answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.engine.events import Event, PersonAsked
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.widgets.quick_replies import QuickReplies
from navigator.tui.widgets.transcript import Transcript
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
async def test_results_open_at_their_heading_with_the_first_card(
    make_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "2", "1")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "These services may help you" in shown
        assert "Testborough Home Help" in shown
        assert "Did this help?" in shown
        assert isinstance(app.focused, QuickReplies)


@pytest.mark.parametrize("size", SIZES)
async def test_page_keys_scroll_the_results_from_the_answers(
    make_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "2", "1")
        await pilot.pause()
        transcript = app.screen.query_one(Transcript)
        top = transcript.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert transcript.scroll_y > top
        assert "Thursday Lunch Club" in flat(screen_text(app))
        down = transcript.scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < down
        assert isinstance(app.focused, QuickReplies)  # the answers keep the keyboard


@pytest.mark.parametrize("size", SIZES)
async def test_nothing_matched_offers_general_help_and_a_person(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    events: list[Event],
    size: tuple[int, int],
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        words = "my neighbours dog barks all night"
        await pilot.press(*("space" if c == " " else c for c in words), "enter")
        await pilot.pause()
        replies = app.screen.query_one(QuickReplies)
        assert replies.choices[-1].label == "Talk to a person"
        assert replies.choices[-1].number == 17
        said = " ".join(m.plain for m in app.screen.query_one(Transcript).messages)
        assert "Citizens Advice" in said and "01632 960 100" in said
        await pilot.press("1", "7")
        await pilot.pause()
        assert [e for e in events if isinstance(e, PersonAsked)]
        assert "Talk to a person" in flat(screen_text(app))
