"""A screen reader finds the conversation: the page's accessibility tree holds its text.

The terminal draws on a canvas; with xterm.js's screen-reader mode on (see
navigator/tui/web/script.py) it keeps every row of the screen as text in
the page, which is what Chromium's accessibility tree, and so a screen
reader, reads. axe-core (vendored in tests/web/vendor, MPL-2.0) checks the
page for serious accessibility faults.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.support import browser_page, serving, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"


@pytest.fixture
def server(free_port: int, environment: dict[str, str]) -> Iterator[str]:
    with serving(free_port, environment) as served:
        yield served.url


def _accessible_text(page: object) -> str:
    """What a screen reader can reach: Chromium's accessibility tree, as text."""
    snapshot: str = page.locator("body").aria_snapshot()  # type: ignore[attr-defined]
    return snapshot


def _wait_for_accessible(page: object, words: str) -> str:
    for _ in range(50):
        text = _accessible_text(page)
        if words in text:
            return text
        page.wait_for_timeout(200)  # type: ignore[attr-defined]
    raise AssertionError(f"{words!r} is not in the accessibility tree: {text[-1500:]}")


def test_the_question_and_its_options_are_in_the_accessibility_tree(server: str) -> None:
    with browser_page(server) as (page, screen):
        welcome = _wait_for_accessible(page, "Money and bills")
        assert "Help at home" in welcome
        page.keyboard.press("1")
        wait_for(page, screen, "How old are you?")
        question = _wait_for_accessible(page, "How old are you?")
        for option in ("Under 65", "65 or over"):
            assert option in question
        assert "Leave this page quickly" in question


def test_the_page_has_no_serious_accessibility_faults(server: str) -> None:
    with browser_page(server) as (page, screen):
        page.keyboard.press("1")
        wait_for(page, screen, "How old are you?")
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document)")
    serious = [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} places)"
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []
    assert results["passes"]  # axe did run its rules
