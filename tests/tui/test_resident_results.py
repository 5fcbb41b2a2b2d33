"""The results as a resident first sees them: from the top, scrollable from the answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

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
