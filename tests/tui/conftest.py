"""Fixtures for the resident app's tests: the test borough on disk, the real app.

The borough, settings, events, clock and app config come from tests/conftest.py,
shared with advocate mode's tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
from textual.pilot import Pilot

from navigator.engine.events import Event
from navigator.kb import KnowledgeBase
from navigator.tui.app import AppConfig, KioskApp, NavigatorApp
from navigator.tui.kiosk.pin import hash_pin
from tests.support.clock import Clock as Clock
from tests.support.kb import load_ok, write_test_borough_variant
from tests.support.waiting import press_and_wait

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


@pytest.fixture
def demo_app(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase
) -> Callable[..., NavigatorApp]:
    """Build the resident app on the demo knowledge base (25 topics: two-digit answers)."""

    def build(**changes: object) -> NavigatorApp:
        return make_app(knowledge=demo_kb, **changes)

    return build


RunningApp = AbstractAsyncContextManager[tuple[NavigatorApp, Pilot[int]]]


@pytest.fixture
def at_care_results(make_app: Callable[..., NavigatorApp]) -> Callable[..., RunningApp]:
    """Run the app at a size with the test borough's care results on screen (care, 65 or
    over, TB1: Testborough Home Help first), as several tests at both sizes start.

    Each answer is pressed once the one before has been taken, so the next digit cannot
    reach the question it answers before that question is there, however busy the machine.
    """

    @asynccontextmanager
    async def run(
        size: tuple[int, int], **changes: object
    ) -> AsyncIterator[tuple[NavigatorApp, Pilot[int]]]:
        app = make_app(**changes)
        async with app.run_test(size=size) as pilot:
            for key, then in (("1", "question"), ("2", "question"), ("1", "outcome")):
                await _answer(app, pilot, key, then)
            await pilot.pause()
            yield app, pilot

    return run


async def _answer(app: NavigatorApp, pilot: Pilot[int], key: str, then: str) -> None:
    """Press `key` and wait until the conversation has moved to a view of kind `then`."""
    await press_and_wait(pilot, app, key)
    assert app.conversation.view.kind == then


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
