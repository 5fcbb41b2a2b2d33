"""Warm referrals and the emailed summary (issue 20), through the real advocate app.

A real SMTP server (aiosmtpd) on 127.0.0.1, started here, receives what
Navigator sends with smtplib; the records go to a real SQLite file; the
service's answer goes through the real `navigator referral` command. The
resident's name and contact details must reach the service and nothing else:
every file in the data folder (records, outbox, journals) is scanned for them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import sqlite3
import stat
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy import inspect, text
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select

from navigator.cli import main
from navigator.config import Settings
from navigator.kb import KnowledgeBase
from navigator.records.database import connected
from navigator.records.reports.review import Review
from navigator.records.reports.tables import Filters, Period
from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.advocate.referral_screen import ReferralScreen
from navigator.tui.advocate.screen import AdvocateScreen
from navigator.tui.advocate.search_screen import ServiceSearchScreen
from navigator.tui.advocate.summary_screen import SummaryScreen
from tests.advocate.test_app import shown, to_care_result, until
from tests.records.conftest import throwaway_postgres
from tests.support.reports import shown as report_rows
from tests.support.waiting import records_copied

pytestmark = pytest.mark.timeout(60)

NAME = "Winifred Quaxley"
PHONE = "07700 900461"
SIZES = [(120, 40), (80, 24)]

AppMaker = Callable[..., AdvocateApp]


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def settings(tmp_path: Path, site: str, inbox: tuple[Inbox, int]) -> Settings:
    """The shared test settings, with email through the test's own SMTP server."""
    return Settings(
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        site=site,
        print_command=f"sh -c 'cat > {tmp_path / 'printed.txt'}'",
        smtp_host="127.0.0.1",
        smtp_port=inbox[1],
        smtp_starttls=False,
        smtp_from="advocates@testborough.example",
        smtp_timeout_seconds=5,
    )


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


async def fill_referral(
    pilot: Pilot[object], app: AdvocateApp, *, consent: bool = True, note: str = ""
) -> ReferralScreen:
    await until(pilot, lambda: isinstance(app.screen, ReferralScreen))
    screen = app.screen
    assert isinstance(screen, ReferralScreen)
    screen.query_one("#referral-name", Input).value = NAME
    screen.query_one("#referral-detail", Input).value = PHONE
    screen.query_one("#referral-note", Input).value = note
    screen.query_one("#referral-consent", Checkbox).value = consent
    await pilot.pause()
    return screen


def every_data_file(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


@pytest.mark.parametrize("size", SIZES)
async def test_a_referral_reaches_the_service_and_its_answer_updates_the_status(
    make_app: AppMaker, settings: Settings, inbox: tuple[Inbox, int], size: tuple[int, int]
) -> None:
    app = make_app(record=True)
    async with app.run_test(size=size) as pilot:
        await to_care_result(pilot, age="2", where="1")  # 65 or over, TB1: Home Help fits
        session_id = app.conversation.session_id
        await pilot.press("ctrl+r")
        note = "her son on 07700 900987 usually visits on Sundays"
        screen = await fill_referral(pilot, app, note=note)
        assert screen.query_one("#referral-service", Select).value == "home-help"
        assert screen.query_one("#referral-need", Select).value == "care"
        assert "Send referral" in shown(app)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.sent is not None)
        assert "Their reply code is" in shown(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AdvocateScreen))
        assert "Referral sent to Testborough Home Help (reply code" in shown(app)

    [(recipients, message)] = inbox[0].received
    assert recipients == ["referrals@home-help.example"]
    assert message["From"] == "advocates@testborough.example"
    text = body(message)
    code = message["Subject"].rsplit("reply code ", 1)[1].rstrip(")")
    for expected in (
        "Hello Testborough Home Help,",
        "An advocate at market-hall is referring someone to you",
        "What they need: Care at home",
        f"Name: {NAME}",
        f"How they want to be contacted: by phone, {PHONE}",
        "Note from the advocate: her son on [phone] usually visits on Sundays",
        "Consent: The person agreed, in person with an advocate at market-hall on 2026-03-03",
        f"{code} accepted",
        f"{code} declined, and the reason: not eligible, no capacity, out of area",
    ):
        assert expected in text, expected

    database = records_copied(settings)
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT session_id, code, service_id, need_id, delivery, status FROM referrals"
        ).fetchall()
    assert rows == [(session_id, code, "home-help", "care", "email", "sent")]
    stored = every_data_file(settings.data_dir)
    for personal in (NAME, "Quaxley", PHONE, "900461", "07700 900987", "Sundays"):
        assert personal.encode() not in stored, personal

    assert (
        main(["referral", "answer", code, "declined", "no", "capacity", "--db", str(database)]) == 0
    )
    with sqlite3.connect(database) as connection:
        answered = connection.execute(
            "SELECT status, reason, answered_at IS NOT NULL FROM referrals"
        ).fetchall()
    assert answered == [("declined", "no_capacity", 1)]


