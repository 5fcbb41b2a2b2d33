"""Advocate mode through the real app on the test borough, keys pressed as an advocate would."""

from __future__ import annotations

import io
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from rich.console import Console
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from navigator.config import Settings
from navigator.engine.events import (
    Event,
    OutcomeShown,
    SessionEnded,
    SessionStarted,
    TopicChosen,
    UnmetNeed,
)
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.advocate.panel import PrivateNotes, ReasoningView, SidePanel
from navigator.tui.advocate.screen import AdvocateScreen
from navigator.tui.advocate.search_screen import ServiceSearchScreen
from navigator.tui.advocate.summary_screen import SummaryScreen
from navigator.tui.advocate.unmet_screen import UnmetNeedScreen
from navigator.tui.screens.confirm import ConfirmScreen
from navigator.tui.screens.qr_code import QrCodeScreen
from navigator.tui.widgets.transcript import Transcript
from tests.advocate.test_summary import EXPECTED_MARKDOWN, EXPECTED_PLAIN
from tests.support.waiting import records_copied, until
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

E = TypeVar("E", bound=Event)

SIZE = (140, 45)

AppMaker = Callable[..., AdvocateApp]


def only(events: list[Event], kind: type[E]) -> list[E]:
    return [event for event in events if isinstance(event, kind)]


def shown(app: AdvocateApp) -> str:
    return flat(screen_text(app))


def panel(app: AdvocateApp) -> str:
    """The side panel's Reasoning text, on one line."""
    shown = app.screen.query_one(ReasoningView).shown
    assert shown is not None
    console = Console(width=300, file=io.StringIO(), record=True)
    console.print(shown)
    return flat(console.export_text())


def advocate_screen(app: AdvocateApp) -> AdvocateScreen:
    screen = app.screen
    assert isinstance(screen, AdvocateScreen)
    return screen


async def palette(pilot: Pilot[object], app: AdvocateApp, typed: str) -> None:
    """Open the command palette, type, and run the best match."""
    await pilot.press("ctrl+p")
    await until(
        pilot,
        lambda: isinstance(app.screen, CommandPalette) and bool(app.screen.query(CommandList)),
    )
    app.screen.query_one(Input).value = typed
    commands = app.screen.query_one(CommandList)
    await until(pilot, lambda: commands.option_count > 0 and commands.highlighted is not None)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, AdvocateScreen))
    await pilot.pause()


async def to_care_result(pilot: Pilot[object], age: str = "2", where: str = "1") -> None:
    """Help at home: 1 under 65 / 2 65 or over; then 1 TB1 / 2 TB2 / 3 somewhere else."""
    await pilot.press("1", age, where)
    await pilot.pause()


# --- The screen ---------------------------------------------------------------------


