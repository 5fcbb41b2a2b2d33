"""A section module that exists only in tests: what adding a figure to the review looks like.

One file: its group's `build` (its query, its protection, its table) and its `Section`.
Handing both to a `Review` (`sections=`, `builders=`) is all it takes for the dashboard,
every export and the publication pack to show it (tests/manager/test_section_registry.py).
"""

from __future__ import annotations

from navigator.records.reports import queries as q
from navigator.records.reports.groups.common import Published, pin_headline, published
from navigator.records.reports.review import Review, default_builders
from navigator.records.reports.sections import SECTIONS, Section
from navigator.records.reports.tables import Column, Filters, Table

EXTRA = Section("extra", "Extra figure", "extra", ("extra_sessions",), open_data=True)
"""Its section: a tab, a part of every report, a table in the pack."""


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    """Sessions by channel in the period, protected against the overview's headline."""
    ledger = review.ledger()
    total = pin_headline(ledger, pinned, "sessions")
    found = {
        str(row.key): int(row.sessions or 0)
        for row in review.rows(q.overview_by("channel", filters))
    }
    keys = [ledger.count(("sessions", channel), count) for channel, count in found.items()]
    ledger.relate(total, keys)
    table = Table(
        key="extra_sessions",
        title="Sessions by channel (a test-only figure)",
        columns=(Column("channel", "Channel", "label"), Column("sessions", "Sessions")),
        rows=tuple((channel, ledger.figure(("sessions", channel))) for channel in sorted(found)),
        note="Made by tests/manager/extra_section.py.",
    )
    return (table,), published(ledger)


def with_extra(review: Review) -> Review:
    """`review` with the extra section after the registry's."""
    return Review(
        engine=review.engine,
        knowledge=review.knowledge,
        threshold=review.threshold,
        today=review.today,
        preset=review.preset,
        sections=(*SECTIONS, EXTRA),
        builders={**default_builders(), "extra": build},
    )
