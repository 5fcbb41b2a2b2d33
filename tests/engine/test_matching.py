"""Free text to topics and options: typos, text-speak, filler, out-of-scope requests.

Small knowledge bases are written to disk and loaded by the real loader; the
quality gates at the end run the labelled phrasings against the demo borough.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navigator.cli import main
from navigator.engine.matching import TopicMatcher, match_option
from navigator.engine.textnorm import MAX_CHARS, Readings, normalise, same_word_form, word_forms
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.topics import MeaningScorer, TopicRanker
from navigator.kb import load
from navigator.kb.schema import Question, Vocabulary
from tests.engine.phrasing_set import (
    ISSUE_12_SETS,
    OUT_OF_SCOPE_AIM,
    SETS,
    STORY_OUT_OF_SCOPE_AIM,
    STORY_SETS,
    STORY_TOP_3_AIM,
    TOP_3_AIM,
    lines,
    load_phrasings,
    measure_matching,
)
from tests.support.held_aside import CountsOnly
from tests.support.kb import load_ok

REPO = Path(__file__).resolve().parents[2]

SMALL_KB = """\
needs:
  - {id: carers-support, title: Carers, description: Help for people who look after someone.}
  - {id: money-debt, title: Money, description: Money and debt.}
  - {id: children-send, title: SEND, description: Special educational needs.}
  - {id: adult-social-care, title: Care, description: Care for adults.}
  - {id: housing, title: Housing, description: Somewhere to live.}
  - {id: disability-equipment, title: Equipment, description: Equipment and adaptations.}
topics:
  - id: carers
    need: carers-support
    title: Support for carers
    summary: Help for people who look after a relative or friend.
    keywords: [carer, carers, caring, carers allowance, respite, short break]
    examples: [I look after my husband]
    start: carers-start
  - id: money
    need: money-debt
    title: Money and debt
    summary: Help with debts, bills and benefits.
    keywords: [debt, bills, energy bills, gas, electric, benefits, universal credit, afford]
    examples: [I cannot pay my bills]
    start: money-start
  - id: send
    need: children-send
    title: Special educational needs
    summary: Support in school for children with additional needs.
    keywords: [SEND, EHCP, speech and language, autism, dyslexia, special needs]
    examples: [my child struggles at school]
    start: send-start
  - id: care-at-home
    need: adult-social-care
    title: Care at home
    summary: Help at home for adults who find daily life hard.
    keywords: [care at home, home care, dementia, memory, forgetful, washing, dressing, care home]
    examples: [my mum is getting forgetful]
    start: care-start
  - id: housing
    need: housing
    title: Housing
    summary: Help if you might lose your home or need repairs.
    keywords: [eviction, evicted, landlord, rent, homeless, repairs, damp]
    start: housing-start
  - id: blue-badge
    need: disability-equipment
    title: Blue badge
    summary: Parking closer to where you are going.
    keywords: [blue badge, disabled parking, parking permit]
    start: badge-start
vocabulary:
  filler: [please, hi, hello, i, need, help, with, my, the, a, an, me, our, his, her, is, wiv]
  answers:
    "yes": ["yes", "yeah", "yep", "aye"]
    "no": ["no", "nope", "nah"]
    not_sure: ["not sure", "dunno", "don't know", "no idea"]
  commands:
    back: [back, go back]
    help: [help]
"""

SAFEGUARDING = """\
safeguarding:
  verified_on: 2026-11-01
  kinds:
    - id: suicide
      title: You matter
      message: Please talk to someone now.
      signs: [kill myself, want to die]
      contacts: [samaritans]
  contacts:
    - {id: samaritans, name: Samaritans, phone: "116 123", how: Call any time.}
"""


def write_kb(root: Path, *sections: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for number, section in enumerate(sections):
        (root / f"part-{number}.yaml").write_text(section, encoding="utf-8")
    return root


@pytest.fixture
def small_kb_dir(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb", SMALL_KB, SAFEGUARDING)


@pytest.fixture
def matcher(small_kb_dir: Path) -> TopicMatcher:
    return TopicMatcher(load_ok(small_kb_dir))


def top(matcher: TopicMatcher, text: str) -> str | None:
    ranked = matcher.rank(text)
    return ranked[0].topic_id if ranked else None


# --- Normalising --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Can't   afford the GAS!!!", "cant afford the gas"),
        ("dad’s  carer\t\n", "dads carer"),
        ("ＦＵＬＬ width ² 😭😭 \x00\x1b[31m red", "full width 2 31m red"),
        ("self-harm", "self harm"),
        ("Straße", "strasse"),
        ("\u202eevil\u202c text", "evil text"),
        ("", ""),
        ("🙂🙂🙂", ""),
    ],
)
def test_normalise_keeps_plain_lower_case_words(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


def test_normalise_caps_pasted_documents_at_a_word_boundary() -> None:
    pasted = "benefits " * 50_000
    result = normalise(pasted)
    assert len(result) <= MAX_CHARS
    assert result.split() == ["benefits"] * len(result.split())


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("hitting", "hits", True),
        ("dying", "die", True),
        ("died", "die", True),
        ("diet", "die", False),
        ("carers", "carer", True),
        ("bill", "kill", False),
    ],
)
def test_word_forms(first: str, second: str, same: bool) -> None:
    assert same_word_form(first, second) is same


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("fell", "fall"),
        ("forgot", "forget"),
        ("lost", "lose"),
        ("loneliness", "lonely"),
        ("forgetful", "forget"),
        ("stressful", "stress"),
        ("falls", "fall"),
    ],
)
def test_topic_matching_also_knows_irregular_and_derived_forms(typed: str, form: str) -> None:
    assert form in word_forms(typed)


def test_safeguarding_forms_stay_as_its_signs_were_written_for() -> None:
    """The wider forms are for topics only: the crisis signs' rules are unchanged."""
    assert not same_word_form("fell", "fall")
    assert not same_word_form("forgetful", "forget")


