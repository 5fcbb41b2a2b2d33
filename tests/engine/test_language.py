"""Other languages: recognised on labelled sets, answered in that language, English kept English.

Everything runs through the real detector on the demo knowledge base (its
knowledge/messages/languages.yaml), and the real conversation.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from math import ceil
from pathlib import Path

import pytest
import yaml

from navigator.cli import main
from navigator.engine import views as v
from navigator.engine.conversation import Conversation
from navigator.engine.events import UnmetNeed
from navigator.engine.understanding.language import (
    LanguageDetector,
    LanguageGuess,
    english_words,
)
from navigator.kb import KnowledgeBase, load
from navigator.kb.validate import validate
from tests.engine.language_set import (
    HELD_ASIDE_AIM,
    MORE_AIM,
    TUNED_AIM,
    english_phrasings,
    english_texts,
    labelled,
    stays_english,
)
from tests.support.held_aside import CountsOnly
from tests.support.kb import load_ok

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def detector(demo_kb: KnowledgeBase) -> LanguageDetector:
    return LanguageDetector.for_knowledge(demo_kb)


def other_language_needs(conversation: Conversation) -> list[UnmetNeed]:
    return [
        event
        for event in conversation.events
        if isinstance(event, UnmetNeed) and event.reason == "other_language"
    ]


# --- Recognising the language ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "aim"),
    [
        ("tuned", TUNED_AIM),
        ("second (tuned)", TUNED_AIM),
        ("third (tuned)", TUNED_AIM),
        ("fourth (tuned)", TUNED_AIM),
        ("more", MORE_AIM),
        ("held-aside", HELD_ASIDE_AIM),
    ],
)
def test_the_labelled_sets_are_recognised(
    detector: LanguageDetector, name: str, aim: float
) -> None:
    messages = labelled(name)
    read = [(item, detector.detect(item.text)) for item in messages]
    wrong = [
        (item.text, item.language, code)
        for item, guess in read
        if (code := guess.code if guess else "en") != item.language
    ]
    assert len(messages) >= 30
    if name == "held-aside":  # counts only (`CountsOnly`): its texts are not to be read
        floors = CountsOnly(name)
        floors.at_least("recognised", len(messages) - len(wrong), ceil(aim * len(messages)))
        floors.check()
        return
    assert 1 - len(wrong) / len(messages) >= aim, wrong


@pytest.mark.parametrize("name", ["third (tuned)", "fourth (tuned)", "held-aside"])
def test_the_english_kept_beside_each_set_stays_english(
    detector: LanguageDetector, name: str
) -> None:
    """Each set written since session 10 keeps ten short English texts (slang, names, borrowed
    words) that must not switch language: 10 of 10 for both when first measured."""
    texts = stays_english(name)
    count = len(texts)
    assert count >= 10
    switched = sum(detector.detect(text) is not None for text in texts)
    assert switched == 0, f"{switched} of {len(texts)} switched"  # counts only: held aside


def test_every_language_the_issue_names_is_in_both_sets() -> None:
    wanted = {"cy", "pl", "ur", "pa", "bn", "ro", "ar", "so", "pt", "lt", "gu", "zh"}
    for name in ("tuned", "second (tuned)", "fourth (tuned)"):
        assert {item.language for item in labelled(name)} == wanted
    assert len(labelled("tuned")) + len(labelled("fourth (tuned)")) >= 40
    more = labelled("more")
    assert {item.language for item in more} == wanted | {"en"}
    assert sum(item.language != "en" for item in more) >= 60
    assert sum(item.language == "en" for item in more) >= 30


def test_no_english_phrasing_switches_language(detector: LanguageDetector) -> None:
    phrasings = english_phrasings()
    switched = [(text, detector.detect(text)) for text in phrasings]
    assert len(phrasings) >= 400
    assert [pair for pair in switched if pair[1] is not None] == []


def test_no_english_text_of_any_labelled_set_switches_language(
    detector: LanguageDetector,
) -> None:
    """Stories, crisis disclosures and near misses, typos and answers too (2,400 texts)."""
    texts = english_texts()
    switched = [
        (name, text, guess)
        for name, found in texts.items()
        for text in found
        if (guess := detector.detect(text)) is not None
    ]
    assert sum(len(found) for found in texts.values()) >= 2000
    assert switched == []


@pytest.mark.parametrize(
    "text",
    [
        "cant pay gas",
        "me nan needs help",
        "the senco wont listen to me",
        "help wiv me bills",
        "carers allowence",
        "baby milk",
        "i want to diet",
        "food bank",
        "ta",
        "",
        "blah blah blah",  # one word repeated: lingua was 95% sure it was Somali
        "aaaaaaa aaaaaaa",
    ],
)
def test_short_english_with_typos_and_slang_stays_english(
    detector: LanguageDetector, text: str
) -> None:
    assert detector.detect(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("میرے پاس کرایہ دینے کے پیسے نہیں ہیں", "ur"),  # ے and ں: Urdu only
        ("مجھے مدد چاہیے", "ur"),  # ے and ی, ہ: not Arabic
        ("أحتاج إلى مساعدة", "ar"),
        ("ਮੈਨੂੰ ਮਦਦ ਚਾਹੀਦੀ ਹੈ", "pa"),
        ("আমার সাহায্য দরকার", "bn"),
        ("મને મદદ જોઈએ છે", "gu"),
        ("我需要帮助", "zh"),
        ("我失業了", "zh"),
    ],
)
def test_scripts_decide_without_the_model(text: str, code: str) -> None:
    detector = LanguageDetector(["ur", "ar", "pa", "bn", "gu", "zh"])
    assert detector.detect(text) == LanguageGuess(code, 1.0, "script")


def test_vowel_signs_count_as_letters_of_their_script() -> None:
    """Bengali or Gujarati vowel signs are marks, not letters, to Python: they still count."""
    detector = LanguageDetector(["bn", "gu"])
    assert detector.detect("আমার universal credit বন্ধ হয়ে গেছে") == LanguageGuess(
        "bn", 0.516, "script"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("我需要universal credit的帮助", "zh"),
        ("请问food bank在哪里", "zh"),
        ("food bank কোথায় আছে?", "bn"),
    ],
)
def test_english_words_in_another_script_do_not_count_against_it(text: str, code: str) -> None:
    detector = LanguageDetector(
        ["zh", "bn"], english=lambda: frozenset({"universal", "credit", "food", "bank"})
    )
    guess = detector.detect(text)
    assert guess is not None
    assert (guess.code, guess.how) == (code, "script")


def test_a_few_letters_of_another_script_in_english_stay_english() -> None:
    detector = LanguageDetector(
        ["zh"], english=lambda: frozenset({"my", "neighbour", "only", "speaks", "can", "help"})
    )
    assert detector.detect("my neighbour only speaks 中文, can someone help her") is None


def test_a_script_not_declared_is_not_guessed() -> None:
    assert LanguageDetector(["pl"]).detect("أحتاج إلى مساعدة") is None


def test_romanised_words_need_two_and_a_third_of_the_message(
    detector: LanguageDetector,
) -> None:
    guess = detector.detect("mujhe madad chahiye")
    assert guess is not None
    assert (guess.code, guess.how) == ("ur", "words")
    assert detector.detect("my mum needs madad") is None  # one listed word is not enough


@pytest.mark.parametrize(
    "text", ["3ayez 7aga", "3ayza 7ad yesa3edni", "ma3andish 7aga", "ana 3ayez mosa3da"]
)
def test_arabic_written_with_digits_for_letters_is_arabic(text: str) -> None:
    """Arabizi: 3 for ع, 7 for ح, 2 for ء... Such words need not be listed one by one."""
    detector = LanguageDetector(["ar", "so"])  # no listed words at all
    guess = detector.detect(text)
    assert guess is not None
    assert (guess.code, guess.how) == ("ar", "words")


@pytest.mark.parametrize(
    "text",
    [
        "need help 2day with the gas, gr8 if someone rings b4 5pm",
        "i have to be out by 3rd jan, got 7days notice",
        "we live in NB7 2AB and m13 9pl",
        "my kids are 3 5 and 7",
        "3pm or 9am 2moro, mp3s",
    ],
)
def test_numbers_and_text_speak_in_english_are_not_arabizi(text: str) -> None:
    assert LanguageDetector(["ar"]).detect(text) is None


def test_english_words_do_not_dilute_three_listed_words() -> None:
    """A romanised message about English-named things: their names do not count against it."""
    english = frozenset({"universal", "credit", "council", "tax", "and", "housing", "benefit"})
    detector = LanguageDetector(["ur"], {"ur": ["mujhe", "madad", "chahiye"]}, lambda: english)
    text = "mujhe universal credit, council tax and housing benefit form par madad chahiye"
    guess = detector.detect(text)
    assert guess is not None
    assert (guess.code, guess.how) == ("ur", "words")
    # Two listed words among English are an English message with a phrase in it.
    assert detector.detect("bachon ke liye swimming lessons, how much for two kids") is None


def test_a_long_romanised_message_with_hardly_any_english_needs_three_listed_words() -> None:
    """Session 12 (welsh7): a long message holds more words than any list; three listed words
    in fifteen were not a third, so it fell to the model (Somali) or stayed English. With
    hardly a word of English, three listed words are enough; two are not."""
    english = frozenset({"the", "police", "but", "they", "do", "nothing", "my", "is", "and"})
    detector = LanguageDetector(["bn"], {"bn": ["amar", "ami", "ekhon", "kothay"]}, lambda: english)
    text = "amar bhai goto shoptaho theke barite fire ni, kintu ami ekhon jani na o kothay ache"
    guess = detector.detect(text)
    assert guess is not None
    assert (guess.code, guess.how) == ("bn", "words")
    assert detector.detect("amar ami, the police do nothing but they say my brother is") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "amar chhoto bhai goto shoptaho theke barite fire ashe ni, police ke janiyechi "
            "kintu tara kichui korche na, ma shara raat kandche, ami ekhon jani na o kothay",
            "bn",
        ),
        (
            "sadde gwandi har raat uchi uchi gaane chalaunde ne, asi kayi vaari shikayat kiti "
            "par kujh nahi hoya, bacheyan di neend puri nahi hundi",
            "pa",
        ),
        (
            "meri maa nu sugar di bimari hai te oh kalli rehndi hai, mainu roz kamm ton baad "
            "jana painda, main thak jandi haan, koi madad mil sakdi hai",
            "pa",
        ),
        ("mujhe apne bete ke school ke baare mein madad chahiye, woh bahut pareshan hai", "ur"),
    ],
)
def test_long_romanised_punjabi_and_bengali_are_recognised(
    detector: LanguageDetector, text: str, code: str
) -> None:
    """Session 12 (welsh7), the family of languages_holdout3.yaml's misses, in other words:
    long romanised Bengali and Punjabi were English or Somali, and Punjabi with the words it
    shares with Urdu was Urdu (the demo's lists, knowledge/messages/languages.yaml)."""
    guess = detector.detect(text)
    assert guess is not None
    assert (guess.code, guess.how) == (code, "words")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("preciso de ajuda com o council tax por favor", "pt"),
        ("preciso de um food bank perto de casa", "pt"),
        ("pomocy z council tax prosze", "pl"),
    ],
)
def test_the_model_reads_a_message_without_its_few_english_words(
    detector: LanguageDetector, text: str, code: str
) -> None:
    guess = detector.detect(text)
    assert guess is not None
    assert (guess.code, guess.how) == (code, "model")


