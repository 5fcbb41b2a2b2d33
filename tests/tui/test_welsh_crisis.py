"""A crisis told in Welsh mid-topic, in the resident app under Pilot (branch cymraeg).

The person chooses Cymraeg, starts a topic, and at its first question types a Welsh
disclosure that no sign spells out word for word (the Welsh reading of the signs
folds its mutations): the crisis panel opens, in Welsh.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from navigator.config import Settings
from navigator.engine.events import Event, SafeguardingShown
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.screens.safeguarding import SafeguardingScreen
from navigator.tui.widgets.own_words import OwnWords
from tests.support.waiting import until
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(90)

SAID = "mae ei chariad hi yn ei tharo hi bob nos a dwi'n poeni"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_welsh_crisis_typed_mid_topic_shows_the_welsh_panel(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    settings: Settings,
    events: list[Event],
    size: tuple[int, int],
) -> None:
    slow = dataclasses.replace(settings, second_digit_seconds=30.0)
    app = make_app(knowledge=demo_kb, settings=slow)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.click("#language-cy")
        await until(pilot, lambda: app.conversation.language == "cy")
        choices = app.conversation.view.choices
        number = str(next(c.number for c in choices if c.key == "money-debt"))
        await pilot.press(*number)  # by its id's number: the menu order is not ours
        if any(
            len(str(c.number)) > len(number) and str(c.number).startswith(number) for c in choices
        ):
            await pilot.press("enter")
        await until(pilot, lambda: app.conversation.state.node_id is not None)
        await pilot.pause()
        node = app.conversation.state.node_id
        assert node is not None
        words = app.screen.query_one(OwnWords)
        words.input.value = SAID
        words.input.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SafeguardingScreen))
        crisis = next(k for k in demo_kb.safeguarding.kinds if k.id == "domestic-abuse")  # type: ignore[union-attr]
        shown = flat(screen_text(app))
        assert crisis.title.get("cy") in shown
        assert crisis.title.get("en") not in shown
    assert [(e.crisis_kind, e.node_id) for e in events if isinstance(e, SafeguardingShown)] == [
        ("domestic-abuse", node)
    ]