async def test_nothing_is_sent_without_the_residents_consent(
    make_app: AppMaker, inbox: tuple[Inbox, int], events: list[object]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZES[0]) as pilot:
        await to_care_result(pilot, age="2", where="1")
        await pilot.press("ctrl+r")
        screen = await fill_referral(pilot, app, consent=False)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Tick the consent box once the resident has said yes." in shown(app)
        screen.query_one("#referral-name", Input).value = ""
        screen.query_one("#referral-consent", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Fill in their name first." in shown(app)
    assert inbox[0].received == []
    assert not any(type(event).__name__ == "ReferralSent" for event in events)


async def test_a_service_without_email_gets_a_file_in_its_drop_folder(
    make_app: AppMaker, settings: Settings, events: list[object]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZES[0]) as pilot:
        await to_care_result(pilot, age="2", where="1")
        await pilot.press("ctrl+p")  # the palette offers the referral too
        await until(
            pilot,
            lambda: isinstance(app.screen, CommandPalette) and bool(app.screen.query(CommandList)),
        )
        app.screen.query_one(Input).value = "send a referral"
        commands = app.screen.query_one(CommandList)
        await until(pilot, lambda: commands.option_count > 0 and commands.highlighted is not None)
        await pilot.press("enter")
        screen = await fill_referral(pilot, app)
        screen.query_one("#referral-service", Select).value = "day-centre"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.sent is not None)
    [dropped] = (settings.data_dir / "referrals" / "day-centre").iterdir()
    assert stat.S_IMODE(dropped.stat().st_mode) == 0o600
    content = dropped.read_text(encoding="utf-8")
    assert f"Name: {NAME}" in content and "Hello Riverside Day Centre," in content
    [sent] = [event for event in events if type(event).__name__ == "ReferralSent"]
    assert dropped.name == f"{sent.code}.txt"
    assert sent.delivery == "drop_folder"


async def test_a_failed_delivery_says_why_and_records_nothing(
    make_app: AppMaker, settings: Settings, events: list[object], app_config: Callable[..., object]
) -> None:
    closed = dataclasses.replace(settings, smtp_port=free_port())
    app = make_app(settings=closed)
    async with app.run_test(size=SIZES[0]) as pilot:
        await to_care_result(pilot, age="2", where="1")
        await pilot.press("ctrl+r")
        screen = await fill_referral(pilot, app)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.last_delivery is not None)
        assert "The referral was not sent: cannot reach the mail server 127.0.0.1" in shown(app)
        assert screen.sent is None
    assert not any(type(event).__name__ == "ReferralSent" for event in events)


async def test_referring_a_service_found_with_f7(
    make_app: AppMaker, inbox: tuple[Inbox, int]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZES[1]) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, ServiceSearchScreen))
        app.screen.query_one("#search-words", Input).value = "home help"
        await pilot.pause()
        await pilot.press("ctrl+r")
        screen = await fill_referral(pilot, app)
        assert screen.query_one("#referral-service", Select).value == "home-help"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.sent is not None)
    [(recipients, _)] = inbox[0].received
    assert recipients == ["referrals@home-help.example"]


