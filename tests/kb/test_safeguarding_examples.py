"""Crisis examples, near misses and the check-in question in the knowledge base."""

from __future__ import annotations

from pathlib import Path

from tests.kb.kbfiles import BASE, at, check, line_of, only, write_kb

SIGNS = "      signs: [in danger now]\n"


def _with(kind_extra: str, safeguarding_extra: str = "") -> str:
    base = BASE.replace(SIGNS, SIGNS + kind_extra)
    return base.replace(
        "  verified_on: 2025-05-01\n", "  verified_on: 2025-05-01\n" + safeguarding_extra
    )


def test_examples_near_misses_and_check_in_load(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        base=_with(
            "      examples: [hes outside with a bat shouting]\n"
            "      near_misses: [my boss will kill me]\n"
            "      check_in: Are you safe right now?\n",
            "  check_in:\n    question: Is anyone in danger now?\n"
            "    yes: Yes, now\n    no: No, carry on\n",
        ),
    )
    result, findings = check(tmp_path)
    assert findings == []
    safeguarding = result.knowledge.safeguarding
    assert safeguarding is not None and safeguarding.check_in is not None
    assert safeguarding.check_in.question.get("en") == "Is anyone in danger now?"
    kind = safeguarding.kinds[0]
    assert list(kind.examples) == ["hes outside with a bat shouting"]
    assert list(kind.near_misses) == ["my boss will kill me"]
    assert kind.check_in is not None and kind.check_in.get("en") == "Are you safe right now?"


def test_an_example_also_written_as_a_near_miss_is_an_error_at_its_line(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        base=_with(
            "      examples:\n        - hes outside with a bat shouting\n"
            "      near_misses:\n        - Hes outside with a bat, shouting!\n"
        ),
    )
    _, findings = check(tmp_path)
    finding = only(findings, "crisis-example-conflict")
    assert at(finding) == (
        "base.yaml",
        line_of(tmp_path / "base.yaml", "- hes outside with a bat shouting"),
    )
    assert finding.field == "safeguarding.kinds[0].examples[0]"
    assert "near_misses" in finding.message


def test_a_check_in_without_its_answers_is_an_error_naming_the_field(tmp_path: Path) -> None:
    write_kb(tmp_path, base=_with("", "  check_in:\n    question: Is anyone in danger now?\n"))
    _, findings = check(tmp_path)
    assert any("check_in" in str(finding) and "yes" in str(finding) for finding in findings), [
        str(finding) for finding in findings
    ]
    assert all(finding.location is not None for finding in findings)
