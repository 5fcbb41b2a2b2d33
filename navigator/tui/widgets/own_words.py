""" "Tell me in your own words": a text box with suggestions as the person types.

What is typed is cleaned (`clean_typed`) before it goes anywhere: control
characters and direction overrides are dropped, pasted documents are cut to
`MAX_TYPED` letters with a note saying so, and emoji or right-to-left text
pass through untouched. As the person types, the widget posts `Typed`; the
screen answers by setting `suggestions` (topics the matcher ranks highly),
shown as buttons under the box.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Input, Static

from navigator.tui.safe_text import MAX_TYPED, clean_typed
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.plain_button import PlainButton

CLIPBOARD_ACTIONS = frozenset({"copy", "cut", "paste"})


class Suggestion(msgspec.Struct, frozen=True):
    """Something the person might mean: a topic id (or option key) and its title."""

    key: str
    label: str


class OwnWordsInput(Input):
    """An `Input` that cleans pastes, cuts long text kindly, and may keep off the clipboard.

    At a kiosk the clipboard would carry one person's words to the next, so
    `clipboard=False` turns copy, cut and paste off.
    """

    class Shortened(Message):
        """Text was cut to fit: the app tells the person it read only the start."""

    def __init__(self, *, placeholder: str, clipboard: bool = True, id: str | None = None) -> None:
        super().__init__(
            placeholder=placeholder, max_length=MAX_TYPED, id=id, select_on_focus=False
        )
        self.clipboard_allowed = clipboard

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CLIPBOARD_ACTIONS and not self.clipboard_allowed:
            return False
        return super().check_action(action, parameters)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if not self.clipboard_allowed:
            return
        start, end = sorted(self.selection)
        room = MAX_TYPED - (len(self.value) - (end - start))
        text = clean_typed(event.text, limit=max(len(event.text), 1))
        if len(text) > room:
            text = text[: max(room, 0)]
            self.post_message(self.Shortened())
        if text:
            self.replace(text, start, end)

    def restricted(self) -> None:
        """Typing past the limit: say so rather than ring the terminal bell."""
        self.post_message(self.Shortened())


class OwnWords(Vertical, can_focus=False):
    """The free-text box, a Send button, and the suggestions row."""

    DEFAULT_CSS = css_beside(__file__)

    suggestions: reactive[tuple[Suggestion, ...]] = reactive((), init=False)

    class Typed(Message):
        """The text changed (already cleaned); the host may offer suggestions for it."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Said(Message):
        """The person sent what they typed (cleaned; never empty)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class SuggestionChosen(Message):
        def __init__(self, suggestion: Suggestion) -> None:
            super().__init__()
            self.suggestion = suggestion

    class Empty(Message):
        """The person pressed Send with nothing typed."""

    def __init__(
        self,
        *,
        label: str,
        placeholder: str,
        send_label: str,
        suggestions_label: str,
        clipboard: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._label = label
        self._placeholder = placeholder
        self._send_label = send_label
        self._suggestions_label = suggestions_label
        self._clipboard = clipboard

    def compose(self) -> ComposeResult:
        # Static, not Label: Label's style (variants this app never uses) would be parsed
        # before the first question only for this line; `width: auto` is in our style.
        yield Static(Content(self._label), classes="own-words-label")
        with Horizontal(classes="own-words-row"):
            yield OwnWordsInput(
                placeholder=self._placeholder, clipboard=self._clipboard, id="own-words-input"
            )
            yield PlainButton(Content(self._send_label), id="own-words-send", classes="send -big")

    @property
    def input(self) -> OwnWordsInput:
        return self.query_one(OwnWordsInput)

    @property
    def text(self) -> str:
        return clean_typed(self.input.value)

    def clear(self) -> None:
        """Empty the box and the suggestions (after sending, or when the screen is wiped)."""
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.suggestions = ()

    def watch_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        buttons = [SuggestionButton(suggestion) for suggestion in suggestions[:3]]
        row = next(self.query("#suggestions").results(Horizontal), None)
        if row is None:
            if buttons:  # made with the first suggestions: every widget at the start delays it
                label = Static(Content(self._suggestions_label), classes="suggestions-label")
                self.mount(Horizontal(label, *buttons, id="suggestions", classes="suggestions"))
            return
        row.remove_children(SuggestionButton)
        row.mount_all(buttons)
        row.display = bool(buttons)

    @on(Input.Changed, "#own-words-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(clean_typed(event.value)))

    @on(Input.Submitted, "#own-words-input")
    @on(Button.Pressed, "#own-words-send")
    def _send(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        text = self.text
        if not text:
            self.post_message(self.Empty())
            return
        self.clear()
        self.post_message(self.Said(text))

    @on(Button.Pressed, ".suggestion")
    def _suggestion(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, SuggestionButton):
            suggestion = event.button.suggestion
            self.clear()
            self.post_message(self.SuggestionChosen(suggestion))


class SuggestionButton(PlainButton):
    def __init__(self, suggestion: Suggestion) -> None:
        super().__init__(Content(suggestion.label), classes="suggestion")
        self.suggestion = suggestion