async def test_the_screen_has_the_conversation_the_panel_and_the_tools(
    make_app: AppMaker, events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = shown(app)
        assert "Navigator for advocates · Site: market-hall" in text
        for tool in ("F7 Find a service", "F8 Record unmet need", "F9 Summary", "F10 Notes"):
            assert tool in text
        assert "F1 Help" in text and "F2 Back" in text
        assert "1 Help at home" in text and "3 Housing" in text
        assert "What we know so far Nothing yet." in panel(app)
    started = only(events, SessionStarted)
    assert [(event.channel, event.site) for event in started] == [("advocate", "market-hall")]


async def test_the_panel_shows_the_rule_and_fact_behind_every_service(
    make_app: AppMaker,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot, age="1", where="1")
        text = panel(app)
        assert "Age group: under-65 (you are under 65)" in text
        assert "Services at this result: Help at home" in text
        assert "✗ Testborough Home Help · Ruled out" in text
        assert "Rule: Age group is 65+ Decided by: Age group is under-65" in text
        assert "✗ Meals on Wheels TB2 · Ruled out by area" in text
        assert "Decided by: Postcode district is TB1" in text
        assert "? Carers' Break Service · Not known yet" in text
        assert "Not asked yet: Looks after someone." in text
        assert "… Riverside Day Centre · Waiting list" in text


# --- Jumping about: topics, earlier questions, changed answers -------------------------


async def test_the_palette_jumps_to_any_topic(make_app: AppMaker, events: list[Event]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)
        await palette(pilot, app, "topic money")
        assert app.conversation.view.node_id == "money-start"
        assert "Do you have debts you cannot pay?" in shown(app)
        assert "Age group: 65+" in panel(app)  # facts carry across topics
    chosen = only(events, TopicChosen)
    assert [(event.topic_id, event.via) for event in chosen] == [
        ("care", "advocate"),
        ("money", "advocate"),
    ]


async def test_the_palette_forgives_a_typo(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(pilot, app, "hosuing")  # letters out of order: Textual's matcher misses it
        assert app.conversation.view.node_id == "housing-start"


async def test_a_changed_answer_turns_unmet_need_into_results_and_back(
    make_app: AppMaker, events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot, where="3")  # somewhere else: no service
        assert app.conversation.view.kind == "unmet"
        assert "No service fits here. Reason: No service." in panel(app)
        await palette(pilot, app, "TB1")  # Change "Where do you live?" to "TB1"
        assert app.conversation.view.kind == "outcome"
        notes = [m.plain for m in app.screen.query_one(Transcript).messages if m.speaker == "note"]
        assert "Changed: Where do you live? TB1" in notes
        assert "✔ Testborough Home Help · Open to them" in panel(app)
        await palette(pilot, app, "Somewhere else")
        assert app.conversation.view.kind == "unmet"
        assert "Testborough Home Help" not in panel(app)
    ends = [
        (type(event).__name__, event.node_id)
        for event in events
        if isinstance(event, OutcomeShown | UnmetNeed)
    ]
    assert ends == [
        ("UnmetNeed", "care-unmet"),
        ("OutcomeShown", "care-outcome"),
        ("UnmetNeed", "care-unmet"),
    ]


async def test_changing_the_first_answer_keeps_the_rest_and_updates_at_once(
    make_app: AppMaker,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot, age="2", where="1")
        assert "✔ Testborough Home Help" in panel(app)
        await palette(pilot, app, "Under 65")
        assert app.conversation.view.node_id == "care-outcome"
        assert "✗ Testborough Home Help · Ruled out" in panel(app)
        cards = [card.service.name for card in app.screen.query("ServiceCard")]  # type: ignore[attr-defined]
        assert cards.count("Testborough Home Help") == 1  # the old results are not repeated


async def test_the_palette_goes_back_to_an_earlier_question(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)
        await palette(pilot, app, "Back to: How old")
        assert app.conversation.view.node_id == "care-age"
        assert "Services at this result" not in panel(app)


# --- Searching services directly -------------------------------------------------------


async def test_search_finds_a_service_and_shows_whether_it_fits(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)  # district TB1 is now known
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, ServiceSearchScreen))
        app.screen.query_one("#search-words", Input).value = "damp"
        # The list and the highlighted service's detail are drawn in later refreshes:
        # wait for the detail (a deadline), then read the screen.
        await until(pilot, lambda: "Tenants' Repairs Line" in shown(app))
        await until(pilot, lambda: "Decided by: Postcode district is TB1" in shown(app))
        results = app.screen.query_one("#search-results", OptionList)
        assert results.get_option_at_index(0).id == "repairs-line"
        text = shown(app)
        assert "Tenants' Repairs Line" in text
        assert "✗ Ruled out by area" in text
        assert "Decided by: Postcode district is TB1" in text
        await pilot.press("enter", "enter")  # to the results; the first one to the summary
        await pilot.pause()
        assert "Added to the summary: Tenants' Repairs Line." in shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AdvocateScreen)
        summary = await open_summary(pilot, app)
        assert "Tenants' Repairs Line" in summary.summary.markdown()


