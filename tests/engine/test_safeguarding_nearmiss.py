"""Near misses by family of ordinary talk (session 11, branch nearmiss): the real engine,
the real models, the shipped knowledge base.

Ordinary talk that sounds like a crisis comes in families (hyperbole and jokes, things past
and over, news and films, professionals' questions, health that is not an emergency now);
docs/knowledge-format.md, "Near misses by family", says how content staff write them. These
tests pin the two rules the branch changed in code or guards, each with a disclosure that
must still be caught beside it, so a guard that grows too broad fails here.
"""

from __future__ import annotations

import msgspec
import pytest

from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.safety import told_not_now
from navigator.engine.understanding.signs import SignLexicon
from navigator.kb import KnowledgeBase

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


# --- Session 12 (branch misses9): a sign told as not happening to anyone now ------------


@pytest.mark.parametrize(
    ("text", "framed"),
    [
        ("saw a documentary about self harm last night, any books on it", True),
        ("the film had a bloke trying to kill himself on a bridge, is it a 12a", True),
        ("he beat me at chess, when is the next club night", True),
        # session 12 (notnow2): "again", "still", "now" anywhere undo every frame
        ("he beat me at chess again, when is the next club night", False),
        ("our youth club is doing a self harm awareness evening, can we use the hall", True),
        ("my sister self harmed in 2015, shes fine now, can i get a card here", True),
        ("i overdosed when i was 19 but ive been well for years, can i train as a mentor", True),
        # a frame reaches only its own clause
        ("watched a film about suicide and now i want to kill myself", False),
        ("he used to hit me years ago and now hes started hitting the kids", False),
        # a past time with nothing saying it is over: the sign stands
        ("he raped me years ago and i cant stop thinking about it", False),
        ("my step dad touched me when i was little and i cant cope anymore", False),
        # a joke is no frame
        ("i want to kill myself lol", False),
        # a frame in another sentence than the sign
        ("we moved here last year. my husband hits me every night", False),
        # still going
        ("i self harmed as a teenager and ive started again this week", False),
    ],
)
def test_which_signs_are_told_as_not_happening_now(
    demo_kb: KnowledgeBase, text: str, framed: bool
) -> None:
    """`safety.told_not_now`, clause by clause, with the knowledge base's own signs."""
    signs = SignLexicon(demo_kb.safeguarding, demo_kb.vocabulary)
    assert signs.check(text) is not None, text
    assert told_not_now(text, lambda part: signs.check(part) is not None) is framed


@pytest.mark.parametrize(
    "ordinary",
    [
        "i took an overdose as a teenager, im 35 now and training to be a nurse, can i book a room",
        "my brother self harmed years ago but hes doing well now, is there a carers group",
        "saw a documentary about self harm last night, are there any books on it for parents",
        "the film had a bloke trying to kill himself on a bridge, is it ok for a 12 year old",
        "our youth club is doing a self harm awareness evening, can we borrow the projector",
        "my sister self harmed in 2015, shes fine now, can i get her a birthday card here",
    ],
)
def test_a_sign_told_as_not_now_is_left_to_meaning(
    detector: SafeguardingDetector, ordinary: str
) -> None:
    """Session 12: 15 of the 29 near-miss alarms of the nine tuned sets were signs, and for 12
    of them meaning found nothing worrying. Such a sign in a film, a learner's or helper's
    words, or a past that is over is handed to meaning, which lets these pass (each was
    shown a panel by its sign before: the sign is found, as the first assert says)."""
    assert detector.signs.check(ordinary) is not None
    assert detector.assess(ordinary) is None


@pytest.mark.parametrize(
    "disclosure",
    [
        "watched a film about suicide and now i want to kill myself",
        "i want to kill myself lol",
        "kms lol nobody would even notice",
        "we moved here last year. my husband hits me every night",
        "he used to hit me years ago and now hes started hitting the kids",
        "he raped me years ago and i cant stop thinking about it",
        "my step dad touched me when i was little and i cant cope anymore",
        "my ex used to beat me and now hes found out where i live",
        "i self harmed as a teenager and ive started again this week",
        "my daughter is being groomed online by a man, is there a talk for parents",
        "he beat me up when i was 16 and now hes moved in next door and i am terrified",
        "saw a film where a girl gets groomed online and realised thats exactly what is "
        "happening to my daughter",
    ],
)
def test_signs_of_what_happens_now_still_interrupt(
    detector: SafeguardingDetector, disclosure: str
) -> None:
    """The same signs said of harm now, beside a film, a past or a joke, keep their panel:
    a frame reaches only its own clause, a past needs words that say it is over, a joke is
    no frame, and meaning must find nothing worrying for a framed sign to be left."""
    verdict = detector.assess(disclosure)
    assert verdict is not None and verdict.line == "sign", disclosure


def test_a_framed_sign_stands_before_meaning_is_ready(demo_kb: KnowledgeBase) -> None:
    """The sign line never waits for a model: before the meaning line is ready, a sign told
    as not now is shown on its words, as before session 12."""
    detector = SafeguardingDetector.for_knowledge(demo_kb)  # meaning not prepared
    text = "saw a documentary about self harm last night, are there any books on it for parents"
    verdict = detector.by_signs(text)
    assert verdict is not None and verdict.line == "sign"


FILM = (
    "that programme last night where the nurse got stabbed left the whole family in bits, "
    "when is the next one"
)
"""A programme told of: asked the check-in question when read as happening now. Session 12
(branch notnow2): the first text here ("that episode last night ... had me in bits") is no
longer read as a story: "episode" is no media word, and "me" tells it of the writer."""


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (FILM, False),
        (
            "we watched a documentary about the war and now my husband is drunk and says hell "
            "kill me",
            True,
        ),
        ("im watching a film with the kids but i keep thinking about ending it tonight", True),
    ],
)
def test_a_text_told_in_a_film_is_read_as_past_unless_it_goes_on_now(
    detector: SafeguardingDetector, text: str, asked: bool
) -> None:
    """Session 12: a film or programme is read as a story told as past (only a clear panel
    interrupts it), unless the text says something goes on now ("now", "tonight")."""
    assert (detector.assess(text) is not None) is asked, text


def test_the_film_rule_is_what_leaves_a_programme_alone(detector: SafeguardingDetector) -> None:
    """Without `media_as_past` the same programme is asked the check-in question."""
    assert detector.meaning is not None
    shipped = detector.meaning.english
    try:
        detector.meaning.english = msgspec.structs.replace(shipped, media_as_past=False)
        assert detector.assess(FILM) is not None
    finally:
        detector.meaning.english = shipped


GROOMING = (
    "a man is grooming my son through the xbox",
    "a man is grooming my son through his xbox",
    "an adult is grooming my daughter on roblox",
    "someone online is grooming my 11 year old",
)
"""Session 12 review (branch spanish2): the first asked the check-in on main and passed
without one once this session's near misses were added (the trained view fell under
`trained_clears`; the near miss about a friend made "on his xbox" pulled it most), the
second still asked. Each must be caught: a panel or the check-in."""


@pytest.mark.parametrize("said", GROOMING)
def test_a_child_groomed_online_is_caught(detector: SafeguardingDetector, said: str) -> None:
    verdict = detector.assess(said)
    assert verdict is not None, said
    assert verdict.kind_id in {"child-abuse", "child-at-risk"}, verdict.kind_id
