"""Keys typed quickly in the browser all arrive: two at the welcome, Escape twice.

The real `navigator serve` in a real Chromium (Debian's), keys typed by Playwright
with no delay between them, as a person who knows the numbers types them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.kb import KnowledgeBase
from tests.web.support import browser_page, serving, wait_for, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]


TERMINAL_SIZE = """() => [window.navigatorTerminal.cols, window.navigatorTerminal.rows]"""

VIEWPORTS = {
    (80, 24): {"width": 968, "height": 630},
    (120, 40): {"width": 1448, "height": 1055},
}
"""Browser windows whose terminal is about 80x24 and 120x40 (Debian chromium's font)."""


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_two_keys_typed_at_once_at_the_welcome_both_count(
    free_port: int, environment: dict[str, str], size: tuple[int, int]
) -> None:
    """The "1" answered the welcome's list, which the "2" had already left (and failed
    every time before the fix: not a matter of speed, but of the order messages run in).
    Now keys typed while a choice is on its way wait for the list it leads to."""
    viewport = VIEWPORTS[size]
    with (
        serving(free_port, environment) as served,
        browser_page(served.url, viewport=viewport) as (page, _screen),
    ):
        columns, rows = page.evaluate(TERMINAL_SIZE)
        print(f"terminal {columns}x{rows} for {size}")
        assert abs(columns - size[0]) <= 4 and abs(rows - size[1]) <= 2, (columns, rows)
        page.keyboard.type("21", delay=0)  # money; "Do you have debts?" yes
        wait_for_text(page, "Testborough Advice Centre")


# "2" then Enter typed at once is tested under Pilot (tests/tui/test_resident_keys.py),
# where the two keys reach the app in one read. In the browser they are two presses, and
# whether the Enter arrives before the next question is drawn (it confirms the 2) or
# after (it answers that question) depends on the machine's speed: not a browser test.


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_topic_and_its_first_answer_typed_at_once_in_welsh(
    free_port: int, environment: dict[str, str], demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    """The Welsh journey through food, typed in one go by someone who knows the numbers:
    "9" (food: no 90, so it chooses at once), then "1" for the question it leads to."""
    conversation = Conversation(demo_kb, channel="web", site="web", language="cy")
    food = next(c for c in conversation.view.choices if c.key == "food-essentials")
    question = conversation.choose(food.number)
    after = conversation.choose(1)
    environment = {**environment, "NAVIGATOR_KNOWLEDGE": str(REPO / "knowledge")}
    welcome = demo_kb.message("engine_welcome_prompt", "cy")
    with (
        serving(free_port, environment) as served,
        browser_page(served.url + "?lang=cy", wait_words=welcome, viewport=VIEWPORTS[size]) as (
            page,
            screen,
        ),
    ):
        page.keyboard.type(f"{food.number}1", delay=0)
        wait_for(page, screen, _first_words(after.text))
        assert after.node_id != question.node_id


def _first_words(text: str) -> str:
    return " ".join(text.split("'")[0].split()[:3])


NEUTRAL = "https://www.bbc.co.uk/weather"


@pytest.mark.parametrize("where", ["welcome", "question"])
def test_escape_twice_with_no_pause_leaves_quickly(
    free_port: int, environment: dict[str, str], where: str
) -> None:
    with serving(free_port, environment) as served, browser_page(served.url) as (page, _screen):
        page.context.route(
            f"{NEUTRAL}*",
            lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"),
        )
        if where == "question":
            page.keyboard.type("2", delay=0)
            wait_for_text(page, "Do you have debts")
        page.keyboard.press("Escape", delay=0)
        page.keyboard.press("Escape", delay=0)
        page.wait_for_url(f"{NEUTRAL}*", timeout=20_000)
