"""Reference checks: each test breaks the small knowledge base one way and expects one finding."""

from __future__ import annotations

from pathlib import Path

from navigator.kb import Severity, load
from navigator.kb.requirements import Requirements
from navigator.kb.validate import validate
from tests.kb.kbfiles import BASE, HOUSING, TODAY, TOPIC, at, check, line_of, only, write_kb


def test_the_base_knowledge_base_is_clean(tmp_path: Path) -> None:
    result, findings = check(write_kb(tmp_path))
    assert result.ok
    assert findings == []


def test_option_leading_to_a_missing_node(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=TOPIC.replace("next: carers-none", "next: carers-nobody"))
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-node")
    path = tmp_path / "topics/carers.yaml"
    assert at(finding) == ("carers.yaml", line_of(path, "next: carers-nobody"))
    assert finding.field == "nodes[0].options[1].next"
    assert "'carers-nobody'" in finding.message and "does not exist" in finding.message


def test_info_and_topic_start_leading_to_missing_nodes(tmp_path: Path) -> None:
    broken = TOPIC.replace("next: carers-money", "next: carers-cash").replace(
        "start: carers-start", "start: carers-begin"
    )
    write_kb(tmp_path, topics=broken)
    _, findings = check(tmp_path)
    path = tmp_path / "topics/carers.yaml"
    unknown = sorted(at(f) for f in findings if f.code == "unknown-node")
    assert unknown == [
        ("carers.yaml", line_of(path, "start: carers-begin")),
        ("carers.yaml", line_of(path, "next: carers-cash")),
    ]


def test_outcome_offering_a_missing_service(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace("[carers-centre, carers-grant]", "[carers-centre, carers-grnat]"),
    )
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-service")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / "topics/carers.yaml", "carers-grnat"))
    assert finding.field == "nodes[4].services[1]"
    assert "'carers-grnat'" in finding.message


def test_topic_unmet_end_and_service_with_unknown_needs(tmp_path: Path) -> None:
    broken = (
        TOPIC.replace("need: carers-support\n    title", "need: carer-support\n    title")
        .replace("    need: carers-support\n    reason", "    need: carers\n    reason")
        .replace(
            "needs: [carers-support]\n    contact:\n      email",
            "needs: [money]\n    contact:\n      email",
        )
    )
    write_kb(tmp_path, topics=broken)
    _, findings = check(tmp_path)
    path = tmp_path / "topics/carers.yaml"
    unknown = sorted(at(f) for f in findings if f.code == "unknown-need")
    assert unknown == sorted(
        [
            ("carers.yaml", line_of(path, "need: carer-support")),
            ("carers.yaml", line_of(path, "need: carers")),
            ("carers.yaml", line_of(path, "needs: [money]")),
        ]
    )
    assert all(f.severity == Severity.ERROR for f in findings if f.code == "unknown-need")


def test_unmet_end_with_an_undeclared_reason(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=TOPIC.replace("reason: no_service", "reason: no_beds"))
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-reason")
    assert at(finding) == (
        "carers.yaml",
        line_of(tmp_path / "topics/carers.yaml", "reason: no_beds"),
    )
    assert "no_service" in finding.message  # it lists the declared reasons


def test_unknown_agencies_in_needs_and_unmet_ends(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        base=BASE.replace("cost_falls_on: [nhs]", "cost_falls_on: [nhs-england]"),
        topics=TOPIC.replace("cost_falls_on: [nhs]", "cost_falls_on: [police]"),
    )
    _, findings = check(tmp_path)
    unknown = sorted(at(f) for f in findings if f.code == "unknown-agency")
    assert unknown == [
        ("base.yaml", line_of(tmp_path / "base.yaml", "nhs-england")),
        ("carers.yaml", line_of(tmp_path / "topics/carers.yaml", "[police]")),
    ]


def test_option_setting_an_undeclared_fact(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=TOPIC.replace("set: {age_band: 65+}", "set: {age: 65+}"))
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-fact")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / "topics/carers.yaml", "{age: 65+}"))
    assert finding.field == "nodes[1].options[1].set.age"


def test_rule_about_an_undeclared_fact(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=TOPIC.replace("- fact: weekly_income", "- fact: income"))
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-fact")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / "topics/carers.yaml", "fact: income"))
    assert finding.field == "services[1].eligibility.all[2].fact"


def test_values_a_fact_does_not_list(tmp_path: Path) -> None:
    broken = TOPIC.replace("set: {age_band: 65+}", "set: {age_band: over-65}").replace(
        "in: [under-65, 65+]", "in: [under-65, 66+]"
    )
    write_kb(tmp_path, topics=broken)
    _, findings = check(tmp_path)
    path = tmp_path / "topics/carers.yaml"
    unknown = sorted((at(f), f.field) for f in findings if f.code == "unknown-fact-value")
    assert unknown == [
        (("carers.yaml", line_of(path, "over-65")), "nodes[1].options[1].set.age_band"),
        (("carers.yaml", line_of(path, "66+")), "services[1].eligibility.all[1].in[1]"),
    ]
    assert any("lists only: 65+, under-65" in f.message for f in findings)


def test_yes_and_no_match_listed_values_whatever_yaml_makes_of_them(tmp_path: Path) -> None:
    # `set: {carer: yes}` is read as true; the fact lists "yes": that is a match, not an error.
    quoted = TOPIC.replace("set: {carer: yes}", 'set: {carer: "Yes"}')
    write_kb(tmp_path, topics=quoted)
    _, findings = check(tmp_path)
    assert findings == []