# --- Topics -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("carers allowence", "carers"),
        ("cant afford the gas", "money"),
        ("our kid needs help wiv his speech", "send"),
        ("my dads forgetting things", "care-at-home"),
        ("landlord evicted us", "housing"),
        ("dislexia", "send"),
        ("blu badge", "blue-badge"),
    ],
)
def test_typos_text_speak_and_other_word_forms_find_the_topic(
    matcher: TopicMatcher, typed: str, topic: str
) -> None:
    assert top(matcher, typed) == topic


def test_word_order_case_and_punctuation_do_not_change_the_topic(matcher: TopicMatcher) -> None:
    assert top(matcher, "energy bills") == "money"
    assert top(matcher, "BILLS... ENERGY!!!") == "money"
    assert top(matcher, "Bills, energy?") == "money"


def test_filler_words_are_ignored(matcher: TopicMatcher) -> None:
    plain = matcher.rank("rent")
    padded = matcher.rank("hi please i need help with the rent")
    assert plain == padded
    assert plain[0].topic_id == "housing"


def test_rank_is_best_first_within_limit_and_scores_are_0_to_100(matcher: TopicMatcher) -> None:
    ranked = matcher.rank("carers allowance debt bills autism", limit=3)
    assert 1 <= len(ranked) <= 3
    scores = [scored.score for scored in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 100 for score in scores)
    assert {scored.need_id for scored in ranked} <= {
        "carers-support",
        "money-debt",
        "children-send",
    }


def test_words_nobody_wrote_rank_nothing(matcher: TopicMatcher) -> None:
    assert matcher.rank("") == []
    assert matcher.rank("!!! ???") == []
    assert matcher.rank("zzxq plumbus") == []
    assert matcher.rank("carers", limit=0) == []


def test_a_clear_request_goes_straight_to_its_topic(matcher: TopicMatcher) -> None:
    decision = matcher.decide("blue badge")
    assert decision.kind == "go"
    assert decision.best is not None and decision.best.topic_id == "blue-badge"
    assert len(decision.candidates) == 1


def test_a_request_fitting_two_topics_offers_both(matcher: TopicMatcher) -> None:
    decision = matcher.decide("carers allowance and energy bills")
    assert decision.kind == "choose"
    assert 2 <= len(decision.candidates) <= 4
    assert {"carers", "money"} <= {scored.topic_id for scored in decision.candidates}


@pytest.mark.parametrize(
    "typed", ["pizza near me", "book a driving test", "report a pothole", "", "help"]
)
def test_nothing_good_enough_says_none(matcher: TopicMatcher, typed: str) -> None:
    decision = matcher.decide(typed)
    assert decision.kind == "none"
    assert decision.candidates == ()


def test_a_knowledge_base_without_topics_matches_nothing(tmp_path: Path) -> None:
    knowledge = load_ok(write_kb(tmp_path / "empty", "needs: []\n"))
    matcher = TopicMatcher(knowledge)
    assert matcher.rank("carers allowance") == []
    assert matcher.decide("carers allowance").kind == "none"


def test_words_in_many_topics_say_less_than_words_in_one(tmp_path: Path) -> None:
    """'shared' is in both topics' keywords, 'alpha' in one: the rare word is the stronger."""
    knowledge = load_ok(
        write_kb(
            tmp_path / "two",
            """\
topics:
  - {id: x, need: housing, title: Ex, summary: One., keywords: [alpha, shared], start: s}
  - {id: y, need: housing, title: Why, summary: Two., keywords: [beta, shared], start: s}
""",
        )
    )
    matcher = TopicMatcher(knowledge)
    rare = matcher.rank("alpha")
    shared = matcher.rank("shared")
    assert [scored.topic_id for scored in rare] == ["x"]
    assert {scored.topic_id for scored in shared} == {"x", "y"}
    assert rare[0].score > shared[0].score


# --- Other spellings and related words, as knowledge-base data -----------------------

