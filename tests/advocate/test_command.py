"""`navigator advocate` as an advocate runs it, and as `navigator serve --mode advocate` runs it.

The app runs in a real pseudo-terminal (a separate process), so these check
that the command opens advocate mode with no terminal assumptions beyond
Textual's, records the session with channel `advocate` and the site, and
refuses clearly without a site.
"""

from __future__ import annotations

import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from navigator.tui.web.server import child_command
from tests.pty_terminal import Terminal, isolated_environment, run_navigator

pytestmark = pytest.mark.timeout(90)

CTRL_Q = "\x11"


@pytest.fixture
def environment(tmp_path: Path, test_kb_dir: Path) -> dict[str, str]:
    return isolated_environment(tmp_path, test_kb_dir)


def navigator(
    *arguments: str, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return run_navigator(*arguments, env=env, stdin=stdin, timeout=60)


def test_advocate_mode_refuses_to_start_without_a_site(environment: dict[str, str]) -> None:
    finished = navigator("advocate", env=environment)
    assert finished.returncode == 1
    assert "no site is set" in finished.stderr
    assert "navigator advocate --site market-hall" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_an_unreadable_knowledge_base_is_said_plainly(
    environment: dict[str, str], tmp_path: Path
) -> None:
    finished = navigator(
        "advocate", "--site", "x", "--kb", str(tmp_path / "nothing"), env=environment
    )
    assert finished.returncode == 2
    assert "navigator advocate:" in finished.stderr and "Traceback" not in finished.stderr


def session_rows(data_dir: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "navigator.sqlite3") as database:
        return database.execute("SELECT channel, site, end_how FROM sessions").fetchall()


def test_navigator_advocate_opens_and_records_the_session(
    environment: dict[str, str], terminals: list[Terminal], tmp_path: Path
) -> None:
    terminal = Terminal(
        [sys.executable, "-m", "navigator.cli", "advocate", "--site", "market-hall"], environment
    )
    terminals.append(terminal)
    assert terminal.read_until("Site: market-hall"), terminal.output[-2000:]
    terminal.settle()
    terminal.type("1")
    assert terminal.read_until("How old are you?")
    terminal.type(CTRL_Q)
    assert terminal.read_until("Leave Navigator")  # leaving asks first
    terminal.type("y")
    assert terminal.wait(timeout=60) == 0  # leaving flushes the store
    assert session_rows(tmp_path / "data") == [("advocate", "market-hall", "abandoned")]


def test_the_browser_tab_command_opens_advocate_mode(
    environment: dict[str, str], terminals: list[Terminal], tmp_path: Path
) -> None:
    """What `navigator serve --mode advocate` runs for each tab, in a terminal of its own."""
    command = shlex.split(child_command("advocate", ["--site", "market-hall"]))
    terminal = Terminal(command, environment)
    terminals.append(terminal)
    assert terminal.read_until("Navigator for advocates"), terminal.output[-2000:]
    terminal.settle()
    terminal.type(CTRL_Q)
    assert terminal.read_until("Leave Navigator")  # leaving asks first
    terminal.type("y")
    assert terminal.wait(timeout=60) == 0  # leaving flushes the store
    assert session_rows(tmp_path / "data") == [("advocate", "market-hall", "abandoned")]
