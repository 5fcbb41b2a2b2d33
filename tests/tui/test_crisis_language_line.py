"""A crisis said in Polish in the resident app under Pilot (session 11, branch signslang).

The panel's own words are English; the line from `languages.yaml` (`crisis`) in the
language the crisis was said in opens it, so the person reads where to turn.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.screens.safeguarding import SafeguardingScreen
from navigator.tui.widgets.own_words import OwnWords
from tests.support.waiting import until
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(90)

SAID = "mąż mnie bije, boję się wrócić do domu"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_crisis_said_in_polish_opens_the_panel_with_the_polish_line(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        words = app.screen.query_one(OwnWords)
        words.input.value = SAID
        words.input.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SafeguardingScreen))
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "999" in shown
        first_words = " ".join(demo_kb.languages["pl"].crisis.split()[:4])
        assert first_words in shown
