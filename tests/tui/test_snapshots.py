"""Pictures of the key screens in both themes, compared with the approved ones in __snapshots__.

After a deliberate change to the look (or to the words in knowledge/messages/),
look at the new pictures and approve them with:
    .venv/bin/python -m pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.theme import CALM, HIGH_CONTRAST
from tests.tui.conftest import Clock

pytestmark = pytest.mark.timeout(120)

SIZE = (100, 36)
SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[Any], Clock], Awaitable[None]]


async def _welcome(pilot: Pilot[Any], clock: Clock) -> None:
    await pilot.pause()


async def _question(pilot: Pilot[Any], clock: Clock) -> None:
    await pilot.press("1", "2")


async def _outcome(pilot: Pilot[Any], clock: Clock) -> None:
    await pilot.press("2", "1")


async def _safeguarding(pilot: Pilot[Any], clock: Clock) -> None:
    await pilot.press("1", *"i want to end my life", "enter")


async def _idle_warning(pilot: Pilot[Any], clock: Clock) -> None:
    await pilot.press("1")
    app = pilot.app
    assert isinstance(app, NavigatorApp)
    app.sweep_idle(clock.advance(100))


SCREENS: dict[str, Steps] = {
    "welcome": _welcome,
    "question": _question,
    "outcome": _outcome,
    "safeguarding": _safeguarding,
    "idle_warning": _idle_warning,
}


@pytest.mark.parametrize("theme", [HIGH_CONTRAST, CALM])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_key_screens(
    snap_compare: SnapCompare,
    make_app: Callable[..., NavigatorApp],
    snapshot_kb: KnowledgeBase,
    clock: Clock,
    screen: str,
    theme: str,
) -> None:
    app = make_app(kiosk=True, theme=theme, knowledge=snapshot_kb)

    async def run_before(pilot: Pilot[Any]) -> None:
        await SCREENS[screen](pilot, clock)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
