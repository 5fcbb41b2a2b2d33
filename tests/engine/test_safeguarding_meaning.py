"""Safeguarding by meaning (issue 12): the real engine, the real model, real text.

Quality is measured on the labelled sets in tests/data/crisis*.yaml: the tuned
part must meet the aims; the held-aside part is reported (docs/performance.md)
and asserted only as far as it honestly goes.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from navigator.engine import views as v
from navigator.engine.events import SafeguardingShown
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.contextual import (
    DEFAULT_ONNX_RUNTIME,
    ContextualModel,
    Runtime,
)
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.language import LanguageDetector
from navigator.engine.understanding.safety import MeaningLine
from navigator.kb import KnowledgeBase
from tests.engine.conftest import KioskConversation
from tests.engine.crisis_set import (
    DATA,
    EIGHTH_HOLDOUT,
    FIFTH_HOLDOUT,
    HOLDOUT,
    NINTH_HOLDOUT,
    SEVENTH_HOLDOUT,
    SIXTH_HOLDOUT,
    TUNED_SETS,
    load_crisis_set,
    measure_crisis,
)
from tests.engine.phrasing_set import HOLDOUT as PHRASINGS_HOLDOUT
from tests.engine.phrasing_set import PHRASINGS, load_phrasings
from tests.support.held_aside import CountsOnly

HELD_ASIDE_CAUGHT: int | None = 211
"""Caught on the held-aside set, crisis_holdout10.yaml (224 disclosures), written on branch
holdout10 before session 12's tuning and measured by the lead on main before the merge (211,
of which 178 the right kind) and once after it (211, of which 184 the right kind). The
previous held-aside set, crisis_holdout9.yaml, is tuned on from session 12, with the floors
NINTH_* below."""
HELD_ASIDE_ALARMS: int | None = 18
"""Near-miss alarms on crisis_holdout10.yaml (149 near misses): a ceiling, 19 on main before
session 12's merge, 18 after it."""
HELD_ASIDE_RIGHT_KIND: int | None = 184
"""Disclosures of crisis_holdout10.yaml caught as the RIGHT kind (a wrong kind shows the wrong
contacts): 178 on main before session 12's merge, 184 after it. A floor, set with the two
above."""
NINTH_CAUGHT = 209
"""Caught on crisis_holdout9.yaml (213 disclosures), tuned on from session 12: 205 when it was
measured held aside at the merge of session 11, 209 with branch misses9's examples (written
from its misses, in-sample; docs/performance.md "Session 12: misses9"). A floor."""
NINTH_ALARMS = 14
"""Near-miss alarms on crisis_holdout9.yaml (137 near misses): 31 at the merge of session 11,
27 with branch misses9's signs told as not now and films read as past (code written before
reading it bar a few words), 11 with its near misses too (in-sample), 14 once branch notnow2
made those frames safe (a frame never holds beside a sign told of the writer now, or any
"still", "again", "now", "keeps"). A ceiling."""
NINTH_RIGHT_KIND = 196
"""crisis_holdout9.yaml's disclosures caught as the right kind: 167 at the merge of session 11
(168 measured at the start of session 12), 196 with branch misses9's examples (in-sample). A
floor."""
EIGHTH_CAUGHT = 181
"""Caught on crisis_holdout8.yaml (181 disclosures), tuned on from session 11: 173 when it was
measured held aside at the merge of session 10 on a processor that saturated int8 sums, 172
with the sums exact (session 11, exact8), 181 with branch misses8's examples (written from its
misses, in-sample; docs/performance.md "Session 11: misses8"). A floor."""
EIGHTH_ALARMS = 8
"""Near-miss alarms on crisis_holdout8.yaml (123 near misses): 22 at the merge of session 10,
8 with branch misses8's near misses (in-sample). A ceiling."""
EIGHTH_RIGHT_KIND = 170
"""crisis_holdout8.yaml's disclosures caught as the right kind: 127 at the merge of session 10
(saturated sums), 126 exactly, 170 with branch misses8's examples (in-sample). A floor."""
EIGHTH_CONVERSATION_CAUGHT = 181
"""Caught on crisis_holdout8.yaml read as a conversation reads it (each text's language
detected first, as `Understanding.read` does; EIGHTH_* above read every text as English).
About one text in ten mixes in another language. Session 12: 179 on main; 178 once Spanish
was declared (branch cleanup: "mis hijos no han comido desde ayer, no money until the 15th"
became Spanish, which no sign matched and whose English the mixed line found too little of);
180 with branch cleanup2's Spanish signs; 181 with branch youngcarer's Polish signs of a
weapon or danger now (a woman with a knife on the stairs, said in Polish without its
letters). A floor."""
EIGHTH_CONVERSATION_ALARMS = 7
"""Near-miss alarms on crisis_holdout8.yaml read as a conversation reads it: 7 on main and
since. A ceiling."""
EIGHTH_CONVERSATION_RIGHT_KIND = 171
"""crisis_holdout8.yaml's disclosures caught as the right kind read as a conversation reads
it: 170 on main, 169 with Spanish declared, 170 with branch cleanup2's Spanish signs, 171
with branch youngcarer's Polish signs of danger now. A floor."""
SEVENTH_CAUGHT = 172
"""Caught on crisis_holdout7.yaml (175 disclosures), tuned on from session 10: 171 when it was
measured held aside at the merge of session 9, 172 with branch misses7's examples (written from
its misses, in-sample; docs/performance.md "Session 10: misses7"). A floor."""
SEVENTH_ALARMS = 14
"""Near-miss alarms on crisis_holdout7.yaml (121 near misses): 18 at the merge of session 9,
14 with branch misses7's near misses (in-sample). A ceiling."""
SEVENTH_RIGHT_KIND = 149
"""crisis_holdout7.yaml's disclosures caught as the right kind: 121 at the merge of session 9,
150 with branch misses7's examples (in-sample), 149 with products summed exactly (session 11,
exact8). A floor."""
SIXTH_CAUGHT = 161
"""Caught on crisis_holdout6.yaml (161 disclosures), tuned on from session 9: 156 when it was
measured held aside at the merge of session 8, 161 with branch misses6's examples (written from
its misses, in-sample; docs/performance.md "Session 9: misses6"). A floor."""
SIXTH_ALARMS = 1
"""Near-miss alarms on crisis_holdout6.yaml (116 near misses): 27 at the merge of session 8,
2 with branch misses6's near misses (in-sample), 1 at the merge of session 9. A ceiling."""
FIFTH_CAUGHT = 111
"""Caught on crisis_holdout5.yaml (111 disclosures), tuned on from session 8: 95 when it was
measured held aside at the merge of session 7, 100 with the trained view and session 8's
near misses (branch classifier), 111 with branch crisiscontent's examples too
(docs/performance.md). A floor."""
FIFTH_ALARMS = 4
"""Near-miss alarms on crisis_holdout5.yaml (74 near misses): 16 at the merge of session 7,
12 with the trained view, 6 with branch crisiscontent's examples too, 4 with session 9's
(branch misses6, not written from this set). A ceiling."""
ORDINARY_INTERRUPTED = 22
"""Ordinary requests of the needs sets (tests/data/phrasings*.yaml) asked the check-in
question or shown a panel: 21 of 401 at the merge of session 7 and with the trained view alone
(it adds one and clears one); 26 at the merge of session 8, when the trained view learnt from
branch crisiscontent's examples too (docs/performance.md); in session 9, 24 of 401 with branch
trainedcal (near misses weigh more in training), 23 with branch misses6's near misses; branch
content's kinship care and prison phrasings (409 in all) add three that are asked ("his mum is
on drugs", "raising 3 grandkids on a pension", "gets out of jail"): 27 at the merge of session 9
as measured then, 24 measured at the start of session 10 (branch misses7) and 22 after its
examples and near misses (three cleared, one other asked); 23 with the int8 products summed
exactly on every processor (session 11, exact8); 23 at the merge of session 12, 22 with branch
youngcarer's young carers' near misses ("im 14 and i look after my mam" cleared). A ceiling;
the aim is none."""

