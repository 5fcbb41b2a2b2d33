"""Websites and email addresses on the cards are links in the browser (not at a kiosk)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.web.support import browser_page, serving, wait_for, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

WEBSITE = "https://testborough.example/home_help"
EMAIL = "care@testborough.example"
TALL = {"width": 1280, "height": 1800}
"""Results open scrolled to their end (issue 13): a tall page shows the first card too."""


@pytest.fixture
def email_on_a_card(kb_dir: Path) -> None:
    """Give Testborough Home Help an email address beside its website."""
    borough = kb_dir / "borough.yaml"
    text = borough.read_text(encoding="utf-8")
    website_line = f"      website: {WEBSITE}\n"
    assert website_line in text
    borough.write_text(
        text.replace(website_line, website_line + f"      email: {EMAIL}\n"), encoding="utf-8"
    )


def _at_the_results(page: object, screen: object) -> None:
    for key, words in (("1", "How old are you?"), ("2", "Where do you live?")):
        page.keyboard.press(key)  # type: ignore[attr-defined]
        wait_for(page, screen, words)  # type: ignore[arg-type]
    page.keyboard.press("1")  # type: ignore[attr-defined]
    wait_for_text(page, EMAIL)


@pytest.mark.usefixtures("email_on_a_card")
def test_a_cards_website_and_email_are_links(free_port: int, environment: dict[str, str]) -> None:
    with (
        serving(free_port, environment) as served,
        browser_page(served.url, viewport=TALL) as (page, screen),
    ):
        _at_the_results(page, screen)
        website = page.get_by_role("link", name=WEBSITE)
        website.wait_for(timeout=10_000)
        assert website.get_attribute("href") == WEBSITE
        email = page.get_by_role("link", name=EMAIL)
        assert email.get_attribute("href") == f"mailto:{EMAIL}"
        page.context.route(f"{WEBSITE}*", lambda route: route.fulfill(body="the website"))
        with page.expect_popup() as popup:
            website.click()
        popup.value.wait_for_load_state()
        assert popup.value.url == WEBSITE  # a click goes where the link says


@pytest.mark.usefixtures("email_on_a_card")
def test_a_kiosk_shows_no_links_out(free_port: int, environment: dict[str, str]) -> None:
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
        browser_page(served.url, viewport=TALL) as (page, screen),
    ):
        _at_the_results(page, screen)
        page.wait_for_timeout(1000)
        assert page.get_by_role("link", name=WEBSITE).count() == 0
        assert page.locator("a[href^='mailto:']").count() == 0
