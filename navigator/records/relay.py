"""Handing the engine's events to the records store without ever waiting for it.

The store (`navigator.records.writer`) imports SQLAlchemy, which costs about
300 ms: the app opens it in a thread after the first question is on screen, and
plain chat opens it before the first line. Until then, events wait in the
relay's buffer; once the writer is open they are passed on in order. The
writer itself never blocks (it queues to a durable outbox), so `submit` is
safe to call from the interface thread.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Protocol

from msgspec.structs import replace

from navigator.config import Settings
from navigator.engine.events import Event, FollowupAnswered, SessionEnded, SessionStarted

MAX_BUFFERED = 10_000
"""Events kept while the store opens; far more than any session produces."""


class Writer(Protocol):
    """What the relay needs of `navigator.records.RecordWriter`."""

    def submit(self, event: Event) -> None: ...

    def close(self) -> object: ...


WriterOpener = Callable[[Settings], Writer]


def default_opener(settings: Settings) -> Writer:
    """`navigator.records.writer.open_writer`, imported only when called."""
    records = importlib.import_module("navigator.records.writer")
    opener: WriterOpener = records.open_writer
    return opener(settings)


class RecordsRelay:
    """Buffers events until a writer is attached, then forwards each one as it comes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer: list[Event] = []
        self._writer: Writer | None = None
        self._closed = False
        self.problem: str | None = None
        """Why records cannot be stored (for staff), or None."""
        self.dropped = 0

    @property
    def writer(self) -> Writer | None:
        return self._writer

    def submit(self, event: Event) -> None:
        """Take one event. Never raises and never blocks for long: the interface calls it."""
        with self._lock:
            writer = self._writer
            if writer is None:
                if len(self._buffer) < MAX_BUFFERED and not self._closed:
                    self._buffer.append(event)
                else:
                    self.dropped += 1
                    self.problem = self.problem or "too many events waited for the store"
                return
        self._forward(writer, event)

    def attach(self, writer: Writer) -> None:
        """Start passing events to `writer`, the buffered ones first."""
        with self._lock:
            pending, self._buffer = self._buffer, []
            for event in pending:
                self._forward(writer, event)
            if not self._closed:
                self._writer = writer
                self.problem = None
                return
        writer.close()  # the app closed while the store was opening: keep what was buffered

    def fail(self, problem: str) -> None:
        """The store could not be opened: keep the reason for staff and keep buffering.

        Buffered events stay (up to `MAX_BUFFERED`) so that when the app tries
        again and the store opens, nothing recorded so far is lost.
        """
        with self._lock:
            self.problem = problem

    @property
    def waiting_for_store(self) -> bool:
        """True when opening the store failed and events are waiting for another try."""
        return self._writer is None and self.problem is not None and not self._closed

    def close(self) -> None:
        """Close the writer (it flushes its outbox). Safe to call more than once."""
        with self._lock:
            writer, self._writer = self._writer, None
            self._closed = True
        if writer is None:
            return
        try:
            status = writer.close()
        except Exception as problem:  # closing must not stop the app from leaving
            self.problem = f"the records store did not close cleanly: {problem!r}"
            return
        left = getattr(status, "problem", None)  # a `WriterStatus`: what is still in the outbox
        if left is not None:
            self.problem = f"not every record reached the database: {left}"

    def store_problem(self) -> str | None:
        """Why records are not reaching the store now (for staff), or None when all is well.

        Asks the writer's `status()` (a `WriterStatus` with a `problem`) where it
        offers one; never touches a disk, so the interface may call it.
        """
        writer = self._writer
        status = getattr(writer, "status", None)
        if callable(status):
            try:
                problem = getattr(status(), "problem", None)
            except Exception as error:  # a status check must never disturb the screen
                return f"the records store did not answer: {error!r}"
            if problem is not None:
                return str(getattr(problem, "message", problem))
        if self.problem is not None and self.dropped:
            return f"{self.problem} ({self.dropped} events could not be kept)"
        return self.problem

    def _forward(self, writer: Writer, event: Event) -> None:
        try:
            writer.submit(event)
        except Exception as problem:  # the store's trouble must never reach the resident
            self.problem = f"an event could not be handed to the store: {problem!r}"
            self.dropped += 1


class SessionGate:
    """Holds back each session's start until the person first does something.

    A kiosk shows a fresh session as soon as the last one is wiped, and it may
    then wait for hours. Recording its start at once would stretch every
    session's length to include that wait, and a session nobody touched would
    be stored as "abandoned at the welcome". So `SessionStarted` is held, then
    passed on just before the session's first real event, stamped with that
    event's time; a session that ends with nothing in between is not passed
    on at all.
    """

    def __init__(self, forward: Callable[[Event], None]) -> None:
        self._forward = forward
        self._held: dict[str, SessionStarted] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event, SessionStarted):
            self._held[event.session_id] = event
            return
        if isinstance(event, FollowupAnswered):
            # Joins an earlier visit's pathway; on its own it does not make this one a
            # session (see `store._Batch.add`), so the start stays held.
            self._forward(event)
            return
        held = self._held.pop(event.session_id, None)
        if held is not None:
            if isinstance(event, SessionEnded):
                return  # nobody used this session: there is nothing to record
            self._forward(replace(held, at=event.at))
        self._forward(event)
