"""The cost of unmet need with the council's own knowledge base (knowledge/): the unit costs
found for housing (a night in temporary accommodation, derived from MHCLG's published
figures) and children's services (a week of foster care, PSSRU 2017) reach the Who pays
tab, every export and the HTML report, with exact pounds (SQLite, and PostgreSQL when
NAVIGATOR_TEST_POSTGRES_URL is set).

Known data: in the fortnight 2025-03-03 to 2025-03-16, 40 sessions record Housing unmet
(no service) and 20 record Support for families unmet, with no node (so each need's own
`cost_falls_on` applies: Housing on housing, the NHS, adult social care and children's
services; families on children's services, schools, the police and housing).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import TabbedContent

from navigator.kb import KnowledgeBase
from navigator.records.reports.access import load_hash, set_password
from navigator.records.reports.export import render
from navigator.records.reports.review import Review
from navigator.tui.manager.app import ManagerApp
from navigator.tui.manager.figures import FigureTable
from tests.manager.known_data import FILTERS, TODAY, WEEK_0, WEEK_1, Walk, store
from tests.manager.test_dashboard import PASSWORD, counted, log_in, settle, table_rows
from tests.manager.test_dashboard_symbols import apply
from tests.support.reports import shown

HOUSING, FAMILIES = 40, 20

# Housing: 40 records x 0.2 / 1 / 5 nights x £56 = £448 / £2,240 / £11,200.
# Children's services: 20 x 0 / 0.05 / 0.2 weeks x £646 = £0 / £646 / £2,584.
# NHS (housing's records): 40 x (0.2 / 0.5 / 1 GP x £45 + 0.02 / 0.05 / 0.1 A&E x £273)
#   = £360 + £218.40 / £900 + £546 / £1,800 + £1,092 = £578.40 / £1,446 / £2,892.
# All: £1,026.40 / £4,332 / £16,676. Each to the nearest £10, halves up.
EXPECTED = [
    ["Housing", "450", "2240", "11200", ""],
    ["NHS", "580", "1450", "2890", ""],
    ["Children's services", "0", "650", "2580", ""],
    ["Adult social care", "", "", "", "no unit costs for this agency's likely events"],
    ["Police", "", "", "", "no unit costs for this agency's likely events"],
    ["Schools and colleges", "", "", "", "no unit costs for this agency's likely events"],
    ["All agencies", "1030", "4330", "16680", ""],
]


def unmet(start: dt.datetime, need: str, content_hash: str) -> Walk:
    walk = Walk(start, content_hash=content_hash).begin()
    walk.unmet(need, "no_service")
    return walk.end("finished", None, False)


def fill(engine: Engine, knowledge: KnowledgeBase) -> None:
    minutes = [dt.timedelta(minutes=3 * number) for number in range(HOUSING)]
    walks = [unmet(WEEK_0 + gap, "housing", knowledge.content_hash) for gap in minutes]
    walks += [
        unmet(WEEK_1 + gap, "family-support", knowledge.content_hash) for gap in minutes[:FAMILIES]
    ]
    store(engine, walks)


@pytest.fixture
def review(fresh_engine: Engine, demo_kb: KnowledgeBase) -> Review:
    fill(fresh_engine, demo_kb)
    return Review(engine=fresh_engine, knowledge=demo_kb, threshold=5, today=lambda: TODAY)


def test_the_derived_night_and_the_foster_week_are_as_their_sources_say(
    demo_kb: KnowledgeBase,
) -> None:
    night = demo_kb.unit_costs["temporary-accommodation-night"]
    assert (night.agency, night.pounds, night.per) == ("housing", 56, "household night")
    assert night.derived is not None and night.read_in.startswith("Secondary")
    # The arithmetic the entry shows gives the figure it states.
    average = (Decimal(104_510) + Decimal(117_450)) / 2
    assert average == 110_980
    assert round(Decimal(2_290_000_000) / average / 366, 2) == Decimal("56.38")
    for figure in ("£2,290,000,000", "110,980", "104,510", "117,450", "366", "£56.38"):
        assert figure in night.derived
    foster = demo_kb.unit_costs["foster-care-week"]
    assert (foster.agency, foster.pounds) == ("childrens-services", 646)
    assert foster.price_base == "2016/17"
    assert foster.read_in.startswith("Secondary") and foster.derived is None


def test_every_agency_with_a_unit_cost_is_used_by_a_need_that_names_it(
    demo_kb: KnowledgeBase,
) -> None:
    for agency in ("housing", "childrens-services"):
        costs = {cost.id for cost in demo_kb.unit_costs.values() if cost.agency == agency}
        users = [
            need.id
            for need in demo_kb.needs.values()
            if agency in need.cost_falls_on and {e.cost for e in need.likely_events} & costs
        ]
        assert users, agency
    users = {
        need.id
        for need in demo_kb.needs.values()
        if any(e.cost == "temporary-accommodation-night" for e in need.likely_events)
    }
    assert users == {"housing", "domestic-abuse", "money-debt"}


def test_who_pays_with_the_real_unit_costs_in_every_export(review: Review) -> None:
    report = review.report(FILTERS)
    assert shown(report.table("unmet_cost_by_agency")) == EXPECTED
    note = report.table("unmet_cost_by_agency").note
    # Housing's nights swing 40 x 4.8 x £56 = £10,752, the most: with the rest central the
    # total goes from £4,332 - £2,240 + £448 = £2,540 to £4,332 - £2,240 + £11,200 = £13,292.
    assert (
        "how often 'A night in temporary accommodation (hostel, B&B, nightly paid or leased) "
        "for a homeless household, England average' follows Housing; from its low to its high "
        "estimate, with every other assumption at its central, the total goes from £2,540 to "
        "£13,290 (central £4,330)."
    ) in note
    assert "1 of them no publication states: derived here" in note
    assert "2016/17" in note and "2023/24" in note
    assumptions = report.table("cost_assumptions")
    rows = {(row[0], row[2]): row for row in shown(assumptions)}
    night = rows[
        (
            "Housing",
            "A night in temporary accommodation (hostel, B&B, nightly paid or leased) for a "
            "homeless household, England average",
        )
    ]
    assert night[3:4] + night[5:7] == ["0.2 / 1 / 5", "56", "household night"]
    assert "derived here: £2,290,000,000" in night[7]
    assert night[8] == "derived here from published figures read at second hand"
    csv_text = render(report, "csv")
    assert "Housing,450,2240,11200," in csv_text
    assert "Children's services,0,650,2580," in csv_text
    assert "All agencies,1030,4330,16680," in csv_text
    html = render(report, "html")
    assert "11,200" in html and "16,680" in html
    assert "derived here from published figures read at second hand" in html
    assert "derived here" in render(report, "md")


async def test_the_who_pays_tab_shows_the_real_unit_costs(tmp_path: Path, review: Review) -> None:
    set_password(tmp_path / "config", PASSWORD)
    app = ManagerApp(load_hash(tmp_path / "config"), lambda: review, counted(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(app, pilot)
        await settle(app, pilot)
        screen = await apply(app, pilot)
        screen.query_one(TabbedContent).active = "cost"
        await settle(app, pilot)
        table = screen.query_one("#table-unmet_cost_by_agency", FigureTable)
        assert table_rows(table)[:3] == [
            ["Housing", "450", "2,240", "11,200", ""],
            ["NHS", "580", "1,450", "2,890", ""],
            ["Children's services", "0", "650", "2,580", ""],
        ]
