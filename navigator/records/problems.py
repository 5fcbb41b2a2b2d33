"""What can go wrong with a database, said so that staff know what to do.

Every failure the writer meets becomes a `StoreProblem`: a stable `kind` a
front end can test (and look up wording for), a message for the member of
staff who looks after the machine, and the technical detail for the log. The
resident is never told: their session carries on, and records wait in the
outbox until the problem is fixed.
"""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
import sys
from dataclasses import dataclass, field
from typing import Any, Literal

ProblemKind = Literal[
    "unreachable",
    "locked",
    "read_only",
    "full",
    "corrupt",
    "schema",
    "refused",
    "outbox",
    "unexpected",
]

TRANSIENT: frozenset[ProblemKind] = frozenset({"unreachable", "locked"})
"""Kinds that usually clear by themselves; the rest need someone to act."""

_ADVICE: dict[ProblemKind, str] = {
    "unreachable": (
        "The records database cannot be reached. Records are kept safely on this machine "
        "and will be copied when it is back. Check the server and the network."
    ),
    "locked": (
        "The records database is busy or locked by another program. Records are kept "
        "safely on this machine and will be copied when it is free."
    ),
    "read_only": (
        "The records database cannot be written to (read-only file, folder or server). "
        "Records are kept safely on this machine. Check its permissions."
    ),
    "full": (
        "The disk holding the records database is full. Records are kept safely on this "
        "machine. Free some space; copying starts again by itself."
    ),
    "corrupt": (
        "The records database file is damaged. Records are kept safely on this machine. "
        "Move the file aside (keep it for recovery) and run `navigator db upgrade`."
    ),
    "schema": (
        "The records database has a different schema from this version of Navigator. "
        "Records are kept safely on this machine. Run `navigator db upgrade`."
    ),
    "refused": (
        "The records database refused some records; they are set aside in the outbox "
        "(table `rejected`) for someone to look at. Other records carry on."
    ),
    "outbox": (
        "Records cannot be saved on this machine (the outbox file). They are held in "
        "memory for now and will be lost if Navigator stops: check the disk and folder."
    ),
    "unexpected": (
        "Records cannot be copied to the records database for a reason Navigator does "
        "not recognise. They are kept safely on this machine. See the detail."
    ),
}


@dataclass(frozen=True)
class StoreProblem:
    """Why records are not reaching the main database (or the outbox) right now."""

    kind: ProblemKind
    detail: str
    """The technical reason, for a log or a member of staff."""
    since: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def message(self) -> str:
        """What it means and what to do, in plain words for staff."""
        return _ADVICE[self.kind]

    @property
    def headline(self) -> str:
        """Just what is wrong (the message's first sentence), for command-line errors."""
        return self.message.split(". ")[0].rstrip(".") + "."

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})"


_SQLITE_KINDS: tuple[tuple[str, ProblemKind], ...] = (
    ("SQLITE_BUSY", "locked"),
    ("SQLITE_LOCKED", "locked"),
    ("SQLITE_READONLY", "read_only"),
    ("SQLITE_FULL", "full"),
    ("SQLITE_CORRUPT", "corrupt"),
    ("SQLITE_NOTADB", "corrupt"),
    ("SQLITE_CANTOPEN", "unreachable"),
    ("SQLITE_PERM", "read_only"),
    ("SQLITE_AUTH", "read_only"),
    ("SQLITE_IOERR", "unreachable"),
    ("SQLITE_CONSTRAINT", "refused"),
    ("SQLITE_TOOBIG", "refused"),
    ("SQLITE_MISMATCH", "refused"),
)

_POSTGRES_KINDS: tuple[tuple[str, ProblemKind], ...] = (
    ("53100", "full"),  # disk_full
    ("53", "unreachable"),  # insufficient resources: too many connections, out of memory
    ("25006", "read_only"),  # read_only_sql_transaction (a standby)
    ("42501", "read_only"),  # insufficient_privilege
    ("42P01", "schema"),  # undefined_table
    ("42703", "schema"),  # undefined_column
    ("40", "locked"),  # serialization failure, deadlock
    ("55P03", "locked"),  # lock_not_available
    ("57", "unreachable"),  # operator intervention: shutdown, cannot connect now
    ("08", "unreachable"),  # connection exceptions
    ("XX001", "corrupt"),  # data_corrupted
    ("XX002", "corrupt"),  # index_corrupted
    ("22", "refused"),  # data exceptions
    ("23", "refused"),  # integrity constraint violations
)


def classify(error: BaseException) -> StoreProblem:
    """Turn an exception from SQLite, psycopg, SQLAlchemy or the OS into a `StoreProblem`.

    SQLAlchemy and psycopg are looked up, not imported: if they were never
    imported, the error cannot be one of theirs, and the outbox thread stays light.
    """
    original = _original(error)
    detail = _one_line(error, original)
    if type(error).__name__ == "SchemaNotCurrent":
        return StoreProblem("schema", detail)
    if isinstance(original, sqlite3.Error):
        return StoreProblem(_sqlite_kind(original), detail)
    psycopg: Any = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(original, psycopg.Error):
        return StoreProblem(_postgres_kind(original), detail)
    if isinstance(original, OSError):
        return StoreProblem(_os_kind(original), detail)
    if "no such table" in detail:
        return StoreProblem("schema", detail)
    return StoreProblem("unexpected", detail)


def _original(error: BaseException) -> BaseException:
    """The driver's exception inside SQLAlchemy's wrapper, if it is wrapped."""
    exc: Any = sys.modules.get("sqlalchemy.exc")
    if exc is not None and isinstance(error, exc.DBAPIError) and error.orig is not None:
        orig: BaseException = error.orig
        return orig
    return error


def _sqlite_kind(error: sqlite3.Error) -> ProblemKind:
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, kind in _SQLITE_KINDS:
        if name.startswith(prefix):
            return kind
    message = str(error).lower()
    if "no such table" in message or "no such column" in message:
        return "schema"
    if "locked" in message:
        return "locked"
    if "readonly" in message or "read-only" in message:
        return "read_only"
    if "not a database" in message or "malformed" in message:
        return "corrupt"
    if "unable to open" in message:
        return "unreachable"
    return "unexpected"


def _postgres_kind(error: Any) -> ProblemKind:
    state = error.sqlstate or ""
    if not state:
        operational = sys.modules["psycopg"].OperationalError
        return "unreachable" if isinstance(error, operational) else "unexpected"
    for prefix, kind in _POSTGRES_KINDS:
        if state.startswith(prefix):
            return kind
    return "unexpected"


def _os_kind(error: OSError) -> ProblemKind:
    if error.errno == errno.ENOSPC:
        return "full"
    if error.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return "read_only"
    return "unreachable"


def _one_line(error: BaseException, original: BaseException) -> str:
    text = str(original).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    return f"{type(error).__name__}: {first}"[:300]
