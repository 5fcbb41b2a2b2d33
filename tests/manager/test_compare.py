"""Side by side: site against site and channel against channel, in one table and one chart,
protected together with the overview (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from navigator.kb import KnowledgeBase
from navigator.records.reports.groups.common import Published, pin_headline
from navigator.records.reports.review import Review
from navigator.records.reports.suppression import Ledger
from tests.manager.known_data import FILTERS, WEEK_0, housing_repairs, known_sessions, store
from tests.support.reports import shown


def test_sites_and_channels_side_by_side_on_the_known_sessions(review: Review) -> None:
    # 61 sessions at central-library, 1 at market-hall (the advocate's): with two rows adding up
    # to the overview's 62, hiding the 1 hides the 61 too, and every share made from them.
    report = review.report(FILTERS)
    assert shown(report.table("compare_sites")) == [
        ["central-library", "[c]", "20", "[c]", "[c]", "[c]", "18", "[c]"],
        ["market-hall", "<5", "0", "[c]", "<5", "[c]", "0", "[c]"],
    ]
    assert shown(report.table("compare_channels")) == [
        ["advocate", "<5", "0", "[c]", "<5", "[c]", "0", "[c]"],
        ["kiosk", "[c]", "20", "[c]", "[c]", "[c]", "18", "[c]"],
    ]
    assert [t.key for t in review.section("compare", FILTERS)] == [
        "compare_sites",
        "compare_channels",
    ]


def test_shares_show_where_each_row_is_big_enough(
    fresh_engine: Engine, knowledge: KnowledgeBase
) -> None:
    engine = fresh_engine
    store(engine, known_sessions(knowledge.content_hash))
    # 9 more at market-hall on the web, all ending in unmet need: 10 there in all.
    store(
        engine,
        [
            housing_repairs(
                WEEK_0 + dt.timedelta(minutes=200 + i), site="market-hall", channel="web"
            )
            for i in range(9)
        ],
    )
    review = Review(engine=engine, knowledge=knowledge, threshold=5)
    report = review.report(FILTERS)
    # central-library 61: 20 reached services (32.8%), 52 unmet (85.2%), 18 gave up (29.5%);
    # market-hall 10: 0 reached, 10 unmet (100%), 0 gave up. Ordered by sessions.
    assert shown(report.table("compare_sites")) == [
        ["central-library", "61", "20", "32.8", "52", "85.2", "18", "29.5"],
        ["market-hall", "10", "0", "0.0", "10", "100.0", "0", "0.0"],
    ]
    # The advocate's 1 is hidden, so the web's 9 is too (71 - 61 - 9 = 1); hidden rows
    # come last, by name.
    assert shown(report.table("compare_channels")) == [
        ["kiosk", "61", "20", "32.8", "52", "85.2", "18", "29.5"],
        ["advocate", "<5", "0", "[c]", "<5", "[c]", "0", "[c]"],
        ["web", "[c]", "0", "[c]", "[c]", "[c]", "0", "[c]"],
    ]
    assert report.table("compare_sites").chart is not None


def test_a_hidden_headline_bounded_by_its_weeks_is_not_pinned_by_the_sites() -> None:
    # The seed-4 audit's leak, in miniature: nine weeks of "<5" (1 each) say the hidden
    # headline is at least 9; sites "<5" (4) and 5 would say at most 9. Pinned with its
    # weeks, the headline is protected here too: the site's 5 is hidden with the 4.
    pinned: Published = {("headline", "unmet"): (9, True)}
    pinned |= {("week", week, "unmet"): (1, True) for week in range(9)}
    pinned |= {("week", 9, "unmet"): (0, False)}
    ledger = Ledger(threshold=5)
    headline = pin_headline(ledger, pinned, "unmet")
    sites = [ledger.count(("site", "online"), 4), ledger.count(("site", "central"), 5)]
    ledger.relate(headline, sites)
    assert [str(ledger.figure(site)) for site in sites] == ["<5", "[c]"]
    assert not ledger.unprotected
