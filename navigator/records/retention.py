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

from sqlalchemy import Engine, Table, delete, func, select

from navigator.records.models import METADATA, SESSION_CHILD_TABLES, SessionDay
from navigator.records.store import SESSIONS

DAYS: Table = SessionDay.__table__  # type: ignore[attr-defined]


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def purge(engine: Engine, older_than_months: int, now: dt.datetime | None = None) -> int:
    """Delete sessions that started more than `older_than_months` ago. Returns how many."""
    if older_than_months < 1:
        raise ValueError("keep records for at least one month")
    cutoff = months_before(now or dt.datetime.now(dt.UTC), older_than_months)
    old_sessions = select(SESSIONS.c.id).where(SESSIONS.c.started_at < cutoff)
    with engine.begin() as connection:
        count = connection.execute(
            select(func.count()).select_from(SESSIONS).where(SESSIONS.c.started_at < cutoff)
        ).scalar_one()
        if count:
            for name in SESSION_CHILD_TABLES:
                table: Table = METADATA.tables[name]
                connection.execute(delete(table).where(table.c.session_id.in_(old_sessions)))
            connection.execute(delete(SESSIONS).where(SESSIONS.c.started_at < cutoff))
            # The triggers on `sessions` took the deleted sessions out of the daily summary;
            # its rows with no session left go too, so it shrinks with the records.
            connection.execute(delete(DAYS).where(DAYS.c.sessions == 0))
    return int(count)
