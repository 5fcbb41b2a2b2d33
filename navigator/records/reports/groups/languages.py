"""Sessions and unmet need by the language the session was held in, with suppression (issue 19).

Councils in Wales report on the Welsh Language Standards, and councils in England
plan interpreting from demand, so managers need the split by language: each
session's `language` is the one it was held in (started in, or chosen on the
first screen: `LanguageChosen`). In the review the language rows add up to the
overview's sessions and unmet need, so they are protected in one ledger with those
figures pinned (a hidden language cannot be worked out from the overview's total);
`by_language` is the same table on its own, protected against its own total.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from navigator.records.reports import queries as q
from navigator.records.reports.groups.common import (
    Published,
    pin_headline,
    published,
    published_order,
    withheld_if,
)
from navigator.records.reports.presets import Preset
from navigator.records.reports.suppression import Ledger
from navigator.records.reports.tables import Column, Filters, Table

if TYPE_CHECKING:
    from navigator.records.reports.review import Review

MEASURES = ("sessions", "unmet")


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    """The language table, its rows protected against the overview's published totals."""
    ledger = review.ledger()
    totals = {measure: pin_headline(ledger, pinned, measure) for measure in MEASURES}
    rows: dict[str, dict[str, int]] = {}
    for row in review.overview_rows(filters):  # by week and language: summed over weeks
        counts = rows.setdefault(str(row.language), dict.fromkeys(MEASURES, 0))
        for measure in MEASURES:
            counts[measure] += int(getattr(row, measure))
    rows = dict(sorted(rows.items()))  # cells registered in one order on every engine
    _protect(ledger, rows, lambda measure, keys: ledger.relate(totals[measure], keys))
    names = {"en": "English"}
    names.update((code, language.name) for code, language in review.knowledge.languages.items())
    table = _table(ledger, rows, names, totals, review.rule())
    return withheld_if(ledger, (table,)), published(ledger)


def by_language(
    engine: Engine, filters: Filters, rule: Preset, names: Mapping[str, str] | None = None
) -> Table:
    """One row per language (named from `names`, `cy` -> "Welsh"), then all languages."""
    with engine.connect() as connection:
        rows = _counted(connection.execute(q.overview_by("language", filters)).all())
    ledger = Ledger(rule.threshold, rounding=rule.rounding)
    totals: dict[str, Hashable] = {measure: (measure, "") for measure in MEASURES}
    _protect(ledger, rows, lambda measure, keys: ledger.total(totals[measure], keys))
    return _table(ledger, rows, names or {}, totals, rule)


def _counted(found: Any) -> dict[str, dict[str, int]]:
    return {
        str(row.key): {measure: int(getattr(row, measure) or 0) for measure in MEASURES}
        for row in found
    }


def _protect(ledger: Ledger, rows: dict[str, dict[str, int]], add_up: Any) -> None:
    """Count every cell, then say what each measure's cells add up to (`add_up`)."""
    for measure in MEASURES:
        keys = [
            ledger.count((measure, language), counts[measure]) for language, counts in rows.items()
        ]
        add_up(measure, keys)


def _table(
    ledger: Ledger,
    rows: dict[str, dict[str, int]],
    names: Mapping[str, str],
    totals: Mapping[str, Hashable],
    rule: Preset,
) -> Table:
    def label(language: str) -> str:
        return names.get(language, language)

    order = sorted(
        rows,
        key=lambda code: published_order(ledger.figure(("sessions", code)), label(code)),
    )
    body = [
        (label(code), *(ledger.figure((measure, code)) for measure in MEASURES)) for code in order
    ]
    total = ("All languages", *(ledger.figure(totals[measure]) for measure in MEASURES))
    return Table(
        key="languages",
        title="Sessions by language",
        columns=(
            Column("language", "Language", "label"),
            Column("sessions", "Sessions"),
            Column("unmet", "Ended in unmet need"),
        ),
        rows=(*body, total),
        note="The language each session was held in (started in, or chosen on the first "
        "screen). " + rule.describe(),
        totals=1,
    )
