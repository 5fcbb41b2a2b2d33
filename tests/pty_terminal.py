"""A program running in a real pseudo-terminal, for tests that drive a command as a person would."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Terminal:
    """A program running in a pseudo-terminal of a fixed size, and what it has drawn."""

    def __init__(self, arguments: list[str], env: dict[str, str]) -> None:
        self.controller, worker = pty.openpty()
        fcntl.ioctl(worker, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.process = subprocess.Popen(
            arguments,
            stdin=worker,
            stdout=worker,
            stderr=worker,
            env=env,
            start_new_session=True,
        )
        os.close(worker)
        self.output = b""

    def read_until(self, wanted: str, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if wanted.encode() in self.output:
                return True
            ready, _, _ = select.select([self.controller], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.controller, 65536)
                except OSError:
                    return wanted.encode() in self.output
        return False

    def wait(self, timeout: float = 60.0) -> int | None:
        """Wait for the program to end, reading what it draws meanwhile.

        A program whose output nobody reads blocks on a full terminal and
        never ends, so waiting without reading would make a slow machine
        look like a hang in the program.
        """
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.controller], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.controller, 65536)
                except OSError:
                    break
        try:
            return self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None

    def settle(self, seconds: float = 0.6) -> None:
        self.read_until("\x00never\x00", timeout=seconds)

    def type(self, keys: str) -> None:
        os.write(self.controller, keys.encode())

    def close(self) -> int | None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        finally:
            os.close(self.controller)
        return self.process.returncode


def isolated_environment(tmp_path: Path, knowledge: Path) -> dict[str, str]:
    """Environment for a `navigator` subprocess: its own config, data and knowledge, nothing else.

    Only the variables a program needs to run are kept, so a developer's own
    settings (or a CI variable) cannot change what the test sees.
    """
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT"}
    env = {name: value for name, value in os.environ.items() if name in keep}
    env.update(
        {
            "NAVIGATOR_CONFIG": str(tmp_path / "no-config.toml"),
            "NAVIGATOR_CONFIG_DIR": str(tmp_path / "config"),
            "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
            "NAVIGATOR_KNOWLEDGE": str(knowledge),
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
        }
    )
    return env


def run_navigator(
    *arguments: str, env: dict[str, str], stdin: str = "", timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """`python -m navigator.cli ARGUMENTS` to the end, as a person runs a command that does
    not open a screen: what it printed, and how it exited (never raising on failure)."""
    return subprocess.run(
        [sys.executable, "-m", "navigator.cli", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
        check=False,
    )


@contextmanager
def opened_terminals() -> Iterator[list[Terminal]]:
    """A list to put each started `Terminal` in, so every one is closed however the test ends."""
    opened: list[Terminal] = []
    try:
        yield opened
    finally:
        for terminal in opened:
            terminal.close()
