"""The resident app on the demo borough: two needs in one message are offered together."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.kb import load
from navigator.tui.app import NavigatorApp
from navigator.tui.widgets.quick_replies import QuickReplies
from tests.engine.conversation_kb import REPO
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_two_needs_typed_at_the_welcome_are_offered_together(
    make_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    demo = load(REPO / "knowledge").knowledge
    app = make_app(knowledge=demo)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press(*"lost my job and the landlord wants us out", "enter")
        await pilot.pause()
        labels = [choice.label for choice in app.screen.query_one(QuickReplies).choices]
        assert labels == ["Housing and homelessness", "Work, learning and skills", "None of these"]
        assert "It sounds like you need help with two things" in flat(screen_text(app))
        await pilot.press("2")
        await pilot.pause()
        assert "Work, learning and skills" in flat(screen_text(app))