def test_english_with_a_foreign_phrase_is_read_as_written(detector: LanguageDetector) -> None:
    """Nearly half its words English: the English guard still sees them (a crisis set's)."""
    assert detector.detect("donde esta la sala de ordenadores, i need print my cv") is None


def test_without_the_model_scripts_and_words_still_answer(
    demo_kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """lingua missing (a broken install): said once in the log, nothing else fails."""
    monkeypatch.setitem(sys.modules, "lingua", None)  # `import lingua` now raises ImportError
    detector = LanguageDetector.for_knowledge(demo_kb)

    with caplog.at_level(logging.WARNING):
        assert detector.detect("Potrzebuję pomocy z czynszem") is None
        assert detector.detect("Am nevoie de ajutor cu chiria") is None
        assert detector.detect("مجھے مدد چاہیے") == LanguageGuess("ur", 1.0, "script")
        assert detector.detect("mujhe madad chahiye") is not None

    assert detector.problem is not None
    assert "lingua" in detector.problem
    assert len([r for r in caplog.records if "could not be built" in r.message]) == 1


def test_the_model_is_built_once_in_the_background(demo_kb: KnowledgeBase) -> None:
    detector = LanguageDetector.for_knowledge(demo_kb)
    assert not detector.ready
    model = detector.warm_up()
    assert model is not None
    assert detector.ready
    assert detector.warm_up() is model


# --- Answering in the language -----------------------------------------------------------


def test_polish_is_answered_in_polish_with_the_topic_list(demo_kb: KnowledgeBase) -> None:
    conversation = Conversation(demo_kb, channel="plain", site="library")

    view = conversation.say("Potrzebuję pomocy z czynszem")

    assert isinstance(view, v.NoMatchView)
    assert view.language == "pl"
    polish = demo_kb.languages["pl"]
    assert view.title == polish.title
    assert view.text.startswith(polish.text)
    assert "Staff can arrange an interpreter" in view.text  # the same in English, for staff
    assert view.prompt == polish.prompt
    assert [choice.key for choice in view.choices] == list(demo_kb.topics)
    assert [(e.need_id, e.text) for e in other_language_needs(conversation)] == [(None, "pl")]


def test_spanish_is_answered_in_spanish_and_the_need_recorded(demo_kb: KnowledgeBase) -> None:
    """Session 12: Spanish had no entry, so a Spanish message got no Spanish words and no
    "needed another language" (it was read as English, or taken for Portuguese)."""
    conversation = Conversation(demo_kb, channel="plain", site="library")

    view = conversation.say("Necesito ayuda para pagar el alquiler, no tengo trabajo")

    assert isinstance(view, v.NoMatchView)
    assert view.language == "es"
    spanish = demo_kb.languages["es"]
    assert (view.title, view.prompt) == (spanish.title, spanish.prompt)
    assert view.text.startswith(spanish.text)
    assert "Staff can arrange an interpreter" in view.text
    assert "999" in spanish.text and "999" in spanish.crisis
    assert [(e.need_id, e.text) for e in other_language_needs(conversation)] == [(None, "es")]


def test_spanish_takes_nothing_from_portuguese(demo_kb: KnowledgeBase) -> None:
    """Weighed against Spanish, this Portuguese message (tests/data/languages_more.yaml) fell
    under the model's confidence; Spanish is `language_model: when_first`."""
    said = "preciso de ajuda por favor"
    assert demo_kb.languages["es"].language_model == "when_first"
    guess = LanguageDetector.for_knowledge(demo_kb).detect(said)
    assert guess is not None and guess.code == "pt"
    shared = LanguageDetector(
        demo_kb.languages,
        {code: language.romanised for code, language in demo_kb.languages.items()},
        lambda: english_words(demo_kb),
    )
    assert shared.detect(said) is None
    assert shared.detect("Necesito ayuda para pagar el alquiler, no tengo trabajo") is not None


def test_every_language_message_says_where_to_turn_in_an_emergency(
    demo_kb: KnowledgeBase,
) -> None:
    """Crisis signs are read in English, so each message in another language names 999."""
    assert len(demo_kb.languages) >= 12
    for language in demo_kb.languages.values():
        assert "999" in language.text, language.id
    assert "999" in demo_kb.message("engine_other_language_english")


def test_the_need_is_recorded_once_per_language_and_a_topic_can_follow(
    demo_kb: KnowledgeBase,
) -> None:
    conversation = Conversation(demo_kb, channel="kiosk", site="library")
    conversation.say("Potrzebuję pomocy z czynszem")
    conversation.say("nie mam pracy i nie mam co jeść")
    view = conversation.say("میرے پاس کرایہ دینے کے پیسے نہیں ہیں")
    assert view.title == demo_kb.languages["ur"].title

    view = conversation.choose("money-debt")

    assert view.kind == "question"
    assert view.topic_id == "money-debt"
    assert [e.text for e in other_language_needs(conversation)] == ["pl", "ur"]
    conversation.back()
    assert conversation.view.title == demo_kb.languages["ur"].title  # one overlay, not three
    conversation.back()
    assert conversation.view.kind == "welcome"


def test_mid_topic_the_person_can_carry_on_with_the_question(demo_kb: KnowledgeBase) -> None:
    conversation = Conversation(demo_kb, channel="kiosk", site="library")
    question = conversation.say("gas bill too high")  # straight into the energy topic
    assert question.kind == "question"

    view = conversation.say("Preciso de ajuda com a renda")

    assert isinstance(view, v.NoMatchView)
    assert view.language == "pt"
    assert view.can_return
    assert view.choices[-1].key == "carry_on"
    assert conversation.choose("carry_on") == question


def test_english_is_read_as_before(demo_kb: KnowledgeBase) -> None:
    conversation = Conversation(demo_kb, channel="kiosk", site="library")
    view = conversation.say("me nan needs help")
    assert not (isinstance(view, v.NoMatchView) and view.language)
    assert conversation.say("gas bill too high").kind == "question"
    assert other_language_needs(conversation) == []


# --- A language the knowledge base is written in -------------------------------------------


def welsh_served(root: Path) -> Path:
    """The demo, with Welsh declared as served and a few messages translated into Welsh."""
    shutil.copytree(REPO / "knowledge", root)
    path = root / "messages" / "languages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for language in data["languages"]:
        if language["id"] == "cy":
            language["served"] = True
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    welsh = {
        "messages": {
            "engine_no_match_title": {
                "en": "Sorry, I did not understand",
                "cy": "Mae'n ddrwg gen i, wnes i ddim deall",
            }
        }
    }
    engine = root / "messages" / "engine.yaml"
    messages = yaml.safe_load(engine.read_text(encoding="utf-8"))
    messages["messages"].update(welsh["messages"])
    engine.write_text(yaml.safe_dump(messages, allow_unicode=True), encoding="utf-8")
    return root


def test_welsh_carries_on_in_welsh_where_the_content_is_written_in_it(
    tmp_path: Path,
) -> None:
    knowledge = load_ok(welsh_served(tmp_path / "kb"))
    conversation = Conversation(knowledge, channel="kiosk", site="library")

    view = conversation.say("Does dim digon o arian gen i i dalu'r rhent")

    assert conversation.language == "cy"
    assert conversation.wording.language == "cy"
    assert other_language_needs(conversation) == []
    # Matched in Welsh (the demo's topics have Welsh words): the closest topics, in Welsh.
    assert view.kind == "choose_topic"
    assert view.title == knowledge.message("engine_choose_topic_title", "cy")


# --- The knowledge base format ---------------------------------------------------------------


def test_a_language_not_served_must_say_something(tmp_path: Path) -> None:
    shutil.copytree(REPO / "knowledge", tmp_path / "kb")
    path = tmp_path / "kb" / "messages" / "languages.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    prompt: Wybierz numer.\n", ""),
        encoding="utf-8",
    )

    result = load(tmp_path / "kb")

    problems = [str(d) for d in result.diagnostics]
    assert len(problems) == 1, problems
    assert "languages.yaml" in problems[0]
    assert "'pl'" in problems[0]
    assert "'prompt'" in problems[0]
    assert "pl" not in result.knowledge.languages


