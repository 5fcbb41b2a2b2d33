"""The conversation walked step by step on a small real knowledge base."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.engine.conversation import Conversation
from navigator.engine.events import (
    AnswerGiven,
    ContextGiven,
    Event,
    FeedbackGiven,
    OutcomeShown,
    SafeguardingShown,
    SessionEnded,
    SessionStarted,
    StartedAgain,
    TopicChosen,
    UnmetNeed,
    WentBack,
)
from navigator.engine.views import OutcomeView, QuestionView, UnmetView
from navigator.kb import KnowledgeBase
from tests.engine.conversation_kb import SERVICES, load_ok, write_conversation_kb

START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_ok(write_conversation_kb(tmp_path_factory.mktemp("kb")))


def ticking_clock() -> Callable[[], dt.datetime]:
    """A clock that moves on a second each time it is read."""
    ticks = iter(range(1_000_000))
    return lambda: START + dt.timedelta(seconds=next(ticks))


@pytest.fixture
def heard() -> list[Event]:
    return []


@pytest.fixture
def conversation(knowledge: KnowledgeBase, heard: list[Event]) -> Conversation:
    return Conversation(
        knowledge, channel="kiosk", site="library", clock=ticking_clock(), listeners=[heard.append]
    )


def kinds(events: list[Event]) -> list[str]:
    return [event.kind for event in events]


def test_starts_at_the_welcome_with_every_topic_numbered(
    conversation: Conversation, heard: list[Event]
) -> None:
    view = conversation.view

    assert view.kind == "welcome"
    assert [(c.number, c.key, c.label) for c in view.choices] == [
        (1, "carers", "Looking after someone"),
        (2, "food", "Food"),
    ]
    assert view.title == "Welcome to Navigator"
    assert not view.can_go_back
    started = heard[0]
    assert isinstance(started, SessionStarted)
    assert (started.channel, started.site, started.sequence) == ("kiosk", "library", 0)
    assert started.content_hash == conversation.knowledge.content_hash
    assert started.at == START


def test_answers_gather_facts_and_reach_an_outcome_with_reasons(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose(1)
    view = conversation.choose("adult")
    assert isinstance(view, QuestionView)
    assert view.progress is not None
    assert (view.progress.topic_title, view.progress.step) == ("Looking after someone", 2)
    assert view.can_go_back

    outcome = conversation.choose(2)

    assert isinstance(outcome, OutcomeView)
    assert dict(conversation.facts) == {"is_carer": "yes", "age_band": "18-64"}
    fits = {s.service_id: s.fit for s in outcome.services}
    assert fits == {
        "carers-allowance": "offered",
        "carers-hub": "waiting_list",
        "carers-north": "offered",
    }
    allowance = outcome.services[0]
    assert allowance.service_id == "carers-allowance"
    assert allowance.reason == (
        "This may suit you because you look after someone and you are aged 18 to 64."
    )
    hub = next(s for s in outcome.services if s.service_id == "carers-hub")
    assert hub.status_note == "There is a waiting list of about 6 weeks."
    [young] = outcome.ruled_out
    assert (young.service_id, young.failed_fact) == ("young-carers", "age_band")
    assert young.reason == "This one is not open to you because it is for carers under 18."
    assert outcome.unmet_reason is None
    assert [c.key for c in outcome.choices] == ["helped", "not_helped"]
    assert kinds(heard) == [
        "session_started",
        "topic_chosen",
        "answer_given",
        "answer_given",
        "outcome_shown",
    ]
    shown = heard[-1]
    assert isinstance(shown, OutcomeShown)
    assert shown.need_id == "carers-support"
    assert set(shown.offered) == {"carers-allowance", "carers-hub", "carers-north"}
    assert [e.sequence for e in heard] == list(range(5))
    assert heard == conversation.events


def test_only_a_waiting_list_left_is_an_unmet_need(tmp_path: Path) -> None:
    services = SERVICES.replace(
        "    provider: DWP\n",
        "    provider: DWP\n    status: waiting_list\n    wait_time: {weeks: 20}\n",
    )
    knowledge = load_ok(write_conversation_kb(tmp_path / "kb", services=services))
    heard: list[Event] = []
    conversation = Conversation(knowledge, channel="plain", site="x", listeners=[heard.append])
    conversation.give_context(postcode_district="MT7")  # rules out the group in MT1
    conversation.choose("carers")
    conversation.choose("adult")

    view = conversation.choose("65-plus")

    assert isinstance(view, OutcomeView)
    assert view.unmet_reason == "waiting_list"
    assert [s.fit for s in view.services] == ["waiting_list", "waiting_list"]
    assert {s.service_id: s.fit for s in view.ruled_out} == {
        "carers-north": "out_of_area",
        "young-carers": "ineligible",
    }
    assert view.unmet_text.startswith("The services that fit have a waiting list.")
    unmet = heard[-1]
    assert isinstance(unmet, UnmetNeed)
    assert (unmet.reason, unmet.need_id, unmet.node_id) == (
        "waiting_list",
        "carers-support",
        "carers-outcome",
    )
    context = [e for e in heard if isinstance(e, ContextGiven)]
    assert [c.postcode_district for c in context] == ["MT7"]


def test_back_undoes_the_answer_and_its_facts_exactly(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("carers")
    conversation.choose("adult")
    before = conversation.state
    conversation.choose("65-plus")

    conversation.back()

    assert conversation.state == before
    assert "age_band" not in conversation.facts
    went = heard[-1]
    assert isinstance(went, WentBack)
    assert (went.from_node_id, went.to_node_id, went.move) == (
        "carers-outcome",
        "carers-age",
        "back",
    )


def test_typed_back_is_the_same_as_the_key(conversation: Conversation) -> None:
    conversation.choose("carers")
    before = conversation.state
    conversation.choose("adult")

    conversation.say("go back")

    assert conversation.state == before


def test_change_answer_drops_later_answers(conversation: Conversation, heard: list[Event]) -> None:
    conversation.choose("carers")
    conversation.choose("adult")
    conversation.choose("18-64")

    view = conversation.change_answer("carers-who")

    assert view.node_id == "carers-who"
    assert dict(conversation.facts) == {}
    assert conversation.answers() == ()
    went = heard[-1]
    assert isinstance(went, WentBack) and went.move == "change"
    view = conversation.choose("child")
    assert isinstance(view, UnmetView)


def test_unmet_end_records_its_need_and_reason_and_shows_other_help(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("carers")
    view = conversation.choose("child")

    assert isinstance(view, UnmetView)
    assert (view.need_id, view.reason_id) == ("carers-support", "no_service")
    assert [s.service_id for s in view.services] == ["carers-hub"]
    assert view.kind_words
    unmet = heard[-1]
    assert isinstance(unmet, UnmetNeed)
    assert (unmet.need_id, unmet.reason, unmet.node_id) == (
        "carers-support",
        "no_service",
        "carers-child",
    )


def test_everything_ruled_out_is_ineligible(conversation: Conversation, heard: list[Event]) -> None:
    conversation.choose("food")
    view = conversation.choose(1)  # carry on past the information

    assert isinstance(view, OutcomeView)
    assert view.services == ()
    assert view.unmet_reason == "ineligible"
    [ruled_out] = view.ruled_out
    assert ruled_out.not_asked
    assert "Gets a means-tested benefit" in ruled_out.reason
    unmet = heard[-1]
    assert isinstance(unmet, UnmetNeed)
    assert (unmet.need_id, unmet.reason) == ("food-essentials", "ineligible")
    assert [c.key for c in view.choices] == ["start_again", "talk_to_person", "finish"]


def test_not_helpful_feedback_is_an_unmet_need(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("carers")
    conversation.choose("adult")
    conversation.choose("18-64")

    view = conversation.say("no")

    assert isinstance(view, OutcomeView)
    assert view.feedback is False
    assert view.feedback_text.startswith("Sorry this did not help.")
    feedback, unmet = heard[-2:]
    assert isinstance(feedback, FeedbackGiven) and not feedback.helped
    assert isinstance(unmet, UnmetNeed)
    assert (unmet.reason, unmet.need_id) == ("not_helpful", "carers-support")


def test_free_text_that_matches_nothing_is_unmatched_and_offers_the_topics(
    conversation: Conversation, heard: list[Event]
) -> None:
    view = conversation.say("book my driving test")

    assert view.kind == "no_match"
    assert [c.key for c in view.choices] == ["carers", "food"]
    unmet = heard[-1]
    assert isinstance(unmet, UnmetNeed)
    assert (unmet.reason, unmet.need_id, unmet.text) == ("unmatched", None, "book my driving test")
    assert conversation.choose("food").kind == "info"


def test_crisis_sign_comes_before_everything_and_then_carries_on(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("carers")
    before = conversation.state

    view = conversation.say("back, i want to kill myself")

    assert view.kind == "safeguarding"
    assert view.title == "You matter"
    shown = heard[-1]
    assert isinstance(shown, SafeguardingShown)
    assert (shown.crisis_kind, shown.node_id) == ("suicide", "carers-who")
    assert conversation.continue_after_safeguarding().node_id == "carers-who"
    assert conversation.state == before


def test_start_again_clears_facts_and_history(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("carers")
    conversation.choose("adult")

    view = conversation.say("start again")

    assert view.kind == "welcome"
    assert dict(conversation.facts) == {}
    assert not conversation.can_go_back
    again = heard[-1]
    assert isinstance(again, StartedAgain) and again.at_node_id == "carers-age"


def test_leaving_before_any_outcome_is_abandoned_at_that_node(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("carers")
    conversation.choose("adult")

    view = conversation.abandon()

    assert view.kind == "finished"
    ended = heard[-1]
    assert isinstance(ended, SessionEnded)
    assert (ended.how, ended.last_node_id, ended.reached_outcome) == (
        "abandoned",
        "carers-age",
        False,
    )
    assert conversation.choose(1).kind == "finished", "nothing happens after the end"
    assert heard[-1] is ended


def test_finishing_after_an_outcome_is_finished(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("carers")
    conversation.choose("child")

    conversation.say("finish")

    ended = heard[-1]
    assert isinstance(ended, SessionEnded)
    assert (ended.how, ended.reached_outcome) == ("finished", True)


def test_timed_out_is_its_own_ending(conversation: Conversation, heard: list[Event]) -> None:
    conversation.abandon(timed_out=True)
    ended = heard[-1]
    assert isinstance(ended, SessionEnded) and ended.how == "timed_out"


def test_topic_chosen_from_the_menu_or_by_words(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose(2)
    conversation.start_again()
    conversation.say("i look after my mum")

    chosen = [e for e in heard if isinstance(e, TopicChosen)]
    assert [(e.topic_id, e.via) for e in chosen] == [("food", "menu"), ("carers", "own_words")]


def test_answer_by_words_is_recorded_as_own_words(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("carers")
    conversation.say("an adult")

    answer = heard[-1]
    assert isinstance(answer, AnswerGiven)
    assert (answer.option_id, answer.via) == ("adult", "own_words")


def test_advocate_records_an_unmet_need_with_a_note(
    conversation: Conversation, heard: list[Event]
) -> None:
    conversation.choose("food")
    conversation.record_unmet("food-essentials", "cannot_access", "no bus\x00 to the food bank")

    unmet = heard[-1]
    assert isinstance(unmet, UnmetNeed)
    assert (unmet.recorded_by, unmet.reason, unmet.text) == (
        "advocate",
        "cannot_access",
        "no bus to the food bank",
    )
