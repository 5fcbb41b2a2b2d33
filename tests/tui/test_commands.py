"""The app's commands as a person runs them: in a real pseudo-terminal, with real keys.

These start `python -m navigator.cli` as a separate process, so they check
what unit tests cannot: that the README's `navigator` opens the app, and that
a kiosk in a real terminal ignores Ctrl+C, Ctrl+Z and Ctrl+\\ (Textual turns
off the terminal's signal keys) and leaves only with the staff key and PIN.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.pty_terminal import Terminal, isolated_environment, run_navigator
from tests.tui.conftest import STAFF_PIN

pytestmark = pytest.mark.timeout(240)

CTRL_F12 = "\x1b[24;5~"


@pytest.fixture
def environment(tmp_path: Path, test_kb_dir: Path) -> dict[str, str]:
    return isolated_environment(tmp_path, test_kb_dir)


def navigator(
    *arguments: str, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return run_navigator(*arguments, env=env, stdin=stdin, timeout=60)


def test_navigator_with_no_command_opens_the_app(
    environment: dict[str, str], terminals: list[Terminal]
) -> None:
    terminal = Terminal([sys.executable, "-m", "navigator.cli"], environment)
    terminals.append(terminal)
    assert terminal.read_until("Welcome to Navigator"), terminal.output[-2000:]
    assert terminal.read_until("Help at home")
    terminal.settle()
    terminal.type("\x11")  # Ctrl+Q leaves the resident app
    assert terminal.wait(timeout=60) == 0


def test_a_real_kiosk_ignores_signal_keys_and_leaves_with_the_staff_pin(
    environment: dict[str, str], terminals: list[Terminal]
) -> None:
    assert navigator("kiosk", "set-pin", env=environment, stdin=f"{STAFF_PIN}\n").returncode == 0
    terminal = Terminal(
        [sys.executable, "-m", "navigator.cli", "kiosk", "--site", "test-library"], environment
    )
    terminals.append(terminal)
    assert terminal.read_until("Welcome to Navigator"), terminal.output[-2000:]
    terminal.settle()
    for key in ("\x03", "\x1a", "\x1c", "\x04", "\x11", "\x10", "\x13"):  # ^C ^Z ^\ ^D ^Q ^P ^S
        terminal.type(key)
        terminal.settle(0.3)
        assert terminal.process.poll() is None, f"the kiosk stopped on {key!r}"
    terminal.type(CTRL_F12)
    assert terminal.read_until("Staff only")
    terminal.type("111222\r")
    assert terminal.read_until("That PIN is not right")
    assert terminal.process.poll() is None
    terminal.type(f"{STAFF_PIN}\r")
    assert terminal.wait(timeout=60) == 0


def test_set_pin_stores_a_hash_and_refuses_bad_pins(
    environment: dict[str, str], tmp_path: Path
) -> None:
    pin_file = tmp_path / "config" / "kiosk-pin"
    weak = navigator("kiosk", "set-pin", env=environment, stdin="1234\n1234\n")
    assert weak.returncode == 1 and "at least 6 digits" in weak.stderr
    differ = navigator("kiosk", "set-pin", env=environment, stdin="480213\n480214\n")
    assert differ.returncode == 1 and "differ" in differ.stderr
    assert not pin_file.exists()
    done = navigator("kiosk", "set-pin", env=environment, stdin="480213\n480213\n")
    assert done.returncode == 0, done.stderr
    assert str(pin_file) in done.stdout
    assert "480213" not in pin_file.read_text(encoding="ascii")


def test_kiosk_refuses_to_start_without_a_pin_or_a_site(environment: dict[str, str]) -> None:
    refused = navigator("kiosk", env=environment)
    assert refused.returncode == 1
    assert "no staff PIN is set" in refused.stderr
    assert "navigator kiosk set-pin" in refused.stderr
    assert "no site is set" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_kiosk_refuses_an_idle_warning_under_twenty_seconds(environment: dict[str, str]) -> None:
    navigator("kiosk", "set-pin", env=environment, stdin=f"{STAFF_PIN}\n{STAFF_PIN}\n")
    short = {**environment, "NAVIGATOR_IDLE_WARNING_SECONDS": "10"}
    refused = navigator("kiosk", "--site", "x", env=short)
    assert refused.returncode == 1
    assert "kiosk mode will not start" in refused.stderr
    assert "idle_warning_seconds is 10" in refused.stderr and "at least 20" in refused.stderr
    assert "WCAG 2.2.1" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize(
    "variable", ["TEXTUAL_ALLOW_SIGNALS", "TEXTUAL_SCREENSHOT", "TEXTUAL_LOG", "NAVIGATOR_DEBUG"]
)
def test_kiosk_refuses_to_start_when_lockdown_would_be_undone(
    environment: dict[str, str], variable: str
) -> None:
    navigator("kiosk", "set-pin", env=environment, stdin=f"{STAFF_PIN}\n")
    refused = navigator("kiosk", "--site", "x", env={**environment, variable: "1"})
    assert refused.returncode == 1
    assert f"{variable} is set" in refused.stderr


def test_an_unreadable_knowledge_base_is_said_plainly(
    environment: dict[str, str], tmp_path: Path
) -> None:
    missing = navigator("--kb", str(tmp_path / "nowhere"), env=environment)
    assert missing.returncode == 2
    assert "there is no such folder" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_serving_a_kiosk_checks_the_same_things_first(environment: dict[str, str]) -> None:
    refused = navigator("serve", "--mode", "kiosk", "--port", "1", env=environment)
    assert refused.returncode == 1
    assert "navigator serve: kiosk mode will not start" in refused.stderr
    assert "no staff PIN is set" in refused.stderr
