"""The week of a session in the review's weekly figures, on both engines: exact at the edges.

`week_index` is SQL (julianday on SQLite, date_part on PostgreSQL), so the edges are checked
in each database: a session at the very start of a week is in that week, and one a
microsecond earlier is in the week before, for weeks near and far from the period's start.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, bindparam, select

from navigator.records.database import connected
from navigator.records.reports.queries import week_index

START = dt.datetime(2026, 9, 7, tzinfo=dt.UTC)
TICK = dt.timedelta(microseconds=1)


def weeks_of(url: str, moments: list[dt.datetime]) -> list[int]:
    kind = DateTime(timezone=True)
    start = bindparam("start", START, type_=kind)
    columns = [
        week_index(bindparam(f"at{n}", moment, type_=kind), start)
        for n, moment in enumerate(moments)
    ]
    with connected(url) as engine, engine.connect() as connection:
        return [int(week) for week in connection.execute(select(*columns)).one()]


def test_a_week_starts_exactly_on_its_first_microsecond(database_url: str) -> None:
    moments, expected = [], []
    for week in (0, 1, 12, 104):
        edge = START + dt.timedelta(weeks=week)
        moments += [edge, edge + TICK, edge + dt.timedelta(days=7) - TICK]
        expected += [week, week, week]
        if week:
            moments.append(edge - TICK)
            expected.append(week - 1)
    assert weeks_of(database_url, moments) == expected
