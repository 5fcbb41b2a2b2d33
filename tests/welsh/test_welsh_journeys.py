"""A Welsh journey through each translated topic: every question, answer and end in Welsh.

Real conversations on the demo knowledge base, in the engine and in plain chat.
Topics are chosen by their id and words, never by a menu number (the menu order
is not ours to fix). Crisis signs in Welsh open the right panel, in Welsh.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.views import OutcomeView, QuestionView, SafeguardingView, UnmetView, View
from navigator.kb import KnowledgeBase
from navigator.kb.model import Question
from navigator.plain.chat import PlainChat
from tests.support.welsh import english_on_cards
from tests.welsh.plain_chat import welsh_plain_chat

TOPICS = ["adult-social-care", "carers-support", "food-essentials", "money-debt"]
SIGNS = {
    "suicide-self-harm": "dwi eisiau marw",
    "immediate-danger": "helpwch fi mae o am fy lladd",
    "medical-emergency": "mae dad ddim yn anadlu",
    "harm-to-others": "mae gen i ofn brifo fy mabi",
    "child-abuse": "mae fy nhad yn fy nharo i bob dydd",
    "child-at-risk": "dwi'n poeni am blentyn drws nesaf",
    "adult-abuse": "mae fy mrawd yn dwyn arian mam",
    "domestic-abuse": "mae fy mhartner yn fy nharo",
    "nowhere-to-sleep": "does gen i unman i gysgu heno",
    "children-no-food": "dydy'r plant ddim wedi bwyta heddiw",
}


def welsh(text: object) -> str:
    return text.get("cy")  # type: ignore[attr-defined, no-any-return]


def walk(conversation: Conversation, knowledge: KnowledgeBase, topic: str) -> list[View]:
    """Choose the topic, then the first answer at every question, to the end."""
    key = next(c.key for c in conversation.view.choices if c.key == topic)
    views = [conversation.choose(key)]
    while isinstance(views[-1], QuestionView) or views[-1].kind == "info":
        views.append(conversation.choose(1))
        assert len(views) < 40
    return views


@pytest.mark.parametrize("topic", TOPICS)
def test_every_step_of_a_welsh_journey_is_in_welsh(demo_kb: KnowledgeBase, topic: str) -> None:
    conversation = Conversation(demo_kb, channel="kiosk", site="library")
    conversation.choose_language("cy")
    welcome = conversation.view
    title = welsh(demo_kb.topics[topic].title)
    assert title in [choice.label for choice in welcome.choices]
    views = walk(conversation, demo_kb, topic)
    for view in views[:-1]:
        node = demo_kb.nodes[view.node_id or ""]
        assert view.text == welsh(node.text)
        if isinstance(node, Question):
            assert [c.label for c in view.choices] == [welsh(o.label) for o in node.options]
    end = views[-1]
    assert isinstance(end, OutcomeView | UnmetView)
    assert end.text == welsh(demo_kb.nodes[end.node_id or ""].text)
    assert end.title in {
        demo_kb.message("engine_outcome_title", "cy"),
        demo_kb.message("engine_unmet_title", "cy"),
    }
    assert end.prompt in {
        demo_kb.message("engine_feedback_question", "cy"),
        demo_kb.message("engine_after_outcome_prompt", "cy"),
    }
    assert conversation.language == "cy"


@pytest.mark.parametrize("topic", TOPICS)
def test_a_welsh_journey_in_plain_chat(demo_kb: KnowledgeBase, topic: str) -> None:
    """The person types "Cymraeg", then numbers; the numbers are read from the Welsh screen."""
    trial = Conversation(demo_kb, channel="plain", site="library", language="cy")
    lines = ["Cymraeg"]
    number = next(c.number for c in trial.view.choices if c.key == topic)
    lines.append(str(number))
    trial.choose(number)
    while isinstance(trial.view, QuestionView) or trial.view.kind == "info":
        lines.append("1")
        trial.choose(1)
    conversation = Conversation(demo_kb, channel="plain", site="library")
    output = io.StringIO()
    PlainChat(conversation, output).run(line + "\n" for line in lines)
    shown = output.getvalue()
    first = demo_kb.nodes[demo_kb.topics[topic].start]
    assert welsh(first.text) in shown
    assert demo_kb.message("engine_outcome_title", "cy") in shown or (
        demo_kb.message("engine_unmet_title", "cy") in shown
    )
    assert demo_kb.message("plain_goodbye", "cy") in shown


@pytest.mark.parametrize(("kind", "said"), SIGNS.items())
def test_a_crisis_said_in_welsh_opens_its_panel_in_welsh(
    demo_kb: KnowledgeBase, kind: str, said: str
) -> None:
    conversation = Conversation(demo_kb, channel="kiosk", site="library", language="cy")
    view = conversation.say(said)
    assert isinstance(view, SafeguardingView), (said, view.kind)
    crisis = next(k for k in demo_kb.safeguarding.kinds if k.id == kind)  # type: ignore[union-attr]
    assert view.crisis_kind == kind
    assert view.title == welsh(crisis.title)


def _ends(conversation: Conversation, ends: dict[str, View], depth: int = 0) -> None:
    """Each answer at this question in turn (then back), down to every end reached."""
    view = conversation.view
    if isinstance(view, OutcomeView | UnmetView):
        ends.setdefault(view.node_id or "", view)
        return
    if not (isinstance(view, QuestionView) or view.kind == "info") or depth > 12:
        return
    for number in [choice.number for choice in view.choices]:
        conversation.choose(number)
        _ends(conversation, ends, depth + 1)
        conversation.back()


@pytest.mark.parametrize("topic", TOPICS)
def test_every_end_of_a_welsh_topic_shows_its_services_in_welsh(
    demo_kb: KnowledgeBase, topic: str
) -> None:
    """Every result the topic can reach (each answer tried in turn): each card's
    name, description, provider, cost, times, who it is for, how to start and why
    it fits are the Welsh ones."""
    conversation = Conversation(demo_kb, channel="kiosk", site="library", language="cy")
    conversation.choose(next(c.key for c in conversation.view.choices if c.key == topic))
    ends: dict[str, View] = {}
    _ends(conversation, ends)
    assert len(ends) > 3
    problems = {
        end: english_on_cards(view.services, demo_kb)  # type: ignore[attr-defined]
        for end, view in ends.items()
    }
    assert {end: found for end, found in problems.items() if found} == {}


@pytest.mark.parametrize("topic", TOPICS)
def test_navigator_chat_plain_language_cy_ends_at_welsh_cards(
    demo_kb: KnowledgeBase, topic: str, tmp_path: Path
) -> None:
    """The real command, `navigator chat --plain --language cy`, in a child process as a
    screen reader would run it: numbers in, every card at the end in Welsh."""
    trial = Conversation(demo_kb, channel="plain", site="library", language="cy")
    lines = [str(next(c.number for c in trial.view.choices if c.key == topic))]
    view = trial.choose(int(lines[0]))
    while isinstance(view, QuestionView) or view.kind == "info":
        lines.append("1")
        view = trial.choose(1)
    assert isinstance(view, OutcomeView | UnmetView) and view.services
    shown = welsh_plain_chat(lines, tmp_path)
    for card in view.services:
        service = demo_kb.services[card.service_id]
        assert service.name.get("cy") in shown
        assert " ".join(service.description.get("cy").split()) in " ".join(shown.split())
        assert " ".join(service.description.get("en").split()) not in " ".join(shown.split())
