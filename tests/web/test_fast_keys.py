"""Keys typed quickly in the browser all arrive: two at the welcome, Escape twice.

The real `navigator serve` in a real Chromium (Debian's), keys typed by Playwright
with no delay between them, as a person who knows the numbers types them.
"""

from __future__ import annotations

import pytest

from tests.web.support import browser_page, serving, wait_for, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]


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


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_enter_typed_with_a_number_that_chose_answers_nothing_more(
    free_port: int, environment: dict[str, str], size: tuple[int, int]
) -> None:
    """ "2" then Enter at once, as the Welsh journey types "9" then Enter: the Enter
    confirms the 2. It pressed the welcome's first answer (said, then asked again), and
    session 7's fix read that as "Yes" to "Do you have debts?", never seen."""
    with (
        serving(free_port, environment) as served,
        browser_page(served.url, viewport=VIEWPORTS[size]) as (page, screen),
    ):
        page.keyboard.type("2", delay=0)
        page.keyboard.press("Enter", delay=0)
        wait_for(page, screen, "Do you have debts")
        page.keyboard.press("2")  # No: the info step ("Carry on"), then the results
        wait_for(page, screen, "still worth checking")
        page.keyboard.press("1")
        wait_for_text(page, "Testborough Advice Centre")


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
