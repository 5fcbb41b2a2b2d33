"""`--language` on the commands that open sessions, and the refusal of a language not served.

Issue 19: `navigator --language cy` (the resident app), `navigator kiosk
--language cy` and `navigator serve --language cy` start every session in Welsh;
a language the knowledge base is not written in (`served: true`) is refused at
start by `commands/loading.py::language_refused`, saying which languages it is
written in. Real processes: the apps in a real pseudo-terminal, the refusals as
a person would meet them, on the demo knowledge base.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from navigator.cli import build_parser
from navigator.commands.app import _forwarded_flags
from navigator.kb import KnowledgeBase
from tests.pty_terminal import Terminal, isolated_environment, run_navigator
from tests.tui.conftest import STAFF_PIN

pytestmark = pytest.mark.timeout(240)

DEMO = Path(__file__).resolve().parents[2] / "knowledge"
REFUSED = "the language 'pl' cannot be used: this knowledge base is written in en, cy"


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    return isolated_environment(tmp_path, DEMO)


def navigator(
    *arguments: str, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return run_navigator(*arguments, env=env, stdin=stdin, timeout=120)


def test_the_resident_app_refuses_a_language_the_knowledge_base_is_not_written_in(
    environment: dict[str, str],
) -> None:
    refused = navigator("--language", "pl", env=environment)
    assert refused.returncode != 0
    assert f"navigator: {REFUSED}" in refused.stderr
    assert "served: true" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_the_kiosk_refuses_a_language_the_knowledge_base_is_not_written_in(
    environment: dict[str, str],
) -> None:
    assert navigator("kiosk", "set-pin", env=environment, stdin=f"{STAFF_PIN}\n").returncode == 0
    refused = navigator("kiosk", "--site", "library", "--language", "pl", env=environment)
    assert refused.returncode != 0
    assert f"navigator kiosk: {REFUSED}" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_serve_refuses_a_language_before_serving(environment: dict[str, str]) -> None:
    refused = navigator("serve", "--language", "pl", "--port", "1", env=environment)
    assert refused.returncode != 0
    assert f"navigator serve: {REFUSED}" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_language_setting_not_served_is_refused_too(
    environment: dict[str, str], tmp_path: Path
) -> None:
    """The `language` setting in config.toml is checked like the flag."""
    config = tmp_path / "config.toml"
    config.write_text('language = "pl"\n', encoding="utf-8")
    refused = navigator("chat", "--plain", env={**environment, "NAVIGATOR_CONFIG": str(config)})
    assert refused.returncode != 0
    assert REFUSED in refused.stderr


def test_serve_gives_each_tab_the_language() -> None:
    """Each browser tab is its own process: `serve --language cy` passes the flag on."""
    arguments = build_parser().parse_args(["serve", "--language", "cy", "--site", "library"])
    assert _forwarded_flags(arguments) == ["--site", "library", "--language", "cy"]
    assert build_parser().parse_args(["kiosk", "--language", "cy"]).language == "cy"
    assert build_parser().parse_args(["--language", "cy"]).language == "cy"


def test_the_resident_app_starts_in_welsh_with_language_cy(
    environment: dict[str, str], terminals: list[Terminal], demo_kb: KnowledgeBase
) -> None:
    terminal = Terminal([sys.executable, "-m", "navigator.cli", "--language", "cy"], environment)
    terminals.append(terminal)
    welcome = demo_kb.message("engine_welcome_title", "cy")
    assert terminal.read_until(welcome), terminal.output[-2000:]
    terminal.settle()
    terminal.type("\x11")  # Ctrl+Q leaves the resident app
    assert terminal.wait(timeout=60) == 0


def test_a_browser_tab_of_serve_language_cy_starts_in_welsh(
    environment: dict[str, str], terminals: list[Terminal], demo_kb: KnowledgeBase
) -> None:
    """The process `serve` starts for each tab, with the flags it forwards."""
    command = [sys.executable, "-m", "navigator.commands.app", "resident", "--language", "cy"]
    terminal = Terminal(command, environment)
    terminals.append(terminal)
    assert terminal.read_until(demo_kb.message("engine_welcome_title", "cy"))
    terminal.settle()
    terminal.type("\x11")
    assert terminal.wait(timeout=60) == 0


def test_the_kiosk_starts_in_welsh_with_language_cy(
    environment: dict[str, str], terminals: list[Terminal], demo_kb: KnowledgeBase
) -> None:
    assert navigator("kiosk", "set-pin", env=environment, stdin=f"{STAFF_PIN}\n").returncode == 0
    terminal = Terminal(
        [sys.executable, "-m", "navigator.cli", "kiosk", "--site", "library", "--language", "cy"],
        environment,
    )
    terminals.append(terminal)
    assert terminal.read_until(demo_kb.message("engine_welcome_title", "cy"))
    assert terminal.process.poll() is None
