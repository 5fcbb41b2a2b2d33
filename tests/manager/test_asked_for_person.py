"""Drilling from "asked to talk to a person" to the sessions and pathways behind each figure.

The known sessions (tests/manager/known_data.py) plus some that make every
"asked for a person" figure big enough to show, stored in a real database
(SQLite, and PostgreSQL when NAVIGATOR_TEST_POSTGRES_URL is set). In the
period, at central-library unless said:

    known  6  housing: asked at housing-rent, then gave up
    known  3  caring: asked at carers-none
    extra  3  caring: asked at carers-none (caring: 6)
    extra  5  housing: asked at housing-start, then again at housing-rent (first: start)
    extra  5  asked before choosing a topic
    extra  1  market-hall: housing, asked at housing-rent (housing-rent: 7)
Before the period: 5 caring, asked at carers-none (never in these drills).

A drill must list exactly the sessions its figure counted: those whose first
request for a person was there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from navigator.engine import events as ev
from navigator.kb import KnowledgeBase
from navigator.records.database import make_engine, upgrade
from navigator.records.reports import queries as q
from navigator.records.reports.review import Review
from navigator.records.reports.tables import Drill, Filters
from tests.manager.known_data import (
    BEFORE,
    FILTERS,
    TODAY,
    WEEK_0,
    WEEK_1,
    Walk,
    carers_none,
    known_sessions,
    store,
)
from tests.support.reports import shown


@dataclass(frozen=True)
class Asked:
    """The stored review and the ids of the sessions in each line of the module docstring."""

    review: Review
    rent: frozenset[str]
    caring: frozenset[str]
    asked_twice: frozenset[str]
    before_topic: frozenset[str]
    market_hall: frozenset[str]
    caring_before_period: frozenset[str]


def _ids(walks: list[Walk]) -> frozenset[str]:
    return frozenset(walk.session_id for walk in walks)


def _asked_at(walk: Walk, node_id: str) -> bool:
    return any(
        isinstance(event, ev.PersonAsked) and event.node_id == node_id for event in walk.events
    )


def _asked_twice(start: dt.datetime) -> Walk:
    walk = Walk(start).begin().topic("housing-topic", "housing")
    walk.ask_for_person("housing-topic", "housing-start")
    walk.answer("housing-topic", "housing-start", "rent")
    walk.ask_for_person("housing-topic", "housing-rent")
    return walk.end("abandoned", "housing-rent", False)


def _asked_before_topic(start: dt.datetime) -> Walk:
    walk = Walk(start).begin().add(ev.PersonAsked, topic_id=None, node_id=None, via="button")
    return walk.end("abandoned", None, False)


def _minutes(start: dt.datetime, count: int) -> list[dt.datetime]:
    return [start + dt.timedelta(minutes=5 * index) for index in range(count)]


@pytest.fixture(scope="module")
def asked(known_database_url: str, knowledge: KnowledgeBase) -> Iterator[Asked]:
    known = known_sessions(knowledge.content_hash)
    in_period = [walk for walk in known if walk.start >= WEEK_0]
    extra_caring = [carers_none(at, "NB2") for at in _minutes(WEEK_1 + dt.timedelta(hours=10), 3)]
    asked_twice = [_asked_twice(at) for at in _minutes(WEEK_0 + dt.timedelta(hours=10), 5)]
    before_topic = [_asked_before_topic(at) for at in _minutes(WEEK_1 + dt.timedelta(hours=11), 5)]
    market_hall = [
        Walk(
            WEEK_0 + dt.timedelta(hours=12), site="market-hall", content_hash=knowledge.content_hash
        )
        .begin()
        .topic("housing-topic", "housing")
        .answer("housing-topic", "housing-start", "rent")
        .ask_for_person("housing-topic", "housing-rent")
        .end("abandoned", "housing-rent", False)
    ]
    caring_before = [carers_none(at, "NB2") for at in _minutes(BEFORE + dt.timedelta(hours=6), 5)]
    engine = make_engine(known_database_url, writing=True)
    upgrade(engine)
    store(
        engine, [*known, *extra_caring, *asked_twice, *before_topic, *market_hall, *caring_before]
    )
    try:
        yield Asked(
            review=Review(engine=engine, knowledge=knowledge, threshold=5, today=lambda: TODAY),
            rent=_ids([w for w in in_period if _asked_at(w, "housing-rent")]),
            caring=_ids([w for w in in_period if _asked_at(w, "carers-none")] + extra_caring),
            asked_twice=_ids(asked_twice),
            before_topic=_ids(before_topic),
            market_hall=_ids(market_hall),
            caring_before_period=_ids(caring_before),
        )
    finally:
        engine.dispose()


def drilled(review: Review, drill: Drill | None, filters: Filters = FILTERS) -> set[str]:
    """The ids of the sessions a drill lists, straight from its SQL."""
    assert drill is not None, "this row should drill down"
    with review.engine.connect() as connection:
        return set(connection.execute(q.drilled_sessions(drill, filters, {})).scalars())


def test_the_known_groups_are_as_the_docstring_says(asked: Asked) -> None:
    assert (len(asked.rent), len(asked.caring)) == (6, 6)


def test_each_topic_row_drills_to_exactly_the_sessions_that_first_asked_in_it(
    asked: Asked,
) -> None:
    table = asked.review.report(FILTERS).table("asked_for_person_by_topic")
    assert shown(table) == [
        ["Housing", "12"],
        ["Caring", "6"],
        ["Before choosing a topic", "5"],
        ["All who asked", "23"],
    ]
    housing, caring, before, total = table.drill
    assert drilled(asked.review, housing) == asked.rent | asked.asked_twice | asked.market_hall
    assert drilled(asked.review, caring) == asked.caring
    assert not drilled(asked.review, caring) & asked.caring_before_period
    assert drilled(asked.review, before) == asked.before_topic
    assert total is None, "a total has no drill, as elsewhere"
    assert housing is not None and housing.title == "Asked to talk to a person in Housing"


def test_each_place_row_drills_to_the_sessions_that_first_asked_there(asked: Asked) -> None:
    table = asked.review.report(FILTERS).table("asked_for_person_by_place")
    assert shown(table) == [
        ["Housing", "Are you behind with rent?", "7"],
        ["Housing", "What do you need help with?", "5"],
        ["Caring", "Nothing fits.", "6"],
        ["Before choosing a topic", "Before choosing a topic", "5"],
    ]
    rent, start, caring, before = table.drill
    # Those who asked at the start and again at rent count at the start, where they first asked.
    assert drilled(asked.review, rent) == asked.rent | asked.market_hall
    assert drilled(asked.review, start) == asked.asked_twice
    assert drilled(asked.review, caring) == asked.caring
    assert drilled(asked.review, before) == asked.before_topic
    assert (
        rent is not None
        and rent.title == "Asked to talk to a person at 'Are you behind with rent?' (Housing)"
    )


def test_every_drilled_row_lists_as_many_sessions_as_it_counts(asked: Asked) -> None:
    report = asked.review.report(FILTERS)
    for key in ("asked_for_person_by_topic", "asked_for_person_by_place"):
        table = report.table(key)
        count = table.column_index("count")
        for row, drill in zip(table.rows, table.drill, strict=True):
            if drill is not None:
                assert len(drilled(asked.review, drill)) == row[count], (key, row)


def test_drills_keep_the_site_filter(asked: Asked) -> None:
    library = dataclasses.replace(FILTERS, site="central-library")
    table = asked.review.report(library).table("asked_for_person_by_place")
    assert shown(table)[0] == ["Housing", "Are you behind with rent?", "6"]
    assert drilled(asked.review, table.drill[0], library) == asked.rent


def test_small_numbers_do_not_drill_down(asked: Asked) -> None:
    # At market-hall one session asked: hidden, and so no drill anywhere in either table.
    market = dataclasses.replace(FILTERS, site="market-hall")
    report = asked.review.report(market)
    by_topic = report.table("asked_for_person_by_topic")
    by_place = report.table("asked_for_person_by_place")
    assert shown(by_topic) == [["Housing", "<5"], ["All who asked", "<5"]]
    assert shown(by_place) == [["Housing", "Are you behind with rent?", "<5"]]
    assert by_topic.drill == (None, None)
    assert by_place.drill == (None,)


def test_the_pathways_behind_a_place_are_those_that_asked_there(asked: Asked) -> None:
    report = asked.review.report(FILTERS)
    rent = report.table("asked_for_person_by_place").drill[0]
    assert rent is not None
    page = asked.review.pathways(rent, FILTERS, 0)
    assert (
        page.table.title
        == "Pathways behind: Asked to talk to a person at 'Are you behind with rent?' (Housing)"
    )
    # The 7 who first asked at rent; the 5 who asked there too, but first at the start, are not.
    assert shown(page.table) == [["What do you need help with? Rent", "7"]]
    start = report.table("asked_for_person_by_place").drill[1]
    assert start is not None
    assert shown(asked.review.pathways(start, FILTERS, 0).table) == [
        ["What do you need help with? Rent", "5"]
    ]
