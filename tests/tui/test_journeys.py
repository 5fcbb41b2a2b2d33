"""Every resident journey through the real app on the test borough, keys pressed as a person would.

Each test checks what is on screen and the events the engine handed to the
app's listeners (what the records store would receive).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

from navigator.engine.events import (
    AnswerGiven,
    ContextGiven,
    Event,
    FeedbackGiven,
    OutcomeShown,
    SafeguardingShown,
    SessionEnded,
    TopicChosen,
    UnmetNeed,
    WentBack,
)
from navigator.tui.app import NavigatorApp
from navigator.tui.screens.answers import AnswersScreen
from navigator.tui.screens.conversation import ConversationScreen
from navigator.tui.screens.safeguarding import SafeguardingScreen
from navigator.tui.widgets.own_words import OwnWords
from navigator.tui.widgets.quick_replies import QuickReplies
from navigator.tui.widgets.results import ResultsBlock
from navigator.tui.widgets.service_card import ServiceCard
from tests.tui.conftest import kinds
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)

E = TypeVar("E", bound=Event)

SIZE = (100, 45)


def labels(app: NavigatorApp) -> list[str]:
    return [choice.label for choice in app.screen.query_one(QuickReplies).choices]


def only(events: list[Event], kind: type[E]) -> list[E]:
    return [event for event in events if isinstance(event, kind)]


async def test_welcome_shows_topics_and_bar(make_app: Callable[..., NavigatorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "Welcome to Navigator" in shown
        assert "1 Help at home" in shown and "2 Money and bills" in shown
        for bar in ("F1 Help", "F2 Back", "F3 Change answer", "F4 Start again"):
            assert bar in shown
        assert isinstance(app.screen, ConversationScreen)


async def test_answering_by_number_keys_reaches_results(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert "How old are you?" in flat(screen_text(app))
        assert "Help at home: step 1" in flat(screen_text(app))
        await pilot.press("2", "1")
        await pilot.pause()
        cards = {card.service.service_id: card for card in app.screen.query(ServiceCard)}
        # Meals on Wheels TB2 (out of area) and the carers' break (never asked) stay hidden.
        assert set(cards) == {"home-help", "day-centre", "lunch-club"}
        assert cards["home-help"].service.fit == "offered"
    assert kinds(events)[:5] == [
        "session_started",
        "topic_chosen",
        "answer_given",
        "answer_given",
        "outcome_shown",
    ]
    answers = only(events, AnswerGiven)
    assert [(a.node_id, a.option_id, a.via) for a in answers] == [
        ("care-age", "over-65", "button"),
        ("care-where", "tb1", "button"),
    ]


async def test_results_say_status_in_words_not_colour(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 120)) as pilot:
        await pilot.press("1", "2", "1")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "Testborough Home Help" in shown
        assert "What it offers: Help with washing, dressing and meals at home." in shown
        assert "you are 65 or over" in shown  # why it fits
        assert "Phone: 01632 960 001 (Monday to Friday)" in shown
        assert "Opening hours: Monday to Friday, 9am to 5pm" in shown
        assert "waiting list of about 6 weeks" in shown
        assert "not taking new people right now" in shown
        assert "Did this help?" in shown


async def test_clicking_an_answer_works_like_its_number(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        replies = app.screen.query_one(QuickReplies)
        assert await pilot.click(replies, offset=replies.cell_region(1).offset)
        await pilot.pause()
        assert "Do you have debts you cannot pay?" in flat(screen_text(app))
    topic = only(events, TopicChosen)[0]
    assert topic.topic_id == "money"


async def test_back_undoes_the_last_answer(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "2")
        await pilot.pause()
        assert labels(app) == ["TB1", "TB2", "Somewhere else"]
        await pilot.press("f2")
        await pilot.pause()
        assert labels(app) == ["Under 65", "65 or over"]
        assert "You: Back" in flat(screen_text(app))
    back = only(events, WentBack)
    assert [(b.from_node_id, b.to_node_id, b.move) for b in back] == [
        ("care-where", "care-age", "back")
    ]


async def test_change_an_earlier_answer(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "2", "1")
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, AnswersScreen)
        shown = flat(screen_text(app))
        assert "How old are you? - 65 or over" in shown
        assert "Where do you live? - TB1" in shown
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert labels(app) == ["Under 65", "65 or over"]
        await pilot.press("1", "1")
        await pilot.pause()
        latest = list(app.screen.query(ResultsBlock))[-1]
        shown_now = {card.service.service_id for card in latest.query(ServiceCard)}
        assert "home-help" not in shown_now  # only for people 65 or over
        assert "day-centre" in shown_now  # open to every age
    change = only(events, WentBack)
    assert [(c.to_node_id, c.move) for c in change] == [("care-age", "change")]


async def test_free_text_starts_the_matching_topic(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        words = app.screen.query_one(OwnWords)
        words.input.focus()
        words.input.value = "i cant pay my bills"
        await pilot.press("enter")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "You: i cant pay my bills" in shown
        assert "Do you have debts you cannot pay?" in shown
        await pilot.press("y", "e", "a", "h", "enter")
        await pilot.pause()
        assert "Testborough Advice Centre" in flat(screen_text(app))
    topic = only(events, TopicChosen)[0]
    assert (topic.topic_id, topic.via) == ("money", "own_words")
    answer = only(events, AnswerGiven)[0]
    assert (answer.option_id, answer.via) == ("yes", "own_words")


async def test_typing_a_letter_on_a_button_goes_to_the_text_box(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m", "o", "n", "e", "y")
        await pilot.pause()
        words = app.screen.query_one(OwnWords)
        assert words.input.value == "money"
        assert words.input.has_focus
        assert [s.key for s in words.suggestions][:1] == ["money"]
        assert "Did you mean: Money and bills" in flat(screen_text(app))


async def test_choosing_a_suggestion_starts_that_topic(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w", "a", "s", "h", "i", "n", "g")
        await pilot.pause()
        await pilot.click(".suggestion")
        await pilot.pause()
        assert "How old are you?" in flat(screen_text(app))
    topic = only(events, TopicChosen)[0]
    assert (topic.topic_id, topic.via) == ("care", "own_words")


async def test_unmatched_free_text_is_recorded_and_said_kindly(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        words = app.screen.query_one(OwnWords)
        words.input.value = "book a driving test"
        await pilot.click("#own-words-send")
        await pilot.pause()
        assert "Sorry, I did not understand" in flat(screen_text(app))
    unmet = only(events, UnmetNeed)
    assert [(u.reason, u.text) for u in unmet] == [("unmatched", "book a driving test")]


async def test_safeguarding_interrupts_before_anything_else_then_carries_on(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        words = app.screen.query_one(OwnWords)
        words.input.value = "honestly i want to kill myself"
        words.input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SafeguardingScreen)
        shown = flat(screen_text(app))
        assert "You do not have to face this alone" in shown
        assert "Samaritans" in shown and "Phone 116 123" in shown
        assert "Phone 999" in shown
        assert "I am safe to carry on" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert "How old are you?" in flat(screen_text(app))
        assert labels(app) == ["Under 65", "65 or over"]
    shown_events = only(events, SafeguardingShown)
    assert [(s.crisis_kind, s.node_id) for s in shown_events] == [("suicide", "care-age")]
    assert not only(events, AnswerGiven)


async def test_unmet_end_is_shown_and_recorded(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "1", "3")  # somewhere else
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "We do not know of help at home where you live." in shown
        assert "Testborough Befriending" in shown
    unmet = only(events, UnmetNeed)
    assert [(u.need_id, u.reason, u.node_id) for u in unmet] == [
        ("care", "no_service", "care-unmet")
    ]


async def test_did_this_help_no_records_not_helpful(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1")
        await pilot.pause()
        assert labels(app) == ["Yes, this helped", "No, this did not help"]
        await pilot.press("2")
        await pilot.pause()
        assert "Sorry this did not help" in flat(screen_text(app))
    feedback = only(events, FeedbackGiven)
    assert [f.helped for f in feedback] == [False]
    unmet = only(events, UnmetNeed)
    assert [(u.reason, u.need_id, u.node_id) for u in unmet] == [
        ("not_helpful", "money", "money-outcome")
    ]


async def test_consent_is_asked_before_keeping_district_and_age_band(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "2", "1", "1")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "Can we keep the first part of your postcode (TB1)?" in shown
        assert not only(events, ContextGiven)
        await pilot.press("1")  # yes, keep the district
        await pilot.pause()
        assert "Can we keep your age group (65+)?" in flat(screen_text(app))
        await pilot.press("2")  # no, not the age band
        await pilot.pause()
        assert labels(app) == ["Start again", "Talk to a person", "I have finished"]
    context = only(events, ContextGiven)
    assert [(c.postcode_district, c.age_band) for c in context] == [("TB1", None)]


async def test_everything_works_without_consent(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "2", "1", "1", "2", "2")
        await pilot.pause()
        assert labels(app) == ["Start again", "Talk to a person", "I have finished"]
    assert not only(events, ContextGiven)
    assert only(events, OutcomeShown)


async def test_finishing_wipes_the_conversation(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "1", "1")
        await pilot.pause()
        first = app.screen
        await pilot.press("f6", "y")  # "Finish now?" Yes
        await pilot.pause()
        assert app.screen is not first
        shown = flat(screen_text(app))
        assert "Your answers have been cleared" in shown
        assert "Welcome to Navigator" in shown
        assert "Advice Centre" not in shown and "You:" not in shown
    first_session = events[0].session_id
    ended = [e for e in only(events, SessionEnded) if e.session_id == first_session]
    assert [(e.how, e.reached_outcome) for e in ended] == [("finished", True)]
    sessions = {event.session_id for event in events}
    assert len(sessions) == 2  # the next person gets a new session


async def test_start_again_clears_answers_and_transcript(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "2")
        await pilot.pause()
        await pilot.press("f4", "y")  # "Start again?" Yes
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "How old are you?" not in shown and "You:" not in shown
        assert "1 Help at home" in shown
    assert "started_again" in kinds(events)


async def test_help_is_always_one_key_away(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "f1")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "How to use Navigator" in shown
        assert "some services are for older people" in shown  # the question's own help
        await pilot.press("1")  # carry on
        await pilot.pause()
        assert labels(app) == ["Under 65", "65 or over"]


async def test_information_page_then_results(make_app: Callable[..., NavigatorApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "2")
        await pilot.pause()
        assert "still worth checking" in flat(screen_text(app))
        await pilot.press("1")
        await pilot.pause()
        assert "Testborough Advice Centre" in flat(screen_text(app))


async def test_the_keyboard_is_always_on_the_first_answer(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    """After every move Enter picks answer 1: never a button on the bar, such as Finish."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for expected in ("Help at home", "Under 65", "TB1", "Yes, this helped"):
            await pilot.pause()
            focused = app.focused
            assert isinstance(focused, QuickReplies), focused
            assert focused.choices[focused.cursor].label == expected
            await pilot.press("enter")
        await pilot.pause()
        assert not only(events, SessionEnded)


async def test_going_back_during_the_consent_question_drops_it(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "2", "1", "1")
        await pilot.pause()
        assert "Yes, you can keep it" in labels(app)
        await pilot.press("f2")
        await pilot.pause()
        assert labels(app) == ["Yes, this helped", "No, this did not help"]
    assert not only(events, ContextGiven)
