"""The "Content" section: what content staff should check, and the versions in use."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from navigator.records.reports import queries as q
from navigator.records.reports.groups.common import (
    Published,
    iso,
    months_between,
    pin_headline,
    published,
    withheld_if,
)
from navigator.records.reports.suppression import CONFIDENTIAL, Hidden
from navigator.records.reports.tables import Column, Filters, Table, Value

if TYPE_CHECKING:
    from navigator.records.reports.review import Review


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    """Content to check: services not reviewed lately, national rules and rates due, and the
    knowledge base versions the sessions used (which add up to the overview's sessions)."""
    today = review.today()
    months = review.knowledge.content_rules.review_months
    stale = sorted(
        (
            service
            for service in review.knowledge.services.values()
            if months_between(service.last_reviewed, today) >= months
        ),
        key=lambda service: service.last_reviewed,
    )
    stale_table = Table(
        key="stale_services",
        title=f"Services not reviewed for {months} months or more",
        columns=(
            Column("service", "Service", "label"),
            Column("provider", "Provider", "text"),
            Column("last_reviewed", "Last reviewed", "date"),
            Column("months", "Months ago", "number"),
        ),
        rows=tuple(
            (
                service.name.get(),
                service.provider.get(),
                service.last_reviewed.isoformat(),
                months_between(service.last_reviewed, today),
            )
            for service in stale
        ),
    )
    ledger = review.ledger()
    pin_headline(ledger, pinned, "sessions")
    versions = review.rows(q.content_versions(filters))
    keys = [ledger.count(("version", row.content_hash), int(row.count)) for row in versions]
    ledger.relate(("headline", "sessions"), keys)
    rows: list[tuple[Value, ...]] = []
    for row in versions:
        figure = ledger.figure(("version", row.content_hash))
        dates: tuple[Value, Value] = (
            (CONFIDENTIAL, CONFIDENTIAL)
            if isinstance(figure, Hidden)
            else (iso(row.first), iso(row.last))
        )
        current = "yes" if row.content_hash == review.knowledge.content_hash else "no"
        rows.append((row.content_hash or "(unknown)", current, figure, *dates))
    versions_table = Table(
        key="content_versions",
        title="Knowledge base versions in use",
        columns=(
            Column("version", "Content hash", "text"),
            Column("current", "Loaded now", "text"),
            Column("count", "Sessions"),
            Column("first", "First seen", "date"),
            Column("last", "Last seen", "date"),
        ),
        rows=tuple(rows),
    )
    return (
        (
            meaning_unavailable(review, filters),
            stale_table,
            rules_due(review, today),
            *withheld_if(ledger, (versions_table,)),
        ),
        published(ledger),
    )


MEANING_UNAVAILABLE_EFFECT = (
    "Crisis signs were still checked, but crisis said in other words (the examples in "
    "safeguarding.yaml) was not recognised, and topics were matched by their words only."
)
MEANING_UNAVAILABLE_ACTION = (
    "The reason is in that machine's log ('Meaning model unavailable'). Reinstall "
    "Navigator there (pip install -e . brings the model) or free some memory, then restart."
)


def meaning_unavailable(review: Review, filters: Filters) -> Table:
    """Sites whose kiosks read text without safeguarding's meaning line (its model did
    not load there): content staff's crisis examples were not used, only the signs.
    Sites only, no counts or dates: it is about a machine, not about people."""
    sites = [row.site for row in review.rows(q.meaning_unavailable_sites(filters))]
    return Table(
        key="meaning_unavailable",
        title="Sites where the meaning model could not load",
        columns=(
            Column("site", "Site", "text"),
            Column("effect", "What it means", "text"),
            Column("action", "What to do", "text"),
        ),
        rows=tuple(
            (site, MEANING_UNAVAILABLE_EFFECT, MEANING_UNAVAILABLE_ACTION) for site in sites
        ),
    )


def rules_due(review: Review, today: dt.date) -> Table:
    """National rules and rates to check against their sources (no records, no counts)."""
    from navigator.kb.rates import LOOK_AHEAD_DAYS, first_gap

    months = review.knowledge.content_rules.rule_review_months
    rows: list[tuple[Value, ...]] = []
    for dated in review.knowledge.rates.values():
        gap = first_gap(dated, today, today + dt.timedelta(days=LOOK_AHEAD_DAYS))
        if gap is not None:
            rows.append((dated.title, f"no value from {gap.isoformat()}", dated.source))
        elif months_between(dated.verified_on, today) >= months:
            checked = f"checked {dated.verified_on.isoformat()}"
            rows.append((dated.title, checked, dated.source))
    for service in review.knowledge.services.values():
        checked_on = service.rule_checked_on
        if checked_on is None:
            continue
        if service.rule_source is None:
            rows.append((service.name.get(), "no source given", ""))
        elif months_between(checked_on, today) >= months:
            rows.append(
                (service.name.get(), f"checked {checked_on.isoformat()}", service.rule_source)
            )
    return Table(
        key="rules_due",
        title=f"National rules and rates to check (every {months} months)",
        columns=(
            Column("rule", "Rule or rate", "label"),
            Column("why", "Why it is due", "text"),
            Column("source", "Where to check it", "text"),
        ),
        rows=tuple(rows),
    )
