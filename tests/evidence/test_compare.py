"""`navigator compare`: packs side by side, with figures checked by hand.

Two packs are written here by hand, small enough to work every figure out on
paper; then the four made-up councils' real packs (conftest) are compared.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from navigator.cli import main
from navigator.interop.evidence.compare import Comparison, PackProblem, compare_packs, render
from navigator.interop.evidence.report_section import comparison_tables
from navigator.records.reports.export import export_text
from tests.evidence.conftest import COUNCILS, Place

HEADER = (
    "period,period_start,period_end,publisher_code,geography_level,area_code,need_local,"
    "need_code,reason_code,channel,count,count_symbol,denominator_sessions,denominator_symbol,"
    "rate_per_1000_sessions,rate_symbol,crosswalk_version,kb_version"
)
CARE = "http://id.esd.org.uk/need/79"


def write_pack(folder: Path, code: str, name: str, population: int, lines: list[str],
               crosswalk: str = "v1", period: str = "2026-Q3") -> Path:  # fmt: skip
    """A pack as another council might publish it: the schema's files, nothing else."""
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text(
        json.dumps({"name": name.lower(), "navigator": {"disclosure_control": "nhs-digital"}}),
        encoding="utf-8",
    )
    (folder / "areas.csv").write_text(
        "area_code,name,geography_level,parent_code,population,population_year,fictional\n"
        f"{code},{name},local-authority,,{population},2025,true\n",
        encoding="utf-8",
    )
    (folder / "needs.csv").write_text(
        f"need_local,need_code,need_label,match,note\ncare,{CARE},Care at home,close,\n"
        "unmatched,,,none,\n",
        encoding="utf-8",
    )
    start = f"{period},2026-07-01,2026-09-30,{code},local-authority,{code}"
    body = [f"{start},{line},{crosswalk},kb" for line in lines]
    (folder / "unmet-need.csv").write_text("\n".join([HEADER, *body]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    # need_local,need_code,reason,channel,count,symbol,denominator,symbol,rate,symbol
    a = write_pack(tmp_path / "a", "E06000991", "Alpha", 200_000, [
        f"care,{CARE},NOT_AVAILABLE,kiosk,40,,500,,80.0,",
        f"care,{CARE},CAPACITY,kiosk,,[c],500,,,[c]",
        f"care,{CARE},NOT_AVAILABLE,web,10,,300,,33.3,",
        f"care,{CARE},CAPACITY,web,0,,300,,0.0,",
        "unmatched,,UNCLASSIFIED,kiosk,20,,2000,,10.0,",
        "unmatched,,UNCLASSIFIED,web,15,,1000,,15.0,",
    ])  # fmt: skip
    b = write_pack(tmp_path / "b", "E06000992", "Beta", 50_000, [
        f"care,{CARE},NOT_AVAILABLE,kiosk,30,,200,,150.0,",
        f"care,{CARE},CAPACITY,kiosk,15,,200,,75.0,",
        "unmatched,,UNCLASSIFIED,kiosk,5,,600,,8.3,",
    ])  # fmt: skip
    return a, b


def test_figures_checked_by_hand(two: tuple[Path, Path]) -> None:
    comparison = compare_packs(list(two))
    care = next(line for line in comparison.needs if line.code == CARE)
    # Alpha: 40 + [c] + 10 + 0 = at least 50 unmet; 200,000 residents -> >= 25.0 per 100,000;
    # sessions that asked: 500 (kiosk) + 300 (web) = 800 -> 50 / 800 * 1000 >= 62.5.
    # Beta: 30 + 15 = 45; 50,000 residents -> 90.0; asked 200 -> 225.0.
    assert [rate.text() for rate in care.per_100k] == ["≥25.0", "90.0"]
    assert [rate.text() for rate in care.per_1000] == ["≥62.5", "225.0"]
    assert care.label == "79 Care at home"
    assert care.spread(care.per_1000) == (62.5, (62.5 + 225.0) / 2, 225.0)
    assert care.place(care.per_1000, 0) == "2nd of 2"
    # By reason, per 1,000 of all sessions (the unmatched rows' denominator: every session):
    # Alpha NOT_AVAILABLE 50 / 3,000 = 16.7; Beta 30 / 600 = 50.0.
    available = next(line for line in comparison.reasons if line.code == "NOT_AVAILABLE")
    assert [rate.text() for rate in available.per_1000] == ["16.7", "50.0"]
    # Alpha UNCLASSIFIED: 35 per 200,000 = 17.5 per 100,000.
    unclassified = next(line for line in comparison.reasons if line.code == "UNCLASSIFIED")
    assert unclassified.per_100k[0].text() == "17.5"
    assert comparison.differences == ()


def test_our_council_can_be_named(two: tuple[Path, Path]) -> None:
    comparison = compare_packs(list(two), ours="E06000992")
    care = next(line for line in comparison.needs if line.code == CARE)
    assert care.place(care.per_1000, comparison.ours) == "1st of 2"
    text = render(comparison, "text")
    assert "Beta (E06000992) is ours" in text and "Beta's place" in text


def test_differing_crosswalk_versions_are_reported(tmp_path: Path) -> None:
    line = f"care,{CARE},NOT_AVAILABLE,kiosk,40,,500,,80.0,"
    a = write_pack(tmp_path / "a", "E06000991", "Alpha", 1000, [line], crosswalk="v1")
    b = write_pack(tmp_path / "b", "E06000992", "Beta", 1000, [line], crosswalk="v2")
    (difference,) = compare_packs([a, b]).differences
    assert "crosswalk version (Alpha: v1, Beta: v2)" in difference


def test_packs_of_different_periods_are_refused(tmp_path: Path) -> None:
    line = f"care,{CARE},NOT_AVAILABLE,kiosk,40,,500,,80.0,"
    a = write_pack(tmp_path / "a", "E06000991", "Alpha", 1000, [line])
    b = write_pack(tmp_path / "b", "E06000992", "Beta", 1000, [line], period="2026-Q2")
    with pytest.raises(PackProblem, match="different periods"):
        compare_packs([a, b])


def test_a_folder_that_is_not_a_pack_gets_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", str(tmp_path)]) == 2
    assert "there is no datapackage.json; give a pack folder" in capsys.readouterr().err


def hand_sum(pack: Path, need_code: str) -> tuple[int, int, int]:
    """Unmet, sessions that asked, and residents for one need, summed from the CSV by hand."""
    with (pack / "areas.csv").open(encoding="utf-8") as handle:
        population = int(next(csv.DictReader(handle))["population"])
    unmet, asked, seen = 0, 0, set()
    with (pack / "unmet-need.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["geography_level"] != "local-authority" or row["need_code"] != need_code:
                continue
            unmet += int(row["count"] or 0)
            if (row["need_local"], row["channel"]) not in seen and row["denominator_sessions"]:
                seen.add((row["need_local"], row["channel"]))
                asked += int(row["denominator_sessions"])
    return unmet, asked, population


def test_four_made_up_councils_compare(councils: Place, capsys: pytest.CaptureFixture[str]) -> None:
    packs = [councils.pack(council) for council in COUNCILS]
    comparison = compare_packs(packs)
    assert [c.name for c in comparison.councils] == [
        "Northbrook",
        "Eastmoor",
        "Riverford",
        "Hallam Vale",
    ]
    assert comparison.differences == ()
    care = next(line for line in comparison.needs if line.code == CARE)
    for index, pack in enumerate(packs):
        unmet, asked, population = hand_sum(pack, CARE)
        assert care.unmet[index].value == unmet
        assert care.per_100k[index].value == pytest.approx(100_000 * unmet / population)
        if care.per_1000[index].value is not None:
            assert care.per_1000[index].value == pytest.approx(1000 * unmet / asked)
    # Sizes differ as made: Riverford (the city) has the most residents, Eastmoor the fewest.
    populations = [c.population for c in comparison.councils]
    assert max(populations) == populations[2] and min(populations) == populations[1]
    # Eastmoor's older residents ask more about care, per 1,000 of its sessions, than Riverford's.
    asked_share = [
        hand_sum(pack, CARE)[1] / max(1, comparison.councils[i].sessions.value)
        for i, pack in enumerate(packs)
    ]
    assert asked_share[1] > asked_share[2]
    assert main(["compare", *map(str, packs), "--ours", "E06000902"]) == 0
    out = capsys.readouterr().out
    assert "Eastmoor (E06000902) is ours" in out and "79 Care at home" in out
    assert "per 100,000 residents" in out and "per 1,000 sessions" in out
    check_reasons_by_hand(packs, comparison)
    check_place_and_spread_by_hand(packs)


def reason_sums(pack: Path) -> tuple[dict[str, tuple[int, bool]], tuple[int, bool], int]:
    """Per reason code: the council's published unmet need summed from the CSV by hand, and
    whether a hidden count was left out; all sessions (the "unmatched" row's denominator,
    once per channel) likewise; and residents."""
    with (pack / "areas.csv").open(encoding="utf-8") as handle:
        population = int(next(csv.DictReader(handle))["population"])
    reasons: dict[str, tuple[int, bool]] = {}
    sessions, sessions_hidden, channels = 0, False, set()
    with (pack / "unmet-need.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["geography_level"] != "local-authority":
                continue
            total, hidden = reasons.get(row["reason_code"], (0, False))
            reasons[row["reason_code"]] = (
                total + int(row["count"] or 0),
                hidden or row["count_symbol"] == "[c]",
            )
            if row["need_local"] == "unmatched" and row["channel"] not in channels:
                channels.add(row["channel"])
                sessions += int(row["denominator_sessions"] or 0)
                sessions_hidden = sessions_hidden or row["denominator_symbol"] == "[c]"
    return reasons, (sessions, sessions_hidden), population


def check_reasons_by_hand(packs: list[Path], comparison: Comparison) -> None:
    """Every reason line: each council's sum, "≥" where a hidden count was left out, per
    100,000 residents and per 1,000 of all its sessions, as worked from the CSVs."""
    by_hand = [reason_sums(pack) for pack in packs]
    assert {line.code for line in comparison.reasons} == set(by_hand[0][0])
    assert "ACCESS_BARRIER.HOURS" in {line.code for line in comparison.reasons}
    for line in comparison.reasons:
        for index, (reasons, (sessions, sessions_hidden), population) in enumerate(by_hand):
            unmet, partial = reasons[line.code]
            assert (line.unmet[index].value, line.unmet[index].partial) == (unmet, partial)
            assert line.per_100k[index].value == pytest.approx(100_000 * unmet / population)
            assert line.per_100k[index].lower_bound == partial
            if sessions_hidden or not sessions:
                assert line.per_1000[index].value is None
            else:
                assert line.per_1000[index].value == pytest.approx(1000 * unmet / sessions)


def check_place_and_spread_by_hand(packs: list[Path]) -> None:
    """Eastmoor's place and the spread for care at home per 100,000 residents, as the
    report's "Compare places" table prints them, from the four CSVs summed by hand."""
    rates = []
    for pack in packs:
        unmet, _, population = hand_sum(pack, CARE)
        rates.append(round(100_000 * unmet / population, 1))
    ordered = sorted(rates)
    low, high = ordered[0], ordered[-1]
    middle = round((ordered[1] + ordered[2]) / 2, 1)  # four councils: the middle two
    higher = sum(1 for rate in rates if rate > rates[1])
    place = ["1st", "2nd", "3rd", "4th"][higher] + " of 4"
    table = next(
        t
        for t in comparison_tables(compare_packs(packs, "E06000902"))
        if t.key == "compare-need-residents"
    )
    row = next(r for r in table.rows if str(r[0]).startswith("79 "))
    shown = [float(str(cell).lstrip("≥").replace(",", "")) for cell in row[1:5]]
    assert shown == rates
    assert row[5:] == (low, pytest.approx(middle, abs=0.06), high, place)


def test_compare_writes_csv_and_html(councils: Place, tmp_path: Path) -> None:
    packs = [str(councils.pack(council)) for council in COUNCILS]
    assert main(["compare", *packs, "--format", "csv", "--out", str(tmp_path / "c.csv")]) == 0
    with (tmp_path / "c.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert {row["council_code"] for row in table} == {
        "E06000901",
        "E06000902",
        "E06000903",
        "E06000904",
    }
    assert main(["compare", *packs, "--format", "html", "--out", str(tmp_path / "c.html")]) == 0
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    # The report's own look: its sections, tables and a bar chart of this council.
    assert '<section id="compare-need-sessions">' in page and "<svg" in page
    assert "Compare places: unmet need per 100,000 residents, by reason" in page
    assert "Northbrook&#x27;s place" in page or "Northbrook's place" in page


def test_a_pack_with_a_broken_row_is_named(councils: Place, tmp_path: Path) -> None:
    broken = Path(shutil.copytree(councils.pack("eastmoor"), tmp_path / "broken"))
    data = broken / "unmet-need.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 9)[0]  # the row loses its last nine fields
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PackProblem, match=r"unmet-need.csv:2: this row does not follow the schema"):
        compare_packs([broken])


def test_the_html_report_gains_a_compare_places_section(
    councils: Place, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from navigator.interop.evidence.periods import parse_period
    from tests.evidence.conftest import environment

    period = parse_period(councils.period)
    packs = [str(councils.pack(council)) for council in COUNCILS]
    out = tmp_path / "report.html"
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        status = main([
            *councils.arguments("northbrook"), "report",
            "--from", period.start.isoformat(), "--to", period.end.isoformat(),
            "--format", "html", "--out", str(out),
            "--password-file", str(councils.password_file), "--compare", *packs,
        ])  # fmt: skip
    assert status == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert '<section id="compare-need-sessions">' in page
    assert page.index('id="compare-need-sessions"') > page.index("<section")  # after the rest
    for key in ("compare-need-sessions", "compare-reason-residents"):
        check_chart_against_table(page, key)
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        status = main([
            *councils.arguments("northbrook"), "report",
            "--from", period.start.isoformat(), "--to", period.end.isoformat(),
            "--password-file", str(councils.password_file), "--compare", str(tmp_path),
        ])  # fmt: skip
    assert status == 2
    assert "--compare:" in capsys.readouterr().err


def check_chart_against_table(page: str, key: str) -> None:
    """The SVG inside a "Compare places" section draws our council's column (Northbrook,
    the first pack) of its table: one bar per row, in the table's order, with the row's own
    label, the figure printed beside it, and a length in proportion to the figure; a sum
    with a hidden count ("≥") is drawn as far as it is known; a row with no figure ("[z]")
    is left out of the chart, as in every chart of the report."""
    section = page[page.index(f'<section id="{key}">') :]
    section = section[: section.index("</section>")]
    svg = section[section.index("<svg") : section.index("</svg>")]
    table = section[section.index("<tbody>") : section.index("</tbody>")]
    rows = [
        [html.unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table)
    ]
    assert rows
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    widths = [float(w) for w in re.findall(r'<rect[^>]*width="([0-9.]+)"', svg)]
    charted = [(row[0], row[1]) for row in rows if row[1] not in ("[z]", "[x]")]
    assert charted, rows
    labels, printed = texts[0::2], texts[1::2]
    assert len(labels) == len(charted) == len(printed), (texts, charted)
    for (label, ours), drawn_label, drawn_figure in zip(charted, labels, printed, strict=True):
        assert drawn_label == label or label.startswith(drawn_label.rstrip("…")), (label, texts)
        assert drawn_figure == ours, (label, ours, drawn_figure)
    values = [float(ours.lstrip("≥").replace(",", "")) for _, ours in charted]
    assert len(widths) == len(values)
    top = max(values) or 1.0
    for value, width in zip(values, widths, strict=True):
        expected = max(360 * value / top, 1.0 if value else 0.0)
        assert width == pytest.approx(expected, abs=0.06)


def test_a_rate_with_a_hidden_denominator_reads_x_and_a_rate_of_nothing_z(tmp_path: Path) -> None:
    """GSS symbols in the "Compare places" tables: a rate whose sessions include a hidden
    count cannot be worked out ("[x]", not available); a rate of no sessions does not apply
    ("[z]"). Calling the first "[z]" would say there was nothing to count (issue 16)."""
    pack = write_pack(tmp_path / "h", "E06000993", "Gamma", 10_000, [
        f"care,{CARE},NOT_AVAILABLE,kiosk,40,,,[c],,[c]",
        "unmatched,,UNCLASSIFIED,kiosk,0,,0,,,[z]",
    ])  # fmt: skip
    table = next(
        t for t in comparison_tables(compare_packs([pack])) if t.key == "compare-need-sessions"
    )
    cells = {row[0]: export_text(row[1], table.columns[1]) for row in table.rows}
    assert cells == {"79 Care at home": "[x]", "Unmatched requests": "[z]"}
