"""The advocate's screen: the resident's conversation, a side panel, and the advocate's tools.

`AdvocateScreen` is the resident app's `ConversationScreen` (same transcript,
quick replies, own-words box, cards, safeguarding, nav bar and keys) with
three additions:

- a side panel (`SidePanel`): the facts so far and, at a result, every
  service with the rule and fact that placed it, redrawn after every move;
  and a private notes tab that lives and dies with this screen;
- a second bar of tools, docked at the top: find a service (F7), record an
  unmet need (F8), the summary (F9), notes (F10) and the jump list (Ctrl+P);
- command palette providers for jumping to topics and earlier answers.

A new session replaces the whole screen (the app's `wipe`), so nothing of one
resident, notes included, is left for the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches

from navigator.engine import views as v
from navigator.engine.conversation import Conversation
from navigator.engine.explain import reasoning_now
from navigator.engine.matching import TopicMatcher
from navigator.engine.referral import Scrubber
from navigator.engine.replay import change_answer_to
from navigator.engine.summary import SummaryJournal, build_summary
from navigator.kb.model import Outcome, UnmetEnd
from navigator.tui.advocate.palette import AnswersProvider, ToolsProvider, TopicsProvider
from navigator.tui.advocate.panel import RecordedNeed, SidePanel, reasoning_text
from navigator.tui.advocate.referral_screen import ReferralScreen
from navigator.tui.advocate.search import ServiceIndex
from navigator.tui.advocate.search_screen import ServiceSearchScreen
from navigator.tui.advocate.session_timer import SessionTimer
from navigator.tui.advocate.summary_screen import SummaryScreen
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText
from navigator.tui.advocate.unmet_screen import UnmetChoice, UnmetNeedScreen
from navigator.tui.screens.conversation import ConversationScreen, ScreenOptions
from navigator.tui.text import Msg
from navigator.tui.widgets.nav_bar import NavBar, NavCommand

TOOL_COMMANDS: tuple[tuple[str, str, AdvocateMsg], ...] = (
    ("find_service", "f7", AdvocateMsg.FIND_SERVICE),
    ("record_unmet", "f8", AdvocateMsg.RECORD_UNMET),
    ("summary", "f9", AdvocateMsg.SUMMARY),
    ("notes", "f10", AdvocateMsg.NOTES),
    ("jump", "ctrl+p", AdvocateMsg.JUMP),
    ("new_session", "ctrl+n", AdvocateMsg.NEW_SESSION),
)
"""The tools bar: command name, key, label. Ctrl+P is the app's own palette binding."""

NARROW_WIDTH = 100
"""Narrower than this, the side panel gives way to the conversation (F10 brings it)."""

TALL_HEIGHT = 36
"""From this height the answers may take two thirds of the column, not half (`-tall`).

The demo's 25 topics need 20 rows in two columns at 120x40; at half the column
they hid behind a scrollbar while the conversation above kept rows it did not
use (issue 20). Below this height the conversation keeps its half.
"""

DEFAULT_REASON = "no_service"


class AdvocateBar(NavBar):
    """The tools bar: a `NavBar` of its own type, so styles can tell the two bars apart."""


