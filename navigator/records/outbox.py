"""The durable local outbox: a small SQLite file every event is committed to first.

It sits on the machine the person is using, so recording never depends on the
network or the main database. `synchronous=FULL` with WAL means a committed
event survives a crash and a power cut. Rows leave only after the main
database has committed them (see `writer.py`), so a crash between the two
copies an event twice, which the main database ignores, and never drops one.

One `Outbox` object is one connection: use one per thread. Several processes
on one machine may share the file; copying is idempotent, so two copiers at
once cost a little work, not a duplicate.

`meta` keeps the last successful copy and the last problem, so `navigator db
status` in another process can report on a running kiosk.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from navigator.records.files import owner_only_file
from navigator.records.payloads import Payload

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        queued_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS rejected (
        id INTEGER PRIMARY KEY,
        event_id TEXT,
        payload TEXT NOT NULL,
        reason TEXT NOT NULL,
        rejected_at TEXT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

LAST_COPY = "last_copy_at"
LAST_PROBLEM = "last_problem"


@dataclass(frozen=True)
class Pending:
    """One event waiting in the outbox."""

    row_id: int
    payload: Payload


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


class Outbox:
    """A connection to the outbox file."""

    def __init__(self, path: Path, *, busy_timeout: float = 10.0) -> None:
        owner_only_file(path)  # the events waiting here are records too
        self.path = path
        self._connection = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=True
        )
        try:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            with self._transaction():
                for statement in _SCHEMA:
                    self._connection.execute(statement)
        except sqlite3.Error:
            self._connection.close()
            raise

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _transaction(self) -> _Immediate:
        """`with outbox._transaction():` runs a BEGIN IMMEDIATE ... COMMIT (or ROLLBACK)."""
        return _Immediate(self._connection)

    def append(self, payloads: Sequence[Payload]) -> None:
        """Commit `payloads` durably. An event id already waiting is not added twice."""
        queued_at = _now()
        rows = [(p["event_id"], json.dumps(p, separators=(",", ":")), queued_at) for p in payloads]
        with self._transaction():
            self._connection.executemany(
                "INSERT OR IGNORE INTO outbox (event_id, payload, queued_at) VALUES (?, ?, ?)",
                rows,
            )

    def peek(self, limit: int) -> list[Pending]:
        """The oldest waiting events. Rows that cannot be read are moved to `rejected`."""
        rows = self._connection.execute(
            "SELECT id, event_id, payload FROM outbox ORDER BY id LIMIT ?", (limit,)
        ).fetchall()
        pending, unreadable = [], []
        for row_id, event_id, text in rows:
            try:
                payload = json.loads(text)
                if not isinstance(payload, dict):
                    raise ValueError("not an object")
            except ValueError as problem:
                unreadable.append((row_id, event_id, text, f"unreadable: {problem}"))
                continue
            pending.append(Pending(row_id, payload))
        if unreadable:
            self._reject(unreadable)
        return pending

    def remove(self, row_ids: Iterable[int]) -> None:
        """Forget events the main database has committed."""
        with self._transaction():
            self._connection.executemany(
                "DELETE FROM outbox WHERE id = ?", [(row_id,) for row_id in row_ids]
            )

    def reject(self, item: Pending, reason: str) -> None:
        """Set aside an event the main database refuses, so it cannot block the rest."""
        self._reject(
            [(item.row_id, item.payload.get("event_id"), json.dumps(item.payload), reason)]
        )

    def _reject(self, rows: list[tuple[int, object, str, str]]) -> None:
        now = _now()
        with self._transaction():
            for row_id, event_id, text, reason in rows:
                self._connection.execute(
                    "INSERT INTO rejected (event_id, payload, reason, rejected_at) "
                    "VALUES (?, ?, ?, ?)",
                    (event_id, text, reason[:500], now),
                )
                self._connection.execute("DELETE FROM outbox WHERE id = ?", (row_id,))

    def backlog(self) -> int:
        (count,) = self._connection.execute("SELECT count(*) FROM outbox").fetchone()
        return int(count)

    def rejected(self) -> int:
        (count,) = self._connection.execute("SELECT count(*) FROM rejected").fetchone()
        return int(count)

    def get_meta(self, key: str) -> str | None:
        row = self._connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self._connection.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def clear_meta(self, key: str) -> None:
        with self._transaction():
            self._connection.execute("DELETE FROM meta WHERE key = ?", (key,))


class _Immediate:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self._connection.execute("BEGIN IMMEDIATE")
        return self._connection

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        if exc_type is None:
            self._connection.execute("COMMIT")
        else:
            self._connection.execute("ROLLBACK")
