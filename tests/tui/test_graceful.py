"""Odd terminals and odd input: never a crash, never a traceback, always a kind word."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events

from navigator.engine.events import Event, UnmetNeed
from navigator.tui.app import NavigatorApp
from navigator.tui.safe_text import MAX_TYPED
from navigator.tui.screens.conversation import ConversationScreen
from navigator.tui.widgets.own_words import OwnWords
from tests.tui.screen import flat, screen_text

pytestmark = pytest.mark.timeout(60)


async def test_a_tiny_terminal_asks_to_be_made_bigger(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert "Please make this window bigger" in flat(screen_text(app))
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "Please make this window bigger" not in shown
        assert "Welcome to Navigator" in shown
        await pilot.resize_terminal(12, 4)
        await pilot.press("1")
        await pilot.pause()
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert "How old are you?" in flat(screen_text(app))


@pytest.mark.parametrize("size", [(40, 14), (80, 24), (200, 60)])
async def test_the_whole_journey_fits_common_sizes(
    make_app: Callable[..., NavigatorApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "2", "1", "1", "1", "1")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert "F1" in screen_text(app)


async def _paste(app: NavigatorApp, text: str) -> OwnWords:
    words = app.screen.query_one(OwnWords)
    words.input.focus()
    words.input.post_message(events.Paste(text))
    return words


async def test_a_pasted_document_is_cut_and_the_person_told(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        words = await _paste(app, "I cannot pay my bills. " * 5000)
        await pilot.pause()
        assert len(words.input.value) == MAX_TYPED
        assert "I read the first 500 letters" in flat(screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert "Do you have debts you cannot pay?" in flat(screen_text(app))


async def test_control_characters_do_not_reach_the_screen_or_the_engine(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        words = await _paste(app, "\x1b[31mbook\x07 a\x00 driving\r\ntest\x1b]0;pwned\x07")
        await pilot.pause()
        assert "\x1b" not in words.input.value and "\x07" not in words.input.value
        await pilot.press("enter")
        await pilot.pause()
        assert "\x1b" not in screen_text(app)
    said = [e.text for e in events if isinstance(e, UnmetNeed) and e.reason == "unmatched"]
    assert len(said) == 1
    assert said[0] is not None and "\x1b" not in said[0] and "\x07" not in said[0]


@pytest.mark.parametrize(
    "typed",
    [
        "😀😀 need help 🙏🏽 with my 👵🏻 gran",
        "أحتاج مساعدة في دفع الإيجار",
        "אני צריך עזרה עם חובות",
        "[bold red]not markup[/] $foreground {step}",
        "Z̷͙̈a̸̡̛l̴̹̇g̵̱̈́o̸̝͝ text",
    ],
)
async def test_emoji_right_to_left_and_markup_lookalikes_are_shown_as_typed(
    make_app: Callable[..., NavigatorApp], typed: str
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        words = app.screen.query_one(OwnWords)
        words.input.value = typed
        words.input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        transcript = app.screen.transcript
        assert any(message.plain == typed for message in transcript.messages)
        if typed.startswith("[bold"):
            assert "[bold red]not markup[/]" in screen_text(app)


async def test_sending_nothing_gets_a_gentle_prompt(
    make_app: Callable[..., NavigatorApp], events: list[Event]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(OwnWords).input.focus()
        await pilot.press("space", "space", "enter")
        await pilot.pause()
        assert "Please type a few words first" in flat(screen_text(app))
    assert [e.kind for e in events] == ["session_started", "session_ended"]


async def test_an_engine_failure_becomes_an_apology_and_a_fresh_start(
    make_app: Callable[..., NavigatorApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("1")
        await pilot.pause()

        def broken(*_: object, **__: object) -> None:
            raise RuntimeError("the knowledge base changed under us")

        monkeypatch.setattr(app.conversation, "choose", broken)
        await pilot.press("1")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "Sorry, something went wrong on our side" in shown
        assert "Welcome to Navigator" in shown
        assert "Traceback" not in shown


async def test_a_very_long_conversation_keeps_only_its_latest_messages(
    make_app: Callable[..., NavigatorApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        transcript = app.screen.transcript
        for number in range(transcript.limit + 50):
            transcript.say("note", f"message {number}")
        await pilot.pause()
        assert len(transcript.children) == transcript.limit
        assert transcript.messages[-1].plain == f"message {transcript.limit + 49}"
        assert "message 0" not in {message.plain for message in transcript.messages}
