"""Requests the content audit found with nowhere to go now reach a topic (issue 15).

The audit (section 4) quoted real requests from the knowledge base's own
examples that no topic answered: the safeguarding file's `not_crisis` lines
("how do i cut my energy bills", "my dad passed away and i need help with
council tax", school exclusion and bullying), the money topic's PIP words and
"im 50 and got made redundant", and "the noise is killing me", which has the
anti-social behaviour topic now. Each is typed into the real engine on the demo
knowledge base; it must open its topic, or offer it first among two, never the
topic list or a no-match. The Universal Credit health element's own request is
here too, with its route to the health element.
"""

from __future__ import annotations

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.matching import TopicMatcher
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.pipeline import Understanding
from navigator.engine.views import OutcomeView
from navigator.kb import KnowledgeBase, load
from tests.engine.conversation_kb import REPO

AUDIT_EXAMPLES = [
    ("how do i cut my energy bills", "energy-bills"),
    ("my dad passed away and i need help with council tax", "bereavement"),
    ("my daughter has been excluded from school", "school"),
    ("my child is being bullied at school", "school"),
    ("pip", "money-debt"),
    ("my pip was turned down", "money-debt"),
    ("need a form filling in for pip", "money-debt"),
    ("im 50 and got made redundant", "employment-skills"),
    ("can i get the health element of universal credit", "money-debt"),
    ("the noise is killing me", "antisocial-behaviour"),
]


@pytest.fixture(scope="module")
def demo() -> KnowledgeBase:
    result = load(REPO / "knowledge")
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.knowledge


@pytest.fixture(scope="module")
def matcher(demo: KnowledgeBase) -> TopicMatcher:
    return TopicMatcher(demo)


def conversation(demo: KnowledgeBase, matcher: TopicMatcher) -> Conversation:
    return Conversation(
        demo,
        channel="plain",
        site="tests",
        understanding=Understanding(
            demo, topics=matcher, safeguarding=SafeguardingDetector.for_knowledge(demo)
        ),
    )


@pytest.mark.parametrize(("typed", "topic"), AUDIT_EXAMPLES)
def test_an_audit_example_reaches_its_topic(
    demo: KnowledgeBase, matcher: TopicMatcher, typed: str, topic: str
) -> None:
    talk = conversation(demo, matcher)
    talk.say(typed)
    view = talk.view
    if view.kind == "choose_topic":
        assert view.choices[0].key == topic, [c.key for c in view.choices]
    else:
        assert (view.kind, view.topic_id) == ("question", topic)


def test_the_health_element_is_offered_from_the_money_topic(
    demo: KnowledgeBase, matcher: TopicMatcher
) -> None:
    talk = conversation(demo, matcher)
    talk.say("i am too poorly to work, what extra can universal credit pay")
    if talk.view.kind == "choose_topic":
        [money] = [c for c in talk.view.choices if c.key == "money-debt"]
        talk.choose(str(money.number))
    assert talk.view.topic_id == "money-debt"
    for label in ("My health limits the work I can do", "No", "Yes"):
        talk.say(label)
    view = talk.view
    assert isinstance(view, OutcomeView), view.kind
    assert view.node_id == "money-health-outcome"
    assert "money-uc-health" in {service.service_id for service in view.services}
