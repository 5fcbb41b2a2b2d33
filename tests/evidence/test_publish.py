"""`navigator publish`: a pack that validates, codes every cell, and gives nobody away.

The packs are made by the real commands from made-up records (conftest); the
hunt compares every published cell with the true counts in the database, and
an attacker (tests/manager/attacker.py's solver) reads the pack's sums for any
hidden cell it can pin down.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from navigator.cli import main
from navigator.interop.evidence.coding import NO_NEED, CodedCounts, count_coded
from navigator.interop.evidence.periods import PeriodError, parse_period
from navigator.kb.codes import load_codes
from navigator.records.database import make_engine
from tests.conftest import DEMO_KNOWLEDGE
from tests.evidence.conftest import COUNCILS, Place, environment, publish_arguments
from tests.manager.attacker import Reading, pinned

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def frictionless(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", str(folder / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize("council", COUNCILS)
def test_the_pack_validates_with_frictionless(councils: Place, council: str) -> None:
    """Every demo council's pack, each of its own size and pattern of demand (issue 18)."""
    done = frictionless(councils.pack(council))
    assert done.returncode == 0, done.stdout[-2000:]
    assert json.loads(done.stdout)["valid"] is True


def test_frictionless_catches_a_cell_that_is_not_coded(councils: Place, tmp_path: Path) -> None:
    """The check can fail: a reason code not in reasons.csv breaks a foreign key."""
    broken = Path(shutil.copytree(councils.pack("northbrook"), tmp_path / "broken"))
    data = broken / "unmet-need.csv"
    text = data.read_text(encoding="utf-8").replace(",NOT_AVAILABLE,", ",NOT_A_CODE,", 1)
    data.write_text(text, encoding="utf-8")
    done = frictionless(broken)
    assert done.returncode != 0
    assert "foreign-key" in done.stdout


def test_every_cell_is_coded_and_says_which_crosswalk_made_it(councils: Place) -> None:
    codes = load_codes(DEMO_KNOWLEDGE)
    for council in COUNCILS:
        pack = councils.pack(council)
        data = rows(pack / "unmet-need.csv")
        needs = {row["need_local"]: row for row in rows(pack / "needs.csv")}
        reasons = {row["reason_code"] for row in rows(pack / "reasons.csv")}
        areas = {row["area_code"] for row in rows(pack / "areas.csv")}
        assert data
        for row in data:
            assert row["need_local"] in needs and row["reason_code"] in reasons
            assert row["area_code"] in areas and row["publisher_code"] in areas
            assert row["crosswalk_version"] == codes.version
            assert row["need_code"] == (
                "" if row["need_local"] == NO_NEED else codes.need_uri(row["need_local"])
            )
            assert row["need_code"] == needs[row["need_local"]]["need_code"]
            assert row["period"] == councils.period
        package = json.loads((pack / "datapackage.json").read_text(encoding="utf-8"))
        assert package["navigator"]["crosswalk_version"] == codes.version
        assert package["licenses"][0]["name"] == "OGL-UK-3.0"
        note = (pack / "methodology.md").read_text(encoding="utf-8")
        for words in ("not the population", "Disclosure control", "Revisions", codes.version,
                      "made up", "Coverage"):  # fmt: skip
            assert words in note
        assert "esd-toolkit" in (pack / "LICENCE.md").read_text(encoding="utf-8")


def truth(place: Place, council: str) -> CodedCounts:
    codes = load_codes(DEMO_KNOWLEDGE)
    engine = make_engine(f"sqlite:///{place.folder / f'{council}.sqlite3'}")
    try:
        return count_coded(engine, codes, codes.councils[council], parse_period(place.period))
    finally:
        engine.dispose()


def exact_cells(
    counts: CodedCounts,
) -> tuple[dict[tuple[str, ...], int], dict[tuple[str, ...], int]]:
    """True counts keyed as the pack's rows are: (area, need, reason, channel) and (area, need,
    channel); the council's own area is "" here."""
    unmet: dict[tuple[str, ...], int] = defaultdict(int)
    for (ward, need, reason, channel), value in counts.unmet.items():
        unmet[("", need, reason, channel)] += value
        if ward:
            unmet[(ward, need, reason, channel)] += value
    asked: dict[tuple[str, ...], int] = defaultdict(int)
    for (ward, need, channel), value in counts.asked.items():
        asked[("", need, channel)] += value
        if ward:
            asked[(ward, need, channel)] += value
    for (ward, channel), value in counts.sessions.items():
        asked[("", NO_NEED, channel)] += value
        if ward:
            asked[(ward, NO_NEED, channel)] += value
    return unmet, asked


