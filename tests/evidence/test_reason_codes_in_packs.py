"""Reasons coded to the shared list in a real pack (issue 18): access-barrier sub-codes, and
the adult social care Client Level Data event outcomes (`NFA-*`) where they apply.

Hand-made sessions (one group per reason, each big enough to be shown exactly under the
`threshold` preset) are published with the real command; the pack's rows are read back.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from navigator.cli import main
from navigator.interop.evidence.coding import NO_NEED
from navigator.interop.evidence.periods import parse_period
from navigator.records.database import make_engine, upgrade
from navigator.records.reports.access import set_password
from tests.conftest import DEMO_KNOWLEDGE
from tests.evidence.conftest import PASSWORD, Place, environment
from tests.manager.known_data import Walk, store

FOOD = "food-essentials"


def unmet(start: dt.datetime, need: str | None, reason: str, node: str | None) -> Walk:
    walk = Walk(start).begin()
    if need:
        walk.topic(FOOD, need)
    walk.unmet(need, reason, FOOD if need else None, node)
    return walk.end("finished" if need else "abandoned", node, bool(need))


GROUPS = (
    # (sessions, need, Navigator's reason, end node) -> the shared code the pack uses
    (12, None, "other_language", None),  # -> ACCESS_BARRIER.LANGUAGE (no need: "unmatched")
    (11, FOOD, "cannot_access", "food-today-hours-unmet"),  # -> ACCESS_BARRIER.HOURS (its node)
    (10, FOOD, "cannot_access", "food-start"),  # -> ACCESS_BARRIER (no node says more)
    (13, FOOD, "out_of_area", "food-start"),  # -> OUT_OF_AREA, NFA-MALA
    (14, FOOD, "not_helpful", "food-start"),  # -> DECLINED, NFA-SD
    (15, FOOD, "no_service", "food-start"),  # -> NOT_AVAILABLE, NFA-NSO
    (16, FOOD, "ineligible", "food-start"),  # -> NOT_ELIGIBLE, NFA-NSO
    (17, FOOD, "waiting_list", "food-start"),  # -> CAPACITY, no CLD outcome
)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def pack(councils: Place, tmp_path: Path) -> Path:
    """Northbrook's pack of the hand-made sessions, exact figures, in folders of its own."""
    database = tmp_path / "coded.sqlite3"
    engine = make_engine(f"sqlite:///{database}", writing=True)
    upgrade(engine)
    first = parse_period(councils.period).start
    start = dt.datetime(first.year, first.month, first.day, 10, tzinfo=dt.UTC)
    walks = [
        unmet(start + dt.timedelta(days=index, minutes=minute), need, reason, node)
        for index, (sessions, need, reason, node) in enumerate(GROUPS)
        for minute in range(sessions)
    ]
    store(engine, walks)
    engine.dispose()
    set_password(tmp_path / "config", PASSWORD)
    out = tmp_path / "pack"
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, tmp_path, "threshold")
        arguments = ["--db", str(database), "--kb", str(DEMO_KNOWLEDGE), "publish"]
        arguments += ["--period", councils.period, "--council", "northbrook", "--out", str(out)]
        assert main([*arguments, "--password-file", str(councils.password_file)]) == 0
    return out


def test_reasons_are_published_under_their_shared_codes_and_cld_outcomes(pack: Path) -> None:
    council = rows(pack / "areas.csv")[0]["area_code"]
    counted: dict[tuple[str, str], int] = {}
    for row in rows(pack / "unmet-need.csv"):
        if row["area_code"] == council and row["channel"] == "kiosk" and row["count"] != "0":
            counted[(row["need_local"], row["reason_code"])] = int(row["count"])
    assert counted == {
        (NO_NEED, "ACCESS_BARRIER.LANGUAGE"): 12,
        (FOOD, "ACCESS_BARRIER.HOURS"): 11,
        (FOOD, "ACCESS_BARRIER"): 10,
        (FOOD, "OUT_OF_AREA"): 13,
        (FOOD, "DECLINED"): 14,
        (FOOD, "NOT_AVAILABLE"): 15,
        (FOOD, "NOT_ELIGIBLE"): 16,
        (FOOD, "CAPACITY"): 17,
    }
    reasons = {row["reason_code"]: row for row in rows(pack / "reasons.csv")}
    outcomes = {code: reasons[code]["cld_event_outcome"] for _, code in counted}
    assert outcomes == {
        "ACCESS_BARRIER.LANGUAGE": "",
        "ACCESS_BARRIER.HOURS": "",
        "ACCESS_BARRIER": "",
        "OUT_OF_AREA": "NFA-MALA",
        "DECLINED": "NFA-SD",
        "NOT_AVAILABLE": "NFA-NSO",
        "NOT_ELIGIBLE": "NFA-NSO",
        "CAPACITY": "",
    }
    parents = {code: row["parent"] for code, row in reasons.items() if row["parent"]}
    assert parents == {
        f"ACCESS_BARRIER.{sub}": "ACCESS_BARRIER"
        for sub in ("HOURS", "TRAVEL", "LANGUAGE", "DIGITAL", "COST")
    }
