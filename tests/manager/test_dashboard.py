"""The dashboard, driven through Textual's Pilot: password, filters, tabs, charts and drill-down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from navigator.attempts import Attempts
from navigator.kb import KnowledgeBase
from navigator.records.reports.access import attempts_path, load_hash, set_password
from navigator.records.reports.clusters import NOT_QUOTED
from navigator.records.reports.review import Review
from navigator.tui.manager.app import ManagerApp
from navigator.tui.manager.dashboard import DashboardScreen
from navigator.tui.manager.figures import FigureTable, PagedFigure
from navigator.tui.manager.login import MAX_ATTEMPTS, LoginScreen
from navigator.tui.manager.pathways import PathwaysScreen
from tests.manager.conftest import sqlite_review

PASSWORD = "a long enough password"
SIZE = (160, 50)


def counted(tmp_path: Path) -> Attempts:
    """Wrong passwords counted in the test's own data folder, as `navigator manager` does."""
    return Attempts(attempts_path(tmp_path / "data"))


@pytest.fixture
def sqlite_known(tmp_path: Path, knowledge: KnowledgeBase) -> Iterator[Review]:
    review = sqlite_review(tmp_path, knowledge)
    yield review
    review.engine.dispose()


@pytest.fixture
def app(tmp_path: Path, sqlite_known: Review) -> ManagerApp:
    set_password(tmp_path / "config", PASSWORD)
    opened: list[Review] = []

    def open_review() -> Review:
        opened.append(sqlite_known)
        return sqlite_known

    manager = ManagerApp(load_hash(tmp_path / "config"), open_review, counted(tmp_path))
    manager.opened = opened  # type: ignore[attr-defined]
    return manager


async def log_in(app: ManagerApp, pilot: object, password: str = PASSWORD) -> None:
    app.screen.query_one("#login-password", Input).value = password
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def settle(app: ManagerApp, pilot: object) -> None:
    """Let the section workers finish and their results be mounted."""
    await pilot.pause()  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def show_period(app: ManagerApp, pilot: object, start: str, end: str) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    screen.query_one("#date-from", Input).value = start
    screen.query_one("#date-to", Input).value = end
    await pilot.click("#apply")  # type: ignore[attr-defined]
    await settle(app, pilot)
    return screen


def cards(screen: DashboardScreen) -> dict[str, str]:
    labels = [str(s.render()) for s in screen.query(".card-label").results(Static)]
    values = [str(s.render()) for s in screen.query(".card-value").results(Static)]
    return dict(zip(labels, values, strict=True))


def table_rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_a_wrong_password_is_refused_and_nothing_is_read(app: ManagerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot, "not the password")
        assert isinstance(app.screen, LoginScreen)
        problem = str(app.screen.query_one("#login-problem", Static).render())
        assert "not right" in problem
        assert app.opened == []  # type: ignore[attr-defined]
        for _ in range(MAX_ATTEMPTS - 1):
            await log_in(app, pilot, "still wrong")
        assert app.opened == []  # type: ignore[attr-defined]
    assert app.return_value == 1