SPELLINGS_KB = """\
needs:
  - {id: children-send, title: SEND, description: Special educational needs.}
  - {id: adult-social-care, title: Care, description: Care for adults.}
  - {id: housing, title: Housing, description: Somewhere to live.}
topics:
  - id: send
    need: children-send
    title: Special educational needs
    summary: Support in school for a child with additional needs.
    keywords: [speech and language, child, autism]
    start: send-start
  - id: memory
    need: adult-social-care
    title: Memory and dementia
    summary: Support for adults whose memory is getting worse.
    keywords: [memory, dementia, mum]
    start: memory-start
  - id: housing
    need: housing
    title: Housing
    summary: Help if you might lose your home.
    keywords: [eviction, landlord, rent]
    start: housing-start
vocabulary:
  filler: [with, my, the, a, i, is, our]
  spellings:
    "with": ["wiv", "wiv"]
    "child": ["bairn", "kid"]
    "mum": ["mam", "mother"]
  related:
    "memory": ["forgetful", "forgetting"]
"""


@pytest.fixture
def spellings_matcher(tmp_path: Path) -> TopicMatcher:
    return TopicMatcher(load_ok(write_kb(tmp_path / "spellings", SPELLINGS_KB)))


def test_a_spelling_of_a_filler_word_is_filler_too(spellings_matcher: TopicMatcher) -> None:
    assert spellings_matcher.rank("rent wiv the landlord") == spellings_matcher.rank(
        "rent landlord"
    )


@pytest.mark.parametrize(
    ("typed", "topic"),
    [("bairn", "send"), ("our bairns speech", "send"), ("kids", "send"), ("mams", "memory")],
)
def test_another_spelling_is_the_same_word(
    spellings_matcher: TopicMatcher, typed: str, topic: str
) -> None:
    assert top(spellings_matcher, typed) == topic


def test_spellings_work_both_ways(spellings_matcher: TopicMatcher) -> None:
    """The knowledge base says "mum"; "mother" is listed as its spelling, and so is "mam"."""
    assert top(spellings_matcher, "mother") == "memory"


def test_a_related_word_finds_the_topic_but_counts_less_than_the_word_itself(
    spellings_matcher: TopicMatcher,
) -> None:
    related = spellings_matcher.rank("forgetting")
    itself = spellings_matcher.rank("memory")
    assert related[0].topic_id == itself[0].topic_id == "memory"
    assert related[0].score < itself[0].score


def test_without_the_vocabulary_the_same_words_find_nothing(tmp_path: Path) -> None:
    """The data does the work: the same topics with no spellings or related words."""
    plain = SPELLINGS_KB.split("  spellings:")[0]
    matcher = TopicMatcher(load_ok(write_kb(tmp_path / "plain", plain)))
    assert top(matcher, "bairn") is None
    assert top(matcher, "forgetting") is None


def test_readings_look_words_up_by_their_forms() -> None:
    vocabulary = Vocabulary.model_validate(
        {
            "filler": ["with"],
            "spellings": {"with": ["wiv"], "child": ["kid"]},
            "related": {"energy bills": ["gas", "electric"], "memory": ["forget"]},
        }
    )
    readings = Readings.of(vocabulary)
    assert "wiv" in readings.filler
    assert readings.other_spellings("kids") == {"child"}
    assert readings.other_spellings("child") == {"kid"}
    assert readings.related_words("forgetting") == {"memory"}
    assert readings.related_words("gas") == {"energy", "bills"}
    assert readings.related_words("rent") == frozenset()
    assert Readings.of(None).filler == frozenset()


def test_a_spelling_of_two_words_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    root = write_kb(
        tmp_path / "bad",
        'vocabulary:\n  spellings:\n    "with": ["wiv", "wiv it"]\n',
    )
    result = load(root)
    assert not result.ok
    message = " ".join(str(diagnostic) for diagnostic in result.diagnostics)
    assert "part-0.yaml" in message
    assert "'wiv it' is not one word" in message


# --- Options ------------------------------------------------------------------------


VOCABULARY = Vocabulary.model_validate(
    {
        "filler": ["please", "i", "my"],
        "answers": {
            "yes": ["yes", "yeah", "yep", "aye"],
            "no": ["no", "nope", "nah"],
            "not_sure": ["not sure", "dunno", "don't know", "no idea"],
        },
    }
)

YES_NO = Question.model_validate(
    {
        "id": "q1",
        "type": "question",
        "text": "Do you look after someone?",
        "options": [
            {"label": "Yes", "next": "a"},
            {"label": "No, I don't", "next": "b"},
            {"label": "I'm not sure", "next": "c"},
        ],
    }
)

WHO = Question.model_validate(
    {
        "id": "q2",
        "type": "question",
        "text": "Who do you look after?",
        "options": [
            {"id": "parent", "label": "My mum or dad", "next": "a"},
            {"id": "partner", "label": "My partner", "next": "b"},
            {"id": "child", "label": "My child", "next": "c"},
            {"id": "other", "label": "Someone else", "next": "d"},
        ],
    }
)