class AdvocateScreen(ConversationScreen):
    """One resident's drop-in session. Replace the screen to start the next one."""

    # Both files: the resident screen's styles, then the advocate's layout over them. (A list
    # is a valid CSS_PATH; mypy infers the base class's as a single Path.)
    CSS_PATH = [ConversationScreen.CSS_PATH, Path(__file__).with_suffix(".tcss")]  # type: ignore[assignment]
    COMMANDS = {TopicsProvider, AnswersProvider, ToolsProvider}
    BINDINGS = [
        *(
            Binding(key, f"command('{name}')", show=False, priority=True)
            for name, key, _ in TOOL_COMMANDS
            if name != "jump"
        ),
        Binding("escape", "leave_panel", show=False),
        Binding("ctrl+r", "command('refer')", show=False, priority=True),
        Binding("f11", "command('help_now')", show=False, priority=True),
    ]
    HELP_NOW_KEY = "f11"
    """F10 is the notes here."""

    def __init__(
        self,
        conversation: Conversation,
        text: AdvocateText,
        *,
        journal: SummaryJournal,
        index: ServiceIndex,
        site: str,
        matcher: TopicMatcher | None = None,
        options: ScreenOptions | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        home: Path | None = None,
        clock: Callable[[], float] | None = None,
        scrub: Scrubber,
    ) -> None:
        super().__init__(conversation, text, matcher=matcher, options=options)
        self.clock = clock
        self.scrub = scrub
        """For referral notes: the app's scrubber, which the engine applies."""
        self.words = text
        self.journal = journal
        self.index = index
        self.site = site
        self.today = today
        self.home = home
        self.recorded: list[RecordedNeed] = []
        """Unmet needs recorded in this session, for the panel (ids and notes go to the engine)."""

    # --- Layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield AdvocateBar(
            [NavCommand(name, key, self.words(label)) for name, key, label in TOOL_COMMANDS],
            id="advocate-bar",
        )
        yield SidePanel(self.words, self.site, id="side")
        if self.clock is not None:
            yield SessionTimer(self.words, self.clock, id="session-timer")

    @property
    def side(self) -> SidePanel:
        return self.query_one("#side", SidePanel)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        self.set_class(event.size.height >= TALL_HEIGHT, "-tall")
        for timer in self.query(SessionTimer):
            timer.tick()

    def on_mount(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self.set_class(self.size.height >= TALL_HEIGHT, "-tall")

    # --- Keeping the panel in step ---------------------------------------------------

    def show(self, view: v.View, said: str | None = None) -> None:
        super().show(view, said)
        self.refresh_side()

    def act(
        self, move: Callable[[], v.View], said: str | None = None, *, quiet: bool = False
    ) -> None:
        super().act(move, said, quiet=quiet)
        if quiet:
            self.refresh_side()

    def refresh_side(self) -> None:
        """Redraw the facts and the working from the conversation as it stands."""
        try:
            side = self.side
        except NoMatches:  # the screen is being replaced for the next session
            return
        reasoning = reasoning_now(self.conversation)
        side.show_reasoning(reasoning_text(reasoning, self.recorded, self.words))

    # --- Commands --------------------------------------------------------------------

    def action_command(self, name: str) -> None:
        tools: dict[str, Callable[[], object]] = {
            "find_service": self.find_service,
            "record_unmet": self.record_unmet,
            "summary": self.show_summary,
            "notes": self.open_notes,
            "jump": self.app.action_command_palette,
            "new_session": self.new_session,
            "refer": self.refer,
        }
        tool = tools.get(name)
        if tool is not None:
            tool()
        else:
            super().action_command(name)

    def run_tool(self, name: str) -> None:
        """A tool chosen in the command palette."""
        self.action_command(name)

    def action_leave_panel(self) -> None:
        """Escape from the notes or the panel: back to the answers, the panel stays as it is."""
        if self.focused is not None and self.side in self.focused.ancestors_with_self:
            self.remove_class("-side-open")
            if self.replies.choices:
                self.replies.focus_first()
            elif self.own_words.display:
                self.own_words.input.focus()

    def open_notes(self) -> None:
        self.add_class("-side-open")
        self.side.open_tab("notes-tab")
        self.side.notes.focus()

    def new_session(self) -> None:
        """Next resident: after a yes, end this session and start a clean one.

        The app replaces this screen, and with it the transcript, the panel,
        the notes, the recorded needs and the summary's journal: nothing of
        this resident is kept for the next.
        """
        self._ask_first(
            AdvocateMsg.CONFIRM_NEXT_RESIDENT,  # type: ignore[arg-type]
            self.navigator_app.finish_session,
            always=True,
        )

    @property
    def notes_written(self) -> bool:
        """Whether the private notes hold anything (they are lost with the session)."""
        try:
            return bool(self.side.notes.text.strip())
        except NoMatches:
            return False

    def something_to_lose(self) -> bool:
        """Besides the resident's words: notes, recorded needs, services added to the summary."""
        return (
            super().something_to_lose()
            or self.notes_written
            or bool(self.recorded)
            or bool(self.journal.found())
        )

    # --- Jumping about (also offered by the command palette) -------------------------

    def jump_to_topic(self, topic_id: str) -> None:
        topic = self.conversation.knowledge.topics.get(topic_id)
        if topic is None:
            return
        label = self.conversation.wording.text(topic.title)
        self.act(lambda: self.conversation.switch_topic(topic_id, via="advocate"), label)

    def back_to_question(self, node_id: str) -> None:
        self.forget_drawn()  # the results will be drawn again when reached again
        self.act(lambda: self.conversation.change_answer(node_id), self.words(Msg.CHANGE_ANSWER))

    def change_answer_to(self, node_id: str, option_key: str) -> None:
        """Change an earlier answer and keep the later ones that fit: new results at once."""
        conversation = self.conversation
        for question, _ in conversation.answers():
            if question.id != node_id:
                continue
            option = next((o for o in question.options if o.key == option_key), None)
            if option is None:
                return
            wording = conversation.wording
            changed = self.words(
                AdvocateMsg.CHANGED,
                question=wording.text(question.text),
                answer=wording.text(option.label),
            )
            self.transcript.say("note", changed)
            self.forget_drawn()
            self.act(lambda: change_answer_to(conversation, node_id, option_key))
            return

    # --- Tools -----------------------------------------------------------------------

    def find_service(self) -> None:
        self.app.push_screen(
            ServiceSearchScreen(
                self.conversation, self.index, self.words, journal=self.journal, refer=self.refer
            )
        )

    def refer(self, service_id: str | None = None) -> None:
        """A warm referral (Ctrl+R): to `service_id` (from F7), else a service on screen."""
        services = self.conversation.knowledge.services
        if service_id is not None:
            chosen = [services[service_id]] if service_id in services else []
        else:
            view = self.conversation.view
            shown = list(view.services) if isinstance(view, v.OutcomeView) else []
            ids = dict.fromkeys(item.service_id for item in (*shown, *self.journal.found()))
            chosen = [services[i] for i in ids if i in services]
        screen = ReferralScreen(
            self.conversation,
            self.words,
            services=[service for service in chosen if service.referral is not None],
            chosen=service_id,
            settings=self.navigator_app.config.settings,
            today=self.today(),
            scrub=self.scrub,
        )
        self.app.push_screen(screen, self._referred)

    def _referred(self, sent: str | None) -> None:
        if sent:
            self.transcript.say("note", sent)

    def show_summary(self) -> None:
        today = self.today()
        summary = build_summary(
            self.conversation, self.journal, made_on=today, followup=self.options.followup
        )
        home = self.home if self.home is not None else Path.home()
        self.app.push_screen(
            SummaryScreen(
                summary,
                self.words,
                print_command=self.options.print_command,
                default_path=home / f"navigator-summary-{today.isoformat()}.md",
                settings=self.navigator_app.config.settings,
            )
        )

    def record_unmet(self) -> None:
        need_id, reason_id = self._likely_unmet()
        screen = UnmetNeedScreen(
            self.conversation.knowledge, self.words, need_id=need_id, reason_id=reason_id
        )
        self.app.push_screen(screen, self._record)

    def _likely_unmet(self) -> tuple[str, str]:
        """The need and reason to highlight: where the conversation stands, else the first."""
        knowledge = self.conversation.knowledge
        state = self.conversation.state
        node = knowledge.nodes.get(state.node_id or "")
        topic = knowledge.topics.get(state.topic_id or "")
        need = topic.need if topic is not None else next(iter(knowledge.needs), "")
        reason = DEFAULT_REASON
        if isinstance(node, UnmetEnd):
            need, reason = node.need, node.reason
        elif isinstance(node, Outcome):
            need = node.need or need
            view = self.conversation.view
            if isinstance(view, v.OutcomeView) and view.unmet_reason:
                reason = view.unmet_reason
        if reason not in knowledge.reasons:
            reason = next(iter(knowledge.reasons), "")
        return need, reason

    def _record(self, choice: UnmetChoice | None) -> None:
        if choice is None:
            return
        knowledge = self.conversation.knowledge
        self.conversation.record_unmet(choice.need_id, choice.reason_id, choice.note or None)
        wording = self.conversation.wording
        need = knowledge.needs.get(choice.need_id)
        reason = knowledge.reasons.get(choice.reason_id)
        recorded = RecordedNeed(
            wording.text(need.title) if need else choice.need_id,
            wording.text(reason.title) if reason else choice.reason_id,
        )
        self.recorded.append(recorded)
        self.transcript.say(
            "note", self.words(AdvocateMsg.UNMET_SAVED, need=recorded.need, reason=recorded.reason)
        )
        self.refresh_side()
