"""`navigator serve` in Welsh: `?lang=cy` starts the session in Welsh, on the demo knowledge base.

Real server, real app process per tab, real headless Chromium (skips, saying how
to enable it, when Chromium or Playwright is missing). The page's own words and
the app's follow the language; a topic chosen by its Welsh name runs in Welsh.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.kb import KnowledgeBase
from tests.web.support import browser_page, serving, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """The demo knowledge base, where Welsh is served (the other web tests use the borough)."""
    return REPO / "knowledge"


@pytest.fixture
def server(free_port: int, environment: dict[str, str]) -> Iterator[str]:
    with serving(free_port, environment) as served:
        yield served.url


def test_lang_cy_starts_in_welsh_and_a_topic_runs_in_welsh(
    server: str, demo_kb: KnowledgeBase
) -> None:
    # The prompt, not the title: with 25 topics the welcome's title scrolls above the
    # browser's terminal while the prompt over the numbered topics stays in view.
    welcome = demo_kb.message("engine_welcome_prompt", "cy")
    with browser_page(server + "?lang=cy", wait_words=welcome) as (page, screen):
        assert page.locator("html").get_attribute("lang") == "cy"
        quick_exit = page.locator("#quick-exit").inner_text()
        assert quick_exit == demo_kb.message("web_quick_exit", "cy")
        carers = demo_kb.topics["carers-support"]
        # The topic by its id and Welsh name; its number is read from the same menu.
        menu = Conversation(demo_kb, channel="web", site="web", language="cy").view.choices
        choice = next(c for c in menu if c.key == carers.id)
        assert choice.label == carers.title.get("cy")
        wait_for(page, screen, choice.label)
        for digit in str(choice.number):
            page.keyboard.press(digit)
        if choice.number >= 10:
            page.keyboard.press("Enter")
        start = demo_kb.nodes[carers.start]
        wait_for(page, screen, start.text.get("cy").split("'")[0])


def test_without_lang_the_page_starts_in_english_and_offers_welsh(
    server: str, demo_kb: KnowledgeBase
) -> None:
    welcome = demo_kb.message("engine_welcome_prompt")
    with browser_page(server, wait_words=welcome) as (page, screen):
        wait_for(page, screen, "Cymraeg")
        assert page.locator("html").get_attribute("lang") == "en"


TOPICS = ["adult-social-care", "carers-support", "food-essentials", "money-debt"]


def _shown_words(text: str) -> str:
    """A piece of a text that reaches the terminal unbroken: its first words, before
    any quote mark or the end of a short line."""
    return " ".join(text.split("'")[0].split()[:3])


def _waits(number: int, numbers: list[int]) -> bool:
    """Whether typing `number` leaves the list waiting for another digit."""
    return any(str(other).startswith(str(number)) and other != number for other in numbers)


def _first_answers(demo_kb: KnowledgeBase, topic: str) -> list[tuple[int, bool, str]]:
    """(number to press, whether Enter must follow, words of the next screen) from the
    menu to the end, taking the first answer each time, worked out by the engine."""
    conversation = Conversation(demo_kb, channel="web", site="web", language="cy")
    steps = []
    view = conversation.view
    number = next(c.number for c in view.choices if c.key == topic)
    while True:
        # Enter only where the list waits for a second digit ("1" of 10 to 19), as the
        # hint line says. After a number that chose at once ("9": no 90 on the list) an
        # Enter that reaches the app before the next question is drawn confirms the 9,
        # but one that reaches it after answers that question: which one depends on speed.
        many = _waits(number, [choice.number for choice in view.choices])
        view = conversation.choose(number)
        if view.kind in {"outcome", "unmet"}:
            services = view.services  # type: ignore[attr-defined]
            assert services, (topic, view.node_id)
            steps.append((number, many, services[0].name))
            return steps
        steps.append((number, many, _shown_words(view.text)))
        number = 1


@pytest.mark.parametrize("topic", TOPICS)
def test_a_welsh_journey_in_the_browser_ends_at_services_named_in_welsh(
    server: str, demo_kb: KnowledgeBase, topic: str
) -> None:
    """Through each translated topic to its results: the first card's name is its Welsh one."""
    steps = _first_answers(demo_kb, topic)
    name = steps[-1][2]
    service = next(s for s in demo_kb.services.values() if s.name.get("cy") == name)
    assert name != service.name.get("en")
    welcome = demo_kb.message("engine_welcome_prompt", "cy")
    first_topic = Conversation(demo_kb, channel="web", site="web", language="cy").view.choices[0]
    with browser_page(server + "?lang=cy", wait_words=welcome) as (page, screen):
        # The first topic's title: the list is drawn (on a short screen it scrolls, so a
        # topic further down may not be on screen; its number is typed all the same).
        wait_for(page, screen, _shown_words(first_topic.label))
        for number, enter, next_words in steps:
            for digit in str(number):
                page.keyboard.press(digit)
            if enter:
                page.keyboard.press("Enter")
            wait_for(page, screen, next_words)
        wait_for(page, screen, demo_kb.message("engine_outcome_title", "cy"))