AGE = Question.model_validate(
    {
        "id": "q3",
        "type": "question",
        "text": "How old are you?",
        "options": [
            {"id": "under-18", "label": "Under 18", "next": "a"},
            {"id": "adult", "label": "18 to 64", "next": "b"},
            {"id": "older", "label": "65 or over", "next": "c"},
        ],
    }
)


@pytest.mark.parametrize(
    ("question", "typed", "key"),
    [
        (YES_NO, "1", "yes"),
        (YES_NO, "2", "no-i-don-t"),
        (YES_NO, " 3. ", "i-m-not-sure"),
        (YES_NO, "option 3", "i-m-not-sure"),
        (YES_NO, "Yes", "yes"),
        (YES_NO, "yeah", "yes"),
        (YES_NO, "YEP!", "yes"),
        (YES_NO, "aye i do", "yes"),
        (YES_NO, "nope", "no-i-don-t"),
        (YES_NO, "nah", "no-i-don-t"),
        (YES_NO, "dunno", "i-m-not-sure"),
        (YES_NO, "not sure", "i-m-not-sure"),
        (YES_NO, "no idea", "i-m-not-sure"),
        (YES_NO, "im not sure", "i-m-not-sure"),
        (WHO, "my partner", "partner"),
        (WHO, "partner", "partner"),
        (WHO, "my mum", "parent"),
        (WHO, "my chlid", "child"),
        (WHO, "someone els", "other"),
        (WHO, "4", "other"),
        (AGE, "65", "older"),
        (AGE, "65 or over", "older"),
        (AGE, "2", "adult"),
    ],
)
def test_free_text_picks_an_option(question: Question, typed: str, key: str) -> None:
    assert match_option(question, typed, VOCABULARY) == key


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        (YES_NO, "0"),
        (YES_NO, "4"),
        (YES_NO, "99999999999999999999"),
        (YES_NO, ""),
        (YES_NO, "qwertyuiop"),
        (YES_NO, "yes and no"),
        (WHO, "yeah"),
        (WHO, "my"),
        (AGE, "18"),
        (AGE, "I am not telling you that, it is none of your business at all"),
    ],
)
def test_text_that_picks_no_option_clearly_picks_none(question: Question, typed: str) -> None:
    assert match_option(question, typed, VOCABULARY) is None


@pytest.fixture(scope="module")
def demo_vocabulary() -> Vocabulary:
    result = load(REPO / "knowledge")
    assert result.ok, "the demo knowledge base does not load: run navigator validate knowledge/"
    return result.knowledge.vocabulary


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("yeah", "yes"),
        ("yes please", "yes"),
        ("i do", "yes"),
        ("nah", "no-i-don-t"),
        ("i dont", "no-i-don-t"),
        ("idk", "i-m-not-sure"),
        ("i don't know", "i-m-not-sure"),
        ("not sure", "i-m-not-sure"),
        ("no idea", "i-m-not-sure"),
    ],
)
def test_the_demo_answer_words_pick_options(
    demo_vocabulary: Vocabulary, typed: str, key: str
) -> None:
    assert match_option(YES_NO, typed, demo_vocabulary) == key


# --- Never crashing -------------------------------------------------------------------

NOISE = st.text(
    alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=400
) | st.text(alphabet="abcdefghijklmnopqrstuvwxyz '!?\n\t\x00\u202e😭", max_size=400)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NOISE)
def test_normalise_is_plain_capped_and_idempotent(text: str) -> None:
    result = normalise(text)
    assert len(result) <= MAX_CHARS
    assert result == result.strip()
    assert "  " not in result
    assert normalise(result) == result


@pytest.fixture(scope="module")
def module_matcher(tmp_path_factory: pytest.TempPathFactory) -> TopicMatcher:
    root = write_kb(tmp_path_factory.mktemp("kb"), SMALL_KB)
    return TopicMatcher(load_ok(root))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NOISE, limit=st.integers(min_value=-1, max_value=8))
def test_rank_and_decide_never_crash(module_matcher: TopicMatcher, text: str, limit: int) -> None:
    ranked = module_matcher.rank(text, limit=limit)
    assert len(ranked) <= max(limit, 0)
    assert all(0 < scored.score <= 100 for scored in ranked)
    assert module_matcher.decide(text).kind in {"go", "choose", "none"}


@settings(max_examples=200, deadline=None)
@given(text=NOISE, question=st.sampled_from([YES_NO, WHO, AGE]))
def test_match_option_never_crashes(text: str, question: Question) -> None:
    key = match_option(question, text, VOCABULARY)
    assert key is None or key in {option.key for option in question.options}


