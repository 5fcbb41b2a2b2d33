"""`navigator manager`, `navigator manager set-password` and `navigator report`, run as commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from navigator.cli import main
from navigator.kb import KnowledgeBase
from navigator.records.reports.access import check_password, load_hash, set_password
from tests.manager.conftest import sqlite_review
from tests.manager.known_data import WEEK_0, store, unmatched
from tests.manager.test_export import _Checker

PERIOD = ["--from", "2025-03-03", "--to", "2025-03-16"]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Settings from the environment only: a config folder of the test's own."""
    monkeypatch.setenv("NAVIGATOR_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("NAVIGATOR_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("NAVIGATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NAVIGATOR_SUPPRESSION", "threshold")  # exact figures to check
    return tmp_path


MANAGERS_PASSWORD = "correct horse battery"


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    """The managers' password set in the test's config folder, and a 0600 file holding it."""
    set_password(tmp_path / "config", MANAGERS_PASSWORD)
    path = tmp_path / "manager-password.txt"
    path.write_text(MANAGERS_PASSWORD + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture
def records(tmp_path: Path, knowledge: KnowledgeBase, password_file: Path) -> list[str]:
    """--db, --kb and --password-file arguments for a SQLite file holding the known sessions."""
    review = sqlite_review(tmp_path, knowledge)
    review.engine.dispose()
    return [
        *("--db", str(tmp_path / "navigator.sqlite3"), "--kb", str(knowledge.root)),
        *("--password-file", str(password_file)),
    ]


def test_set_password_stores_a_hash_read_from_a_pipe(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["manager", "set-password"]) == 0
    assert "password is set" in capsys.readouterr().out
    stored = load_hash(environment / "config")
    assert check_password(stored, "correct horse battery")


def test_set_password_refuses_a_short_one(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["manager", "set-password"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert not (environment / "config" / "manager-password").exists()


def test_the_dashboard_refuses_to_open_without_a_password(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["manager"]) == 2
    error = capsys.readouterr().err
    assert "no managers' password is set" in error
    assert "navigator manager set-password" in error


def test_a_damaged_password_file_is_explained(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (environment / "config").mkdir()
    (environment / "config" / "manager-password").write_text("scrypt$oops\n")
    assert main(["manager"]) == 2
    assert "damaged" in capsys.readouterr().err


@pytest.mark.parametrize("form", ["csv", "json", "md", "html"])
def test_report_in_every_format(
    environment: Path, records: list[str], form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = environment / f"report.{form}"
    assert main(["report", *PERIOD, "--format", form, "--out", str(out), *records]) == 0
    assert "Report written to" in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    if form == "json":
        document = json.loads(text)
        headline = next(t for t in document["tables"] if t["key"] == "headline")
        assert headline["rows"][3] == {
            "measure": "Shown safeguarding contacts",
            "count": "[c]",
            "share": "[c]",
        }
    elif form == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert ["Sessions", "62", "[z]"] in rows
        assert ["Shown safeguarding contacts", "[c]", "[c]"] in rows
    elif form == "md":
        assert "| NB3 | [c] | 5,000 | [c] |" in text
    else:
        checker = _Checker()
        checker.feed(text)
        checker.close()
        assert checker.problems == [] and checker.stack == []
        assert "http" not in text.lower() and "<script" not in text
        assert all(reference.startswith("#") for reference in checker.references)
        assert text.count("<svg") >= 5


def test_report_for_one_site_to_standard_output(
    environment: Path, records: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", *PERIOD, "--site", "market-hall", "--format", "md", *records]) == 0
    out = capsys.readouterr().out
    assert "site market-hall" in out
    assert "| Sessions | [c] |" in out


def test_report_neutralises_formulas_residents_typed(
    environment: Path,
    records: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from navigator.records.database import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'navigator.sqlite3'}", writing=True)
    days = [WEEK_0 + dt.timedelta(days=day % 3) for day in range(6)]  # quoted: said on 3 days
    store(engine, [unmatched(day, '=HYPERLINK("x","boiler")') for day in days])
    engine.dispose()
    assert main(["report", *PERIOD, "--format", "csv", *records]) == 0
    cells = [cell for row in csv.reader(io.StringIO(capsys.readouterr().out)) for cell in row]
    formulas = [cell for cell in cells if cell[:1] in {"=", "+", "@", "\t", "\r"}]
    assert formulas == []
    assert any(cell.startswith("'=hyperlink") for cell in cells)


def test_report_explains_bad_dates_and_a_missing_database(
    environment: Path,
    capsys: pytest.CaptureFixture[str],
    knowledge: KnowledgeBase,
    password_file: Path,
) -> None:
    missing = [
        *("--db", str(environment / "none.sqlite3"), "--kb", str(knowledge.root)),
        *("--password-file", str(password_file)),
    ]
    assert main(["report", "--from", "2025-13-01", "--to", "2025-03-16", *missing]) == 2
    assert "--from '2025-13-01' is not a date" in capsys.readouterr().err
    assert main(["report", "--from", "2025-03-16", "--to", "2025-03-01", *missing]) == 2
    assert "before it starts" in capsys.readouterr().err
    assert main(["report", *PERIOD, *missing]) == 2
    error = capsys.readouterr().err
    assert "no records database" in error and "navigator demo-data" in error
    assert not (environment / "none.sqlite3").exists(), "a report never creates a database"


def test_report_refuses_an_unwritable_output(
    environment: Path, records: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = environment / "no-such-folder" / "report.html"
    assert main(["report", *PERIOD, "--format", "html", "--out", str(out), *records]) == 1
    assert "cannot be written" in capsys.readouterr().err


def test_report_on_a_database_without_the_schema_says_what_to_run(
    environment: Path,
    capsys: pytest.CaptureFixture[str],
    knowledge: KnowledgeBase,
    password_file: Path,
) -> None:
    import sqlite3

    path = environment / "blank.sqlite3"
    sqlite3.connect(path).close()
    arguments = ["report", *PERIOD, "--db", str(path), "--kb", str(knowledge.root)]
    arguments += ["--password-file", str(password_file)]
    assert main(arguments) == 2
    assert "run `navigator db upgrade` first" in capsys.readouterr().err


def test_the_browser_server_does_not_offer_the_review(capsys: pytest.CaptureFixture[str]) -> None:
    """`navigator serve` serves the resident, kiosk and advocate apps only."""
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--mode", "manager"])
    assert refused.value.code == 2
    assert "invalid choice: 'manager'" in capsys.readouterr().err


def test_report_rounds_by_default_and_says_which_rule(
    environment: Path,
    records: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("NAVIGATOR_SUPPRESSION")  # the default: nhs-digital
    assert main(["report", *PERIOD, "--format", "json", *records]) == 0
    document = json.loads(capsys.readouterr().out)
    assert any("'nhs-digital'" in note for note in document["notes"])
    headline = next(t for t in document["tables"] if t["key"] == "headline")
    sessions = headline["rows"][0]["count"]
    assert sessions == 60, "62 sessions, rounded to the nearest 5"
    assert (
        main(["report", *PERIOD, "--suppression", "threshold", "--format", "json", *records]) == 0
    )
    document = json.loads(capsys.readouterr().out)
    headline = next(t for t in document["tables"] if t["key"] == "headline")
    assert headline["rows"][0]["count"] == 62


def test_an_unknown_preset_in_the_settings_is_named(
    environment: Path,
    records: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NAVIGATOR_SUPPRESSION", "none")
    assert main(["report", *PERIOD, "--format", "json", *records]) != 0
    error = capsys.readouterr().err
    assert "suppression" in error and "nhs-digital, threshold, threshold-10" in error
    assert "Traceback" not in error


def test_report_without_dates_covers_the_dashboards_13_weeks_and_says_so(
    environment: Path, records: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--format", "csv", *records]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    # The last known session is on 2025-03-11: 91 days back from it is 2024-12-11, and the
    # report covers whole weeks (Monday to Sunday) around them.
    period = next(row[1] for row in rows if row and row[0] == "Period")
    assert period.startswith("2024-12-09 to 2025-03-16 (no period was given")
    assert "last 13 weeks" in period
    assert main(["report", "--from", "2025-03-03", *records]) == 2
    assert "give both --from and --to" in capsys.readouterr().err


def test_the_filters_line_names_what_is_included_not_the_period_again(
    environment: Path, records: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", *PERIOD, "--format", "csv", *records]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert ["Filters", "all sites, all channels, all topics"] in rows
    assert main(["report", *PERIOD, "--format", "html", "--site", "market-hall", *records]) == 0
    html = capsys.readouterr().out
    assert "<dt>Filters</dt><dd>site market-hall, all channels, all topics</dd>" in html


def test_report_counts_only_the_managers_sites_and_refuses_another(
    environment: Path,
    records: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With `manager_sites` set (several councils in one database), the report counts only
    those sites, says so, and refuses a --site outside them by name."""
    monkeypatch.setenv("NAVIGATOR_MANAGER_SITES", "market-hall")
    assert main(["report", *PERIOD, "--format", "md", *records]) == 0
    out = capsys.readouterr().out
    assert "the sites market-hall" in out
    assert "| Sessions | [c] |" in out  # the one session there, not the whole database's
    refused = ["report", *PERIOD, "--site", "central-library", "--format", "md", *records]
    assert main(refused) != 0
    error = capsys.readouterr().err
    assert "'central-library' is not one of the sites" in error and "manager_sites" in error
    assert "Traceback" not in error
