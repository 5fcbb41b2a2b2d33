"""`navigator serve` refuses flags it cannot use, saying which and how to write them."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--max-sessions", "0"], "--max-sessions must be at least 1"),
        (["--max-sessions-per-client", "-2"], "--max-sessions-per-client must be at least 1"),
        (["--public-url", "kiosk.example.org"], "'kiosk.example.org' is not a web address"),
        (["--allowed-origin", "ftp://x.example"], "'ftp://x.example' is not a web address"),
        (["--quick-exit-url", "javascript:alert(1)"], "is not a web address"),
    ],
)
def test_unusable_flags_are_refused_with_a_reason(
    environment: dict[str, str], flags: list[str], said: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "serve", "--port", "1", *flags],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert said in result.stderr
    assert "Traceback" not in result.stderr
