"""Several councils' packs side by side: unmet need per 100,000 residents and per 1,000 sessions.

A pack is read as any reader would: from its files, not from a database, so a
council that follows the pack's schema without running Navigator compares too.
Only the council-level rows are used, grouped by the shared codes (LGA need
URI, shared reason code), never by a council's own ids: two councils' needs
meet only through the crosswalk.

Figures are worked from the published (rounded) counts. A hidden count ([c])
is left out of a sum, so a sum holding one is a lower bound, and is shown with
"≥". The packs must cover the same period; differing crosswalk versions or
disclosure rules are reported, since a figure then may not mean the same.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOTAL_SESSIONS_NEED = "unmatched"
"""Its denominator is every session: the denominator for reasons across all needs."""


class PackProblem(Exception):
    """A pack that cannot be read or compared, with the file and what to do."""


@dataclass
class Tally:
    """A sum of published counts; `partial` when a hidden count was left out."""

    value: int = 0
    partial: bool = False

    def add(self, text: str, symbol: str) -> None:
        if text:
            self.value += int(text)
        elif symbol:
            self.partial = True


@dataclass
class Council:
    """One pack's council-level sums, by need code and by reason code."""

    path: Path
    code: str
    name: str
    population: int
    period: str
    crosswalk: str
    disclosure: str
    fictional: bool
    unmet_by_need: dict[str, Tally] = field(default_factory=dict)
    asked_by_need: dict[str, Tally] = field(default_factory=dict)
    unmet_by_reason: dict[str, Tally] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    """LGA label by need URI, from the pack's needs.csv."""

    @property
    def sessions(self) -> Tally:
        """Every session (the denominator of unmatched requests, which is all of them)."""
        return self.asked_by_need.get(TOTAL_SESSIONS_NEED, Tally())


@dataclass(frozen=True)
class Rate:
    value: float | None
    lower_bound: bool = False
    unknown: bool = False
    """No value because the denominator includes a hidden count (GSS "[x]", not available),
    rather than because there was nothing to divide by ("[z]", not applicable)."""

    def text(self) -> str:
        if self.value is None:
            return "–"
        return f"{'≥' if self.lower_bound else ''}{self.value:,.1f}"


@dataclass(frozen=True)
class Line:
    """One need or reason: each council's rates, and their spread."""

    kind: str
    code: str
    label: str
    per_100k: tuple[Rate, ...]
    per_1000: tuple[Rate, ...]
    unmet: tuple[Tally, ...]

    def spread(self, rates: Sequence[Rate]) -> tuple[float, float, float] | None:
        values = [rate.value for rate in rates if rate.value is not None]
        if not values:
            return None
        return min(values), statistics.median(values), max(values)

    def place(self, rates: Sequence[Rate], ours: int) -> str:
        """Where our council sits: "2nd of 4 (highest first)"."""
        mine = rates[ours].value
        values = [rate.value for rate in rates if rate.value is not None]
        if mine is None:
            return "–"
        rank = 1 + sum(1 for value in values if value > mine)
        return f"{_ordinal(rank)} of {len(values)}"


@dataclass(frozen=True)
class Comparison:
    councils: tuple[Council, ...]
    ours: int
    needs: tuple[Line, ...]
    reasons: tuple[Line, ...]
    differences: tuple[str, ...]


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


# --- Reading -------------------------------------------------------------------------------


def _rows(path: Path) -> Iterable[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)
    except FileNotFoundError:
        raise PackProblem(f"{path}: this file is missing; is this a published pack?") from None
    except (OSError, UnicodeDecodeError, csv.Error) as problem:
        raise PackProblem(f"{path}: this cannot be read ({problem})") from None


def _council_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The council-level rows (with their line numbers): most rows are wards', so the level
    is looked at before a row becomes a mapping (comparing 20 packs reads 200,000 rows)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            level = header.index("geography_level") if "geography_level" in header else -1
            for number, fields in enumerate(reader, start=2):
                if len(fields) != len(header):
                    raise PackProblem(
                        f"{path}:{number}: this row does not follow the schema (it has "
                        f"{len(fields)} fields; the header has {len(header)})"
                    )
                if level < 0 or fields[level] == "local-authority":
                    yield number, dict(zip(header, fields, strict=True))
    except FileNotFoundError:
        raise PackProblem(f"{path}: this file is missing; is this a published pack?") from None
    except (OSError, UnicodeDecodeError, csv.Error) as problem:
        raise PackProblem(f"{path}: this cannot be read ({problem})") from None


def _resource_path(folder: Path, descriptor: dict[str, Any], name: str, default: str) -> Path:
    for resource in descriptor.get("resources", []):
        if isinstance(resource, dict) and resource.get("name") == name:
            return folder / str(resource.get("path", default))
    return folder / default


