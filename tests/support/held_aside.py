"""Floors on the held-aside sets, checked without ever showing a held-aside text.

A held-aside set is worth something only while nobody who tunes reads it. A plain `assert
report.caught >= FLOOR` shows, on failure, pytest's account of every name in the expression,
and a report's account lists its texts (session 11 found the held-aside floors printing
held-aside texts so). `CountsOnly` gathers every floor of one set and fails once, with the
counts alone and no traceback (`pytest.fail(pytrace=False)`), so nothing else is shown.
"""

from __future__ import annotations

import pytest


class CountsOnly:
    """The floors of one held-aside set, checked together: `at_least`, `at_most`, `check`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.failures: list[str] = []

    def at_least(self, what: str, found: int, floor: int, total: int | None = None) -> None:
        """`found` (of `total`, when given) must be at least `floor`."""
        if found < floor:
            of = f"/{total}" if total is not None else ""
            self.failures.append(f"{what} {found}{of}, floor {floor}")

    def at_most(self, what: str, found: int, ceiling: int, total: int | None = None) -> None:
        """`found` (of `total`, when given) must be at most `ceiling`."""
        if found > ceiling:
            of = f"/{total}" if total is not None else ""
            self.failures.append(f"{what} {found}{of}, ceiling {ceiling}")

    def check(self) -> None:
        """Fail once with every count that missed its floor, and nothing else."""
        if self.failures:
            pytest.fail(f"{self.name} (held aside): " + "; ".join(self.failures), pytrace=False)
