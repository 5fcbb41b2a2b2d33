"""Retention: records older than the configured period are deleted, children first.

A session and everything that hangs off it goes together, judged by when the
session started. The children are deleted explicitly (not only by `ON DELETE
CASCADE`), so purging works even on a SQLite connection opened without
foreign keys. The daily summary `session_days` follows the sessions by itself (triggers of
migration `0006_summary`); purging also drops its rows that no longer count anyone.
"""

from __future__ import annotations

import calendar
import datetime as dt

from sqlalchemy import Engine, Table, delete, select

from navigator.records.models import METADATA, SESSION_CHILD_TABLES, SessionDay
from navigator.records.store import SESSIONS

DAYS: Table = SessionDay.__table__  # type: ignore[attr-defined]


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


PURGE_BATCH = 5_000
"""Sessions deleted per transaction. Each transaction holds SQLite's only write lock, and the
kiosk's record writer waits 5 s for it: purging 46,000 of 100,000 demo sessions at once held
it about 8 s (with the `session_days` delete trigger per row). A purge cut short by a crash
has removed the oldest sessions whole and the next run carries on."""


def purge(
    engine: Engine,
    older_than_months: int,
    now: dt.datetime | None = None,
    *,
    batch: int = PURGE_BATCH,
) -> int:
    """Delete sessions that started more than `older_than_months` ago, oldest first, `batch`
    sessions per transaction. Returns how many."""
    if older_than_months < 1:
        raise ValueError("keep records for at least one month")
    cutoff = months_before(now or dt.datetime.now(dt.UTC), older_than_months)
    oldest = (
        select(SESSIONS.c.id)
        .where(SESSIONS.c.started_at < cutoff)
        .order_by(SESSIONS.c.started_at, SESSIONS.c.id)
        .limit(batch)
    )
    count = 0
    while True:
        with engine.begin() as connection:
            ids = list(connection.execute(oldest).scalars())
            if not ids:
                break
            for name in SESSION_CHILD_TABLES:
                table: Table = METADATA.tables[name]
                connection.execute(delete(table).where(table.c.session_id.in_(ids)))
            connection.execute(delete(SESSIONS).where(SESSIONS.c.id.in_(ids)))
        count += len(ids)
    if count:
        # The triggers on `sessions` took the deleted sessions out of the daily summary;
        # its rows with no session left go too, so it shrinks with the records.
        with engine.begin() as connection:
            connection.execute(delete(DAYS).where(DAYS.c.sessions == 0))
    return count
