"""The advocate's working tools (issue 20): every answer in view, a true search, next resident.

Through the real advocate app on the demo knowledge base, keys pressed as an
advocate would, at 120x40 and 80x24.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from navigator.kb import KnowledgeBase
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.advocate.search_screen import MORE, ServiceSearchScreen
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


# --- Finding a service (F7) ------------------------------------------------------------


def search_list(app: AdvocateApp) -> OptionList:
    assert isinstance(app.screen, ServiceSearchScreen)
    return app.screen.query_one("#search-results", OptionList)


def listed(app: AdvocateApp) -> list[str]:
    results = search_list(app)
    return [results.get_option_at_index(i).id or "" for i in range(results.option_count)]


def search_status(app: AdvocateApp) -> str:
    return str(app.screen.query_one("#search-status", Static).render())


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_search_counts_every_service_and_pages_through_them(
    make_app: AppMaker, demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    """Issue 20: it said "Services found: 50" of 242 and could not show the rest."""
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        await pilot.press("f7")
        await settle(pilot)
        assert "Services found: 242." in search_status(app)
        assert "Listed: 50 of 242; PageDown for more." in search_status(app)
        assert len(listed(app)) == 51 and listed(app)[-1] == MORE
        await pilot.press("enter")  # from the words box to the list
        await pilot.press("end")  # reaching "More" brings the next page
        await settle(pilot)
        assert len(listed(app)) == 101
        assert search_list(app).highlighted == 50
        for _ in range(100):
            if MORE not in listed(app):
                break
            await pilot.press("pagedown")
            await pilot.pause()
        ids = listed(app)
        assert MORE not in ids
        assert sorted(ids) == sorted(demo_kb.services)
        assert "Services found: 242." in search_status(app)
        assert "Listed" not in search_status(app)


async def test_debt_lists_the_debt_services_only(
    make_app: AppMaker, demo_kb: KnowledgeBase
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("d", "e", "b", "t")
        await settle(pilot)
        assert listed(app) == [
            "money-breathing-space",
            "money-national-debtline",
            "money-stepchange",
            "money-advice-centre",
        ]
        assert "Services found: 4." in search_status(app)
