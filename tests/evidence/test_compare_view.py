"""The manager's "Compare places" view, driven by keyboard under Pilot at 80x24 and 120x40,
on the four made-up councils' real packs (conftest), read back from the screen and checked
against `compare_packs` (whose figures `test_compare.py` checks by hand)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Footer, Static

from navigator.interop.evidence.compare import Comparison, compare_packs
from navigator.interop.evidence.register import published_packs
from navigator.kb import load
from navigator.records.database import make_engine
from navigator.records.reports.access import load_hash, set_password
from navigator.records.reports.review import Review
from navigator.tui.manager.app import ManagerApp
from navigator.tui.manager.compare import CompareScreen, PackSources
from navigator.tui.manager.dashboard import DashboardScreen
from navigator.tui.manager.figures import BarChart, FigureTable
from tests.conftest import DEMO_KNOWLEDGE
from tests.evidence.conftest import COUNCILS, Place
from tests.manager.test_dashboard import PASSWORD, counted, log_in, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def review(councils: Place) -> Iterator[Review]:
    """Northbrook's own records behind the review (the dashboard opens before the view)."""
    engine = make_engine(f"sqlite:///{councils.folder / 'northbrook.sqlite3'}")
    yield Review(engine=engine, knowledge=load(DEMO_KNOWLEDGE).knowledge, threshold=5)
    engine.dispose()


def manager(tmp_path: Path, review: Review, packs: PackSources) -> ManagerApp:
    set_password(tmp_path / "config", PASSWORD)
    return ManagerApp(load_hash(tmp_path / "config"), lambda: review, counted(tmp_path), packs)


async def open_compare(app: ManagerApp, pilot: object) -> CompareScreen:
    """Log in, then press c as a manager would (the footer names the key)."""
    await log_in(app, pilot)
    await settle(app, pilot)
    assert isinstance(app.screen, DashboardScreen)
    assert "Compare places" in footer_text(app)
    await pilot.press("c")  # type: ignore[attr-defined]
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    return screen


def footer_text(app: ManagerApp) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.children)