needs_held_aside = pytest.mark.skipif(
    not HOLDOUT.is_file(), reason=f"{HOLDOUT.name} is not on this branch (the lead measures it)"
)


TUNED_ALARMS_LEFT = {
    "the baby wont stop crying at night, is there a health visitor i can talk to",
    "my partner lost his temper at the kids tea party because the cake fell, so stressful",
    # crisis_holdout3.yaml: a sign told of the past (the sign line is never guarded so)
    "my mum overdosed when i was little, now i want to do counselling training",
    "my ex used to hit me but that was years ago, now i need help with child maintenance",
    # crisis_holdout4.yaml (tuned on from session 7): three idioms or errands that hold a
    # sign's words (the sign lexicon is another branch's), and a past loss that "still" hurts
    "my boss will strangle me if im late back from lunch",
    "watched a documentary about county lines, are there any talks on it at the library",
    "i hit the kerb and my tyre burst, any cheap garages round here",
    "my cat got run over last year and i still miss her",
    # Asked the check-in question by the session 6 blend, which the contextual model's
    # blend no longer silences (session 7, at merge: the contextual model may only add
    # catches; `safety.MeaningLine._readings` says why).
    "i am knackered, the baby has been up every night",
    "my husband snores that loud i could smother him with a pillow",
    "someone nicked my bike from outside the library do i tell the police",
    "this printer wants shooting",
    "my daughter fell off her bike and grazed her knee wheres the nearest chemist",
    # crisis_holdout5.yaml (tuned on from session 8, branch crisiscontent): left after the
    # examples and near misses written from its alarms (16 at the merge of session 7)
    "did you see eastenders last night when she got stabbed, had me in bits",
    "my brother got done for fighting 10 years ago, can he still get a job in security",
    "need my passport photo shot, is there a booth in here",
    "we got our heads kicked in at 5 a side last night 8-0 lol, "
    "any other teams looking for players",
    "writing to my mp about knife crime round here, who else should i contact",
    "a man collapsed at the bus stop last month and i did cpr till the ambulance came, "
    "where can i do a proper course",
    "i teach year 6 and we are doing a project on the blitz, "
    "do you have books for kids about the war",
    # Asked the check-in question by the trained view (session 8, branch classifier), which
    # adds it where it finds a crisis likely (safety.TRAINED_ADDS): a parent's worry. (Its
    # "the kids are hungry all the time, growing boys, any cheap recipes" and the margins'
    # "how do i kill the weeds on my allotment without hurting the bees" are left alone from
    # session 9: the trained view learns the near misses harder, trained.HARD_WEIGHT.)
    "my teenager is glued to his phone and wont talk to me",
    # Session 10 (branch fast3): with the contextual model's int8 products the trained view
    # gives it 0.916 (0.9 adds): back. Raising TRAINED_ADDS to 0.92 would drop a
    # crisis_holdout7 catch, so it is left, and said (docs/performance.md, "Session 10").
    "the kids are hungry all the time, growing boys, any cheap recipes",
    # crisis_holdout6.yaml (held aside in session 8, tuned on from session 9, branch misses6):
    # left after the near misses written from its 27 alarms. A sign inside a joke ("going to
    # kill my brother" must stay a sign), and a tired parent the trained view reads as a crisis.
    "im going to kill my brother, hes eaten all the biscuits again lol",
    "rough night, the kids had me up at 4, is there a creche while i do the course",
}
"""Near misses of the tuned sets that still get a response: ordinary requests about a
baby's crying or a partner's temper, where the meaning line sits close to a kind's
examples (the check-in), signs told of the past or inside an idiom, and a past event told
with "still" (`safety.STILL_GOING`). Findings, left honest rather than patched with
near-copies; a change that adds one fails."""

