"""The "Requests" section: what people asked for that nothing matched, grouped by similarity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from navigator.records.reports import queries as q
from navigator.records.reports.clusters import group_requests
from navigator.records.reports.groups.common import Published
from navigator.records.reports.tables import Chart, Column, Filters, Table

if TYPE_CHECKING:
    from navigator.records.reports.review import Review

UNMATCHED_TEXTS = 2000
"""How many distinct unmatched texts (most frequent first) are grouped by similarity.

Grouping compares each text with every group found so far (rapidfuzz token-set
ratio, about a microsecond a pair); 2,000 texts into a few hundred groups takes
under a second. Texts beyond these are ones few people typed, which could not
make a group of the threshold's size by themselves."""


def build(review: Review, filters: Filters) -> tuple[tuple[Table, ...], Published]:
    """What people asked for that nothing matched, grouped: quoted only where many said it.

    No ledger: each group is shown only at the threshold or above, rounded as the
    preset says, and adds up to nothing else shown."""
    counted = [
        (row.text, int(row.count))
        for row in review.rows(q.unmatched_texts(filters, UNMATCHED_TEXTS))
    ]
    groups = [g for g in group_requests(counted) if g.count >= review.threshold]
    days: dict[str, set[str]] = {}
    sites: dict[str, set[str]] = {}
    for row in review.rows(q.unmatched_spread(filters, UNMATCHED_TEXTS)):
        days.setdefault(row.text, set()).add(str(row.day))
        sites.setdefault(row.text, set()).add(str(row.site))
    spread = {text: (frozenset(days[text]), frozenset(sites[text])) for text in days}
    table = Table(
        key="unmatched_requests",
        title="What people asked for that nothing matched",
        note=f"Scrubbed requests grouped by similarity. Only groups of {review.threshold} or "
        "more sessions are shown, named by wording that at least that many sessions used on "
        "at least 3 different days or at 3 different sites; other groups are not quoted.",
        columns=(Column("request", "Request", "text"), Column("count", "People")),
        rows=tuple(
            (group.label(review.threshold, spread), review.rule().round(group.count))
            for group in groups
        ),
        chart=Chart("bar", "request", "count"),
    )
    return (table,), {}
