"""A follow-up code printed at the end of a kiosk journey, typed weeks later at a kiosk.

The real kiosk app under Pilot at 80x24 and 120x40, with the real records
store: a SQLite file, and PostgreSQL when a server is configured. The code is
read from the page "Print this" sends; the second visit types it into the
conversation's own box and answers with number keys.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from navigator.config import Settings
from navigator.records.database import connected
from navigator.records.relay import Writer
from navigator.tui.app import NavigatorApp
from navigator.tui.screens.followup import FollowupScreen
from navigator.tui.widgets.takeaway import TakeAway
from tests.records.conftest import throwaway_postgres
from tests.support.waiting import records_copied, until
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(120)

CODE = re.compile(r"\b[A-Z]{4}-[0-9]{4}\b")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path, site: str) -> Iterator[Settings]:
    """The shared test settings, with the records in SQLite or in a fresh PostgreSQL database."""
    options: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "config_dir": tmp_path / "config",
        "site": site,
        "print_command": f"sh -c 'cat > {tmp_path / 'printed.txt'}'",
    }
    if request.param == "sqlite":
        yield Settings(**options)  # type: ignore[arg-type]
        return
    with throwaway_postgres("navigator_followup") as url:
        yield Settings(**options, database_url=url)  # type: ignore[arg-type]


def answers(settings: Settings) -> list[tuple[object, ...]]:
    records_copied(settings)
    with connected(settings.resolved_database_url) as engine, engine.connect() as connection:
        sql = "SELECT session_id, contacted, helped, reason FROM followup_answers"
        return [tuple(row) for row in connection.execute(text(sql))]


async def type_words(app: NavigatorApp, pilot: object, words: str) -> None:
    box = app.screen.query_one("#own-words-input")
    box.value = words  # type: ignore[attr-defined]
    await pilot.click("#own-words-send")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_printed_code_joins_its_pathway_at_another_kiosk(
    make_app: Callable[..., NavigatorApp], settings: Settings, size: tuple[int, int]
) -> None:
    first = make_app(kiosk=True, record=True)
    async with first.run_test(size=size) as pilot:
        await until(pilot, lambda: first.codes is not None)
        await pilot.press("2", "1")  # money: yes -> the advice centre
        await pilot.pause()
        page = first.screen.query_one(TakeAway).summary
        pathway = first.conversation.session_id
    code = CODE.search(page)
    assert code is not None, page
    assert "It is not linked to your name" in flat(page)
    records_copied(settings)  # codes are looked up in the main database, not the outbox

    later = make_app(kiosk=True, record=True)
    async with later.run_test(size=size) as pilot:
        await until(pilot, lambda: later.codes is not None)
        # At 80x24 the welcome (25 topics in the demo, the language row) pushes the note
        # above the fold: it is there when the conversation is scrolled back to the top.
        later.screen.transcript.scroll_home(animate=False)  # type: ignore[attr-defined]
        await pilot.pause()
        assert "Been here before? Type the follow-up code" in flat(screen_text(later))
        await type_words(later, pilot, code.group(0).lower())
        assert isinstance(later.screen, FollowupScreen)
        assert "Did you contact the service" in flat(screen_text(later))
        await pilot.press("1")  # contacted: yes
        await pilot.pause()
        assert "Partly" in flat(screen_text(later))  # every answer on screen, at either size
        await pilot.press("3")  # helped: no
        await pilot.pause()
        assert "Something else" in flat(screen_text(later))
        await pilot.press("2")  # not eligible
        await pilot.pause()
        assert "Thank you" in flat(screen_text(later))
        await pilot.press("enter")  # carry on
        await pilot.pause()
        assert not isinstance(later.screen, FollowupScreen)
    assert answers(settings) == [(pathway, True, "no", "not_eligible")]
    with connected(settings.resolved_database_url) as engine, engine.connect() as connection:
        sessions = [row[0] for row in connection.execute(text("SELECT id FROM sessions"))]
    assert sessions == [pathway]  # answering alone is not a session that gave up


async def test_an_unknown_code_is_told_kindly_and_the_kiosk_carries_on(
    make_app: Callable[..., NavigatorApp], settings: Settings
) -> None:
    app = make_app(kiosk=True, record=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.codes is not None)
        await type_words(app, pilot, "I have been here before")
        assert isinstance(app.screen, FollowupScreen)
        assert "Please type the follow-up code" in flat(screen_text(app))
        await pilot.press(*"nnnn 4444", "enter")
        await pilot.pause()
        assert "could not find that code" in flat(screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2", "1")
        await pilot.pause()
        assert "Testborough Advice Centre" in flat(screen_text(app))
    assert answers(settings) == []


class _StoreStillOpening:
    """The real store, opened only once the test says so (a busy machine's first seconds)."""

    def __init__(self) -> None:
        self.go = threading.Event()

    def __call__(self, settings: Settings) -> Writer:
        self.go.wait(60)
        from navigator.records.writer import open_writer

        return open_writer(settings)


async def test_a_code_typed_while_the_store_opens_waits_for_it_with_the_screen_free(
    make_app: Callable[..., NavigatorApp], settings: Settings
) -> None:
    """A code typed before the store is open (a busy machine's first seconds) is kept
    and used once it is: "Looking up your code" meanwhile, the screen answering keys.
    It once held the event loop for up to 10 s, and before that was taken for words
    (issue 20)."""
    first = make_app(kiosk=True, record=True)
    async with first.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: first.codes is not None)
        await pilot.press("2", "1")
        await pilot.pause()
        code = CODE.search(first.screen.query_one(TakeAway).summary)
        pathway = first.conversation.session_id
    assert code is not None
    records_copied(settings)  # codes are looked up in the main database, not the outbox

    opener = _StoreStillOpening()
    later = make_app(kiosk=True, record=True, open_writer=opener, store_check_seconds=3600)
    async with later.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert later.codes is None, "the store is still opening"
        await type_words(later, pilot, code.group(0))
        # The store opens only when the test says: the screen must answer before that.
        await until(pilot, lambda: "Looking up your code" in flat(screen_text(later)))
        theme = later.theme
        await pilot.press("f5")  # "Change colours": the keys still work
        await until(pilot, lambda: later.theme != theme)
        assert not isinstance(later.screen, FollowupScreen)
        opener.go.set()
        await until(pilot, lambda: isinstance(later.screen, FollowupScreen))
        await until(pilot, lambda: "Did you contact the service" in flat(screen_text(later)))
        await pilot.press("1", "1")  # contacted: yes; helped: yes
        await until(pilot, lambda: "Thank you" in flat(screen_text(later)))
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(later.screen, FollowupScreen))
    assert answers(settings) == [(pathway, True, "yes", None)]


class _StoreThatCannotOpen:
    """A store that fails, once the test says (a database server that is not there)."""

    def __init__(self) -> None:
        self.go = threading.Event()

    def __call__(self, settings: Settings) -> Writer:
        self.go.wait(60)
        raise OSError("the database server is not there")


async def test_a_code_typed_when_the_store_cannot_open_is_told_clearly(
    make_app: Callable[..., NavigatorApp],
) -> None:
    store = _StoreThatCannotOpen()
    app = make_app(kiosk=True, record=True, open_writer=store, store_check_seconds=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_words(app, pilot, "KPTW-3749")
        await until(pilot, lambda: "Looking up your code" in flat(screen_text(app)))
        store.go.set()
        await until(pilot, lambda: "cannot look up follow-up codes" in flat(screen_text(app)))
        assert not isinstance(app.screen, FollowupScreen)
        await pilot.press("2", "1")  # and the person carries on
        await until(pilot, lambda: "Testborough Advice Centre" in flat(screen_text(app)))
