"""Content warnings: review dates, option counts, sentences, wording, contact details."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from navigator.kb import Severity
from navigator.kb.checks_content import months_before
from navigator.kb.schema import ContentRules, Replacement
from navigator.kb.style import Style, sentences, word_count
from tests.kb.kbfiles import BASE, HOUSING, TOPIC, at, check, line_of, only, write_kb

CARERS = "topics/carers.yaml"


def test_content_findings_are_warnings_and_the_knowledge_base_stays_usable(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace(
            "last_reviewed: 2025-05-01\n  - id", "last_reviewed: 2023-01-01\n  - id"
        ),
    )
    result, findings = check(tmp_path)
    assert result.ok
    assert [f.severity for f in findings] == [Severity.WARNING]


def test_review_overdue_is_judged_on_the_day_given(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace(
            "last_reviewed: 2025-05-01\n  - id", "last_reviewed: 2024-05-31\n  - id"
        ),
    )
    path = tmp_path / CARERS
    _, on_time = check(tmp_path, today=dt.date(2025, 5, 31))  # exactly 12 months: not yet
    assert on_time == []
    _, late = check(tmp_path, today=dt.date(2025, 6, 1))
    finding = only(late, "review-overdue")
    assert at(finding) == ("carers.yaml", line_of(path, "last_reviewed: 2024-05-31"))
    assert finding.field == "services[0].last_reviewed"
    assert "2024-05-31" in finding.message and "update 'last_reviewed'" in finding.message


def test_review_period_comes_from_content_rules(tmp_path: Path) -> None:
    rules = "content_rules:\n  review_months: 6\n"
    write_kb(
        tmp_path,
        topics=TOPIC.replace(
            "last_reviewed: 2025-05-01\n  - id", "last_reviewed: 2024-11-15\n  - id"
        ),
        extra={"rules.yaml": rules},
    )
    _, findings = check(tmp_path, today=dt.date(2025, 6, 1))
    assert "more than 6 months" in only(findings, "review-overdue").message


def test_review_date_in_the_future(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace(
            "last_reviewed: 2025-05-01\n  - id", "last_reviewed: 2052-05-01\n  - id"
        ),
    )
    _, findings = check(tmp_path)
    finding = only(findings, "review-date-in-future")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, "2052-05-01"))


def test_national_rule_check_overdue(tmp_path: Path) -> None:
    write_kb(
        tmp_path, topics=TOPIC.replace("rule_checked_on: 2025-05-01", "rule_checked_on: 2022-01-10")
    )
    _, findings = check(tmp_path)
    finding = only(findings, "rule-check-overdue")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, "rule_checked_on: 2022-01-10"))


def test_safeguarding_contacts_verification_overdue(tmp_path: Path) -> None:
    write_kb(tmp_path, base=BASE.replace("verified_on: 2025-05-01", "verified_on: 2023-05-01"))
    _, findings = check(tmp_path)
    finding = only(findings, "safeguarding-check-overdue")
    assert at(finding) == ("base.yaml", line_of(tmp_path / "base.yaml", "verified_on: 2023-05-01"))
    assert finding.field == "safeguarding.verified_on"


def test_question_with_more_options_than_the_house_limit(tmp_path: Path) -> None:
    options = "".join(
        f"      - label: Choice {number}\n        next: housing-end\n" for number in range(8)
    )
    housing = HOUSING.replace("start: housing-start", "start: housing-ask") + (
        "  - id: housing-ask\n    type: question\n    text: Which fits?\n    options:\n"
        + options
        + "  - id: housing-end\n    type: unmet\n    text: Noted.\n    need: housing\n"
        "    reason: no_service\n"
    )
    housing = housing.replace("  - id: housing-start", "  - id: housing-old")
    housing = housing.replace("start: housing-ask", "start: housing-ask")
    write_kb(tmp_path, housing=housing)
    _, findings = check(tmp_path)
    finding = only(findings, "too-many-options")
    assert at(finding) == ("housing.yaml", line_of(tmp_path / "topics/housing.yaml", "options:"))
    assert "8 options" in finding.message and "limit is 7" in finding.message


def test_sentence_longer_than_the_house_limit(tmp_path: Path) -> None:
    long = (
        "If you look after someone who could not manage without you then you can ask the "
        "council for a talk about what would make caring easier for you and your family."
    )
    write_kb(tmp_path, topics=TOPIC.replace("text: These services may help you.", f"text: {long}"))
    _, findings = check(tmp_path)
    finding = only(findings, "long-sentence")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, "If you look after"))
    assert finding.field == "nodes[4].text"
    assert "31 words" in finding.message and "limit is 25" in finding.message


def test_words_plain_english_would_replace(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace(
            "description: Advice and a friendly ear for carers.",
            "description: Advice and assistance for carers, prior to an assessment.",
        ),
    )
    _, findings = check(tmp_path)
    plain = sorted(f.message for f in findings if f.code == "plain-english")
    assert plain == [
        "'assistance' is not an everyday word. Write 'help' instead.",
        "'prior to' is not an everyday word. Write 'before' instead.",
    ]
    line = line_of(tmp_path / CARERS, "Advice and assistance")
    assert {at(f) for f in findings} == {("carers.yaml", line)}


def test_stigmatising_labels_in_any_resident_facing_text(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace("label: Under 65", "label: Under 65 (not a vulnerable adult)").replace(
            "summary: Help if you look after a family member or friend.",
            "summary: Help for Troubled  Families and carers.",
        ),
    )
    _, findings = check(tmp_path)
    stigma = sorted((at(f)[1], f.field) for f in findings if f.code == "stigmatising")
    path = tmp_path / CARERS
    assert stigma == [
        (line_of(path, "Troubled  Families"), "topics[0].summary"),
        (line_of(path, "vulnerable adult"), "nodes[1].options[0].label"),
    ]


def test_the_knowledge_base_adds_its_own_phrases_and_can_drop_the_defaults(tmp_path: Path) -> None:
    rules = (
        "content_rules:\n  include_defaults: false\n  plain_english:\n"
        "    - phrase: friendly ear\n      suggest: someone to listen\n"
    )
    write_kb(
        tmp_path,
        topics=TOPIC.replace("a friendly ear for carers.", "a friendly ear, and assistance."),
        extra={"rules.yaml": rules},
    )
    _, findings = check(tmp_path)
    finding = only(findings, "plain-english")  # 'assistance' is a default, now dropped
    assert "'friendly ear'" in finding.message


def test_phrases_match_whole_words_only() -> None:
    style = Style.from_rules(ContentRules())
    assert [hit.phrase for hit in style.stigmatising.find("An invulnerable adult")] == []
    assert [hit.phrase for hit in style.stigmatising.find("Addicted to chocolate")] == []
    assert [hit.phrase for hit in style.stigmatising.find("Services for vulnerable adults")] == [
        "vulnerable adults"
    ]
    custom = Style.from_rules(
        ContentRules(plain_english=[Replacement(phrase="Utilise", suggest="use")])
    )
    assert [hit.suggest for hit in custom.plain_english.find("please UTILISE it")] == ["use"]


def test_service_nobody_could_contact(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=TOPIC.replace("    contact:\n      email: grants@example.org\n", ""))
    _, findings = check(tmp_path)
    finding = only(findings, "no-contact")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, "- id: carers-grant"))


def test_closed_service_still_offered(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace(
            "    last_reviewed: 2025-05-01\n  - id",
            "    status: closed\n    last_reviewed: 2025-05-01\n  - id",
        ),
    )
    _, findings = check(tmp_path)
    finding = only(findings, "closed-service-offered")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, "status: closed"))
    assert "carers-outcome" in finding.message


def test_wait_time_on_a_service_that_is_not_a_waiting_list(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace(
            "    last_reviewed: 2025-05-01\n  - id",
            "    wait_time: {weeks: 6}\n    last_reviewed: 2025-05-01\n  - id",
        ),
    )
    _, findings = check(tmp_path)
    finding = only(findings, "wait-time-unused")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, "wait_time:"))


def test_waiting_list_with_its_wait_is_fine(tmp_path: Path) -> None:
    listed = (
        "    status: waiting_list\n    wait_time: {weeks: 20}\n"
        "    last_reviewed: 2025-05-01\n  - id"
    )
    write_kb(tmp_path, topics=TOPIC.replace("    last_reviewed: 2025-05-01\n  - id", listed))
    _, findings = check(tmp_path)
    assert findings == []


def test_rule_about_a_fact_no_question_sets(tmp_path: Path) -> None:
    never = TOPIC.replace("set: {weekly_income: 150}", "set: {}").replace(
        "set: {weekly_income: 300}", "set: {}"
    )
    write_kb(tmp_path, topics=never)
    _, findings = check(tmp_path)
    finding = only(findings, "fact-never-set")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, "- fact: weekly_income"))
    assert finding.field == "services[1].eligibility.all[2].fact"


def test_need_category_without_a_topic(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        housing=HOUSING.replace("need: housing\n    title", "need: carers-support\n    title"),
    )
    _, findings = check(tmp_path)
    finding = only(findings, "need-without-topic")
    assert at(finding) == ("base.yaml", line_of(tmp_path / "base.yaml", "- id: housing"))


def test_topic_residents_could_not_find_in_their_own_words(tmp_path: Path) -> None:
    write_kb(tmp_path, housing=HOUSING.replace("    keywords: [housing]\n", ""))
    _, findings = check(tmp_path)
    finding = only(findings, "no-examples")
    assert at(finding) == (
        "housing.yaml",
        line_of(tmp_path / "topics/housing.yaml", "- id: housing"),
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 6, 1), 12, dt.date(2024, 6, 1)),
        (dt.date(2025, 3, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),
        (dt.date(2025, 1, 15), 1, dt.date(2024, 12, 15)),
        (dt.date(2025, 12, 31), 18, dt.date(2024, 6, 30)),
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def test_sentences_and_words_as_a_reader_counts_them() -> None:
    text = "Call us today. Don't wait!\nThe limit is £23,250 in NB12, isn't it?"
    assert list(sentences(text)) == [
        "Call us today.",
        "Don't wait!",
        "The limit is £23,250 in NB12, isn't it?",
    ]
    assert [word_count(s) for s in sentences(text)] == [3, 2, 8]


PHONE_RULES = """content_rules:
  phone_numbers:
    fictional_place: {fictional}
    drama_ranges: [01632 960, 03069 990]
    real_numbers: ["0808 2000 247", "999"]