def test_the_reason_must_be_declared_when_a_language_is_not_served(tmp_path: Path) -> None:
    shutil.copytree(REPO / "knowledge", tmp_path / "kb")
    path = tmp_path / "kb" / "reasons.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - id: other_language")], encoding="utf-8")

    findings = [str(d) for d in validate(load_ok(tmp_path / "kb")) if "other_language" in str(d)]

    assert len(findings) == 1
    assert "missing-reason" in findings[0]
    assert "reasons.yaml" in findings[0]


def test_a_language_code_is_two_letters(tmp_path: Path) -> None:
    shutil.copytree(REPO / "knowledge", tmp_path / "kb")
    path = tmp_path / "kb" / "messages" / "languages.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - id: pl\n", "  - id: polish\n"),
        encoding="utf-8",
    )

    problems = [str(d) for d in load(tmp_path / "kb").diagnostics]

    assert len(problems) == 1, problems
    assert "languages[1].id" in problems[0]


# --- navigator match --------------------------------------------------------------------------


def test_match_json_reports_the_language(
    demo_knowledge_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = ["Potrzebuję pomocy z czynszem", "مجھے مدد چاہیے", "cant pay gas"]
    status = main(["match", "--kb", str(demo_knowledge_dir), "--json", *texts])

    assert status == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(item["text"], item["language"]) for item in found] == [
        ("Potrzebuję pomocy z czynszem", "pl"),
        ("مجھے مدد چاہیے", "ur"),
        ("cant pay gas", "en"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "baby no milk 2nite 2moro",
        "no food 2nite 2moro",
        "cant cope 2nite. gone 2moro",
        "gas gone off 2nite and 2morrow",
    ],
)
def test_english_text_speak_the_vocabulary_spells_with_digits_is_not_arabizi(
    detector: LanguageDetector, text: str
) -> None:
    """Review of session 10: "2nite" and "2moro" looked like Arabizi (a digit for a letter),
    so a crisis in text-speak was read as Arabic and the English meaning line never read it.
    The vocabulary's own spellings ("tonight": "2nite") are English words."""
    assert detector.detect(text) is None
