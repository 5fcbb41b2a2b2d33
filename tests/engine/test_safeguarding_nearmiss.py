"""Near misses by family of ordinary talk (session 11, branch nearmiss): the real engine,
the real models, the shipped knowledge base.

Ordinary talk that sounds like a crisis comes in families (hyperbole and jokes, things past
and over, news and films, professionals' questions, health that is not an emergency now);
docs/knowledge-format.md, "Near misses by family", says how content staff write them. These
tests pin the two rules the branch changed in code or guards, each with a disclosure that
must still be caught beside it, so a guard that grows too broad fails here.
"""

from __future__ import annotations

import pytest

from navigator.engine.safeguarding import SafeguardingDetector

NOW = "i keep standing on the edge of the car park roof"
"""Asked the check-in question when told as happening now (as in
test_safeguarding_meaning.py's past-or-over test)."""


@pytest.mark.parametrize(
    "over",
    [
        f"{NOW} last winter, but im doing well with the counsellor",
        f"{NOW} in the spring, doing great since the new tablets",
        f"{NOW} before the operation, recovered well and back at work",
        f"{NOW} when the debts piled up, its all sorted with the bank",
    ],
)
def test_recovery_told_as_over_is_not_asked_the_check_in_question(
    detector: SafeguardingDetector, over: str
) -> None:
    """Session 11: "doing well", "doing great", "recovered well", "all sorted" say it is over
    (`safety.PAST_OR_OVER`); only a clear panel margin interrupts such a text."""
    verdict = detector.assess(NOW)
    assert verdict is not None and verdict.line == "check-in"
    assert detector.assess(over) is None


def test_recovery_words_do_not_silence_what_goes_on_now(detector: SafeguardingDetector) -> None:
    """'still' or 'again' undoes the past-or-over rule, and a sign is never guarded by it."""
    assert detector.assess(f"{NOW} again even though everyone says im doing well") is not None
    assert detector.assess("i was doing well but i want to kill myself tonight") is not None


@pytest.mark.parametrize(
    "idiom",
    [
        "my boss will strangle me if the report is late again",
        "the teacher will strangle me, i left my pe kit at home",
        "had an overdose of telly over christmas, any walking groups",
        "i hit the kerb pulling out of the car park, is there a garage nearby",
    ],
)
def test_idioms_that_held_a_sign_are_guarded(detector: SafeguardingDetector, idiom: str) -> None:
    """Session 11 `not_crisis` guards for hyperbole and a car's knock, each whole."""
    assert detector.assess(idiom) is None


@pytest.mark.parametrize(
    "disclosure",
    [
        "he said he will strangle me if i tell anyone",
        "my partner strangled me last night",
        "i took an overdose an hour ago",
        "he hit me and i cant stop shaking",
    ],
)
def test_the_guards_leave_the_signs_they_border(
    detector: SafeguardingDetector, disclosure: str
) -> None:
    """The same signs said of harm are still caught."""
    assert detector.assess(disclosure) is not None


@pytest.mark.parametrize(
    "now",
    [
        "im not doing well, i keep standing on the edge of the car park roof",
        "dad isnt doing great, he keeps standing on the edge of the car park roof",
        "nothing is all sorted and i keep standing on the edge of the car park roof",
    ],
)
def test_recovery_words_turned_round_by_a_negation_still_ask(
    detector: SafeguardingDetector, now: str
) -> None:
    """Session 11 review: the recovery words were matched wherever they stood, so "not doing
    well" said the story was over and a disclosure lost its check-in question (it was asked
    on main). A negation in the two words before a past-or-over phrase turns it round."""
    verdict = detector.assess(now)
    assert verdict is not None, now
