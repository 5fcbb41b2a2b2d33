"""`navigator validate` through the real command line: exit status, text and JSON output."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from navigator.cli import main
from tests.kb.kbfiles import TOPIC, line_of, write_kb
from tests.kb.test_hostile_input import BILLION_LAUGHS

NOW = dt.date.today()
"""The command judges review dates on the real today, so the files say they were reviewed today."""
REPO = Path(__file__).resolve().parents[2]
NAVIGATOR = REPO / ".venv" / "bin" / "navigator"
LONG = (
    "If you look after someone who could not manage without you then you can ask the "
    "council for a talk about what would make caring easier for you and your family."
)


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(["validate", *arguments])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_clean_knowledge_base_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(write_kb(tmp_path, reviewed=NOW)))
    assert status == 0
    assert out.strip().endswith(")")
    assert "0 errors, 0 warnings" in out
    assert err == ""


def test_warnings_alone_still_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_kb(
        tmp_path,
        reviewed=NOW,
        topics=TOPIC.replace("text: These services may help you.", f"text: {LONG}"),
    )
    status, out, _ = run(capsys, str(tmp_path))
    assert status == 0
    line = line_of(tmp_path / "topics/carers.yaml", "If you look after")
    assert f"carers.yaml:{line}:5: warning: a sentence here has 31 words" in out
    assert "0 errors, 1 warning " in out


def test_errors_exit_1_with_file_line_column_field_and_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_kb(
        tmp_path, reviewed=NOW, topics=TOPIC.replace("next: carers-none", "next: carers-nobody")
    )
    status, out, _ = run(capsys, str(tmp_path))
    assert status == 1
    line = line_of(tmp_path / "topics/carers.yaml", "next: carers-nobody")
    expected = f"{tmp_path / 'topics/carers.yaml'}:{line}:9: error: node 'carers-start' refers to"
    assert expected in out
    assert "[nodes[0].options[1].next] (unknown-node)" in out
    assert "(unreachable-node)" in out  # carers-none: nothing leads to it now
    assert "2 errors, 0 warnings" in out


def test_a_missing_folder_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, str(tmp_path / "nowhere"))
    assert status == 2
    assert out == ""
    assert err.strip() == f"navigator validate: {tmp_path / 'nowhere'}: there is no such folder"


def test_a_folder_of_only_unreadable_files_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bomb.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    status, out, _ = run(capsys, str(tmp_path))
    assert status == 2
    assert f"{tmp_path / 'bomb.yaml'}:" in out and "anchors and aliases" in out
    assert "the graph and content checks did not run" in out


def test_one_unreadable_file_among_good_ones_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_kb(tmp_path, reviewed=NOW, extra={"notes.yaml": "topics:\n\t- id: x\n"})
    status, out, _ = run(capsys, str(tmp_path))
    assert status == 1
    assert f"{tmp_path / 'notes.yaml'}:2:1: error: this is not valid YAML" in out
    assert "use spaces" in out


def test_json_output_has_a_stable_documented_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_kb(tmp_path, reviewed=NOW, topics=TOPIC.replace("reason: no_service", "reason: no_beds"))
    status, out, _ = run(capsys, str(tmp_path), "--format", "json")
    report = json.loads(out)
    assert status == 1
    assert set(report) == {
        "format",
        "knowledge",
        "exit_status",
        "content_hash",
        "counts",
        "checks_run",
        "errors",
        "warnings",
        "findings",
    }
    assert report["format"] == 1
    assert report["exit_status"] == 1
    assert report["counts"] == {"files": 4, "topics": 2, "nodes": 7, "services": 2}
    assert (report["errors"], report["warnings"]) == (1, 0)
    (finding,) = report["findings"]
    line = line_of(tmp_path / "topics/carers.yaml", "reason: no_beds")
    assert finding == {
        "severity": "error",
        "code": "unknown-reason",
        "message": finding["message"],
        "location": {"file": str(tmp_path / "topics/carers.yaml"), "line": line, "column": 5},
        "field": "nodes[5].reason",
    }
    assert "'no_beds'" in finding["message"]


def test_json_when_nothing_can_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(tmp_path / "nowhere"), "--format", "json")
    report = json.loads(out)
    assert status == 2 and report["exit_status"] == 2 and err == ""
    assert report["content_hash"] is None
    assert [f["code"] for f in report["findings"]] == ["unreadable-knowledge"]


def test_the_installed_command_in_a_real_process(tmp_path: Path) -> None:
    if not NAVIGATOR.exists():
        pytest.skip(f"{NAVIGATOR} is missing: run `pip install -e '.[test]'` in a .venv first")
    write_kb(tmp_path, reviewed=NOW, extra={"bomb.yaml": BILLION_LAUGHS})
    environment = {key: value for key, value in os.environ.items() if key != "NAVIGATOR_DEBUG"}
    completed = subprocess.run(
        [str(NAVIGATOR), "validate", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    assert [f["code"] for f in report["findings"]] == ["unreadable-file"]
    assert report["findings"][0]["location"]["file"] == str(tmp_path / "bomb.yaml")
    assert report["checks_run"] is False


def test_running_as_a_module_works_too(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "validate", str(write_kb(tmp_path, reviewed=NOW))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
