"""Fixtures for the resident app's tests: the test borough on disk, the real app.

The borough, settings, events, clock and app config come from tests/conftest.py,
shared with advocate mode's tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from navigator.engine.events import Event
from navigator.kb import KnowledgeBase
from navigator.tui.app import AppConfig, KioskApp, NavigatorApp
from navigator.tui.kiosk.pin import hash_pin
from tests.support.clock import Clock as Clock
from tests.support.kb import load_ok, write_test_borough_variant

STAFF_PIN = "480213"


@pytest.fixture
def make_app(
    app_config: Callable[..., AppConfig], clock: Clock
) -> Iterator[Callable[..., NavigatorApp]]:
    """Build the resident app (or, with kiosk=True, the kiosk) on the test borough."""

    def build(*, kiosk: bool = False, **changes: object) -> NavigatorApp:
        options: dict[str, object] = {
            "channel": "kiosk" if kiosk else "resident",
            "clock": clock,
            "idle": kiosk,
        }
        options.update(changes)
        config = app_config(**options)
        if kiosk:
            return KioskApp(config, hash_pin(STAFF_PIN))
        return NavigatorApp(config)

    yield build


def _as_the_pictures_were_drawn(borough: dict[str, Any]) -> None:
    """Take out the housing topic and the TB2 answer, which joined after the pictures."""
    borough["topics"] = [topic for topic in borough["topics"] if topic["id"] != "housing"]
    borough["nodes"] = [node for node in borough["nodes"] if not node["id"].startswith("housing")]
    for node in borough["nodes"]:
        if node["id"] == "care-where":
            node["options"] = [option for option in node["options"] if option["id"] != "tb2"]


@pytest.fixture(scope="session")
def snapshot_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The test borough as the kiosk's approved pictures show it: two topics, two districts.

    The pictures in __snapshots__ were approved on the resident app's own borough,
    before it became one with advocate mode's. Redrawing them would hide a real
    change to the look among data changes, so they keep the borough they show:
    the shared one less the housing topic and the TB2 answer.
    """
    root = tmp_path_factory.mktemp("snapshot-kb")
    return load_ok(write_test_borough_variant(root, _as_the_pictures_were_drawn))


def kinds(events: list[Event]) -> list[str]:
    return [event.kind for event in events]
