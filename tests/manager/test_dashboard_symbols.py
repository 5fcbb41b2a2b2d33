"""The dashboard prints the one GSS symbol every export prints for a hidden figure, "[c]",
never "<5", and says what it means on screen (issue 16), at 80x24 and 120x40 under Pilot.

Known data (tests/manager/known_data.py), 2025-03-03 to 2025-03-16: one session was shown
safeguarding contacts, NB3 has 2 records of unmet need, 3 carers asked for a person, the
advocate channel has 1 session; each is under 5, so each must read "[c]" on screen as in
the CSV, Markdown and HTML reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, TabbedContent

from navigator.records.reports.access import load_hash, set_password
from navigator.records.reports.export import render
from navigator.records.reports.review import Review
from navigator.records.reports.sections import SECTIONS
from navigator.tui.manager.app import ManagerApp
from navigator.tui.manager.dashboard import DashboardScreen
from navigator.tui.manager.figures import BarChart, FigureTable
from tests.manager.known_data import FILTERS
from tests.manager.test_dashboard import (
    PASSWORD,
    cards,
    counted,
    log_in,
    settle,
    table_rows,
)

KEY = (
    "[c]: hidden to protect privacy: fewer than 5 people, or a figure that would let such a "
    "count be worked out"
)


# `review` is tests/manager/conftest.py's: the known sessions on SQLite, then on PostgreSQL
# (skipped unless NAVIGATOR_TEST_POSTGRES_URL is set).


def manager(tmp_path: Path, review: Review) -> ManagerApp:
    set_password(tmp_path / "config", PASSWORD)
    return ManagerApp(load_hash(tmp_path / "config"), lambda: review, counted(tmp_path))


async def apply(app: ManagerApp, pilot: object) -> DashboardScreen:
    """Enter in the 'To' date applies the filters (the Show button may be off an 80-column
    screen, where the filter row is wider than the terminal)."""
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    screen.query_one("#date-from", Input).value = "2025-03-03"
    to = screen.query_one("#date-to", Input)
    to.value = "2025-03-16"
    to.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)
    return screen


async def logged_in_on_the_period(app: ManagerApp, pilot: object) -> DashboardScreen:
    """The dashboard every test here starts from: logged in, the known period applied."""
    await log_in(app, pilot)
    await settle(app, pilot)
    return await apply(app, pilot)


def printed(screen: DashboardScreen) -> list[str]:
    """Every figure the open tabs print: table cells, card values and chart values."""
    tables = screen.query(FigureTable)
    cells = [cell for table in tables for row in table_rows(table) for cell in row]
    charts = [printed for chart in screen.query(BarChart) for _, _, printed in chart.points]
    return cells + list(cards(screen).values()) + charts


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_hidden_figures_read_c_on_screen_as_in_every_export(
    tmp_path: Path, review: Review, size: tuple[int, int]
) -> None:
    app = manager(tmp_path, review)
    async with app.run_test(size=size) as pilot:
        screen = await logged_in_on_the_period(app, pilot)
        assert cards(screen)["Shown safeguarding contacts"] == "[c]"
        for found in SECTIONS:
            screen.query_one(TabbedContent).active = found.key
            await settle(app, pilot)
        figures = printed(screen)
        assert "[c]" in figures
        assert not [figure for figure in figures if figure.startswith("<")]
        places = table_rows(screen.query_one("#table-unmet_by_district", FigureTable))
        assert ["NB3", "[c]", "5,000", "[c]"] in places
        # The key says what the symbol means, in plain words, and is on the screen.
        key = screen.query_one("#symbol-key", Static)
        assert str(key.render()).replace("\n", " ") == KEY
        assert key.region.height >= 1 and key.region.bottom <= size[1] - 1  # above the footer
        assert "[c]: hidden to protect privacy" in screen.sub_title
    # The report the manager sends on prints the same symbol for the same cell.
    html = render(review.report(FILTERS), "html")
    assert "<td>NB3</td>" in html.replace(' class="label"', "")
    assert "&lt;5" not in html


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_filtered_headline_under_five_reads_c(
    tmp_path: Path, review: Review, size: tuple[int, int]
) -> None:
    app = manager(tmp_path, review)
    async with app.run_test(size=size) as pilot:
        screen = await logged_in_on_the_period(app, pilot)
        screen.query_one("#channel", Select).value = "advocate"
        screen = await apply(app, pilot)
        assert cards(screen)["Sessions"] == "[c]"