@pytest.mark.parametrize("size", SIZES)
async def test_the_summary_is_emailed_to_the_resident_and_the_address_is_not_kept(
    make_app: AppMaker, settings: Settings, inbox: tuple[Inbox, int], size: tuple[int, int]
) -> None:
    address = "winnie.q@example.org"
    app = make_app(record=True)
    async with app.run_test(size=size) as pilot:
        await to_care_result(pilot, age="2", where="1")
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        box = screen.query_one("#summary-email", Input)
        box.value = "not an address"
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "That does not look like an email address" in shown(app)
        box.value = address
        await pilot.press("enter")
        await until(pilot, lambda: screen.last_email is not None)
        assert f"Sent to {address}." in shown(app)
        assert box.value == ""
    [(recipients, message)] = inbox[0].received
    assert recipients == [address]
    assert message["Subject"] == "Your support summary"
    assert "Testborough Home Help" in body(message)
    assert address.encode() not in every_data_file(settings.data_dir)


async def test_the_note_leaves_scrubbed_of_a_name_a_phone_and_an_email(
    make_app: AppMaker, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    """The screen hands the note as typed to the engine, which scrubs it with the app's scrubber.

    The resident's own name and number are what they asked to share, so they go
    as typed; other people's details in the note do not (and nothing is stored).
    """
    note = "her daughter Sarah Jones rings on 07700 900987 or sarah.jones@example.org"
    app = make_app(record=True)
    async with app.run_test(size=SIZES[0]) as pilot:
        await to_care_result(pilot, age="2", where="1")
        await pilot.press("ctrl+r")
        screen = await fill_referral(pilot, app, note=note)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.sent is not None)
    [(_, message)] = inbox[0].received
    text = body(message)
    assert "Note from the advocate: her daughter [name] rings on [phone] or [email]" in text
    for other in ("Sarah", "Jones", "900987", "sarah.jones", "example.org"):
        assert other not in text, other
    assert f"Name: {NAME}" in text and PHONE in text
    stored = every_data_file(settings.data_dir)
    for personal in (NAME, PHONE, "Sarah", "900987", "sarah.jones"):
        assert personal.encode() not in stored, personal


def every_row(url: str) -> str:
    """Every row of every table, as text: the scan for a server's database, whose files
    are PostgreSQL's own (on SQLite the files themselves are scanned, above)."""
    with connected(url) as engine, engine.connect() as connection:
        tables = inspect(engine).get_table_names()
        return "\n".join(
            str(tuple(row))
            for table in tables
            for row in connection.execute(text(f'SELECT * FROM "{table}"'))
        )


