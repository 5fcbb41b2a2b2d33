"""The resident app answers a message in Polish in Polish, with the topic list, at two sizes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.engine.events import Event, UnmetNeed
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.widgets.own_words import OwnWords
from navigator.tui.widgets.quick_replies import QuickReplies
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_polish_message_is_answered_in_polish_with_the_topics(
    make_app: Callable[..., NavigatorApp],
    events: list[Event],
    test_kb: KnowledgeBase,
    size: tuple[int, int],
) -> None:
    polish = test_kb.languages["pl"]
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        words = app.screen.query_one(OwnWords)
        words.input.focus()
        words.input.value = "Potrzebuję pomocy z czynszem"
        await pilot.press("enter")
        await pilot.pause()

        shown = flat(screen_text(app))
        if size[1] >= 40:  # at 80x24 the heading has scrolled up above the words
            assert polish.title in shown
        assert polish.text in shown
        assert "Staff can arrange an interpreter" in shown
        assert polish.prompt in shown
        choices = app.screen.query_one(QuickReplies).choices
        # The topics, then a person (staff can arrange an interpreter).
        assert [choice.key for choice in choices] == [*test_kb.topics, "talk_to_person"]
        assert [choice.label for choice in choices][:-1] == [
            topic.title.get() for topic in test_kb.topics.values()
        ]

        await pilot.press("1")
        await pilot.pause()
        first = next(iter(test_kb.topics.values()))
        assert app.conversation.state.topic_id == first.id

    unmet = [event for event in events if isinstance(event, UnmetNeed)]
    assert [(event.reason, event.text) for event in unmet] == [("other_language", "pl")]
