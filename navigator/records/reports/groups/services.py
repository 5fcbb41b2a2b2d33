"""The "Services" section: pressure on each service (paged on screen) and warm referrals.

No ledger across rows: each service's row is protected on its own (its fits add up
to the times it was considered, within the row), which is what lets a page be
protected without reading the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from navigator.records.reports import queries as q
from navigator.records.reports.groups.common import (
    Published,
    published_order,
    withheld_row,
)
from navigator.records.reports.groups.referrals import referrals_table
from navigator.records.reports.tables import Column, Filters, Table, Value

if TYPE_CHECKING:
    from navigator.records.reports.review import Review

PAGE_SIZE = 50
"""Rows per page of the services table on screen (the report has every row)."""


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    """The services tab is paged; the group holds its first page for the section call."""
    return (pressure(review, filters, offset=0, limit=PAGE_SIZE)[0], referrals(review, filters)), {}


def referrals(review: Review, filters: Filters) -> Table:
    """Referrals sent, answered and declined per service (`referrals.py`)."""
    return referrals_table(
        review.engine,
        filters,
        ledger=review.ledger,
        threshold=review.threshold,
        service_title=review.service_title,
    )


def pressure(review: Review, filters: Filters, offset: int, limit: int | None) -> tuple[Table, int]:
    """A page of "Pressure on services" (every row when `limit` is None), and how many
    services there are in all, for the pager.

    Rows go by their published pressure, then title: every row is counted and protected
    before the page is cut, since ordering (or paging) by the true pressure in SQL would
    let a reader rank a row whose figures are hidden. Services are a knowledge base's
    few hundred at most, so this stays quick.
    """
    rows = review.rows(q.service_pressure(filters))
    rules: dict[str, dict[str | None, int]] = {}
    for row in review.rows(q.ineligible_by_rule(filters)):
        rules.setdefault(row.service_id, {})[row.failed_rule] = int(row.count)
    body = sorted(
        (_pressure_row(review, row, rules.get(row.service_id, {})) for row in rows),
        key=_published_pressure,
    )
    end = None if limit is None else offset + limit
    return _pressure_table(tuple(body[offset:end])), len(body)


PRESSING = tuple(range(3, 7))
"""Where a row's fits other than "offered" are (waiting list, not eligible, out of area,
closed): their sum is the row's pressure."""


def _published_pressure(row: tuple[Value, ...]) -> tuple[int, float, str]:
    """Most pressed first by the pressure a reader can add up; a row with any of those
    fits hidden goes last, by title, since its true pressure is not published."""
    fits = [row[index] for index in PRESSING]
    numbers = [fit for fit in fits if isinstance(fit, int | float)]
    figure: Value = sum(numbers) if len(numbers) == len(fits) else None
    return published_order(figure, str(row[0]))


def _pressure_row(
    review: Review, row: Any, service_rules: dict[str | None, int]
) -> tuple[Value, ...]:
    """One service's row, protected on its own (its fits add up to the times considered)."""
    ledger = review.ledger()
    parts = [ledger.count(fit, int(getattr(row, fit))) for fit in q.FITS]
    ledger.total("considered", parts)
    rule_keys = [ledger.count(("rule", rule), n) for rule, n in service_rules.items()]
    if rule_keys:
        ledger.relate("ineligible", rule_keys)
    ruled_out = "; ".join(
        f"{review.rule_title(rule)} {ledger.figure(('rule', rule))}"
        for rule in sorted(
            service_rules,
            key=lambda r: published_order(ledger.figure(("rule", r)), review.rule_title(r)),
        )
    )
    if ledger.unprotected:  # this row's figures cannot be protected: none is shown
        return withheld_row(review.service_title(row.service_id), 6, review.threshold)
    return (
        review.service_title(row.service_id),
        ledger.figure("considered"),
        *(ledger.figure(fit) for fit in q.FITS),
        ruled_out,
    )


def _pressure_table(body: tuple[tuple[Value, ...], ...]) -> Table:
    return Table(
        key="service_pressure",
        title="Pressure on services",
        note="Each time a service was considered at an outcome this period, and how it "
        "fitted; most pressed first (every fit but 'offered', as published), then by name; "
        "a service with one of those figures hidden comes last, by name.",
        columns=(
            Column("service", "Service", "label"),
            Column("considered", "Considered"),
            Column("offered", "Offered"),
            Column("waiting_list", "Waiting list only"),
            Column("ineligible", "Not eligible"),
            Column("out_of_area", "Out of area"),
            Column("closed", "Closed"),
            Column("rules", "Ruled out by", "text"),
        ),
        rows=body,
    )