@pytest.mark.postgres
async def test_the_referral_round_trip_and_the_emailed_summary_on_postgresql(
    make_app: AppMaker,
    settings: Settings,
    inbox: tuple[Inbox, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The done-when of issue 20 on PostgreSQL: sent, answered, nothing personal kept."""
    address = "winnie.q@example.org"
    note = "her daughter Sarah Jones rings on 07700 900987 or sarah.jones@example.org"
    with throwaway_postgres("navigator_referral") as url:
        on_server = dataclasses.replace(settings, database_url=url)
        app = make_app(settings=on_server, record=True)
        async with app.run_test(size=SIZES[0]) as pilot:
            await to_care_result(pilot, age="2", where="1")
            session_id = app.conversation.session_id
            await pilot.press("ctrl+r")
            screen = await fill_referral(pilot, app, note=note)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: screen.sent is not None)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, AdvocateScreen))
            await pilot.press("f9")
            await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
            summary = app.screen
            assert isinstance(summary, SummaryScreen)
            box = summary.query_one("#summary-email", Input)
            box.value = address
            box.focus()
            await pilot.press("enter")
            await until(pilot, lambda: summary.last_email is not None)

        (_, referral), (recipients, emailed) = inbox[0].received
        assert recipients == [address] and "Testborough Home Help" in body(emailed)
        code = referral["Subject"].rsplit("reply code ", 1)[1].rstrip(")")
        assert f"Name: {NAME}" in body(referral)
        assert "her daughter [name] rings on [phone] or [email]" in body(referral)
        with connected(url) as engine, engine.connect() as connection:
            sql = "SELECT session_id, code, service_id, need_id, delivery, status FROM referrals"
            rows = [tuple(row) for row in connection.execute(text(sql))]
        assert rows == [(session_id, code, "home-help", "care", "email", "sent")]

        monkeypatch.setenv("NAVIGATOR_CONFIG", str(tmp_path / "none.toml"))
        monkeypatch.setenv("NAVIGATOR_DATABASE_URL", url)
        assert main(["referral", "answer", code, "declined", "out", "of", "area"]) == 0
        with connected(url) as engine, engine.connect() as connection:
            sql = "SELECT status, reason, answered_at IS NOT NULL FROM referrals"
            answered = [tuple(row) for row in connection.execute(text(sql))]
        assert answered == [("declined", "out_of_area", True)]

        stored = every_row(url)
        assert session_id in stored  # the scan reads the rows the records hold
        for personal in (NAME, "Quaxley", PHONE, "900461", "Sarah", "900987", address, "winnie"):
            assert personal not in stored, personal
        local = every_data_file(settings.data_dir)  # the outbox and anything else on disk
        for personal in (NAME, PHONE, "900987", address):
            assert personal.encode() not in local, personal


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def on_each_database(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Settings]:
    """The test settings with the records in SQLite, or in a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield settings
        return
    with throwaway_postgres("navigator_referral_rates") as url:
        yield dataclasses.replace(settings, database_url=url)


@pytest.mark.timeout(300)
async def test_the_managers_services_tab_shows_the_referral_rates_of_real_referrals(
    make_app: AppMaker,
    on_each_database: Settings,
    inbox: tuple[Inbox, int],
    tmp_path: Path,
    test_kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Six referrals sent through the advocate's screen, answered by the service with the
    command (three accepted, three declined for capacity), read on the managers' tab."""
    settings = on_each_database
    app = make_app(settings=settings, record=True)
    async with app.run_test(size=SIZES[0]) as pilot:
        await to_care_result(pilot, age="2", where="1")
        for sent in range(1, 7):
            await pilot.press("ctrl+r")
            await until(pilot, lambda: bool(app.screen.query("#referral-consent")))
            await fill_referral(pilot, app)
            await pilot.press("ctrl+s")
            await until(pilot, lambda n=sent: len(inbox[0].received) == n)
            await until(pilot, lambda: "Their reply code is" in shown(app))
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, AdvocateScreen))
    codes = [m["Subject"].rsplit("reply code ", 1)[1].rstrip(")") for _, m in inbox[0].received]
    assert len(set(codes)) == 6

    monkeypatch.setenv("NAVIGATOR_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", settings.resolved_database_url)
    for index, code in enumerate(codes):
        words = ["accepted"] if index % 2 == 0 else ["declined", "no", "capacity"]
        assert main(["referral", "answer", code, *words]) == 0

    with connected(settings.resolved_database_url) as engine:
        review = Review(engine=engine, knowledge=test_kb, threshold=3)
        filters = Filters(Period(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
        [table] = [t for t in review.section("services", filters) if t.key == "referrals"]
        [home] = report_rows(table)
    # Service, sent, accepted, declined, unanswered, acceptance %, days to answer, reasons.
    assert home[:6] == ["Testborough Home Help", "6", "3", "3", "0", "50.0"]
    assert home[7] == "No capacity 3"
    if settings.database_url is None:
        stored = every_data_file(settings.data_dir)
    else:
        stored = every_row(settings.resolved_database_url).encode()
    for personal in (NAME, "Quaxley", PHONE, "900461"):
        assert personal.encode() not in stored, personal
