"""Kiosk mode: the idle guard (with the clock moved by hand), the staff PIN, and the lock-down."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.engine.events import Event, SessionEnded
from navigator.tui.app import STAFF_EXIT_KEY, KioskApp, NavigatorApp
from navigator.tui.screens.conversation import ConversationScreen
from navigator.tui.screens.idle_warning import IdleWarningScreen
from navigator.tui.screens.staff_exit import StaffExitScreen
from navigator.tui.widgets.own_words import OwnWords
from tests.tui.conftest import STAFF_PIN, Clock
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

SIZE = (100, 45)


def ended(events: list[Event]) -> list[str]:
    return [event.how for event in events if isinstance(event, SessionEnded)]


def still_running(app: NavigatorApp) -> bool:
    return not app._exit and app.return_code is None


async def test_idle_warning_counts_down_then_wipes(
    make_app: Callable[..., NavigatorApp], clock: Clock, events: list[Event]
) -> None:
    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1")
        await pilot.pause()
        first = app.screen
        app.sweep_idle(clock.advance(89))
        await pilot.pause()
        assert app.screen is first  # 89 s: nothing yet
        app.sweep_idle(clock.advance(2))
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        shown = flat(screen_text(app))
        assert "Do you need more time?" in shown
        assert "this screen will clear in 29 seconds" in shown
        app.sweep_idle(clock.advance(10))
        await pilot.pause()
        assert "clear in 19 seconds" in flat(screen_text(app))
        app.sweep_idle(clock.advance(20))
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen) and app.screen is not first
        shown = flat(screen_text(app))
        assert "The last session was cleared" in shown
        assert "Advice Centre" not in shown and "You:" not in shown
        assert "Welcome to Navigator" in shown
    assert ended(events)[0] == "timed_out"


async def test_one_key_gives_more_time_as_often_as_needed(
    make_app: Callable[..., NavigatorApp], clock: Clock, events: list[Event]
) -> None:
    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        conversation = app.screen
        for _ in range(12):
            app.sweep_idle(clock.advance(100))
            await pilot.pause()
            assert isinstance(app.screen, IdleWarningScreen)
            await pilot.press("x")
            await pilot.pause()
            assert app.screen is conversation
            app.sweep_idle(clock.now)
            await pilot.pause()
            assert app.screen is conversation
        assert "How old are you?" in flat(screen_text(app))
        words = conversation.query_one(OwnWords)
        assert words.input.value == ""  # the key that asked for time typed nothing
    assert ended(events)[:1] != ["timed_out"]


async def test_touching_the_screen_gives_more_time(
    make_app: Callable[..., NavigatorApp], clock: Clock
) -> None:
    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        app.sweep_idle(clock.advance(95))
        await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        await pilot.click("#more-time")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)


async def test_an_unused_kiosk_does_not_time_out(
    make_app: Callable[..., NavigatorApp], clock: Clock, events: list[Event]
) -> None:
    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.screen
        app.sweep_idle(clock.advance(10_000))
        await pilot.pause()
        assert app.screen is first
    assert "timed_out" not in ended(events)


async def test_staff_leave_with_the_key_and_the_right_pin(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app(kiosk=True)
    assert isinstance(app, KioskApp)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.press(STAFF_EXIT_KEY)
        await pilot.pause()
        assert isinstance(app.screen, StaffExitScreen)
        assert "Enter the staff PIN" in flat(screen_text(app))
        await pilot.press(*STAFF_PIN)
        assert STAFF_PIN not in flat(screen_text(app))  # the PIN is hidden as it is typed
        await pilot.press("enter")
        await pilot.pause()
    assert app.staff_exited
    assert app.return_code == 0
    assert ended(events) == ["abandoned"]


async def test_a_wrong_pin_keeps_the_kiosk_running(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app(kiosk=True)
    assert isinstance(app, KioskApp)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(STAFF_EXIT_KEY)
        await pilot.pause()
        await pilot.press(*"111222", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StaffExitScreen)
        assert "That PIN is not right." in flat(screen_text(app))
        await pilot.press(*"999888", "enter", *"123123", "enter")
        await pilot.pause()
        assert "Wait 2 seconds" in flat(screen_text(app))  # three wrong: a wait before the next
        assert still_running(app)
        assert not app.staff_exited
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press(STAFF_EXIT_KEY, "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert still_running(app)


LOCKDOWN_KEYS = [
    "ctrl+c",
    "ctrl+q",
    "ctrl+z",
    "ctrl+backslash",
    "ctrl+d",
    "ctrl+p",
    "ctrl+s",
    "f12",
]


@pytest.mark.parametrize("key", LOCKDOWN_KEYS)
async def test_lockdown_keys_do_nothing(
    make_app: Callable[..., NavigatorApp],
    key: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        before = flat(screen_text(app))
        screen = app.screen
        await pilot.press(key)
        await pilot.pause()
        assert still_running(app)
        assert app.screen is screen
        assert flat(screen_text(app)) == before
    assert not list(tmp_path.glob("*.svg"))


@pytest.mark.parametrize(
    "action", ["quit", "screenshot", "command_palette", "suspend_process", "help_quit"]
)
async def test_lockdown_actions_are_refused_however_asked(
    make_app: Callable[..., NavigatorApp],
    action: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.check_action(action, ()) is False
        await app.run_action(action)
        await pilot.pause()
        assert still_running(app)
        assert isinstance(app.screen, ConversationScreen)
    assert not list(tmp_path.rglob("*.svg"))


async def test_kiosk_keeps_typed_words_off_the_clipboard(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"my phone is 07700900123")
        words = app.screen.query_one(OwnWords)
        assert words.input.check_action("copy", ()) is False
        assert words.input.check_action("cut", ()) is False
        await pilot.press("ctrl+a", "ctrl+c", "ctrl+x")
        assert app.clipboard == ""
        assert words.input.value == "my phone is 07700900123"


async def test_resident_app_quits_with_ctrl_q(make_app: Callable[..., NavigatorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app._exit


async def test_the_next_person_gets_the_usual_colours(
    make_app: Callable[..., NavigatorApp], clock: Clock
) -> None:
    from navigator.tui.theme import CALM, HIGH_CONTRAST

    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        assert app.theme == CALM
        app.sweep_idle(clock.advance(500))
        await pilot.pause()
        app.sweep_idle(clock.advance(500))
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST


async def test_nothing_reaches_the_clipboard_at_a_kiosk(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app(kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.check_action("copy_text", ()) is False
        await pilot.press(STAFF_EXIT_KEY)
        await pilot.pause()
        pin_box = app.screen.query_one("#staff-pin")
        assert pin_box.check_action("copy", ()) is False
        await pilot.press(*"4802", "ctrl+a", "ctrl+c")
        assert app.clipboard == ""
