"""Sessions and unmet need by the language the session was held in, with suppression.

Councils in Wales report on the Welsh Language Standards, and councils in England
plan interpreting from demand, so managers need the split by language: each
session's `language` is the one it was held in (started in, or chosen on the
first screen: `LanguageChosen`). Small counts are hidden as everywhere else in
the review: the language rows and their total row are one set of equations in a
`Ledger`, so a hidden row cannot be worked out from the total (branch welsh;
kept apart from `review.py`, which another change is reworking).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine, case, func, select

from navigator.records.reports.presets import Preset
from navigator.records.reports.queries import SESSIONS, session_filter
from navigator.records.reports.suppression import Ledger
from navigator.records.reports.tables import Column, Filters, Table

S = SESSIONS.c


def by_language(
    engine: Engine, filters: Filters, rule: Preset, names: Mapping[str, str] | None = None
) -> Table:
    """One row per language (named from `names`, `cy` -> "Welsh"), then all languages."""
    statement = (
        select(
            S.language.label("language"),
            func.count().label("sessions"),
            func.sum(case((S.has_unmet.is_(True), 1), else_=0)).label("unmet"),
        )
        .where(session_filter(filters))
        .group_by(S.language)
        .order_by(S.language)
    )
    with engine.connect() as connection:
        rows = [
            (str(row.language), int(row.sessions), int(row.unmet or 0))
            for row in connection.execute(statement)
        ]
    ledger = Ledger(rule.threshold, rounding=rule.rounding)
    for language, sessions, unmet in rows:
        ledger.count(("sessions", language), sessions)
        ledger.count(("unmet", language), unmet)
    for measure in ("sessions", "unmet"):
        ledger.total((measure, ""), [(measure, language) for language, _, _ in rows])
    named = names or {}
    body = [
        (named.get(language, language), ledger.figure(("sessions", language)),
         ledger.figure(("unmet", language)))
        for language, _, _ in rows
    ]  # fmt: skip
    total = ("All languages", ledger.figure(("sessions", "")), ledger.figure(("unmet", "")))
    return Table(
        key="languages",
        title="Sessions by language",
        columns=(
            Column("language", "Language", "label"),
            Column("sessions", "Sessions"),
            Column("unmet", "Ended in unmet need"),
        ),
        rows=(*body, total),
        note=rule.describe(),
        totals=1,
    )
