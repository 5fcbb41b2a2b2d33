"""Disclosure presets chosen where managers choose them (issue 16): `manager --suppression`,
and `suppression = "..."` in a real TOML settings file, not only the environment.

`publish --suppression threshold-10` is in tests/evidence/test_publish.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from navigator.cli import build_parser, main, settings_for
from navigator.commands.manager import manager_app
from navigator.kb import KnowledgeBase
from navigator.records.reports.access import set_password
from navigator.tui.manager.app import ManagerApp
from tests.manager.conftest import sqlite_review
from tests.manager.test_dashboard import PASSWORD, SIZE, cards, log_in, settle, show_period

PERIOD = ["--from", "2025-03-03", "--to", "2025-03-16"]


@pytest.fixture
def folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, knowledge: KnowledgeBase) -> Path:
    """The known sessions in a SQLite file, a managers' password, and settings from a TOML
    file of the test's own; the environment asks for exact figures, which a flag or the
    file must override to be seen working."""
    sqlite_review(tmp_path, knowledge).engine.dispose()
    set_password(tmp_path / "config", PASSWORD)
    (tmp_path / "password.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    (tmp_path / "password.txt").chmod(0o600)
    monkeypatch.setenv("NAVIGATOR_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("NAVIGATOR_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("NAVIGATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NAVIGATOR_SUPPRESSION", raising=False)
    return tmp_path


def records(folder: Path, knowledge: KnowledgeBase) -> list[str]:
    return ["--db", str(folder / "navigator.sqlite3"), "--kb", str(knowledge.root)]


def made_app(argv: list[str]) -> ManagerApp:
    """The app `navigator manager ...` would run, from the real parser and settings."""
    arguments = build_parser().parse_args(argv)
    app = manager_app(arguments, settings_for(arguments))
    assert isinstance(app, ManagerApp), app
    return app


@pytest.mark.parametrize(("flag", "sessions", "under"), [("nhs-digital", "60", "8")])
async def test_manager_suppression_flag_sets_the_dashboards_rule(
    folder: Path, knowledge: KnowledgeBase, flag: str, sessions: str, under: str
) -> None:
    """62 sessions read 60 (rounded to 5) and the 3 shown safeguarding contacts "[c]", with
    the key saying "fewer than 8 people"; the settings file asks for exact figures, and the
    flag wins."""
    (folder / "config.toml").write_text('suppression = "threshold"\n', encoding="utf-8")
    for argv, expected in (
        ([*records(folder, knowledge), "manager", "--suppression", flag], (sessions, under)),
        ([*records(folder, knowledge), "manager"], ("62", "5")),
    ):
        app = made_app(argv)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(app, pilot)
            await settle(app, pilot)
            screen = await show_period(app, pilot, "2025-03-03", "2025-03-16")
            shown = cards(screen)
            assert shown["Shown safeguarding contacts"] == "[c]", shown
            key = str(screen.query_one("#symbol-key", Static).render())
            assert (shown["Sessions"], key.split("fewer than ")[1].split()[0]) == expected, shown


def test_suppression_in_a_toml_settings_file_rounds_the_report(
    folder: Path, knowledge: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    report = [
        *records(folder, knowledge),
        *("report", *PERIOD, "--format", "json"),
        *("--password-file", str(folder / "password.txt")),
    ]
    (folder / "config.toml").write_text('suppression = "nhs-digital"\n', encoding="utf-8")
    assert main(report) == 0
    document = json.loads(capsys.readouterr().out)
    headline = next(t for t in document["tables"] if t["key"] == "headline")
    assert headline["rows"][0]["count"] == 60, "62 sessions, rounded to the nearest 5"
    assert any("'nhs-digital'" in note for note in document["notes"])
    (folder / "config.toml").write_text('suppression = "threshold-10"\n', encoding="utf-8")
    assert main(report) == 0
    document = json.loads(capsys.readouterr().out)
    assert any("'threshold-10'" in note for note in document["notes"])
    headline = next(t for t in document["tables"] if t["key"] == "headline")
    assert headline["rows"][0]["count"] == 62
    (folder / "config.toml").write_text('suppression = "none"\n', encoding="utf-8")
    assert main(report) != 0
    error = capsys.readouterr().err
    assert "config.toml" in error and "suppression" in error and "Traceback" not in error
