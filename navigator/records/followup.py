"""Looking up follow-up codes in the records, for the "Did you get help?" questions.

The engine asks a `CodeBook` whether a typed code is worth asking about
(`navigator.engine.followup`); this is that book, read from the main
database the kiosk already writes to. It answers with a status only, never
with anything about the pathway, so a front end cannot show what the code's
holder was looking for.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from navigator.engine.followup import CodeStatus
from navigator.records.store import FOLLOWUP_ANSWERS, FOLLOWUP_CODES


class RecordedCodes:
    """Follow-up codes as the main database has them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def status(self, code_hash: str, now: dt.datetime) -> CodeStatus:
        """`open`, `expired`, `answered` or `unknown` (also when the database cannot be read:
        the person is told kindly and carries on, and the kiosk keeps working)."""
        query = (
            select(FOLLOWUP_CODES.c.expires_at, FOLLOWUP_ANSWERS.c.session_id)
            .select_from(FOLLOWUP_CODES)
            .outerjoin(
                FOLLOWUP_ANSWERS, FOLLOWUP_ANSWERS.c.session_id == FOLLOWUP_CODES.c.session_id
            )
            .where(FOLLOWUP_CODES.c.code_hash == code_hash)
        )
        try:
            with self._engine.connect() as connection:
                row = connection.execute(query).first()
        except SQLAlchemyError:
            return "unknown"
        if row is None:
            return "unknown"
        expires_at: dt.datetime = row[0]
        if expires_at < now:
            return "expired"
        return "answered" if row[1] is not None else "open"
