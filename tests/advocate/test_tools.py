"""The advocate's working tools (issue 20): every answer in view, a true search, next resident.

Through the real advocate app on the demo knowledge base, keys pressed as an
advocate would, at 120x40 and 80x24.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from navigator.kb import KnowledgeBase
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.widgets.quick_replies import QuickReplies
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

AppMaker = Callable[..., AdvocateApp]


def assert_every_answer_in_view(app: AdvocateApp) -> None:
    """Each answer's own cells are inside the answers' box, on screen, with nothing to scroll."""
    replies = app.screen.query_one(QuickReplies)
    box = replies.content_region
    assert replies.max_scroll_y == 0, "the answers need a scrollbar"
    for index, choice in enumerate(replies.choices):
        cell = replies.cell_region(index).translate(replies.region.offset)
        assert box.contains_region(cell), (choice.label, cell, box)
        assert app.screen.region.contains_region(cell), (choice.label, cell)
    shown = flat(screen_text(app))
    for choice in replies.choices:
        assert choice.label.split()[0] in shown, choice.label


async def settle(pilot: Pilot[object]) -> None:
    await pilot.pause()
    await pilot.pause()


async def test_all_sixteen_topics_show_at_120x40(
    make_app: AppMaker, demo_kb: KnowledgeBase
) -> None:
    """They hid behind a scrollbar, one column, with 17 empty rows above them."""
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(app.screen.query_one(QuickReplies).choices) == 16
        assert_every_answer_in_view(app)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_question_shows_every_answer(
    make_app: AppMaker, demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "enter")  # care and support for adults: six kinds of help
        await settle(pilot)
        assert len(app.screen.query_one(QuickReplies).choices) == 6
        assert_every_answer_in_view(app)
