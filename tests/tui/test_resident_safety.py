"""Safety on a public screen: crisis contacts that stay reachable, words that do not stay,
and a quick way to leave the page.

All on the demo knowledge base, through the real app at 80x24 and 120x40.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.config import Settings
from navigator.engine.events import Event, SessionEnded
from navigator.kb import KnowledgeBase
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.app import AppConfig, NavigatorApp
from navigator.tui.screens.conversation import ConversationScreen
from navigator.tui.screens.neutral import NeutralScreen
from navigator.tui.screens.qr_code import QrCodeScreen
from navigator.tui.screens.safeguarding import SafeguardingScreen
from navigator.tui.widgets.transcript import Transcript
from tests.support.clock import Clock
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

SIZES = [(80, 24), (120, 40)]
DISCLOSURE = "i dont want to be here anymore"


def typed(words: str) -> list[str]:
    return [*("space" if character == " " else character for character in words), "enter"]


@pytest.mark.parametrize("size", SIZES)
async def test_carry_on_is_in_view_without_scrolling(
    demo_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*typed(DISCLOSURE))
        await pilot.pause()
        assert isinstance(app.screen, SafeguardingScreen)
        assert "I am safe to carry on" in flat(screen_text(app))
        assert app.focused is not None and app.focused.id == "carry-on"
        words = app.screen.panel.words
        await pilot.press("pagedown")
        await pilot.pause()
        assert words.scroll_y > 0  # the keys scroll the contacts
        assert "I am safe to carry on" in flat(screen_text(app))
        assert app.focused is not None and app.focused.id == "carry-on"


@pytest.mark.parametrize("size", SIZES)
async def test_contacts_stay_reachable_and_the_words_do_not_stay(
    demo_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*typed(DISCLOSURE))
        await pilot.pause()
        await pilot.press("enter")  # I am safe to carry on
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        said = " ".join(message.plain for message in app.screen.query_one(Transcript).messages)
        assert "want to be here" not in said
        assert "hidden" in said
        assert "Samaritans 116 123" in said
        assert "F10" in flat(screen_text(app)) and "Help now" in flat(screen_text(app))
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, SafeguardingScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)


async def test_no_help_now_before_any_crisis(demo_app: Callable[..., NavigatorApp]) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Help now" not in flat(screen_text(app))
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)


async def test_crisis_numbers_print_and_show_as_a_code(
    demo_app: Callable[..., NavigatorApp], settings: Settings, tmp_path: Path
) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*typed(DISCLOSURE))
        await pilot.pause()
        await pilot.click("#crisis-print")
        await app.workers.wait_for_complete()
        await pilot.pause()
        page = (tmp_path / "printed.txt").read_text(encoding="utf-8")
        assert "Samaritans" in page and "116 123" in page
        assert "want to be here" not in page
        assert "Sent to the printer" in flat(screen_text(app))
        await pilot.click("#crisis-code")
        await pilot.pause()
        assert isinstance(app.screen, QrCodeScreen)
        assert "116 123" in app.screen.payload


@pytest.mark.parametrize("size", SIZES)
async def test_kiosk_panel_says_ask_staff(
    demo_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = demo_app(kiosk=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*typed(DISCLOSURE))
        await pilot.pause()
        assert "You can also ask a member of staff nearby" in flat(screen_text(app))


@pytest.mark.parametrize("size", SIZES)
async def test_escape_twice_leaves_to_a_neutral_page_and_wipes(
    demo_app: Callable[..., NavigatorApp], events: list[Event], clock: Clock, size: tuple[int, int]
) -> None:
    """Two escapes in a row, on a clock the test holds: Pilot waits for the app to be idle
    between keys, and the indexes built after the first screen (longer with 25 topics) made
    that wait longer than the one-second window on a busy machine. Escapes a second apart are
    tested below (test_escape_once_then_later_again_does_not_leave)."""
    app = demo_app(keys_clock=clock)
    async with app.run_test(size=size) as pilot:
        await pilot.press("6")  # Domestic abuse
        await pilot.pause()
        before = app.conversation
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, NeutralScreen)
        shown = flat(screen_text(app))
        assert "Navigator" not in shown and "abuse" not in shown
        assert app.conversation is not before and before.ended is not None
        assert [e for e in events if isinstance(e, SessionEnded)]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert "Domestic abuse" not in flat(screen_text(app)).split("Choose a number")[0]


async def test_escape_once_then_later_again_does_not_leave(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, clock: Clock
) -> None:
    app = make_app(knowledge=demo_kb, keys_clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.conversation.ended is None
        clock.advance(5)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.conversation.ended is None


@pytest.mark.parametrize("size", SIZES)
async def test_domestic_abuse_screens_show_leave_quickly(
    demo_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "Leave this page quickly" not in flat(screen_text(app))
        await pilot.press("6")
        await pilot.pause()
        assert "Leave this page quickly" in flat(screen_text(app))
        await pilot.click("#quick-exit")
        await pilot.pause()
        assert isinstance(app.screen, NeutralScreen)


@pytest.mark.parametrize("size", SIZES)
async def test_crisis_panel_leave_quickly(
    demo_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*typed(DISCLOSURE))
        await pilot.pause()
        await pilot.click("#quick-exit")
        await pilot.pause()
        assert isinstance(app.screen, NeutralScreen)
        assert "999" not in flat(screen_text(app))


async def test_kiosk_quick_exit_clears_to_the_welcome(
    demo_app: Callable[..., NavigatorApp],
) -> None:
    app = demo_app(kiosk=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*typed(DISCLOSURE))
        await pilot.pause()
        before = app.conversation
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.conversation is not before
        assert "Welcome to Navigator" in flat(screen_text(app))
        assert "hidden" not in flat(screen_text(app))


async def test_advocates_are_not_offered_the_quick_exit(
    app_config: Callable[..., AppConfig], tmp_path: Path
) -> None:
    """Leaving quickly wipes without asking: an advocate's notes must not go that way."""
    app = AdvocateApp(app_config(channel="advocate"), home=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*typed("i want to end my life"))
        await pilot.pause()
        assert isinstance(app.screen, SafeguardingScreen)
        assert "I am safe to carry on" in flat(screen_text(app))
        assert "Leave this page quickly" not in flat(screen_text(app))
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, NeutralScreen)