def read_pack(folder: Path) -> Council:
    """A pack's council-level sums. Raises `PackProblem` naming the file and the field."""
    package = folder / "datapackage.json"
    try:
        descriptor = json.loads(package.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackProblem(f"{package}: there is no datapackage.json; give a pack folder") from None
    except (OSError, ValueError) as problem:
        raise PackProblem(f"{package}: this is not readable JSON ({problem})") from None
    about = descriptor.get("navigator", {}) if isinstance(descriptor, dict) else {}
    data = _resource_path(folder, descriptor, "unmet-need", "unmet-need.csv")
    areas = {
        row["area_code"]: row
        for row in _rows(_resource_path(folder, descriptor, "areas", "areas.csv"))
    }
    council: Council | None = None
    for number, row in _council_rows(data):
        if council is None:
            council = _council(folder, row, areas, about, data, number)
        _tally(council, row, data, number)
    if council is None:
        raise PackProblem(f"{data}: there are no rows to compare")
    needs = _resource_path(folder, descriptor, "needs", "needs.csv")
    if needs.exists():
        for row in _rows(needs):
            if row.get("need_code") and row.get("need_label"):
                council.labels[row["need_code"]] = row["need_label"]
    return council


def _council(
    folder: Path,
    row: dict[str, str],
    areas: dict[str, dict[str, str]],
    about: dict[str, Any],
    data: Path,
    number: int,
) -> Council:
    code = row.get("publisher_code", "")
    area = areas.get(code)
    if area is None or not area.get("population", "").isdigit():
        raise PackProblem(
            f"{data}:{number}: publisher {code!r} has no population in areas.csv, so rates per "
            "100,000 residents cannot be worked out"
        )
    return Council(
        path=folder,
        code=code,
        name=area.get("name", code),
        population=int(area["population"]),
        period=row.get("period", ""),
        crosswalk=row.get("crosswalk_version", ""),
        disclosure=str(about.get("disclosure_control", "not stated")),
        fictional=area.get("fictional", "").lower() == "true",
    )


def _tally(council: Council, row: dict[str, str], data: Path, number: int) -> None:
    try:
        need = row["need_code"] or f"local:{row['need_local']}"
        reason, channel = row["reason_code"], row["channel"]
        count, count_symbol = row["count"], row["count_symbol"]
        asked, asked_symbol = row["denominator_sessions"], row["denominator_symbol"]
        int(count or 0), int(asked or 0)
    except (KeyError, ValueError) as problem:
        raise PackProblem(
            f"{data}:{number}: this row does not follow the schema ({problem})"
        ) from None
    if row["need_local"] == TOTAL_SESSIONS_NEED:
        need = TOTAL_SESSIONS_NEED
    council.unmet_by_need.setdefault(need, Tally()).add(count, count_symbol)
    council.unmet_by_reason.setdefault(reason, Tally()).add(count, count_symbol)
    key = (row["need_local"], channel)
    if key not in council.seen:  # the denominator repeats on every reason's row
        council.seen.add(key)
        council.asked_by_need.setdefault(need, Tally()).add(asked, asked_symbol)


# --- Comparing -----------------------------------------------------------------------------


def compare_packs(folders: Sequence[Path], ours: str | None = None) -> Comparison:
    """Read every pack and line them up; `ours` is this council's GSS code (default: first)."""
    if not folders:
        raise PackProblem("give at least one pack folder")
    return compare_councils(tuple(read_pack(folder) for folder in folders), ours)


def compare_councils(councils: tuple[Council, ...], ours: str | None = None) -> Comparison:
    """Line up packs already read (see `read_pack`); `ours` as for `compare_packs`."""
    periods = {council.period for council in councils}
    if len(periods) > 1:
        raise PackProblem(
            "the packs cover different periods ("
            + ", ".join(f"{c.name}: {c.period}" for c in councils)
            + "); compare packs of one period"
        )
    codes = [council.code for council in councils]
    if ours is not None and ours not in codes:
        raise PackProblem(f"no pack is from {ours}; the packs are from {', '.join(codes)}")
    index = codes.index(ours) if ours else 0
    needs = sorted({need for c in councils for need in c.unmet_by_need} - {TOTAL_SESSIONS_NEED})
    reasons = sorted({reason for c in councils for reason in c.unmet_by_reason})
    return Comparison(
        councils=councils,
        ours=index,
        needs=tuple(_need_line(councils, need) for need in [*needs, TOTAL_SESSIONS_NEED]),
        reasons=tuple(_reason_line(councils, reason) for reason in reasons),
        differences=tuple(_differences(councils)),
    )


def _differences(councils: Sequence[Council]) -> Iterable[str]:
    for attribute, what in (
        ("crosswalk", "crosswalk version"),
        ("disclosure", "disclosure control"),
    ):
        values = {getattr(council, attribute) for council in councils}
        if len(values) > 1:
            each = ", ".join(f"{c.name}: {getattr(c, attribute)}" for c in councils)
            yield (
                f"The packs differ in {what} ({each}): a need or reason coded differently, or "
                "protected differently, may not compare like for like."
            )


def _rates(unmet: Tally, population: int, asked: Tally | None) -> tuple[Rate, Rate]:
    per_100k = Rate(100_000 * unmet.value / population, unmet.partial) if population else Rate(None)
    if asked is not None and asked.partial:
        # A partial denominator makes the rate an overestimate, so it is no bound either way.
        return per_100k, Rate(None, unknown=True)
    if asked is None or not asked.value:
        return per_100k, Rate(None)
    return per_100k, Rate(1000 * unmet.value / asked.value, unmet.partial)


def _need_line(councils: Sequence[Council], need: str) -> Line:
    pairs = [
        _rates(c.unmet_by_need.get(need, Tally()), c.population, c.asked_by_need.get(need))
        for c in councils
    ]
    label = next((c.labels[need] for c in councils if need in c.labels), need)
    if need == TOTAL_SESSIONS_NEED:
        label = "Unmatched requests"
    elif need.startswith("http://id.esd.org.uk/need/"):
        label = f"{need.rsplit('/', 1)[1]} {label}"
    return Line(
        "need",
        need,
        label,
        tuple(pair[0] for pair in pairs),
        tuple(pair[1] for pair in pairs),
        tuple(c.unmet_by_need.get(need, Tally()) for c in councils),
    )


def _reason_line(councils: Sequence[Council], reason: str) -> Line:
    pairs = [
        _rates(c.unmet_by_reason.get(reason, Tally()), c.population, c.sessions) for c in councils
    ]
    return Line(
        "reason",
        reason,
        reason,
        tuple(pair[0] for pair in pairs),
        tuple(pair[1] for pair in pairs),
        tuple(c.unmet_by_reason.get(reason, Tally()) for c in councils),
    )


# --- Showing -------------------------------------------------------------------------------


def render(comparison: Comparison, kind: str) -> str:
    if kind == "csv":
        return _csv(comparison)
    if kind in {"html", "md"}:
        from navigator.interop.evidence.report_section import comparison_report
        from navigator.records.reports.export import render as render_report

        return render_report(comparison_report(comparison), "html" if kind == "html" else "md")
    return _text(comparison)


def _header(comparison: Comparison) -> list[str]:
    councils = comparison.councils
    ours = councils[comparison.ours]
    lines = [
        f"Unmet need compared, {ours.period}: {len(councils)} councils, "
        f"{ours.name} ({ours.code}) is ours.",
    ]
    for council in councils:
        made_up = " (made up)" if council.fictional else ""
        lines.append(
            f"  {council.name}{made_up}: {council.code}, {council.population:,} residents, "
            f"{council.sessions.value:,}{'+' if council.sessions.partial else ''} sessions, "
            f"crosswalk {council.crosswalk}, disclosure {council.disclosure}"
        )
    lines += [f"Note: {difference}" for difference in comparison.differences]
    lines.append(
        "Worked from published (rounded) counts; ≥ marks a sum that leaves out a hidden count. "
        "Rates per 1,000 sessions compare people who asked; per 100,000 residents, reach too."
    )
    return lines


def _text(comparison: Comparison) -> str:
    lines = _header(comparison)
    names = [council.name for council in comparison.councils]
    for title, lines_of, attribute in (
        ("By need (LGA Needs list), per 100,000 residents", comparison.needs, "per_100k"),
        ("By need (LGA Needs list), per 1,000 sessions that asked", comparison.needs, "per_1000"),
        ("By reason, per 100,000 residents", comparison.reasons, "per_100k"),
        ("By reason, per 1,000 sessions", comparison.reasons, "per_1000"),
    ):
        lines += ["", title]
        header = ["code", *names, "min", "median", "max", f"{names[comparison.ours]}'s place"]
        table = [header]
        for line in lines_of:
            rates = getattr(line, attribute)
            spread = line.spread(rates)
            low, middle, high = (f"{v:,.1f}" for v in spread) if spread else ("–", "–", "–")
            table.append(
                [line.label, *(rate.text() for rate in rates), low, middle, high,
                 line.place(rates, comparison.ours)]
            )  # fmt: skip
        lines += _aligned(table)
    return "\n".join(lines) + "\n"


def _aligned(table: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in table
    ]


CSV_FIELDS = (
    "kind", "code", "council_code", "council_name", "population", "unmet", "unmet_partial",
    "per_100000_residents", "per_1000_sessions", "min_per_1000", "median_per_1000",
    "max_per_1000", "place_per_1000", "crosswalk_version",
)  # fmt: skip


def _csv(comparison: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for line in (*comparison.needs, *comparison.reasons):
        spread = line.spread(line.per_1000)
        for index, council in enumerate(comparison.councils):
            writer.writerow(
                [
                    line.kind, line.code, council.code, council.name, council.population,
                    line.unmet[index].value, str(line.unmet[index].partial).lower(),
                    _number(line.per_100k[index]), _number(line.per_1000[index]),
                    *(f"{v:.1f}" for v in spread or ()), *([""] * 3 if spread is None else []),
                    line.place(line.per_1000, index), council.crosswalk,
                ]
            )  # fmt: skip
    return buffer.getvalue()


def _number(rate: Rate) -> str:
    return "" if rate.value is None else f"{rate.value:.1f}"
