"""The resident app and the kiosk offer Welsh on the first screen, and carry on in it.

The real app under Pilot at 80x24 and 120x40, on the demo knowledge base.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from navigator.config import Settings
from navigator.engine.events import AnswerGiven, Event, LanguageChosen
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.widgets.language_offer import LanguageOffer
from navigator.tui.widgets.quick_replies import QuickReplies
from navigator.tui.widgets.service_card import ServiceCard
from tests.engine.answer_set import path_to
from tests.support.waiting import until
from tests.support.welsh import english_on_cards
from tests.tui.screen import flat, screen_text
from tests.tui.test_answers import type_words

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


TOPICS = ["adult-social-care", "carers-support", "food-essentials", "money-debt"]


SLOW_TYPING = 30.0
"""A second digit waits this long (the `second_digit_seconds` setting), so a loaded test
machine cannot take "1" of "14" alone between two key presses; a lone digit that starts
a longer number is then taken with Enter, as the hint line tells people."""


@pytest.fixture
def welsh_app(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, settings: Settings
) -> Callable[..., NavigatorApp]:
    slow = dataclasses.replace(settings, second_digit_seconds=SLOW_TYPING)

    def build(**changes: object) -> NavigatorApp:
        return make_app(knowledge=demo_kb, settings=slow, **changes)

    return build


async def _press_choice(app: NavigatorApp, pilot: Pilot[int], number: int) -> None:
    """Press a number's digits (and Enter if they wait for a longer number on the list),
    then wait until the conversation moves."""
    before = app.conversation.state
    await pilot.press(*str(number))
    if app.screen.query_one(QuickReplies).waiting_for_second_digit:
        await pilot.press("enter")
    await until(pilot, lambda: app.conversation.state is not before)
    await pilot.pause()


@pytest.mark.parametrize(
    ("kiosk", "size"),
    [(False, (80, 24)), (False, (120, 40)), (True, (80, 24))],
)
@pytest.mark.parametrize("topic", TOPICS)
async def test_a_welsh_journey_through_each_translated_topic(
    welsh_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    topic: str,
    kiosk: bool,
    size: tuple[int, int],
) -> None:
    app = welsh_app(kiosk=kiosk)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.click("#language-cy")
        await pilot.pause()
        # The topic by its id and Welsh name (its number is read from the menu shown).
        choice = next(c for c in app.conversation.view.choices if c.key == topic)
        assert choice.label == demo_kb.topics[topic].title.get("cy")
        await _press_choice(app, pilot, choice.number)
        first = demo_kb.nodes[demo_kb.topics[topic].start]
        assert app.conversation.view.text == first.text.get("cy")
        while app.conversation.view.kind in {"question", "info"}:
            await _press_choice(app, pilot, 1)
        view = app.conversation.view
        assert view.kind in {"outcome", "unmet"}
        assert view.title in {
            demo_kb.message("engine_outcome_title", "cy"),
            demo_kb.message("engine_unmet_title", "cy"),
        }
        shown = flat(screen_text(app))
        assert view.prompt in shown  # the question under the results, in Welsh
        assert demo_kb.message("app_help", "cy") in shown or kiosk or size[0] < 100
        # Each card drawn, whether scrolled into view or not, is the service's Welsh.
        cards = list(app.screen.query(ServiceCard))
        assert cards
        assert english_on_cards(tuple(card.service for card in cards), demo_kb) == []
        for card in cards:
            drawn = " ".join(str(card.render()).split())
            service = demo_kb.services[card.service.service_id]
            assert drawn.startswith(service.name.get("cy")), drawn[:80]
            assert demo_kb.message("app_card_offers", "cy") in drawn, drawn[:200]


async def test_the_printed_page_and_qr_text_follow_welsh_and_the_next_person_starts_in_english(
    welsh_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase
) -> None:
    from navigator.tui.takeaway import printable_summary, qr_payload

    app = welsh_app(kiosk=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#language-cy")
        await pilot.pause()
        choice = next(c for c in app.conversation.view.choices if c.key == "food-essentials")
        await _press_choice(app, pilot, choice.number)
        while app.conversation.view.kind in {"question", "info"}:
            await _press_choice(app, pilot, 1)
        services = app.conversation.view.services  # type: ignore[attr-defined]
        assert services
        page = printable_summary(services, app.text)
        assert demo_kb.message("app_print_heading", "cy") in page
        assert demo_kb.message("app_print_footer", "cy") in page
        code = qr_payload(services, app.text)
        english = demo_kb.message("app_card_phone", "en").split(":")[0]  # "Phone"
        welsh = demo_kb.message("app_card_phone", "cy").split(":")[0]  # "Ffôn"
        assert f"{welsh}:" in code and f"{english}:" not in code

        await pilot.press("escape", "escape")  # leave quickly: the kiosk starts again
        await pilot.pause()
        assert app.conversation.language == "en"
        assert app.text.language == "en"
        assert app.conversation.view.title == demo_kb.message("engine_welcome_title", "en")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_welsh_words_typed_at_a_question_answer_it_and_go_back(
    welsh_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    events: list[Event],
    size: tuple[int, int],
) -> None:
    """Issue 19: "Ydy" typed at "Ydy / Nac ydy" answers it, and "yn ôl" goes back."""
    app = welsh_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.click("#language-cy")
        await pilot.pause()
        topic_id, keys = path_to(demo_kb, "asc-lives")
        for key in [topic_id, *keys]:
            choice = next(c for c in app.conversation.view.choices if c.key == key)
            await _press_choice(app, pilot, choice.number)
        assert app.conversation.view.node_id == "asc-lives"
        await type_words(app, pilot, "Ydy")
        await until(pilot, lambda: app.conversation.view.node_id != "asc-lives")
        given = [e for e in events if isinstance(e, AnswerGiven) and e.node_id == "asc-lives"]
        assert [e.option_id for e in given] == ["lives-here"]
        await type_words(app, pilot, "yn ôl")
        await until(pilot, lambda: app.conversation.view.node_id == "asc-lives")
