"""Answers in people's own words in `navigator chat --plain`, on the demo borough."""

from __future__ import annotations

from pathlib import Path

from tests.engine.conversation_kb import REPO
from tests.plain.test_plain_chat import chat


def test_own_words_answers_and_a_question_asked_again(tmp_path: Path) -> None:
    typed = [
        "my mum is 82 and keeps falling",
        "1",  # help at home
        "yeah",  # lives in Northbrook
        "she keeps falling over",
        "1",  # carry on
    ]
    done = chat(REPO / "knowledge", ("\n".join(typed) + "\n").encode(), tmp_path)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    note = next(line for line in lines if line.startswith("From what you told me"))
    assert "“Someone I look after or worry about” and “65 or over”" in note
    assert note.endswith('type "change".') and "F3" not in note
    asked = lines.index("Sorry, I did not catch that.")
    assert lines[asked + 1] == "What is hardest at the moment?"
    assert lines[asked + 3 : asked + 5] == ["1. Carry on", "2. Several everyday tasks"]
    assert lines[-1] == "Goodbye." and "What is hardest at the moment?" in lines[asked + 6 :]
