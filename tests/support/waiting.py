"""Waiting for the app under Pilot: for a condition, with a deadline in seconds.

A fixed pause races whatever it waits for (a worker thread, a timer, the next screen),
and a count of pauses is shorter than meant when each pause is short: on a loaded
machine either can end before the app gets there. `until` polls for the condition
itself, on the event loop's clock, with a deadline far beyond any honest wait.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from navigator.config import Settings

DEADLINE_SECONDS = 30.0


async def until(
    pilot: Pilot[Any], condition: Callable[[], bool], seconds: float = DEADLINE_SECONDS
) -> None:
    """Let the app work until `condition()` holds; fail if it still does not after `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, f"still not so after {seconds:g} s"
        await pilot.pause(0.02)


def wait_for(
    condition: Callable[[], object], seconds: float = DEADLINE_SECONDS, what: str = "it"
) -> None:
    """`until` for tests with no app: poll `condition()` from this thread (a writer's or a
    server's work in another thread or process) until it holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds:g} s"
        time.sleep(0.02)


async def press_and_wait(pilot: Pilot[Any], app: Any, *keys: str) -> None:
    """Press `keys`, then wait until the app's conversation has moved (a new state).

    `pilot.press` waits only for the process to look idle, and a busy machine can look
    idle while the keys are still on their way: the next key could then reach the
    question before this one. Waiting for the move itself is the same on any machine.
    """
    before = app.conversation.state
    await pilot.press(*keys)
    await until(pilot, lambda: app.conversation.state is not before)


def records_copied(settings: Settings) -> Path:
    """The main database, once everything the app left in its outbox has been copied there.

    Leaving, the app copies for at most 5 s and keeps the rest in the outbox for the next
    writer; on a busy machine that can be everything. The next writer is opened here, as
    the app's next run would, and waits for the copy (a deadline, not a sleep). Returns
    the SQLite file (for SQLite settings).
    """
    from navigator.records.writer import open_writer

    with open_writer(settings) as writer:
        assert writer.flush(timeout=60), "the outbox was not copied to the main database"
    return settings.sqlite_path
