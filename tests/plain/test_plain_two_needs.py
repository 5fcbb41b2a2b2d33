"""`navigator chat --plain` on the demo borough: needs told in people's words (issue 12)."""

from __future__ import annotations

from pathlib import Path

from tests.engine.conversation_kb import REPO
from tests.plain.test_plain_chat import chat

DEMO = REPO / "knowledge"


def test_two_needs_in_the_first_message_are_offered_together(tmp_path: Path) -> None:
    done = chat(DEMO, b"lost my job and the landlord wants us out\n2\n", tmp_path)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    offered = lines.index("It sounds like you need help with two things")
    choices = lines[offered + 3 : offered + 6]
    assert choices == [
        "1. Housing and homelessness",
        "2. Work, learning and skills",
        "3. None of these",
    ], lines[offered:]
    assert "Work, learning and skills, step 1" in lines[offered + 6 :]


def test_a_need_told_in_a_persons_own_words_finds_its_topic(tmp_path: Path) -> None:
    done = chat(DEMO, b"my nan cant do her buttons or get her tights on no more\n", tmp_path)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    offered = lines.index("Which of these is closest?")
    assert lines[offered + 3] == "1. Care and support for adults", lines[offered:]
