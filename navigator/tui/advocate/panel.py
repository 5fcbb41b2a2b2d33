"""The side panel: what we know so far, why each service fits or not, and private notes.

The "Reasoning" tab redraws from the conversation after every move, so a
changed answer shows its effect at once. The "Notes" tab is a text box whose
words live only in the widget: nothing reads them, stores them or sends them
anywhere, and a new session replaces the whole screen, notes included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane, TextArea

from navigator.engine.explain import Reasoning, ServiceReasoning
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText
from navigator.tui.widgets._css import css_beside

NOTES_LIMIT = 5000
"""Longest private note kept, in characters: a drop-in note, not a case file."""


@dataclass(frozen=True)
class RecordedNeed:
    """An unmet need the advocate recorded in this session, as the panel lists it."""

    need: str
    reason: str


def reasoning_text(
    reasoning: Reasoning, recorded: Sequence[RecordedNeed], text: AdvocateText
) -> Group:
    """The Reasoning tab's content. Knowledge-base words go in as plain text, never markup.

    Each service's working sits indented under its name, wrapped lines included.
    """
    parts: list[RenderableType] = [Text(text(AdvocateMsg.FACTS_HEADING), style="bold underline")]
    if not reasoning.facts:
        parts.append(Text(text(AdvocateMsg.NO_FACTS)))
    for fact in reasoning.facts:
        line = text(AdvocateMsg.FACT_LINE, fact=fact.title, value=fact.value, phrase=fact.phrase)
        parts.append(_indented(line, 0))
    parts.append(Text())
    if not reasoning.at_result:
        parts.append(Text(text(AdvocateMsg.NO_RESULT)))
    else:
        heading = text(AdvocateMsg.SERVICES_HEADING, topic=reasoning.topic_title)
        parts.append(Text(heading, style="bold underline"))
        if reasoning.unmet_reason:
            parts.append(Text(text(AdvocateMsg.UNMET_END, reason=reasoning.unmet_reason)))
        for service in reasoning.services:
            parts.extend(_service(service))
    if recorded:
        parts += [Text(), Text(text(AdvocateMsg.RECORDED_HEADING), style="bold underline")]
        for need in recorded:
            item = text(AdvocateMsg.RECORDED_ITEM, need=need.need, reason=need.reason)
            parts.append(_indented(item, 0))
    return Group(*parts)


def _indented(line: str, left: int) -> Padding:
    return Padding(Text(line), (0, 0, 0, left))


def _service(service: ServiceReasoning) -> list[RenderableType]:
    title = Text(f"{service.mark} ")
    title.append(service.name, style="bold")
    title.append(f" · {service.status}")
    details = [service.rule, service.decided_by]
    if not service.not_asked:  # "not asked" says it better than the engine's reason
        details.insert(0, service.reasons)
    return [title, *(_indented(line, 2) for line in details if line)]


class ReasoningView(VerticalScroll, can_focus=True):
    """The facts and every service's working, scrollable by keyboard when focused."""

    shown: Group | None = None
    """What the view shows now (tests read it)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="reasoning-text", markup=False)

    def show(self, content: Group) -> None:
        self.shown = content
        self.query_one("#reasoning-text", Static).update(content)


class PrivateNotes(TextArea):
    """The advocate's notes for this session only: in memory, never stored, gone at the end."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", soft_wrap=True, tab_behavior="focus", show_line_numbers=False, id=id)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Keep a note short: an over-long paste is cut, so the box stays quick to use."""
        if len(self.text) > NOTES_LIMIT:
            self.load_text(self.text[:NOTES_LIMIT])
            self.move_cursor(self.document.end)


class SidePanel(Vertical):
    """Site line, then the Reasoning and Notes tabs."""

    DEFAULT_CSS = css_beside(__file__)

    def __init__(self, text: AdvocateText, site: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        self.site = site

    def compose(self) -> ComposeResult:
        text = self.text
        words = f"{text(AdvocateMsg.TITLE)} · {text(AdvocateMsg.SITE, site=self.site)}"
        yield Static(Content(words), id="site-line")
        with TabbedContent(id="side-tabs", initial="reasoning-tab"):
            with TabPane(text(AdvocateMsg.PANEL_REASONING), id="reasoning-tab"):
                yield ReasoningView(id="reasoning")
            with TabPane(text(AdvocateMsg.PANEL_NOTES), id="notes-tab"):
                yield Static(Content(text(AdvocateMsg.NOTES_HINT)), id="notes-hint")
                yield PrivateNotes(id="private-notes")

    @property
    def notes(self) -> PrivateNotes:
        return self.query_one(PrivateNotes)

    def show_reasoning(self, content: Group) -> None:
        self.query_one(ReasoningView).show(content)

    def open_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = tab_id
