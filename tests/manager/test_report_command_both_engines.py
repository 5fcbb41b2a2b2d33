"""`navigator report` on SQLite and on PostgreSQL (issue 16's "Done when": every item on
both): the default period when none is given, the Filters line, and the disclosure presets
chosen in the settings and on the command line, each with the methodology note naming the
rule. The PostgreSQL runs skip unless NAVIGATOR_TEST_POSTGRES_URL is set.

Known data: tests/manager/known_data.py (62 sessions in 2025-03-03 to 2025-03-16; the last
session on 2025-03-11).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from navigator.cli import main
from navigator.kb import KnowledgeBase
from navigator.records.database import make_engine, upgrade
from navigator.records.reports.presets import preset
from tests.manager.known_data import known_sessions, store
from tests.manager.test_commands import (  # noqa: F401 (fixtures)
    MANAGERS_PASSWORD,
    environment,
    password_file,
)
from tests.manager.test_dashboard import cards, log_in, settle
from tests.manager.test_dashboard_symbols import apply
from tests.manager.test_presets_on_command_lines import made_app
from tests.records.conftest import throwaway_postgres

PERIOD = ("--from", "2025-03-03", "--to", "2025-03-16")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def records(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    knowledge: KnowledgeBase,
    password_file: Path,  # noqa: F811
    environment: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[list[str]]:
    """The known sessions in a database named by NAVIGATOR_DATABASE_URL, as a council that
    keeps its records in PostgreSQL configures it; the arguments the report then needs."""

    def filled(url: str) -> list[str]:
        engine = make_engine(url, writing=True)
        upgrade(engine)
        store(engine, known_sessions(knowledge.content_hash))
        engine.dispose()
        monkeypatch.setenv("NAVIGATOR_DATABASE_URL", url)
        return ["--kb", str(knowledge.root), "--password-file", str(password_file)]

    if request.param == "sqlite":
        yield filled(f"sqlite:///{tmp_path / 'navigator.sqlite3'}")
        return
    with throwaway_postgres("navigator_r") as url:
        yield filled(url)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_without_dates_the_report_covers_the_last_13_weeks_and_says_so(
    records: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--format", "csv", *records]) == 0
    rows = csv_rows(capsys.readouterr().out)
    period = next(row[1] for row in rows if row and row[0] == "Period")
    assert period.startswith("2024-12-09 to 2025-03-16 (no period was given")
    assert "last 13 weeks" in period


def test_the_filters_line_names_what_is_included(
    records: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", *PERIOD, "--format", "csv", *records]) == 0
    assert ["Filters", "all sites, all channels, all topics"] in csv_rows(capsys.readouterr().out)
    assert main(["report", *PERIOD, "--format", "html", "--site", "market-hall", *records]) == 0
    html = capsys.readouterr().out
    assert "<dt>Filters</dt><dd>site market-hall, all channels, all topics</dd>" in html


@pytest.mark.parametrize(
    ("rule", "sessions", "safeguarding"),
    [("nhs-digital", 60, "[c]"), ("threshold", 62, "[c]"), ("threshold-10", 62, "[c]")],
)
def test_each_preset_on_the_command_line_and_its_note(
    records: list[str],
    capsys: pytest.CaptureFixture[str],
    rule: str,
    sessions: int,
    safeguarding: str,
) -> None:
    assert main(["report", *PERIOD, "--suppression", rule, "--format", "json", *records]) == 0
    document = json.loads(capsys.readouterr().out)
    assert preset(rule).describe() in document["notes"]
    headline = next(t for t in document["tables"] if t["key"] == "headline")
    counts = {row["measure"]: row["count"] for row in headline["rows"]}
    assert counts["Sessions"] == sessions
    assert counts["Shown safeguarding contacts"] == safeguarding  # 1, hidden under every rule


def test_the_preset_in_the_settings_applies_when_no_flag_is_given(
    records: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVIGATOR_SUPPRESSION", "nhs-digital")
    assert main(["report", *PERIOD, "--format", "json", *records]) == 0
    document = json.loads(capsys.readouterr().out)
    assert preset("nhs-digital").describe() in document["notes"]
    headline = next(t for t in document["tables"] if t["key"] == "headline")
    assert headline["rows"][0]["count"] == 60, "62 sessions, rounded to the nearest 5"


async def test_the_manager_flag_sets_the_dashboards_rule(
    records: list[str], knowledge: KnowledgeBase
) -> None:
    """`navigator manager --suppression nhs-digital` on either engine: 62 sessions read 60,
    the one shown safeguarding contact "[c]", and the key says "fewer than 8 people"."""
    app = made_app(["--kb", str(knowledge.root), "manager", "--suppression", "nhs-digital"])
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, MANAGERS_PASSWORD)
        await settle(app, pilot)
        screen = await apply(app, pilot)
        shown = cards(screen)
        assert (shown["Sessions"], shown["Shown safeguarding contacts"]) == ("60", "[c]")
        assert "fewer than 8 people" in str(screen.query_one("#symbol-key", Static).render())