async def test_search_filters_by_need_and_area(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, ServiceSearchScreen))
        screen = app.screen
        screen.query_one("#search-need", Select).value = "housing"
        await pilot.pause()
        results = screen.query_one("#search-results", OptionList)
        ids = [results.get_option_at_index(i).id for i in range(results.option_count)]
        assert ids == ["housing-advice", "repairs-line"]
        screen.query_one("#search-area", Input).value = "tb1"
        await pilot.pause()
        assert [results.get_option_at_index(0).id, results.option_count] == ["housing-advice", 1]
        screen.query_one("#search-area", Input).value = "hello"
        await pilot.pause()
        assert '"hello" is not a postcode district. Write it like NB3.' in shown(app)
        assert results.option_count == 0


# --- Recording unmet need -----------------------------------------------------------


async def test_an_unmet_need_is_recorded_in_a_few_keystrokes(
    make_app: AppMaker, events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1")  # money: yes, debts
        await pilot.pause()
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, UnmetNeedScreen))
        await pilot.press("tab", "down", "tab")  # need as offered; reason: the next one down
        app.screen.query_one("#unmet-note", Input).value = "needs help in Polish"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AdvocateScreen))
        await pilot.pause()
        assert "Recorded: Money, Not eligible." in shown(app)
        assert "Unmet needs recorded in this session Money: Not eligible" in panel(app)
    recorded = [event for event in only(events, UnmetNeed) if event.recorded_by == "advocate"]
    assert [(e.need_id, e.reason, e.text, e.node_id) for e in recorded] == [
        ("money", "ineligible", "needs help in Polish", "money-outcome")
    ]


async def test_closing_the_unmet_form_records_nothing(
    make_app: AppMaker, events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, UnmetNeedScreen))
        await pilot.press("escape")
        await pilot.pause()
    assert [event for event in only(events, UnmetNeed) if event.recorded_by == "advocate"] == []


async def test_the_stored_unmet_need_has_its_note_scrubbed(
    make_app: AppMaker, settings: Settings
) -> None:
    app = make_app(record=True)
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot, where="3")
        session_id = app.conversation.session_id
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, UnmetNeedScreen))
        note = "daughter on 07700 900123 or jo.bloggs@example.com wants a sitter"
        app.screen.query_one("#unmet-note", Input).value = note
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AdvocateScreen))
    with sqlite3.connect(records_copied(settings)) as database:
        stored = database.execute(
            "SELECT need_id, reason, recorded_by, text FROM unmet_needs "
            "WHERE session_id = ? AND recorded_by = 'advocate'",
            (session_id,),
        ).fetchall()
        session = database.execute(
            "SELECT channel, site FROM sessions WHERE id = ?", (session_id,)
        ).fetchall()
    assert len(stored) == 1
    need, reason, recorded_by, text = stored[0]
    assert (need, reason, recorded_by) == ("care", "no_service", "advocate")
    assert "07700" not in text and "jo.bloggs" not in text and "example.com" not in text
    assert "[phone]" in text and "[email]" in text and "wants a sitter" in text
    assert session == [("advocate", "market-hall")]


# --- The summary for the resident --------------------------------------------------


async def open_summary(pilot: Pilot[object], app: AdvocateApp) -> SummaryScreen:
    await pilot.press("f9")
    await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
    screen = app.screen
    assert isinstance(screen, SummaryScreen)
    return screen


async def test_the_summary_is_saved_where_the_advocate_chooses(
    make_app: AppMaker, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)
        screen = await open_summary(pilot, app)
        path_box = screen.query_one("#summary-path", Input)
        default = tmp_path / "navigator-summary-2026-03-03.md"
        assert path_box.value == str(default)
        await pilot.press("enter")
        await pilot.pause()
        assert default.read_text(encoding="utf-8") == EXPECTED_MARKDOWN
        assert stat.S_IMODE(default.stat().st_mode) == 0o600
        assert f"Saved to {default}." in shown(app)
        plain = tmp_path / "for-print.txt"
        path_box.value = str(plain)
        await pilot.press("enter")
        await pilot.pause()
        assert plain.read_text(encoding="utf-8") == EXPECTED_PLAIN


