"""The serve limits on their own: sizes, origins, typing budget, session counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.tui.web.limits import (
    InputBudget,
    ServeLimits,
    SessionCounter,
    clamp_size,
    normal_origin,
    origin_allowed,
)
from navigator.tui.web.script import TerminalScriptChanged, patched_terminal_script
from navigator.tui.web.server import STATIC

LIMITS = ServeLimits()


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        ("120", "40", (120, 40)),
        ("20000", "5000", (400, 150)),
        (20000, 5000, (400, 150)),
        ("-5", "0", (80, 10)),  # not a whole number: 80 columns; no rows: the fewest
        (1, 1, (20, 10)),
        ("9" * 400, "40", (80, 40)),
        (None, [], (80, 24)),
        (True, 12.5, (80, 24)),
    ],
)
def test_terminal_sizes_are_held_to_what_a_screen_shows(
    width: object, height: object, expected: tuple[int, int]
) -> None:
    assert clamp_size(width, height, LIMITS) == expected


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("https://kiosk.example.org", "kiosk.example.org", True),  # TLS proxy passing Host on
        ("https://kiosk.example.org:8443", "kiosk.example.org:8443", True),
        ("http://[::1]:8000", "[::1]:8000", True),
        ("http://evil.example", "127.0.0.1:8000", False),
        ("http://127.0.0.1:9999", "127.0.0.1:8000", False),
        ("https://kiosk.example.org:8443", "kiosk.example.org", False),
        ("null", "127.0.0.1:8000", False),
        (None, "127.0.0.1:8000", False),
        ("", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8000", None, False),
        ("not a url", "127.0.0.1:8000", False),
    ],
)
def test_only_pages_from_this_server_may_open_a_session(
    origin: str | None, host: str | None, allowed: bool
) -> None:
    assert origin_allowed(origin, host, frozenset()) is allowed


def test_an_allowed_origin_may_open_a_session_from_another_host() -> None:
    allowed = frozenset({normal_origin("https://kiosk.example.org/navigator/")})
    assert origin_allowed("https://kiosk.example.org", "127.0.0.1:8000", allowed)  # type: ignore[arg-type]
    assert not origin_allowed("https://other.example.org", "127.0.0.1:8000", allowed)  # type: ignore[arg-type]


def test_typing_gets_a_burst_then_a_steady_rate() -> None:
    budget = InputBudget(LIMITS, now=0.0)
    assert budget.take(16 * 1024, now=0.0)  # a paste
    assert not budget.take(1, now=0.0)  # nothing left at once
    assert budget.take(4096, now=1.0)  # a second's worth a second later
    assert not budget.take(4097, now=2.0)
    sent = sum(1024 for second in range(100) if budget.take(1024 * 1024, now=3.0 + second))
    assert sent == 0  # a flood is dropped whole, not trickled in


def test_sessions_are_counted_per_client_and_in_all() -> None:
    counter = SessionCounter(ServeLimits(sessions=5, sessions_per_client=2))
    assert [counter.admit("10.0.0.1") for _ in range(3)] == [True, True, False]
    assert [counter.admit("10.0.0.2") for _ in range(2)] == [True, True]
    assert counter.admit("10.0.0.3")
    assert not counter.admit("10.0.0.4")  # five running in all
    counter.release("10.0.0.1")
    assert counter.admit("10.0.0.4")
    for client in ("10.0.0.1", "10.0.0.2", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        counter.release(client)
    assert counter.total == 0 and counter.by_client == {}


def test_the_terminal_script_gets_screen_reader_support() -> None:
    script = patched_terminal_script(STATIC / "js" / "textual.js")
    assert "screenReaderMode:!0" in script
    assert "window.navigatorTerminal=this.terminal" in script


def test_a_changed_terminal_script_stops_the_server_with_a_reason(tmp_path: Path) -> None:
    changed = tmp_path / "textual.js"
    changed.write_text("new Terminal({fontSize:i})", encoding="utf-8")
    with pytest.raises(TerminalScriptChanged, match=r"pinned in pyproject\.toml"):
        patched_terminal_script(changed)


def test_session_limits_are_settings(tmp_path: Path) -> None:
    from navigator.config import ConfigError, load_settings

    missing = tmp_path / "none.toml"
    settings = load_settings(missing, {"NAVIGATOR_SERVE_SESSIONS_PER_CLIENT": "2"})
    assert (settings.serve_sessions, settings.serve_sessions_per_client) == (20, 2)
    with pytest.raises(ConfigError, match="serve_sessions"):
        load_settings(missing, {"NAVIGATOR_SERVE_SESSIONS": "0"})
