"""Knowing when a kiosk has been left: time since the last input, checked by a sweep.

`Timer.reset()` only takes effect when the timer's current sleep ends, so a
timeout built on it fires anywhere between one and two delays. Instead the
app records the time of each input (`touch`) and sweeps once a second; the
sweep takes `now` as an argument, so tests pass a chosen time instead of
sleeping, and the clock is whatever the app was given.

The guard is disarmed after a session is wiped and armed again by the next
input, so a kiosk nobody is using does not time out (and record an empty
session) every two minutes all night.

WCAG 2.2.1 asks for a warning at least 20 seconds before the end that one
simple action can extend, as often as the person needs: `warning_seconds`
defaults to 30, and any input resets the whole timeout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

IdlePhase = Literal["active", "warning", "expired"]


@dataclass(frozen=True)
class IdleState:
    phase: IdlePhase
    seconds_left: int = 0
    """While warning: whole seconds until the session is wiped (rounded up)."""


class IdleGuard:
    """Time since the last input, against a timeout and a warning period after it."""

    def __init__(self, *, timeout_seconds: float, warning_seconds: float, now: float) -> None:
        if timeout_seconds <= 0 or warning_seconds <= 0:
            raise ValueError("idle timeout and warning must both be more than 0 seconds")
        self.timeout_seconds = timeout_seconds
        self.warning_seconds = warning_seconds
        self.last_input = now
        self.armed = False

    def touch(self, now: float) -> None:
        """The person did something: the whole timeout starts again."""
        self.last_input = max(self.last_input, now)
        self.armed = True

    def disarm(self, now: float) -> None:
        """A fresh session on screen: no timeout until someone uses it."""
        self.last_input = max(self.last_input, now)
        self.armed = False

    def sweep(self, now: float) -> IdleState:
        """Where the idle timeout stands at `now`."""
        if not self.armed:
            return IdleState("active")
        idle = now - self.last_input
        if idle < self.timeout_seconds:
            return IdleState("active")
        left = self.timeout_seconds + self.warning_seconds - idle
        if left > 0:
            return IdleState("warning", math.ceil(left))
        return IdleState("expired")
