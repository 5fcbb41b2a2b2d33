"""The resident app and the kiosk offer Welsh on the first screen, and carry on in it.

The real app under Pilot at 80x24 and 120x40, on the demo knowledge base.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.engine.events import Event, LanguageChosen
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.widgets.language_offer import LanguageOffer
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(90)


@pytest.mark.parametrize("kiosk", [False, True])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_pressing_cymraeg_on_the_first_screen_carries_on_in_welsh(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    events: list[Event],
    size: tuple[int, int],
    kiosk: bool,
) -> None:
    app = make_app(knowledge=demo_kb, kiosk=kiosk)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        offer = app.screen.query_one(LanguageOffer)
        assert offer.display
        shown = flat(screen_text(app))
        assert "English" in shown and "Cymraeg" in shown
        await pilot.click("#language-cy")
        await pilot.pause()
        assert app.conversation.language == "cy"
        assert app.text.language == "cy"  # every word the app itself shows
        shown = flat(screen_text(app))
        if size[1] >= 40:  # at 80x24 the heading has scrolled up above the topics
            assert demo_kb.message("engine_welcome_title", "cy") in shown
    assert [e.language for e in events if isinstance(e, LanguageChosen)] == ["cy"]