"""


def _with_number(number: str) -> str:
    """The test topic's first service, reachable on `number`."""
    return TOPIC.replace("- number: 01632 960001", f'- number: "{number}"', 1)


@pytest.mark.parametrize(
    ("number", "flagged"),
    [
        ("0300 123 4567", True),  # a real range (the Childcare Service is 0300 123 4097)
        ("01632 960123", False),  # Ofcom's drama range
        ("03069990123", False),  # the same range written without spaces
        ("+44 1632 960123", False),  # and in international form
        ("0808 2000 247", False),  # a real national helpline the knowledge base names on purpose
    ],
)
def test_a_fictional_place_prints_only_drama_numbers_and_named_helplines(
    tmp_path: Path, number: str, flagged: bool
) -> None:
    write_kb(
        tmp_path,
        topics=_with_number(number),
        extra={"rules.yaml": PHONE_RULES.format(fictional="true")},
    )
    _, findings = check(tmp_path)
    codes = [f.code for f in findings]
    assert ("real-number-in-fictional-place" in codes) is flagged
    if flagged:
        finding = only(findings, "real-number-in-fictional-place")
        assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, number))
        assert "drama_ranges" in finding.message and "real_numbers" in finding.message


def test_a_real_place_may_print_any_number(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=_with_number("0300 123 4567"),
        extra={"rules.yaml": PHONE_RULES.format(fictional="false")},
    )
    _, findings = check(tmp_path)
    assert "real-number-in-fictional-place" not in [f.code for f in findings]


