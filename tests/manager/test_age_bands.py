"""Unmet need by the age band people chose to give, protected with every other breakdown of
the same records (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

import navigator.engine.events as ev
from navigator.kb import KnowledgeBase
from navigator.records.reports.review import Review
from tests.manager.known_data import FILTERS, WEEK_0, Walk, known_sessions, store
from tests.support.reports import shown


def aged(start: dt.datetime, band: str) -> Walk:
    """A housing-repairs session whose person gave an age band: unmet need, no service."""
    walk = Walk(start).begin().topic("housing-topic", "housing")
    walk.answer("housing-topic", "housing-start", "repairs").add(ev.ContextGiven, age_band=band)
    walk.unmet("housing", "no_service", "housing-topic", "housing-nothing")
    return walk.end("finished", "housing-nothing", True)


def test_no_age_band_given_is_one_row_of_all_the_records(review: Review) -> None:
    assert shown(review.report(FILTERS).table("unmet_by_age_band")) == [
        ["Not given", "53"],
        ["All age bands", "53"],
    ]
    assert "unmet_by_age_band" in [t.key for t in review.section("unmet", FILTERS)]


def test_age_bands_are_counted_and_small_ones_hidden(
    fresh_engine: Engine, knowledge: KnowledgeBase
) -> None:
    engine = fresh_engine
    store(engine, known_sessions(knowledge.content_hash))
    walks = [aged(WEEK_0 + dt.timedelta(minutes=300 + i), "18-24") for i in range(6)]
    walks += [aged(WEEK_0 + dt.timedelta(minutes=400 + i), "65+") for i in range(2)]
    store(engine, walks)
    review = Review(engine=engine, knowledge=knowledge, threshold=5)
    # 61 records in all: 53 with no band, 6 aged 18-24, 2 aged 65+ (hidden). The total
    # and the other rows would give the 2 away, so the smallest other row (6) is hidden
    # beside it: the total stays shown, in every table it totals (issue 16).
    report = review.report(FILTERS)
    assert shown(report.table("unmet_by_age_band")) == [
        ["18-24", "[c]"],
        ["65+", "<5"],
        ["Not given", "53"],
        ["All age bands", "61"],
    ]
    assert shown(report.table("unmet_by_need"))[-1][:2] == ["All unmet need", "61"]
