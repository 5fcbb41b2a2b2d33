"""Commands open the knowledge base through one place, and say plainly what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.commands.loading import load_knowledge

BROKEN = """\
needs:
  - id: housing
    title: Housing
    description: A home.
topics:
  - id: housing
    need: housing
    title: Housing
    summary: Help with a home.
    start: housing-start
nodes:
  - id: housing-start
    type: question
    text: What do you need?
    options:
      - label: A home
        nxt: housing-start
"""


def test_strict_commands_stop_and_name_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "housing.yaml").write_text(BROKEN, encoding="utf-8")

    assert load_knowledge(tmp_path, "chat") is None

    said = capsys.readouterr().err
    assert f"{tmp_path / 'housing.yaml'}:17:" in said
    assert "navigator chat: the knowledge base in" in said
    assert "Fix them, then try again" in said
    assert "Traceback" not in said


def test_a_preview_goes_on_with_what_loaded_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "housing.yaml").write_text(BROKEN, encoding="utf-8")

    knowledge = load_knowledge(tmp_path, "chat", allow_broken=True)

    assert knowledge is not None and "housing" in knowledge.topics
    assert "PREVIEW ONLY" in capsys.readouterr().err


def test_a_missing_folder_is_said_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_knowledge(tmp_path / "nowhere", "match") is None
    assert (
        capsys.readouterr().err.strip()
        == f"navigator match: {tmp_path / 'nowhere'}: there is no such folder"
    )
