"""The record writer: front ends hand it events, and it never blocks them or loses one.

    writer = open_writer(settings)
    writer.submit(event)          # a queue put: microseconds, never raises
    writer.status()               # backlog, last copy, any StoreProblem (for a staff banner)
    writer.close(timeout=5)       # copies what it can; the rest waits in the outbox

Two threads do the work. The *outbox thread* scrubs each event (see
`payloads.py`) and commits it to the local outbox with `synchronous=FULL`,
grouping whatever has queued up into one commit, so a slow disk costs one
fsync per burst rather than per event. The *copier thread* moves outbox rows to
the main database in batches, in one transaction each, and deletes them from
the outbox only after that commit. Failures become a `StoreProblem`; the
copier backs off exponentially (with jitter, so twenty kiosks do not retry in
step) and tries again, for as long as it takes.

Why a thread and not a synchronous outbox write in `submit`: one committed
SQLite insert with `synchronous=FULL` costs about 0.3 ms on this machine's SSD
and 5-30 ms on a kiosk's SD card or a busy disk, which would stall the screen.
A queue put costs about a microsecond (see `docs/performance.md`). The price is
a window of a few milliseconds in which an event is only in memory; `flush` and
`wait_durable` close it when a caller needs to.

Records are write-only from here: there is no read API for front ends.

SQLAlchemy, Alembic and the database drivers are imported by the copier thread,
not by `open_writer`, so a front end is not kept waiting at start-up (about
0.6 s of imports on this machine).
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from navigator.config import Settings
from navigator.engine.events import Event
from navigator.records.outbox import LAST_COPY, LAST_PROBLEM, Outbox, Pending
from navigator.records.payloads import Payload, to_payload
from navigator.records.problems import StoreProblem, classify

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # a library: never print to a front end's terminal

_STOP = object()


@dataclass(frozen=True)
class WriterOptions:
    """Tuning, mostly for tests: batch size, retry timing, timeouts, extra SQLite pragmas."""

    batch_size: int = 500
    retry_first: float = 0.5
    retry_max: float = 30.0
    busy_timeout: float = 5.0
    idle_poll: float = 1.0
    """How often the copier looks at the outbox when nobody has told it there is work."""
    sqlite_pragmas: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class WriterStatus:
    """What a staff banner or `navigator db status` shows."""

    in_memory: int
    """Submitted but not yet committed to the outbox (normally 0 within milliseconds)."""
    backlog: int
    """Waiting in the outbox for the main database."""
    last_copy_at: dt.datetime | None
    problem: StoreProblem | None
    rejected: int = 0
    dropped: int = 0
    """Events not recorded: a malformed session or event id, or submitted after `close`."""

    @property
    def healthy(self) -> bool:
        return self.problem is None


class RecordWriter:
    """Accepts events from a front end and sees them into the main database."""

    def __init__(
        self,
        outbox_path: Path,
        database_url: str,
        options: WriterOptions | None = None,
    ) -> None:
        self.outbox_path = outbox_path
        self.database_url = database_url
        self.options = options or WriterOptions()
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._submitted = 0
        self._durable = 0
        self._empty_rounds = 0
        """How many times the copier has found the outbox empty (`flush` counts on it)."""
        self._backlog = 0
        self._rejected = 0
        self._dropped = 0
        self._last_copy_at: dt.datetime | None = None
        self._problem: StoreProblem | None = None
        self._outbox_problem: StoreProblem | None = None
        self._work = threading.Event()
        self._closing = threading.Event()
        self._copy_deadline = float("inf")
        self._outbox_thread = threading.Thread(
            target=self._outbox_loop, name="records-outbox", daemon=True
        )
        self._copier_thread = threading.Thread(
            target=self._copier_loop, name="records-copier", daemon=True
        )
        self._outbox_thread.start()
        self._copier_thread.start()

    # --- The front end's side -----------------------------------------------------------

    def submit(self, event: Event) -> None:
        """Queue `event` for recording. Never blocks on I/O and never raises."""
        if self._closing.is_set():
            log.error("event submitted after close, not recorded: %s", type(event).__name__)
            with self._lock:
                self._dropped += 1
            return
        with self._lock:
            self._submitted += 1
        self._queue.put(event)

    def status(self) -> WriterStatus:
        """The writer's state now, without touching a disk (safe on the interface thread)."""
        with self._lock:
            return WriterStatus(
                in_memory=self._submitted - self._durable,
                backlog=self._backlog,
                last_copy_at=self._last_copy_at,
                problem=self._outbox_problem or self._problem,
                rejected=self._rejected,
                dropped=self._dropped,
            )

    def wait_durable(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted so far is committed to the outbox."""
        with self._changed:
            target = self._submitted
            return self._changed.wait_for(lambda: self._durable >= target, timeout)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until the outbox is empty: everything submitted so far, and anything left
        from an earlier run, is in the main database. False if `timeout` passes first.

        The copier counts the times it finds the outbox empty. The second such time
        after everything was durable began after it, so it saw every event gone.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self.wait_durable(timeout):
            return False
        with self._changed:
            start = self._empty_rounds
        while True:
            self._work.set()
            remaining = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
            with self._changed:
                if self._changed.wait_for(
                    lambda: self._empty_rounds >= start + 2, max(0.0, remaining)
                ):
                    return True
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def close(self, timeout: float = 5.0) -> WriterStatus:
        """Stop accepting work, commit everything to the outbox, copy what can be copied.

        Whatever cannot reach the main database within `timeout` stays in the
        outbox and is copied by the next writer that opens it.
        """
        deadline = time.monotonic() + timeout
        if not self._closing.is_set():
            self._closing.set()
            self._queue.put(_STOP)
        self._outbox_thread.join(max(0.1, deadline - time.monotonic()))
        self._copy_deadline = deadline
        self._work.set()
        self._copier_thread.join(max(0.1, deadline - time.monotonic()))
        return self.status()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- Outbox thread --------------------------------------------------------------------

    def _outbox_loop(self) -> None:
        outbox: Outbox | None = None
        waiting: list[Payload] = []
        stopping = False
        delay = self.options.retry_first
        while True:
            if not waiting or not stopping:
                stopping = self._drain_into(waiting, block=not waiting) or stopping
            if waiting:
                try:
                    outbox = outbox or Outbox(self.outbox_path)
                    outbox.append(waiting)
                except Exception as error:  # the disk or folder of the outbox itself
                    self._set_outbox_problem(classify(error))
                    if outbox is not None:
                        outbox.close()
                        outbox = None
                    if stopping and self._past_deadline():
                        break
                    time.sleep(delay)
                    delay = min(delay * 2, self.options.retry_max)
                    continue
                delay = self.options.retry_first
                self._mark_durable(len(waiting), backlog=outbox.backlog())
                waiting = []
                self._work.set()
            if stopping and not waiting:
                break
        if outbox is not None:
            outbox.close()

    def _drain_into(self, waiting: list[Payload], *, block: bool) -> bool:
        """Move queued events into `waiting` as payloads; True when the stop marker was seen."""
        try:
            item = (
                self._queue.get(timeout=self.options.idle_poll)
                if block
                else self._queue.get_nowait()
            )
        except queue.Empty:
            return False
        while True:
            if item is _STOP:
                return True
            self._add_payload(waiting, item)
            if len(waiting) >= 5000:
                return False
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return False

    def _add_payload(self, waiting: list[Payload], item: object) -> None:
        try:
            if not isinstance(item, Event):
                raise ValueError(f"{type(item).__name__} is not an event")
            waiting.append(to_payload(item))
        except Exception as problem:  # one malformed event must not stop the thread
            log.error("event refused, not recorded: %r", problem)
            with self._changed:
                self._dropped += 1
                self._durable += 1
                self._changed.notify_all()

    def _mark_durable(self, count: int, *, backlog: int) -> None:
        with self._changed:
            self._durable += count
            self._backlog = backlog
            self._outbox_problem = None
            self._changed.notify_all()

    def _set_outbox_problem(self, problem: StoreProblem) -> None:
        problem = StoreProblem("outbox", problem.detail)
        log.error("%s", problem)
        with self._lock:
            self._outbox_problem = problem

    def _past_deadline(self) -> bool:
        return time.monotonic() >= self._copy_deadline

    # --- Copier thread --------------------------------------------------------------------

    def _copier_loop(self) -> None:
        state = _CopierState(delay=self.options.retry_first)
        try:
            while True:
                closing = self._closing.is_set()
                outbox_done = closing and not self._outbox_thread.is_alive()
                result = self._copy_some(state)
                if result == "copied":
                    continue
                if closing and (self._past_deadline() or (outbox_done and result == "empty")):
                    break
                if result == "failed":
                    self._sleep(state.delay)
                    state.delay = min(state.delay * 2, self.options.retry_max)
                    continue
                self._work.wait(self.options.idle_poll)
                self._work.clear()
        finally:
            state.close()

    def _copy_some(self, state: _CopierState) -> str:
        """One batch: "copied", "empty" (nothing waiting) or "failed" (a problem was reported)."""
        from navigator.records.database import ensure_schema, make_engine

        try:
            if state.outbox is None:
                state.outbox = self._open_outbox_for_copy()
                if state.outbox is None:
                    self._note_empty_round()
                    return "empty"
            if state.engine is None:
                state.engine = make_engine(
                    self.database_url,
                    writing=True,
                    busy_timeout=self.options.busy_timeout,
                    sqlite_pragmas=self.options.sqlite_pragmas,
                )
                ensure_schema(state.engine)
            copied = self._copy_batch(state.outbox, state.engine)
        except Exception as error:
            problem = classify(error)
            self._report(state.outbox, problem)
            if not problem.transient:
                state.close_engine()
            return "failed"
        state.delay = self.options.retry_first
        return "copied" if copied else "empty"

    def _open_outbox_for_copy(self) -> Outbox | None:
        if not self.outbox_path.exists():
            return None
        outbox = Outbox(self.outbox_path)
        last = outbox.get_meta(LAST_COPY)
        with self._lock:
            self._backlog = outbox.backlog()
            self._rejected = outbox.rejected()
            if last and self._last_copy_at is None:
                self._last_copy_at = dt.datetime.fromisoformat(last)
        return outbox

    def _copy_batch(self, outbox: Outbox, engine: Engine) -> int:
        """Copy one batch; returns how many events left the outbox."""
        from navigator.records.store import store_payloads

        pending = outbox.peek(self.options.batch_size)
        if not pending:
            self._copied(outbox, 0, backlog=0)
            return 0
        try:
            with engine.begin() as connection:
                store_payloads(
                    connection, [item.payload for item in pending], dt.datetime.now(dt.UTC)
                )
        except Exception as error:
            if classify(error).kind != "refused":
                raise
            self._copy_one_by_one(outbox, engine, pending)
        else:
            outbox.remove(item.row_id for item in pending)
        self._copied(outbox, len(pending), backlog=outbox.backlog())
        return len(pending)

    def _copy_one_by_one(self, outbox: Outbox, engine: Engine, pending: list[Pending]) -> None:
        """A batch was refused: store what can be stored, set the rest aside."""
        from navigator.records.store import store_payloads

        for item in pending:
            try:
                with engine.begin() as connection:
                    store_payloads(connection, [item.payload], dt.datetime.now(dt.UTC))
            except Exception as error:
                problem = classify(error)
                if problem.kind != "refused":
                    raise
                outbox.reject(item, problem.detail)
                self._report(outbox, problem)
                continue
            outbox.remove([item.row_id])

    def _copied(self, outbox: Outbox, count: int, *, backlog: int) -> None:
        """Note a copy (`count` events), or that the outbox was found empty (`count` 0)."""
        now = dt.datetime.now(dt.UTC)
        if count:
            outbox.set_meta(LAST_COPY, now.isoformat())
        if self._problem is not None and self._problem.kind != "refused":
            outbox.clear_meta(LAST_PROBLEM)
        with self._changed:
            if count:
                self._last_copy_at = now
            if self._problem is not None and self._problem.kind != "refused":
                self._problem = None
            self._backlog = backlog
            self._rejected = outbox.rejected()
            if count == 0:
                self._empty_rounds += 1
            self._changed.notify_all()

    def _note_empty_round(self) -> None:
        with self._changed:
            self._empty_rounds += 1
            self._changed.notify_all()

    def _report(self, outbox: Outbox | None, problem: StoreProblem) -> None:
        with self._lock:
            changed = self._problem is None or self._problem.kind != problem.kind
            if changed:
                self._problem = problem
        if changed:
            log.warning("%s", problem)
        if outbox is not None:
            try:
                outbox.set_meta(LAST_PROBLEM, f"{problem.kind}: {problem.detail}")
            except Exception:  # the outbox's own trouble shows up in the outbox thread
                log.debug("could not note the problem in the outbox", exc_info=True)

    def _sleep(self, delay: float) -> None:
        """Back off, with jitter; wake early when closing so `close` keeps its deadline."""
        pause = delay * random.uniform(0.5, 1.0)
        if self._closing.is_set():
            pause = min(pause, max(0.0, self._copy_deadline - time.monotonic()))
        self._work.wait(pause)
        self._work.clear()


@dataclass
class _CopierState:
    """What the copier thread holds between batches."""

    delay: float
    outbox: Outbox | None = None
    engine: Engine | None = None

    def close_engine(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def close(self) -> None:
        self.close_engine()
        if self.outbox is not None:
            self.outbox.close()
            self.outbox = None


def open_writer(settings: Settings, options: WriterOptions | None = None) -> RecordWriter:
    """The writer front ends use: outbox in the data folder, main database from the settings."""
    return RecordWriter(settings.outbox_path, settings.resolved_database_url, options)