TUNED_MISSES_LEFT = {
    "the baby milk ran out this morning and i cant afford more, shes screaming for a feed",
    # crisis_holdout4.yaml, tuned on from session 7 (docs/performance.md, "Session 7")
    "if that landlord comes round one more time i swear ill do him in, ive got the bat by the door",
    "i lose it with mum shes got dementia and ive pushed her over twice now",
    "been sofa surfing at my mates but she says we have to be out today, ive got a 3 yr old",
    "baby milk ran out yesterday, been giving her water",
    # crisis_holdout5.yaml, tuned on from session 8 (16 missed at the merge of session 7)
    "need help with council tax arrears but honestly whats the point "
    "ive already wrote letters to the kids for after im gone",
}
"""Disclosures of the tuned sets still missed; a change that adds one fails."""


# --- Quality on the labelled sets ------------------------------------------------------


@pytest.mark.parametrize("path", TUNED_SETS, ids=lambda path: path.stem)
def test_tuned_sets_every_indirect_crisis_is_caught_and_no_near_miss_interrupts(
    detector: SafeguardingDetector, path: Path
) -> None:
    """The tuned set and the first three held-aside sets (looked at, so tuned on since).

    The second joined in the third round: before it, 37/42 caught and 8/32 near misses
    alarmed; the third round's examples and near misses (docs/performance.md) brought it
    to 42/42 and 2/32. The third joined in the fourth round, measured
    at its start at 42/52 and 6/40. What is left is listed above."""
    report = measure_crisis(detector, load_crisis_set(path))
    assert report.crisis_total >= 30
    if path == FIFTH_HOLDOUT:  # counted, as when it was held aside (its texts are not listed)
        assert report.caught >= FIFTH_CAUGHT, f"{report.caught}/{report.crisis_total}"
        assert len(report.false_alarms) <= FIFTH_ALARMS, f"{len(report.false_alarms)} alarms"
        return
    if path == SIXTH_HOLDOUT:  # likewise
        assert report.caught >= SIXTH_CAUGHT, f"{report.caught}/{report.crisis_total}"
        assert len(report.false_alarms) <= SIXTH_ALARMS, f"{len(report.false_alarms)} alarms"
        return
    if path == SEVENTH_HOLDOUT:  # likewise
        assert report.caught >= SEVENTH_CAUGHT, f"{report.caught}/{report.crisis_total}"
        assert len(report.false_alarms) <= SEVENTH_ALARMS, f"{len(report.false_alarms)} alarms"
        assert report.right_kind >= SEVENTH_RIGHT_KIND, f"{report.right_kind} the right kind"
        return
    if path == NINTH_HOLDOUT:  # likewise
        assert report.caught >= NINTH_CAUGHT, f"{report.caught}/{report.crisis_total}"
        assert len(report.false_alarms) <= NINTH_ALARMS, f"{len(report.false_alarms)} alarms"
        assert report.right_kind >= NINTH_RIGHT_KIND, f"{report.right_kind} the right kind"
        return
    if path == EIGHTH_HOLDOUT:  # likewise
        assert report.caught >= EIGHTH_CAUGHT, f"{report.caught}/{report.crisis_total}"
        assert len(report.false_alarms) <= EIGHTH_ALARMS, f"{len(report.false_alarms)} alarms"
        assert report.right_kind >= EIGHTH_RIGHT_KIND, f"{report.right_kind} the right kind"
        return
    assert set(report.missed) <= TUNED_MISSES_LEFT
    assert {text for text, _ in report.false_alarms} <= TUNED_ALARMS_LEFT


