"""Keys typed ahead of a choice, in the answers widget itself, in a small host app.

The resident screen's own journeys are in test_resident_keys.py; here a host that
answers a choice with a pop-up, which no demo choice does, shows that keys typed
ahead are dropped there: never pressed on the pop-up, nor on the list under it.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from navigator.engine.views import Choice
from navigator.tui.widgets.quick_replies import QuickReplies
from tests.support.waiting import until

pytestmark = pytest.mark.timeout(60)

SIZES = [(80, 24), (120, 40)]

FIRST = (Choice(1, "a", "First"), Choice(2, "b", "Second"))
NEXT = (Choice(1, "c", "Third"), Choice(2, "d", "Fourth"))


class PopUp(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Static("Are you sure?")


class Host(App[None]):
    """Answers "a" with the next list, "b" with a pop-up; records every choice."""

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield QuickReplies(FIRST, second_digit_seconds=30)

    def on_mount(self) -> None:
        self.query_one(QuickReplies).focus_first()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            self.query_one(QuickReplies).press_digit(int(event.character))

    def on_quick_replies_chosen(self, message: QuickReplies.Chosen) -> None:
        replies = self.query_one(QuickReplies)
        self.chosen.append(message.choice.key)
        if message.choice.key == "a":
            replies.show(NEXT, focus=True)
        elif message.choice.key == "b":
            self.push_screen(PopUp())
        replies.settle()


def burst(app: App[None], *keys: tuple[str, str | None]) -> None:
    driver = app._driver
    assert driver is not None
    for key, character in keys:
        event = events.Key(key, character)
        event.set_sender(app)
        driver.send_message(event)


async def settled(pilot: object) -> None:
    for _ in range(3):
        await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", SIZES)
async def test_keys_typed_ahead_are_pressed_on_the_next_list_in_order(
    size: tuple[int, int],
) -> None:
    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        burst(app, ("1", "1"), ("2", "2"))
        await until(pilot, lambda: len(app.chosen) == 2)
        assert app.chosen == ["a", "d"]


@pytest.mark.parametrize("size", SIZES)
async def test_keys_typed_ahead_of_a_pop_up_are_dropped(size: tuple[int, int]) -> None:
    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        burst(app, ("2", "2"), ("1", "1"), ("enter", "\r"))
        await until(pilot, lambda: isinstance(app.screen, PopUp))
        await settled(pilot)
        app.pop_screen()
        await settled(pilot)
        assert app.chosen == ["b"]  # the 1 and the Enter were for the pop-up's moment


@pytest.mark.parametrize("size", SIZES)
async def test_a_click_on_the_list_being_left_is_dropped(size: tuple[int, int]) -> None:
    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        replies = app.query_one(QuickReplies)
        replies.choose_number(1)
        replies.pressed(1)  # a click on "Second" of the list already chosen from
        await until(pilot, lambda: replies.choices == NEXT)
        await settled(pilot)
        assert app.chosen == ["a"]
