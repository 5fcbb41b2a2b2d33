"""When the app dies, the crash log keeps the stack for staff but never what a person typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from navigator.config import Settings
from navigator.tui.app import NavigatorApp

TYPED = "call me on 07700 900123, I live at NB1 2AB"


def _raise_with_typed_words(typed: str) -> None:
    raise ValueError(f"cannot read {typed!r}")


def test_the_crash_log_holds_the_stack_and_not_the_message(
    make_app: Callable[..., NavigatorApp],
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NAVIGATOR_DEBUG", raising=False)
    app = make_app()
    try:
        _raise_with_typed_words(TYPED)
    except ValueError as error:
        app._exception = error

    app._print_error_renderables()

    log = (settings.data_dir / "crash.log").read_text(encoding="utf-8")
    assert "builtins.ValueError" in log and "_raise_with_typed_words" in log
    assert "07700" not in log and "NB1 2AB" not in log
    said = capsys.readouterr()
    assert "07700" not in said.out + said.err and "Traceback" not in said.err
    assert "the app stopped after an unexpected problem" in said.err
