"""Asked before anything is lost: Start again, Finish and leaving the advocate tool.

At a kiosk the question answers itself "No" when left (on the app's clock);
outside a kiosk the bar shows how to quit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.engine.events import Event, SessionEnded
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.app import AppConfig, NavigatorApp
from navigator.tui.screens.confirm import ConfirmScreen
from navigator.tui.screens.conversation import ConversationScreen
from tests.support.clock import Clock
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
async def test_start_again_asks_first(
    make_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        shown = flat(screen_text(app))
        assert "Start again? Your answers will be cleared." in shown
        assert "Yes" in shown and "No" in shown
        await pilot.press("enter")  # the keyboard starts on "No"
        await pilot.pause()
        assert "How old are you?" in flat(screen_text(app))
        await pilot.press("f4", "y")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert "How old are you?" not in flat(screen_text(app))


@pytest.mark.parametrize("size", SIZES)
async def test_finish_asks_first(
    make_app: Callable[..., NavigatorApp], events: list[Event], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("2", "1", "f6")
        await pilot.pause()
        assert "Finish now? Your answers will be cleared." in flat(screen_text(app))
        assert not [e for e in events if isinstance(e, SessionEnded)]
        await pilot.press("y")
        await pilot.pause()
        assert [e.how for e in events if isinstance(e, SessionEnded)] == ["finished"]


async def test_nothing_said_yet_needs_no_question(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)


async def test_kiosk_question_times_out_to_no(
    make_app: Callable[..., NavigatorApp], clock: Clock
) -> None:
    app = make_app(kiosk=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        app.sweep_idle(clock.advance(10))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        app.sweep_idle(clock.advance(25))
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert "How old are you?" in flat(screen_text(app))


@pytest.mark.parametrize("size", SIZES)
async def test_the_bar_shows_how_to_quit_outside_a_kiosk(
    make_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "Ctrl+Q Quit" in flat(screen_text(app))
    kiosk = make_app(kiosk=True)
    async with kiosk.run_test(size=size) as pilot:
        await pilot.pause()
        assert "Quit" not in flat(screen_text(kiosk))


async def test_leaving_the_advocate_tool_asks_first(
    app_config: Callable[..., AppConfig], tmp_path: Path
) -> None:
    app = AdvocateApp(app_config(channel="advocate"), home=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "notes will be cleared" in flat(screen_text(app))
        await pilot.press("n")
        await pilot.pause()
        assert app.return_code is None and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert app.return_code == 0
