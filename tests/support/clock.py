"""A clock the tests move by hand, so idle timeouts are never slept on."""

from __future__ import annotations


class Clock:
    """Seconds that pass only when a test calls `advance`."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now