def test_the_demo_prints_no_real_number_by_mistake(demo_knowledge_dir: Path) -> None:
    _, findings = check(demo_knowledge_dir)
    assert [f.message for f in findings if f.code == "real-number-in-fictional-place"] == []


@pytest.mark.parametrize(
    ("unless", "problem"),
    [
        ("This course is for parents of children aged 2 to 11.", "ends with a full stop"),
        ("you need a plan first. It comes after an assessment", "has more than one sentence"),
        ("This course is for parents of young children", "starts with a capital ('This')"),
        ("Carer's Allowance is for people who care 35 hours a week", None),
        ("you need a plan first (it comes after an assessment)", None),
    ],
)
def test_a_reason_must_read_as_one_clause_after_because(
    tmp_path: Path, unless: str, problem: str | None
) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace("equals: yes\n", f"equals: yes\n          unless: {unless}\n", 1),
    )
    _, findings = check(tmp_path)
    found = [f for f in findings if f.code == "reason-not-a-clause"]
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and problem in found[0].message
        assert at(found[0]) == ("carers.yaml", line_of(tmp_path / CARERS, f"unless: {unless}"))
        assert found[0].field is not None and found[0].field.endswith("unless")


def test_the_demo_reasons_all_read_as_clauses(demo_knowledge_dir: Path) -> None:
    _, findings = check(demo_knowledge_dir)
    assert [f.message for f in findings if f.code == "reason-not-a-clause"] == []


def test_a_national_rule_says_where_it_is_written(tmp_path: Path) -> None:
    write_kb(
        tmp_path, topics=TOPIC.replace("    rule_source: https://www.gov.uk/carers-allowance\n", "")
    )
    _, findings = check(tmp_path)
    finding = only(findings, "rule-without-source")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS, "rule_checked_on: 2025-05-01"))
    assert "rule_source" in finding.message


def test_a_national_rule_is_checked_every_6_months_by_default(tmp_path: Path) -> None:
    write_kb(tmp_path)  # rule_checked_on 2025-05-01
    _, in_time = check(tmp_path, today=dt.date(2025, 11, 1))
    assert "rule-check-overdue" not in [f.code for f in in_time]
    _, late = check(tmp_path, today=dt.date(2025, 11, 2))
    finding = only(late, "rule-check-overdue")
    assert "more than 6 months" in finding.message
    assert "https://www.gov.uk/carers-allowance" in finding.message
