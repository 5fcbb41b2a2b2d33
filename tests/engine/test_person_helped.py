"""Every card says why it was offered, about the person the answers were about (issue 13).

On the demo knowledge base: "help at home for my mum" gave cards saying
"because you live in Northbrook" about the mum, and services with no rule gave
no reason at all.
"""

from __future__ import annotations

from navigator.engine.conversation import Conversation
from navigator.engine.views import OutcomeView
from navigator.engine.wording import Wording
from navigator.kb import KnowledgeBase

ASSESSMENT = "This may suit {who} because they live in Northbrook."


def _walk(knowledge: KnowledgeBase, first: str, *moves: str) -> Conversation:
    """Say `first`, then make each move: "#n" picks choice n, anything else is typed."""
    conversation = Conversation(knowledge, channel="kiosk", site="test")
    conversation.say(first)
    for move in moves:
        if move.startswith("#"):
            conversation.choose(int(move[1:]))
        else:
            conversation.say(move)
    return conversation


def _help_at_home(knowledge: KnowledgeBase, first: str, who: str = "") -> Conversation:
    """Care for adults (straight there from "help at home"), help at home; `who` answers
    "Who needs the help?" when asked."""
    moves = ["#1", *([who] if who else []), "82", "yes", "several", "#1", "#2", "#1"]
    return _walk(knowledge, first, *moves)


def _reasons(conversation: Conversation) -> dict[str, str]:
    view = conversation.view
    assert isinstance(view, OutcomeView), view
    return {service.service_id: service.reason for service in view.services}


def test_cards_about_my_mum_name_her_and_say_they(demo_kb: KnowledgeBase) -> None:
    reasons = _reasons(_help_at_home(demo_kb, "help at home for my mum"))
    assert reasons["asc-needs-assessment"] == ASSESSMENT.format(who="your mum")
    assert reasons["carers-centre"] == (
        "It helps with Care and support for adults, and anyone can use it, so it may suit your mum."
    )
    assert not any("you live" in reason for reason in reasons.values())


def test_the_relation_word_is_kept_when_typed_at_the_question(demo_kb: KnowledgeBase) -> None:
    reasons = _reasons(_help_at_home(demo_kb, "help at home", who="my husband"))
    assert reasons["asc-needs-assessment"] == ASSESSMENT.format(who="your husband")


def test_someone_else_without_a_word_is_the_person_you_are_helping(
    demo_kb: KnowledgeBase,
) -> None:
    reasons = _reasons(_help_at_home(demo_kb, "help at home", who="someone else"))
    assert reasons["asc-needs-assessment"] == ASSESSMENT.format(who="the person you are helping")


def test_for_me_the_cards_say_you(demo_kb: KnowledgeBase) -> None:
    # "care at home" leads straight to the topic, as "help at home" does (session 6), so
    # there is no list of topics to choose from first.
    moves = ["#1", "82", "yes", "several", "#1", "#2", "#1"]
    reasons = _reasons(_walk(demo_kb, "care at home for me", *moves))
    assert reasons["asc-needs-assessment"] == "This may suit you because you live in Northbrook."
    assert (
        reasons["carers-centre"]
        == "It helps with Care and support for adults, and anyone can use it."
    )


def test_every_card_on_the_food_bank_path_says_why(demo_kb: KnowledgeBase) -> None:
    reasons = _reasons(_walk(demo_kb, "food bank", "#1", "#1", "#1"))
    assert len(reasons) == 3
    assert set(reasons.values()) == {"It helps with Food and essentials, and anyone can use it."}


def test_start_again_forgets_the_relation_word(demo_kb: KnowledgeBase) -> None:
    conversation = _help_at_home(demo_kb, "help at home for my mum")
    assert conversation.person_helped == "your mum"
    conversation.start_again()
    assert conversation.person_helped == ""
    conversation.say("help at home")
    conversation.choose(1)
    conversation.say("someone else")
    assert conversation.person_helped == "the person you are helping"


def test_the_advocate_panel_keeps_the_facts_as_learnt(demo_kb: KnowledgeBase) -> None:
    """Only the resident's cards are reworded: the conversation's own wording says "you"."""
    conversation = _help_at_home(demo_kb, "help at home for my mum")
    assert conversation.wording.fact_phrase("lives_in_borough", "yes") == "you live in Northbrook"


def test_them_swaps_come_from_the_knowledge_base(demo_kb: KnowledgeBase) -> None:
    wording = Wording(demo_kb).about("your mum", frozenset({"district", "can_get_out"}))
    assert wording.fact_phrase("district", "NB7") == "their postcode starts with NB7"
    assert wording.fact_phrase("can_get_out", "no") == "it is hard for them to get out"
    assert wording.fact_phrase("is_carer", "yes") == "you look after someone without being paid"
    assert Wording(demo_kb).them("You get Universal Credit") == "They get Universal Credit"
