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
from navigator.records.database import make_engine, sqlite_file
from navigator.records.store import FOLLOWUP_ANSWERS, FOLLOWUP_CODES


class RecordedCodes:
    """Follow-up codes as the main database has them.

    Give it an engine, or a database URL to connect to when a code is first
    typed: opening a SQLite file creates it, and a run where nobody types a
    code must leave no file behind (the writer makes it only when it has
    something to write).
    """

    def __init__(self, engine: Engine | str) -> None:
        self._url = engine if isinstance(engine, str) else None
        self._engine = engine if isinstance(engine, Engine) else None

    def _connect(self) -> Engine | None:
        if self._engine is None and self._url is not None:
            path = sqlite_file(self._url)
            if path is not None and not path.exists():
                return None  # nothing recorded here yet, so no code is known
            self._engine = make_engine(self._url)
        return self._engine

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
            engine = self._connect()
            if engine is None:
                return "unknown"
            with engine.connect() as connection:
                row = connection.execute(query).first()
        except SQLAlchemyError:
            return "unknown"
        if row is None:
            return "unknown"
        expires_at: dt.datetime = row[0]
        if expires_at < now:
            return "expired"
        return "answered" if row[1] is not None else "open"
