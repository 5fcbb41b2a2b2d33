"""`navigator match --json` explains each safeguarding decision (issue 12)."""

from __future__ import annotations

import json

import pytest

from navigator.cli import main
from tests.conftest import DEMO_KNOWLEDGE


def _match(text: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["match", "--kb", str(DEMO_KNOWLEDGE), "--json", text]) == 0
    result = json.loads(capsys.readouterr().out)
    assert isinstance(result, dict)
    return result


def test_nothing_fires_safeguarding_stays_false(capsys: pytest.CaptureFixture[str]) -> None:
    result = _match("this form is killing me", capsys)
    assert result["safeguarding"] is False
    assert isinstance(result["matches"], list)


def test_a_sign_names_its_kind_line_and_phrase(capsys: pytest.CaptureFixture[str]) -> None:
    result = _match("i want to kill myself", capsys)
    assert result["safeguarding"] == {
        "kind": "suicide-self-harm",
        "line": "sign",
        "nearest": [{"example": "kill myself", "score": 1.0}],
    }


def test_meaning_names_its_nearest_examples_with_scores(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = _match("dads slurring and one arm has gone floppy", capsys)
    found = result["safeguarding"]
    assert isinstance(found, dict)
    assert found["kind"] == "medical-emergency"
    assert found["line"] in {"meaning", "check-in"}
    nearest = found["nearest"]
    assert len(nearest) == 3
    assert all(set(near) == {"example", "score"} for near in nearest)
    assert all(0 < near["score"] <= 1 for near in nearest)
    for near in nearest:
        assert any(near["example"] in kind_examples for kind_examples in _examples())


def test_a_check_in_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    result = _match("i keep standing on the edge of the car park roof", capsys)
    found = result["safeguarding"]
    assert isinstance(found, dict) and found["line"] == "check-in"


def test_matches_keep_their_shape(capsys: pytest.CaptureFixture[str]) -> None:
    result = _match("me and the kids slept at the bus station last night", capsys)
    for scored in result["matches"]:  # type: ignore[attr-defined]
        assert set(scored) == {"topic", "need", "score"}


def _examples() -> list[list[str]]:
    from navigator.kb import load

    knowledge = load(DEMO_KNOWLEDGE).knowledge
    assert knowledge.safeguarding is not None
    return [list(kind.examples) for kind in knowledge.safeguarding.kinds]


def test_the_trained_view_names_itself_and_its_probability(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Session 8: a check-in the trained view added says so, with its probability of a
    crisis; a decision by the margins gives that probability too, for content staff."""
    text = (
        "the woman who does my dads shopping keeps his change and his account is empty every week"
    )
    found = _match(text, capsys)["safeguarding"]
    assert isinstance(found, dict)
    assert (found["kind"], found["line"], found["view"]) == ("adult-abuse", "check-in", "trained")
    assert isinstance(found["trained"], float) and found["trained"] >= 0.9
    by_margins = _match("dads slurring and one arm has gone floppy", capsys)["safeguarding"]
    assert isinstance(by_margins, dict) and by_margins["view"] == "margins"
    assert isinstance(by_margins["trained"], float) and 0 <= by_margins["trained"] <= 1
