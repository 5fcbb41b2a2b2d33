"""`navigator serve` in a real headless Chromium: answer a question, see the next, stay offline.

Skips, saying how to enable it, when Chromium or Playwright is missing
(`.ci/run` installs both). Nothing is faked: the server is the real command,
each tab runs the real app in its own process, and the page is driven with
key presses. What the app draws travels over the page's websocket, so the
test reads the words there (xterm.js paints them on a canvas).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.web.support import (
    CHROMIUM_ARGS,
    Screen,
    browser_page,
    chromium_or_skip,
    serving,
)
from tests.web.support import wait_for as _wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture
def server(free_port: int, environment: dict[str, str]) -> Iterator[str]:
    with serving(free_port, environment) as served:
        yield served.url


@pytest.fixture
def kiosk_server(free_port: int, environment: dict[str, str]) -> Iterator[str]:
    set_pin = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "kiosk", "set-pin"],
        input="480213\n",
        text=True,
        env=environment,
        capture_output=True,
        check=False,
    )
    assert set_pin.returncode == 0, set_pin.stderr
    with serving(free_port, environment, "--mode", "kiosk", "--site", "web-kiosk") as served:
        yield served.url


def _rows_once_stored(
    database: Path, query: str, wanted: tuple[object, ...], timeout: float = 60.0
) -> list[tuple[object, ...]]:
    """The query's rows once `wanted` is among them (the store copies events in the background)."""
    deadline = time.monotonic() + timeout
    rows: list[tuple[object, ...]] = []
    while time.monotonic() < deadline:
        if database.exists():
            try:
                with sqlite3.connect(database) as connection:
                    rows = connection.execute(query).fetchall()
            except sqlite3.OperationalError:  # the schema is still being created
                rows = []
            if wanted in rows:
                break
        time.sleep(0.3)
    return rows


def test_answer_a_question_in_a_browser_without_the_internet(server: str, tmp_path: Path) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import WebSocket, sync_playwright

    requests: list[str] = []
    screen = Screen()

    def watch_socket(socket_: WebSocket) -> None:
        requests.append(socket_.url)
        socket_.on("framereceived", screen.add)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("websocket", watch_socket)
            page.goto(server)
            _wait_for(page, screen, "Welcome to Navigator")
            _wait_for(page, screen, "Help at home")
            page.wait_for_timeout(500)
            page.screenshot(path=str(tmp_path / "welcome.png"))
            page.click("#terminal", position={"x": 4, "y": 4})  # the title line: harmless
            page.keyboard.press("1")
            _wait_for(page, screen, "How old are you?")
            page.keyboard.press("2")
            _wait_for(page, screen, "Where do you live?")
            page.wait_for_timeout(500)
            page.screenshot(path=str(tmp_path / "question.png"))
            page.close()
        finally:
            browser.close()

    assert (tmp_path / "question.png").stat().st_size > 10_000
    hosts = {urlparse(url).hostname for url in requests}
    assert hosts == {"127.0.0.1"}, f"requests left this machine: {sorted(set(requests))}"
    assert any(url.endswith(".ttf") for url in requests)  # the font came from us


_at_the_welcome = browser_page


def test_the_browser_session_is_recorded_as_web(
    server: str, tmp_path: Path, environment: dict[str, str]
) -> None:
    with _at_the_welcome(server) as (page, screen):
        page.keyboard.press("2")
        _wait_for(page, screen, "Do you have debts")

    database = Path(environment["NAVIGATOR_DATA_DIR"]) / "navigator.sqlite3"
    query = "SELECT channel, topic_id FROM sessions"
    assert ("web", "money") in _rows_once_stored(database, query, ("web", "money"))


def test_a_browser_kiosk_is_locked_down_and_recorded_as_a_kiosk(
    kiosk_server: str, environment: dict[str, str]
) -> None:
    with _at_the_welcome(kiosk_server) as (page, screen):
        for key in ("Control+c", "Control+q", "Control+z"):
            page.keyboard.press(key)
        page.keyboard.press("2")
        _wait_for(page, screen, "Do you have debts")

    database = Path(environment["NAVIGATOR_DATA_DIR"]) / "navigator.sqlite3"
    query = "SELECT channel, site, topic_id FROM sessions"
    wanted = ("kiosk", "web-kiosk", "money")
    assert wanted in _rows_once_stored(database, query, wanted)
