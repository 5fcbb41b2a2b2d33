"""Record an unmet need in a few keystrokes: the need, the reason, a short note, Enter.

The need and reason lists come from the knowledge base, with the likely ones
already highlighted (the topic's need; the unmet end's reason), so the
usual record is F8, Tab, Enter. The note is for managers reading the pattern
of unmet need, not a case note: the store scrubs phone numbers, emails,
addresses and the like before anything is written, and the hint says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from navigator.kb.knowledge import KnowledgeBase
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText
from navigator.tui.safe_text import clean_typed
from navigator.tui.text import Msg
from navigator.tui.widgets.plain_button import PlainButton

NOTE_LIMIT = 300
"""Longest note, in characters: a line or two about what was missing."""


@dataclass(frozen=True)
class UnmetChoice:
    need_id: str
    reason_id: str
    note: str


class UnmetNeedScreen(ModalScreen[UnmetChoice | None]):
    """Dismissed with what to record, or None when the advocate closes it."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("escape", "close", show=False),
        Binding("ctrl+s", "save", show=False),
    ]

    def __init__(
        self, knowledge: KnowledgeBase, text: AdvocateText, *, need_id: str, reason_id: str
    ) -> None:
        super().__init__()
        self.knowledge = knowledge
        self.words = text
        self.need_id = need_id
        self.reason_id = reason_id

    def compose(self) -> ComposeResult:
        words = self.words
        language = words.language
        with Vertical(id="unmet-panel"):
            yield Static(Content(words(AdvocateMsg.UNMET_HEADING)), id="unmet-heading")
            with Horizontal(id="unmet-lists"):
                with Vertical(classes="unmet-column"):
                    yield Label(Content(words(AdvocateMsg.UNMET_NEED)), classes="unmet-label")
                    yield OptionList(
                        *(
                            Option(Content(need.title.get(language)), id=need.id)
                            for need in self.knowledge.needs.values()
                        ),
                        id="unmet-need",
                    )
                with Vertical(classes="unmet-column"):
                    yield Label(Content(words(AdvocateMsg.UNMET_REASON)), classes="unmet-label")
                    yield OptionList(
                        *(
                            Option(
                                Content.assemble(
                                    (reason.title.get(language), "bold"),
                                    "\n",
                                    reason.description.get(language),
                                ),
                                id=reason.id,
                            )
                            for reason in self.knowledge.reasons.values()
                        ),
                        id="unmet-reason",
                    )
            yield Label(Content(words(AdvocateMsg.UNMET_NOTE)), classes="unmet-label")
            yield Input(
                placeholder=words(AdvocateMsg.UNMET_NOTE_PLACEHOLDER),
                max_length=NOTE_LIMIT,
                id="unmet-note",
            )
            yield Static(Content(words(AdvocateMsg.UNMET_NOTE_HINT)), id="unmet-hint")
            with Horizontal(id="unmet-buttons"):
                yield PlainButton(Content(words(AdvocateMsg.UNMET_SAVE)), id="unmet-save")
                yield PlainButton(Content(words(Msg.CLOSE)), id="unmet-close")

    def on_mount(self) -> None:
        needs = self.query_one("#unmet-need", OptionList)
        reasons = self.query_one("#unmet-reason", OptionList)
        _highlight(needs, self.need_id)
        _highlight(reasons, self.reason_id)
        needs.focus()

    @on(OptionList.OptionSelected)
    def _next_field(self, event: OptionList.OptionSelected) -> None:
        """Enter on a list keeps that choice and moves on, so the keyboard never leaves the form."""
        event.stop()
        self.focus_next()

    @on(Input.Submitted, "#unmet-note")
    @on(Button.Pressed, "#unmet-save")
    def action_save(self) -> None:
        need = self.query_one("#unmet-need", OptionList).highlighted_option
        reason = self.query_one("#unmet-reason", OptionList).highlighted_option
        if need is None or reason is None or need.id is None or reason.id is None:
            return
        note = clean_typed(self.query_one("#unmet-note", Input).value, limit=NOTE_LIMIT)
        self.dismiss(UnmetChoice(need.id, reason.id, note))

    @on(Button.Pressed, "#unmet-close")
    def action_close(self) -> None:
        self.dismiss(None)


def _highlight(options: OptionList, option_id: str) -> None:
    try:
        options.highlighted = options.get_option_index(option_id)
    except LookupError:  # an id the list does not hold: start at the top
        options.highlighted = 0 if options.option_count else None
