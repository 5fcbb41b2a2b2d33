"""The sign lexicon, the first safety line (`navigator.engine.understanding.signs`).

Crisis signs: found through typos, text-speak and other word forms; ordinary requests
left alone.

A small knowledge base with a few signs per kind is written to disk for the
rules themselves; the quality gates at the end run the labelled crisis and
ordinary phrasings against the demo borough's own signs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navigator.engine.understanding.signs import SignLexicon, SignLexiconLine
from navigator.kb import KnowledgeBase, load
from navigator.kb.schema import Question
from tests.engine.phrasing_set import SETS, lines, load_phrasings, measure_safeguarding

REPO = Path(__file__).resolve().parents[2]

SIGNS = """\
safeguarding:
  verified_on: 2026-11-01
  kinds:
    - id: suicide
      title: You matter
      message: Please talk to someone now.
      signs:
        - kill myself
        - want to die
        - end it all
        - suicidal
        - self harm
        - i don't want to be here anymore
      contacts: [samaritans]
    - id: danger
      title: You may be in danger
      message: Call 999 now.
      signs: [in danger, breaking in]
      contacts: [emergency]
    - id: domestic-abuse
      title: Domestic abuse
      message: You are not alone.
      signs: [he hits me, batters me, scared of my partner]
      contacts: [helpline]
  contacts:
    - {id: samaritans, name: Samaritans, phone: "116 123", how: Call any time.}
    - {id: emergency, name: Emergency, phone: "999", how: Call now.}
    - {id: helpline, name: Helpline, phone: "0808 2000 247", how: Call any time.}
  not_crisis:
    - killing me with the noise
    - dying for a cuppa
    - end it all with the landlord
vocabulary:
  filler: [just, really, so, like, um]