def test_the_eighth_set_read_as_a_conversation_reads_it_keeps_its_floors(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector
) -> None:
    """crisis_holdout8.yaml with each text's language detected first: a language declared
    (Spanish, session 12) changes which line reads a mixed disclosure, and the floors above
    measured without detection would not see a catch lost that way."""
    languages = LanguageDetector.for_knowledge(demo_kb)
    report = measure_crisis(detector, load_crisis_set(EIGHTH_HOLDOUT), languages)
    assert report.caught >= EIGHTH_CONVERSATION_CAUGHT, f"{report.caught}/{report.crisis_total}"
    assert report.right_kind >= EIGHTH_CONVERSATION_RIGHT_KIND, f"{report.right_kind} right kind"
    assert len(report.false_alarms) <= EIGHTH_CONVERSATION_ALARMS, (
        f"{len(report.false_alarms)} alarms"
    )


def test_ordinary_requests_are_rarely_interrupted(detector: SafeguardingDetector) -> None:
    ordinary = [
        text for path in (PHRASINGS, PHRASINGS_HOLDOUT) for text in load_phrasings(path).not_crisis
    ]
    interrupted = [text for text in ordinary if detector.assess(text) is not None]
    assert len(ordinary) >= 400
    assert len(interrupted) <= ORDINARY_INTERRUPTED, interrupted


@needs_held_aside
def test_new_held_aside_set_is_mostly_caught(detector: SafeguardingDetector) -> None:
    """Held aside, never tuned on. The aim is 100% recall and no false alarm; the figures
    reached are in docs/performance.md. This asserts what is honestly met today, so a
    change that makes it worse fails."""
    if HELD_ASIDE_CAUGHT is None or HELD_ASIDE_ALARMS is None:
        pytest.skip("the held-aside floors are set by the lead when first measured at merge")
    report = measure_crisis(detector, load_crisis_set(HOLDOUT))
    # Counts only, never a text (`CountsOnly`): the held-aside texts are not to be read.
    floors = CountsOnly(HOLDOUT.name)
    floors.at_least("disclosures", report.crisis_total, 50)
    floors.at_least("near misses", report.near_total, 40)
    floors.at_least("caught", report.caught, HELD_ASIDE_CAUGHT, report.crisis_total)
    floors.at_most("alarms", len(report.false_alarms), HELD_ASIDE_ALARMS, report.near_total)
    if HELD_ASIDE_RIGHT_KIND is not None:
        floors.at_least("the right kind", report.right_kind, HELD_ASIDE_RIGHT_KIND)
    floors.check()


def test_the_sets_together_have_60_disclosures_over_every_kind_and_40_near_misses(
    demo_kb: KnowledgeBase,
) -> None:
    sets = [load_crisis_set(path) for path in TUNED_SETS]
    crisis = [item for crisis_set in sets for item in crisis_set.crisis]
    assert len(crisis) >= 60
    assert sum(len(crisis_set.near_misses) for crisis_set in sets) >= 40
    assert demo_kb.safeguarding is not None
    kinds = {kind.id for kind in demo_kb.safeguarding.kinds}
    assert kinds <= {kind for item in crisis for kind in item.kinds}


@needs_held_aside
def test_the_held_aside_set_covers_every_kind(demo_kb: KnowledgeBase) -> None:
    assert demo_kb.safeguarding is not None
    kinds = {kind.id for kind in demo_kb.safeguarding.kinds}
    held_aside = {kind for item in load_crisis_set(HOLDOUT).crisis for kind in item.kinds}
    assert kinds <= held_aside


@pytest.mark.parametrize(
    "text",
    [
        "this form is killing me",
        "my phone is about to die",
        "i'm starving, can't wait for tea",
        "i nearly died laughing in the queue",
        # session 8: idioms that held a sign, found while testing the trained view
        "i nearly killed myself laughing at the panto",
        "my daughter is self conscious about her weight, any healthy eating groups",
    ],
)
def test_ordinary_alarming_phrases_do_not_interrupt(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector, text: str
) -> None:
    assert detector.assess(text) is None
    view = kiosk_conversation(detector).say(text)
    assert view.kind not in {"safeguarding", "check_in"}


def test_a_young_carer_saying_they_care_for_a_parent_is_not_asked_the_check_in(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector
) -> None:
    """Session 12 (branch youngcarer): a child who says they look after a parent is a young
    carer asking for support, an ordinary request (tests/data/phrasings.yaml). After
    session 12's merge the trained view gave it 0.94 (asked from 0.9); the young carers'
    near misses in knowledge/safeguarding.yaml teach it otherwise."""
    text = "im 14 and i look after my mam"
    assert detector.assess(text) is None
    view = kiosk_conversation(detector).say(text)
    assert view.kind not in {"safeguarding", "check_in"}


