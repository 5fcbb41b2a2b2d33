"""Pictures of advocate mode, compared with the approved ones in __snapshots__.

The main screen part-way through a topic, and the reasoning panel at a result
where every kind of fit appears (open, waiting list, closed, ruled out by a
rule, by area, and not asked). After a deliberate change to the look or the
words in knowledge/messages/, look at the new pictures and approve them with:
    .venv/bin/python -m pytest tests/advocate/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from navigator.tui.advocate.app import AdvocateApp

pytestmark = pytest.mark.timeout(120)

SIZE = (140, 42)
SnapCompare = Callable[..., bool]


def test_main_screen_part_way_through_a_topic(
    snap_compare: SnapCompare, make_app: Callable[..., AdvocateApp]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "2")  # Help at home; 65 or over
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_reasoning_panel_at_a_result(
    snap_compare: SnapCompare, make_app: Callable[..., AdvocateApp]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "1", "1")  # Help at home; under 65; TB1
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
