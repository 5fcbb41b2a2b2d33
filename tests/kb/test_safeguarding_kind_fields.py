"""Which kinds the meaning line may refine and choose (`refined_by_meaning`,
`chosen_by_meaning`): content decisions, read from the knowledge base (session 11, branch
kindsyaml)."""

from __future__ import annotations

from pathlib import Path

from tests.kb.kbfiles import BASE, at, check, line_of, write_kb

SIGNS = "      signs: [in danger now]\n"


def test_a_kind_without_the_fields_is_neither_refined_nor_kept_from_meaning(
    tmp_path: Path,
) -> None:
    """A knowledge base written before the fields keeps working: a sign keeps its kind, and
    meaning may choose any kind."""
    write_kb(tmp_path)
    result, findings = check(tmp_path)
    assert findings == []
    assert result.knowledge.safeguarding is not None
    kind = result.knowledge.safeguarding.kinds[0]
    assert (kind.refined_by_meaning, kind.chosen_by_meaning) == (False, True)


def test_the_fields_load(tmp_path: Path) -> None:
    extra = "      refined_by_meaning: true\n      chosen_by_meaning: false\n"
    write_kb(tmp_path, base=BASE.replace(SIGNS, SIGNS + extra))
    result, findings = check(tmp_path)
    assert findings == []
    assert result.knowledge.safeguarding is not None
    kind = result.knowledge.safeguarding.kinds[0]
    assert (kind.refined_by_meaning, kind.chosen_by_meaning) == (True, False)


def test_a_wrong_type_is_an_error_at_its_file_and_line(tmp_path: Path) -> None:
    """`refined_by_meaning: sometimes` is not taken as true: the message names the file, the
    line, the field and what it should be."""
    write_kb(tmp_path, base=BASE.replace(SIGNS, SIGNS + "      refined_by_meaning: sometimes\n"))
    _, findings = check(tmp_path)
    matching = [finding for finding in findings if "refined_by_meaning" in str(finding)]
    assert len(matching) == 1, [str(finding) for finding in findings]
    finding = matching[0]
    assert at(finding) == ("base.yaml", line_of(tmp_path / "base.yaml", "refined_by_meaning"))
    assert finding.field == "safeguarding.kinds[0].refined_by_meaning"
    assert "should be yes or no" in finding.message and "sometimes" in finding.message
