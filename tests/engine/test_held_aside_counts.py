"""The held-aside floors fail with counts alone (session 11): a plain assert on a report's
figures made pytest show the report, held-aside texts and all."""

from __future__ import annotations

import pytest

from tests.support.held_aside import CountsOnly


def test_a_missed_floor_fails_with_the_counts_and_nothing_else() -> None:
    missed = ["a held-aside text that must never be shown"]
    floors = CountsOnly("crisis_holdout99.yaml")
    floors.at_least("caught", 172 - len(missed) + 1, 173, 181)
    floors.at_most("alarms", 36, 32, 137)
    floors.at_least("the right kind", 150, 148)
    with pytest.raises(pytest.fail.Exception) as failure:
        floors.check()
    message = str(failure.value)
    assert message == (
        "crisis_holdout99.yaml (held aside): caught 172/181, floor 173; alarms 36/137, ceiling 32"
    )
    assert missed[0] not in message
    assert failure.value.pytrace is False  # no traceback, so no expression is explained


def test_floors_that_hold_pass_quietly() -> None:
    floors = CountsOnly("stories_holdout99.yaml")
    floors.at_least("top-3", 132, 132, 140)
    floors.at_most("one need offered as two", 11, 11)
    floors.check()