@pytest.mark.parametrize(
    "text",
    [
        "im 14, i look after my mam and she hits me",
        "im 12 and i look after my dad, there's no food and he hasn't woken up",
    ],
)
def test_a_young_carer_at_risk_is_still_caught(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector, text: str
) -> None:
    """The young carers' near misses must not teach the line that a child who cares for a
    parent is never at risk: harm told, or a parent who will not wake, is still caught."""
    assert detector.assess(text) is not None
    view = kiosk_conversation(detector).say(text)
    assert view.kind in {"safeguarding", "check_in"}


def test_the_issues_indirect_disclosures_are_caught(detector: SafeguardingDetector) -> None:
    for text, kind in [
        ("dads slurring and one arm has gone floppy", "medical-emergency"),
        ("me and the kids slept at the bus station last night", "nowhere-to-sleep"),
        ("my partner choked me again and says hell finish it if i go", "domestic-abuse"),
    ]:
        verdict = detector.assess(text)
        assert verdict is not None and verdict.kind_id == kind, (text, verdict)


def test_a_meaning_verdict_names_its_nearest_examples(detector: SafeguardingDetector) -> None:
    verdict = detector.assess("dads slurring and one arm has gone floppy")
    assert verdict is not None and verdict.line in {"meaning", "check-in"}
    assert len(verdict.nearest) == 3
    scores = [near.score for near in verdict.nearest]
    assert scores == sorted(scores, reverse=True)
    assert any("slurring" in near.example for near in verdict.nearest)


def test_short_answers_are_left_to_the_sign_line(detector: SafeguardingDetector) -> None:
    for answer in ["yes", "no", "me", "under 18", "yep"]:
        assert detector.assess(answer) is None


# --- The check-in, through the conversation -------------------------------------------

WORRYING = "i keep standing on the edge of the car park roof"
"""In the check-in band. "my lad has been burning his arms with a lighter" was, until the
fourth round's examples (self-harm by burning) made it a clear margin: the panel."""


def test_the_lighter_disclosure_now_shows_the_panel(detector: SafeguardingDetector) -> None:
    verdict = detector.assess("my lad has been burning his arms with a lighter")
    assert verdict is not None and verdict.line == "meaning"
    assert verdict.kind_id == "suicide-self-harm"


def test_worrying_text_asks_the_check_in_question_from_the_knowledge_base(
    demo_kb: KnowledgeBase, kiosk_conversation: KioskConversation, detector: SafeguardingDetector
) -> None:
    verdict = detector.assess(WORRYING)
    assert verdict is not None and verdict.line == "check-in"
    view = kiosk_conversation(detector).say(WORRYING)
    assert isinstance(view, v.CheckInView)
    assert demo_kb.safeguarding is not None and demo_kb.safeguarding.check_in is not None
    assert view.text == demo_kb.safeguarding.check_in.question.get()
    assert [choice.key for choice in view.choices] == [v.CHECK_IN_YES, v.CHECK_IN_NO]


@pytest.mark.parametrize("answer", ["1", "yes", "yeah"])
def test_yes_at_the_check_in_shows_that_kinds_panel(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector, answer: str
) -> None:
    conversation = kiosk_conversation(detector)
    conversation.say(WORRYING)
    view = conversation.say(answer) if answer != "1" else conversation.choose(1)
    assert isinstance(view, v.SafeguardingView)
    assert view.crisis_kind == detector.assess(WORRYING).kind_id  # type: ignore[union-attr]
    assert [e.crisis_kind for e in conversation.events if isinstance(e, SafeguardingShown)] == [
        view.crisis_kind
    ]
    # After the panel, carry on returns to where the person was, not to the question.
    assert conversation.continue_after_safeguarding().kind == "welcome"


def test_no_at_the_check_in_carries_on_where_the_person_was(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector
) -> None:
    conversation = kiosk_conversation(detector)
    conversation.choose(2)  # a topic: now at its first question
    question = conversation.view
    assert question.kind == "question"
    assert conversation.say(WORRYING).kind == "check_in"
    after = conversation.say("no")
    assert after.kind not in {"check_in", "safeguarding"}
    assert not any(isinstance(e, SafeguardingShown) for e in conversation.events)
    assert conversation.state.topic_id == question.topic_id


def test_a_crisis_sign_typed_at_the_check_in_shows_the_panel(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector
) -> None:
    conversation = kiosk_conversation(detector)
    conversation.say(WORRYING)
    view = conversation.say("i want to kill myself")
    assert isinstance(view, v.SafeguardingView) and view.crisis_kind == "suicide-self-harm"


def test_a_crisis_story_typed_at_a_question_mid_topic_shows_the_panel(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector
) -> None:
    conversation = kiosk_conversation(detector)
    conversation.choose(1)
    conversation.choose(1)
    node = conversation.state.node_id
    view = conversation.say("my husband has crushing pain in his chest going down his arm")
    assert isinstance(view, v.SafeguardingView) and view.crisis_kind == "medical-emergency"
    assert conversation.continue_after_safeguarding().node_id == node