"""


def knowledge_with(tmp_path: Path, text: str) -> KnowledgeBase:
    root = tmp_path / "kb"
    root.mkdir()
    (root / "safeguarding.yaml").write_text(text, encoding="utf-8")
    result = load(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.knowledge


def _signs(knowledge: KnowledgeBase) -> SignLexicon:
    return SignLexicon(knowledge.safeguarding, knowledge.vocabulary)


@pytest.fixture
def detector(tmp_path: Path) -> SignLexicon:
    return _signs(knowledge_with(tmp_path, SIGNS))


@pytest.mark.parametrize(
    ("typed", "kind", "phrase"),
    [
        ("I want to kill myself", "suicide", "kill myself"),
        ("kil myself", "suicide", "kill myself"),
        ("KILL MYSELF!!!", "suicide", "kill myself"),
        ("gonna kill my self tonight", "suicide", "kill myself"),
        ("thinking of killing myself", "suicide", "kill myself"),
        ("want 2 die", "suicide", "want to die"),
        ("i just want to die", "suicide", "want to die"),
        ("i want to fucking die", "suicide", "want to die"),
        ("i just want to end it all", "suicide", "end it all"),
        ("feeling sucidal", "suicide", "suicidal"),
        ("selfharm again", "suicide", "self harm"),
        ("self-harming", "suicide", "self harm"),
        ("i dont want to be here any more", "suicide", "i don't want to be here anymore"),
        ("he batters me", "domestic-abuse", "batters me"),
        ("he keeps battering me", "domestic-abuse", "batters me"),
        ("he hits mi", "domestic-abuse", "he hits me"),
        ("he hit me again", "domestic-abuse", "he hits me"),
        ("he's hitting me", "domestic-abuse", "he hits me"),
        ("im scared of my partner", "domestic-abuse", "scared of my partner"),
        ("someone is braking in", "danger", "breaking in"),
    ],
)
def test_signs_are_found_through_typos_and_word_forms(
    detector: SignLexicon, typed: str, kind: str, phrase: str
) -> None:
    sign = detector.check(typed)
    assert sign is not None, typed
    assert (sign.kind_id, sign.phrase) == (kind, phrase)
    assert 0 < sign.score <= 100


@pytest.mark.parametrize(
    "typed",
    [
        "my kids are killing me with the noise lol",
        "im dying for a cuppa",
        "i want to diet",
        "my mum fell last year",
        "my son hits his sister",
        "my toddler hits other kids",
        "the bills never end",
        "end of the month",
        "i want to kill the weeds in the garden",
        "i am in debt",
        "die",
        "me",
        "he isnt eating, he forgets things",
        "",
    ],
)
def test_ordinary_requests_do_not_raise_the_alarm(detector: SignLexicon, typed: str) -> None:
    assert detector.check(typed) is None


def test_an_ordinary_phrase_silences_only_the_sign_inside_it(
    detector: SignLexicon,
) -> None:
    assert detector.check("i want to end it all with the landlord and move") is None
    sign = detector.check("end it all with the landlord, and i want to die")
    assert sign is not None and sign.phrase == "want to die"


def test_the_most_serious_kind_wins_when_several_appear(detector: SignLexicon) -> None:
    """Kinds are listed most serious first in the knowledge base."""
    sign = detector.check("he batters me and i want to die")
    assert sign is not None and sign.kind_id == "suicide"
    sign = detector.check("he batters me and someone is breaking in")
    assert sign is not None and sign.kind_id == "danger"


def test_the_line_gives_the_sign_as_its_verdict(detector: SignLexicon) -> None:
    """What the pipeline runs first: the sign found, as a verdict naming the line and the
    phrase (for content staff), whatever the language stage guessed."""
    line = SignLexiconLine(detector)
    verdict = line.assess("kil myself", None, check_in=False)
    assert verdict is not None
    assert (verdict.kind_id, verdict.line, verdict.phrase) == ("suicide", "sign", "kill myself")
    assert [near.example for near in verdict.nearest] == ["kill myself"]
    assert 0 < verdict.nearest[0].score <= 1
    assert line.assess("help with my rent") is None


def test_no_safeguarding_section_means_no_signs(tmp_path: Path) -> None:
    knowledge = knowledge_with(tmp_path, "needs: []\n")
    detector = _signs(knowledge)
    assert not detector.has_signs
    assert detector.check("i want to die") is None
    assert SignLexicon(None).check("kill myself") is None


def test_the_detector_works_without_a_vocabulary(tmp_path: Path) -> None:
    knowledge = knowledge_with(tmp_path, SIGNS)
    detector = SignLexicon(knowledge.safeguarding)
    assert detector.check("want 2 die") is not None


@pytest.mark.parametrize(
    "pasted",
    [
        "😭" * 100_000,
        "\u202e\u0645\u0631\u062d\u0628\u0627 " * 20_000,
        "\x00\x07\x1b[2J" * 25_000,
        "um " * 40_000,
        "to me i to " * 10_000,
        "a" * 100_000,
    ],
    ids=["emoji", "rtl", "control", "filler", "linking-words", "one-letter"],
)
def test_huge_pasted_text_is_checked_calmly(detector: SignLexicon, pasted: str) -> None:
    assert detector.check(pasted) is None


def test_a_sign_at_the_end_of_a_long_message_is_found(detector: SignLexicon) -> None:
    story = "we have had a hard year with the rent and the kids and the car " * 20
    assert detector.check(story + " and honestly i want to die") is not None


@pytest.fixture(scope="module")
def module_detector(tmp_path_factory: pytest.TempPathFactory) -> SignLexicon:
    root = tmp_path_factory.mktemp("kb")
    (root / "safeguarding.yaml").write_text(SIGNS, encoding="utf-8")
    return _signs(load(root).knowledge)


NOISE = st.text(
    alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=400
) | st.text(alphabet="diekltomysfhwan2 '!\n\x00😭", max_size=400)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NOISE)
def test_check_never_crashes(module_detector: SignLexicon, text: str) -> None:
    sign = module_detector.check(text)
    assert sign is None or sign.kind_id in {"suicide", "danger", "domestic-abuse"}


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet="abcdefghij ", max_size=60),
    after=st.text(alphabet="abcdefghij ", max_size=60),
)
def test_a_sign_is_found_whatever_surrounds_it(
    module_detector: SignLexicon, before: str, after: str
) -> None:
    sign = module_detector.check(f"{before} kill myself {after}")
    assert sign is not None and sign.kind_id == "suicide"


# --- Quality on the demo borough ------------------------------------------------------


@pytest.fixture(scope="module")
def demo_detector() -> SignLexicon:
    result = load(REPO / "knowledge")
    assert result.ok, "the demo knowledge base does not load: run navigator validate knowledge/"
    assert result.knowledge.safeguarding is not None, "the demo has no safeguarding section"
    return _signs(result.knowledge)


@pytest.mark.parametrize("name", sorted(SETS))
def test_demo_finds_every_labelled_crisis(demo_detector: SignLexicon, name: str) -> None:
    phrasings = load_phrasings(SETS[name])
    assert len(phrasings.crisis) >= {"first": 20, "held-out": 10}[name]
    report = measure_safeguarding(demo_detector, phrasings)
    assert not report.missed, f"{name} set: missed crisis phrasings:\n{lines(report.missed)}"


def test_demo_finds_the_first_sets_crises_as_the_right_kind(
    demo_detector: SignLexicon,
) -> None:
    """The held-out set's one wrong kind is reported by the benchmark (docs/performance.md)."""
    report = measure_safeguarding(demo_detector, load_phrasings(SETS["first"]))
    assert not report.wrong_kind, f"found as the wrong kind:\n{lines(report.wrong_kind)}"


