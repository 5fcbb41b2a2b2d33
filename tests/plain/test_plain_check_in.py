"""Plain chat (`navigator chat --plain`) on the demo: crisis by meaning and the check-in."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO_KNOWLEDGE
from tests.plain.test_plain_chat import chat


def test_the_check_in_is_asked_and_yes_shows_the_contacts(tmp_path: Path) -> None:
    done = chat(DEMO_KNOWLEDGE, b"my lad has been burning his arms with a lighter\nyes\n", tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Are you, or is anyone else, in danger right now?" in out
    assert "1. Yes, someone is in danger or needs help now" in out
    assert "2. No, nobody is in danger right now" in out
    assert out.index("in danger right now?") < out.index("Samaritans")


def test_no_at_the_check_in_carries_on_without_contacts(tmp_path: Path) -> None:
    done = chat(DEMO_KNOWLEDGE, b"my lad has been burning his arms with a lighter\n2\n", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "in danger right now?" in done.stdout
    assert "Samaritans" not in done.stdout


def test_an_indirect_medical_emergency_shows_999_at_once(tmp_path: Path) -> None:
    done = chat(DEMO_KNOWLEDGE, b"dads slurring and one arm has gone floppy\n", tmp_path)
    assert "Call 999 now" in done.stdout
    assert "in danger right now?" not in done.stdout


def test_ordinary_alarming_words_are_not_interrupted(tmp_path: Path) -> None:
    done = chat(DEMO_KNOWLEDGE, b"this form is killing me\nmy phone is about to die\n", tmp_path)
    assert "in danger right now?" not in done.stdout
    assert "999" not in done.stdout
