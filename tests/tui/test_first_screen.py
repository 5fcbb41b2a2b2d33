"""What a first-time resident sees without scrolling, on the demo borough.

At 80x24 the welcome's list of 26 topics took every line the conversation had,
and the welcome itself ("Welcome to Navigator") was above the fold. The screen's
visible region is read as text: the title, the language offer, the first numbered
topics and the box for own words must all be there at once, at a kiosk (with the
follow-up note that records add) and on the desktop.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from tests.support.waiting import until
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(90)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kiosk", [False, True], ids=["resident", "kiosk"])
async def test_the_welcome_title_languages_and_first_topics_are_in_view(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    size: tuple[int, int],
    kiosk: bool,
) -> None:
    app = make_app(knowledge=demo_kb, kiosk=kiosk, record=kiosk, store_check_seconds=3600)
    title = demo_kb.message("engine_welcome_title", "en")
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: title in flat(screen_text(app)))
        shown = screen_text(app)
        lines = shown.splitlines()
        assert len(lines) == size[1]
        assert "English" in shown and "Cymraeg" in shown
        assert "1  Care and support for adults" in shown
        assert "2  Support for carers" in shown
        assert "Or tell me in your own words" in shown
        # In that order, top to bottom: title, then the topics, then the box.
        at = {
            words: next(i for i, line in enumerate(lines) if words in line)
            for words in (title, "1  Care and support", "Or tell me in your own words")
        }
        assert at[title] < at["1  Care and support"] < at["Or tell me in your own words"]


@pytest.mark.parametrize("kiosk", [False, True], ids=["resident", "kiosk"])
async def test_in_welsh_too_the_welcome_title_stays_in_view_at_80x24(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, kiosk: bool
) -> None:
    """Welsh is longer: its welcome and hint take a line more each, and took the title."""
    app = make_app(knowledge=demo_kb, kiosk=kiosk, record=kiosk, store_check_seconds=3600)
    title = demo_kb.message("engine_welcome_title", "cy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#language-cy")
        await until(pilot, lambda: app.text.language == "cy")
        await until(pilot, lambda: title in flat(screen_text(app)))
        shown = screen_text(app)
        assert "English" in shown and "Cymraeg" in shown
        assert "1  Gofal a chymorth i oedolion" in shown
        assert demo_kb.message("app_own_words_label", "cy") in flat(shown)
