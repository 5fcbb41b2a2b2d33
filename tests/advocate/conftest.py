"""Fixtures for advocate mode's tests: the test borough on disk, the real app.

The borough, settings, events and app config come from tests/conftest.py,
shared with the resident app's tests; advocate mode runs at its own site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.tui.advocate.app import AdvocateApp
from navigator.tui.app import AppConfig
from navigator.tui.theme import CALM

TODAY = dt.date(2026, 3, 3)
SITE = "market-hall"


@pytest.fixture
def site() -> str:
    return SITE


@pytest.fixture
def make_app(app_config: Callable[..., AppConfig], tmp_path: Path) -> Callable[..., AdvocateApp]:
    """Build advocate mode on the test borough; records off unless `record=True`."""

    def build(**changes: object) -> AdvocateApp:
        options: dict[str, object] = {"channel": "advocate", "theme": CALM}
        options.update(changes)
        return AdvocateApp(app_config(**options), today=lambda: TODAY, home=tmp_path)

    return build
