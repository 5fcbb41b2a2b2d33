"""The advocate's working tools (issue 20): every answer in view, a true search, next resident.

Through the real advocate app on the demo knowledge base, keys pressed as an
advocate would, at 120x40 and 80x24.
"""

from __future__ import annotations

import dataclasses
import gc
import weakref
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from navigator.config import Settings
from navigator.kb import KnowledgeBase
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.advocate.panel import PrivateNotes
from navigator.tui.advocate.screen import AdvocateScreen
from navigator.tui.advocate.search_screen import MORE, ServiceSearchScreen
from navigator.tui.advocate.session_timer import SessionTimer
from navigator.tui.screens.confirm import ConfirmScreen
from navigator.tui.widgets.progress_line import ProgressLine
from navigator.tui.widgets.quick_replies import QuickReplies
from tests.support.clock import Clock
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


async def test_every_topic_shows_at_120x40(make_app: AppMaker, demo_kb: KnowledgeBase) -> None:
    """They hid behind a scrollbar, one column, with 17 empty rows above them.

    The demo's 25 topics need 20 rows in two columns: on a tall screen the
    answers take the rows the conversation above them did not use.
    """
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(demo_kb.topics) >= 25
        assert len(app.screen.query_one(QuickReplies).choices) == len(demo_kb.topics)
        assert_every_answer_in_view(app)
        assert "Welcome to Navigator" in flat(screen_text(app)), "the conversation is still shown"


def assert_cursor_in_view(replies: QuickReplies) -> None:
    """The answer the keyboard is on is wholly inside the answers' visible box."""
    cell = replies.cell_region(replies.cursor).translate(replies.region.offset)
    assert replies.content_region.contains_region(cell), (replies.cursor, cell)


async def test_every_topic_is_reachable_at_80x24(
    make_app: AppMaker, demo_kb: KnowledgeBase, settings: Settings
) -> None:
    """Too many to show at once at 80x24: each one the arrows reach is scrolled into view."""
    slow = dataclasses.replace(settings, second_digit_seconds=600)  # "2" waits for the test
    app = make_app(knowledge=demo_kb, settings=slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        replies = app.screen.query_one(QuickReplies)
        assert len(replies.choices) == len(demo_kb.topics)
        assert replies.max_scroll_y > 0, "this test is about answers that do not all fit"
        replies.focus()
        await settle(pilot)
        seen = []
        for _ in replies.choices:
            assert_cursor_in_view(replies)
            seen.append(replies.cursor)
            await pilot.press("right")
            await settle(pilot)
        assert seen == list(range(len(replies.choices)))
        await pilot.press("home")
        await settle(pilot)
        assert replies.cursor == 0 and replies.scroll_offset.y == 0
        await pilot.press("end")
        await settle(pilot)
        assert replies.cursor == len(replies.choices) - 1
        assert_cursor_in_view(replies)
        await pilot.press("2")  # waits for a second digit, the cursor on 2 meanwhile
        await settle(pilot)
        assert replies.choices[replies.cursor].number == 2
        assert_cursor_in_view(replies)
        replies.take_typed()


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
        total = len(demo_kb.services)
        assert f"Services found: {total}." in search_status(app)
        assert f"Listed: 50 of {total}; PageDown for more." in search_status(app)
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
        assert f"Services found: {total}." in search_status(app)
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


# --- Next resident, the session timer, and quitting with notes ---------------------------


async def write_note(pilot: Pilot[object], app: AdvocateApp, words: str) -> None:
    await pilot.press("f10")
    await pilot.pause()
    await pilot.press(*("space" if c == " " else c for c in words))
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen.query_one(PrivateNotes).text == words


async def type_words(pilot: Pilot[object], words: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in words), "enter")
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_next_resident_asks_then_keeps_nothing(
    make_app: AppMaker, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await type_words(pilot, "help at home")
        await pilot.press("2", "1")  # 65 or over, TB1: the results
        await settle(pilot)
        await write_note(pilot, app, "zebra note")
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("enter", "enter")  # to the list; add the first service
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        old_screen = weakref.ref(app.screen)
        old_conversation = weakref.ref(app.conversation)
        assert app.journal is not None and app.journal.found()

        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Next resident?" in flat(screen_text(app))
        await pilot.press("n")  # no: everything stays
        await settle(pilot)
        assert app.screen is old_screen() and app.conversation is old_conversation()
        assert app.screen.query_one(PrivateNotes).text == "zebra note"

        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdvocateScreen) and screen is not old_screen()
        shown = flat(screen_text(app))
        for kept in ("help at home", "zebra", "65 or over", "Testborough Home Help"):
            assert kept not in shown.replace("Help at home with", ""), kept
        assert screen.query_one(PrivateNotes).text == ""
        assert screen.recorded == []
        assert app.journal is not None and not app.journal.found() and not app.journal.parts()
        assert not app.conversation.facts and not app.conversation.answers()
        said = [m.plain for m in screen.transcript.messages if m.speaker == "person"]
        assert said == []
        await settle(pilot)
        gc.collect()
        assert old_conversation() is None, "the last resident's conversation is still held"
        assert old_screen() is None, "the last resident's screen is still held"


def header(app: AdvocateApp) -> str:
    """The line under the tools bar that says where the conversation is."""
    line = app.screen.query_one(ProgressLine).region.y
    return screen_text(app).splitlines()[line].rstrip()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_session_timer_counts_minutes_in_the_header(
    make_app: AppMaker, size: tuple[int, int]
) -> None:
    clock = Clock()
    app = make_app(clock=clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        timer = app.screen.query_one(SessionTimer)
        assert header(app).endswith("Session: 0 min")
        clock.advance(12 * 60 + 30)
        timer.tick()
        await settle(pilot)
        assert header(app).endswith("Session: 12 min")
        assert "Navigator · Choose a topic" in header(app)
        await pilot.press("ctrl+n", "y")  # nothing said yet, but it still asks
        await settle(pilot)
        assert header(app).endswith("Session: 0 min")


async def test_quitting_with_notes_says_they_will_be_lost(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await write_note(pilot, app, "call back")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Your notes are not saved anywhere" in flat(screen_text(app))
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one(PrivateNotes).text == "call back"


async def test_finish_with_only_notes_asks_first(make_app: AppMaker) -> None:
    """F6 asked only once the resident had said something: notes alone were lost unasked."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await write_note(pilot, app, "call back")
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one(PrivateNotes).text == "call back"
