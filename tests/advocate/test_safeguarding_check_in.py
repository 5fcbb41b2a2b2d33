"""The check-in question in the advocate's tool (issue 12), under Pilot."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.engine.events import Event, SafeguardingShown
from navigator.kb import KnowledgeBase
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.screens.safeguarding import SafeguardingScreen
from navigator.tui.widgets.own_words import OwnWords
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(90)


async def test_the_advocate_sees_the_check_in_and_yes_shows_the_panel(
    make_app: Callable[..., AdvocateApp], demo_kb: KnowledgeBase, events: list[Event]
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        words = app.screen.query_one(OwnWords)
        words.input.value = "i keep standing on the edge of the car park roof"
        words.input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "in danger right now?" in flat(screen_text(app))
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SafeguardingScreen)
    assert [e.crisis_kind for e in events if isinstance(e, SafeguardingShown)] == [
        "suicide-self-harm"
    ]