@pytest.mark.parametrize("name", sorted(SETS))
def test_demo_raises_no_false_alarms_on_ordinary_phrasings(
    demo_detector: SignLexicon, name: str
) -> None:
    report = measure_safeguarding(demo_detector, load_phrasings(SETS[name]))
    assert report.ordinary_total >= {"first": 150, "held-out": 80}[name]
    assert not report.false_alarms, f"{name} set: false alarms:\n{lines(report.false_alarms)}"


DANGER_LABELS = {"No, I'm in danger"}
"""Option labels that do say a person is in danger: typed as text, they should interrupt."""


def test_demo_option_labels_typed_as_text_raise_no_alarm(
    demo_detector: SignLexicon,
) -> None:
    """A person may type an option's label instead of choosing it ("Someone I look after or
    worry about"); that must not be read as a crisis, unless the label says so."""
    knowledge = load(REPO / "knowledge").knowledge
    labels = {
        option.label.get()
        for node in knowledge.nodes.values()
        if isinstance(node, Question)
        for option in node.options
    }
    assert {"Someone I look after or worry about"} <= labels
    alarms = {
        label: sign.phrase
        for label in labels - DANGER_LABELS
        if (sign := demo_detector.check(label)) is not None
    }
    assert not alarms, f"option labels read as a crisis: {alarms}"
    for label in DANGER_LABELS & labels:
        assert demo_detector.check(label) is not None, label


@pytest.mark.parametrize(
    "typed",
    [
        "Help with my child's behaviour or being a parent",
        "Someone I look after or worry about",
        "i dont want to manage the money myself",
        "i have had a stroke and need help at home",
        "i dont want to live in a care home",
    ],
)
def test_demo_leaves_these_ordinary_requests_alone(demo_detector: SignLexicon, typed: str) -> None:
    assert demo_detector.check(typed) is None


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("took too many of my tablets", "suicide-self-harm"),
        ("i dont want to live anymore", "suicide-self-harm"),
        ("i think my dad is having a stroke", "medical-emergency"),
        ("my husband beats me", "domestic-abuse"),
    ],
)
def test_demo_still_finds_the_crises_those_look_like(
    demo_detector: SignLexicon, typed: str, kind: str
) -> None:
    sign = demo_detector.check(typed)
    assert sign is not None and sign.kind_id == kind, sign


def test_a_number_is_not_text_speak_for_a_linking_word(demo_kb: KnowledgeBase) -> None:
    """ "5" once stood for "me", so "had a heart attack 5 years ago" was "attacking me"."""
    detector = _signs(demo_kb)
    assert detector.check("my dad had a heart attack 5 years ago and now needs help") is None
    assert detector.check("he is attacking me") is not None
    assert detector.check("want 2 die") is not None
