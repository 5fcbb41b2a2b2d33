"""Waiting for the app under Pilot: for a condition, with a deadline in seconds.

A fixed pause races whatever it waits for (a worker thread, a timer, the next screen),
and a count of pauses is shorter than meant when each pause is short: on a loaded
machine either can end before the app gets there. `until` polls for the condition
itself, on the event loop's clock, with a deadline far beyond any honest wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

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
