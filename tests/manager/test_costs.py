"""The indicative cost of unmet need, by agency: exact pounds on the known sessions, from the
published counts only (SQLite, and PostgreSQL when NAVIGATOR_TEST_POSTGRES_URL is set).

Known data (tests/manager/known_data.py): Housing carries housing's 33 records, the NHS
housing's 20 (waiting list) and carers' 11, adult social care carers' 11. Housing need is
expected to bring 1 / 2 / 4 hostel nights (£35; low / central / high) and 0.1 / 0.2 / 0.5
A&E attendances (£150) a record, carers' need 0.5 / 1 / 2 GP appointments (£40); social care
has no unit cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from navigator.kb import KnowledgeBase
from navigator.records.database import make_engine, upgrade
from navigator.records.reports.export import render
from navigator.records.reports.presets import preset
from navigator.records.reports.review import Review
from navigator.records.reports.sections import section
from navigator.records.reports.summary import summarise
from tests.manager.known_data import FILTERS, TODAY, WEEK_1, carers_none, known_sessions, store
from tests.records.conftest import throwaway_postgres
from tests.support.reports import shown


def test_the_cost_per_agency_in_pounds_from_the_published_counts(review: Review) -> None:
    report = review.report(FILTERS)
    # Housing: 33 x 1 x £35 = £1,155 (to £1,160), 33 x 2 x £35 = £2,310, 33 x 4 x £35 = £4,620.
    # NHS: low 20 x 0.1 x £150 + 11 x 0.5 x £40 = £520; central 20 x 0.2 x £150 + 11 x 1 x £40
    # = £1,040; high 20 x 0.5 x £150 + 11 x 2 x £40 = £2,380.
    # All: £1,675 (to £1,680, halves up), £3,350, £7,000.
    assert shown(report.table("unmet_cost_by_agency")) == [
        ["Housing", "1160", "2310", "4620", ""],
        ["NHS", "520", "1040", "2380", ""],
        ["Adult social care", "", "", "", "no unit costs for this agency's likely events"],
        ["All agencies", "1680", "3350", "7000", ""],
    ]
    note = report.table("unmet_cost_by_agency").note
    # The sensitivity: the hostel nights swing £3,465 (33 x 3 x £35), the A&E attendances
    # £1,200 and the GP appointments £660; hostel nights from low to high with the rest
    # central: £3,350 - £2,310 + £1,155 = £2,195 (to £2,200) to £3,350 - £2,310 + £4,620.
    assert (
        "the assumption that moves the total most is how often 'A night in a hostel' follows "
        "Housing; from its low to its high estimate, with every other assumption at its "
        "central, the total goes from £2,200 to £5,660 (central £3,350)."
    ) in note
    # £2,310 of £3,350 is 69%: a hostel night 10% dearer adds 6.9%.
    assert "Its unit cost is 69% of the central total" in note and "by 6.9%" in note
    assert "own price years (2023/24), as published, not uprated" in note
    assert "2 of the unit costs used were read at second hand" in note


def test_every_assumption_is_listed_with_its_source(review: Review) -> None:
    table = review.report(FILTERS).table("cost_assumptions")
    assert [row[:7] for row in shown(table)] == [
        ["Housing", "Housing", "A night in a hostel", "1 / 2 / 4", "a few nights", "35", "night"],
        ["Housing", "NHS", "An A&E attendance", "0.1 / 0.2 / 0.5", "", "150", "attendance"],
        ["Support for carers", "NHS", "A GP appointment", "0.5 / 1 / 2", "", "40", "appointment"],
    ]
    hostel = table.row_for("Housing")
    assert hostel["publication"] == (
        "Testham unit costs (2024), Table 1, hostels; 2023/24 prices, uprated: from 2022/23 "
        "by the GDP deflator"
    )
    assert [row[8] for row in shown(table)] == [
        "in the source itself",
        "at second hand",
        "at second hand",
    ]
    assert hostel["source"] == "example.org/hostel"  # no "http" in a self-contained report
    assert "content staff's estimate" in table.note


def test_under_rounding_the_cost_is_made_from_the_rounded_counts(review: Review) -> None:
    rounded = Review(
        engine=review.engine,
        knowledge=review.knowledge,
        preset=preset("nhs-digital"),
        today=lambda: TODAY,
    )
    report = rounded.report(FILTERS)
    assert shown(report.table("agency_by_need")) == [
        ["Housing", "Housing", "35"],
        ["NHS", "Housing", "20"],
        ["NHS", "Support for carers", "10"],
        ["Adult social care", "Support for carers", "10"],
    ]
    # 35 x £35 = £1,225 (to £1,230); NHS 20 x £15 + 10 x £20 = £500 to 20 x £75 + 10 x £80.
    # Central: 35 x 2 x £35 = £2,450; NHS 20 x £30 + 10 x £40 = £1,000.
    assert shown(report.table("unmet_cost_by_agency")) == [
        ["Housing", "1230", "2450", "4900", ""],
        ["NHS", "500", "1000", "2300", ""],
        ["Adult social care", "", "", "", "no unit costs for this agency's likely events"],
        ["All agencies", "1730", "3450", "7200", ""],
    ]


def test_the_cost_shows_in_who_pays_and_in_every_export(review: Review) -> None:
    assert section("cost").shows("unmet_cost_by_agency")
    assert section("cost").shows("cost_assumptions")
    keys = [table.key for table in review.section("cost", FILTERS)]
    assert keys[-2:] == ["unmet_cost_by_agency", "cost_assumptions"]
    report = review.report(FILTERS)
    html = render(report, "html")
    assert '<section id="unmet_cost_by_agency">' in html and "4,620" in html
    assert "example.org/hostel" in html and "http" not in html.lower()
    csv_text = render(report, "csv")
    assert "Agency,Low estimate (£),Central estimate (£),High estimate (£),Not costed" in csv_text
    assert "All agencies,1680,3350,7000," in csv_text
    assert "Sensitivity: the assumption that moves the total most" in html
    assert "Indicative cost of unmet need" in render(report, "md")


# --- A hidden count cannot be recovered from the cost -----------------------------------


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def two_databases(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    knowledge: KnowledgeBase,
) -> Iterator[tuple[Engine, Engine]]:
    """The known sessions, and the same with one more carer whose need went unmet."""
    extra = carers_none(WEEK_1 + dt.timedelta(hours=12), "NB2")
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("two")
        urls = [f"sqlite:///{folder / name}.sqlite3" for name in ("one", "two")]
        yield _filled(urls, knowledge, extra)
        return
    with throwaway_postgres("navigator_c1") as one, throwaway_postgres("navigator_c2") as two:
        engines = _filled([one, two], knowledge, extra)
        try:
            yield engines
        finally:
            for engine in engines:
                engine.dispose()


def _filled(urls: list[str], knowledge: KnowledgeBase, extra: object) -> tuple[Engine, Engine]:
    engines = []
    for number, url in enumerate(urls):
        engine = make_engine(url, writing=True)
        upgrade(engine)
        walks = known_sessions(knowledge.content_hash)
        store(engine, walks + ([extra] if number else []))  # type: ignore[list-item]
        engines.append(engine)
    return engines[0], engines[1]


def test_a_hidden_count_cannot_be_recovered_from_the_cost(
    two_databases: tuple[Engine, Engine], knowledge: KnowledgeBase
) -> None:
    # With counts under 15 hidden, carers' 11 (or 12) records are hidden in both databases,
    # and the NHS's 20 of housing with them (else the NHS's shown 31 would give 11 away):
    # the cost must be the same for both, made of housing's shown 33 alone.
    reports = [
        Review(engine=engine, knowledge=knowledge, threshold=15, today=lambda: TODAY).report(
            FILTERS
        )
        for engine in two_databases
    ]
    one, two = (report.table("agency_by_need") for report in reports)
    assert shown(one) == shown(two)
    assert ["NHS", "Support for carers", "<15"] in shown(one)
    costs = [shown(report.table("unmet_cost_by_agency")) for report in reports]
    assert costs[0] == costs[1]
    assert costs[0] == [
        ["Housing", "1160", "2310", "4620", ""],
        ["Adult social care", "", "", "", "no unit costs for this agency's likely events"],
        ["NHS", "", "", "", "count hidden to protect people: Housing, Support for carers"],
        ["All agencies", "1160", "2310", "4620", ""],
    ]
    notes = [report.table("unmet_cost_by_agency").note for report in reports]
    assert "lower bound" in notes[0]
    # The sensitivity note and the summary are made of the same published cells: identical.
    assert notes[0] == notes[1]
    assert "from £1,160 to £4,620 (central £2,310)" in notes[0]
    said = [
        [line for line in summarise(report) if line.table_key == "unmet_cost_by_agency"]
        for report in reports
    ]
    assert said[0] == said[1] and len(said[0]) == 1
