"""A service's answer to a warm referral: find it by reply code, store the status.

The answer is the only thing that changes a stored referral. It carries no
personal detail: the code, accepted or declined, a reason from a fixed list,
and when Navigator was told (for the time to answer). A second answer for
the same code replaces the first (a service may take back a decline), and
says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, Table, select, update

from navigator.engine.referral import DECLINE_REASONS, ParsedAnswer
from navigator.records.database import ensure_schema
from navigator.records.models import ReferralRecord

REFERRALS: Table = ReferralRecord.__table__  # type: ignore[attr-defined]

AnswerStatus = Literal["stored", "replaced", "unknown_code"]


@dataclass(frozen=True)
class StoredAnswer:
    status: AnswerStatus
    service_id: str | None = None
    previous: str | None = None
    """The status before this answer (`sent`, or an earlier answer being replaced)."""


def store_answer(engine: Engine, answer: ParsedAnswer, at: dt.datetime) -> StoredAnswer:
    """Set the referral's status from the service's answer, in one transaction."""
    reason = answer.reason if answer.answer == "declined" else None
    if reason is not None and reason not in DECLINE_REASONS:
        reason = "other"
    ensure_schema(engine)
    with engine.begin() as connection:
        row = connection.execute(
            select(REFERRALS.c.service_id, REFERRALS.c.status).where(
                REFERRALS.c.code == answer.code
            )
        ).first()
        if row is None:
            return StoredAnswer("unknown_code")
        connection.execute(
            update(REFERRALS)
            .where(REFERRALS.c.code == answer.code)
            .values(status=answer.answer, reason=reason, answered_at=at)
        )
    previous = str(row.status)
    status: AnswerStatus = "stored" if previous == "sent" else "replaced"
    return StoredAnswer(status, str(row.service_id), previous)