async def test_saving_over_a_file_asks_first_and_a_bad_place_is_explained(
    make_app: AppMaker, tmp_path: Path
) -> None:
    existing = tmp_path / "kept.md"
    existing.write_text("keep me", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)
        screen = await open_summary(pilot, app)
        path_box = screen.query_one("#summary-path", Input)
        path_box.value = str(existing)
        await pilot.press("enter")
        await pilot.pause()
        assert existing.read_text(encoding="utf-8") == "keep me"
        assert "already exists. Press Save again to replace it." in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert existing.read_text(encoding="utf-8") == EXPECTED_MARKDOWN
        nowhere = tmp_path / "no-such-folder" / "summary.md"
        path_box.value = str(nowhere)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.last_save is not None and screen.last_save.status == "failed"
        assert screen.last_save.problem == "No such file or directory"
        assert f"Could not save to {nowhere}" in shown(app)
        assert not nowhere.exists()


async def test_the_summary_is_printed_as_plain_text(make_app: AppMaker, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)
        screen = await open_summary(pilot, app)
        await pilot.click("#summary-print")
        await until(pilot, lambda: screen.last_print is not None)
        await pilot.pause()
        assert screen.last_print is not None and screen.last_print.ok
        assert "Sent to the printer." in shown(app)
    assert (tmp_path / "printed.txt").read_text(encoding="utf-8") == EXPECTED_PLAIN


async def test_the_summary_shows_as_a_qr_code_without_the_answers(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)
        screen = await open_summary(pilot, app)
        await pilot.click("#summary-code")
        await until(pilot, lambda: isinstance(app.screen, QrCodeScreen))
        code = app.screen
        assert isinstance(code, QrCodeScreen)
        assert code.payload == screen.summary.qr_text()
        assert "Testborough Home Help" in code.payload and "How old" not in code.payload


# --- Private notes, and nothing carried to the next resident ----------------------------


async def test_notes_stay_private_and_a_new_session_starts_clean(
    make_app: AppMaker, events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)
        first = app.conversation.session_id
        await pilot.press("f10")
        await pilot.pause()
        notes = app.screen.query_one(PrivateNotes)
        assert notes.has_focus
        await pilot.press("m", "u", "m", "1")  # digits go in the note, not to the answers
        assert notes.text == "mum1" and app.conversation.view.node_id == "care-outcome"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await until(
            pilot,
            lambda: isinstance(app.screen, CommandPalette) and bool(app.screen.query(CommandList)),
        )
        app.screen.query_one(Input).value = "Next resident"
        commands = app.screen.query_one(CommandList)
        await until(pilot, lambda: commands.option_count > 0 and commands.highlighted is not None)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # it asks first
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, AdvocateScreen))
        await pilot.pause()
        screen = advocate_screen(app)
        second = app.conversation.session_id
        assert second != first
        assert screen.query_one(PrivateNotes).text == ""
        assert "What we know so far Nothing yet." in panel(app)
        transcript = screen.query_one(Transcript)
        assert all("65 or over" not in message.plain for message in transcript.messages)
        assert "mum1" not in shown(app) and "Testborough Home Help" not in shown(app)
    ended = only(events, SessionEnded)
    assert [(event.session_id, event.how) for event in ended] == [
        (first, "finished"),
        (second, "abandoned"),  # the app closed with the second session just begun
    ]
    assert not any("mum" in repr(event) for event in events)


async def test_on_a_narrow_terminal_the_panel_opens_on_demand(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        side = app.screen.query_one(SidePanel)
        assert not side.display
        await pilot.press("f10")
        await pilot.pause()
        assert side.display and app.screen.query_one(PrivateNotes).has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert not side.display


async def test_the_palette_offers_no_screenshot(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Quit" in titles and "Screenshot" not in titles


async def test_with_records_kept_the_summary_carries_a_follow_up_code(
    make_app: AppMaker, tmp_path: Path
) -> None:
    """followup: the code the resident types later to say whether they got help."""
    app = make_app(record=True)
    async with app.run_test(size=SIZE) as pilot:
        await to_care_result(pilot)
        screen = await open_summary(pilot, app)
        code, _ = app.conversation.followup_code()
        assert code in screen.summary.followup
        assert code in screen.summary.markdown() and code in screen.summary.qr_text()
