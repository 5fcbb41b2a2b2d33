"""Longer trends: unmet need by calendar month and category, for any period up to three years,
protected together with the unmet-need tables (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt

from navigator.records.reports.review import Review
from navigator.records.reports.tables import Filters, Period
from tests.manager.known_data import FILTERS
from tests.support.reports import shown

QUARTER = Filters(Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31)))


def test_unmet_need_by_month_and_category(review: Review) -> None:
    # February holds the period before's 19 records (housing 7, carers 10, money 2), March the
    # 53 of the known period. Money's 2 is hidden, so February's smallest other cell (housing's
    # 7) is hidden beside it, and with it housing's quarter (7 + 33): the totals stay shown,
    # since a complement is taken from the rows before a total (issue 16). Columns follow
    # the published quarter figures, hidden ones last in title order.
    table = review.report(QUARTER).table("unmet_by_month")
    assert [column.title for column in table.columns] == [
        "Month",
        "Support for carers",
        "Not matched to a need",
        "Housing",
        "Money",
        "All unmet need",
    ]
    assert shown(table) == [
        ["2025-01", "0", "0", "0", "0", "0"],
        ["2025-02", "10", "0", "[c]", "<5", "19"],
        ["2025-03", "11", "9", "33", "0", "53"],
    ]
    assert [row[:2] for row in shown(review.report(QUARTER).table("unmet_by_need"))] == [
        ["Support for carers", "21"],
        ["Not matched to a need", "9"],
        ["Housing", "[c]"],
        ["Money", "<5"],
        ["All unmet need", "72"],
    ]
    assert table.chart is not None and table.chart.kind == "line"


def test_the_monthly_trend_is_on_the_unmet_tab_and_stops_at_three_years(review: Review) -> None:
    assert [t.key for t in review.section("unmet", FILTERS)] == [
        "unmet_by_need",
        "unmet_by_reason",
        "unmet_by_age_band",
        "unmet_by_month",
    ]
    three_years = Filters(Period(dt.date(2022, 4, 1), dt.date(2025, 3, 31)))
    rows = review.report(three_years).table("unmet_by_month").rows
    assert len(rows) == 36 and rows[0][0] == "2022-04" and rows[-1][0] == "2025-03"
    longer = review.report(Filters(Period(dt.date(2021, 1, 1), dt.date(2025, 3, 31))))
    table = longer.table("unmet_by_month")
    assert table.rows == () and "up to three years" in table.note
