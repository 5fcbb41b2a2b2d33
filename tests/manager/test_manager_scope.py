"""The manager's scope (setting `manager_sites`): where several councils share one database,
each council's managers see their own sites only.

On the known sessions (site central-library, and one session M at market-hall), SQLite and
PostgreSQL: a scope of every site changes no figure, a scope of one site shows exactly what
today's site filter shows for that site, and the filter choices and periods come from the
scope's sessions only.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, text

from navigator.records.reports.groups.common import day
from navigator.records.reports.review import Review, ReviewProblem
from navigator.records.reports.tables import Filters, Report
from tests.manager.known_data import FILTERS, PERIOD, TODAY

EVERY_SITE = ("central-library", "market-hall")


def scoped(review: Review, sites: tuple[str, ...]) -> Review:
    """A fresh review of the same records (no cached figures) seeing only `sites`."""
    return Review(
        engine=review.engine,
        knowledge=review.knowledge,
        threshold=review.threshold,
        today=lambda: TODAY,
        sites=sites,
    )


def figures(report: Report) -> dict[str, object]:
    return {table.key: (table.columns, table.rows, table.withheld) for table in report.tables}


def test_a_scope_of_every_site_changes_no_figure(review: Review) -> None:
    assert figures(scoped(review, EVERY_SITE).report(FILTERS)) == figures(review.report(FILTERS))


@pytest.mark.parametrize("site", EVERY_SITE)
def test_a_scope_of_one_site_shows_what_the_site_filter_shows(review: Review, site: str) -> None:
    """Every table, the overview's suppression included, as today's report for that site."""
    ours = scoped(review, (site,)).report(FILTERS)
    today = review.report(replace(FILTERS, site=site))
    assert figures(ours) == figures(today)
    assert ours.filters.sites == (site,)
    assert f"the sites {site}" in ours.filters.scope()


def test_the_headline_counts_only_the_scopes_sessions(review: Review) -> None:
    begin, end = PERIOD.snapped().bounds
    with review.engine.connect() as connection:
        by_site = dict(
            connection.execute(
                text(
                    "SELECT site, count(*) FROM sessions WHERE started_at >= :b "
                    "AND started_at < :e GROUP BY site"
                ),
                {"b": begin, "e": end},
            ).all()
        )
    assert by_site["market-hall"] == 1 and by_site["central-library"] >= 5
    headline = scoped(review, ("central-library",)).section("overview", FILTERS)[0]
    assert headline.row_for("Sessions")["count"] == by_site["central-library"]
    everything = review.section("overview", FILTERS)[0]
    assert everything.row_for("Sessions")["count"] == sum(by_site.values())


def test_choices_and_the_first_period_come_from_the_scope(review: Review) -> None:
    with review.engine.connect() as connection:
        first, last = connection.execute(
            text("SELECT min(started_at), max(started_at) FROM sessions WHERE site = 'market-hall'")
        ).one()
    choices = scoped(review, ("market-hall",)).choices()
    assert choices.sites == ("market-hall",)
    assert (choices.first_day, choices.last_day) == (day(first), day(last))
    assert review.choices().sites == EVERY_SITE
    both = scoped(review, EVERY_SITE).choices()
    assert (both.first_day, both.last_day) == (
        review.choices().first_day,
        review.choices().last_day,
    )
    assert scoped(review, ("market-hall",)).default_period().end == day(last)
    assert scoped(review, ("nowhere",)).choices().sites == ()


def test_a_site_outside_the_scope_is_refused_by_name(review: Review) -> None:
    with pytest.raises(ReviewProblem, match="'market-hall' is not one of the sites"):
        scoped(review, ("central-library",)).report(Filters(PERIOD, site="market-hall"))


def test_the_first_view_reads_the_periods_sessions_once(review: Review) -> None:
    """The overview tab (headline, weekly trend, sessions by language) is one grouped query
    over the period's sessions: it was two, one for the weeks and one for the languages."""
    statements: list[str] = []

    def seen(*arguments: object) -> None:
        statements.append(str(arguments[2]))

    fresh = scoped(review, ())
    event.listen(review.engine, "before_cursor_execute", seen)
    try:
        tables = fresh.section("overview", FILTERS)
    finally:
        event.remove(review.engine, "before_cursor_execute", seen)
    assert [table.key for table in tables] == ["headline", "weekly", "languages"]
    grouped = [sql for sql in statements if "GROUP BY" in sql]
    assert len(grouped) == 1, grouped
    assert figures(fresh.report(FILTERS)) == figures(review.report(FILTERS))
