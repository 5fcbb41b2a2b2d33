"""A crisis said in mixed languages (session 11, branch mixed).

A message the language stage calls Portuguese, Polish or Romanian (a language with no
meaning line of its own) used to get the sign lexicon only, so its English half was never
read by meaning. Now the English line reads its English words (`mixed.MixedLine`), with a
clearer lead than English text needs. Real engine, real knowledge base, real text, and the
real `navigator chat --plain`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from msgspec.structs import replace

from navigator.engine import views as v
from navigator.engine.conversation import Conversation
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.language import LanguageDetector
from navigator.engine.understanding.mixed import MIXED, EnglishWords, MixedLine, latin_script
from navigator.engine.understanding.pipeline import Understanding
from navigator.kb import KnowledgeBase
from tests.engine.crisis_set import DATA, load_crisis_set, measure_crisis
from tests.engine.language_set import labelled
from tests.support.counting import CountingDetector

MIXED_SET = DATA / "crisis_mixed.yaml"
MIXED_CAUGHT = 93
MIXED_RIGHT_KIND = 80
MIXED_ALARMS = 3
"""crisis_mixed.yaml (97 disclosures, 62 near misses; tuned on) read as a conversation reads
it: 81 caught (67 the right kind), 2 alarms before the mixed line; 89 (74), 3 with it; 93
(79), 3 on main in session 12, 93 (80), 3 with Spanish declared (branch cleanup) and with
its signs (cleanup2). Raised to those figures in session 12 so a loss shows."""
ORDINARY_SETS = ("tuned", "second (tuned)", "more")
ORDINARY_INTERRUPTED = 7
"""Of the 165 ordinary messages of those language sets: 6 before, 7 with the mixed line (the
seventh is "potrzebuję food bank, nie mam jedzenia dla dzieci": no food for the children)."""

MIXED_DISCLOSURE = "eu não sei o que fazer, os meus filhos have had nothing to eat since yesterday"
"""Portuguese to the language stage; no sign in any language matches it."""
ORDINARY_FOREIGN = (
    "preciso de ajuda para encontrar um curso de inglês, my english is not good",
    "am nevoie de un doctor pentru copilul meu, he needs his vaccinations",
)


@pytest.fixture(scope="module")
def languages(demo_kb: KnowledgeBase) -> LanguageDetector:
    return LanguageDetector.for_knowledge(demo_kb)


def test_the_english_words_of_a_mixed_message_are_cut_out_in_order(
    demo_kb: KnowledgeBase,
) -> None:
    cut = EnglishWords.for_knowledge(demo_kb).cut(
        "moja córka wyszła z domu 3 dni temu and she said she wants to end it"
    )
    assert cut.text == "3 and she said she wants to end it"
    assert cut.content == 2  # "said", "end": filler ("she", "wants") does not count
    assert (cut.words, cut.english) == (16, 9)
    assert 0.4 < cut.foreign < 0.5


def test_guards_in_another_script_are_not_english_words(demo_kb: KnowledgeBase) -> None:
    """Session 12 review: the Chinese ordinary guards ("我想死你了": I miss you to death) were
    English words to the mixed line, so a message that is one of them had an English word."""
    assert demo_kb.safeguarding is not None
    guards = [text for text in demo_kb.safeguarding.not_crisis if not latin_script(text)]
    assert len(guards) >= 9
    english = EnglishWords.for_knowledge(demo_kb)
    assert all(latin_script(word) for word in english.words)
    for guard in guards:
        cut = english.cut(guard)
        assert (cut.text, cut.english) == ("", 0), guard
    kept = "i could murder a cup of tea"  # an English guard: its words are still English
    assert kept in demo_kb.safeguarding.not_crisis
    assert english.cut(kept).text == kept


def test_latin_script_is_latin_letters_with_their_accents() -> None:
    assert latin_script("can't pay, café, mąż, 999")
    assert not latin_script("我想死你了")
    assert not latin_script("help ਮੈਂ")


def test_a_mixed_disclosure_in_a_language_without_its_own_line_is_read_by_the_english_line(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector, languages: LanguageDetector
) -> None:
    """Fails before the mixed line: Portuguese got the sign lexicon only, which finds
    nothing here."""
    guess = languages.detect(MIXED_DISCLOSURE)
    assert guess is not None and guess.code == "pt"
    assert guess.code not in detector.languages
    assert detector.by_signs(MIXED_DISCLOSURE) is None
    verdict = detector.assess(MIXED_DISCLOSURE, meaning=False, language="pt")
    assert verdict is not None
    assert verdict.kind_id == "children-no-food"
    assert verdict.read_as is not None and "nothing to eat since yesterday" in verdict.read_as
    alone = SafeguardingDetector(
        demo_kb.safeguarding, demo_kb.vocabulary, detector.meaning, detector.languages
    )
    assert alone.assess(MIXED_DISCLOSURE, meaning=False, language="pt") is None


def test_yes_at_the_check_in_opens_the_panel_in_the_language_read_once(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector
) -> None:
    """The check-in keeps the language the pipeline read; the panel a "yes" opens has the
    Portuguese line, and the message was read by the language detector once."""
    languages = CountingDetector.for_knowledge(demo_kb)
    understanding = Understanding(demo_kb, safeguarding=detector, languages=languages)
    conversation = Conversation(demo_kb, channel="kiosk", site="test", understanding=understanding)
    assert conversation.say(MIXED_DISCLOSURE).kind == "check_in"
    view = conversation.choose(v.CHECK_IN_YES)
    assert isinstance(view, v.SafeguardingView)
    assert view.language == "pt"
    assert view.text.startswith(demo_kb.languages["pt"].crisis)
    assert languages.calls == 1


def test_no_at_the_check_in_carries_on_in_the_language_read_once(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector
) -> None:
    """A "no" reads the words again for what they ask, in the language the check-in kept:
    Portuguese, so the 'help is in Portuguese' message follows; the detector read the
    message once (twice before session 12's cleanup2)."""
    languages = CountingDetector.for_knowledge(demo_kb)
    understanding = Understanding(demo_kb, safeguarding=detector, languages=languages)
    conversation = Conversation(demo_kb, channel="kiosk", site="test", understanding=understanding)
    assert conversation.say(MIXED_DISCLOSURE).kind == "check_in"
    view = conversation.choose(v.CHECK_IN_NO)
    assert isinstance(view, v.NoMatchView) and view.language == "pt"
    assert view.title == demo_kb.languages["pt"].title
    assert languages.calls == 1


ONE_CONTENT_WORD = "mąż znowu pije i krzyczy, he hurts me"
"""Polish, with one English content word ("hurts"); no sign in any language matches it."""
TWO_CONTENT_WORDS = "mąż znowu pije i krzyczy, she cuts herself"
"""The same Polish, with two ("cuts", "herself")."""


def test_too_few_english_words_are_not_read_by_the_english_line(
    detector: SafeguardingDetector, languages: LanguageDetector
) -> None:
    """One English content word is no English to read: the letters of the rest would be
    compared with English examples. A message with one word fewer than `min_content` is not
    read, though the English line would find it; one with `min_content` words is read.
    (Session 12 review: the test before held whatever `min_content` was.)"""
    mixed = detector.mixed
    assert mixed is not None and mixed.tuning == MIXED
    for said in (ONE_CONTENT_WORD, TWO_CONTENT_WORDS):
        guess = languages.detect(said)
        assert guess is not None and guess.code == "pl"
        assert detector.by_signs(said) is None
    assert mixed.words.cut(ONE_CONTENT_WORD).content == MIXED.min_content - 1
    assert mixed.words.cut(TWO_CONTENT_WORDS).content == MIXED.min_content
    assert detector.assess(ONE_CONTENT_WORD, meaning=False, language="pl") is None
    lowered = MixedLine(
        mixed.english, mixed.words, replace(MIXED, min_content=MIXED.min_content - 1)
    )
    assert lowered.check(ONE_CONTENT_WORD) is not None  # read, it would interrupt
    verdict = detector.assess(TWO_CONTENT_WORDS, meaning=False, language="pl")
    assert verdict is not None and verdict.kind_id == "suicide-self-harm"
    assert verdict.read_as == "i she cuts herself"


@pytest.mark.parametrize("said", ORDINARY_FOREIGN)
def test_an_ordinary_request_in_another_language_is_not_interrupted(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector, languages: LanguageDetector, said: str
) -> None:
    assert languages.detect(said) is not None  # read as another language
    understanding = Understanding(demo_kb, safeguarding=detector)
    conversation = Conversation(demo_kb, channel="kiosk", site="test", understanding=understanding)
    view = conversation.say(said)
    assert view.kind not in {"safeguarding", "check_in"}, view.kind


def test_crisis_mixed_floors_read_as_a_conversation_reads_it(
    detector: SafeguardingDetector, languages: LanguageDetector
) -> None:
    report = measure_crisis(detector, load_crisis_set(MIXED_SET), languages)
    print(
        f"crisis_mixed: caught {report.caught}/{report.crisis_total}, right kind "
        f"{report.right_kind}, alarms {len(report.false_alarms)}/{report.near_total}"
    )
    assert report.caught >= MIXED_CAUGHT
    assert report.right_kind >= MIXED_RIGHT_KIND
    assert len(report.false_alarms) <= MIXED_ALARMS


def test_ordinary_messages_in_other_languages_are_rarely_interrupted(
    detector: SafeguardingDetector, languages: LanguageDetector
) -> None:
    interrupted = 0
    total = 0
    for name in ORDINARY_SETS:
        for item in labelled(name):
            guess = languages.detect(item.text)
            code = guess.code if guess else None
            total += 1
            interrupted += (
                detector.assess(item.text, meaning=guess is None, language=code) is not None
            )
    assert total == 165
    assert interrupted <= ORDINARY_INTERRUPTED, f"{interrupted} of {total}"


def test_navigator_chat_plain_asks_the_check_in_for_a_mixed_disclosure_mid_topic(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """The real command in a child process: a topic chosen by number, then at its first
    question the mixed disclosure; the check-in question from the knowledge base follows."""
    trial = Conversation(demo_kb, channel="plain", site="library")
    number = next(c.number for c in trial.view.choices if c.key == "money-debt")
    environment = {
        **os.environ,
        "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
        "NAVIGATOR_CONFIG": str(tmp_path / "none.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "chat", "--plain"],
        input=f"{number}\n{MIXED_DISCLOSURE}\n".encode(),
        capture_output=True,
        env=environment,
        timeout=180,
        check=False,
    )
    shown = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8")
    first = demo_kb.nodes[demo_kb.topics["money-debt"].start]
    assert first.text.get() in shown  # the disclosure came mid-topic
    assert demo_kb.safeguarding is not None and demo_kb.safeguarding.check_in is not None
    assert demo_kb.safeguarding.check_in.question.get() in shown
