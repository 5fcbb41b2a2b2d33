"""Answers as people say them: each parser, the option ranges, and what a first message fills.

The questions are the demo borough's own (real YAML, loaded by the real loader);
the range and district checks write small knowledge bases to disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from navigator.engine.conversation import Conversation
from navigator.engine.events import AnswerGiven
from navigator.engine.textnorm import normalise
from navigator.engine.understanding.answers import (
    AnswerWords,
    Reply,
    by_district,
    by_fact_words,
    by_range,
    districts_in,
    match_option,
    prefill,
    quantities,
    understand,
    words,
)
from navigator.engine.views import CHECK_IN_NO
from navigator.kb import KnowledgeBase, load
from navigator.kb.model import Question
from tests.kb.kbfiles import TOPIC, write_kb
from tests.support.kb import load_ok


@pytest.fixture(scope="module")
def found(demo_kb: KnowledgeBase) -> AnswerWords:
    return AnswerWords(demo_kb.vocabulary)


def question(knowledge: KnowledgeBase, node_id: str) -> Question:
    node = knowledge.nodes[node_id]
    assert isinstance(node, Question)
    return node


# --- Numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "values"),
    [
        ("82", [(82, "")]),
        ("she is 82", [(82, "")]),
        ("eighty two", [(82, "")]),
        ("two hundred and fifty", [(250, "")]),
        ("about 40 hours a week", [(40, "hours")]),
        ("40hrs", [(40, "hours")]),
        ("£180 a week", [(180, "pounds")]),
        ("£23,250", [(23250, "pounds")]),
        ("20k", [(20000, "")]),
        ("82yo", [(82, "years")]),
        ("18 months", [(18, "months")]),
        ("NB7 2AB", []),
        ("two two", [(2, ""), (2, "")]),
    ],
)
def test_numbers_are_read_in_digits_and_words_with_their_unit(
    found: AnswerWords, typed: str, values: list[tuple[float, str]]
) -> None:
    read = [(q.value, q.unit) for q in quantities(words(typed, found), found)]
    assert read == values


def test_two_ten_in_english_is_not_twenty(found: AnswerWords) -> None:
    """English does not count in tens: "two ten" is no one number (a time, 2:10? two
    numbers? 210?). Only the Welsh tens words count that way ("dau ddeg" is 20)."""
    read = quantities(words("two ten", found), found)
    assert 20 not in [q.value for q in read]
    assert 210 not in [q.value for q in read]
    assert all(q.joined for q in read)


@pytest.mark.parametrize("typed", ["two ten", "she is two ten", "two ten years"])
def test_number_words_run_together_are_asked_again(
    demo_kb: KnowledgeBase, found: AnswerWords, typed: str
) -> None:
    """ "two ten" at "How old is the person?" is not 20, nor 2 and 10 (both under 18):
    not a number any option offers, so nothing is picked and the question is asked again."""
    assert match_option(question(demo_kb, "asc-age"), typed, found) is None


def test_welsh_still_counts_in_tens(demo_kb: KnowledgeBase) -> None:
    welsh = AnswerWords(demo_kb.vocabulary, "cy")
    assert [q.value for q in quantities(words("dau ddeg", welsh), welsh)] == [20]
    assert [q.value for q in quantities(words("wyth deg dau", welsh), welsh)] == [82]
    assert match_option(question(demo_kb, "asc-age"), "wyth deg dau", welsh) == "65-plus"


def test_two_ten_in_a_first_message_is_no_age(demo_kb: KnowledgeBase) -> None:
    assert understand("my mum is two ten", demo_kb.vocabulary).ages == ()


@pytest.mark.parametrize(
    ("node_id", "typed", "key"),
    [
        ("asc-age", "82", "65-plus"),
        ("asc-age", "she is 82", "65-plus"),
        ("asc-age", "eighty two", "65-plus"),
        ("asc-age", "64", "18-64"),
        ("asc-age", "65", "65-plus"),
        ("carers-hours", "about 40 hours a week", "35-plus"),
        ("carers-hours", "20 to 30 hours", "20-to-34"),
        ("asc-money-home-savings", "£23,250", "middle"),
        ("asc-money-home-savings", "£23,251", "over-upper"),
        ("childcare-start", "18 months", "9-months-to-2"),
        ("childcare-start", "she is 2", "two"),
    ],
)
def test_a_number_picks_the_option_whose_range_holds_it(
    demo_kb: KnowledgeBase, found: AnswerWords, node_id: str, typed: str, key: str
) -> None:
    assert match_option(question(demo_kb, node_id), typed, found) == key


@pytest.mark.parametrize(
    ("node_id", "typed"),
    [
        ("asc-age", "40 hours a week"),  # a number in another unit is not an age
        ("asc-age", "she is 82 and has 2 cats"),  # two numbers, two options: unsure
        ("carers-hours", "between 15 and 25"),
        ("asc-tasks", "82"),  # no ranges here, and no option 82
    ],
)
def test_a_number_that_fits_no_one_option_picks_none(
    demo_kb: KnowledgeBase, found: AnswerWords, node_id: str, typed: str
) -> None:
    assert match_option(question(demo_kb, node_id), typed, found) is None


def test_a_bare_number_on_the_list_is_still_the_option_number(
    demo_kb: KnowledgeBase, found: AnswerWords
) -> None:
    """Pressing or typing "3" picks option 3, as on every other screen."""
    assert match_option(question(demo_kb, "asc-age"), "3", found) == "65-plus"


def test_a_weekly_amount_picks_its_band(tmp_path: Path) -> None:
    """ "£180 a week" at a question about money coming in each week (no vocabulary needed)."""
    ranged = TOPIC.replace(
        "      - label: Under £200\n",
        "      - label: Under £200\n        range: {less_than: 200, unit: pounds}\n",
    ).replace(
        "      - label: £200 or more\n",
        "      - label: £200 or more\n        range: {at_least: 200, unit: pounds}\n",
    )
    knowledge = load_ok(write_kb(tmp_path, topics=ranged))
    money = question(knowledge, "carers-money")

    assert by_range(money, *_reply(money, "£180 a week", knowledge)) == "under-200"
    assert match_option(money, "£250", knowledge.vocabulary) == "200-or-more"


def _reply(node: Question, typed: str, knowledge: KnowledgeBase) -> tuple[Reply, AnswerWords]:
    found = AnswerWords(knowledge.vocabulary)
    labels = tuple((option.label.get(),) for option in node.options)
    return Reply(typed, normalise(typed), tuple(words(typed, found)), labels), found


# --- Ranges and districts in the knowledge base --------------------------------------------


@pytest.mark.parametrize(
    ("under", "over", "problem"),
    [
        ("{less_than: 65, unit: years}", "{at_least: 60, unit: years}", "overlap"),
        ("{less_than: 65, unit: years}", "{at_least: 65, unit: hours}", "different units"),
        ("{unit: years}", "{at_least: 65, unit: years}", "at least one bound"),
        ("{at_least: 70, at_most: 60, unit: years}", "{at_least: 71, unit: years}", "above"),
        ("{less_than: 65, unit: stones}", "{at_least: 65, unit: years}", "unit"),
    ],
)
def test_bad_ranges_are_refused_with_the_file_and_line(
    tmp_path: Path, under: str, over: str, problem: str
) -> None:
    topics = TOPIC.replace(
        "      - label: Under 65\n", f"      - label: Under 65\n        range: {under}\n"
    ).replace("      - label: 65 or over\n", f"      - label: 65 or over\n        range: {over}\n")
    root = write_kb(tmp_path, topics=topics)

    result = load(root)

    assert not result.ok
    found = [str(d) for d in result.diagnostics if d.code == "schema"]
    assert any(problem in text and "carers.yaml" in text for text in found), found


def test_a_district_in_two_options_is_refused(tmp_path: Path) -> None:
    topics = TOPIC.replace(
        "      - label: Under 65\n", "      - label: Under 65\n        districts: [TB1]\n"
    ).replace(
        "      - label: 65 or over\n", "      - label: 65 or over\n        districts: [TB1, TB2]\n"
    )
    result = load(write_kb(tmp_path, topics=topics))
    assert any("district tb1 is in options" in str(d).lower() for d in result.diagnostics)


# --- Postcodes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "districts"),
    [
        ("NB7 2AB", {"NB7"}),
        ("nb72ab", {"NB7"}),
        ("i live in nb7", {"NB7"}),
        ("NB12", {"NB12"}),
        ("my house", set()),
        ("a1", set()),
    ],
)
def test_postcodes_are_cut_to_their_district(typed: str, districts: set[str]) -> None:
    assert districts_in(typed) == districts


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("NB7 2AB", "nb5-to-nb10"),
        ("nb7", "nb5-to-nb10"),
        ("NB11 3XY", "the-villages-nb11-or-nb12"),
        ("LS6 2AB", None),
        ("NB1 or NB7", None),
    ],
)
def test_a_postcode_picks_the_option_holding_its_district(
    demo_kb: KnowledgeBase, found: AnswerWords, typed: str, key: str | None
) -> None:
    area = question(demo_kb, "food-weekly-area")
    assert match_option(area, typed, found) == key
    if key is not None:
        assert by_district(area, *_reply(area, typed, demo_kb)) == key


# --- Yes, no and who ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("yeah", "lives-here"),
        ("yep", "lives-here"),
        ("aye", "lives-here"),
        ("ye", "lives-here"),
        ("defo", "lives-here"),
        ("nope", "lives-elsewhere"),
        ("nah", "lives-elsewhere"),
        ("not really", "lives-elsewhere"),
        ("yes and no", None),
    ],
)
def test_everyday_yes_and_no(
    demo_kb: KnowledgeBase, found: AnswerWords, typed: str, key: str | None
) -> None:
    assert match_option(question(demo_kb, "asc-lives"), typed, found) == key


@pytest.mark.parametrize(
    ("node_id", "typed"),
    [
        ("food-start", "no"),  # "I have no food today" is not a "no"
        ("food-start", "nah"),
        ("food-start", "not really"),
        ("money-start", "yes"),  # "...gas or electric right now" is not a "yes"
        ("money-start", "yeah"),
        ("money-start", "right"),
        ("send-disagree", "no"),  # "The council said no to an assessment"
    ],
)
def test_yes_and_no_pick_nothing_at_a_question_that_is_not_yes_or_no(
    demo_kb: KnowledgeBase, found: AnswerWords, node_id: str, typed: str
) -> None:
    """Issue 12: a yes/no word picks only an option whose label, as a whole, is a yes
    or a no; a label that merely holds "no" or "right" somewhere is not one."""
    assert match_option(question(demo_kb, node_id), typed, found) is None


@pytest.mark.parametrize(
    ("node_id", "typed", "key"),
    [
        ("carers-young-school", "no", "school-does-not-know"),  # "No, they don't know"
        ("carers-young-school", "yeah", "school-knows"),
        ("asc-urgent", "yes please", "today"),  # "Yes, today"
        ("asc-urgent", "nah", "can-wait"),  # "No, it can wait a few days"
        ("send-senco", "nope", "not-yet"),  # "Not yet"
        ("childcare-two-support", "no", "none"),  # "None of these"
        ("asc-tasks", "dunno", "not-sure"),  # "I'm not sure"
        ("bere-money-relationship", "no", None),  # two options say no: not a guess
    ],
)
def test_yes_and_no_pick_the_one_option_whose_label_is_that_answer(
    demo_kb: KnowledgeBase, found: AnswerWords, node_id: str, typed: str, key: str | None
) -> None:
    assert match_option(question(demo_kb, node_id), typed, found) == key


def test_no_at_a_question_that_is_not_yes_or_no_asks_it_again_in_the_topic(
    demo_kb: KnowledgeBase,
) -> None:
    """Through the engine: "no" at "What would help most?" answers nothing, and the
    question is asked again with its options; the person stays in the topic."""
    conversation = Conversation(demo_kb, channel="plain", site="test")
    conversation.start_topic("food-essentials")
    assert conversation.view.node_id == "food-start"
    view = conversation.say("no")
    assert not [e for e in conversation.events if isinstance(e, AnswerGiven)]
    assert view.kind == "reask"
    assert view.node_id == "food-start"
    options = [o.key for o in question(demo_kb, "food-start").options]
    assert [c.key for c in view.choices][1 : 1 + len(options)] == options


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("my mum", "someone-else"),
        ("my husband", "someone-else"),
        ("a friend", "someone-else"),
        ("my neighbour", "someone-else"),
        ("me mam", "someone-else"),
        ("me", "me"),
        ("myself", "me"),
        ("its for me", "me"),
        ("not me, my mum", None),
    ],
)
def test_relations_pick_me_or_someone_else(
    demo_kb: KnowledgeBase, found: AnswerWords, typed: str, key: str | None
) -> None:
    assert match_option(question(demo_kb, "asc-who"), typed, found) == key


def test_a_northbrook_postcode_says_yes_to_living_in_northbrook(
    demo_kb: KnowledgeBase, found: AnswerWords
) -> None:
    lives = question(demo_kb, "asc-lives")
    assert match_option(lives, "NB7 2AB", found) == "lives-here"
    assert match_option(lives, "LS6 2AB", found) is None


def test_fact_words_never_answer_a_question_that_is_not_about_that_fact(
    demo_kb: KnowledgeBase, found: AnswerWords
) -> None:
    """Every need but one at young-people-start sets asking_for: self; "my son" is not one."""
    start = question(demo_kb, "young-people-start")
    assert by_fact_words(start, *_reply(start, "my son", demo_kb)) is None


# --- What a first message already says -------------------------------------------------------


def test_a_first_message_gives_ages_with_whose_they_are(found: AnswerWords) -> None:
    understood = understand("im 45 and my dad is 80, we live in NB7 2AB", found)
    assert [(age.years, age.subject) for age in understood.ages] == [(45, "self"), (80, "other")]
    assert understood.districts == {"NB7"}
    assert understood.facts["asking_for"] == {"someone-else"}


@pytest.mark.parametrize(
    ("said", "node_id", "key"),
    [
        ("my mum is 82 and keeps falling", "asc-who", "someone-else"),
        ("my mum is 82 and keeps falling", "asc-age", "65-plus"),
        ("my 82 year old mum keeps falling", "asc-age", "65-plus"),
        ("i am 67 and caring for my husband", "carers-age", "65-plus"),
        ("me and the kids have no food", "food-weekly-children", "yes"),
        ("on universal credit and cant afford food", "food-weekly-benefits", "yes"),
        ("we live in NB11 and need food", "food-weekly-area", "the-villages-nb11-or-nb12"),
        ("im in NB7 2AB and need a blue badge", "equip-badge-lives", "lives-here"),
    ],
)
def test_a_first_message_fills_what_it_says(
    found: AnswerWords, demo_kb: KnowledgeBase, said: str, node_id: str, key: str
) -> None:
    assert prefill(question(demo_kb, node_id), understand(said, found)) == key


@pytest.mark.parametrize(
    ("said", "node_id"),
    [
        ("my mum is 82 and keeps falling", "carers-age"),  # her age, not the carer's
        ("i am 67 and my husband has dementia", "asc-age"),  # whose help? not said
        ("can you help me with my mum", "asc-who"),  # "help me" says nothing about who
        ("not on universal credit yet", "food-weekly-benefits"),
        ("my dad is 80 and my son is 15", "asc-age"),  # two other people's ages
        ("i have 2 kids", "asc-age"),  # a number with no age words is not an age
        ("my son needs something to do", "young-people-start"),
        ("im in NB7 and my mum needs care", "asc-lives"),  # where she lives: not said
    ],
)
def test_a_first_message_fills_nothing_unsure(
    found: AnswerWords, demo_kb: KnowledgeBase, said: str, node_id: str
) -> None:
    assert prefill(question(demo_kb, node_id), understand(said, found)) is None


# --- In the engine ------------------------------------------------------------------------------


@pytest.fixture
def talk(demo_kb: KnowledgeBase) -> Conversation:
    return Conversation(demo_kb, channel="resident", site="answers")


def test_the_first_message_answers_later_questions_and_says_so(talk: Conversation) -> None:
    talk.say("my mum is 82 and keeps falling")
    assert talk.view.topic_id == "adult-social-care"
    assert talk.view.node_id == "asc-start" and not talk.view.note

    view = talk.choose("help-at-home")

    assert view.node_id == "asc-lives", "who and age were already said"
    assert "“Someone I look after or worry about” and “65 or over”" in view.note
    assert "F3" in view.note and '"change"' in view.note
    given = [e for e in talk.events if isinstance(e, AnswerGiven)]
    assert [(e.node_id, e.option_id, e.via) for e in given[1:]] == [
        ("asc-who", "someone-else", "own_words"),
        ("asc-age", "65-plus", "own_words"),
    ]
    assert talk.facts["age_band"] == "65+"


def test_change_goes_back_and_nothing_is_filled_in_again(talk: Conversation) -> None:
    talk.say("my mum is 82 and keeps falling")
    talk.choose("help-at-home")

    view = talk.say("change")
    assert view.node_id == "asc-age"
    view = talk.say("18 to 64")
    assert view.node_id == "asc-lives" and not view.note
    assert talk.facts["age_band"] == "18-64"

    talk.change_answer("asc-who")
    assert talk.choose("me").node_id == "asc-age", "after a correction, the age is asked"


def test_plain_chat_says_type_change_not_f3(demo_kb: KnowledgeBase) -> None:
    plain = Conversation(demo_kb, channel="plain", site="answers")
    plain.say("my dad is 90 and cant cope at home")
    view = plain.choose("help-at-home")
    assert 'type "change"' in view.note and "F3" not in view.note


def test_an_answer_not_understood_is_asked_again_with_carry_on_first(talk: Conversation) -> None:
    talk.start_topic("adult-social-care")
    for key in ("help-at-home", "someone-else", "65-plus", "lives-here"):
        talk.choose(key)
    assert talk.view.node_id == "asc-tasks"

    view = talk.say("she keeps falling over")
    if view.kind == "check_in":  # safety first: the meaning line may ask; "no" reads on
        view = talk.choose(CHECK_IN_NO)

    assert view.kind == "reask" and view.topic_id == "adult-social-care"
    assert view.title == "Sorry, I did not catch that."
    assert view.text == "What is hardest at the moment?"
    assert [c.key for c in view.choices] == [
        "carry_on",
        "several",
        "one-thing",
        "memory",
        "night",
        "not-sure",
    ]
    assert talk.say("blah blah blah").kind == "reask"
    assert talk.back().node_id == "asc-tasks", "asked again replaces, it does not stack"
    talk.say("she keeps falling over")
    assert talk.choose(1).kind == "question" and talk.view.node_id == "asc-tasks"
    talk.say("she keeps falling over")
    assert talk.choose(3).node_id != "asc-tasks", "option 2 of the question, now number 3"
    assert talk.answers()[-1][1].key == "one-thing"


def test_she_is_82_at_the_age_question_moves_on(talk: Conversation) -> None:
    talk.start_topic("adult-social-care")
    talk.choose("help-at-home")
    talk.choose("someone-else")

    view = talk.say("she is 82")

    assert view.node_id == "asc-lives"
    assert talk.facts["age_band"] == "65+"


# --- Never crashing ------------------------------------------------------------------------------

NOISE = st.text(
    alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=300
) | st.text(
    alphabet="0123456789£k,. nbNBmy mum is eighty two hundred and yrs months not me", max_size=200
)


@settings(max_examples=150, deadline=None)
@given(
    text=NOISE,
    node_id=st.sampled_from(
        [
            "asc-who",
            "asc-age",
            "carers-hours",
            "asc-money-home-savings",
            "food-weekly-area",
            "childcare-start",
            "asc-lives",
            "young-people-start",
        ]
    ),
)
def test_any_text_picks_a_real_option_or_none(
    demo_kb: KnowledgeBase, found: AnswerWords, text: str, node_id: str
) -> None:
    node = question(demo_kb, node_id)
    keys = {option.key for option in node.options}
    assert match_option(node, text, found) in keys | {None}
    assert prefill(node, understand(text, found)) in keys | {None}


def test_closing_help_or_a_question_asked_again_keeps_filling_in(talk: Conversation) -> None:
    talk.say("my mum is 82 and keeps falling")
    talk.show_help()
    talk.dismiss()
    talk.say("blah blah blah")
    talk.choose("carry_on")

    view = talk.choose("help-at-home")

    assert view.node_id == "asc-lives", "only undoing an answer stops the filling in"


def test_a_unit_the_parsers_do_not_know_is_refused(tmp_path: Path) -> None:
    extra = {"vocabulary.yaml": 'vocabulary:\n  units:\n    stones: ["st"]\n'}
    result = load(write_kb(tmp_path, extra=extra))
    found = [str(d) for d in result.diagnostics if d.code == "schema"]
    assert any("vocabulary.yaml:3" in text and "stones" in text for text in found), found
