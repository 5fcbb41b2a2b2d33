"""Random walks (hypothesis) over real knowledge bases: nothing crashes, every walk ends
somewhere a person can act on, and "back" always restores the previous state exactly.

The walks mix everything a person may do: choices by number, words typed (topic
phrasings, crisis signs, commands, yes/no words, junk), back, help, changing an
earlier answer and starting again. After each move that "back" can undo, the
test goes back, checks the state is exactly the one before, and makes the move
again, checking it lands in the same place (the engine is deterministic).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navigator.engine.conversation import Conversation
from navigator.engine.events import Event
from navigator.engine.matching import TopicMatcher
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.pipeline import Understanding
from navigator.kb import KnowledgeBase, load
from navigator.kb.validate import validate
from tests.engine.conversation_kb import REPO, load_ok, write_conversation_kb

ENDS = {"outcome", "unmet", "safeguarding"}
Action = tuple[str, int | str]


@dataclass(repr=False)
class World:
    """A knowledge base with its matcher and detector built once for many walks."""

    knowledge: KnowledgeBase
    matcher: TopicMatcher
    detector: SafeguardingDetector
    phrases: list[str]

    @classmethod
    def of(cls, knowledge: KnowledgeBase) -> World:
        return cls(
            knowledge,
            TopicMatcher(knowledge),
            SafeguardingDetector.for_knowledge(knowledge),
            _phrases(knowledge),
        )

    def __repr__(self) -> str:  # hypothesis prints it with every failing example
        return f"World({self.knowledge.root}, {len(self.knowledge.nodes)} nodes)"

    def conversation(self, heard: list[Event]) -> Conversation:
        return Conversation(
            self.knowledge,
            channel="plain",
            site="walks",
            listeners=[heard.append],
            understanding=Understanding(
                self.knowledge, topics=self.matcher, safeguarding=self.detector
            ),
        )


def _phrases(knowledge: KnowledgeBase) -> list[str]:
    """Things people type: the knowledge base's own phrasings, commands, answers and junk."""
    phrases = ["", "   ", "\x00\x1b[2J", "asdfgh", "book a driving test", "99", "0", "1"]
    for topic in knowledge.topics.values():
        phrases += topic.examples[:3] + topic.keywords[:3]
    if knowledge.safeguarding is not None:
        for kind in knowledge.safeguarding.kinds:
            phrases += kind.signs[:2]
        phrases += knowledge.safeguarding.not_crisis[:5]
    vocabulary = knowledge.vocabulary
    for words in (*vocabulary.commands.values(), *vocabulary.answers.values()):
        phrases += [word for word in words[:2] if word not in {"finish", "bye", "quit"}]
    return [p for p in phrases if p not in _finishing_words(knowledge)]


def _finishing_words(knowledge: KnowledgeBase) -> set[str]:
    return set(knowledge.vocabulary.commands.get("finish", []))


def actions(world: World) -> st.SearchStrategy[list[Action]]:
    move = st.one_of(
        st.tuples(st.just("choose"), st.integers(1, 9)),
        st.tuples(st.just("say"), st.sampled_from(world.phrases) | st.text(max_size=20)),
        st.tuples(st.just("back"), st.just(0)),
        st.tuples(st.just("help"), st.just(0)),
        st.tuples(st.just("dismiss"), st.just(0)),
        st.tuples(st.just("change"), st.integers(0, 6)),
        st.tuples(st.just("start_again"), st.just(0)),
    )
    return st.lists(move, max_size=20)


def apply(conversation: Conversation, action: Action) -> None:
    name, value = action
    if name == "choose":
        conversation.choose(int(value))
    elif name == "say":
        said = str(value)
        if said.strip().lower() in {"finish", "bye", "quit", "i have finished"}:
            return
        conversation.say(said)
    elif name == "change":
        answers = conversation.answers()
        if answers:
            conversation.change_answer(answers[int(value) % len(answers)][0].id)
    else:
        method: Callable[[], object] = {
            "back": conversation.back,
            "help": conversation.show_help,
            "dismiss": conversation.dismiss,
            "start_again": conversation.start_again,
        }[name]
        method()


