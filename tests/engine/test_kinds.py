"""Which kind a caught disclosure is shown (session 11, branch kinds).

A caught disclosure shows one kind's panel, at once or after "yes" at the check-in, and a
wrong kind shows the wrong contacts: a child told the domestic-abuse line, a person
threatened with a knife told "if you are worried you might hurt someone". The kind is chosen
from every reading of the message and the trained view (`safety.KIND_FULL_SHARE`,
`KIND_TRAINED_WEIGHT`), and for a sign by the meaning line (`SignLineWithMeaning`); whether a
text is caught never changes. Real knowledge base, real models, real conversation.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from navigator.engine import views as v
from navigator.engine.events import SafeguardingShown
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.language import LanguageGuess
from navigator.engine.understanding.safety import ENGLISH
from navigator.kb import KnowledgeBase
from tests.engine.conftest import KioskConversation
from tests.engine.crisis_set import TUNED, TUNED_SETS, load_crisis_set, measure_crisis

RIGHT_KIND = {
    "crisis.yaml": 35,
    "crisis_holdout.yaml": 30,
    "crisis_holdout2.yaml": 38,
    "crisis_holdout3.yaml": 52,
    "crisis_holdout4.yaml": 73,
    "crisis_holdout5.yaml": 102,
    "crisis_holdout6.yaml": 158,
    "crisis_holdout7.yaml": 149,
    "crisis_holdout8.yaml": 143,
    "crisis_holdout9.yaml": 196,
}
"""Caught disclosures shown the right kind, per English set: floors. Before session 11
(the one reading furthest past its check-in margin chose, a sign's most serious kind
stood): 35, 29, 35, 50, 72, 101, 152, 149 and 126, 749 of 854 caught in all; 780 after,
775 by leave-one-set-out (tests/bench/bench_kinds.py; docs/performance.md, "Session 11:
kinds"). crisis_holdout9.yaml, tuned on from session 12 (branch misses9): 168 of 205 caught
at the start of session 12, 196 of 209 with that branch's examples."""

BEFORE = msgspec.structs.replace(ENGLISH, kind_full_share=0.0, kind_trained_weight=0.0)
"""Session 10's choice of kind, to show that only the kind changed."""


@pytest.mark.parametrize("path", TUNED_SETS, ids=lambda path: path.name)
def test_each_set_shows_the_right_kind(detector: SafeguardingDetector, path: Path) -> None:
    """The tuned sets only: the held-aside set's floors are the lead's (counts only)."""
    report = measure_crisis(detector, load_crisis_set(path))
    right_kind = report.right_kind
    assert right_kind >= RIGHT_KIND[path.name], (
        f"{right_kind} of {report.caught} caught shown the right kind"
    )


def test_the_kind_chosen_never_changes_a_catch(detector: SafeguardingDetector) -> None:
    """Every disclosure and near miss of the tuned set is caught, or not, by the same line
    whichever way the kind is chosen."""
    assert detector.meaning is not None
    crisis_set = load_crisis_set(TUNED)
    texts = [*(item.text for item in crisis_set.crisis), *crisis_set.near_misses]
    now = [detector.assess(text) for text in texts]
    detector.meaning.english = BEFORE
    try:
        before = [
            detector.sign_line.signs.assess(text) or detector.by_meaning(text) for text in texts
        ]
    finally:
        detector.meaning.english = ENGLISH
    assert [None if found is None else found.line for found in now] == [
        None if found is None else found.line for found in before
    ]


SWAPPED_CHANGED = (
    "i have thoughts of hurting people at work and i dont know how long i can stop myself",
    "theres a baby crying in the flat next door for 2 days now and i havent seen the mum at all",
    "my sons friend is 11 and sleeps at ours most nights cos his mum and her boyfriend are "
    "always off their heads",
)
"""Tuned disclosures (crisis_holdout2.yaml) whose kind changed when the readings came in the
other order, while the three-view reading was known by its place (second of two)."""


def test_the_kind_shown_does_not_depend_on_the_order_of_the_readings(
    detector: SafeguardingDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The three-view reading is named (`_Blended.full`), not found by its place."""
    line = detector.meaning
    assert line is not None
    in_order = [line.kind_of(text) for text in SWAPPED_CHANGED]
    assert in_order == ["harm-to-others", "child-at-risk", "child-at-risk"]
    readings = line._readings
    monkeypatch.setattr(line, "_readings", lambda *a, **k: readings(*a, **k)[::-1])
    assert [line.kind_of(text) for text in SWAPPED_CHANGED] == in_order


def test_a_child_threatened_at_home_is_shown_the_childs_panel_after_yes(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector
) -> None:
    """The cheap reading put it nearest the domestic-abuse examples; the contextual blend
    and the trained view read a child. After session 11's merge every reading put it nearest
    a domestic-abuse example that did not say who 'he' was; children's own-voice examples and
    that example saying 'my husband' (branch childvoice) put it right."""
    conversation = kiosk_conversation(detector)
    view = conversation.say("im 12 and my dad says he will kill me when he gets home")
    assert isinstance(view, v.CheckInView)
    view = conversation.say("yes")
    assert isinstance(view, v.SafeguardingView)
    assert view.crisis_kind == "child-abuse"
    shown = [e.crisis_kind for e in conversation.events if isinstance(e, SafeguardingShown)]
    assert shown == ["child-abuse"]


@pytest.mark.parametrize(
    ("text", "sign_kind"),
    [
        (
            "im 10 and my mums boyfriend locks me in the cupboard when he is angry",
            "immediate-danger",
        ),
        ("mums new boyfriend hits me with his belt, i am 9", "domestic-abuse"),
    ],
)
def test_a_sign_told_by_a_child_shows_the_childs_panel(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector, text: str, sign_kind: str
) -> None:
    """The sign lexicon's most serious kind was shown before; meaning reads a child."""
    assert detector.sign_line.signs.assess(text).kind_id == sign_kind  # type: ignore[union-attr]
    view = kiosk_conversation(detector).say(text)
    assert isinstance(view, v.SafeguardingView)
    assert view.crisis_kind == "child-abuse"


def test_a_knife_held_over_the_person_keeps_the_danger_panel(
    detector: SafeguardingDetector,
) -> None:
    """Meaning reads a threat with a knife near the harm-to-others examples, whose panel
    speaks to someone who might hurt another (`chosen_by_meaning: false`)."""
    text = "he has a knife and says he will stab me, hes my husband"
    assert detector.meaning is not None and detector.meaning.kind_of(text) == "harm-to-others"
    verdict = detector.assess(text)
    assert verdict is not None and (verdict.line, verdict.kind_id) == ("sign", "immediate-danger")


def test_a_signs_kind_stands_before_meaning_is_ready_and_for_another_language(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector
) -> None:
    """The sign line never waits for a model, and the English line does not read Welsh."""
    text = "mums new boyfriend hits me with his belt, i am 9"
    fresh = SafeguardingDetector.for_knowledge(demo_kb)
    assert fresh.assess(text, meaning=False) is not None
    verdict = fresh.sign_line.assess(text)
    assert verdict is not None and verdict.kind_id == "domestic-abuse"
    welsh = detector.sign_line.assess(text, LanguageGuess("cy", 1.0, "words"))
    assert welsh is not None and welsh.kind_id == "domestic-abuse"


def test_a_model_failure_choosing_a_signs_kind_keeps_the_sign(
    demo_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Session 11 review: choosing a sign's kind reads the meaning models, and an error there
    other than the two the line expects (a model gone, memory) reached the screen, which
    apologised and started again: a sign found was lost. The contextual reading failing as
    onnxruntime would (a RuntimeError from the read) leaves the sign's own panel."""
    detector = SafeguardingDetector.for_knowledge(demo_kb)
    assert detector.prepare_meaning() and detector.meaning is not None

    def onnxruntime_fails(*_: object) -> None:
        raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION")

    monkeypatch.setattr(detector.meaning, "_read", onnxruntime_fails)
    text = "mums new boyfriend hits me with his belt, i am 9"
    verdict = detector.assess(text)
    assert verdict is not None and verdict.line == "sign"
    assert verdict.kind_id == "domestic-abuse"  # the sign's own kind
    assert "could not choose a sign's kind" in caplog.text
