"""The Content tab lists the national rules and rates due for checking against their sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from navigator.kb import load
from navigator.records.database import make_engine, upgrade
from navigator.records.reports.review import Review
from navigator.records.reports.tables import Filters, Period
from tests.kb.kbfiles import TOPIC, write_kb
from tests.support.reports import shown

RATES = """rates:
  - id: grant.weekly
    title: The carers grant each week
    source: https://www.gov.uk/carers-grant
    verified_on: 2025-01-10
    values:
      - {from: 2024-04-01, to: 2025-07-31, value: "£12"}
"""


def test_rules_and_rates_due_for_checking(tmp_path: Path) -> None:
    kb = write_kb(
        tmp_path / "kb",
        topics=TOPIC,
        extra={"rates.yaml": RATES},
    )
    knowledge = load(kb).knowledge
    engine = make_engine(f"sqlite:///{tmp_path / 'records.sqlite3'}", writing=True)
    upgrade(engine)
    try:

        def table_on(day: dt.date) -> list[list[str]]:
            review = Review(engine=engine, knowledge=knowledge, threshold=5, today=lambda: day)
            filters = Filters(Period(day - dt.timedelta(days=91), day))
            return shown(review.report(filters).table("rules_due"))

        assert table_on(dt.date(2025, 6, 1)) == [
            [
                "The carers grant each week",
                "no value from 2025-08-01",
                "https://www.gov.uk/carers-grant",
            ],
        ]
        assert table_on(dt.date(2025, 11, 2)) == [
            [
                "The carers grant each week",
                "no value from 2025-11-02",
                "https://www.gov.uk/carers-grant",
            ],
            ["Carers grant", "checked 2025-05-01", "https://www.gov.uk/carers-allowance"],
        ]
    finally:
        engine.dispose()
