"""A follow-up code printed for an earlier visit, typed in the browser, joins its pathway.

The earlier visit is the real `navigator chat --plain`, which prints the code
with its results (it opens the records before its first line, so the code is
always there). Weeks later, as far as the code knows, the person opens the
real `navigator serve` in a real Chromium, types the code and answers the
three questions with key presses; the answer is read from the real SQLite
file both visits share.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.plain.test_plain_chat import chat
from tests.web.support import Screen, browser_page, serving, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

CODE = re.compile(r"Follow-up code: ([A-Z]{4}-[0-9]{4})")
CURSOR_AFTER = r"\x1b\[0m\x1b\[38;2;0;0;0;48;2;255;255;0m "
"""The box's cursor, drawn in the page's default colours right after the last key typed."""


@pytest.fixture
def server(free_port: int, environment: dict[str, str]) -> Iterator[str]:
    with serving(free_port, environment) as served:
        yield served.url


def rows(database: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


def rows_once(database: Path, query: str, timeout: float = 60.0) -> list[tuple[object, ...]]:
    """The query's rows once there are any (the store copies events in the background)."""
    deadline = time.monotonic() + timeout
    found: list[tuple[object, ...]] = []
    while time.monotonic() < deadline and not found:
        try:
            found = rows(database, query) if database.exists() else []
        except sqlite3.OperationalError:  # the schema is still being created
            found = []
        if not found:
            time.sleep(0.3)
    return found


def type_echoed(page: Any, screen: Screen, words: str) -> None:
    """Type one key at a time, each once the box shows the words so far.

    Paced by the app's own echo, not by a delay. The first key moves the
    keyboard from the answers to the box: the next waits until the box shows
    that key with its cursor after it (the box has the keyboard). Typed in one
    burst at the welcome, a key was lost now and then in the browser (reported).
    """
    page.keyboard.type(words[0])
    wait_for_match(page, screen, re.compile(re.escape(words[0]) + CURSOR_AFTER))
    for end in range(2, len(words) + 1):
        page.keyboard.type(words[end - 1])
        if not words[end - 1].isspace():  # a space shows once a word follows
            wait_for(page, screen, words[:end])


def wait_for_match(page: Any, screen: Screen, pattern: re.Pattern[str]) -> None:
    deadline = time.monotonic() + 60
    while not pattern.search(screen.received):
        assert time.monotonic() < deadline, f"{pattern.pattern!r} never reached the page"
        page.wait_for_timeout(200)


def test_a_printed_code_typed_in_the_browser_joins_its_pathway(
    server: str, environment: dict[str, str], kb_dir: Path, tmp_path: Path
) -> None:
    data = Path(environment["NAVIGATOR_DATA_DIR"])
    database = data / "navigator.sqlite3"
    earlier = chat(kb_dir, b"2\n1\n", tmp_path, data_dir=data)  # money: yes -> advice centre
    assert earlier.returncode == 0, earlier.stderr
    found = CODE.search(earlier.stdout)
    assert found is not None, earlier.stdout
    code = found.group(1)
    [(pathway,)] = rows(database, "SELECT session_id FROM followup_codes")

    with browser_page(server) as (page, screen):
        wait_for(page, screen, "Been here before?")
        type_echoed(page, screen, code.lower())
        page.keyboard.press("Enter")
        wait_for(page, screen, "Did you contact the service")
        page.keyboard.press("1")  # yes
        wait_for(page, screen, "Did you get the help you needed")
        page.keyboard.press("3")  # no
        wait_for(page, screen, "What got in the way")
        page.keyboard.press("2")  # they said I could not have it
        wait_for(page, screen, "Thank you")
        page.keyboard.press("Enter")  # carry on
        wait_for(page, screen, "Money and bills")

    query = "SELECT session_id, contacted, helped, reason FROM followup_answers"
    assert rows_once(database, query) == [(pathway, 1, "no", "not_eligible")]
    assert code.encode() not in database.read_bytes(), "the code itself is never stored"


def test_been_here_before_then_the_code_in_the_browser(
    server: str, environment: dict[str, str], kb_dir: Path, tmp_path: Path
) -> None:
    """The other way in: "I have been here before" first, then the code when asked."""
    data = Path(environment["NAVIGATOR_DATA_DIR"])
    database = data / "navigator.sqlite3"
    earlier = chat(kb_dir, b"2\n1\n", tmp_path, data_dir=data)
    found = CODE.search(earlier.stdout)
    assert found is not None, earlier.stdout
    [(pathway,)] = rows(database, "SELECT session_id FROM followup_codes")

    with browser_page(server) as (page, screen):
        wait_for(page, screen, "Been here before?")
        type_echoed(page, screen, "i have been here before")
        page.keyboard.press("Enter")
        wait_for(page, screen, "Please type the follow-up code")
        type_echoed(page, screen, found.group(1))
        page.keyboard.press("Enter")
        wait_for(page, screen, "Did you contact the service")
        page.keyboard.press("2")  # no
        wait_for(page, screen, "What got in the way")
        page.keyboard.press("1")  # could not get through
        wait_for(page, screen, "Thank you")

    query = "SELECT session_id, contacted, helped, reason FROM followup_answers"
    assert rows_once(database, query) == [(pathway, 0, None, "no_answer")]
