"""Every figure of the review on known sessions (tests/manager/known_data.py), worked out by hand.

Run on SQLite, and on PostgreSQL when NAVIGATOR_TEST_POSTGRES_URL is set: the
same SQL must give the same figures on both.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

from navigator.records.reports.clusters import NOT_QUOTED
from navigator.records.reports.export import cell_text, render
from navigator.records.reports.presets import preset
from navigator.records.reports.review import Review
from navigator.records.reports.tables import Drill, Filters, Period, Table
from tests.manager.known_data import FILTERS, OLD_HASH, PERIOD, TODAY
from tests.support.reports import shown


def counts(table: Table) -> list[list[str]]:
    """The label and count of each row (the headline's shares are tested on their own)."""
    return [row[:2] for row in shown(table)]


def test_headline_and_weekly_trend(review: Review) -> None:
    report = review.report(FILTERS)
    # Shares of the 62 sessions; the share of a hidden count is hidden too.
    assert shown(report.table("headline")) == [
        ["Sessions", "62", ""],
        ["Reached services", "20", "32.3"],
        ["Ended in unmet need", "53", "85.5"],
        ["Shown safeguarding contacts", "<5", "[c]"],
        ["Gave up", "18", "29.0"],
    ]
    assert shown(report.table("weekly")) == [
        ["2025-03-03", "34", "27"],
        ["2025-03-10", "28", "26"],
    ]


def test_unmet_need_by_need_and_reason_with_the_change_from_before(review: Review) -> None:
    report = review.report(FILTERS)
    # Before: housing 7, carers 10, money 2. Money's 2 is hidden, and housing's 7 with it
    # (the smallest other count), since the total 19 would give the 2 away.
    # Per 1,000 of the 62 sessions (33 x 1000 / 62 = 532.3); the change as a count and as
    # a share of the period before (34 / 19 = 178.9%), hidden with either count.
    assert shown(report.table("unmet_by_need")) == [
        ["Housing", "33", "532.3", "[c]", "[c]", "[c]"],
        ["Support for carers", "11", "177.4", "10", "1", "10.0"],
        ["Not matched to a need", "9", "145.2", "0", "9", ""],
        ["Money", "0", "0.0", "<5", "[c]", "[c]"],
        ["All unmet need", "53", "854.8", "19", "34", "178.9"],
    ]
    assert shown(report.table("unmet_by_reason")) == [
        ["Waiting list", "20", "322.6", "0", "20", ""],
        ["No service", "16", "258.1", "9", "7", "77.8"],
        ["Not matched", "9", "145.2", "0", "9", ""],
        ["Not eligible", "8", "129.0", "10", "-2", "-20.0"],
        ["All unmet need", "53", "854.8", "19", "34", "178.9"],
    ]


def test_unmet_need_by_district_with_rates_and_secondary_suppression(review: Review) -> None:
    # NB3 has 2 (hidden); NB2's 13 is hidden too, else 53 - 22 - 16 - 13 = 2.
    assert shown(review.report(FILTERS).table("unmet_by_district")) == [
        ["NB1", "22", "20000", "110.0"],
        ["NB2", "[c]", "10000", "[c]"],
        ["NB3", "<5", "5000", "[c]"],
        ["Not given", "16", "", ""],
        ["All districts", "53", "", ""],
    ]


def test_who_carries_the_cost_follows_needs_and_unmet_end_overrides(review: Review) -> None:
    # housing-nothing puts its cost on housing only, so the NHS carries housing's waiting
    # list (20) but not its 13 records of no service.
    report = review.report(FILTERS)
    assert shown(report.table("unmet_by_agency")) == [
        ["Housing", "33"],
        ["NHS", "31"],
        ["Adult social care", "11"],
    ]
    assert shown(report.table("agency_by_need")) == [
        ["Housing", "Housing", "33"],
        ["NHS", "Housing", "20"],
        ["NHS", "Support for carers", "11"],
        ["Adult social care", "Support for carers", "11"],
    ]


def test_where_people_give_up(review: Review) -> None:
    report = review.report(FILTERS)
    # Gave up: 9 before a topic, 7 in housing (6 at rent, 1 at the start), 2 in caring.
    # Caring's 2 is hidden; housing's 7 goes with it (18 is shown in the overview).
    assert shown(report.table("gave_up_by_topic")) == [
        ["Before choosing a topic", "9", "14.5"],
        ["Caring", "<5", "[c]"],
        ["Housing", "[c]", "[c]"],
        ["All who gave up", "18", "29.0"],
    ]
    assert shown(report.table("funnel:housing-topic")) == [
        ["What do you need help with?", "40", "<5", "[c]"],
        ["Are you behind with rent?", "26", "6", "23.1"],
    ]
    assert shown(report.table("funnel:carers-topic")) == [
        ["Do you care for someone?", "13", "<5", "[c]"],
    ]


def test_where_people_asked_to_talk_to_a_person(review: Review) -> None:
    report = review.report(FILTERS)
    # 6 asked at housing-rent (then gave up), 3 at carers-none. Caring's 3 is hidden, and
    # housing's 6 with it, since the total 9 would give the 3 away.
    assert shown(report.table("asked_for_person_by_topic")) == [
        ["Caring", "<5"],
        ["Housing", "[c]"],
        ["All who asked", "9"],
    ]
    assert shown(report.table("asked_for_person_by_place")) == [
        ["Caring", "Nothing fits.", "<5"],
        ["Housing", "Are you behind with rent?", "[c]"],
    ]
    # Every count is hidden, so no row drills down (tests/manager/test_asked_for_person.py
    # drills where the counts are big enough).
    assert report.table("asked_for_person_by_topic").drill == (None, None, None)
    assert report.table("asked_for_person_by_place").drill == (None, None)


def test_pressure_on_services_and_the_rules_that_ruled_people_out(review: Review) -> None:
    assert shown(review.report(FILTERS).table("service_pressure")) == [
        ["Deposit scheme", "20", "0", "20", "0", "0", "0", ""],
        ["Carers hub", "8", "0", "0", "8", "0", "0", "Age band 8"],
        ["Rent help", "20", "20", "0", "0", "0", "0", ""],
    ]


def test_unmatched_requests_are_grouped_and_named_by_shared_wording(review: Review) -> None:
    # 4 + 5 similar requests make one group of 9; they were said on two days, at one site,
    # so nothing of their wording is quoted (tests/manager/test_quoting.py).
    assert shown(review.report(FILTERS).table("unmatched_requests")) == [[NOT_QUOTED, "9"]]


def test_content_health(review: Review) -> None:
    report = review.report(FILTERS)
    assert shown(report.table("stale_services")) == [
        ["Rent help", "The council", "2023-01-01", "26"],
    ]
    assert shown(report.table("rules_due")) == []  # this knowledge base follows no national rule
    current = review.knowledge.content_hash
    # One session used an older version: hidden, and so is the other count (62 is shown).
    assert shown(report.table("content_versions")) == [
        [current, "yes", "[c]", "[c]", "[c]"],
        [OLD_HASH, "no", "<5", "[c]", "[c]"],
    ]


def test_filters_by_site_channel_and_topic(review: Review) -> None:
    library = review.report(dataclasses.replace(FILTERS, site="central-library"))
    assert counts(library.table("headline"))[:3] == [
        ["Sessions", "61"],
        ["Reached services", "20"],
        ["Ended in unmet need", "52"],
    ]
    advocate = review.report(dataclasses.replace(FILTERS, channel="advocate"))
    assert counts(advocate.table("headline")) == [
        ["Sessions", "<5"],
        ["Reached services", "0"],
        ["Ended in unmet need", "<5"],
        ["Shown safeguarding contacts", "0"],
        ["Gave up", "0"],
    ]
    carers = review.report(dataclasses.replace(FILTERS, topic="carers-topic"))
    assert counts(carers.table("headline"))[0] == ["Sessions", "13"]
    assert [table.key for table in carers.tables if table.key.startswith("funnel:")] == [
        "funnel:carers-topic"
    ]


def test_the_period_before_and_an_empty_period(review: Review) -> None:
    before = review.report(Filters(PERIOD.previous))
    assert counts(before.table("headline"))[0] == ["Sessions", "19"]
    empty = review.report(Filters(PERIOD.previous.previous))
    assert counts(empty.table("headline"))[0] == ["Sessions", "0"]
    assert empty.table("unmet_by_district").rows == (("All districts", 0, None, None),)


def test_pathways_are_grouped_and_small_groups_left_out(review: Review) -> None:
    # Housing unmet: 16 rent/yes, 13 repairs, and 4 rent/no (fewer than 5: not shown).
    page = review.pathways(Drill("Housing", need_id="housing"), FILTERS, 0)
    assert shown(page.table) == [
        ["What do you need help with? Rent > Are you behind with rent? Yes", "16"],
        ["What do you need help with? Repairs", "13"],
    ]
    assert (page.page, page.pages, page.rows_total) == (0, 1, 2)
    district = review.pathways(Drill("NB1", district="NB1"), FILTERS, 0)
    assert shown(district.table) == [
        ["What do you need help with? Repairs", "12"],
        ["What do you need help with? Rent > Are you behind with rent? Yes", "10"],
    ]
    gave_up = review.pathways(Drill("rent", abandoned_at="housing-rent"), FILTERS, 0)
    assert shown(gave_up.table) == [["What do you need help with? Rent", "6"]]
    nhs = review.pathways(Drill("NHS", agency="nhs"), FILTERS, 0)
    assert shown(nhs.table) == [
        ["What do you need help with? Rent > Are you behind with rent? Yes", "16"],
        ["Do you care for someone? Yes", "8"],
    ]


def test_every_drill_in_the_review_opens_only_figures_big_enough(review: Review) -> None:
    report = review.report(FILTERS)
    for table in report.tables:
        for row, drill in zip(table.rows, table.drill, strict=False):
            if drill is not None:
                page = review.pathways(drill, FILTERS, 0)
                assert all(int(count) >= review.threshold for _, count in page.table.rows)
                assert not any(cell_text(value) in {"<5", "[c]"} for value in row[1:2])


def test_a_higher_threshold_hides_more(review: Review) -> None:
    strict = dataclasses.replace(review, threshold=10, _cache=type(review._cache)())
    assert counts(strict.report(FILTERS).table("headline"))[3] == [
        "Shown safeguarding contacts",
        "<10",
    ]
    assert shown(strict.report(FILTERS).table("unmatched_requests")) == []


def test_nothing_in_the_report_is_a_count_under_the_threshold(review: Review) -> None:
    """Every shown count column holds 0 or at least the threshold: no small number leaks."""
    for table in review.report(FILTERS).tables:
        for column_index, column in enumerate(table.columns):
            if column.kind != "count":
                continue
            for row in table.rows:
                value = row[column_index]
                if isinstance(value, int):
                    assert value == 0 or value >= review.threshold, (table.key, row)


def test_hidden_rows_do_not_reveal_their_rank(review: Review) -> None:
    """Rows go by published figure, hidden ones last by title: the true 7 and 2 (gave up in
    housing and caring) and 6 and 3 (asked for a person) cannot be ranked from the order."""
    report = review.report(FILTERS)
    assert shown(report.table("gave_up_by_topic")) == [
        ["Before choosing a topic", "9", "14.5"],
        ["Caring", "<5", "[c]"],
        ["Housing", "[c]", "[c]"],
        ["All who gave up", "18", "29.0"],
    ]
    assert shown(report.table("asked_for_person_by_topic")) == [
        ["Caring", "<5"],
        ["Housing", "[c]"],
        ["All who asked", "9"],
    ]
    assert [row[0] for row in shown(report.table("asked_for_person_by_place"))] == [
        "Caring",
        "Housing",
    ]
    csv_text = render(report, "csv")
    assert csv_text.index("Caring,[c]") < csv_text.index("Housing,[c]")


def test_questions_are_named_by_their_words_never_by_internal_ids(review: Review) -> None:
    report = review.report(FILTERS)
    node_ids = set(review.knowledge.nodes)
    for table in report.tables:
        texts = [table.title, table.note, *(d.title for d in table.drill if d is not None)]
        texts += [cell for row in table.rows for cell in row if isinstance(cell, str)]
        for text in texts:
            assert not any(node_id in text for node_id in node_ids), (table.key, text)


def test_district_rates_say_how_many_records_they_rest_on(review: Review) -> None:
    # 53 records, 16 with no district: the rates rest on 37 (70%), no caution.
    note = review.report(FILTERS).table("unmet_by_district").note
    assert "Rates are based on 37 of 53 records with a district (70%)." in note
    assert "Caution" not in note
    # Caring: 11 records, 6 with no district: 5 of 11 (45%), under 60%, so a caution.
    carers = review.report(dataclasses.replace(FILTERS, topic="carers-topic"))
    note = carers.table("unmet_by_district").note
    assert "Rates are based on 5 of 11 records with a district (45%)." in note
    assert "Caution: under 60% of records have a district" in note
    # Housing: "Not given" is under 5, so how many gave a district would give it away.
    housing = review.report(dataclasses.replace(FILTERS, topic="housing-topic"))
    note = housing.table("unmet_by_district").note
    assert "How many records give a district is hidden" in note and "33" not in note


def test_give_up_rates_are_of_those_who_could_have_given_up_there(review: Review) -> None:
    # 9 of all 62 sessions gave up before a topic (14.5%); with housing alone, 7 of the 40
    # who reached its first question (17.5%). Hidden counts hide their rates.
    housing = review.report(dataclasses.replace(FILTERS, topic="housing-topic"))
    assert shown(housing.table("gave_up_by_topic")) == [
        ["Housing", "7", "17.5"],
        ["All who gave up", "7", "17.5"],
    ]
    assert shown(housing.table("funnel:housing-topic"))[0][1] == "40"


def test_hidden_services_do_not_reveal_their_rank(review: Review) -> None:
    """Under threshold-10 the Carers hub's 8 "not eligible" is hidden: its true pressure (8)
    is more than the Rent help's 0, but the row goes last, by title, in the report, the CSV
    and the dashboard's page; never above the Rent help by a figure nobody can see."""
    strict = Review(
        engine=review.engine,
        knowledge=review.knowledge,
        preset=preset("threshold-10"),
        today=lambda: TODAY,
    )
    report = strict.report(FILTERS)
    assert [row[0] for row in shown(report.table("service_pressure"))] == [
        "Deposit scheme",
        "Rent help",
        "Carers hub",
    ]
    assert shown(report.table("service_pressure"))[2][1:6] == ["<10", "0", "0", "<10", "0"]
    csv_text = render(report, "csv")
    assert csv_text.index("Rent help,20") < csv_text.index("Carers hub,[c]")
    page = strict.page("service_pressure", FILTERS, 0)
    assert [row[0] for row in page.table.rows] == ["Deposit scheme", "Rent help", "Carers hub"]
    assert page.rows_total == 3


def test_figures_navigator_does_not_have_read_x_in_exports(review: Review) -> None:
    """GSS "[x]" (not available): a district rate with no population configured, and the
    period before when it lies wholly before the first record (its zeros are not data).
    "[z]" stays for what does not apply (the "Not given" district's rate)."""
    partial = Review(
        engine=review.engine,
        knowledge=review.knowledge,
        threshold=5,
        populations={"NB2": 10000, "NB3": 5000},
        today=lambda: TODAY,
    )
    rows = list(csv.reader(io.StringIO(render(partial.report(FILTERS), "csv"))))
    assert ["NB1", "22", "[x]", "[x]"] in rows
    assert ["Not given", "16", "[z]", "[z]"] in rows
    first_weeks = Filters(Period(dt.date(2025, 2, 17), dt.date(2025, 3, 2)))  # records start 20 Feb
    report = review.report(first_weeks)
    text = render(report, "csv")
    needs = text.split("Unmet need by category", 1)[1].split("\r\n\r\n", 1)[0]
    body = [row for row in csv.reader(io.StringIO(needs)) if len(row) == 6][1:]
    assert body and all(row[3:6] == ["[x]", "[x]", "[x]"] for row in body), body
    # A period before with records keeps its figures.
    assert ["Support for carers", "11", "177.4", "10", "1", "10.0"] in list(
        csv.reader(io.StringIO(render(review.report(FILTERS), "csv")))
    )
