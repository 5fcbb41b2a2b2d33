"""An attacker's audit of whole reports on made-up data: no hidden cell can be pinned down.

For several random demo datasets (`navigator.records.demo`) and random filters
(period, site, channel, topic, threshold), the report is read by
`tests.manager.attacker`, which knows nothing of how it was protected: it
writes down every relation the printed tables show and solves for each hidden
cell's least and greatest whole value. The audit fails if any hidden cell is
pinned to one number, or if a withheld table still shows a figure.

Every preset is audited; under rounding ("nhs-digital") the attacker reads each
shown count as the range it was rounded from. Runs on SQLite, and on PostgreSQL
when a server is configured (fewer datasets: the queries are the same, so the
figures must be too).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from navigator.kb import KnowledgeBase
from navigator.records.database import make_engine
from navigator.records.demo import CHANNELS, fill
from navigator.records.reports.presets import preset
from navigator.records.reports.review import Review
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Filters, Period, Report
from tests.manager.attacker import pinned, read
from tests.records.conftest import throwaway_postgres

END = dt.date(2026, 6, 28)
SESSIONS = 5000
SQLITE_SEEDS = (1, 2, 3, 4)
POSTGRES_SEEDS = (5,)
RULES = ("threshold", "threshold-10", "nhs-digital")
"""Every disclosure preset; with rounding, the attacker reads each shown count as a range."""
SITES = sorted({site for _, _, sites in CHANNELS for site in sites})


def random_filters(rng: random.Random, knowledge: KnowledgeBase) -> list[Filters]:
    """A 13-week report, a month, and one filtered by site, channel or topic."""
    end = END - dt.timedelta(days=7 * rng.randrange(0, 40))
    quarter = Period(end - dt.timedelta(days=7 * 13 - 1), end)
    month_end = end - dt.timedelta(days=end.day)
    month = Period(month_end.replace(day=1), month_end)
    narrow = rng.choice(("site", "channel", "topic"))
    value = {
        "site": rng.choice(SITES),
        "channel": rng.choice([name for name, _, _ in CHANNELS]),
        "topic": rng.choice(sorted(knowledge.topics)),
    }[narrow]
    return [Filters(quarter), Filters(month), Filters(quarter, **{narrow: value})]


def attack(report: Report, knowledge: KnowledgeBase) -> list[str]:
    """Everything the attacker gives away, as readable lines (empty: nothing)."""
    problems = [
        f"{table.key} is withheld but still shows {len(table.rows)} rows"
        for table in report.tables
        if getattr(table, "withheld", False) and table.rows
    ]
    problems += [
        f"{found.var!r} reads {found.label} but can only be {found.value}"
        for found in pinned(read(report, knowledge))
    ]
    return problems


def audit_database(
    url: str, knowledge: KnowledgeBase, seed: int, rule: str = "threshold"
) -> list[str]:
    """The attacker's findings on three random reports; `rule` is the disclosure preset
    (for "threshold", the threshold is drawn at random: 5, 5 or 10)."""
    rng = random.Random(seed)
    engine = make_engine(url)
    found: list[str] = []
    hidden_cells = 0
    try:
        for filters in random_filters(rng, knowledge):
            threshold = rng.choice((5, 5, 10))
            review = Review(
                engine=engine,
                knowledge=knowledge,
                threshold=threshold,
                preset=None if rule == "threshold" else preset(rule),
            )
            threshold = review.threshold
            report = review.report(filters)
            hidden_cells += sum(
                isinstance(value, Hidden)
                for table in report.tables
                for row in table.rows
                for value in row
            )
            found += [
                f"seed {seed}, {filters.describe()}, threshold {threshold}: {line}"
                for line in attack(report, knowledge)
            ]
    finally:
        engine.dispose()
    assert hidden_cells > 50, "the audit must see reports with hidden cells to mean anything"
    return found


@pytest.mark.slow
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", SQLITE_SEEDS)
def test_no_hidden_cell_of_a_demo_report_can_be_pinned_down_sqlite(
    seed: int, rule: str, demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'navigator.sqlite3'}"
    fill(url, demo_kb, SESSIONS, seed=seed, end=END)
    assert audit_database(url, demo_kb, seed, rule) == []


@pytest.fixture
def postgres_database() -> Iterator[str]:
    with throwaway_postgres("navigator_a") as url:
        yield url


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("seed", POSTGRES_SEEDS)
def test_no_hidden_cell_of_a_demo_report_can_be_pinned_down_postgresql(
    seed: int, demo_kb: KnowledgeBase, postgres_database: str
) -> None:
    fill(postgres_database, demo_kb, SESSIONS, seed=seed, end=END)
    found = [
        line for rule in RULES for line in audit_database(postgres_database, demo_kb, seed, rule)
    ]
    assert found == []
