"""Wrong tries at a secret (the staff PIN, the managers' password), counted so guessing is slow.

A 6-digit PIN has a million values; without a limit, a person at a kiosk
could try one every quarter of a second. So, for each door:

- the first `free` wrong tries cost nothing (people mistype);
- after that, each try must wait, starting at `first_wait` seconds and
  doubling with each further wrong try;
- after `lock_after` wrong tries in a row the door locks for `lockout`
  seconds, and every wrong try after that locks it again, until the right
  secret is given, which clears the count.

With the defaults (3 free, 2 s doubling, locked 15 minutes after 10) a
guesser gets about 40 tries an hour. The count lives in a small file (JSON,
readable by its owner only, replaced atomically), so restarting the kiosk or
the command does not reset it. Times are wall-clock seconds (they must mean
the same after a restart), from a clock that tests replace; a clock set back
never makes a wait longer than the policy allows.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Clock = Callable[[], float]


@dataclass(frozen=True)
class Policy:
    """How many wrong tries are free, how the wait grows, and how long a lockout lasts."""

    free: int = 3
    first_wait: float = 2.0
    lock_after: int = 10
    lockout: float = 15 * 60.0

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after `failures` wrong tries in a row (before the lockout)."""
        if failures < self.free:
            return 0.0
        return float(self.first_wait * 2 ** (failures - self.free))


@dataclass(frozen=True)
class Door:
    """Whether a try may be made now: `open`, `wait` (back-off) or `locked`, and for how long."""

    state: Literal["open", "wait", "locked"]
    seconds: float = 0.0
    failures: int = 0

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def whole_seconds(self) -> int:
        """The wait rounded up, as people read it: never "0 seconds" while still closed."""
        return max(1, math.ceil(self.seconds)) if not self.is_open else 0

    @property
    def whole_minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60)) if not self.is_open else 0

    def describe(self, what: str) -> str:
        """A sentence for staff and managers saying what to do (not resident text)."""
        if self.state == "locked":
            return (
                f"{what} is locked for {self.whole_minutes} more minute"
                f"{'' if self.whole_minutes == 1 else 's'} after {self.failures} wrong tries. "
                "Wait, then try again."
            )
        if self.state == "wait":
            return (
                f"Too many wrong tries: wait {self.whole_seconds} second"
                f"{'' if self.whole_seconds == 1 else 's'} before the next one."
            )
        return ""


class Attempts:
    """The wrong tries at one secret, kept in `path` so they survive a restart."""

    def __init__(self, path: Path, *, clock: Clock = time.time, policy: Policy = Policy()) -> None:
        self.path = path
        self.clock = clock
        self.policy = policy
        self._failures, self._last = 0, 0.0
        self._failures, self._last = self._read()
        self.problem: str | None = None
        """Why the count could not be saved, if it could not (it is still kept in memory)."""

    def door(self) -> Door:
        """May a try be made now? Reads the file again: another process may have counted."""
        self._catch_up()
        return self._door()

    def _door(self) -> Door:
        failures, policy = self._failures, self.policy
        if failures == 0:
            return Door("open")
        elapsed = max(0.0, self.clock() - self._last)  # a clock set back waits no longer
        if failures >= policy.lock_after:
            left = policy.lockout - elapsed
            return Door("locked", left, failures) if left > 0 else Door("open", 0, failures)
        left = policy.wait_after(failures) - elapsed
        return Door("wait", left, failures) if left > 0 else Door("open", 0, failures)

    def failed(self) -> Door:
        """Count a wrong try; what the door says now."""
        self._catch_up()
        self._failures += 1
        self._last = self.clock()
        self._write()
        return self._door()

    def succeeded(self) -> None:
        """The right secret: the count starts again."""
        self._failures, self._last = 0, 0.0
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    # --- The file --------------------------------------------------------------------

    def _catch_up(self) -> None:
        """Take the file's count, unless this process has counted more (the file unwritable)."""
        self._failures, self._last = max(self._read(), (self._failures, self._last))

    def _read(self) -> tuple[int, float]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return 0, 0.0
        except OSError:
            return self._failures_if_unreadable()
        try:
            data = json.loads(text)
            failures, last = int(data["failures"]), float(data["last"])
        except (ValueError, KeyError, TypeError):
            return self._failures_if_unreadable()
        if failures < 0 or not math.isfinite(last):
            return self._failures_if_unreadable()
        return failures, last

    def _failures_if_unreadable(self) -> tuple[int, float]:
        """A damaged count is read as a lockout from when it was last changed, never as none.

        Otherwise spoiling the file would be a way to reset it.
        """
        try:
            changed = self.path.stat().st_mtime
        except OSError:
            changed = self.clock()
        return self.policy.lock_after, changed

    def _write(self) -> None:
        data = json.dumps({"failures": self._failures, "last": self._last})
        temporary: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(prefix=".attempts-", dir=self.path.parent)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                os.fchmod(stream.fileno(), 0o600)
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            Path(temporary).replace(self.path)
            temporary = None
            self.problem = None
        except OSError as problem:
            self.problem = f"{self.path}: the count of wrong tries cannot be saved ({problem})"
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()