# --- Without the model ------------------------------------------------------------------


def _broken_detector(
    kb: KnowledgeBase, weights: Path, contextual: Path | None = None
) -> SafeguardingDetector:
    """Both meaning models unreadable (`weights` the static one's, `contextual` the
    contextual one's; the same file when not given)."""
    line = MeaningLine.for_knowledge(
        kb, EmbeddingModel(weights=weights), ContextualModel(weights=contextual or weights)
    )
    return SafeguardingDetector.for_knowledge(kb, meaning=line)


def test_a_missing_model_file_leaves_the_sign_line_working(
    demo_kb: KnowledgeBase,
    kiosk_conversation: KioskConversation,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    detector = _broken_detector(demo_kb, tmp_path / "no-such-model.safetensors")
    with caplog.at_level(logging.WARNING):
        assert not detector.prepare_meaning()
        conversation = kiosk_conversation(detector)
        crisis = conversation.say("i want to kill myself")
        conversation.continue_after_safeguarding()
        indirect = conversation.say("dads slurring and one arm has gone floppy")
    assert isinstance(crisis, v.SafeguardingView)  # the sign lexicon is never skipped
    assert indirect.kind not in {"safeguarding", "check_in"}  # meaning is off, said once:
    unavailable = [r for r in caplog.records if "Meaning model unavailable" in r.getMessage()]
    assert len(unavailable) == 1
    assert "no-such-model.safetensors" in unavailable[0].getMessage()
    contextual = [r for r in caplog.records if "Contextual meaning model" in r.getMessage()]
    assert len(contextual) == 1
    assert detector.meaning is not None and not detector.meaning.available


def test_without_the_static_model_the_contextual_model_still_reads_meaning(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """A missing static model file: the contextual model and letter groups read meaning
    (their own weights and margins, `safety.CONTEXT_ALONE_*`); the reason is still given
    for the managers' Content tab."""
    line = MeaningLine.for_knowledge(
        demo_kb, EmbeddingModel(weights=tmp_path / "gone.safetensors"), ContextualModel()
    )
    detector = SafeguardingDetector.for_knowledge(demo_kb, meaning=line)
    assert detector.prepare_meaning()
    verdict = detector.assess("dads slurring and one arm has gone floppy")
    assert verdict is not None and verdict.kind_id == "medical-emergency"
    assert detector.assess("this form is killing me") is None
    assert "gone.safetensors" in (line.unavailable_reason or "")


def test_without_the_contextual_model_the_session_6_lines_answer(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """A corrupt contextual weights file: the static model and letter groups answer with
    session 6's margins, so the line is as good as it was before the contextual model."""
    corrupt = tmp_path / "minilm.safetensors"
    corrupt.write_bytes(b"\x00" * 4096)
    line = MeaningLine.for_knowledge(demo_kb, EmbeddingModel(), ContextualModel(weights=corrupt))
    detector = SafeguardingDetector.for_knowledge(demo_kb, meaning=line)
    assert detector.prepare_meaning()
    verdict = detector.assess("dads slurring and one arm has gone floppy")
    assert verdict is not None and verdict.kind_id == "medical-emergency"
    assert detector.assess("i want to kill myself") is not None
    assert "not a readable weights file" in (line.unavailable_reason or "")


def test_a_corrupt_model_file_leaves_the_sign_line_working(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    corrupt = tmp_path / "corrupt.safetensors"
    corrupt.write_bytes(b"this is not a safetensors file at all" * 100)
    detector = _broken_detector(demo_kb, corrupt)
    verdict = detector.assess("he has got a knife and is outside my door")
    assert verdict is not None and verdict.line == "sign"
    assert detector.assess("dads slurring and one arm has gone floppy") is None
    assert detector.meaning is not None
    assert "not a readable weights file" in (detector.meaning.unavailable_reason or "")


def test_back_at_the_check_in_closes_it_and_goes_no_further(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector
) -> None:
    conversation = kiosk_conversation(detector)
    question = conversation.choose(2)
    assert conversation.say(WORRYING).kind == "check_in"
    after = conversation.say("go back")
    assert after.kind == "question" and after.node_id == question.node_id
    assert not any(isinstance(e, SafeguardingShown) for e in conversation.events)


def test_a_pasted_document_is_read_quickly_and_calmly(detector: SafeguardingDetector) -> None:
    """200,000 characters of ordinary text: read like a long message (capped), no crisis."""
    document = "I would like to ask about help with the garden and the bins please. " * 3000
    assert detector.assess(document) is None


def test_a_story_told_as_past_or_over_is_not_asked_the_check_in_question(
    detector: SafeguardingDetector,
) -> None:
    """The check-in band is for a crisis that may be happening now; a clear panel margin
    still counts, and so does every sign."""
    now = "i keep standing on the edge of the car park roof"
    verdict = detector.assess(now)
    assert verdict is not None and verdict.line == "check-in"
    assert detector.assess(f"years ago {now} but im fine now") is None
    assert detector.assess("i used to want to kill myself") is not None  # a sign


@pytest.mark.parametrize("answer", ["she is 82", "he is 79", "she is eighty two"])
def test_a_short_answer_at_its_question_is_not_asked_the_check_in(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector, answer: str
) -> None:
    """Read alone, these sit in the meaning line's unsure band ("he is 79" even before the
    third round lowered it); at the age question they are answers, and move on."""
    conversation = kiosk_conversation(detector)
    conversation.start_topic("adult-social-care")
    conversation.choose("help-at-home")
    conversation.choose("someone-else")
    assert conversation.view.node_id == "asc-age"
    assert conversation.say(answer).node_id == "asc-lives"
    assert not any(isinstance(e, SafeguardingShown) for e in conversation.events)


def test_a_disclosure_at_a_question_is_still_asked_the_check_in(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector
) -> None:
    """Long enough to be a story, not an answer, even though it names someone."""
    conversation = kiosk_conversation(detector)
    conversation.start_topic("adult-social-care")
    conversation.choose("help-at-home")
    assert conversation.say("my mum, two men just forced their way into her flat").kind in {
        "check_in",
        "safeguarding",
    }


def copied_into_the_knowledge_base(knowledge: KnowledgeBase, path: Path) -> list[tuple[str, str]]:
    """(labelled text, knowledge-base text) pairs where a text of the set at `path` is inside
    a safeguarding text of the knowledge base, in any language, or a knowledge-base text of
    five words or more is inside a labelled one (an idiom in EARLIER excepted)."""
    from navigator.engine.textnorm import normalise

    assert knowledge.safeguarding is not None
    written = [
        normalise(text)
        for kind in knowledge.safeguarding.kinds
        for text in (
            *kind.examples,
            *kind.near_misses,
            *kind.signs,
            *(text for texts in kind.examples_in.values() for text in texts),
            *(text for texts in kind.near_misses_in.values() for text in texts),
        )
    ] + [normalise(text) for text in knowledge.safeguarding.not_crisis]
    labelled_set = load_crisis_set(path)
    labelled = [
        normalise(text)
        for text in (*(i.text for i in labelled_set.crisis), *labelled_set.near_misses)
    ]
    return [
        (text, ours)
        for text in labelled
        for ours in written
        if text in ours
        or (len(ours.split()) >= 5 and f" {ours} " in f" {text} " and ours not in EARLIER)
    ]


@needs_held_aside
def test_the_held_aside_crisis_set_is_not_copied_into_the_knowledge_base(
    demo_kb: KnowledgeBase,
) -> None:
    """A held-aside text (or a knowledge-base example of five words or more inside one)
    in safeguarding.yaml would make the held-aside figures meaningless. A failure names the
    knowledge base's texts only, never the held-aside ones."""
    found = sorted({ours for _, ours in copied_into_the_knowledge_base(demo_kb, HOLDOUT)})
    if found:
        pytest.fail(f"{HOLDOUT.name} (held aside) meets these knowledge-base texts: {found}", False)


READ_IN_SESSION_8 = (FIFTH_HOLDOUT, DATA / "welsh_crisis_holdout2.yaml")
READ_IN_SESSION_9 = (SIXTH_HOLDOUT, DATA / "welsh_crisis_holdout3.yaml")
"""Held aside in session 8, read in session 9 (branch misses6): checked here too, so the check
stays when the lead moves HOLDOUT to the next held-aside set."""
"""The held-aside sets whose misses session 8 (branch crisiscontent) read and wrote examples
from: they are tuned now, but an example copied from them would still flatter their figures
and teach nothing for the next person who says it another way."""
READ_IN_SESSION_10 = (SEVENTH_HOLDOUT,)
"""Held aside in session 9, read in session 10 (branch misses7, which wrote examples from its
misses and wrong kinds): checked here too, so the check stays when the lead moves HOLDOUT."""
READ_IN_SESSION_11 = (DATA / "crisis_holdout8.yaml",)
"""Held aside in session 10, read in session 11 (branch misses8, which wrote examples from its
misses, wrong kinds and alarms): checked here too, so the check stays when the lead moves
HOLDOUT to crisis_holdout9.yaml (the Welsh set read this session is added by branch welsh6)."""


READ_IN_SESSION_12 = (NINTH_HOLDOUT,)
"""Held aside in session 11, read in session 12 (branch misses9, which wrote examples from its
misses, wrong kinds and alarms): checked here too, so the check stays when the lead moves
HOLDOUT to crisis_holdout10.yaml."""


@pytest.mark.parametrize(
    "path",
    (
        *READ_IN_SESSION_8,
        *READ_IN_SESSION_9,
        *READ_IN_SESSION_10,
        *READ_IN_SESSION_11,
        *READ_IN_SESSION_12,
    ),
    ids=lambda path: path.stem,
)
def test_the_sets_read_in_session_8_are_not_copied_into_the_knowledge_base(
    demo_kb: KnowledgeBase, path: Path
) -> None:
    """No labelled text inside a knowledge-base text, and no knowledge-base text of five
    words or more inside a labelled one, in any language (the Welsh examples too)."""
    assert not copied_into_the_knowledge_base(demo_kb, path)


EARLIER = {
    "my feet are killing me",
    "the kids are driving me up the wall",
    "my back is killing me",
    "go to sleep and never wake up",
    "dim lle i gysgu heno",
    "maer plant yn fy ngyrru in wallgo",
    "poen mawr yn y frest",
    "bu bron i fi farw",
    "pushed me down the stairs",
    "threatened me with a knife",
    "forces me to have sex",
    "nu mai vreau sa traiesc",
    "in front of a train",
}
"""Idioms and signs in the knowledge base before a held-aside set was written, which its
texts happened to use: they test guards and signs that were already there (said in
docs/performance.md), not copies. The first two met crisis_holdout3.yaml's near misses;
the last two (a near miss since session 3 and a sign since session 2) met
crisis_holdout5.yaml's, written without reading the knowledge base. The Welsh two (a sign and
a near miss written on branch cymraeg in session 7, which never had the file) met
welsh_crisis_holdout2.yaml's near misses. The last two (a Welsh sign for chest pain and a
Welsh idiom guard, both in the knowledge base before session 8 wrote welsh_crisis_holdout3.yaml)
met that set's texts; it was checked from session 9, when it was read. The last three are
signs of the sign lexicon since session 2 or earlier, which three disclosures of
crisis_holdout9.yaml (written in session 11 without reading the knowledge base) say in the
same words: what people say, not copies. The Romanian "I do not want to live any more" is a
sign written in session 11 (branch signslang, by someone who never opened crisis_holdout9.yaml)
that one of its mixed-language disclosures says in the same words; the merged figure (205)
counts that catch. "in front of a train" is a sign of the first demo (before session 1's
end), which a disclosure of crisis_holdout10.yaml (written in session 12 without reading the
knowledge base) says in the same words: both figures measured on it (211) count that catch."""


def test_onnxruntime_and_numpy_decide_every_tuned_text_alike(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector
) -> None:
    """Session 9 (branch fast2): the contextual model's layers run in onnxruntime; with
    numpy's (the fallback) every disclosure and near miss of the first tuned set and the
    first 60 ordinary requests get the same kind, tier and view. The benchmark
    (tests/bench/bench_contextual_runtime.py) compares all 1,563 labelled texts.
    Session 10 (branch fast3): the default runtime has int8 products, whose vectors differ a
    hair from float32's, so a text near a margin may decide otherwise (after session 10's
    merge, "my teenager slams doors and shouts at me" is asked the check-in at 0.902 against
    0.9): float32 in onnxruntime must still decide exactly as numpy does, and int8 must catch
    every disclosure of the sample that float32 catches (the benchmark lists every labelled
    text that differs; the floors hold the counts)."""
    assert detector.meaning is not None and detector.meaning.contextual is not None
    assert detector.meaning.contextual.runtime == DEFAULT_ONNX_RUNTIME

    def reading_with(runtime: Runtime) -> SafeguardingDetector:
        contextual = ContextualModel(runtime=runtime)
        line = MeaningLine.for_knowledge(demo_kb, EmbeddingModel(), contextual)
        found = SafeguardingDetector.for_knowledge(demo_kb, meaning=line)
        assert found.prepare_meaning()
        return found

    float32, numpy_detector = reading_with("onnxruntime"), reading_with("numpy")
    crisis_set = load_crisis_set(TUNED_SETS[0])
    disclosures = [item.text for item in crisis_set.crisis]
    texts = disclosures + list(crisis_set.near_misses)
    texts += list(load_phrasings(PHRASINGS).not_crisis)[:60]

    def decided(found: SafeguardingDetector, text: str) -> tuple[str, str, str] | None:
        verdict = found.assess(text)
        return None if verdict is None else (verdict.kind_id, verdict.line, verdict.view)

    differing = [text for text in texts if decided(float32, text) != decided(numpy_detector, text)]
    assert differing == []
    lost = [text for text in disclosures if decided(float32, text) and not decided(detector, text)]
    assert lost == []
    assert any(decided(detector, text) for text in texts)  # the sample does decide things


@pytest.mark.parametrize(
    "said",
    [
        "my son took money out of my account",
        "someone has been taking money from my mums account",
        "my carer keeps taking money from my purse",
    ],
)
def test_money_taken_by_someone_close_still_asks_the_check_in(
    detector: SafeguardingDetector, said: str
) -> None:
    """Session 12: money taken by an unnamed "someone" is read as fraud (the scams topic, no
    check-in; knowledge/transcripts/scams.yaml), but money taken by someone close, or taken
    again and again, may be financial abuse and must still be asked about."""
    verdict = detector.assess(said)
    assert verdict is not None and verdict.kind_id == "adult-abuse", verdict
