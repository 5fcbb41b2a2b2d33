"""Imported candidates and the taxonomy crosswalk: loaded and checked, kept out of conversations."""

from __future__ import annotations

from pathlib import Path

from navigator.kb import load
from tests.kb.kbfiles import at, check, line_of, only, write_kb

CANDIDATES = """\
candidates:
  - id: shire-riverside-carers
    name: Riverside Carers Group
    needs: [carers-support]
    schedules: Monday to Friday, 9am to 5pm
    schedule_rules:
      - {freq: WEEKLY, byday: "MO,TU,WE,TH,FR", opens_at: "09:00", closes_at: "17:00"}
    service_areas: [TB1]
    last_reviewed: 2025-05-01
    provenance:
      feed: shire
      source_url: https://shire.example.org/o/v3/services/1
      source_id: "1"
      fetched_at: 2025-05-02T09:00:00+00:00
"""

CROSSWALK = """\
taxonomy_crosswalk:
  - term_uri: http://id.esd.org.uk/service/298
    needs: [carers-support]
  - name: Housing advice
    needs: [housing]
"""


def test_candidates_load_apart_from_services_and_leave_the_content_hash_alone(
    tmp_path: Path,
) -> None:
    before = load(write_kb(tmp_path / "a")).knowledge.content_hash
    root = write_kb(
        tmp_path / "b", extra={"candidates/shire.yaml": CANDIDATES, "crosswalk.yaml": CROSSWALK}
    )
    result, findings = check(root)
    assert findings == []
    assert list(result.knowledge.candidates) == ["shire-riverside-carers"]
    assert "shire-riverside-carers" not in result.knowledge.services
    assert len(result.knowledge.taxonomy_crosswalk) == 2
    assert result.knowledge.content_hash == before


def test_a_candidate_may_not_carry_an_eligibility_rule(tmp_path: Path) -> None:
    broken = CANDIDATES.replace(
        "    needs: [carers-support]\n",
        "    needs: [carers-support]\n    eligibility: {fact: carer, equals: 'yes'}\n",
    )
    root = write_kb(tmp_path, extra={"candidates/shire.yaml": broken})
    _, findings = check(root)
    finding = only(findings, "schema")
    path = root / "candidates/shire.yaml"
    assert at(finding) == ("shire.yaml", line_of(path, "eligibility:"))
    assert "eligibility" in finding.message


def test_two_candidates_with_one_id_are_an_error(tmp_path: Path) -> None:
    root = write_kb(
        tmp_path, extra={"candidates/a.yaml": CANDIDATES, "candidates/b.yaml": CANDIDATES}
    )
    _, findings = check(root)
    finding = only(findings, "duplicate-id")
    assert "candidate id 'shire-riverside-carers' is used twice" in finding.message


def test_needs_named_by_candidates_and_the_crosswalk_must_exist(tmp_path: Path) -> None:
    root = write_kb(
        tmp_path,
        extra={
            "candidates/shire.yaml": CANDIDATES.replace("[carers-support]", "[carers-suport]"),
            "crosswalk.yaml": CROSSWALK.replace("[housing]", "[homes]"),
        },
    )
    _, findings = check(root)
    unknown = sorted(at(f) for f in findings if f.code == "unknown-need")
    assert unknown == [
        ("crosswalk.yaml", line_of(root / "crosswalk.yaml", "needs: [homes]")),
        ("shire.yaml", line_of(root / "candidates/shire.yaml", "needs: [carers-suport]")),
    ]


def test_a_crosswalk_entry_gives_a_uri_or_a_name_not_both(tmp_path: Path) -> None:
    both = CROSSWALK.replace(
        "  - name: Housing advice\n", "  - name: Housing advice\n    term_uri: http://x.org/1\n"
    )
    root = write_kb(tmp_path, extra={"crosswalk.yaml": both})
    _, findings = check(root)
    assert "either 'term_uri' or 'name'" in only(findings, "schema").message
