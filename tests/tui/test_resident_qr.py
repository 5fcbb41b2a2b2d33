"""Taking details away: a QR code that is always whole on screen and can be read, and a
printed page with cost and how to start.

The code is checked as a phone would see it: the cells on screen where the
code is drawn are turned into an image and read by a real QR decoder
(zxing-cpp), at 80x24 and 120x40.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from navigator.config import Settings
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.screens.answers import AnswersScreen
from navigator.tui.screens.qr_code import QrCodeScreen
from navigator.tui.widgets.quick_replies import QuickReplies
from navigator.tui.widgets.takeaway import TakeAway
from tests.support.waiting import until
from tests.tui.conftest import RunningApp
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

SIZES = [(80, 24), (120, 40)]
SCALE = 8
QUIET = 4


def code_on_screen(app: NavigatorApp) -> str:
    """Read the QR code from the cells shown on screen, as a camera would."""
    region = app.screen.query_one("#qr-code").region
    width, height = app.size
    assert region.right <= width and region.bottom <= height, "the code is cut off"
    lines = screen_text(app).splitlines()
    cells = [line[region.x : region.right] for line in lines[region.y : region.bottom]]
    modules: list[list[bool]] = []
    for row in cells:
        modules.append([character in "█▀" for character in row])
        modules.append([character in "█▄" for character in row])
    across = max(len(row) for row in modules) + 2 * QUIET
    down = len(modules) + 2 * QUIET
    image = Image.new("L", (across * SCALE, down * SCALE), 255)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                left, top = (x + QUIET) * SCALE, (y + QUIET) * SCALE
                image.paste(0, (left, top, left + SCALE, top + SCALE))
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code could be read from the screen"
    return str(found[0].text)


@pytest.mark.parametrize("size", SIZES)
async def test_a_code_per_service_is_whole_and_readable(
    at_care_results: Callable[..., RunningApp], size: tuple[int, int]
) -> None:
    async with at_care_results(size) as (app, pilot):
        app.screen.query_one(TakeAway).show_code()
        await pilot.pause()
        assert isinstance(app.screen, AnswersScreen)  # which service? one code each
        assert "Which service would you like a code for?" in flat(screen_text(app))
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QrCodeScreen)
        read = code_on_screen(app)
        assert read == screen.payload
        assert read.startswith("Testborough Home Help")
        assert "01632 960 001" in read
        assert "Close" in flat(screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, QrCodeScreen)


@pytest.mark.parametrize("size", SIZES)
async def test_the_crisis_code_is_whole_and_readable(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        words = "i dont want to be here anymore"
        await pilot.press(*("space" if c == " " else c for c in words), "enter")
        await pilot.pause()
        await pilot.click("#crisis-code")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QrCodeScreen)
        read = code_on_screen(app)
        assert read == screen.payload and "999" in read
        assert "Close" in flat(screen_text(app))


async def test_the_code_is_drawn_again_to_fit_a_smaller_terminal(
    at_care_results: Callable[..., RunningApp],
) -> None:
    async with at_care_results((120, 40)) as (app, pilot):
        app.screen.query_one(TakeAway).show_code()
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert code_on_screen(app) == app.screen.payload  # type: ignore[attr-defined]


async def test_the_printed_page_has_cost_and_how_to_start(
    at_care_results: Callable[..., RunningApp], tmp_path: Path
) -> None:
    async with at_care_results((120, 40)) as (app, pilot):
        app.screen.query_one(TakeAway).print_summary()
        await app.workers.wait_for_complete()
        await pilot.pause()
    printed = (tmp_path / "printed.txt").read_text(encoding="utf-8")
    assert "How to start: Phone and ask for a care assessment." in printed
    assert "Cost: Free for most people" in printed
    assert "65 or over" not in printed


def answers_shown(app: NavigatorApp) -> bool:
    """A list of answers on a pop-up, drawn (its widgets are composed after it is pushed)."""
    return isinstance(app.screen, AnswersScreen) and bool(app.screen.query(QuickReplies))


@pytest.mark.parametrize("kiosk", [False, True])
async def test_a_places_slower_second_digit_applies_to_every_list_of_answers(
    at_care_results: Callable[..., RunningApp], settings: Settings, kiosk: bool
) -> None:
    """The lists on pop-ups (which service's code, change an answer) wait as long for a
    second digit as the conversation's answers: a slow typist is slow everywhere."""
    slow = dataclasses.replace(settings, second_digit_seconds=25.0)
    async with at_care_results((80, 24), settings=slow, kiosk=kiosk) as (app, pilot):
        assert app.screen.query_one(QuickReplies).second_digit_seconds == 25.0
        app.screen.query_one(TakeAway).show_code()
        await until(pilot, lambda: answers_shown(app))
        assert app.screen.query_one(QuickReplies).second_digit_seconds == 25.0
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AnswersScreen))
        await pilot.press("f3")
        await until(pilot, lambda: answers_shown(app))
        assert "How old are you?" in flat(screen_text(app))
        assert app.screen.query_one(QuickReplies).second_digit_seconds == 25.0
