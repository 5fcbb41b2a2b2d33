"""`navigator serve` in a real headless Chromium: answer a question, see the next, stay offline.

Skips, saying how to enable it, when Chromium or Playwright is missing
(`.ci/run` installs both). Nothing is faked: the server is the real command,
each tab runs the real app in its own process, and the page is driven with
key presses. What the app draws travels over the page's websocket, so the
test reads the words there (xterm.js paints them on a canvas).
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium_or_skip() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium is not installed: install Debian's chromium package "
            "(apt-get install chromium) to run the browser test"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -e '.[test]'")
    return CHROMIUM


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"navigator serve stopped: {output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"navigator serve did not listen on {port} within {timeout} s")


@pytest.fixture
def server(free_port: int, environment: dict[str, str]) -> Iterator[str]:
    yield from _serve(free_port, environment)


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
    yield from _serve(free_port, environment, "--mode", "kiosk", "--site", "web-kiosk")


def _serve(port: int, environment: dict[str, str], *flags: str) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "navigator.cli", "serve", "--port", str(port), *flags],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    free_port = port
    try:
        _wait_for_port(free_port, process)
        yield f"http://127.0.0.1:{free_port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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


class Screen:
    """Everything the app process has sent to the page, as text."""

    def __init__(self) -> None:
        self.received = ""

    def add(self, payload: str | bytes) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        self.received += text


def _wait_for(page: object, screen: Screen, words: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if words in screen.received:
            return
        page.wait_for_timeout(200)  # type: ignore[attr-defined]
    raise AssertionError(f"{words!r} never reached the page; last: {screen.received[-500:]!r}")


def test_answer_a_question_in_a_browser_without_the_internet(server: str, tmp_path: Path) -> None:
    chromium = _chromium_or_skip()
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


@contextmanager
def _at_the_welcome(url: str) -> Iterator[tuple[Any, Screen]]:
    """A real Chromium page on `url`, showing the welcome, with the keyboard in the terminal.

    Yields the page and what the app has sent it; the browser is closed afterwards.
    """
    chromium = _chromium_or_skip()
    from playwright.sync_api import WebSocket, sync_playwright

    screen = Screen()

    def watch_socket(socket_: WebSocket) -> None:
        socket_.on("framereceived", screen.add)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("websocket", watch_socket)
            page.goto(url)
            _wait_for(page, screen, "Money and bills")
            page.click("#terminal", position={"x": 4, "y": 4})  # the title line: harmless
            yield page, screen
            page.close()
        finally:
            browser.close()


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
