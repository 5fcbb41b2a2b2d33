"""Loading a small knowledge base from real files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.kb import KnowledgeBaseUnreadable, load

TOPIC = """\
topics:
  - id: carers
    need: carers-support
    title: Looking after someone
    summary: Help if you look after a family member or friend.
    start: carers-start
nodes:
  - id: carers-start
    type: question
    text: Who do you look after?
    options:
      - label: An adult
        next: carers-end
  - id: carers-end
    type: unmet
    need: carers-support
    reason: no_service
    text: There is nothing for this yet.
"""

NEEDS = """\
needs:
  - id: carers-support
    title: Support for carers
    description: Help for people who look after someone.
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_merges_files_and_hash_ignores_file_layout(tmp_path: Path) -> None:
    one = tmp_path / "one"
    write(one, "needs.yaml", NEEDS)
    write(one, "topics/carers.yaml", TOPIC)
    two = tmp_path / "two"
    write(two, "all.yaml", "# one file this time\n" + TOPIC + NEEDS)

    first, second = load(one), load(two)

    assert first.ok and second.ok, first.diagnostics + second.diagnostics
    assert set(first.knowledge.nodes) == {"carers-start", "carers-end"}
    assert first.knowledge.content_hash == second.knowledge.content_hash


def test_hash_changes_when_content_changes(tmp_path: Path) -> None:
    write(tmp_path / "a", "k.yaml", TOPIC + NEEDS)
    write(tmp_path / "b", "k.yaml", TOPIC.replace("Who do you", "Who do you help or") + NEEDS)
    assert (
        load(tmp_path / "a").knowledge.content_hash != load(tmp_path / "b").knowledge.content_hash
    )


def test_schema_error_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "k.yaml", TOPIC.replace("    next: carers-end", "    nxt: carers-end"))

    result = load(tmp_path)

    assert not result.ok
    found = [d for d in result.diagnostics if d.code == "schema"]
    assert any(
        d.location is not None
        and d.location.file == path
        and d.location.line == 13
        and d.field == "nodes[0].options[0].nxt"
        for d in found
    ), [str(d) for d in found]


def test_missing_folder_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseUnreadable, match="no such folder"):
        load(tmp_path / "missing")
