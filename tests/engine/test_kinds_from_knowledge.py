"""Which signs' kinds meaning may refine is the knowledge base's (`refined_by_meaning`,
`chosen_by_meaning`; session 11, branch kindsyaml): real YAML on disk, real models."""

from __future__ import annotations

import shutil
from pathlib import Path

from navigator.engine.safeguarding import SafeguardingDetector
from navigator.kb import KnowledgeBase
from tests.support.kb import load_ok

TEXT = "mums new boyfriend hits me with his belt, i am 9"
"""A domestic-abuse sign ("hits me") told by a child: meaning reads the child's panel."""


def _without_refining(demo: Path, tmp_path: Path, kind_id: str) -> KnowledgeBase:
    """The demo knowledge base with `kind_id`'s `refined_by_meaning` line taken out."""
    root = tmp_path / "knowledge"
    shutil.copytree(demo, root)
    path = root / "safeguarding.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(f"    - id: {kind_id}\n") + 1
    assert lines[at].strip().startswith("refined_by_meaning: true")
    del lines[at]
    path.write_text("".join(lines), encoding="utf-8")
    return load_ok(root)


def test_a_kind_without_the_field_keeps_its_signs_kind(
    demo_kb: KnowledgeBase, demo_knowledge_dir: Path, tmp_path: Path
) -> None:
    """With `refined_by_meaning: true` the child's panel is shown; without it the sign's own
    kind stands, as for every kind written before the field."""
    shipped = SafeguardingDetector.for_knowledge(demo_kb)
    assert shipped.prepare_meaning()
    refined = shipped.sign_line.assess(TEXT)
    assert refined is not None and (refined.line, refined.kind_id) == ("sign", "child-abuse")

    knowledge = _without_refining(demo_knowledge_dir, tmp_path, "domestic-abuse")
    detector = SafeguardingDetector(
        knowledge.safeguarding, knowledge.vocabulary, meaning=shipped.meaning
    )
    assert "domestic-abuse" not in detector.sign_line.refined
    kept = detector.sign_line.assess(TEXT)
    assert kept is not None and (kept.line, kept.kind_id) == ("sign", "domestic-abuse")


def test_the_shipped_knowledge_base_names_the_kinds(demo_kb: KnowledgeBase) -> None:
    """The sets the engine held as constants before this branch, now read from the YAML."""
    line = SafeguardingDetector.for_knowledge(demo_kb, meaning=False).sign_line
    assert line.refined == {"immediate-danger", "domestic-abuse"}
    assert line.never == {"harm-to-others"}
