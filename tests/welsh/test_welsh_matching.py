"""Welsh requests find the right topic, measured on tests/data/welsh_phrasings.yaml.

Prints the share right in each part (docs/performance.md records them); the held-aside
part was never used to choose a Welsh keyword.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from navigator.engine.conversation import Conversation
from navigator.engine.matching import TopicMatcher
from navigator.kb import KnowledgeBase

DATA = Path(__file__).resolve().parents[1] / "data" / "welsh_phrasings.yaml"
AIMS = {"tuned": 1.0, "held-aside": 0.75, "held-aside-2": 0.68}
"""Floors for the share first: held-aside-2's is its first measurement (11 of 16), taken
before anything was changed for it; a fall below means the Welsh matching got worse."""
TOP_3_AIMS = {"tuned": 1.0, "held-aside": 1.0, "held-aside-2": 0.93}
"""The same for the right topic among the first three offered (16/16, 15/16 measured)."""
STRAIGHT = {"tuned": 12, "held-aside": 7, "held-aside-2": 7}
"""Requests taken straight to their topic with no choice first, as measured (session 6)."""


@pytest.mark.parametrize("part", ["tuned", "held-aside", "held-aside-2"])
def test_welsh_requests_find_their_topic(demo_kb: KnowledgeBase, part: str) -> None:
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))[part]
    matcher = TopicMatcher(demo_kb)
    wrong, outside_3 = [], []
    straight = 0
    for item in items:
        found = [match.topic_id for match in matcher.rank(item["text"])]
        if found[:1] != [item["topic"]]:
            wrong.append((item["text"], item["topic"], found[:3]))
        if item["topic"] not in found[:3]:
            outside_3.append(item["text"])
        decision = matcher.decide(item["text"])
        straight += decision.kind == "go" and decision.candidates[0].topic_id == item["topic"]
    share = 1 - len(wrong) / len(items)
    share_3 = 1 - len(outside_3) / len(items)
    print(
        f"Welsh phrasings, {part}: first {len(items) - len(wrong)} of {len(items)} "
        f"({share:.0%}), top 3 {len(items) - len(outside_3)} of {len(items)} ({share_3:.0%}), "
        f"straight to the topic {straight}"
    )
    print("  not first:", wrong)
    assert share >= AIMS[part], wrong
    assert share_3 >= TOP_3_AIMS[part], outside_3
    assert straight >= STRAIGHT[part]


def test_a_welsh_request_in_a_welsh_session_opens_the_topic_in_welsh(
    demo_kb: KnowledgeBase,
) -> None:
    conversation = Conversation(demo_kb, channel="kiosk", site="library", language="cy")
    view = conversation.say("mae angen seibiant arnaf o ofalu am fy mam")
    assert conversation.state.topic_id == "carers-support"
    assert conversation.language == "cy"
    assert view.text == demo_kb.nodes[view.node_id or ""].text.get("cy")
