"""A knowledge base `navigator validate` rejects never reaches a resident.

Each test runs the real command in a subprocess on real YAML on disk: the
test borough with one option pointing at a node that does not exist (it
loads, but `validate` rejects it). The kiosk, advocate and serve refuse to
start with the lines `validate` prints; the resident app and plain chat
refuse too, unless content staff ask for a preview, which says so.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.pty_terminal import Terminal, isolated_environment
from tests.support.kb import copy_test_borough

pytestmark = pytest.mark.timeout(120)

REFUSE_WITHIN_SECONDS = 40
"""A command that has not refused by then has started on the broken knowledge base."""


@pytest.fixture
def broken_kb(tmp_path: Path) -> Path:
    root = copy_test_borough(tmp_path / "kb")
    borough = root / "borough.yaml"
    text = borough.read_text(encoding="utf-8")
    assert "next: care-unmet}" in text
    borough.write_text(text.replace("next: care-unmet}", "next: care-nowhere}"), "utf-8")
    return root


@pytest.fixture
def environment(tmp_path: Path, broken_kb: Path) -> dict[str, str]:
    return isolated_environment(tmp_path, broken_kb)


def navigator(
    *arguments: str, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "navigator.cli", *arguments],
            capture_output=True,
            text=True,
            env=env,
            input=stdin,
            timeout=REFUSE_WITHIN_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as running:
        pytest.fail(f"navigator {' '.join(arguments)} started instead of refusing: {running}")


def validate_errors(root: Path, env: dict[str, str]) -> list[str]:
    """The error lines `navigator validate` prints for `root`."""
    finished = navigator("validate", str(root), env=env)
    assert finished.returncode == 1, finished.stdout + finished.stderr
    errors = [line for line in finished.stdout.splitlines() if ": error: " in line]
    assert any("care-nowhere" in line for line in errors), errors
    return errors


def assert_refused_like_validate(
    finished: subprocess.CompletedProcess[str], errors: list[str]
) -> None:
    assert finished.returncode == 2, finished.stderr
    for line in errors:
        assert line in finished.stderr.splitlines()
    assert "will not start" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_the_kiosk_refuses_with_validates_message(
    environment: dict[str, str], broken_kb: Path
) -> None:
    errors = validate_errors(broken_kb, environment)
    assert navigator("kiosk", "set-pin", env=environment, stdin="482913\n").returncode == 0

    finished = navigator("kiosk", "--site", "central-library", env=environment)

    assert_refused_like_validate(finished, errors)


def test_the_advocate_refuses_with_validates_message(
    environment: dict[str, str], broken_kb: Path
) -> None:
    errors = validate_errors(broken_kb, environment)
    assert_refused_like_validate(
        navigator("advocate", "--site", "market-hall", env=environment), errors
    )


def test_serve_refuses_before_serving(environment: dict[str, str], broken_kb: Path) -> None:
    errors = validate_errors(broken_kb, environment)
    assert_refused_like_validate(navigator("serve", "--port", "0", env=environment), errors)


def test_the_resident_app_refuses_unless_previewing(
    environment: dict[str, str], broken_kb: Path
) -> None:
    errors = validate_errors(broken_kb, environment)
    assert_refused_like_validate(navigator(env=environment), errors)


def test_a_cached_start_refuses_too(environment: dict[str, str], broken_kb: Path) -> None:
    """The second start is served from the validated-knowledge cache: it must refuse the same."""
    errors = validate_errors(broken_kb, environment)
    first = navigator("advocate", "--site", "market-hall", env=environment)
    cache = Path(environment["NAVIGATOR_DATA_DIR"]) / "cache"
    assert list(cache.glob("knowledge-*.pickle"))

    second = navigator("advocate", "--site", "market-hall", env=environment)

    assert_refused_like_validate(first, errors)
    assert_refused_like_validate(second, errors)


def test_plain_chat_refuses_unless_previewing(environment: dict[str, str], broken_kb: Path) -> None:
    errors = validate_errors(broken_kb, environment)
    assert_refused_like_validate(navigator("chat", "--plain", env=environment), errors)


def test_plain_chat_previews_with_a_banner(environment: dict[str, str], broken_kb: Path) -> None:
    finished = navigator(
        "chat", "--plain", "--allow-broken-knowledge", env=environment, stdin="quit\n"
    )

    assert finished.returncode == 0, finished.stderr
    assert "PREVIEW ONLY" in finished.stderr and "2 errors" in finished.stderr
    assert "Not for residents" in finished.stderr
    assert "Welcome to Navigator" in finished.stdout


def test_the_resident_app_previews_with_a_banner_on_screen(
    environment: dict[str, str], broken_kb: Path
) -> None:
    terminal = Terminal(
        [sys.executable, "-m", "navigator.cli", "--allow-broken-knowledge"], environment
    )
    try:
        assert terminal.read_until("PREVIEW ONLY"), terminal.output[-2000:]
        assert terminal.read_until("Not for residents"), terminal.output[-2000:]
    finally:
        terminal.close()


def test_a_valid_knowledge_base_still_starts_without_the_flag(
    tmp_path: Path, test_kb_dir: Path
) -> None:
    environment = isolated_environment(tmp_path, test_kb_dir)
    finished = navigator("chat", "--plain", env=environment, stdin="quit\n")
    assert finished.returncode == 0, finished.stderr
    assert "PREVIEW" not in finished.stderr
