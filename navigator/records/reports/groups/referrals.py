"""Warm referrals per service, for the managers' Services tab (issue 20).

Declines are capacity evidence: a service that turns referrals away for "no
capacity" is a gap as real as one that does not exist. For each service this
period: referrals sent, accepted, declined, not answered yet, the acceptance
rate (of those answered), the median days to an answer, and the decline
reasons. Every count goes through a `Ledger` like the rest of the review
(small counts hidden, secondary suppression, the preset's rounding); the rate
is worked out from the published figures, and the time to answer is shown
only when at least the threshold's number of referrals were answered.

Part of the services group (`review.Review` computes it beside the paged service
pressure table): `referrals_table` takes the filters, ledger maker and titles.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy import Table as SqlTable

from navigator.engine.referral import DECLINE_REASONS
from navigator.records.models import ReferralRecord
from navigator.records.reports.groups.common import published_order, withheld_row
from navigator.records.reports.queries import SESSIONS, S, session_filter
from navigator.records.reports.suppression import Hidden, Ledger, share
from navigator.records.reports.tables import Column, Filters, Table, Value

REFERRALS: SqlTable = ReferralRecord.__table__  # type: ignore[attr-defined]
R = REFERRALS.c

REASON_TITLES = {
    "not_eligible": "Not eligible",
    "no_capacity": "No capacity",
    "out_of_area": "Out of area",
    "declined_by_person": "Declined by the person",
    "other": "Other",
}
STATES = ("accepted", "declined", "sent")
WITHHELD = "Withheld: too few referrals to protect by hiding others."


@dataclass
class ServiceReferrals:
    """One service's referrals this period, as counted from the rows."""

    states: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    days_to_answer: list[float] = field(default_factory=list)


def count_referrals(engine: Engine, filters: Filters) -> dict[str, ServiceReferrals]:
    """Every referral made in sessions the filters select, counted per service."""
    statement = (
        select(R.service_id, R.status, R.reason, R.at, R.answered_at)
        .select_from(SESSIONS.join(REFERRALS, R.session_id == S.id))
        .where(session_filter(filters))
    )
    counted: dict[str, ServiceReferrals] = {}
    with engine.connect() as connection:
        for row in connection.execute(statement):
            item = counted.setdefault(str(row.service_id), ServiceReferrals())
            status = row.status if row.status in STATES else "sent"
            item.states[status] += 1
            if status == "declined":
                reason = row.reason if row.reason in DECLINE_REASONS else "other"
                item.reasons[reason] += 1
            if status != "sent" and row.answered_at is not None:
                waited = (row.answered_at - row.at).total_seconds() / 86400
                item.days_to_answer.append(max(waited, 0.0))
    return counted


def referrals_table(
    engine: Engine,
    filters: Filters,
    *,
    ledger: Callable[[], Ledger],
    threshold: int,
    service_title: Callable[[str], str],
) -> Table:
    """The Services tab's referral figures, most referred first."""
    counted = count_referrals(engine, filters)
    rows = [_row(service_title(s), counted[s], ledger(), threshold) for s in sorted(counted)]
    # Most referred first by the PUBLISHED figure, never a hidden one (issue 16).
    rows.sort(key=lambda row: published_order(row[1], str(row[0])))
    return Table(
        key="referrals",
        title="Warm referrals",
        note="Referrals advocates sent to each service from sessions this period, and the "
        "services' answers. Acceptance is of the referrals answered. Declines for 'no "
        "capacity' are evidence of unmet need. Days to answer (median) is shown only where "
        f"{threshold} or more were answered.",
        columns=(
            Column("service", "Service", "label"),
            Column("sent", "Referrals"),
            Column("accepted", "Accepted"),
            Column("declined", "Declined"),
            Column("waiting", "Not answered yet"),
            Column("acceptance", "Accepted of answered (%)", "share"),
            Column("days", "Days to answer (median)", "number"),
            Column("reasons", "Why declined", "text"),
        ),
        rows=tuple(rows),
    )


def _row(title: str, item: ServiceReferrals, ledger: Ledger, threshold: int) -> tuple[Value, ...]:
    parts = [ledger.count(state, item.states[state]) for state in STATES]
    ledger.total("referrals", parts)
    reason_keys = [ledger.count(("reason", r), n) for r, n in sorted(item.reasons.items())]
    if reason_keys:
        ledger.relate("declined", reason_keys)
    if ledger.unprotected:  # this row's figures cannot be protected: none is shown
        return withheld_row(title, 6, threshold, WITHHELD)
    accepted, declined = ledger.figure("accepted"), ledger.figure("declined")
    answered: Value = None
    if not isinstance(accepted, Hidden) and not isinstance(declined, Hidden):
        answered = share(accepted, accepted + declined)
    elif item.states["accepted"] + item.states["declined"]:
        answered = Hidden(threshold, primary=False)
    days: Value = None
    if len(item.days_to_answer) >= threshold:
        days = round(statistics.median(item.days_to_answer), 1)
    figures = {r: ledger.figure(("reason", r)) for r in item.reasons}
    reasons = "; ".join(
        f"{REASON_TITLES[r]} {figures[r]}"
        for r in sorted(item.reasons, key=lambda r: published_order(figures[r], r))
    )
    return (
        title,
        ledger.figure("referrals"),
        accepted,
        declined,
        ledger.figure("sent"),
        answered,
        days,
        reasons,
    )