def check_view(conversation: Conversation) -> None:
    view = conversation.view
    assert [choice.number for choice in view.choices] == list(range(1, len(view.choices) + 1))
    assert len({choice.key for choice in view.choices}) == len(view.choices)
    for choice in view.choices:
        assert choice.label and not choice.label.startswith("engine_"), choice
    for words in (view.title, view.text, view.prompt):
        assert not words.startswith(("engine_", "plain_")), f"message missing: {words}"


def walk(world: World, moves: list[Action], data: st.DataObject) -> None:
    heard: list[Event] = []
    conversation = world.conversation(heard)
    for action in moves:
        before, depth = conversation.state, conversation.depth
        apply(conversation, action)
        check_view(conversation)
        if conversation.ended:
            break
        if conversation.depth == depth + 1:
            after = conversation.state
            conversation.back()
            assert conversation.state == before, f"back after {action} did not restore"
            apply(conversation, action)
            assert conversation.state == after, f"{action} did not land the same way twice"
    finish_walk(world, conversation, data)
    assert [event.sequence for event in heard] == list(range(len(heard)))


def finish_walk(world: World, conversation: Conversation, data: st.DataObject) -> None:
    """Choose on until the walk reaches an end; there must always be one within reach."""
    limit = len(world.knowledge.nodes) + 10
    for _ in range(limit):
        view = conversation.view
        if view.kind in ENDS or conversation.ended:
            break
        if view.kind in {"help", "talk_to_person"}:
            conversation.dismiss()
            continue
        if not view.choices:
            pytest.fail(f"stuck on a {view.kind} view with nothing to choose: {view}")
        keys = [c.key for c in view.choices if c.key not in {"none_of_these", "carry_on"}]
        if view.kind in {"no_match", "choose_topic"} and not keys:
            conversation.dismiss()
            continue
        pick = data.draw(st.sampled_from(keys or [view.choices[0].key]), label=view.kind)
        conversation.choose(pick)
    view = conversation.view
    assert view.kind in ENDS or conversation.ended, f"the walk did not end: {view.kind}"
    conversation.abandon()
    check_view(conversation)


# --- Knowledge bases to walk ------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World.of(load_ok(write_conversation_kb(tmp_path_factory.mktemp("small"))))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> World:
    bench = pytest.importorskip("tests.bench.synthetic_kb", reason="synthetic KBs not written yet")
    root = bench.write_synthetic_kb(tmp_path_factory.mktemp("synthetic"), nodes=300, seed=7)
    return World.of(load_ok(Path(root)))


@pytest.fixture(scope="module")
def demo() -> World:
    result = load(REPO / "knowledge")
    assert result.ok, [str(d) for d in result.diagnostics]
    problems = [str(d) for d in validate(result.knowledge) if d.severity == "error"]
    assert problems == [], "the demo knowledge base must validate before it can be walked"
    return World.of(result.knowledge)


SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(SETTINGS, max_examples=150)
@given(data=st.data())
def test_walks_over_a_small_knowledge_base(small: World, data: st.DataObject) -> None:
    walk(small, data.draw(actions(small), label="moves"), data)


@settings(SETTINGS, max_examples=60)
@given(data=st.data())
def test_walks_over_a_synthetic_knowledge_base(synthetic: World, data: st.DataObject) -> None:
    walk(synthetic, data.draw(actions(synthetic), label="moves"), data)


@pytest.mark.slow
@settings(SETTINGS, max_examples=80)
@given(data=st.data())
def test_walks_over_the_demo_knowledge_base(demo: World, data: st.DataObject) -> None:
    walk(demo, data.draw(actions(demo), label="moves"), data)


def test_every_topic_of_the_small_knowledge_base_reaches_every_end(small: World) -> None:
    """Not random: each end of the small tree, reached by choosing each option in turn."""
    reached: set[str] = set()
    for path in (["1", "1", "1"], ["1", "1", "2"], ["1", "1", "3"], ["1", "2"], ["2", "1"]):
        conversation = small.conversation([])
        for number in path:
            conversation.choose(number)
        reached.add(conversation.view.node_id or "")
    assert reached == {"carers-outcome", "carers-child", "food-outcome"}
