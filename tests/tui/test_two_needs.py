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


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_one_need_told_in_two_clauses_is_a_choice_not_two_needs(
    make_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    """Session 12: "the council tax bill is in his name" fits money on its own, but it is a
    detail of the bereavement told: the person is offered a choice of topics with bereavement
    among them, not "two things" (before, both were offered as two needs)."""
    demo = load(REPO / "knowledge").knowledge
    app = make_app(knowledge=demo)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        typed = "my husband passed away last week and the council tax bill is in his name"
        await pilot.press(*typed, "enter")
        await pilot.pause()
        labels = [choice.label for choice in app.screen.query_one(QuickReplies).choices]
        assert "When someone has died" in labels, labels
        assert "It sounds like you need help with two things" not in flat(screen_text(app))
