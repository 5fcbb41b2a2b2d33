"""Welsh crisis recognition measured on labelled Welsh sets.

tests/data/welsh_crisis.yaml (written by branch cymraeg) and
tests/data/welsh_crisis_holdout.yaml (first written as a held-aside set, measured once,
its misses read and worked on by branch cymraeg) are the TUNED Welsh sets: the floors
are the figures at the end of that work, so a change that makes Welsh crisis
recognition worse fails here. tests/data/welsh_crisis_holdout2.yaml was the second
held-aside Welsh set: measured once by the lead at the merge of session 7 (25 of 40
caught, 2 of 25 alarms); from session 8 (branch crisiscontent) its misses are read and
worked on, so it is tuned too. tests/data/welsh_crisis_holdout3.yaml was the third: measured
once at the merge of session 8 (33 of 53, 3 of 30), read and tuned on from session 9 (branch
welshgloss). tests/data/welsh_crisis_holdout4.yaml was the fourth: measured once at the merge
of session 9 (42 of 59, 5 of 35), read and tuned on from session 10 (branch welsh5).
tests/data/welsh_crisis_holdout5.yaml was the fifth: measured once at the merge of session 10
(34 of 50, 2 of 32), read and tuned on from session 11 (branch welsh6).
tests/data/welsh_crisis_holdout6.yaml was the sixth: measured once at the merge of session 11
(49 of 61, 3 of 38), read and tuned on from session 12 (branch welsh7).
tests/data/welsh_crisis_holdout7.yaml is the held-aside Welsh set now, written
on another branch (holdout10, session 12) by someone who never saw the tuning: it is measured
when present (the lead sets its floors at merge) and skipped when absent.

tests/data/welsh_crisis_check.yaml was written after the signs and the first examples by
the same author and measured once (signs 3 of 20, signs and meaning 11): it showed what
the Welsh meaning line adds on text the signs were not written from. Its misses were then
read and more examples written, so it too is tuned now.

Measured as a conversation reads a message: the language detected first, then the sign
lexicon of every language, then the meaning line of the language the text is in (for
Welsh, letter groups against the Welsh examples; never the English model).
Docs: docs/performance.md, "Session 7: Welsh crisis recognition (branch cymraeg)".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding import welsh
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.language import LanguageDetector
from navigator.engine.understanding.safety import MeaningLine
from navigator.kb import KnowledgeBase
from tests.engine.crisis_set import CrisisReport, load_crisis_set, measure_crisis
from tests.engine.test_safeguarding_meaning import copied_into_the_knowledge_base
from tests.support.held_aside import CountsOnly

DATA = Path(__file__).resolve().parents[1] / "data"
TUNED = {
    "tuned Welsh set": DATA / "welsh_crisis.yaml",
    "tuned Welsh set (first held-aside)": DATA / "welsh_crisis_holdout.yaml",
    "tuned Welsh set (second held-aside)": DATA / "welsh_crisis_holdout2.yaml",
    "tuned Welsh set (third held-aside)": DATA / "welsh_crisis_holdout3.yaml",
    "tuned Welsh set (fourth held-aside)": DATA / "welsh_crisis_holdout4.yaml",
    "tuned Welsh set (fifth held-aside)": DATA / "welsh_crisis_holdout5.yaml",
    "tuned Welsh set (sixth held-aside)": DATA / "welsh_crisis_holdout6.yaml",
}
CHECK = DATA / "welsh_crisis_check.yaml"
TUNED_FILES = (*TUNED.values(), CHECK)
"""Every Welsh set that may be read and tuned on (the benchmarks' folds): not HOLDOUT."""
HOLDOUT = DATA / "welsh_crisis_holdout7.yaml"
"""The held-aside Welsh set, never seen by the branch that tuned (absent there)."""
HELD_ASIDE_CAUGHT: int | None = 54
HELD_ASIDE_RIGHT_KIND: int | None = 47
HELD_ASIDE_FALSE_ALARMS: int | None = 3
"""Measured by the lead on welsh_crisis_holdout7.yaml (64 disclosures, 39 near misses; written
on branch holdout10 in session 12 by someone who never saw the tuning) on main before session
12's merge: 53 caught, 46 the right kind, 4 alarms; once after it: 54 caught, 47 the right
kind, 3 alarms. The previous held-aside Welsh set, welsh_crisis_holdout6.yaml, measured
by the lead (61 disclosures, 38 near misses; written
on branch holdout9 in session 11 by someone who never saw the tuning) on main before session
11's merge: 47 caught, 45 the right kind, 3 alarms; once after it: 49 caught, 47 the right
kind, 3 alarms. The previous held-aside Welsh set,
welsh_crisis_holdout5.yaml, had 32 of 50 (28 the right kind) and 2 of 32 on main before
session 10's merge and 34 (30) and 2 after it; session 11 (branch welsh6) read it and tuned
on it, its floors in FLOORS now. Before that, welsh_crisis_holdout4.yaml,
welsh_crisis_holdout4.yaml, had 42 of 59 (33 the right kind) and 5 of 35 at the merge of
session 9; session 10 (branch welsh5) read it and tuned on it: 48 of 59 (41 the right
kind), 3 of 35, its floors in FLOORS now."""
FLOORS = {
    "tuned Welsh set": (52, 52, 0),
    "tuned Welsh set (first held-aside)": (17, 17, 0),
    "tuned Welsh set (second held-aside)": (39, 39, 1),
    "tuned Welsh set (third held-aside)": (51, 48, 3),
    "tuned Welsh set (fourth held-aside)": (52, 48, 3),
    "tuned Welsh set (fifth held-aside)": (49, 48, 1),
    "tuned Welsh set (sixth held-aside)": (60, 58, 2),
}
"""Caught at least, right kind at least, false alarms at most: the figures at the end of
session 8 (branch crisiscontent). Before branch cymraeg: 8 of 52 caught, 7 the right kind,
1 false alarm of 34; 4 of 18, all the right kind, 0 of 10; at its end 51 of 52 and 17 of 18.
The second held-aside set at the merge of session 7: 25 of 40 (23 the right kind), 2 of 25
alarms; session 8's Welsh examples, written from its misses by situation, brought it to
39 (37) and 1 (the idiom "the boss will kill me", a sign, left as the English one is).
Session 10 (branch welsh5): the second 38 the right kind, the third 45 caught (41 the right
kind), from its gloss entries and Welsh examples. Session 11 (branch welsh6: gloss entries,
spoken plurals, Welsh examples by situation): the second 39 the right kind, the third 51
(48), the fourth 52 (49; 48 after the merge with the other branches' English examples,
which the gloss reads), the fifth (held aside in session 10, read now, in-sample) 34 (30)
and 2 alarms -> 49 (48) and 1. Session 12 (branch welsh7: the gloss cut into the fewest pieces,
borrowed English verbs in -io, gloss entries and Welsh examples by situation, past self-harm
as ordinary phrases, sleeping on the street a sign however told): the sixth (held aside in
session 11, read now, in-sample) 49 of 61 (47 the right kind) and 3 of 38 alarms
-> 60 (58) and 2."""
CHECK_FLOOR = (19, 19, 0)
"""The check set: before branch cymraeg 2 of 20. Measured once with the first Welsh examples:
signs alone 3, signs and Welsh meaning 11 (10 the right kind), no false alarm of 12. Its
misses were then read and more Welsh examples written (some for their situations), so it
now counts as tuned: 16 of 20, all the right kind (17 after session 8's examples, 18 with
session 9's gloss, 19 with its examples)."""


@pytest.fixture(scope="module")
def detector(demo_kb: KnowledgeBase) -> SafeguardingDetector:
    """Every line, as the apps build it (the English model only for English text)."""
    return SafeguardingDetector.for_knowledge(demo_kb)


@pytest.fixture(scope="module")
def languages(demo_kb: KnowledgeBase) -> LanguageDetector:
    return LanguageDetector.for_knowledge(demo_kb)


def _measure(
    detector: SafeguardingDetector, languages: LanguageDetector, path: Path
) -> CrisisReport:
    report = measure_crisis(detector, load_crisis_set(path), languages)
    print(
        f"{path.name}: caught {report.caught} of {report.crisis_total} ({report.recall:.0%}), "
        f"right kind {report.right_kind}; false alarms {len(report.false_alarms)} of "
        f"{report.near_total}; by line {report.caught_by_line}"
    )
    print("  missed:", report.missed)
    print("  false alarms:", report.false_alarms)
    return report


@pytest.mark.parametrize("name", TUNED)
def test_welsh_crisis_recognition_on_the_tuned_welsh_sets(
    detector: SafeguardingDetector, languages: LanguageDetector, name: str
) -> None:
    report = _measure(detector, languages, TUNED[name])
    caught, right_kind, false_alarms = FLOORS[name]
    assert report.caught >= caught, report.missed
    assert report.right_kind >= right_kind
    assert len(report.false_alarms) <= false_alarms, report.false_alarms


def test_the_welsh_meaning_line_adds_to_the_signs_on_the_check_set(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector, languages: LanguageDetector
) -> None:
    report = _measure(detector, languages, CHECK)
    signs_alone = measure_crisis(SafeguardingDetector(demo_kb.safeguarding), load_crisis_set(CHECK))
    caught, right_kind, false_alarms = CHECK_FLOOR
    assert report.caught >= caught, report.missed
    assert report.caught > signs_alone.caught
    assert report.right_kind >= right_kind
    assert len(report.false_alarms) <= false_alarms, report.false_alarms


@pytest.mark.skipif(
    not HOLDOUT.is_file(), reason=f"{HOLDOUT.name} is not on this branch (the lead measures it)"
)
def test_welsh_crisis_recognition_on_the_held_aside_welsh_set(
    detector: SafeguardingDetector, languages: LanguageDetector
) -> None:
    """Measured once by the lead at merge; the floors are that measurement: fewer caught
    or more alarms means Welsh got worse. (The previous held-aside Welsh set, measured at
    the merge of session 7: 25 of 40 caught, 2 of 25 alarmed; tuned on since session 8.)"""
    if HELD_ASIDE_CAUGHT is None or HELD_ASIDE_FALSE_ALARMS is None:
        pytest.skip("the held-aside floors are set by the lead when first measured at merge")
    # Counts only, never the texts (`CountsOnly`): they are not to be read while tuning.
    report = measure_crisis(detector, load_crisis_set(HOLDOUT), languages)
    floors = CountsOnly(HOLDOUT.name)
    floors.at_least("caught", report.caught, HELD_ASIDE_CAUGHT, report.crisis_total)
    if HELD_ASIDE_RIGHT_KIND is not None:
        floors.at_least("the right kind", report.right_kind, HELD_ASIDE_RIGHT_KIND)
    alarms = len(report.false_alarms)
    floors.at_most("alarms", alarms, HELD_ASIDE_FALSE_ALARMS, report.near_total)
    floors.check()


def test_the_welsh_meaning_line_needs_no_model(demo_kb: KnowledgeBase, tmp_path: Path) -> None:
    """The Welsh line reads letter groups only: with the English models missing (the
    static model's weights, and no contextual model), English meaning is unavailable and
    Welsh meaning still works."""
    english = MeaningLine.for_knowledge(
        demo_kb, EmbeddingModel(weights=tmp_path / "missing"), contextual=False
    )
    detector = SafeguardingDetector.for_knowledge(demo_kb, meaning=english)
    assert not detector.prepare_meaning()  # the English line could not load
    said = "dim ond bara sych sy ar ol i'r plant a dim pres tan ddydd iau"
    assert detector.check(said) is None  # no sign: the meaning line must find it
    verdict = detector.assess(said, meaning=False, language="cy")
    assert verdict is not None and verdict.kind_id == "children-no-food", verdict
    assert verdict.line in {"meaning", "check-in"}
    assert detector.assess(said, meaning=False, language="pl") is None  # no Polish line


@pytest.mark.parametrize(
    "said",
    [
        "cysgu ar y stryd ers tair noson a neb yn stopio",
        "ni wedi bod yn cysgu ar y strydoedd ers i'r landlord newid y clo",
    ],
)
def test_sleeping_on_the_street_is_a_sign_however_it_is_told(
    detector: SafeguardingDetector, said: str
) -> None:
    """Session 12 (welsh7): the Welsh signs for sleeping on the street each needed "dwi'n",
    "heno" or "efo" beside it, so sleeping rough told with how long was left to meaning."""
    sign = detector.check(said)
    assert sign is not None and sign.kind_id == "nowhere-to-sleep", sign


READ_IN_SESSION_10 = DATA / "welsh_crisis_holdout4.yaml"
"""Held aside in session 9, read in session 10 (branch welsh5), which wrote Welsh examples,
near misses and gloss entries from its misses by situation: checked here for copies, so the
check stays when the lead moves HOLDOUT to the next held-aside set."""
READ_IN_SESSION_11 = DATA / "welsh_crisis_holdout5.yaml"
"""Held aside in session 10, read in session 11 (branch welsh6), which wrote Welsh examples,
near misses and gloss entries from its misses by situation: checked for copies likewise."""
READ_IN_SESSION_12 = DATA / "welsh_crisis_holdout6.yaml"
"""Held aside in session 11, read in session 12 (branch welsh7), which wrote Welsh examples,
near misses, ordinary phrases and gloss entries from its misses by situation: checked likewise."""
READ_FILES = (*TUNED_FILES, *(path for path in (READ_IN_SESSION_11,) if path not in TUNED_FILES))
"""Every Welsh set the benchmarks read: the tuned ones and the one read this session (which the
lead moves into TUNED at merge; then it is not counted twice)."""
EARLIER_RUNS = {
    ("r", "plant", "yn", "llwgu", "ar", "ol"),
    ("plant", "yn", "fy", "ngyrru", "i", "n"),
    ("eto", "dwi", "n", "mynd", "i", "w"),
    ("gath", "fydda", "i", "ddim", "o", "gwmpas"),
    ("ni", "n", "cysgu", "yn", "y", "car"),
    ("newydd", "ddod", "allan", "o", "r", "carchar"),
}
"""Runs of six words a read set shares with Welsh texts written before it: a sign and a near
miss of sessions 7 and 8 (holdout4), an example of session 8, a sign and a welsh5 example
written in session 10 before welsh_crisis_holdout5.yaml was read (holdout5), and a welsh6 example
written in session 11 while welsh_crisis_holdout6.yaml was held aside (holdout6): everyday Welsh,
not copies."""


def _runs(text: str, size: int = 6) -> set[tuple[str, ...]]:
    read = welsh.words(text)
    return {tuple(read[at : at + size]) for at in range(len(read) - size + 1)}


@pytest.mark.parametrize(
    "read",
    [READ_IN_SESSION_10, READ_IN_SESSION_11, READ_IN_SESSION_12],
    ids=lambda path: path.stem,
)
def test_the_sets_read_in_sessions_10_to_12_are_not_copied_into_the_knowledge_base(
    demo_kb: KnowledgeBase, read: Path
) -> None:
    """No labelled text inside a knowledge-base text (or the reverse, five words or more), and
    no run of six of its words in any safeguarding text or gloss entry (Welsh read as words:
    "mae'r" is "mae r"): the examples were written from its misses in other words."""
    if not read.is_file():
        pytest.skip(f"{read.name} absent")
    assert not copied_into_the_knowledge_base(demo_kb, read)
    assert demo_kb.safeguarding is not None and demo_kb.vocabulary is not None
    safeguarding = demo_kb.safeguarding
    written = [
        *safeguarding.not_crisis,
        *(
            text
            for kind in safeguarding.kinds
            for text in (
                *kind.signs,
                *kind.examples,
                *kind.near_misses,
                *(text for texts in kind.examples_in.values() for text in texts),
                *(text for texts in kind.near_misses_in.values() for text in texts),
            )
        ),
        *demo_kb.vocabulary.languages["cy"].gloss,
    ]
    ours = set().union(*(_runs(text) for text in written))
    labelled = load_crisis_set(read)
    shared = {
        run
        for text in (*(item.text for item in labelled.crisis), *labelled.near_misses)
        for run in _runs(text) & ours
    }
    assert shared <= EARLIER_RUNS, shared - EARLIER_RUNS