@pytest.mark.parametrize("council", COUNCILS)
def test_no_published_cell_breaks_the_nhs_digital_rule(councils: Place, council: str) -> None:
    """Every shown count is 0, or the true count (8 or more) rounded to the nearest 5;
    every true count of 1 to 7 is hidden. Checked against the database, cell by cell."""
    unmet, asked = exact_cells(truth(councils, council))
    publisher = rows(councils.pack(council) / "areas.csv")[0]["area_code"]
    hidden_small = 0
    for row in rows(councils.pack(council) / "unmet-need.csv"):
        area = "" if row["area_code"] == publisher else row["area_code"]
        for shown, symbol, exact in (
            (row["count"], row["count_symbol"],
             unmet.get((area, row["need_local"], row["reason_code"], row["channel"]), 0)),
            (row["denominator_sessions"], row["denominator_symbol"],
             asked.get((area, row["need_local"], row["channel"]), 0)),
        ):  # fmt: skip
            if 1 <= exact <= 7:
                assert (shown, symbol) == ("", "[c]"), (row, exact)
                hidden_small += 1
            elif shown:
                assert int(shown) == (exact + 2) // 5 * 5, (row, exact)
                assert int(shown) % 5 == 0 and (int(shown) == 0 or int(shown) >= 10)
            else:
                assert symbol == "[c]" and exact >= 8  # a complement, hidden on purpose
        if row["rate_per_1000_sessions"]:
            expected = 1000 * int(row["count"]) / int(row["denominator_sessions"])
            assert row["rate_per_1000_sessions"] == f"{expected:.1f}"
    assert hidden_small > 0  # the hunt had small cells to find


def attack(pack: Path) -> list[object]:
    """Read the pack's sums as a careful reader would and solve for every hidden cell.

    A council's figure is at least the sum of its wards' (sessions without a ward are
    not published); a hidden cell is a whole number of at least 1 (zero is shown).
    """
    data = rows(pack / "unmet-need.csv")
    publisher = data[0]["publisher_code"]
    reading = Reading(threshold=5)
    groups: dict[tuple[str, ...], dict[str, dict[str, str]]] = defaultdict(dict)
    for row in data:
        for kind, value, symbol in (
            ("count", row["count"], row["count_symbol"]),
            ("denominator", row["denominator_sessions"], row["denominator_symbol"]),
        ):
            key = (kind, row["need_local"], row["channel"])
            key += (row["reason_code"],) if kind == "count" else ()
            groups[key][row["area_code"]] = {"value": value, "symbol": symbol}
    for key, areas in groups.items():
        expressions = {}
        for area, cell in areas.items():
            var = (*key, area)
            if cell["symbol"]:
                reading.bounds[var] = (1, math.inf)
                reading.labels[var] = "hidden"  # 1 or more: primary or complement
                expressions[area] = {var: 1.0}
            else:
                expressions[area] = {None: float(cell["value"])}
        wards = [expression for area, expression in expressions.items() if area != publisher]
        reading.sum_at_most(wards, expressions[publisher])
    return list(pinned(reading))


def test_an_attacker_pins_no_hidden_cell(councils: Place, tmp_path: Path) -> None:
    """With exact figures (the `threshold` preset), the hardest case for differencing."""
    out = tmp_path / "exact"
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "threshold")
        # A council that publishes exact figures: its own register (the shared one refuses
        # a second rule for a period already published).
        monkeypatch.setenv("NAVIGATOR_DATA_DIR", str(tmp_path / "data"))
        assert main(publish_arguments(councils, "eastmoor", out)) == 0
    assert attack(out) == []
    shown = [int(row["count"]) for row in rows(out / "unmet-need.csv") if row["count"]]
    assert shown, "the pack shows no count at all: the check below would pass on nothing"
    assert all(count == 0 or count >= 5 for count in shown)


