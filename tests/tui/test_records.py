"""The app hands every event to the real records store, and keeps going when the store cannot."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.config import Settings
from navigator.records.relay import Writer
from navigator.tui.app import NavigatorApp
from navigator.tui.text import Msg
from tests.support.waiting import records_copied, until
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

SIZE = (100, 45)


def rows(database: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


async def test_a_journey_is_stored_in_sqlite(
    make_app: Callable[..., NavigatorApp], settings: Settings
) -> None:
    app = make_app(record=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1", "2")  # money: yes, debts; then "did this help?" no
        await pilot.pause()
        first_session = app.conversation.session_id
        await pilot.press("f6", "y")  # "Finish now?" Yes
        await pilot.pause()
    database = records_copied(settings)
    sessions = rows(database, "SELECT id, channel, site, end_how, reached_outcome FROM sessions")
    assert (first_session, "resident", "test-library", "finished", 1) in sessions
    unmet = rows(
        database, f"SELECT need_id, reason FROM unmet_needs WHERE session_id = '{first_session}'"
    )
    assert unmet == [("money", "not_helpful")]
    steps = rows(
        database,
        f"SELECT kind, node_id, option_id FROM steps WHERE session_id = '{first_session}' "
        "ORDER BY sequence",
    )
    assert steps == [("topic", None, None), ("answer", "money-start", "yes")]


async def test_unmatched_free_text_is_stored_scrubbed(
    make_app: Callable[..., NavigatorApp], settings: Settings
) -> None:
    app = make_app(record=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        words = app.screen.query_one("#own-words-input")
        words.value = "book a driving test, call 07700 900123"  # type: ignore[attr-defined]
        await pilot.click("#own-words-send")
        await pilot.pause()
    texts = rows(
        records_copied(settings), "SELECT text FROM unmet_needs WHERE reason = 'unmatched'"
    )
    assert len(texts) == 1
    stored = str(texts[0][0])
    assert "07700" not in stored and "driving test" in stored


class _BrokenStore:
    def __call__(self, settings: Settings) -> Writer:
        raise OSError("the disk is not there")


async def test_a_broken_store_never_stops_the_conversation(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app(record=True, open_writer=_BrokenStore())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1")
        await pilot.pause()
        assert "Testborough Advice Centre" in flat(screen_text(app))
        await until(pilot, lambda: app.relay.problem is not None)
        app.check_store()
        await pilot.pause()
        assert "Records paused" in flat(screen_text(app))
        assert app.relay.problem is not None and "the disk is not there" in app.relay.problem


async def test_untouched_sessions_are_not_stored_and_starts_are_when_people_start(
    make_app: Callable[..., NavigatorApp], settings: Settings
) -> None:
    app = make_app(record=True, kiosk=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1", "f6", "y")  # one person, who finishes
        await pilot.pause()
        waiting = app.conversation.session_id  # the fresh session for the next person
        assert waiting
    sessions = rows(records_copied(settings), "SELECT id, end_how FROM sessions")
    assert len(sessions) == 1 and sessions[0][1] == "finished"
    assert waiting not in {session_id for session_id, _ in sessions}
    started, first_step = rows(
        settings.sqlite_path,
        "SELECT sessions.started_at, MIN(steps.at) FROM sessions JOIN steps "
        "ON steps.session_id = sessions.id",
    )[0]
    assert started == first_step


CHECKED_BY_HAND = 24 * 3600.0
"""The periodic store check, far off: these tests call `check_store` themselves. At the
default 5 s a loaded machine let the timer reopen the store before the test looked."""


class _StoreThatComesBack:
    """Fails to open the first time (a disk not yet mounted), then opens the real store."""

    def __init__(self) -> None:
        self.tries = 0

    def __call__(self, settings: Settings) -> Writer:
        self.tries += 1
        if self.tries == 1:
            raise OSError("the disk is not mounted yet")
        from navigator.records.writer import open_writer

        return open_writer(settings)


async def test_events_kept_while_the_store_failed_to_open_arrive_when_it_opens(
    make_app: Callable[..., NavigatorApp], settings: Settings
) -> None:
    opener = _StoreThatComesBack()
    app = make_app(record=True, open_writer=opener, store_check_seconds=CHECKED_BY_HAND)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1")  # money: yes; the store fails to open meanwhile
        await until(pilot, lambda: app.relay.waiting_for_store)
        session = app.conversation.session_id
        app.check_store()  # the periodic check tries again, and this time it opens
        await until(pilot, lambda: app.relay.writer is not None)
        assert opener.tries == 2 and not app.relay.waiting_for_store
        await pilot.press("f6", "y")  # "Finish now?" Yes
        await pilot.pause()
    steps = rows(
        records_copied(settings),
        f"SELECT kind, node_id, option_id FROM steps WHERE session_id = '{session}' "
        "ORDER BY sequence",
    )
    assert steps == [("topic", None, None), ("answer", "money-start", "yes")]


async def test_staff_see_a_marker_while_records_cannot_be_saved_and_not_after(
    make_app: Callable[..., NavigatorApp],
) -> None:
    opener = _StoreThatComesBack()
    app = make_app(record=True, open_writer=opener, store_check_seconds=CHECKED_BY_HAND)
    async with app.run_test(size=SIZE) as pilot:
        marker = app.text(Msg.STORE_PROBLEM)
        await pilot.pause()
        assert marker not in flat(screen_text(app))
        await pilot.press("2")
        await until(pilot, lambda: app.relay.waiting_for_store)
        app.check_store()  # shows the marker, and tries the store again
        await pilot.pause()
        assert marker in flat(screen_text(app))
        await until(pilot, lambda: app.relay.writer is not None)
        app.check_store()
        await pilot.pause()
        assert marker not in flat(screen_text(app))


async def test_leaving_after_the_store_failed_to_open_tries_once_more(
    make_app: Callable[..., NavigatorApp], settings: Settings
) -> None:
    opener = _StoreThatComesBack()
    app = make_app(record=True, open_writer=opener, store_check_seconds=CHECKED_BY_HAND)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1", "f6", "y")
        await until(pilot, lambda: app.relay.waiting_for_store)
        session = app.conversation.session_id
    assert opener.tries == 2
    ended = rows(records_copied(settings), "SELECT end_how FROM sessions")
    assert ("finished",) in ended, (session, ended)
