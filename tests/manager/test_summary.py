"""The executive summary at the top of the HTML report: sentences from shown figures only,
each naming its table, on the known sessions (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import dataclasses
import re

from navigator.records.reports.export import cell_text, render
from navigator.records.reports.review import Review
from navigator.records.reports.summary import summarise
from tests.manager.known_data import FILTERS


def test_the_summary_says_the_plainest_things_and_names_its_tables(review: Review) -> None:
    report = review.report(FILTERS)
    assert [(s.text, s.table_key) for s in summarise(report)] == [
        (
            "Of 62 sessions, 53 (85.5%) ended in unmet need and 20 (32.3%) reached services.",
            "headline",
        ),
        (
            "The largest unmet needs were Housing (33 records, 532.3 per 1,000 sessions), "
            "Support for carers (11 records, 177.4 per 1,000 sessions) and Not matched to a "
            "need (9 records, 145.2 per 1,000 sessions).",
            "unmet_by_need",
        ),
        (
            "The biggest change from the period before was in Not matched to a need, which rose by "
            "9 (from 0).",
            "unmet_by_need",
        ),
        (
            "People gave up most often before choosing a topic: 9 sessions (14.5%).",
            "gave_up_by_topic",
        ),
        (
            "Unmet need this period may cost other agencies roughly £1,680 to £7,000 later "
            "(central estimate £3,350), most of it for Housing (£1,160 to £4,620); an "
            "indication from content staff's estimates and published unit costs.",
            "unmet_cost_by_agency",
        ),
    ]
    html = render(report, "html")
    summary = html[html.index('<section id="summary">') : html.index("</section>")]
    assert html.index('<section id="summary">') < html.index('<section id="headline">')
    assert summary.count("<li>") == 5
    assert '(From <a href="#unmet_by_need">Unmet need by category</a>.)' in summary


def test_the_summary_never_quotes_a_hidden_figure(review: Review) -> None:
    # Housing's change is hidden ([c]) in the full report, so the biggest *shown* change is
    # quoted instead; and with the advocate channel alone almost everything is hidden.
    for filters in (
        FILTERS,
        dataclasses.replace(FILTERS, channel="advocate"),
        dataclasses.replace(FILTERS, topic="carers-topic"),
        dataclasses.replace(FILTERS, site="market-hall"),
    ):
        report = review.report(filters)
        for sentence in summarise(report):
            assert "<5" not in sentence.text and "[c]" not in sentence.text
            table = report.table(sentence.table_key)
            published = {cell_text(v, grouped=True) for row in table.rows for v in row}
            text = sentence.text.replace("1,000", "")
            for number in re.findall(r"\d+(?:,\d{3})*(?:\.\d)?", text):
                assert number in published, (sentence.text, number)
    advocate = review.report(dataclasses.replace(FILTERS, channel="advocate"))
    assert summarise(advocate) == ()
