"""Find a service directly: type a name or what it does, pick a need, give an area.

Results update as the advocate types. Moving through the list shows the
highlighted service as the resident app's own card (`ServiceCard`), with
the working against what we know so far: whether it fits, and by which rule
and fact it would be ruled out. So a service found this way is judged by
exactly the rules the guided path uses. Enter on a result adds it to the
resident's summary ("Other services we found for you").

The count is of every service that matches; the list shows them a page at a
time, with a "More" line at the end that brings the next page when it is
reached (PageDown or the arrows) or chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from navigator.engine.conversation import Conversation
from navigator.engine.eligibility import assess
from navigator.engine.explain import service_reasoning
from navigator.engine.render import service_view
from navigator.engine.summary import SummaryJournal
from navigator.tui.advocate.search import Found, SearchQuery, ServiceIndex, normalise_area
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText
from navigator.tui.widgets.service_card import ServiceCard

PAGE_SIZE = 50
"""Services listed at a time; the rest come a page at a time from the "More" line."""

MORE = "more-results"
"""The id of the "More" line at the end of a page."""


class ServiceSearchScreen(ModalScreen[None]):
    """Search every service in the knowledge base, beside the guided path."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = [
        Binding("escape", "close", show=False),
        Binding("ctrl+r", "refer", show=False, priority=True),
    ]

    def __init__(
        self,
        conversation: Conversation,
        index: ServiceIndex,
        text: AdvocateText,
        *,
        journal: SummaryJournal | None = None,
        refer: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.refer = refer
        """Opens a warm referral to a service (Ctrl+R on the highlighted one)."""
        self.conversation = conversation
        self.index = index
        self.words = text
        self.journal = journal
        """Where services chosen for the resident's summary go (None: search only)."""
        self.found: list[Found] = []
        """Every service matching the form now, best first."""
        self.shown = 0
        """How many of them the list holds so far."""

    def compose(self) -> ComposeResult:
        words = self.words
        language = words.language
        needs = self.conversation.knowledge.needs.values()
        with Vertical(id="search-panel"):
            yield Static(Content(words(AdvocateMsg.SEARCH_HEADING)), id="search-heading")
            with Horizontal(id="search-row"):
                yield Input(placeholder=words(AdvocateMsg.SEARCH_PLACEHOLDER), id="search-words")
                yield Select(
                    [(need.title.get(language), need.id) for need in needs],
                    prompt=words(AdvocateMsg.SEARCH_ANY_NEED),
                    id="search-need",
                )
                yield Input(
                    placeholder=words(AdvocateMsg.SEARCH_AREA_PLACEHOLDER),
                    max_length=8,
                    id="search-area",
                )
            yield Static("", id="search-status")
            with Horizontal(id="search-body"):
                yield OptionList(id="search-results")
                with VerticalScroll(id="search-detail"):
                    yield Static(Content(words(AdvocateMsg.SEARCH_PICK)), classes="search-hint")

    def on_mount(self) -> None:
        self.query_one("#search-words", Input).focus()
        self.update_results()

    @property
    def search_query(self) -> SearchQuery:
        """What the form asks for now."""
        need = self.query_one("#search-need", Select).value
        area_typed = self.query_one("#search-area", Input).value
        return SearchQuery(
            words=self.query_one("#search-words", Input).value,
            need_id=need if isinstance(need, str) else None,
            area=normalise_area(area_typed) if area_typed.strip() else None,
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def update_results(self) -> None:
        words = self.words
        area_typed = self.query_one("#search-area", Input).value.strip()
        status = self.query_one("#search-status", Static)
        results = self.query_one("#search-results", OptionList)
        if area_typed and normalise_area(area_typed) is None:
            status.update(Content(words(AdvocateMsg.SEARCH_AREA_INVALID, area=area_typed)))
            results.clear_options()
            return
        self.found = self.index.search(self.search_query)
        self.shown = 0
        results.clear_options()
        if self.found:
            self._next_page()
            results.highlighted = 0
        else:
            status.update(Content(words(AdvocateMsg.SEARCH_NONE)))
            self._show_detail(None)

    def _next_page(self) -> None:
        """Add the next page of results in place of the "More" line, and say how many there are."""
        results = self.query_one("#search-results", OptionList)
        words = self.words
        last = results.option_count - 1
        if last >= 0 and results.get_option_at_index(last).id == MORE:
            results.remove_option_at_index(last)
        page = self.found[self.shown : self.shown + PAGE_SIZE]
        results.add_options(
            Option(Content(item.service.name.get(words.language)), id=item.service.id)
            for item in page
        )
        self.shown += len(page)
        count = len(self.found)
        status = words(AdvocateMsg.SEARCH_COUNT, count=count)
        left = count - self.shown
        if left:
            status = f"{status} {words(AdvocateMsg.SEARCH_SHOWING, shown=self.shown, count=count)}"
            more = words(AdvocateMsg.SEARCH_MORE, next=min(left, PAGE_SIZE), left=left)
            results.add_option(Option(Content(more), id=MORE))
        self.query_one("#search-status", Static).update(Content(status))

    @on(Input.Submitted)
    def _to_results(self) -> None:
        """Enter in a box goes to the results, so arrows can move through them at once."""
        self.query_one("#search-results", OptionList).focus()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a result: give it to the resident in the summary."""
        event.stop()
        if event.option.id == MORE:
            self._more()
            return
        service = self.conversation.knowledge.services.get(event.option.id or "")
        if service is None or self.journal is None:
            return
        conversation = self.conversation
        view = service_view(conversation, assess(service, conversation.facts, conversation.wording))
        added = self.journal.add_found(view)
        words = AdvocateMsg.SEARCH_ADDED if added else AdvocateMsg.SEARCH_ALREADY
        self.query_one("#search-status", Static).update(
            Content(self.words(words, service=view.name))
        )

    @on(OptionList.OptionHighlighted, "#search-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id == MORE:
            self._more()
            return
        self._show_detail(event.option.id)

    def _more(self) -> None:
        """Reaching or choosing "More" brings the next page, with its first service highlighted."""
        first_new = self.shown
        self._next_page()
        self.query_one("#search-results", OptionList).highlighted = first_new

    def _show_detail(self, service_id: str | None) -> None:
        detail = self.query_one("#search-detail", VerticalScroll)
        detail.remove_children()
        service = self.conversation.knowledge.services.get(service_id or "")
        if service is None:
            hint = Content(self.words(AdvocateMsg.SEARCH_PICK))
            detail.mount(Static(hint, classes="search-hint"))
            return
        conversation = self.conversation
        assessment = assess(service, conversation.facts, conversation.wording)
        working = service_reasoning(assessment, conversation)
        lines = Text()
        lines.append(f"{working.mark} {working.status}", style="bold")
        for line in (working.reasons, working.rule, working.decided_by):
            if line:
                lines.append(f"\n{line}")
        detail.mount(
            Static(lines, classes="search-working", markup=False),
            ServiceCard(service_view(conversation, assessment), self.words),
        )
        detail.scroll_home(animate=False)

    def action_refer(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.refer is None or results.highlighted is None:
            return
        option = results.get_option_at_index(results.highlighted)
        if option.id and option.id != MORE:
            self.refer(option.id)

    def action_close(self) -> None:
        self.dismiss(None)
