"""`navigator chat --plain --language cy` run to the end, as a screen reader user runs it."""

from __future__ import annotations

import os
from pathlib import Path

from tests.pty_terminal import run_navigator


def welsh_plain_chat(lines: list[str], tmp_path: Path) -> str:
    """What the real command printed for `lines` typed in turn on the demo knowledge base.

    A child process with its own data folder and no config file, so a developer's
    settings cannot change what is shown; the command must end well (exit 0).
    """
    environment = {
        **os.environ,
        "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
        "NAVIGATOR_CONFIG": str(tmp_path / "none.toml"),
    }
    done = run_navigator(
        "chat",
        "--plain",
        "--language",
        "cy",
        env=environment,
        stdin="".join(line + "\n" for line in lines),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
