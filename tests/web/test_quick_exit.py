"""Quick exit in the browser: Escape twice, or "Leave this page quickly", clears at once.

Outside a kiosk the page is replaced (in the history too) by a neutral page
and the session's app process ends, so nothing of the conversation is left
to find. At a kiosk the person cannot be let out, so it clears to a fresh
welcome instead.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.web.support import browser_page, serving, wait_for, wait_for_text, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

NEUTRAL = "https://www.bbc.co.uk/weather"


def _neutral_page_offline(page: object) -> None:
    page.context.route(  # type: ignore[attr-defined]
        f"{NEUTRAL}*",
        lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"),
    )


@pytest.mark.parametrize("how", ["escape twice", "the link"])
def test_quick_exit_leaves_for_a_neutral_page_and_ends_the_session(
    free_port: int, environment: dict[str, str], how: str
) -> None:
    with serving(free_port, environment) as served, browser_page(served.url) as (page, screen):
        _neutral_page_offline(page)
        page.keyboard.press("2")
        wait_for(page, screen, "Do you have debts")
        (app,) = served.apps
        if how == "escape twice":
            page.keyboard.press("Escape")
            page.keyboard.press("Escape")
        else:
            page.get_by_role("link", name="Leave this page quickly").click()
        page.wait_for_url(f"{NEUTRAL}*", timeout=10_000)
        wait_until(lambda: app not in served.apps, 20, "the session's app process ending")
        page.go_back()
        assert not page.url.startswith(served.url)  # the history does not lead back


def test_one_escape_does_not_leave(free_port: int, environment: dict[str, str]) -> None:
    with serving(free_port, environment) as served, browser_page(served.url) as (page, _screen):
        app = served.apps
        page.keyboard.press("Escape")
        page.wait_for_timeout(1500)
        page.keyboard.press("Escape")  # two presses, but far apart
        page.wait_for_timeout(1500)
        assert page.url.startswith(served.url)
        assert served.apps == app
        wait_for_text(page, "Money and bills")


def test_at_a_kiosk_quick_exit_clears_to_the_welcome(
    free_port: int, environment: dict[str, str]
) -> None:
    set_pin = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "kiosk", "set-pin"],
        input="480213\n",
        text=True,
        env=environment,
        capture_output=True,
        check=False,
    )
    assert set_pin.returncode == 0, set_pin.stderr
    flags = ("--mode", "kiosk", "--site", "web-kiosk")
    with (
        serving(free_port, environment, *flags) as served,
        browser_page(served.url) as (page, _screen),
    ):
        page.keyboard.press("2")
        wait_for_text(page, "Do you have debts")
        (app,) = served.apps
        leave = page.get_by_role("link", name="Leave this page quickly")
        assert leave.get_attribute("href") == "./"  # even without the script, it stays here
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        wait_until(lambda: app not in served.apps, 20, "the old session's app process ending")
        welcome = wait_for_text(page, "Money and bills")
        assert "Do you have debts" not in welcome
        assert page.url.startswith(served.url)
