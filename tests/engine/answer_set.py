"""The labelled own-words answers (tests/data/answers*.yaml), played through the real engine.

Each line names a question of the demo knowledge base, what a person typed
there and the option it should pick. The conversation is walked to the
question by choosing options (the shortest path from its topic's start), the
line is typed with `Conversation.say`, and it counts as understood when the
engine answered that question with that option. A line whose option is null
(`option: ~`) must pick nothing: it counts when the question is asked again
with its options (the `reask` view, still at that question), never an answer and
never the topic list. Run this module to print the figures for docs/performance.md.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import msgspec
import yaml

from navigator.engine.conversation import Conversation
from navigator.engine.events import AnswerGiven
from navigator.engine.matching import TopicMatcher
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.pipeline import Understanding
from navigator.kb import KnowledgeBase
from navigator.kb.model import Info, Question

DATA = Path(__file__).resolve().parents[1] / "data"
SETS = {"tuned": DATA / "answers.yaml", "held aside": DATA / "answers_holdout.yaml"}
UNDERSTOOD_AIM = 0.95
"""Share of held-aside lines that must be understood (issue 12)."""

Readers = tuple[TopicMatcher, SafeguardingDetector]
"""Built once per set: every conversation reads text the same way."""


class Line(msgspec.Struct, frozen=True):
    question: str
    typed: str
    option: str | None
    """None: the line must pick nothing and the question be asked again."""


def load_answers(path: Path) -> list[Line]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [msgspec.convert(item, Line) for item in raw["answers"]]


def path_to(knowledge: KnowledgeBase, node_id: str) -> tuple[str, list[str]]:
    """(topic id, option keys to choose) that reach `node_id` from its topic's start."""
    topic_id = knowledge.topic_of_node()[node_id]
    start = knowledge.topics[topic_id].start
    queue: deque[tuple[str, list[str]]] = deque([(start, [])])
    seen = {start}
    while queue:
        here, keys = queue.popleft()
        if here == node_id:
            return topic_id, keys
        node = knowledge.nodes[here]
        steps: list[tuple[str, str]] = []
        if isinstance(node, Question):
            steps = [(option.next, option.key) for option in node.options]
        elif isinstance(node, Info):
            steps = [(node.next, "carry_on")]
        for following, key in steps:
            if following not in seen:
                seen.add(following)
                queue.append((following, [*keys, key]))
    raise LookupError(f"{node_id} cannot be reached from the start of {topic_id}")


ASKED_AGAIN = "(asked again)"
"""What `picked` says when the question was asked again with its options."""


def picked(knowledge: KnowledgeBase, line: Line, readers: Readers) -> str | None:
    """The option the engine chose for `line`; `ASKED_AGAIN` when it asked the question
    again with its options; None when it did neither (moved elsewhere)."""
    matcher, detector = readers
    understanding = Understanding(knowledge, topics=matcher, safeguarding=detector)
    conversation = Conversation(
        knowledge, channel="plain", site="answers-set", understanding=understanding
    )
    topic_id, keys = path_to(knowledge, line.question)
    conversation.start_topic(topic_id)
    for key in keys:
        conversation.choose(key)
    assert conversation.view.node_id == line.question, f"could not reach {line.question}"
    before = len(conversation.events)
    conversation.say(line.typed)
    answers = [
        event
        for event in conversation.events[before:]
        if isinstance(event, AnswerGiven) and event.node_id == line.question
    ]
    if answers:
        return answers[0].option_id
    view = conversation.view
    if view.kind == "reask" and view.node_id == line.question:
        return ASKED_AGAIN
    return None


def measure(knowledge: KnowledgeBase, lines: list[Line]) -> tuple[float, list[str]]:
    """(share understood, a description of each line that was not)."""
    readers = (TopicMatcher(knowledge), SafeguardingDetector.for_knowledge(knowledge))
    misses = []
    for line in lines:
        got = picked(knowledge, line, readers)
        wanted = ASKED_AGAIN if line.option is None else line.option
        if got != wanted:
            misses.append(f"{line.question}: {line.typed!r} -> {got} (wanted {wanted})")
    return 1 - len(misses) / len(lines), misses


def main() -> None:
    from tests.support.kb import load_ok

    knowledge = load_ok(Path(__file__).resolve().parents[2] / "knowledge")
    for name, path in SETS.items():
        lines = load_answers(path)
        share, misses = measure(knowledge, lines)
        print(f"{name}: {len(lines) - len(misses)}/{len(lines)} understood ({share:.0%})")
        for miss in misses:
            print(f"  missed {miss}")


if __name__ == "__main__":
    main()
