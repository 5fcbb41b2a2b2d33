"""Reports compared with each other give nobody away: whole-week periods and rounded counts.

Two attacks from the security review, run as an attacker would on made-up data
(`navigator.records.demo`) with one hand-made record added:

- **one day apart**: two reports whose periods differ by one day. With exact
  figures the differences were that day's sessions, cell by cell, and gave a
  whole record back (domestic abuse, out of area, NB3, housing and police).
  Periods now snap to whole weeks, so the two reports are the same report;
  and where two periods do differ (by a week), rounded counts leave every
  difference uncertain by at least 4.
- **site by site**: the all-sites report less every other site's report gives
  a site's hidden cells back. With counts rounded to 5 (the default preset),
  the subtraction leaves each hidden cell a range, never one value.

Each attack is also run on exact figures (the `threshold` preset) to show that
it is a real attack: there it recovers small counts.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, make_url

from navigator.kb import KnowledgeBase
from navigator.records.database import make_engine
from navigator.records.demo import fill
from navigator.records.reports.presets import preset
from navigator.records.reports.review import Review
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Filters, Period, Report
from tests.manager.known_data import Walk, store
from tests.records.conftest import HOW_TO_START, _admin_conninfo, postgres_url

pytestmark = pytest.mark.slow

END = dt.date(2026, 6, 28)
WEDNESDAY = dt.date(2026, 5, 20)
MONDAY = dt.date(2026, 5, 25)

Interval = tuple[float, float]
CellKey = tuple[str, tuple[str, ...], str]


def hand_made_record(day: dt.date) -> Walk:
    """Domestic abuse, no service for men nearby, district NB3: cost on housing and police."""
    start = dt.datetime.combine(day, dt.time(11, 0), tzinfo=dt.UTC)
    walk = Walk(start).begin().topic("domestic-abuse", "domestic-abuse").district("NB3")
    walk.unmet("domestic-abuse", "out_of_area", "domestic-abuse", "domestic-abuse-men-unmet")
    return walk.end("finished", "domestic-abuse-men-unmet", True)


def _fill(url: str, knowledge: KnowledgeBase) -> Engine:
    fill(url, knowledge, 5000, seed=11, end=END)
    engine = make_engine(url, writing=True)
    store(engine, [hand_made_record(WEDNESDAY), hand_made_record(MONDAY)])
    return engine


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def records(
    request: pytest.FixtureRequest, demo_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = _fill(f"sqlite:///{tmp_path_factory.mktemp('cmp') / 'n.sqlite3'}", demo_kb)
        yield engine
        engine.dispose()
        return
    base = postgres_url()
    if base is None:
        pytest.skip(HOW_TO_START)
    name = f"navigator_c_{uuid.uuid4().hex[:16]}"
    admin = _admin_conninfo(base)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    engine = _fill(make_url(base).set(database=name).render_as_string(hide_password=False), demo_kb)
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def review(engine: Engine, knowledge: KnowledgeBase, rule: str) -> Review:
    return Review(engine=engine, knowledge=knowledge, preset=preset(rule))


def cells(report: Report) -> dict[CellKey, Interval]:
    """What a reader knows of every count cell: an exact value, or the range it must lie in."""
    rounding = 5 if "rounded to the nearest 5" in " ".join(report.notes) else 0
    known: dict[CellKey, Interval] = {}
    for table in report.tables:
        if table.withheld:  # nothing shown: every cell of it is unknown, not 0
            known[withheld(table.key)] = (0, math.inf)
        labels = [i for i, c in enumerate(table.columns) if not c.numeric]
        counts = [i for i, c in enumerate(table.columns) if c.kind == "count"]
        for row in table.rows:
            key = tuple(str(row[i]) for i in labels)
            for i in counts:
                known[(table.key, key, table.columns[i].key)] = interval(row[i], rounding)
    return known


def withheld(table_key: str) -> CellKey:
    """The entry `cells` keeps for a table withheld whole."""
    return (table_key, ("withheld",), "")


def part_of(part: dict[CellKey, Interval], key: CellKey) -> Interval:
    """A cell of one filtered report: a table withheld whole leaves it 0 or more; a row
    missing from a shown table is 0 (nobody there)."""
    return part.get(key, part.get(withheld(key[0]), (0, 0)))


def interval(value: object, rounding: int) -> Interval:
    if isinstance(value, Hidden):
        return (1, value.threshold - 1) if value.primary else (0, math.inf)
    assert isinstance(value, int)
    if rounding and value:
        return (value - rounding // 2, value + rounding // 2)
    return (value, value)


def small_values_recovered(
    whole: dict[CellKey, Interval],
    parts: list[dict[CellKey, Interval]],
    target: dict[CellKey, Interval],
    threshold: int,
) -> list[tuple[CellKey, int]]:
    """Cells of `target` (one of `parts`) pinned to a small count by `whole` less the others."""
    found = []
    for key, (low, high) in target.items():
        if key not in whole or low == high:
            continue  # shown exactly already: nothing to recover
        rest_low = sum(part_of(part, key)[0] for part in parts if part is not target)
        rest_high = sum(part_of(part, key)[1] for part in parts if part is not target)
        least = max(low, whole[key][0] - rest_high)
        most = min(high, whole[key][1] - rest_low)
        if least == most and 0 < least < threshold:
            found.append((key, int(least)))
    return found


def difference(before: Report, after: Report) -> list[tuple[CellKey, int]]:
    """Cells whose growth from `before` to `after` a reader pins to a small count."""
    old, new = cells(before), cells(after)
    found = []
    for key, (low, high) in new.items():
        was_low, was_high = old.get(key, (0, 0))
        least, most = max(0, low - was_high), high - was_low
        if least == most and 0 < least < after.threshold:
            found.append((key, int(least)))
    return found


def test_periods_snap_to_whole_weeks_or_months() -> None:
    assert Period(WEDNESDAY, END).snapped() == Period(dt.date(2026, 5, 18), END)
    assert Period(dt.date(2026, 5, 1), dt.date(2026, 5, 31)).snapped().days == 31
    assert Period(dt.date(2026, 5, 1), dt.date(2026, 5, 30)).snapped() == Period(
        dt.date(2026, 4, 27), dt.date(2026, 5, 31)
    )


def test_reports_a_day_apart_are_one_report(records: Engine, demo_kb: KnowledgeBase) -> None:
    """The hand-made record came on a Wednesday: the report to the Tuesday and the report to
    the Wednesday cover the same whole weeks, so nothing differs; under exact figures too."""
    start = WEDNESDAY - dt.timedelta(days=90)
    for rule in ("threshold", "nhs-digital"):
        before = review(records, demo_kb, rule).report(
            Filters(Period(start, WEDNESDAY - dt.timedelta(days=1)))
        )
        after = review(records, demo_kb, rule).report(Filters(Period(start, WEDNESDAY)))
        assert before.tables == after.tables
        assert difference(before, after) == []
        assert any("whole weeks" in note for note in after.notes)


def test_reports_a_week_apart_give_no_small_count_away_when_rounded(
    records: Engine, demo_kb: KnowledgeBase
) -> None:
    """Crossing into a new week (the record came on a Monday) adds a week, not a day; and with
    counts rounded, no difference is pinned to a small count. Exact figures give it away."""
    start = MONDAY - dt.timedelta(days=90)
    before, after = (
        review(records, demo_kb, "nhs-digital").report(Filters(Period(start, end)))
        for end in (MONDAY - dt.timedelta(days=1), MONDAY)
    )
    assert difference(before, after) == []
    exact_before, exact_after = (
        review(records, demo_kb, "threshold").report(Filters(Period(start, end)))
        for end in (MONDAY - dt.timedelta(days=1), MONDAY)
    )
    assert difference(exact_before, exact_after) != [], "the attack works on exact figures"


def test_site_by_site_subtraction_recovers_nothing_when_rounded(
    records: Engine, demo_kb: KnowledgeBase
) -> None:
    filters = Filters(Period(END - dt.timedelta(days=7 * 13 - 1), END))
    recovered: dict[str, int] = {}
    for rule in ("nhs-digital", "threshold"):
        check = review(records, demo_kb, rule)
        whole = cells(check.report(filters))
        sites = check.choices().sites
        parts = [
            cells(review(records, demo_kb, rule).report(Filters(filters.period, site=site)))
            for site in sites
        ]
        recovered[rule] = sum(
            len(small_values_recovered(whole, parts, part, check.threshold)) for part in parts
        )
    assert recovered["nhs-digital"] == 0
    assert recovered["threshold"] > 0, "the attack works on exact figures"


def test_the_default_preset_rounds_and_says_so(tmp_path: Path, demo_kb: KnowledgeBase) -> None:
    from navigator.config import Settings

    assert Settings().suppression == "nhs-digital"
    rule = preset("nhs-digital")
    assert (rule.threshold, rule.round(8), rule.round(12), rule.round(13), rule.round(0)) == (
        8,
        10,
        10,
        15,
        0,
    )
    assert "rounded to the nearest 5" in rule.describe()
