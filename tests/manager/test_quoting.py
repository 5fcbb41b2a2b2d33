"""Quoting is safer than counting: a request's words are shown only when said widely.

One person can type the same thing in five sessions on one afternoon ("I'M
SARAH AND I NEED HELP", the security review's case). A text, or a word that
names a group, is quoted only when at least the threshold of sessions said it
on at least 3 different days or at 3 different sites; otherwise the group
shows only its count, under a label that quotes nothing. On SQLite and
PostgreSQL (the days and sites are counted in SQL).
"""

from __future__ import annotations

import datetime as dt

from navigator.records.reports.clusters import NOT_QUOTED
from navigator.records.reports.review import Review
from tests.manager.known_data import FILTERS, WEEK_0, Walk, store, unmatched


def at(day: int, site: str = "central-library") -> dt.datetime:
    return WEEK_0 + dt.timedelta(days=day)


def requests(review: Review) -> list[list[str]]:
    review.forget()
    table = review.report(FILTERS).table("unmatched_requests")
    return [[str(cell) for cell in row] for row in table.rows]


def test_one_person_saying_it_five_times_in_a_day_is_counted_but_not_quoted(
    review: Review,
) -> None:
    store(review.engine, [unmatched(at(0), "i'm sarah and i need help") for _ in range(5)])
    rows = requests(review)
    assert ["i'm sarah and i need help", "5"] not in rows
    assert not any("sarah" in row[0] for row in rows)
    assert [NOT_QUOTED, "5"] in rows


def test_the_same_words_on_three_days_are_quoted(review: Review) -> None:
    texts = [unmatched(at(day % 3 + 1), "somewhere to charge my scooter") for day in range(6)]
    store(review.engine, texts)
    assert ["somewhere to charge my scooter", "6"] in requests(review)


def test_the_same_words_at_three_sites_on_one_day_are_quoted(review: Review) -> None:
    walks = []
    for number in range(6):
        site = ("central-library", "market-hall", "town-hall")[number % 3]
        walk = Walk(at(4), site=site).begin().unmet(None, "unmatched", text="a ramp for the bus")
        walks.append(walk.end("abandoned", None, False))
    store(review.engine, walks)
    assert ["a ramp for the bus", "6"] in requests(review)
