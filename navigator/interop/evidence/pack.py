"""An open-data pack of coded unmet need: protected first, then written, all or nothing.

`build_pack` turns exact coded counts into published rows: every count goes
through a disclosure `Ledger` (the preset's threshold and rounding) before it
becomes a row, so no exact small number is ever in memory as a row, let alone
on disk. The council's figure in each cell is published beside its wards' as
their sum plus the sessions with no ward, which is never published: a reader
gets an inequality from the sum, not an equation, and the ledger adds a second
hidden cell wherever a sum would still give one away.

`write_pack` writes the CSVs, `datapackage.json` (Frictionless table schemas,
with foreign keys to the code lists, so a validator checks every cell is
coded), the methodology note and the licence into a new folder beside the
target, then renames it into place: a reader never sees half a pack.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from navigator.interop.evidence.coding import NO_NEED, CodedCounts
from navigator.interop.evidence.periods import CalendarPeriod
from navigator.interop.evidence.review_sections import SectionTable
from navigator.kb.codes import Codes, Council
from navigator.records.reports.presets import Preset
from navigator.records.reports.suppression import Hidden, Ledger

CONFIDENTIAL = "[c]"
NOT_APPLICABLE = "[z]"
LA_LEVEL, WARD_LEVEL = "local-authority", "ward"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
DATA_FIELDS = (
    "period",
    "period_start",
    "period_end",
    "publisher_code",
    "geography_level",
    "area_code",
    "need_local",
    "need_code",
    "reason_code",
    "channel",
    "count",
    "count_symbol",
    "denominator_sessions",
    "denominator_symbol",
    "rate_per_1000_sessions",
    "rate_symbol",
    "crosswalk_version",
    "kb_version",
)


@dataclass
class Pack:
    """Everything a pack holds, already protected: rows of text, ready to write."""

    period: CalendarPeriod
    council: Council
    codes: Codes
    preset: Preset
    kb_version: str
    rows: list[dict[str, str]] = field(default_factory=list)
    coverage: list[tuple[str, str, str]] = field(default_factory=list)
    """(site, channel, sessions as published) for the methodology note."""
    needs: list[dict[str, str]] = field(default_factory=list)
    made_at: str = ""
    sections: list[SectionTable] = field(default_factory=list)
    """The review's open-data sections (`review_sections.py`), already protected."""
    sections_left_out: str = ""
    """Why the review's sections are not in this pack, or ""."""


# --- Protecting ----------------------------------------------------------------------------


def _protect(
    threshold: int, rounding: int, by_ward: Mapping[str | None, int], wards: Iterable[str]
) -> dict[str, int | Hidden]:
    """Published figures for each ward and the council (key ""), from exact counts by ward.

    The sessions with no ward (key None) are counted into the council's figure but never
    published, so the ledger knows the sum has a part no reader sees.
    """
    ledger = Ledger(threshold=threshold, rounding=rounding)
    parts = [ledger.count(("w", ward), by_ward.get(ward, 0)) for ward in wards]
    parts.append(ledger.count(("u",), by_ward.get(None, 0), published=False))
    ledger.total(("la",), parts)
    unprotected = ledger.unprotected
    figures: dict[str, int | Hidden] = {}
    for ward in wards:
        key = ("w", ward)
        figure = ledger.figure(key)
        figures[ward] = Hidden(threshold, False) if unprotected else _count(figure)
    figures[""] = Hidden(threshold, False) if unprotected else _count(ledger.figure(("la",)))
    return figures


def _count(figure: object) -> int | Hidden:
    if isinstance(figure, Hidden):
        return figure
    assert isinstance(figure, int)
    return figure


def _shown(figure: int | Hidden) -> tuple[str, str]:
    """(count, symbol) as the CSV holds them: a number and no symbol, or no number and [c]."""
    if isinstance(figure, Hidden):
        return "", CONFIDENTIAL
    return str(figure), ""


def _rate(count: int | Hidden, denominator: int | Hidden) -> tuple[str, str]:
    """Per 1,000 sessions, worked from the published (rounded) figures."""
    if isinstance(count, Hidden) or isinstance(denominator, Hidden):
        return "", CONFIDENTIAL
    if denominator == 0:
        return "", NOT_APPLICABLE
    return f"{1000 * count / denominator:.1f}", ""


# --- Building ------------------------------------------------------------------------------


def build_pack(
    counts: CodedCounts,
    codes: Codes,
    council: Council,
    period: CalendarPeriod,
    preset: Preset,
    kb_version: str,
    need_ids: Iterable[str],
) -> Pack:
    """Protect every figure and lay out the rows: the whole grid of need × reason × channel
    for each area, zeros included (nobody is in an empty cell, and a zero is evidence)."""
    pack = Pack(period, council, codes, preset, kb_version)
    pack.made_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    wards = [ward.code for ward in council.wards]
    needs = sorted({*need_ids, *(cell[1] for cell in counts.unmet), NO_NEED}, key=_need_order)
    reasons = list(codes.reasons)
    rounding, threshold = preset.rounding, preset.threshold
    grouped: dict[tuple[str, str, str], dict[str | None, int]] = {}
    for (ward, cell_need, cell_reason, cell_channel), value in counts.unmet.items():
        by_ward = grouped.setdefault((cell_need, cell_reason, cell_channel), {})
        by_ward[ward] = by_ward.get(ward, 0) + value
    for need in needs:
        for channel in counts.channels:
            denominators = _protect(threshold, rounding, _asked(counts, need, channel), wards)
            for reason in reasons:
                figures = _protect(
                    threshold, rounding, grouped.get((need, reason, channel), {}), wards
                )
                for area in ["", *wards]:
                    pack.rows.append(
                        _row(pack, area, need, reason, channel, figures[area], denominators[area])
                    )
    pack.coverage = [
        (site, channel, _shown(figure)[0] or CONFIDENTIAL)
        for (site, channel), figure in sorted(_protect_flat(counts.coverage, preset).items())
    ]
    pack.needs = _need_rows(codes, needs)
    return pack


