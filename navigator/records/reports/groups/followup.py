"""Did people get help? Resolution rates from follow-up answers, by need, service and reason.

A pathway that ends at a list of services says where people were sent, not
whether help came. People who come back with their follow-up code say so;
these tables count what they said, for the pathways whose code was printed
in the period (so an answer weeks later counts in the period of the visit).

Only some people answer, and those who answer are not like those who do not
(people who got help, or who were let down, are likelier to come back). So
every table says how many answered out of how many codes were given, and
the note says plainly that the rates describe those who answered. Counts are
protected like every other figure: each row's parts add up to its total, so
the `Ledger` hides enough that no small number can be worked out, a table
whose figures cannot be protected is withheld whole (`common.withheld_if`), and
rows are ordered by published figures only (`common.published_order`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Engine, and_, func, select

from navigator.records.reports.groups.common import Published, published_order, withheld_if
from navigator.records.reports.presets import Preset
from navigator.records.reports.suppression import Hidden, Ledger, share
from navigator.records.reports.tables import Column, Filters, Table, Value
from navigator.records.store import FOLLOWUP_ANSWERS, FOLLOWUP_CODES, OUTCOME_SERVICES, SESSIONS

if TYPE_CHECKING:
    from navigator.records.reports.review import Review

OUTCOMES = ("helped", "partly", "not_helped", "not_contacted")
"""How an answer is counted: helped, partly helped, contacted but not helped, not contacted."""

COUNT_COLUMNS = (
    Column("answered", "Answered"),
    Column("helped", "Got help"),
    Column("partly", "Partly"),
    Column("not_helped", "No help"),
    Column("not_contacted", "Did not contact"),
    Column("resolution", "Resolution rate", "share"),
)

BIAS_NOTE = (
    "{answered} of {issued} people given a follow-up code answered ({rate}). Rates describe "
    "those who answered, who are not like those who did not: people who got help, or who were "
    "let down, are likelier to come back. Read them as a floor on what is known, not as the "
    "rate for everyone."
)

Answer = tuple[str | None, bool, str | None, str | None]
"""(need of the pathway, contacted, helped, reason) for one answered pathway."""


def _outcome(contacted: bool, helped: str | None) -> str:
    if not contacted:
        return "not_contacted"
    return {"yes": "helped", "partly": "partly"}.get(helped or "", "not_helped")


def _period(start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    return and_(FOLLOWUP_CODES.c.issued_at >= start, FOLLOWUP_CODES.c.issued_at < end)


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    """The "Got help?" section: follow-up answers by the period of the visit.

    Pins nothing: codes given and answers add up among themselves, not to any
    figure of the overview."""
    start, end = filters.period.bounds
    return followup_tables(review.engine, start, end, review.rule(), filters.sites), {}


def followup_tables(
    engine: Engine,
    start: dt.datetime,
    end: dt.datetime,
    rule: Preset,
    sites: tuple[str, ...] = (),
) -> tuple[Table, ...]:
    """The follow-up tables for codes issued in [start, end), protected by `rule`; only codes
    given at `sites` (the manager's scope) when there is one."""
    period = _period(start, end)
    if sites:
        scope = select(SESSIONS.c.id).where(SESSIONS.c.site.in_(sites))
        period = and_(period, FOLLOWUP_CODES.c.session_id.in_(scope))
    with engine.connect() as connection:
        issued = connection.execute(
            select(func.count()).select_from(FOLLOWUP_CODES).where(period)
        ).scalar_one()
        answers = connection.execute(
            select(
                FOLLOWUP_ANSWERS.c.session_id,
                SESSIONS.c.need_id,
                FOLLOWUP_ANSWERS.c.contacted,
                FOLLOWUP_ANSWERS.c.helped,
                FOLLOWUP_ANSWERS.c.reason,
            )
            .join(FOLLOWUP_CODES, FOLLOWUP_CODES.c.session_id == FOLLOWUP_ANSWERS.c.session_id)
            .join(SESSIONS, SESSIONS.c.id == FOLLOWUP_ANSWERS.c.session_id)
            .where(period)
        ).all()
        services = connection.execute(
            select(OUTCOME_SERVICES.c.session_id, OUTCOME_SERVICES.c.service_id)
            .distinct()
            .join(FOLLOWUP_ANSWERS, FOLLOWUP_ANSWERS.c.session_id == OUTCOME_SERVICES.c.session_id)
            .join(FOLLOWUP_CODES, FOLLOWUP_CODES.c.session_id == FOLLOWUP_ANSWERS.c.session_id)
            .where(period, OUTCOME_SERVICES.c.fit.in_(("offered", "waiting_list")))
        ).all()
    outcome_of = {row[0]: _outcome(row[2], row[3]) for row in answers}
    overview = _overview(issued, Counter(outcome_of.values()), rule)
    note = _note(overview, rule)
    overview = replace(overview, note=note)
    by_need = Counter((row[1] or "unknown", outcome_of[row[0]]) for row in answers)
    by_service = Counter((service, outcome_of[session]) for session, service in services)
    reasons = Counter(row[4] for row in answers if row[4] is not None)
    return (
        overview,
        _grouped("followup_by_need", "Did people get help? By need", "Need", by_need, note, rule),
        _grouped(
            "followup_by_service",
            "Did people get help? By service suggested",
            "Service",
            by_service,
            note,
            rule,
        ),
        _reasons(reasons, note, rule),
    )


def _note(overview: Table, rule: Preset) -> str:
    """How many answered, as published (a hidden count stays hidden here too), and the caveat."""
    issued, answered = overview.rows[0][0], overview.rows[0][1]
    rate = None
    if isinstance(issued, int) and isinstance(answered, int | Hidden):
        rate = share(answered, issued)
    if isinstance(rate, float):
        shown = f"{rate:g}%"
    else:
        shown = "no codes given" if issued == 0 else str(rate)
    text = BIAS_NOTE.format(answered=answered, issued=issued, rate=shown)
    return f"{text} {rule.describe()}"


def _overview(issued: int, outcomes: Counter[str], rule: Preset) -> Table:
    ledger = _ledger(rule)
    ledger.count("issued", issued)
    parts = [ledger.count(name, outcomes[name]) for name in OUTCOMES]
    ledger.total(ledger.count("answered", sum(outcomes.values())), parts)
    columns = (Column("issued", "Codes given"), *COUNT_COLUMNS)
    row: tuple[Value, ...] = (
        ledger.figure("issued"),
        ledger.figure("answered"),
        *(ledger.figure(name) for name in OUTCOMES),
        share(ledger.figure("helped"), ledger.figure("answered")),
    )
    return _protected(ledger, Table("followup_overview", "Did people get help?", columns, (row,)))


def _grouped(
    key: str, title: str, label: str, counts: Counter[tuple[str, str]], note: str, rule: Preset
) -> Table:
    ledger = _ledger(rule)
    groups = sorted({group for group, _ in counts})
    for group in groups:
        parts = [ledger.count((group, name), counts[(group, name)]) for name in OUTCOMES]
        total = sum(counts[(group, name)] for name in OUTCOMES)
        ledger.total(ledger.count((group, "answered"), total), parts)
    rows = tuple(_row(ledger, group) for group in groups)
    columns = (Column("label", label, "label"), *COUNT_COLUMNS)
    return _protected(ledger, Table(key, title, columns, rows, note=note))


def _row(ledger: Ledger, group: str) -> tuple[Value, ...]:
    answered = ledger.figure((group, "answered"))
    counts = (ledger.figure((group, name)) for name in OUTCOMES)
    return (group, answered, *counts, share(ledger.figure((group, "helped")), answered))


def _reasons(reasons: Counter[str], note: str, rule: Preset) -> Table:
    ledger = _ledger(rule)
    for name in reasons:
        ledger.count(name, reasons[name])
    # Most common first by the PUBLISHED figure: a hidden one never gives its rank away.
    names = sorted(reasons, key=lambda name: published_order(ledger.figure(name), name))
    rows = tuple((name, ledger.figure(name)) for name in names)
    columns = (Column("label", "Why not", "label"), Column("count", "People"))
    table = Table("followup_reasons", "Why people did not get help", columns, rows, note=note)
    return _protected(ledger, table)


def _ledger(rule: Preset) -> Ledger:
    return Ledger(rule.threshold, rounding=rule.rounding)


def _protected(ledger: Ledger, table: Table) -> Table:
    """`table`, or withheld whole if its ledger could not protect it (common.withheld_if)."""
    (shown,) = withheld_if(ledger, (table,))
    return shown


def rows_by_label(table: Table) -> dict[str, tuple[Value, ...]]:
    """A grouped table's rows by their label, for tests and exports that look one up."""
    return {str(row[0]): row for row in table.rows}