def shown_rows(screen: CompareScreen) -> list[list[str]]:
    table = screen.query_one("#compare-table", FigureTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


def bars(chart: BarChart) -> list[tuple[str, int, str]]:
    """(label, bar length, value printed) for each drawn line, as tests/manager/test_charts."""
    found = []
    for line in chart.render_lines_text():
        label, _, rest = line.partition(" │")
        bar = re.match(r"█*", rest)
        assert bar is not None
        found.append((label.strip(), len(bar.group()), rest[len(bar.group()) :].strip()))
    return found


def expected_rows(comparison: Comparison, per: str, kind: str = "need") -> list[list[str]]:
    """The rows the table must show, from `compare_packs`'s own figures."""
    rows = []
    lines = comparison.needs if kind == "need" else comparison.reasons
    for line in lines:
        rates = line.per_1000 if per == "1000" else line.per_100k
        spread = line.spread(rates)
        low, middle, high = (f"{v:,.1f}" for v in spread) if spread else ("", "", "")
        place = line.place(rates, comparison.ours)
        shown = [rate.text().replace("–", "") for rate in rates]
        rows.append([line.label, *shown, low, middle, high, place])
    return rows


@pytest.mark.parametrize("size", SIZES)
async def test_compare_places_shows_the_compare_commands_figures(
    councils: Place, review: Review, tmp_path: Path, size: tuple[int, int]
) -> None:
    # Every pack was published from one data folder, so the register knows all four folders;
    # Eastmoor is named on the command line as well (it is shown once).
    register = councils.folder / "data" / "published-packs.json"
    packs = [councils.pack(council) for council in COUNCILS]
    assert published_packs(register) == [pack.resolve() for pack in packs]
    expected = compare_packs(packs)
    app = manager(tmp_path, review, PackSources(register, (councils.pack("eastmoor"),)))
    async with app.run_test(size=size) as pilot:
        screen = await open_compare(app, pilot)
        summary = str(screen.query_one("#compare-summary", Static).render())
        assert f"{councils.period} · 4 places · ours: Northbrook (E06000901)" in summary
        assert str(screen.query_one("#compare-left-out", Static).render()) == ""
        assert shown_rows(screen) == expected_rows(expected, "1000")
        # Northbrook's chart: one bar per need with its own label, as long as its rate.
        chart = screen.query_one("#compare-body BarChart", BarChart)
        drawn = bars(chart)
        assert [printed for _, _, printed in drawn] == [
            line.per_1000[0].text() for line in expected.needs
        ]
        for (label, _, _), line in zip(drawn, expected.needs, strict=True):
            assert line.label.startswith(label.rstrip("…"))
        # Where Northbrook sits for the row under the cursor: each council's bar, highest first.
        first = expected.needs[0]
        place = screen.query_one("#place-figure")
        assert first.label in str(place.query_one(Static).render())
        assert first.place(first.per_1000, 0) in str(place.query_one(Static).render())
        rates = first.per_1000
        order = sorted(range(4), key=lambda i: (rates[i].value is None, -(rates[i].value or 0)))
        place_bars = bars(place.query_one(BarChart))
        names = [expected.councils[i].name for i in order]
        assert [label for label, _, _ in place_bars] == [
            f"{name} (ours)" if name == "Northbrook" else name for name in names
        ]
        assert [printed for _, _, printed in place_bars] == [rates[i].text() for i in order]
        # Down moves the cursor; the place chart follows the row.
        screen.query_one("#compare-table", FigureTable).focus()
        await pilot.press("down")
        await settle(app, pilot)
        assert expected.needs[1].label in str(
            screen.query_one("#place-figure").query_one(Static).render()
        )
        hints = footer_text(app)
        assert "Back to the review" in hints and "Next measure" in hints
        assert "Pathways" not in hints, "no pathways lie behind another council's figure"
        # m: the next measure, per 100,000 residents.
        await pilot.press("m")
        await settle(app, pilot)
        assert shown_rows(screen) == expected_rows(expected, "100k")
        known = [r for line in expected.needs for r in line.per_100k if r.value is not None]
        assert len(known) > len(expected.needs), "most rates per 100,000 residents are known"
        drawn = bars(screen.query_one("#compare-body BarChart", BarChart))
        assert [printed for _, _, printed in drawn] == [
            line.per_100k[0].text() for line in expected.needs
        ]
        assert any(length > 0 for _, length, _ in drawn)
        await pilot.press("m")
        await settle(app, pilot)
        assert shown_rows(screen) == expected_rows(expected, "1000", "reason")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_our_council_is_the_first_pack_given(
    councils: Place, review: Review, tmp_path: Path
) -> None:
    packs = [councils.pack(c) for c in ("eastmoor", "northbrook", "riverford", "hallam-vale")]
    expected = compare_packs(packs)
    app = manager(tmp_path, review, PackSources(None, tuple(packs)))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_compare(app, pilot)
        assert "ours: Eastmoor (E06000902)" in str(screen.query_one("#compare-summary").render())
        assert shown_rows(screen) == expected_rows(expected, "1000")


def with_crosswalk(pack: Path, folder: Path, version: str) -> Path:
    """A copy of `pack` as if coded with another crosswalk version."""
    copy = Path(shutil.copytree(pack, folder))
    data = copy / "unmet-need.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("crosswalk_version")
    rows = [line.split(",") for line in lines[1:]]
    for row in rows:
        row[column] = version
    data.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return copy


@pytest.mark.parametrize("size", SIZES)
async def test_packs_that_cannot_compare_are_left_out_in_plain_words(
    councils: Place, review: Review, tmp_path: Path, size: tuple[int, int]
) -> None:
    broken = Path(shutil.copytree(councils.pack("eastmoor"), tmp_path / "broken"))
    (broken / "unmet-need.csv").write_text("period,count\n2026-Q3\n", encoding="utf-8")
    other_version = with_crosswalk(councils.pack("riverford"), tmp_path / "old", "2020-01-01")
    given = (
        councils.pack("northbrook"),
        tmp_path / "missing",
        broken,
        other_version,
        councils.pack("hallam-vale"),
    )
    expected = compare_packs([councils.pack("northbrook"), councils.pack("hallam-vale")])
    app = manager(tmp_path, review, PackSources(None, given))
    async with app.run_test(size=size) as pilot:
        screen = await open_compare(app, pilot)
        left_out = str(screen.query_one("#compare-left-out", Static).render())
        assert f"Left out: {tmp_path / 'missing' / 'datapackage.json'}: there is no" in left_out
        assert "broken/unmet-need.csv:2: this row does not follow the schema" in left_out
        assert "was coded with crosswalk version 2020-01-01" in left_out
        assert "Ask Riverford for a pack coded with" in left_out
        assert "Traceback" not in left_out
        assert "2 places" in str(screen.query_one("#compare-summary", Static).render())
        assert shown_rows(screen) == expected_rows(expected, "1000")


async def test_no_packs_says_how_to_get_some(
    councils: Place, review: Review, tmp_path: Path
) -> None:
    app = manager(tmp_path, review, PackSources(tmp_path / "no-register.json", ()))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(app, pilot)
        shown = str(screen.query_one("#compare-summary", Static).render())
        # The words are the knowledge base's (messages/manager.yaml), not the key.
        assert shown == review.knowledge.message("manager_no_packs")
        assert shown.startswith("No packs to compare. Publish this council's pack")
        assert not screen.query("#compare-table")


def test_an_unreadable_register_is_named(tmp_path: Path) -> None:
    from navigator.interop.evidence.gathering import gather_sources

    register = tmp_path / "published-packs.json"
    register.write_text("{not json", encoding="utf-8")
    gathered = gather_sources(register, ())
    assert gathered.comparison is None
    (message,) = gathered.left_out
    assert message.startswith(f"Left out: this council's own packs, since {register}:")
