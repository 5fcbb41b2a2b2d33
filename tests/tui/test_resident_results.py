"""The results as a resident first sees them: from the top, scrollable from the answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from navigator.config import Settings
from navigator.engine.events import Event, PersonAsked
from navigator.engine.hours import OpenState, open_state, read_hours
from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.widgets.quick_replies import QuickReplies
from navigator.tui.widgets.service_card import ServiceCard
from navigator.tui.widgets.transcript import Transcript
from tests.support.waiting import press_and_wait
from tests.tui.conftest import RunningApp
from tests.tui.screen import flat, screen_text, style_of

pytestmark = pytest.mark.timeout(60)

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
async def test_results_open_at_their_heading_with_the_first_card(
    at_care_results: Callable[..., RunningApp], size: tuple[int, int]
) -> None:
    async with at_care_results(size) as (app, _):
        shown = flat(screen_text(app))
        assert "These services may help you" in shown
        assert "Testborough Home Help" in shown
        assert "Did this help?" in shown
        assert isinstance(app.focused, QuickReplies)


@pytest.mark.parametrize("size", SIZES)
async def test_page_keys_scroll_the_results_from_the_answers(
    at_care_results: Callable[..., RunningApp], size: tuple[int, int]
) -> None:
    async with at_care_results(size) as (app, pilot):
        transcript = app.screen.query_one(Transcript)
        top = transcript.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert transcript.scroll_y > top
        assert "Thursday Lunch Club" in flat(screen_text(app))
        down = transcript.scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < down
        assert isinstance(app.focused, QuickReplies)  # the answers keep the keyboard


@pytest.mark.parametrize("size", SIZES)
async def test_nothing_matched_offers_general_help_and_a_person(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    settings: Settings,
    events: list[Event],
    size: tuple[int, int],
) -> None:
    # Two digits pressed for "Talk to a person": a slow typist's wait, so a loaded
    # machine cannot take the first digit alone.
    app = make_app(
        knowledge=demo_kb, settings=dataclasses.replace(settings, second_digit_seconds=10)
    )
    async with app.run_test(size=size) as pilot:
        # Out of scope (a barking dog is the anti-social behaviour topic's since session 6).
        words = "how do i renew my passport"
        await pilot.press(*("space" if c == " " else c for c in words), "enter")
        await pilot.pause()
        replies = app.screen.query_one(QuickReplies)
        assert replies.choices[-1].label == "Talk to a person"
        person = len(demo_kb.topics) + 1  # every topic, then "Talk to a person"
        assert replies.choices[-1].number == person
        said = " ".join(m.plain for m in app.screen.query_one(Transcript).messages)
        assert "Citizens Advice" in said and "01632 960 100" in said
        await pilot.press(*str(person))
        await pilot.pause()
        assert [e for e in events if isinstance(e, PersonAsked)]
        assert "Talk to a person" in flat(screen_text(app))


@pytest.mark.parametrize(
    ("when", "said"),
    [
        (dt.datetime(2026, 12, 7, 10, 0), "Monday to Friday, 9am to 5pm (Open now)"),
        (dt.datetime(2026, 12, 7, 8, 0), "Monday to Friday, 9am to 5pm (Opens today at 9am)"),
        (dt.datetime(2026, 12, 5, 12, 0), "Monday to Friday, 9am to 5pm (Opens Monday at 9am)"),
        (dt.datetime(2026, 12, 6, 12, 0), "Monday to Friday, 9am to 5pm (Opens tomorrow at 9am)"),
    ],
)
async def test_cards_say_taking_new_people_and_whether_open_now(
    at_care_results: Callable[..., RunningApp], when: dt.datetime, said: str
) -> None:
    async with at_care_results((120, 40), wall_clock=lambda: when) as (app, _):
        card = next(c for c in app.screen.query(ServiceCard) if c.service.name.endswith("Help"))
        words = str(card.render())
        assert "✔ Taking new people." in words
        assert "Open: taking new people now" not in words
        assert f"Opening hours: {said}" in words


def test_hours_in_other_forms_say_nothing_rather_than_guess() -> None:
    assert read_hours("Most weekday mornings in different places") is None
    assert read_hours("Monday to Saturday, 9am to 5pm. Delivery on weekdays.") is None
    saturday_noon = dt.datetime(2026, 12, 5, 12, 0)
    both = read_hours("Saturdays, 10am to 12 noon, and Wednesdays, 1pm to 3pm")
    assert both is not None
    state = open_state(both, saturday_noon)
    assert state is not None and (state.day, state.time) == ("Wednesday", "1pm")
    always = read_hours("24 hours a day, 7 days a week")
    assert always is not None and open_state(always, saturday_noon) == OpenState(open_now=True)


@pytest.mark.parametrize("size", SIZES)
async def test_every_card_says_why_it_was_offered(
    at_care_results: Callable[..., RunningApp], size: tuple[int, int]
) -> None:
    async with at_care_results(size) as (app, _):
        cards = list(app.screen.query(ServiceCard))
        assert len(cards) == 3
        for card in cards:
            assert "Why it fits: " in str(card.render()), card.service.name
        day_centre = next(c for c in cards if c.service.service_id == "day-centre")
        assert "It helps with Help at home, and anyone can use it." in str(day_centre.render())


@pytest.mark.parametrize("size", SIZES)
async def test_cards_for_my_mum_say_why_about_her(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    """Issue 13: "because you live in Northbrook" was said about the person's mum."""
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        words = "help at home for my mum"
        await press_and_wait(pilot, app, *("space" if c == " " else c for c in words), "enter")
        # Straight to care for adults (session 6); help at home; 65 or over; in
        # Northbrook; several tasks; struggling; it can wait; carry on. Each once the
        # one before has been taken.
        for key in ("1", "3", "1", "1", "1", "2", "1"):
            await press_and_wait(pilot, app, key)
        await pilot.pause()
        cards = list(app.screen.query(ServiceCard))
        assert cards, flat(screen_text(app))
        shown = ""
        for card in cards:
            card.scroll_visible(animate=False, top=True)
            await pilot.pause()
            shown += flat(screen_text(app))
        assert "This may suit your mum because they live in Northbrook." in shown
        assert "so it may suit your mum." in shown
        assert "you live in Northbrook" not in shown
        await pilot.press("1")  # it helped: the consent question comes next
        await pilot.pause()
        said = " ".join(m.plain for m in app.screen.query_one(Transcript).messages)
        assert "Can we keep the age group of your mum (65+)?" in said


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("label", "detail"),
    [
        ("How to start:", "Phone and ask for a care assessment."),
        ("Phone:", "01632 960 001"),
        ("Website:", "https://testborough.example/home_help"),
    ],
)
async def test_card_labels_are_bold_and_the_details_plain(
    at_care_results: Callable[..., RunningApp], size: tuple[int, int], label: str, detail: str
) -> None:
    """A resident scans a card by its labels ("How to start:"), as drawn on screen."""
    async with at_care_results(size) as (app, pilot):
        card = next(c for c in app.screen.query(ServiceCard) if c.service.name.endswith("Help"))
        app.screen.query_one(Transcript).scroll_to_widget(card, animate=False, top=True)
        await pilot.pause()
        assert style_of(app, label).bold, label
        assert not style_of(app, detail).bold, detail
