"""The take-away: a printed page and a QR code, with the services' details and nothing personal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import segno

from navigator.config import Settings
from navigator.engine.conversation import Conversation
from navigator.engine.views import OutcomeView, ServiceView
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.screens.qr_code import QrCodeScreen
from navigator.tui.takeaway import printable_summary, qr_payload, qr_rows, send_to_printer
from navigator.tui.text import AppText
from navigator.tui.widgets.takeaway import TakeAway
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def services(test_kb: KnowledgeBase) -> tuple[ServiceView, ...]:
    conversation = Conversation(test_kb, channel="kiosk", site="test")
    for pick in ("care", "over-65", "tb1"):
        conversation.choose(pick)
    view = conversation.view
    assert isinstance(view, OutcomeView)
    return view.services


def test_summary_has_each_service_and_how_to_reach_it(
    services: tuple[ServiceView, ...], test_kb: KnowledgeBase
) -> None:
    summary = printable_summary(services, AppText(test_kb))
    assert summary.startswith("Services that may help you\n==========================\n")
    assert "Testborough Home Help" in summary
    assert "Phone: 01632 960 001 (Monday to Friday)" in summary
    assert "Website: https://testborough.example/home_help" in summary
    assert "Opening hours: Monday to Friday, 9am to 5pm" in summary
    assert "waiting list of about 6 weeks" in summary
    assert summary.rstrip().endswith("This page holds no details about you.")


def test_summary_and_code_carry_nothing_about_the_person(
    services: tuple[ServiceView, ...], test_kb: KnowledgeBase
) -> None:
    text = AppText(test_kb)
    for carried in (printable_summary(services, text), qr_payload(services, text)):
        assert "65 or over" not in carried
        assert "TB1" not in carried
        assert "because" not in carried


def test_qr_code_draws_the_payload_exactly(
    services: tuple[ServiceView, ...], test_kb: KnowledgeBase
) -> None:
    payload = qr_payload(services, AppText(test_kb))
    rows = qr_rows(payload)
    code = segno.make(payload, error="l", boost_error=False)
    matrix = [list(row) for row in code.matrix_iter(border=2)]
    if len(matrix) % 2:
        matrix.append([0] * len(matrix[0]))
    drawn = []
    for row in rows:
        drawn.append([1 if glyph in "█▀" else 0 for glyph in row])
        drawn.append([1 if glyph in "█▄" else 0 for glyph in row])
    assert drawn == [[int(module) for module in line] for line in matrix]


def test_a_long_list_is_cut_to_fit_a_readable_code(
    services: tuple[ServiceView, ...], test_kb: KnowledgeBase
) -> None:
    many = services * 40
    payload = qr_payload(many, AppText(test_kb), limit=900)
    assert len(payload) <= 900
    assert len(qr_rows(payload)[0]) < 120


def test_printing_sends_the_summary_to_the_print_command(tmp_path: Path) -> None:
    out = tmp_path / "printed.txt"
    result = send_to_printer(f"sh -c 'cat > {out}'", "Services\nLine two\n")
    assert result.ok
    assert out.read_text(encoding="utf-8") == "Services\nLine two\n"


@pytest.mark.parametrize(
    ("command", "why"),
    [
        ("no-such-printer-command", "was not found"),
        ("sh -c 'echo jammed >&2; exit 3'", "exited with 3: jammed"),
        ("lp 'unclosed", "cannot be read"),
        ("", "is empty"),
    ],
)
def test_a_failing_printer_is_reported_not_raised(command: str, why: str) -> None:
    result = send_to_printer(command, "text")
    assert not result.ok
    assert why in result.detail


async def test_print_this_at_the_outcome_prints_a_page(
    make_app: Callable[..., NavigatorApp], settings: Settings, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("2", "1")
        await pilot.pause()
        takeaway = app.screen.query_one(TakeAway)
        takeaway.print_summary()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Sent to the printer" in flat(screen_text(app))
    printed = (tmp_path / "printed.txt").read_text(encoding="utf-8")
    assert "Testborough Advice Centre" in printed
    assert "Phone: 01632 960 004 (Advice line)" in printed


async def test_a_broken_printer_is_said_kindly(
    make_app: Callable[..., NavigatorApp], settings: Settings
) -> None:
    from dataclasses import replace

    app = make_app(settings=replace(settings, print_command="no-such-printer-command"))
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("2", "1")
        await pilot.pause()
        app.screen.query_one(TakeAway).print_summary()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Sorry, the printer is not working" in flat(screen_text(app))


async def test_show_code_draws_a_qr_code_over_the_screen(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("2", "1")
        await pilot.pause()
        await pilot.click("#show-code")
        await pilot.pause()
        assert isinstance(app.screen, QrCodeScreen)
        assert "Point your phone camera at this code" in flat(screen_text(app))
        assert "▀" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QrCodeScreen)
