"""Unit costs and each need's likely events: checked with the file and line of every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.kb import Severity
from tests.conftest import DEMO_KNOWLEDGE
from tests.kb.kbfiles import BASE, TODAY, at, check, line_of, only, write_kb

COSTS = """unit_costs:
  - id: gp-appointment
    title: A GP appointment
    agency: {agency}
    pounds: 40
    per: appointment
    publication: Unit costs
    source: https://example.org/costs
    year: "2024"
    price_base: 2023/24
    table: Table 1
    read_in: the source itself
    verified_on: {verified}
"""

EVENTS = """    cost_falls_on: [nhs]
    likely_events:
      - {{cost: {cost}, low: {low}, central: {central}, high: {high}}}
"""


def _write(
    root: Path,
    *,
    agency: str = "nhs",
    verified: str = TODAY.isoformat(),
    cost: str = "gp-appointment",
    low: str = "0.5",
    high: str = "2",
    central: str | None = None,
    falls_on: str = "[nhs]",
) -> None:
    middle = central if central is not None else low
    events = EVENTS.format(cost=cost, low=low, central=middle, high=high)
    events = events.replace("[nhs]", falls_on)
    base = BASE.replace("    cost_falls_on: [nhs]\n", events, 1)
    assert base != BASE
    write_kb(
        root,
        base=base,
        extra={"unit-costs.yaml": COSTS.format(agency=agency, verified=verified)},
    )


def test_a_complete_unit_cost_loads_and_checks_clean(tmp_path: Path) -> None:
    _write(tmp_path)
    result, findings = check(tmp_path)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    cost = result.knowledge.unit_costs["gp-appointment"]
    assert (cost.agency, cost.pounds, cost.price_base) == ("nhs", 40, "2023/24")
    event = result.knowledge.needs["carers-support"].likely_events[0]
    assert (event.cost, event.low, event.high) == ("gp-appointment", 0.5, 2)


def test_an_unknown_unit_cost_is_an_error_at_its_line(tmp_path: Path) -> None:
    _write(tmp_path, cost="gp-visit")
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-unit-cost")
    assert "gp-visit" in finding.message and "unit-costs.yaml" in finding.message
    assert at(finding) == ("base.yaml", line_of(tmp_path / "base.yaml", "cost: gp-visit"))
    assert finding.field == "needs[0].likely_events[0].cost"


def test_a_cost_on_an_agency_the_need_does_not_name_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, falls_on="[]")
    _, findings = check(tmp_path)
    finding = only(findings, "cost-on-other-agency")
    assert "'nhs'" in finding.message and "cost_falls_on" in finding.message
    assert at(finding) == ("base.yaml", line_of(tmp_path / "base.yaml", "cost: gp-appointment"))


def test_a_unit_cost_of_an_unknown_agency_is_an_error_at_its_line(tmp_path: Path) -> None:
    _write(tmp_path, agency="nhs-england")
    _, findings = check(tmp_path)
    finding = [f for f in findings if f.code == "unknown-agency"]
    assert len(finding) == 1, [str(f) for f in findings]
    path = tmp_path / "unit-costs.yaml"
    assert at(finding[0]) == ("unit-costs.yaml", line_of(path, "agency: nhs-england"))


def test_a_range_upside_down_is_a_schema_error_naming_both_ends(tmp_path: Path) -> None:
    _write(tmp_path, low="3", high="1")
    _, findings = check(tmp_path)
    schema = [f for f in findings if f.code == "schema"]
    assert len(schema) == 1, [str(f) for f in findings]
    assert "'high' (1) is below 'low' (3)" in schema[0].message
    assert schema[0].location is not None and schema[0].location.file.name == "base.yaml"
    assert schema[0].location.line == line_of(tmp_path / "base.yaml", "cost: gp-appointment")


def test_a_missing_source_says_which_field_and_reads_well(tmp_path: Path) -> None:
    _write(tmp_path)
    path = tmp_path / "unit-costs.yaml"
    path.write_text(path.read_text().replace("    source: https://example.org/costs\n", ""))
    _, findings = check(tmp_path)
    finding = only(findings, "schema")
    assert finding.message.startswith("'source' is missing: a unit cost must have it")
    assert at(finding)[0] == "unit-costs.yaml"


def test_a_unit_cost_not_checked_for_a_year_is_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, verified="2023-01-01")
    _, findings = check(tmp_path)
    finding = only(findings, "unit-cost-check-overdue")
    assert finding.severity is Severity.WARNING
    assert "https://example.org/costs" in finding.message
    path = tmp_path / "unit-costs.yaml"
    assert at(finding) == ("unit-costs.yaml", line_of(path, "verified_on:"))


def test_the_shipped_unit_costs_name_their_source_year_and_price_base() -> None:
    from navigator.kb import load

    knowledge = load(DEMO_KNOWLEDGE).knowledge
    assert knowledge.unit_costs, "knowledge/unit-costs.yaml holds the unit costs"
    for cost in knowledge.unit_costs.values():
        assert cost.source.startswith("https://") and cost.year and cost.price_base
    expected = {event.cost for need in knowledge.needs.values() for event in need.likely_events}
    assert expected <= set(knowledge.unit_costs)


def test_a_central_figure_outside_its_range_is_an_error_at_its_line(tmp_path: Path) -> None:
    _write(tmp_path, low="0.5", central="3", high="2")
    _, findings = check(tmp_path)
    schema = only(findings, "schema")
    assert "'central' (3) is not between 'low' (0.5) and 'high' (2)" in schema.message
    assert at(schema) == ("base.yaml", line_of(tmp_path / "base.yaml", "cost: gp-appointment"))


def test_a_likely_event_without_a_central_figure_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path)
    path = tmp_path / "base.yaml"
    path.write_text(path.read_text().replace("central: 0.5, ", ""))
    _, findings = check(tmp_path)
    schema = only(findings, "schema")
    assert "'central' is missing" in schema.message
    assert at(schema) == ("base.yaml", line_of(path, "cost: gp-appointment"))


@pytest.mark.parametrize(
    ("field", "line"),
    [
        ("read_in", "    read_in: the source itself\n"),
        ("year", '    year: "2024"\n'),
        ("table", "    table: Table 1\n"),
        ("verified_on", None),
    ],
)
def test_a_unit_cost_missing_its_provenance_is_an_error_naming_the_field(
    tmp_path: Path, field: str, line: str | None
) -> None:
    _write(tmp_path)
    path = tmp_path / "unit-costs.yaml"
    text = path.read_text()
    rows = text.splitlines(keepends=True)
    removed = line or next(row for row in rows if row.startswith(f"    {field}:"))
    assert removed in text
    path.write_text(text.replace(removed, ""))
    _, findings = check(tmp_path)
    finding = only(findings, "schema")
    assert finding.message.startswith(f"'{field}' is missing: a unit cost must have it")
    assert at(finding) == ("unit-costs.yaml", line_of(path, "- id: gp-appointment"))


def test_the_shipped_health_and_care_costs_are_current_and_read_in_their_source() -> None:
    """Commissioners need citable figures: the NHS and care home costs shipped were 2014/15
    figures read at second hand; they now come from the PSSRU Unit Costs 2024 Manual, read in
    the publication itself, in 2023/24 prices (knowledge/unit-costs.yaml says where)."""
    from navigator.kb import load

    costs = load(DEMO_KNOWLEDGE).knowledge.unit_costs
    current = ["gp-appointment", "ae-attendance", "ambulance-conveyance", "care-home-week"]
    for key in current:
        cost = costs[key]
        assert not cost.read_in.lower().startswith("secondary"), key
        assert cost.price_base == "2023/24", key
        assert "Unit Costs of Health and Social Care 2024" in cost.publication, key
    assert [costs[key].pounds for key in current] == [45, 273, 459, 893]