def test_a_pack_is_never_overwritten(councils: Place, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        status = main(publish_arguments(councils, "northbrook", councils.pack("northbrook")))
    assert status == 1
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("period", ["2026-07-15", "2026-Q5", "last quarter", "2026-13"])
def test_only_calendar_months_and_quarters_are_published(period: str) -> None:
    with pytest.raises(PeriodError, match="calendar quarter like 2026-Q3 or a month like 2026-09"):
        parse_period(period)


def test_periods_are_whole_months_and_quarters() -> None:
    quarter, month = parse_period("2026-Q3"), parse_period("2026-09")
    assert (quarter.start, quarter.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert (month.start, month.end) == (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert parse_period("2026-Q4").end == dt.date(2026, 12, 31)


def test_a_period_not_yet_over_is_refused(
    councils: Place, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    this_month = dt.datetime.now(dt.UTC).date().strftime("%Y-%m")
    arguments = publish_arguments(councils, "northbrook", tmp_path / "early")
    arguments[arguments.index("--period") + 1] = this_month
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        assert main(arguments) == 2
    assert "has not ended yet" in capsys.readouterr().err
    assert not (tmp_path / "early").exists()


def test_a_new_crosswalk_recodes_history(councils: Place, tmp_path: Path) -> None:
    """Records keep local ids; the codes come from the crosswalk when the pack is made."""
    knowledge = Path(shutil.copytree(DEMO_KNOWLEDGE, tmp_path / "knowledge"))
    crosswalk = knowledge / "codes" / "crosswalk.yaml"
    text = crosswalk.read_text(encoding="utf-8")
    current = load_codes(DEMO_KNOWLEDGE).version
    text = text.replace(f'version: "{current}"', 'version: "2027-01-01.1"')
    text = text.replace('housing: {lga_need: "42", match: close}', 'housing: {lga_need: "73"}')
    crosswalk.write_text(text, encoding="utf-8")
    out = tmp_path / "recoded"
    arguments = publish_arguments(councils, "riverford", out)
    arguments[arguments.index("--kb") + 1] = str(knowledge)
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        assert main(arguments) == 0
    before = rows(councils.pack("riverford") / "unmet-need.csv")
    after = rows(out / "unmet-need.csv")
    assert {row["crosswalk_version"] for row in after} == {"2027-01-01.1"}
    housing = [row for row in after if row["need_local"] == "housing"]
    assert {row["need_code"] for row in housing} == {"http://id.esd.org.uk/need/73"}
    figures = ("count", "count_symbol", "denominator_sessions")
    assert [[r[f] for f in figures] for r in after] == [[r[f] for f in figures] for r in before]


def test_an_unknown_council_is_named_with_the_choices(
    councils: Place, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        status = main([*councils.arguments("northbrook"), "demo-data", "--council", "atlantis"])
    assert status == 2
    assert "no council 'atlantis'" in capsys.readouterr().err


def test_a_month_inside_a_published_quarter_is_refused(
    councils: Place, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Quarter minus two months would give the third month's hidden cells."""
    year, quarter = councils.period.split("-Q")
    month = f"{year}-{3 * int(quarter):02d}"
    arguments = publish_arguments(councils, "northbrook", tmp_path / "month")
    arguments[arguments.index("--period") + 1] = month
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        assert main(arguments) == 1
    assert f"already published {councils.period}, which overlaps {month}" in capsys.readouterr().err
    assert not (tmp_path / "month").exists()


def test_a_period_published_again_under_another_rule_is_refused(
    councils: Place, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rounded first, exact second, would show the counts the first pack hid."""
    arguments = publish_arguments(
        councils, "hallam-vale", tmp_path / "again", "--suppression", "threshold"
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        assert main(arguments) == 1
    assert "under disclosure control 'nhs-digital'" in capsys.readouterr().err


def test_publish_with_threshold_10_on_the_command_line(councils: Place, tmp_path: Path) -> None:
    """`publish --suppression threshold-10` succeeds (in a data folder of its own, whose
    register has no nhs-digital pack of the period): every true count of 1 to 9 is hidden,
    every other shown count is exact, and the pack names the rule and validates (issue 16)."""
    out = tmp_path / "ten"
    arguments = publish_arguments(councils, "riverford", out, "--suppression", "threshold-10")
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        monkeypatch.setenv("NAVIGATOR_DATA_DIR", str(tmp_path / "data"))
        assert main(arguments) == 0
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["navigator"]["disclosure_control"] == "threshold-10"
    assert "'threshold-10'" in (out / "methodology.md").read_text(encoding="utf-8")
    unmet, _ = exact_cells(truth(councils, "riverford"))
    publisher = rows(out / "areas.csv")[0]["area_code"]
    hidden_small = shown_exact = 0
    for row in rows(out / "unmet-need.csv"):
        area = "" if row["area_code"] == publisher else row["area_code"]
        exact = unmet.get((area, row["need_local"], row["reason_code"], row["channel"]), 0)
        if 1 <= exact <= 9:
            assert (row["count"], row["count_symbol"]) == ("", "[c]"), (row, exact)
            hidden_small += 1
        elif row["count"]:
            assert int(row["count"]) == exact, (row, exact)  # not rounded
            shown_exact += exact % 5 != 0
    assert hidden_small > 0 and shown_exact > 0
    done = frictionless(out)
    assert done.returncode == 0, done.stdout[-2000:]