def test_numeric_comparison_of_a_choice_fact(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        topics=TOPIC.replace(
            "- fact: age_band\n          in: [under-65, 65+]",
            "- fact: age_band\n          at_least: 65",
        ),
    )
    _, findings = check(tmp_path)
    finding = only(findings, "fact-comparison")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / "topics/carers.yaml", "at_least: 65"))
    assert "'equals' or 'in'" in finding.message


def test_numeric_fact_with_phrases_for_some_amounts_may_be_compared(tmp_path: Path) -> None:
    numeric = BASE.replace(
        "    phrase: about £{value} comes in each week",
        "    phrase: about £{value} comes in each week\n"
        "    values:\n      '150': under £200 a week",
    )
    write_kb(tmp_path, base=numeric)
    _, findings = check(tmp_path)
    assert findings == []


def test_safeguarding_kind_naming_an_unknown_contact(tmp_path: Path) -> None:
    write_kb(
        tmp_path, base=BASE.replace("contacts: [emergency]", "contacts: [emergency, samaritans]")
    )
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-contact")
    assert at(finding) == ("base.yaml", line_of(tmp_path / "base.yaml", "samaritans"))
    assert finding.field == "safeguarding.kinds[0].contacts[1]"


def test_safeguarding_contact_given_twice(tmp_path: Path) -> None:
    twice = BASE.replace(
        "    - id: emergency\n      name: Emergency services",
        "    - id: emergency\n      name: Police\n      how: Call 101.\n"
        "    - id: emergency\n      name: Emergency services",
    )
    write_kb(tmp_path, base=twice)
    _, findings = check(tmp_path)
    finding = only(findings, "duplicate-id")
    assert at(finding) == ("base.yaml", line_of(tmp_path / "base.yaml", "- id: emergency", 2))


def test_missing_safeguarding_section(tmp_path: Path) -> None:
    write_kb(tmp_path, base=BASE[: BASE.index("safeguarding:")])
    _, findings = check(tmp_path)
    finding = only(findings, "missing-safeguarding")
    assert finding.location is not None and finding.location.file == tmp_path


def test_required_reason_not_declared(tmp_path: Path) -> None:
    without = BASE.replace(
        "  - id: unmatched\n    title: Not matched\n"
        "    description: Nothing matched what the person asked.\n",
        "",
    )
    write_kb(tmp_path, base=without)
    _, findings = check(tmp_path)
    finding = only(findings, "missing-reason")
    assert "'unmatched'" in finding.message
    assert at(finding) == ("base.yaml", line_of(tmp_path / "base.yaml", "- id: no_service"))


def test_required_messages_are_checked(tmp_path: Path) -> None:
    result = load(write_kb(tmp_path))
    findings = validate(
        result.knowledge, today=TODAY, requirements=Requirements(messages=("welcome", "goodbye"))
    )
    finding = only(findings, "missing-message")
    assert "'goodbye'" in finding.message
    assert finding.field == "messages.goodbye"


def test_service_area_the_place_does_not_list(tmp_path: Path) -> None:
    write_kb(
        tmp_path, topics=TOPIC.replace("service_areas: [TB1, TB2]", "service_areas: [TB1, TB9]")
    )
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-district")
    assert finding.severity == Severity.WARNING
    assert finding.field == "services[0].service_areas[1]"


def test_same_id_in_two_files_points_at_the_second(tmp_path: Path) -> None:
    copy = HOUSING.replace("- id: housing-start", "- id: carers-start").replace(
        "start: housing-start", "start: carers-start"
    )
    write_kb(tmp_path, housing=copy)
    result, findings = check(tmp_path)
    duplicate = only(findings, "duplicate-id")
    assert at(duplicate) == (
        "housing.yaml",
        line_of(tmp_path / "topics/housing.yaml", "- id: carers-start"),
    )
    assert "carers.yaml" in duplicate.message  # says where the first one is
    assert not result.ok


def test_an_entry_with_a_schema_error_is_reported_once_not_by_every_reference(
    tmp_path: Path,
) -> None:
    # carers-info has a misspelt field; the node leading to it must not also be "unknown".
    write_kb(tmp_path, topics=TOPIC.replace("    next: carers-money", "    nxt: carers-money"))
    result, findings = check(tmp_path)
    assert [f.code for f in findings] == ["schema"]
    schema = findings[0]
    assert at(schema) == (
        "carers.yaml",
        line_of(tmp_path / "topics/carers.yaml", "nxt: carers-money"),
    )
    assert "carers-info" in result.knowledge.skipped.__repr__()


def test_a_service_area_that_is_not_a_postcode_district_is_an_error(tmp_path: Path) -> None:
    """The schema and the app read districts with one rule (`navigator.kb.places.DISTRICT`)."""
    for written in ("tb1", "TB 1", "Q1"):  # lower case, a space, a letter no postcode starts with
        write_kb(
            tmp_path,
            topics=TOPIC.replace("service_areas: [TB1, TB2]", f"service_areas: [TB1, '{written}']"),
        )
        result, findings = check(tmp_path)
        assert not result.ok
        assert any(
            "is not a postcode district such as" in finding.message for finding in findings
        ), written
