"""Plain chat (`navigator chat --plain`) on the demo: crisis by meaning and the check-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO_KNOWLEDGE
from tests.plain.test_plain_chat import chat

WORRYING = b"i keep standing on the edge of the car park roof\n"
"""In the check-in band (docs/performance.md, "Safeguarding by meaning")."""


def test_the_check_in_is_asked_and_yes_shows_the_contacts(tmp_path: Path) -> None:
    done = chat(DEMO_KNOWLEDGE, WORRYING + b"yes\n", tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Are you, or is anyone else, in danger right now?" in out
    assert "1. Yes, someone is in danger or needs help now" in out
    assert "2. No, nobody is in danger right now" in out
    assert out.index("in danger right now?") < out.index("Samaritans")


def test_no_at_the_check_in_carries_on_without_contacts(tmp_path: Path) -> None:
    done = chat(DEMO_KNOWLEDGE, WORRYING + b"2\n", tmp_path)
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


def test_a_corrupt_model_file_is_said_once_and_the_sign_line_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt = tmp_path / "model.safetensors"
    corrupt.write_bytes(b"\x00\x01 not a model " * 1000)
    monkeypatch.setenv("NAVIGATOR_MEANING_MODEL", str(corrupt))
    monkeypatch.setenv("NAVIGATOR_CONTEXTUAL_MODEL", str(corrupt))
    stdin = (
        b"dads slurring and one arm has gone floppy\n"
        b"i want to kil myself\n1\n"
        b"i keep standing on the edge of the car park roof\n"
    )
    done = chat(DEMO_KNOWLEDGE, stdin, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Meaning model unavailable") == 1
    assert done.stderr.count("Contextual meaning model unavailable") == 1
    assert str(corrupt) in done.stderr
    assert "Traceback" not in done.stderr
    # The sign for "kil myself" is never skipped: one panel, for that line only.
    assert done.stdout.count("You matter, and help is here now") == 1
    assert "Call 999 now" not in done.stdout  # the indirect stroke needed the model
    assert "in danger right now?" not in done.stdout  # and so does the check-in


def test_a_break_in_told_at_a_question_mid_topic_is_asked_about_then_shown_999(
    tmp_path: Path,
) -> None:
    """Third round (issue 12): a disclosure the second held-aside set missed, now caught.
    Typed at a topic's first question; yes at the check-in shows the immediate-danger panel."""
    stdin = b"1\ntwo men just forced their way in and are in my living room\nyes\n"
    done = chat(DEMO_KNOWLEDGE, stdin, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert out.index("in danger right now?") < out.index("If you are in danger now, call 999")


GANG = (
    b"kids at the end of our road are being used by a gang to carry stuff, one is only about 12\n"
)
"""From the second held-aside set (tuned on since): of all the tuned sets' disclosures, one
of the two that only the contextual model's line catches (docs/performance.md, "Session 7")."""


def test_an_indirect_crisis_only_the_contextual_model_reads_is_asked_about(
    tmp_path: Path,
) -> None:
    done = chat(DEMO_KNOWLEDGE, GANG + b"yes\n", tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.index("in danger right now?") < out.index("If you are worried about a child")
    assert "Contextual meaning model unavailable" not in done.stderr


def test_without_the_contextual_model_that_crisis_is_not_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same text with the contextual model's file missing: said once, and the static
    model's line alone does not catch it (so the test above shows the new line at work)."""
    monkeypatch.setenv("NAVIGATOR_CONTEXTUAL_MODEL", str(tmp_path / "missing.safetensors"))
    done = chat(DEMO_KNOWLEDGE, GANG + b"i want to kil myself\n", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Contextual meaning model unavailable") == 1
    assert "missing.safetensors" in done.stderr and "Traceback" not in done.stderr
    assert "in danger right now?" not in done.stdout
    assert "If you are worried about a child" not in done.stdout
    assert "You matter, and help is here now" in done.stdout  # the sign line, never skipped
