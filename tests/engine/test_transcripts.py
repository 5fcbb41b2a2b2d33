"""Scripted conversations: the runner, its reports, and the shipped transcripts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from navigator.engine.transcripts import (
    TranscriptError,
    TranscriptRunner,
    load_transcripts,
)
from navigator.kb import load
from tests.engine.conversation_kb import REPO, load_ok, write_conversation_kb

GOOD = """\
transcripts:
  - name: adult carer of working age
    inputs: [carers allowance, 1, 18 to 64]
    expect:
      topic: carers
      view: outcome
      node: carers-outcome
      offered: [carers-allowance, carers-north]
      waiting_list: [carers-hub]
      not_offered: [young-carers]
      unmet: none
      safeguarding: none
      ended: finished
  - name: parent carer finds nothing
    inputs: [1, A disabled child, finish]
    expect:
      view: finished
      unmet: {need: carers-support, reason: no_service}
      ended: finished
  - name: crisis then carry on
    inputs: ["i want to end my life", "1"]
    expect: {view: welcome, safeguarding: suicide, ended: abandoned}
  - name: lives outside the group's area
    context: {postcode_district: MT7}
    inputs: [1, 1, 18 to 64]
    expect:
      offered: [carers-allowance]
      not_offered: [carers-north]
"""

DIVERGING = """\
transcripts:
  - name: wrong expectations
    inputs: [1, 1, 3]
    expect:
      offered: [young-carers]
      unmet: {reason: ineligible}
  - name: a choice that is not there
    inputs:
      - 1
      - 7
    expect: {view: outcome}
  - name: badly written
    input: [1]
    expect: {colour: blue}
"""


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_conversation_kb(tmp_path_factory.mktemp("kb"))


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_transcripts_that_go_as_written_report_nothing(kb_dir: Path, tmp_path: Path) -> None:
    write(tmp_path / "t", "good.yaml", GOOD)
    runner = TranscriptRunner(load_ok(kb_dir))

    transcripts = load_transcripts(tmp_path / "t")

    assert [t.name for t in transcripts] == [
        "adult carer of working age",
        "parent carer finds nothing",
        "crisis then carry on",
        "lives outside the group's area",
    ]
    assert [runner.run(t) for t in transcripts] == [[], [], [], []]


def test_each_divergence_names_file_line_and_what_differed(kb_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "t", "bad.yaml", DIVERGING)
    runner = TranscriptRunner(load_ok(kb_dir))

    reports = [str(d) for t in load_transcripts(tmp_path / "t") for d in runner.run(t)]

    assert reports == [
        f"{path}:5: wrong expectations: expected but not offered: young-carers (ineligible); "
        "offered but not expected: carers-allowance, carers-north",
        f"{path}:6: wrong expectations: expected an unmet need with reason ineligible; "
        "recorded: none",
        f"{path}:10: a choice that is not there: input 2: there is no choice 7 on the question "
        "screen at node 'carers-who' (it has 2)",
        f"{path}:11: a choice that is not there: expected view 'outcome', but it ended at "
        "question screen at node 'carers-who'",
        f"{path}:13: badly written: 'input' is not a transcript field (name, channel, context, "
        "inputs, expect)",
        f"{path}:12: badly written: give 'inputs': a list of lines typed",
        f"{path}:14: badly written: 'colour' is not something a transcript can expect (topic, "
        "view, node, offered, waiting_list, not_offered, unmet, safeguarding, ended)",
    ]


def test_unreadable_file_is_reported_with_its_line(kb_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "t", "broken.yaml", "transcripts:\n  - name: x\n    inputs: [\n")

    [transcript] = load_transcripts(tmp_path / "t")
    [report] = TranscriptRunner(load_ok(kb_dir)).run(transcript)

    assert str(report).startswith(f"{path}:4: broken.yaml: this is not valid YAML")


def test_missing_folder_is_an_error_not_a_pass(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="no such folder"):
        load_transcripts(tmp_path / "nowhere")


def run_command(
    kb_dir: Path, folder: Path | None, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    arguments = [sys.executable, "-m", "navigator.cli", "check-transcripts", "--kb", str(kb_dir)]
    if folder is not None:
        arguments.append(str(folder))
    environment = {**os.environ, "NAVIGATOR_CONFIG": str(tmp_path / "none.toml")}
    return subprocess.run(
        arguments, capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_command_exit_status_follows_the_results(kb_dir: Path, tmp_path: Path) -> None:
    write(tmp_path / "good", "good.yaml", GOOD)
    write(tmp_path / "bad", "good.yaml", GOOD)
    write(tmp_path / "bad", "bad.yaml", DIVERGING)

    good = run_command(kb_dir, tmp_path / "good", tmp_path)
    bad = run_command(kb_dir, tmp_path / "bad", tmp_path)
    missing = run_command(kb_dir, tmp_path / "missing", tmp_path)

    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.strip().endswith("4 transcripts, 4 as expected, 0 diverged")
    assert bad.returncode == 1
    assert "7 transcripts, 4 as expected, 3 diverged" in bad.stdout
    assert "bad.yaml:6: wrong expectations" in bad.stdout
    assert missing.returncode == 2
    assert "no such folder" in missing.stderr


DEMO_TRANSCRIPTS = REPO / "knowledge" / "transcripts"


def test_every_shipped_transcript_goes_as_written() -> None:
    result = load(REPO / "knowledge")
    assert result.ok, [str(d) for d in result.diagnostics]
    runner = TranscriptRunner(result.knowledge)
    transcripts = load_transcripts(DEMO_TRANSCRIPTS)

    reports = [str(d) for t in transcripts for d in runner.run(t)]

    assert reports == []
    assert len(transcripts) >= 40
    expected = [t.expect for t in transcripts]
    topics = {e.get("topic") for e in expected}
    assert set(result.knowledge.topics) <= topics, "every topic has a transcript"
    reasons = {e["unmet"]["reason"] for e in expected if isinstance(e.get("unmet"), dict)}
    assert set(result.knowledge.reasons) <= reasons, "every unmet reason has a transcript"
    assert {"abandoned", "finished"} <= {e.get("ended") for e in expected}
    assert any(e.get("safeguarding") not in (None, "none") for e in expected)


def test_a_line_not_understood_is_reported_first(kb_dir: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path / "t",
        "lost.yaml",
        "name: lost\ninputs: [1, purple, 1]\nexpect: {view: outcome}\n",
    )
    [transcript] = load_transcripts(tmp_path / "t")

    reports = [str(d) for d in TranscriptRunner(load_ok(kb_dir)).run(transcript)]

    assert reports == [
        f"{path}:2: lost: input 2 ('purple') was not understood on the question screen at "
        "node 'carers-who'",
        f"{path}:3: lost: expected view 'outcome', but it ended at question screen at node "
        "'carers-who'",
    ]
