"""Rates: figures written once with their dates, filled into texts, checked ahead of time."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.wording import Wording
from navigator.kb import Severity, load
from navigator.kb.rates import fill_rates, first_gap, value_on
from tests.conftest import DEMO_KNOWLEDGE
from tests.kb.kbfiles import TODAY, TOPIC, at, check, line_of, only, write_kb

CARERS_PATH = "topics/carers.yaml"

RATES = """rates:
  - id: grant.weekly
    title: The carers grant each week
    source: https://www.gov.uk/carers-allowance
    verified_on: {verified}
    values:
      - {{from: 2024-04-01, to: 2025-03-31, value: "£10"}}
      - {{from: 2025-04-01, to: {until}, value: "£12"}}
"""


def _rates(verified: str = TODAY.isoformat(), until: str = "null") -> dict[str, str]:
    return {"rates.yaml": RATES.format(verified=verified, until=until)}


def _grant_says(topic: str, words: str) -> str:
    return topic.replace("description: A small grant for a break.", f"description: {words}", 1)


def test_a_text_reads_the_value_for_its_day(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=_grant_says(TOPIC, "Up to {grant.weekly} a week."), extra=_rates())
    knowledge = load(tmp_path).knowledge
    service = knowledge.services["carers-grant"]
    on = {
        day: Wording(knowledge, as_of=dt.date.fromisoformat(day))
        for day in ("2025-03-31", "2025-04-01")
    }
    assert on["2025-03-31"].text(service.description) == "Up to £10 a week."
    assert on["2025-04-01"].text(service.description) == "Up to £12 a week."
    before_any = Wording(knowledge, as_of=dt.date(2020, 1, 1))
    assert before_any.text(service.description) == "Up to £10 a week."  # never "{grant.weekly}"


def test_value_on_and_gaps_count_both_end_days() -> None:
    from navigator.kb.schema import Rate

    rate = Rate.model_validate(
        {
            "id": "a.b",
            "title": "t",
            "source": "https://example.org",
            "verified_on": "2026-01-01",
            "values": [{"from": "2026-01-01", "to": "2026-01-31", "value": "1"}],
        }
    )
    assert value_on(rate, dt.date(2026, 1, 31)) is not None
    assert value_on(rate, dt.date(2026, 2, 1)) is None
    assert first_gap(rate, dt.date(2026, 1, 15), dt.date(2026, 3, 1)) == dt.date(2026, 2, 1)
    assert first_gap(rate, dt.date(2026, 1, 1), dt.date(2026, 1, 31)) is None
    assert fill_rates("{a.b} and {reasons} and {c.d}", {"a.b": rate}, dt.date(2026, 1, 2)) == (
        "1 and {reasons} and {c.d}"
    )


def test_a_text_naming_a_rate_that_does_not_exist_is_an_error_at_its_line(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=_grant_says(TOPIC, "Up to {grant.wekly} a week."), extra=_rates())
    _, findings = check(tmp_path)
    finding = only(findings, "unknown-rate")
    assert finding.severity == Severity.ERROR
    assert at(finding) == ("carers.yaml", line_of(tmp_path / CARERS_PATH, "{grant.wekly}"))
    assert "grant.wekly" in finding.message and "grant.weekly" in finding.message


def test_overlapping_values_are_an_error(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        extra={
            "rates.yaml": RATES.format(verified=TODAY, until="null").replace(
                "to: 2025-03-31", "to: 2025-04-30"
            )
        },
    )
    _, findings = check(tmp_path)
    assert "two values on 2025-04-01" in only(findings, "rate-overlap").message


def test_a_rate_that_runs_out_within_90_days_is_a_warning(tmp_path: Path) -> None:
    ends = TODAY + dt.timedelta(days=60)
    write_kb(tmp_path, extra=_rates(until=ends.isoformat()))
    _, findings = check(tmp_path)
    finding = only(findings, "rate-runs-out")
    assert finding.severity == Severity.WARNING
    assert (ends + dt.timedelta(days=1)).isoformat() in finding.message
    _, far_ahead = check(tmp_path, today=TODAY - dt.timedelta(days=365))
    assert "rate-runs-out" not in [f.code for f in far_ahead]


def test_a_rate_not_checked_for_6_months_is_a_warning(tmp_path: Path) -> None:
    write_kb(tmp_path, extra=_rates(verified=(TODAY - dt.timedelta(days=200)).isoformat()))
    _, findings = check(tmp_path)
    assert "https://www.gov.uk/carers-allowance" in only(findings, "rate-check-overdue").message


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("to: 2025-03-31", "to: 2023-03-31"), "is before 'from'"),
        (("https://www.gov.uk/carers-allowance", "www.gov.uk/carers-allowance"), "source"),
        (("id: grant.weekly", "id: grantweekly"), "id"),
    ],
)
def test_rates_are_written_with_an_https_source_a_dotted_id_and_dates_in_order(
    tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    write_kb(
        tmp_path, extra={"rates.yaml": RATES.format(verified=TODAY, until="null").replace(*change)}
    )
    _, findings = check(tmp_path)
    schema = [f for f in findings if f.code == "schema"]
    assert schema and said in (schema[0].message + (schema[0].field or ""))


def test_the_demo_uses_rates_for_its_national_figures(demo_kb: object) -> None:
    from navigator.kb.knowledge import KnowledgeBase

    assert isinstance(demo_kb, KnowledgeBase)
    conversation = Conversation(demo_kb, channel="plain", site="test", as_of=dt.date(2025, 6, 1))
    text = conversation.wording.text(demo_kb.services["food-healthy-start"].description)
    assert "£4.25" in text and "{" not in text
    later = Conversation(demo_kb, channel="plain", site="test", as_of=dt.date(2026, 4, 1))
    assert "£4.65" in later.wording.text(demo_kb.services["food-healthy-start"].description)


def test_validate_as_of_judges_another_day(tmp_path: Path) -> None:
    def validate(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "navigator.cli", "validate", str(DEMO_KNOWLEDGE), *extra],
            capture_output=True,
            text=True,
        )

    later = validate("--as-of", "2027-12-01")
    assert later.returncode == 0 and "rate-check-overdue" in later.stdout + later.stderr
    bad = validate("--as-of", "1 April")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_plain_chat_as_of_previews_old_figures_and_records_nothing(tmp_path: Path) -> None:
    answers = "\n".join(
        [
            "9",
            "I'm pregnant, or have a baby or toddler",
            "I have a child under 4",
            "No, I'm 18 or over",
            "1",
            "",
        ]
    )
    database = tmp_path / "records.sqlite3"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "navigator.cli",
            "chat",
            "--plain",
            "--db",
            str(database),
            "--as-of",
            "2025-06-01",
        ],
        input=answers,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "£4.25 a week" in run.stdout and "2025-06-01" in run.stderr
    if database.exists():
        with sqlite3.connect(database) as connection:
            tables = {row[0] for row in connection.execute("select name from sqlite_master")}
            if "sessions" in tables:
                assert connection.execute("select count(*) from sessions").fetchone() == (0,)