async def test_the_right_password_opens_the_overview_with_headline_and_trend(
    app: ManagerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = await show_period(app, pilot, "2025-03-03", "2025-03-16")
        assert cards(screen) == {
            "Sessions": "62",
            "Reached services": "20",
            "Ended in unmet need": "53",
            "Shown safeguarding contacts": "[c]",
            "Gave up": "18",
        }
        weekly = screen.query_one("#table-weekly", FigureTable)
        assert table_rows(weekly) == [["2025-03-03", "34", "27"], ["2025-03-10", "28", "26"]]
        assert screen.query_one("#figure-weekly").query("PlotextPlot")


async def test_filters_change_every_figure_and_bad_dates_are_explained(app: ManagerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = await show_period(app, pilot, "2025-03-03", "2025-03-16")
        screen.query_one("#site", Select).value = "central-library"
        await pilot.click("#apply")
        await settle(app, pilot)
        assert cards(screen)["Sessions"] == "61"
        screen.query_one("#site", Select).clear()
        screen.query_one("#channel", Select).value = "advocate"
        await pilot.click("#apply")
        await settle(app, pilot)
        assert cards(screen)["Sessions"] == "[c]"
        screen.query_one("#date-from", Input).value = "3 March"
        await pilot.click("#apply")
        await pilot.pause()
        problem = str(screen.query_one("#filter-problem", Static).render())
        assert "'From' must be a date written like 2025-03-31" in problem
        assert cards(screen)["Sessions"] == "[c]", "the figures stay as they were"


async def test_tabs_show_protected_tables_and_a_figure_drills_down_to_pathways(
    app: ManagerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = await show_period(app, pilot, "2025-03-03", "2025-03-16")
        screen.query_one(TabbedContent).active = "places"
        await settle(app, pilot)
        districts = screen.query_one("#table-unmet_by_district", FigureTable)
        assert table_rows(districts)[:3] == [
            ["NB1", "22", "20,000", "110.0"],
            ["NB2", "[c]", "10,000", "[c]"],
            ["NB3", "[c]", "5,000", "[c]"],
        ]
        screen.query_one(TabbedContent).active = "unmet"
        await settle(app, pilot)
        by_need = screen.query_one("#table-unmet_by_need", FigureTable)
        assert table_rows(by_need)[0] == ["Housing", "33", "532.3", "[c]", "[c]", "[c]"]
        by_need.focus()
        by_need.move_cursor(row=0)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PathwaysScreen)
        paths = app.screen.query_one("#pathways", PagedFigure).query_one(FigureTable)
        assert table_rows(paths) == [
            ["What do you need help with? Rent > Are you behind with rent? Yes", "16"],
            ["What do you need help with? Repairs", "13"],
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_a_hidden_figure_does_not_drill_down(app: ManagerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = await show_period(app, pilot, "2025-03-03", "2025-03-16")
        screen.query_one(TabbedContent).active = "places"
        await settle(app, pilot)
        districts = screen.query_one("#table-unmet_by_district", FigureTable)
        districts.focus()
        districts.move_cursor(row=2)  # NB3: [c] (fewer than 5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_services_are_paged_and_every_tab_loads(app: ManagerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = await show_period(app, pilot, "2025-03-03", "2025-03-16")
        for tab in ("unmet", "places", "cost", "funnels", "services", "requests", "content"):
            screen.query_one(TabbedContent).active = tab
            await settle(app, pilot)
        services = screen.query_one("#figure-service_pressure", PagedFigure)
        assert str(services.query_one(".page-label", Static).render()) == "Page 1 of 1 (3 rows)"
        assert table_rows(services.query_one(FigureTable))[0][:4] == [
            "Deposit scheme",
            "20",
            "0",
            "20",
        ]
        requests = screen.query_one("#table-unmatched_requests", FigureTable)
        assert table_rows(requests) == [[NOT_QUOTED, "9"]]  # said on two days only
        asked = screen.query_one("#table-asked_for_person_by_topic", FigureTable)
        assert table_rows(asked) == [["Caring", "[c]"], ["Housing", "[c]"], ["All who asked", "9"]]
        funnel = screen.query_one("#table-funnel-housing-topic", FigureTable)
        assert table_rows(funnel)[1] == [
            "Are you behind with rent?",
            "26",
            "6",
            "23.1",
        ]


async def test_records_that_cannot_be_read_close_the_app_with_the_reason(tmp_path: Path) -> None:
    from navigator.records.reports.review import ReviewProblem

    set_password(tmp_path / "config", PASSWORD)

    def open_review() -> Review:
        raise ReviewProblem("there is no records database at /nowhere yet")

    app = ManagerApp(load_hash(tmp_path / "config"), open_review, counted(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
    assert app.return_value == 2


async def test_an_empty_database_shows_zeros(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    from navigator.records.database import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}", writing=True)
    upgrade(engine)
    set_password(tmp_path / "config", PASSWORD)
    app = ManagerApp(
        load_hash(tmp_path / "config"),
        lambda: Review(engine=engine, knowledge=knowledge),
        counted(tmp_path),
    )
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert cards(screen)["Sessions"] == "0"
        screen.query_one(TabbedContent).active = "unmet"
        await settle(app, pilot)
        assert table_rows(screen.query_one("#table-unmet_by_need", FigureTable)) == [
            ["All unmet need", "0", "", "0", "0", ""]
        ]
    engine.dispose()


async def test_refresh_reads_sessions_that_arrived_since(
    app: ManagerApp, sqlite_known: Review
) -> None:
    from tests.manager.known_data import WEEK_0, gave_up_at_rent, store

    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = await show_period(app, pilot, "2025-03-03", "2025-03-16")
        assert cards(screen)["Sessions"] == "62"
        store(sqlite_known.engine, [gave_up_at_rent(WEEK_0) for _ in range(3)])
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert cards(screen)["Sessions"] == "65"


async def test_the_unmet_need_card_drills_down_to_its_pathways(app: ManagerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = await show_period(app, pilot, "2025-03-03", "2025-03-16")
        await pilot.click(".drillable")
        await settle(app, pilot)
        assert isinstance(app.screen, PathwaysScreen)
        paths = app.screen.query_one("#pathways", PagedFigure).query_one(FigureTable)
        assert table_rows(paths)[0] == [
            "What do you need help with? Rent > Are you behind with rent? Yes",
            "16",
        ]
        intro = str(app.screen.query_one("#pathways-intro", Static).render())
        assert "Sessions ending in unmet need" in intro
        assert len(screen.query(".drillable")) == 1, "only the unmet-need card drills down"


async def test_a_click_on_an_asked_for_a_person_row_opens_its_pathways(app: ManagerApp) -> None:
    # Housing alone: the 6 who asked at housing-rent are a figure big enough to show.
    async with app.run_test(size=SIZE) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.query_one("#topic", Select).value = "housing-topic"
        await show_period(app, pilot, "2025-03-03", "2025-03-16")
        screen.query_one(TabbedContent).active = "funnels"
        await settle(app, pilot)
        asked = screen.query_one("#table-asked_for_person_by_topic", FigureTable)
        assert table_rows(asked) == [["Housing", "6"], ["All who asked", "6"]]
        asked.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#table-asked_for_person_by_topic", offset=(2, 2))  # the Housing row
        await settle(app, pilot)
        assert isinstance(app.screen, PathwaysScreen)
        intro = str(app.screen.query_one("#pathways-intro", Static).render())
        assert intro.startswith("Pathways behind: Asked to talk to a person in Housing.")
        paths = app.screen.query_one("#pathways", PagedFigure).query_one(FigureTable)
        assert table_rows(paths) == [["What do you need help with? Rent", "6"]]