@pytest.mark.parametrize(
    "pasted",
    [
        "😭" * 100_000,
        "\u202e\u0645\u0631\u062d\u0628\u0627 " * 20_000,
        "\x00\x07\x1b[2J" * 25_000,
        "carers allowance " * 6_000,
        "a" * 100_000,
    ],
    ids=["emoji", "rtl", "control", "keywords", "one-letter"],
)
def test_huge_pasted_text_is_read_calmly(module_matcher: TopicMatcher, pasted: str) -> None:
    module_matcher.rank(pasted)
    module_matcher.decide(pasted)
    assert match_option(WHO, pasted, VOCABULARY) is None


# --- navigator match --------------------------------------------------------------------


def test_match_json_prints_one_object_per_text(
    small_kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["match", "--kb", str(small_kb_dir), "--json", "carers allowence", "pizza"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    first, second = (json.loads(line) for line in out)
    assert first["text"] == "carers allowence"
    assert first["safeguarding"] is False
    assert first["matches"][0] == {
        "topic": "carers",
        "need": "carers-support",
        "score": first["matches"][0]["score"],
    }
    assert second == {"text": "pizza", "safeguarding": False, "matches": [], "language": "en"}


def test_match_reports_safeguarding_before_topics(
    small_kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["match", "--kb", str(small_kb_dir), "--json", "i want 2 die, the debt"])
    result = json.loads(capsys.readouterr().out)
    assert result["safeguarding"]["kind"] == "suicide"
    main(["match", "--kb", str(small_kb_dir), "i want 2 die"])
    assert "safeguarding: suicide" in capsys.readouterr().out


def test_match_text_lists_ranked_topics(
    small_kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["match", "--kb", str(small_kb_dir), "blue badge", "pizza near me"]) == 0
    out = capsys.readouterr().out
    assert "1." in out and "blue-badge (disability-equipment): Blue badge" in out
    assert "no confident match" in out


def test_match_reads_stdin_for_dash(
    small_kb_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("damp and repairs\n\n   \nautism\r\n"))
    assert main(["match", "--kb", str(small_kb_dir), "--json", "-"]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in results] == ["damp and repairs", "autism"]
    assert [r["matches"][0]["topic"] for r in results] == ["housing", "send"]


def test_match_on_a_missing_knowledge_base_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["match", "--kb", str(tmp_path / "nowhere"), "carers"]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err


def test_match_on_a_broken_knowledge_base_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_kb(tmp_path / "broken", "topics:\n  - id: x\n    need: [oops\n")
    assert main(["match", "--kb", str(root), "carers"]) == 2
    err = capsys.readouterr().err
    assert "part-0.yaml" in err and "navigator validate" in err


def test_match_reads_piped_stdin_in_a_real_process(small_kb_dir: Path) -> None:
    piped = b"carers allowence\nwant 2 die\npizza near me\n"
    completed = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "match", "--kb", str(small_kb_dir), "--json", "-"],
        input=piped,
        capture_output=True,
        timeout=60,
        check=False,
        cwd=REPO,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    results = [json.loads(line) for line in completed.stdout.decode().splitlines()]
    assert [bool(r["safeguarding"]) for r in results] == [False, True, False]
    assert results[0]["matches"][0]["topic"] == "carers"
    assert results[2]["matches"] == []


# --- Quality on the demo borough ------------------------------------------------------


@pytest.fixture(scope="module")
def demo_matcher() -> TopicMatcher:
    result = load(REPO / "knowledge")
    assert result.ok, "the demo knowledge base does not load: run navigator validate knowledge/"
    return TopicMatcher(result.knowledge)


ISSUE_EXAMPLES = [
    ("our kid needs help wiv his speech", "children-send"),
    ("carers allowence", "carers-support"),
    ("cant afford the gas", "money-debt"),
    ("my dads forgetting things and left the cooker on", "adult-social-care"),
]
"""Issue 3's own examples of how residents write: a specification, not a held-out set."""


@pytest.mark.parametrize(("typed", "need"), ISSUE_EXAMPLES)
def test_the_issue_examples_find_their_topic_first(
    demo_matcher: TopicMatcher, typed: str, need: str
) -> None:
    decision = demo_matcher.decide(typed)
    assert decision.kind != "none", demo_matcher.rank(typed)
    assert decision.best is not None and decision.best.need_id == need, decision


@pytest.mark.parametrize(
    ("typed", "need"),
    [
        ("me mam cant cope", "adult-social-care"),
        ("skint, cnt pay the leccy", "money-debt"),
        ("the bairn wont talk yet", "children-send"),
        ("grandad is gettin forgetful", "adult-social-care"),
    ],
)
def test_the_demo_reads_text_speak_and_dialect_through_its_vocabulary(
    demo_matcher: TopicMatcher, typed: str, need: str
) -> None:
    """Examples of the vocabulary's spellings and related words at work (not a quality
    measure: the labelled sets are that)."""
    ranked = demo_matcher.rank(typed)
    assert ranked and ranked[0].need_id == need, ranked


def test_every_related_word_in_the_demo_points_at_words_its_topics_use(
    demo_matcher: TopicMatcher,
) -> None:
    """A `related` entry whose words no topic uses would find nothing: a typo in the data."""
    vocabulary = load(REPO / "knowledge").knowledge.vocabulary
    assert vocabulary.related, "the demo lists no related words"
    nowhere = [meant for meant in vocabulary.related if not demo_matcher.rank(meant)]
    assert not nowhere, f"related words that no topic uses: {nowhere}"


@pytest.mark.parametrize("name", sorted(SETS))
def test_demo_top_3_accuracy_on_labelled_phrasings(demo_matcher: TopicMatcher, name: str) -> None:
    phrasings = load_phrasings(SETS[name])
    assert len(phrasings.needs) >= {"first": 150, "held-out": 60}[name]
    report = measure_matching(demo_matcher, phrasings)
    assert set(report.by_need) >= {
        "adult-social-care", "carers-support", "personal-budget", "disability-equipment",
        "family-support", "children-send", "childcare-early-years", "mental-health",
        "housing", "money-debt", "food-essentials", "employment-skills",
        "loneliness-isolation", "domestic-abuse", "health-wellbeing", "young-people",
    }  # fmt: skip
    overall = report.overall
    assert overall.rate(overall.top_3) >= TOP_3_AIM, (
        f"{name} set: top-3 {overall.top_3}/{overall.total}; missed:\n{lines(report.misses_top_3)}"
    )


@pytest.mark.parametrize("name", sorted(SETS | ISSUE_12_SETS))
def test_the_demo_has_not_copied_the_labelled_phrasings(name: str) -> None:
    """The sets measure phrasings Navigator has never seen; copying them into the knowledge
    base would make the figures above meaningless. Short standard terms ("blue badge") may
    coincide; whole sentences of five words or more should not, nor turn up inside a longer
    keyword or example."""
    knowledge = load(REPO / "knowledge").knowledge
    written = [
        normalise(phrase)
        for topic in knowledge.topics.values()
        for phrase in (*topic.keywords, *topic.examples)
    ]
    copied = [
        phrasing.text
        for phrasing in load_phrasings((SETS | ISSUE_12_SETS)[name]).needs
        if len(typed := normalise(phrasing.text).split()) >= 5
        and any(f" {' '.join(typed)} " in f" {phrase} " for phrase in written)
    ]
    found = _listed(name, copied)
    assert not copied, f"labelled phrasings found word for word in the demo:\n{found}"


NEEDS_SETS = ("phrasings*.yaml", "stories*.yaml", "typos*.yaml")
"""Every labelled needs set in tests/data, held-aside ones and any written later included."""
RUN_WORDS = 6
WRITTEN_BEFORE_THE_RUN_RULE = frozenset(
    {
        "i never get any time for myself",
        "how do i apply for a blue badge",
        "my husband wont let me see my friends",
        "my ex keeps turning up at my house",
        "i want to go back to work after having kids",
        "can i get help with getting back into work after being ill",
        "my son wont listen to me and i dont know what to do",
        "me and my ex keep arguing in front of the kids",
        "food for the kids in the summer holidays",
        "damp in the kids room and the landlord wont fix it",
        "been on the council list for years",
        "can i get help with a deposit",
        "my mum is on her own all day and never goes out",
        "am i getting all the benefits i should",
        "i have no recourse to public funds",
        "can i pay my daughter to look after me",
        "i need someone to talk to im 15",
        "feel really anxious all the time and im at college",
        "how do i register a death",
        "my husband died and i dont know what money i can get",
        "kids are picking on my son at school and the school does nothing",
        "how do i apply for a secondary school place",
        "we have split up and i dont know what to do",
        "my partner has gone to prison and im on my own with the kids",
        # The demo's first keyword (df6527c); session 12's held-aside stories set shares six of
        # its words, which its writer's check missed (it did not read "can't" as "cant").
        "i cant get in the bath anymore",
    }
)
"""Keywords and examples that share a run of six words with a labelled text, written before
session 10 made the rule; listed so that no new one can."""


def _labelled_texts(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for value in data.values() for text in _labelled_texts(value)]
    if isinstance(data, list):
        return [text for value in data for text in _labelled_texts(value)]
    return []


def test_no_keyword_or_example_repeats_six_words_of_a_labelled_needs_text() -> None:
    """Content staff write examples in new words (docs/knowledge-format.md): a run of six
    words from a labelled phrasing, out-of-scope request or two-need message, held-aside
    sets included, would let the sets measure what they were copied from. The out-of-scope
    families' examples (session 11) are held to the same rule."""
    runs: set[str] = set()
    for pattern in NEEDS_SETS:
        for path in sorted((REPO / "tests" / "data").glob(pattern)):
            for text in _labelled_texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
                words = normalise(text).split()
                runs.update(
                    " ".join(words[at : at + RUN_WORDS]) for at in range(len(words) - RUN_WORDS + 1)
                )
    knowledge = load(REPO / "knowledge").knowledge
    written = [
        *(
            (topic.id, phrase)
            for topic in knowledge.topics.values()
            for phrase in (*topic.keywords, *topic.examples)
        ),
        *(
            (f"out of scope: {family}", example)
            for family, examples in knowledge.vocabulary.out_of_scope.items()
            for example in examples
        ),
    ]
    copied = [
        (owner, phrase)
        for owner, phrase in written
        if phrase not in WRITTEN_BEFORE_THE_RUN_RULE
        and any(
            " ".join(words[at : at + RUN_WORDS]) in runs
            for words in [normalise(phrase).split()]
            for at in range(len(words) - RUN_WORDS + 1)
        )
    ]
    assert not copied, f"six words of a labelled text in the knowledge base:\n{lines(copied)}"


@pytest.mark.parametrize("name", sorted(SETS))
def test_demo_rejects_out_of_scope_requests(demo_matcher: TopicMatcher, name: str) -> None:
    phrasings = load_phrasings(SETS[name])
    assert len(phrasings.out_of_scope) >= 20
    report = measure_matching(demo_matcher, phrasings)
    assert report.out_of_scope_rate >= OUT_OF_SCOPE_AIM, (
        f"{name} set: rejected {report.out_of_scope_rejected}/{report.out_of_scope_total}; "
        f"accepted:\n{lines(report.out_of_scope_accepted)}"
    )


# --- Needs found from a story (issue 12): words and meaning fused ------------------------


@pytest.fixture(scope="module")
def demo_ranker() -> TopicRanker:
    """The fused ranking as `navigator match` and `chat --plain` use it (waiting for the model)."""
    knowledge = load(REPO / "knowledge").knowledge
    meaning = MeaningScorer(knowledge, EmbeddingModel(), wait=True)
    return TopicRanker(TopicMatcher(knowledge), [meaning])


def test_the_labelled_sets_are_as_large_as_issue_12_asks() -> None:
    every = [load_phrasings(path) for path in (SETS | ISSUE_12_SETS).values()]
    assert sum(len(phrasings.needs) for phrasings in every) >= 300
    for path in STORY_SETS.values():
        stories = load_phrasings(path)
        assert len(stories.out_of_scope) >= 40
        assert len(stories.two_needs) >= 10
        assert sum(len(p.text.split()) >= 30 for p in stories.needs) >= 10


def _listed(name: str, items: Iterable[object]) -> str:
    """The texts behind a failure, or only how many for the held-aside stories (never read
    while tuning)."""
    found = list(items)
    return f"{len(found)} (held aside: not listed)" if name == HELD_ASIDE_STORIES else lines(found)


HELD_ASIDE_STORIES = "stories, held aside"
FOURTH_STORIES = "stories, fourth (tuned)"
"""stories_holdout3.yaml: held aside in session 11, read and tuned on from session 12."""


@pytest.mark.parametrize("name", sorted(ISSUE_12_SETS))
def test_needs_told_as_stories_reach_the_top_three(demo_ranker: TopicRanker, name: str) -> None:
    report = measure_matching(demo_ranker, load_phrasings(ISSUE_12_SETS[name]))
    overall = report.overall
    assert overall.rate(overall.top_3) >= STORY_TOP_3_AIM, (
        f"{name}: top-3 {overall.top_3}/{overall.total}; "
        f"missed:\n{_listed(name, report.misses_top_3)}"
    )


@pytest.mark.parametrize("name", sorted(set(STORY_SETS) - {HELD_ASIDE_STORIES, FOURTH_STORIES}))
def test_stories_sets_out_of_scope_requests_are_turned_away(
    demo_ranker: TopicRanker, name: str
) -> None:
    """The tuned story sets. stories_holdout2.yaml, held aside in session 10, turned away 44 of
    54 (81%) at that merge; with session 11's out-of-scope families (branch oos3, which read and
    tuned on it) 46 of 54 (85%). stories_holdout3.yaml, held aside in session 11, turned away 44
    of 54 at that merge; session 12's families (branch oos4) 46 before its texts were read and
    more after (STORY_FLOORS, docs/performance.md)."""
    report = measure_matching(demo_ranker, load_phrasings(STORY_SETS[name]))
    assert report.out_of_scope_rate >= STORY_OUT_OF_SCOPE_AIM, (
        f"{name}: rejected {report.out_of_scope_rejected}/{report.out_of_scope_total}; "
        f"accepted:\n{lines(report.out_of_scope_accepted)}"
    )


@pytest.mark.parametrize("name", sorted(set(STORY_SETS) - {HELD_ASIDE_STORIES, FOURTH_STORIES}))
def test_two_needs_in_one_message_are_mostly_offered_together(
    demo_ranker: TopicRanker, name: str
) -> None:
    """Most, not all: "mum needs carers and a stairlift" is offered carers' support and
    equipment where the label says adult social care and equipment (docs/performance.md).
    The tuned story sets but the fourth, stories_holdout3.yaml, whose two-need messages are
    long stories of many clauses, most of which no topic fits on its own: it offered 2 of its
    16 on main before session 11's merge, and its floor is in STORY_FLOORS."""
    report = measure_matching(demo_ranker, load_phrasings(STORY_SETS[name]))
    assert report.two_needs_offered >= 0.6 * report.two_needs_total, (
        f"{name}: offered {report.two_needs_offered}/{report.two_needs_total}; "
        f"missed:\n{_listed(name, report.two_needs_missed)}"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "my neighbour has built an extension over our boundary",
        "a dbs check for my new job in a school",
        "give notice to get married at the register office",
        "the council website keeps logging me out",
    ],
)
def test_requests_of_the_newer_out_of_scope_kinds_are_turned_away(
    demo_ranker: TopicRanker, typed: str
) -> None:
    """Session 12 (oos4): a request borrowing a topic's word ("neighbour", "job", "register",
    "council") is turned away once a family of its kind exists (legal and property, tax and
    work admin, registrations, tech help). Worded afresh, in no labelled set; each was offered
    a topic before those families."""
    assert demo_ranker.decide(typed).kind == "none", demo_ranker.rank(typed)