def _need_order(need: str) -> tuple[bool, str]:
    """Needs by id, with unmatched requests last."""
    return (need == NO_NEED, need)


def _asked(counts: CodedCounts, need: str, channel: str) -> dict[str | None, int]:
    if need == NO_NEED:
        return {
            ward: n
            for (ward, cell_channel), n in counts.sessions.items()
            if cell_channel == channel
        }
    return {
        ward: n
        for (ward, cell_need, cell_channel), n in counts.asked.items()
        if (cell_need, cell_channel) == (need, channel)
    }


def _protect_flat(values: Mapping[tuple[str, str], int], preset: Preset) -> dict[Any, int | Hidden]:
    ledger = Ledger(threshold=preset.threshold, rounding=preset.rounding)
    for key, value in values.items():
        ledger.count(key, value)
    return {key: _count(ledger.figure(key)) for key in values}


def _row(
    pack: Pack,
    area: str,
    need: str,
    reason: str,
    channel: str,
    count: int | Hidden,
    denominator: int | Hidden,
) -> dict[str, str]:
    shown_count, count_symbol = _shown(count)
    shown_denominator, denominator_symbol = _shown(denominator)
    rate, rate_symbol = _rate(count, denominator)
    return {
        "period": pack.period.name,
        "period_start": pack.period.start.isoformat(),
        "period_end": pack.period.end.isoformat(),
        "publisher_code": pack.council.code,
        "geography_level": WARD_LEVEL if area else LA_LEVEL,
        "area_code": area or pack.council.code,
        "need_local": need,
        "need_code": pack.codes.need_uri(need),
        "reason_code": reason,
        "channel": channel,
        "count": shown_count,
        "count_symbol": count_symbol,
        "denominator_sessions": shown_denominator,
        "denominator_symbol": denominator_symbol,
        "rate_per_1000_sessions": rate,
        "rate_symbol": rate_symbol,
        "crosswalk_version": pack.codes.version,
        "kb_version": pack.kb_version,
    }


def _need_rows(codes: Codes, needs: Iterable[str]) -> list[dict[str, str]]:
    rows = []
    for need in needs:
        mapped = codes.needs.get(need)
        code = mapped.code if mapped else None
        rows.append(
            {
                "need_local": need,
                "need_code": codes.need_uri(need),
                "need_label": codes.needs_list.items.get(code, "") if code else "",
                "match": mapped.match if mapped else "none",
                "note": (mapped.note if mapped else "") or ("" if code else "no LGA need matches"),
            }
        )
    return rows


# --- Writing -------------------------------------------------------------------------------


def write_pack(pack: Pack, out: Path) -> list[Path]:
    """Write the pack into `out` (which must not exist, or be empty), all or nothing."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(
            f"{out}: this already exists and is not an empty folder; publish into a new folder "
            "(a published pack is never overwritten: it may have been read)"
        )
    staging = out.with_name(f".{out.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        written = list(_write_all(pack, staging))
        if out.exists():
            out.rmdir()
        staging.replace(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / path.name for path in written]


def _write_all(pack: Pack, folder: Path) -> Iterator[Path]:
    from navigator.interop.evidence.methodology import licence_text, methodology
    from navigator.interop.evidence.package import datapackage

    yield _csv(folder / "unmet-need.csv", DATA_FIELDS, pack.rows)
    yield _csv(
        folder / "needs.csv", ("need_local", "need_code", "need_label", "match", "note"), pack.needs
    )
    yield _csv(folder / "reasons.csv", REASON_FIELDS, list(_reason_rows(pack.codes)))
    yield _csv(folder / "areas.csv", AREA_FIELDS, list(_area_rows(pack)))
    for found in pack.sections:
        yield _csv(folder / found.path, found.fields(), found.rows())
    package = folder / "datapackage.json"
    package.write_text(json.dumps(datapackage(pack), indent=2) + "\n", encoding="utf-8")
    yield package
    note = folder / "methodology.md"
    note.write_text(methodology(pack), encoding="utf-8")
    yield note
    licence = folder / "LICENCE.md"
    licence.write_text(licence_text(pack), encoding="utf-8")
    yield licence


REASON_FIELDS = ("reason_code", "label", "parent", "cld_event_outcome", "i211", "description")
AREA_FIELDS = (
    "area_code",
    "name",
    "geography_level",
    "parent_code",
    "population",
    "population_year",
    "fictional",
)


def _reason_rows(codes: Codes) -> Iterator[dict[str, str]]:
    for code in codes.reasons.values():
        yield {
            "reason_code": code.code,
            "label": code.label,
            "parent": code.parent or "",
            "cld_event_outcome": code.cld_event_outcome or "",
            "i211": code.i211 or "",
            "description": code.description,
        }


def _area_rows(pack: Pack) -> Iterator[dict[str, str]]:
    council, year = pack.council, str(pack.codes.population_year)
    fictional = "true" if council.fictional else "false"
    yield {
        "area_code": council.code,
        "name": council.name,
        "geography_level": LA_LEVEL,
        "parent_code": "",
        "population": str(council.population),
        "population_year": year,
        "fictional": fictional,
    }
    for ward in council.wards:
        yield {
            "area_code": ward.code,
            "name": ward.name,
            "geography_level": WARD_LEVEL,
            "parent_code": council.code,
            "population": str(ward.population),
            "population_year": year,
            "fictional": fictional,
        }


def _csv(path: Path, fields: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
