"""Messages about a broken file stay short, safe to print, and point at the line.

Real files on disk, checked by `navigator validate` in a subprocess, reading
what a person at a terminal would see.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)

NODE = b"nodes:\n  - id: a\n    type: info\n    text: hello\n"


def validate(tmp_path: Path, content: bytes, name: str = "x.yaml") -> list[str]:
    """The lines `navigator validate` prints about the file holding `content`."""
    root = tmp_path / "kb"
    root.mkdir()
    (root / name).write_bytes(content)
    finished = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "validate", str(root)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert finished.returncode in {1, 2}, finished.stderr
    output = finished.stdout.decode("utf-8") + finished.stderr.decode("utf-8")
    return [line for line in output.splitlines() if line.startswith(str(root / name))]


def test_a_four_million_digit_number_is_not_echoed_whole(tmp_path: Path) -> None:
    lines = validate(tmp_path, NODE + b"    weight: " + b"9" * 4_000_000 + b"\n")

    (line,) = lines
    assert len(line) < 1000
    assert line.startswith(f"{tmp_path / 'kb' / 'x.yaml'}:5:")
    assert "(4,000,000 characters)" in line


def test_an_escape_character_is_named_with_its_line_and_never_printed(tmp_path: Path) -> None:
    lines = validate(tmp_path, NODE.replace(b"hello", b"hello \x1b[31mred"))

    (line,) = lines
    assert line.startswith(f"{tmp_path / 'kb' / 'x.yaml'}:4:17: error:")
    assert "U+001B (ESC)" in line
    assert "\x1b" not in line


@pytest.mark.parametrize(
    ("character", "name"),
    [("\x07", "U+0007"), ("\x7f", "U+007F (DEL)"), ("\x0b", "U+000B"), ("\x9b", "U+009B")],
)
def test_every_character_error_has_a_file_and_line(
    tmp_path: Path, character: str, name: str
) -> None:
    content = NODE.replace(b"hello", f"hello{character}".encode())

    (line,) = validate(tmp_path, content)

    assert line.startswith(f"{tmp_path / 'kb' / 'x.yaml'}:4:16: error:")
    assert name in line
    assert character not in line


def test_a_right_to_left_override_is_shown_escaped(tmp_path: Path) -> None:
    content = NODE.replace(b"id: a", 'id: "abc\u202edef"'.encode())

    lines = validate(tmp_path, content)

    assert any("abc\\u202edef" in line for line in lines), lines
    assert not any("\u202e" in line for line in lines)


def test_a_file_name_with_an_escape_character_is_shown_escaped(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    root.mkdir()
    (root / "bad\x1b[2Jname.yaml").write_bytes(b"nodes: [")
    finished = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "validate", str(root)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert b"\x1b" not in finished.stdout + finished.stderr
    assert b"bad\\x1b[2Jname.yaml" in finished.stdout


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
    ],
)
def test_encodings_are_named_correctly(tmp_path: Path, encoding: str, said: str) -> None:
    (line,) = validate(tmp_path, NODE.decode().encode(encoding))
    assert f"saved as {said}." in line
    assert line.startswith(f"{tmp_path / 'kb' / 'x.yaml'}:1:1: error:")