@pytest.mark.parametrize(
    ("typed", "need"),
    [
        ("i want to volunteer to get some experience for work", "employment-skills"),
        ("a cheap gym for someone on benefits", "health-wellbeing"),
        ("im bringing up my grandson, can i get a fostering allowance", "kinship-care"),
    ],
)
def test_needs_sharing_words_with_the_families_still_find_their_topic(
    demo_ranker: TopicRanker, typed: str, need: str
) -> None:
    """The families leave out what a topic answers (volunteering, a gym one can afford, a
    grandparent raising a child): these share words with the donations, sport and fostering
    families and must still be offered their topic."""
    decision = demo_ranker.decide(typed)
    assert need in {scored.need_id for scored in decision.candidates}, decision


STORY_FLOORS: dict[str, tuple[int, int, int, int]] = {
    "first": (246, 22, 0, 2),  # of 254 needs, 25 out of scope
    "held-out": (133, 20, 0, 1),  # of 138, 21
    "stories, tuned": (115, 37, 9, 1),  # of 120, 40, 12 two-need messages
    "stories, second (tuned)": (114, 37, 9, 1),  # of 121, 41, 12 (read and tuned on in session 10)
    "stories, third (tuned)": (128, 50, 11, 4),  # of 140, 54, 16 (read and tuned on in session 11)
    "stories, fourth (tuned)": (133, 51, 1, 3),  # of 140, 54, 16 (held aside in session 11: 43
    # turned away on main before its merge, 44 after; read and tuned on in session 12)
    "typos, held aside": (107, 6, 0, 0),  # of 111, 6
    "stories, held aside": (133, 48, 2, 3),  # of 140, 64, 22 (stories_holdout4.yaml, held
    # aside in session 12: 133, 46, 6 and 8 on main before its merge; 133, 48, 2 and 3 after)
}
"""Session 10 (needs): set -> (top-3 at least, out of scope turned away at least, two-need
messages offered both at least, single needs offered as two at most), for the fused
ranking, as measured (docs/performance.md, "Session 10: needs"). Session 11 (oos3) raised
the out-of-scope counts with the knowledge base's out-of-scope families ("Session 11:
oos3"), session 12 (oos4) with more families and three topic examples ("Session 12: oos4").
Session 12 (twoneeds) lowered the single needs offered as two (41 -> 12 over these sets) by
telling apart the clauses of a message (topics.CLAUSE_LEAD). Raise them when a change raises a
figure; the aims above are the floor under these."""


@pytest.mark.parametrize("name", sorted(STORY_FLOORS))
def test_the_fused_ranking_holds_the_measured_floors(demo_ranker: TopicRanker, name: str) -> None:
    report = measure_matching(demo_ranker, load_phrasings((SETS | ISSUE_12_SETS)[name]))
    top_3, turned_away, both, one_as_two = STORY_FLOORS[name]
    if name == HELD_ASIDE_STORIES:  # counts only (`CountsOnly`): its texts are not to be read
        floors = CountsOnly(name)
        floors.at_least("top-3", report.overall.top_3, top_3, report.overall.total)
        floors.at_least("out of scope turned away", report.out_of_scope_rejected, turned_away)
        floors.at_least("two needs offered", report.two_needs_offered, both)
        floors.at_most("one need offered as two", len(report.one_need_offered_two), one_as_two)
        floors.check()
        return
    assert report.overall.top_3 >= top_3, _listed(name, report.misses_top_3)
    assert report.out_of_scope_rejected >= turned_away, _listed(name, report.out_of_scope_accepted)
    assert report.two_needs_offered >= both, _listed(name, report.two_needs_missed)
    assert len(report.one_need_offered_two) <= one_as_two, _listed(
        name, report.one_need_offered_two
    )
