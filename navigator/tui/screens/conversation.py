"""The conversation screen: transcript, answers, free text and the bar that never moves.

The screen drives one `Conversation` and draws its `view` after every move:
what Navigator says goes into the transcript, the view's choices become
numbered buttons, and free text goes to `Conversation.say`, which reads it
the way the engine reads everything (crisis signs first). The safeguarding
interrupt is pushed as a full screen over everything else.

Nothing here stores anything: the engine emits events to the app's
listeners. Ending or wiping a session replaces this whole screen, so no
widget of one person's conversation survives into the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import msgspec
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from navigator.engine import views as v
from navigator.engine.consent import (
    NO_NUMBER,
    YES_NUMBER,
    ConsentOffer,
    ContextField,
    about_someone_else,
    after_results,
)
from navigator.engine.conversation import Conversation
from navigator.engine.followup import CodeBook, FollowupFlow, code_line, typed_code, wants_follow_up
from navigator.engine.matching import TopicMatcher
from navigator.tui.text import AppText, Msg
from navigator.tui.widgets.language_offer import LanguageOffer
from navigator.tui.widgets.nav_bar import NavBar, NavCommand
from navigator.tui.widgets.own_words import OwnWords, OwnWordsInput, Suggestion
from navigator.tui.widgets.progress_line import ProgressLine
from navigator.tui.widgets.quick_replies import QuickReplies
from navigator.tui.widgets.transcript import ChatMessage, Transcript

if TYPE_CHECKING:
    from navigator.tui.app import NavigatorApp
    from navigator.tui.widgets.results import ResultsBlock

MIN_WIDTH = 40
MIN_HEIGHT = 14
SHORT_FROM = 30
"""Below this many lines the welcome keeps room for its title over the list of topics."""
"""Below this the screen asks to be made bigger rather than draw a muddle."""

SUGGEST_AFTER = 3
"""Letters typed before topic suggestions appear."""

SUGGESTION_SCORE = 35.0
"""Lowest matcher score (0-100) worth suggesting while someone types."""

CONSENT_MESSAGES: dict[ContextField, Msg] = {
    "postcode_district": Msg.CONSENT_DISTRICT,
    "age_band": Msg.CONSENT_AGE_BAND,
}
"""The question for each kind of consent offer (what may be kept is the engine's decision)."""

NAV_COMMANDS: tuple[tuple[str, str, Msg], ...] = (
    ("help", "f1", Msg.HELP),
    ("back", "f2", Msg.BACK),
    ("change_answer", "f3", Msg.CHANGE_ANSWER),
    ("start_again", "f4", Msg.START_AGAIN),
    ("colours", "f5", Msg.COLOURS),
    ("finish", "f6", Msg.FINISH),
)

QUIT = ("quit", "ctrl+q", Msg.QUIT)
"""On the bar outside a kiosk, so everyone can see how to leave (the app's own key)."""

TALK_TO_PERSON = "talk_to_person"
"""The key of "Talk to a person", added to the topics when nothing matched what was typed."""

HELP_NOW = ("help_now", "f10", Msg.HELP_NOW)
"""On the bar once a crisis panel has been shown: its contacts again, at any time."""


async def _no_codes_ready() -> CodeBook | None:
    return None


def _no_codes() -> CodeBook | None:
    return None


class ScreenOptions(msgspec.Struct, frozen=True):
    """How this screen behaves where it runs (a desktop, a kiosk, a browser)."""

    now: Callable[[], dt.datetime] = dt.datetime.now
    """The wall clock, for "Open now" on the cards (tests pass their own)."""
    print_command: str = "lp"
    clipboard: bool = True
    """False at a kiosk: copy and paste would carry one person's words to the next."""
    greeting: tuple[Msg, ...] = ()
    """Notes to show before the welcome, such as "your answers have been cleared"."""
    transcript_limit: int = 200
    kiosk: bool = False
    """At a kiosk: crisis screens add "ask a member of staff nearby"."""
    followup: bool = False
    """Records are kept, so the first screen says a follow-up code may be typed there."""
    second_digit_seconds: float | None = None
    """How long a lone first digit waits for a second on a long list (None: the widget's)."""
    codes: Callable[[], CodeBook | None] = _no_codes
    """Where follow-up codes are looked up, once the records are open (None until then,
    or when they cannot open: no code on the take-away). Never waits."""
    codes_ready: Callable[[], Awaitable[CodeBook | None]] = _no_codes_ready
    """The codes once the records have opened (None: they cannot), for a code typed
    before they have: awaited by a worker, so the screen is free meanwhile."""


class _Consent(msgspec.Struct):
    """A pending "can we keep this?" question, and whether it has been put to the person."""

    offer: ConsentOffer
    asked: bool = False


class _Shown(msgspec.Struct):
    """What the screen last drew, to add only what is new."""

    kind: str = ""
    node_id: str | None = None
    feedback: bool | None = None
    asked_consent: bool = False
    consent_queue: list[_Consent] = msgspec.field(default_factory=list)


class ConversationScreen(Screen[None]):
    """One person's conversation. Replace the screen to start the next person's."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = None
    HELP_NOW_KEY: ClassVar[str] = HELP_NOW[1]
    """The key for "Help now" (a subclass whose F10 does something else names another)."""
    BINDINGS = [
        *(
            Binding(key, f"command('{name}')", show=False, priority=True)
            for name, key, _ in (*NAV_COMMANDS, HELP_NOW)
        ),
        *(Binding(str(number), f"choose({number})", show=False) for number in range(10)),
        # Not priority: a list of answers taller than its space scrolls itself first.
        Binding("pageup", "page_transcript(-1)", show=False),
        Binding("pagedown", "page_transcript(1)", show=False),
    ]

    def __init__(
        self,
        conversation: Conversation,
        text: AppText,
        *,
        matcher: TopicMatcher | None = None,
        options: ScreenOptions | None = None,
    ) -> None:
        super().__init__()
        self.conversation = conversation
        self.text = text
        self.matcher = matcher
        self.options = options or ScreenOptions()
        self._shown = _Shown()
        self._told_shortened = False
        self._words_ahead = False
        """Words were typed while a choice was on its way: the next answers keep them."""
        self._crisis: v.SafeguardingView | None = None
        """The last crisis panel shown, for "Help now"."""
        safeguarding = conversation.knowledge.safeguarding
        kinds = safeguarding.kinds if safeguarding is not None else ()
        self._quick_exit_topics = frozenset(kind.id for kind in kinds)
        """Topics whose screens offer "Leave this page quickly": those a crisis kind shares."""
        self._resumed = False
        """Whether this screen has been shown before (see `_on_screen_resume`)."""

    # --- Layout ----------------------------------------------------------------------

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown for the first time: no second styling pass (runs before Textual's handler).

        Textual restyles a screen each time it is shown, in case styles changed while it
        was hidden; but this screen was styled, widget by widget, as it was mounted a
        moment ago, with its classes set in `compose` and the keyboard already on its
        answers. Done again, it was a fifth of the first screen's time (issue 12's
        start-up budget); `tests/tui/test_first_frame.py` checks the frame is the same.
        Shown again later (after a pop-up), it is restyled as Textual does.
        """
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def compose(self) -> ComposeResult:
        # The classes `show` and `_fit` will want, set before anything is styled: set
        # after, each one restyles the whole screen (30-60 ms on the first screen).
        self.set_class(isinstance(self.conversation.view, v.WelcomeView), "-welcome", update=False)
        self.set_class(self.app.size.height < SHORT_FROM, "-short", update=False)
        text = self.text
        yield ProgressLine(id="progress")
        with Vertical(id="main"):
            yield LanguageOffer(self._first_languages(), id="languages")
            yield Transcript(id="transcript", limit=self.options.transcript_limit)
            yield Static("", id="prompt")
            # Drawn with the first answers, so they are on screen (and can be pressed)
            # as soon as the screen is; `show` then only moves the keyboard to them.
            yield QuickReplies(
                self._first_choices(),
                second_digit_seconds=self.options.second_digit_seconds,
                id="replies",
            )
            yield OwnWords(
                label=text(Msg.OWN_WORDS_LABEL),
                placeholder=text(Msg.OWN_WORDS_PLACEHOLDER),
                send_label=text(Msg.SEND),
                suggestions_label=text(Msg.SUGGESTIONS),
                clipboard=self.options.clipboard,
                id="own-words",
            )
        commands = NAV_COMMANDS if self.options.kiosk else (*NAV_COMMANDS, QUIT)
        yield NavBar(
            [NavCommand(name, key, text(label)) for name, key, label in commands],
            id="nav",
        )

    def _first_languages(self) -> tuple[v.LanguageChoice, ...]:
        view = self.conversation.view
        return view.languages if isinstance(view, v.WelcomeView) else ()

    def on_language_offer_chosen(self, message: LanguageOffer.Chosen) -> None:
        message.stop()
        self.navigator_app.change_language(message.code)

    def _first_choices(self) -> tuple[v.Choice, ...]:
        view = self.conversation.view
        if isinstance(view, v.SafeguardingView | v.FinishedView):
            return ()  # `show` hands these over to their own screens
        return view.choices

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """At a kiosk, Ctrl+C's "copy" is off here too: the clipboard outlives the person."""
        if action == "copy_text" and not self.options.clipboard:
            return False
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        transcript = self.transcript
        for note in self.options.greeting:
            transcript.say("note", self.text(note))
        if self.options.followup:
            transcript.say("note", self.conversation.wording.message("followup_welcome_note"))
        self.show(self.conversation.view)
        self._fit(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self._compositor.size:
            # Already laid out at this size: Textual sends a screen a Resize for its own
            # first layout, and would lay every widget out again (issue 12's start-up).
            # Widgets that change still ask for their own layout; a new size goes on.
            event.prevent_default()
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        if too_small and not self.query("#too-small"):
            # Made when first needed: every widget on the first screen delays it.
            note = Static(Content(self.text(Msg.TOO_SMALL)), id="too-small")
            self.mount(note, after=self.query_one(ProgressLine))
        self.set_class(too_small, "-too-small")
        self.set_class(height < SHORT_FROM, "-short")

    def show_store_problem(self, shown: bool) -> None:
        """A one-line marker for staff while records cannot be saved (made when first needed)."""
        markers = self.query("#store-problem")
        if markers:
            markers.set(display=shown)
        elif shown and self.is_mounted:
            self.mount(Static(Content(self.text(Msg.STORE_PROBLEM)), id="store-problem"))

    @property
    def transcript(self) -> Transcript:
        return self.query_one("#transcript", Transcript)

    @property
    def replies(self) -> QuickReplies:
        return self.query_one("#replies", QuickReplies)

    @property
    def own_words(self) -> OwnWords:
        return self.query_one("#own-words", OwnWords)

    @property
    def navigator_app(self) -> NavigatorApp:
        from navigator.tui.app import NavigatorApp

        app = self.app
        assert isinstance(app, NavigatorApp)
        return app

    # --- Drawing a view --------------------------------------------------------------

    def show(self, view: v.View, said: str | None = None) -> None:
        """Draw `view`: what the person said, then what Navigator says, then the answers.

        Words that showed a crisis are not repeated on a public screen: the
        transcript says they are hidden instead.
        """
        if self.conversation.language != self.text.language:
            # Chosen by name or written in: the whole screen is made again in it.
            self.navigator_app.language_changed()
            return
        offer = self.query_one("#languages", LanguageOffer)
        offer.display = offer.display and isinstance(view, v.WelcomeView)
        self.set_class(isinstance(view, v.WelcomeView), "-welcome")
        if said and isinstance(view, v.SafeguardingView):
            self.transcript.say(
                "person", self.text(Msg.SAFEGUARDING_WORDS_HIDDEN), self.text(Msg.YOU)
            )
        elif said:
            self.transcript.say("person", said, self.text(Msg.YOU))
        if isinstance(view, v.SafeguardingView):
            self._show_safeguarding(view)
            return
        if isinstance(view, v.FinishedView):
            self.navigator_app.session_finished()
            return
        results_start = self._say_view(view)
        self._remember(view)
        self._queue_consent(view)
        self._offer(view)
        if results_start is not None:
            self.transcript.show_from(results_start)

    def _say_view(self, view: v.View) -> ChatMessage | None:
        """Say the view; the message that opens new results, if it brought some."""
        shown = self._shown
        say = self.transcript.say
        navigator = self.text(Msg.NAVIGATOR)
        if view.note:
            say("note", view.note)
        if isinstance(view, v.OutcomeView):
            same_outcome = shown.kind == "outcome" and shown.node_id == view.node_id
            start = None
            if not same_outcome:
                start = say("navigator", _lines(view.title, view.text), navigator)
                if view.services:
                    self.transcript.append(self._results(view.services, view.progress))
                else:
                    start = None
                if view.unmet_text:
                    say("note", view.unmet_text)
            if view.feedback_text and view.feedback != shown.feedback:
                say("navigator", view.feedback_text, navigator)
            return start
        if isinstance(view, v.UnmetView):
            start = say("navigator", _lines(view.title, view.text, view.kind_words), navigator)
            if view.services:
                self.transcript.append(self._results(view.services, view.progress))
                return start
            return None
        if isinstance(view, v.HelpView):
            say("navigator", _lines(view.title, view.text, view.help), navigator)
            say("note", self.text(Msg.HELP_KEYS))
            return None
        if isinstance(view, v.NoMatchView):
            # Not only the topics: somewhere to ask about anything, and a person. (In
            # another language the message already says staff can arrange an interpreter.)
            say("navigator", _lines(view.title, view.text), navigator)
            if not view.language:
                say("note", self.text(Msg.NO_MATCH_GENERAL))
            return None
        say("navigator", _lines(view.title, view.text), navigator)
        return None

    def _results(
        self, services: tuple[v.ServiceView, ...], progress: v.Progress | None
    ) -> ResultsBlock:
        # Imported when first needed, like the screens below: the first question
        # shows no results, and every module imported before it delays it.
        from navigator.tui.widgets.results import ResultsBlock

        return ResultsBlock(
            "",
            services,
            self.text,
            print_command=self.options.print_command,
            now=self.options.now(),
            topic=progress.topic_title if progress is not None else "",
            # Where records are kept, the page carries a code even while the store opens
            # (its issue waits in the relay); never a wait for the store here.
            followup=self._followup_line if self.options.followup else None,
            second_digit_seconds=self.options.second_digit_seconds,
        )

    def forget_drawn(self) -> None:
        """Forget which view was drawn last, so the next one is drawn in full.

        The screen adds only what is new, so arriving back at the outcome already
        on screen would add nothing. Call this before a move that may return to
        it with different results, such as a changed answer.
        """
        self._shown.kind = ""

    def _remember(self, view: v.View) -> None:
        shown = self._shown
        shown.kind, shown.node_id = view.kind, view.node_id
        shown.feedback = view.feedback if isinstance(view, v.OutcomeView) else None

    def _offer(self, view: v.View) -> None:
        """Show what the person can do now: a consent question, or the view's choices."""
        queue = self._shown.consent_queue
        own_words = self.own_words
        if queue:
            consent = queue[0]
            if not consent.asked:
                consent.asked = True
                offer = consent.offer
                key = CONSENT_MESSAGES[offer.field]
                if offer.field == "age_band" and about_someone_else(self.conversation.facts):
                    key = Msg.CONSENT_AGE_BAND_SOMEONE_ELSE  # their age group, not yours
                person = self.conversation.person_helped
                question = self.text(key, value=offer.value, person=person)
                self.transcript.say("navigator", question, self.text(Msg.NAVIGATOR))
            prompt = self.text(Msg.CONSENT_HEADING)
            choices: tuple[v.Choice, ...] = (
                v.Choice(YES_NUMBER, "consent_yes", self.text(Msg.CONSENT_YES)),
                v.Choice(NO_NUMBER, "consent_no", self.text(Msg.CONSENT_NO)),
            )
            own_words.display = False
        else:
            prompt, choices = view.prompt, view.choices
            own_words.display = view.own_words
            if isinstance(view, v.NoMatchView):
                talk = v.Choice(len(choices) + 1, TALK_TO_PERSON, self.text(Msg.TALK_TO_PERSON))
                choices = (*choices, talk)
        # Words typed ahead of these answers (in the burst that chose the last) are
        # for them: kept in the box, with the keyboard there to go on typing.
        keep_words = self._words_ahead and own_words.display
        self._words_ahead = False
        self.replies.show(choices, focus=bool(choices) and not keep_words)
        if self.replies.two_digits:
            prompt = _lines(prompt, self.text(Msg.TWO_DIGITS_HINT))
        self.query_one("#prompt", Static).update(Content(prompt))
        if not keep_words:
            own_words.clear()
        self._update_bars(view)
        if keep_words or (not choices and own_words.display):
            own_words.input.focus()

    def _update_bars(self, view: v.View) -> None:
        progress = view.progress
        if isinstance(view, v.OutcomeView | v.UnmetView) and progress is not None:
            words = self.text(Msg.PROGRESS_OUTCOME, topic=progress.topic_title)
        elif progress is not None:
            words = self.text(Msg.PROGRESS_STEP, topic=progress.topic_title, step=progress.step)
        else:
            words = self.text(Msg.PROGRESS_WELCOME)
        self.query_one(ProgressLine).words = f"{self.text(Msg.TITLE)} · {words}"
        nav = self.query_one("#nav", NavBar)
        nav.enable("back", view.can_go_back)
        nav.enable("change_answer", bool(self.conversation.answers()))
        sensitive = progress is not None and self._sensitive(progress.topic_id)
        self._offer_quick_exit(sensitive and self.navigator_app.QUICK_EXIT)

    def _sensitive(self, topic_id: str) -> bool:
        topic = self.conversation.knowledge.topics.get(topic_id)
        names = {topic_id, topic.need} if topic is not None else {topic_id}
        return bool(names & self._quick_exit_topics)

    def _offer_quick_exit(self, shown: bool) -> None:
        """Show "Leave this page quickly" on screens someone may need to hide fast."""
        rows = self.query("#quick-exit-row")
        if rows:
            rows.set(display=shown)
        elif shown:
            from textual.containers import Horizontal

            from navigator.tui.widgets.plain_button import PlainButton

            button = PlainButton(Content(self.text(Msg.QUICK_EXIT)), id="quick-exit")
            row = Horizontal(button, id="quick-exit-row")
            self.mount(row, after=self.query_one(ProgressLine))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "quick-exit":
            event.stop()
            self.navigator_app.quick_exit()

    def _show_safeguarding(self, view: v.SafeguardingView) -> None:
        def carried_on(_: bool | None) -> None:
            self.act(self.conversation.continue_after_safeguarding)
            self._keep_help_near(view)

        self._crisis_screen(view, carried_on)

    def _crisis_screen(
        self, view: v.SafeguardingView, done: Callable[[bool | None], None] | None = None
    ) -> None:
        from navigator.tui.screens.safeguarding import SafeguardingScreen

        screen = SafeguardingScreen(
            view,
            self.text,
            staff_nearby=self.options.kiosk,
            print_command=self.options.print_command,
            quick_exit=self.navigator_app.QUICK_EXIT,
        )
        self.app.push_screen(screen, done)

    def _keep_help_near(self, view: v.SafeguardingView) -> None:
        """After the panel: a line with the contacts, and "Help now" on the bar to see it again."""
        first = self._crisis is None
        self._crisis = view
        if not self.is_attached:
            return
        contacts = "; ".join(
            f"{contact.name} {contact.phone or contact.text_number or contact.website}".strip()
            for contact in view.contacts
        )
        key = self.HELP_NOW_KEY.upper()
        line = self.text(Msg.SAFEGUARDING_STILL_HERE, contacts=contacts, help_key=key)
        if self.options.kiosk:
            line = _lines(line, self.text(Msg.SAFEGUARDING_STAFF))
        self.transcript.say("note", line)
        if first:
            name, _, label = HELP_NOW
            command = NavCommand(name, self.HELP_NOW_KEY, self.text(label))
            self.query_one("#nav", NavBar).add(command)

    # --- Consent ---------------------------------------------------------------------

    def _queue_consent(self, view: v.View) -> None:
        """After the results, once per session: ask before keeping district or age band."""
        shown = self._shown
        if shown.asked_consent or not after_results(view):
            return
        shown.asked_consent = True
        shown.consent_queue.extend(_Consent(offer) for offer in self.conversation.consent_offers())

    def _answer_consent(self, choice: v.Choice) -> None:
        consent = self._shown.consent_queue.pop(0)
        self.transcript.say("person", choice.label, self.text(Msg.YOU))
        if choice.key == "consent_yes":
            self.act(lambda: self.conversation.keep(consent.offer), quiet=True)
        self.transcript.say("navigator", self.text(Msg.CONSENT_THANKS), self.text(Msg.NAVIGATOR))
        self._offer(self.conversation.view)

    # --- What the person does --------------------------------------------------------

    def act(
        self, move: Callable[[], v.View], said: str | None = None, *, quiet: bool = False
    ) -> None:
        """Make a move in the conversation and draw the result.

        An error in the engine must never reach the screen as a traceback:
        the person gets an apology and a clean start instead.
        """
        try:
            view = move()
        except Exception as problem:  # the engine failing must not show a traceback
            self.log.error(f"conversation move failed: {problem!r}")
            self.navigator_app.recover()
            return
        if not quiet:
            self.show(view, said)

    def on_quick_replies_chosen(self, message: QuickReplies.Chosen) -> None:
        message.stop()
        try:
            self._chosen(message.choice)
        finally:
            # Keys typed meanwhile wait in the list for this: they are pressed on what
            # the choice led to once it is drawn (or dropped, under a pop-up).
            self._words_ahead = False
            if self.is_attached:
                self.replies.settle()

    def _chosen(self, choice: v.Choice) -> None:
        if choice.key in {"consent_yes", "consent_no"} and self._shown.consent_queue:
            self._answer_consent(choice)
            return
        if choice.key == "finish":
            self.navigator_app.finish_session(said=choice.label)
            return
        if choice.key == "start_again":
            self.start_again()
            return
        if choice.key == TALK_TO_PERSON:
            self.act(self.conversation.talk_to_person, choice.label)
            return
        self.act(lambda: self.conversation.choose(choice.key), choice.label)

    def on_own_words_said(self, message: OwnWords.Said) -> None:
        message.stop()
        text = message.text
        if self._follow_up(text):
            return
        before = self.conversation.state
        self.act(lambda: self.conversation.say(text), text)
        if self.conversation.state is before and self.is_attached:
            self.transcript.say("note", self.conversation.view.prompt or self.text(Msg.KEYS_HINT))

    def _follow_up(self, text: str) -> bool:
        """A follow-up code (or "I have been here before"): ask "Did you get help?".

        Where records are kept but not yet open (a kiosk's or a browser page's first
        seconds), the code is kept and looked up once they are, with "Looking up your
        code" on screen meanwhile: the screen never waits for the database."""
        if not self.options.followup or not wants_follow_up(self.conversation, text):
            return False
        codes = self.options.codes()
        if codes is not None:
            self._open_follow_up(codes, text)
        else:
            self.transcript.say("note", self.conversation.wording.message("followup_looking_up"))
            self._follow_up_when_ready(text)
        return True

    @work(exclusive=True, group="followup", exit_on_error=False)
    async def _follow_up_when_ready(self, text: str) -> None:
        """Wait for the records, then ask about the code; a screen replaced meanwhile (the
        session wiped) cancels this worker, so a code never reaches the next person."""
        codes = await self.options.codes_ready()
        if codes is None:
            message = self.conversation.wording.message("followup_cannot_look_up")
            self.transcript.say("note", message)
            return
        self._open_follow_up(codes, text)

    def _open_follow_up(self, codes: CodeBook, text: str) -> None:
        from navigator.tui.screens.followup import FollowupScreen

        flow = FollowupFlow(self.conversation, codes)
        self.app.push_screen(FollowupScreen(flow, code=typed_code(text)))

    def _followup_line(self) -> str:
        return code_line(self.conversation)

    def on_own_words_empty(self, message: OwnWords.Empty) -> None:
        message.stop()
        self.transcript.say("note", self.text(Msg.NOTHING_TYPED))

    def on_own_words_typed(self, message: OwnWords.Typed) -> None:
        message.stop()
        self.own_words.suggestions = self._suggestions(message.text)

    def on_own_words_suggestion_chosen(self, message: OwnWords.SuggestionChosen) -> None:
        message.stop()
        topic_id = message.suggestion.key
        self.act(
            lambda: self.conversation.start_topic(topic_id, via="own_words"),
            message.suggestion.label,
        )

    def on_own_words_input_shortened(self, message: OwnWordsInput.Shortened) -> None:
        message.stop()
        if not self._told_shortened:
            self._told_shortened = True
            self.transcript.say(
                "note", self.text(Msg.TEXT_SHORTENED, limit=self.own_words.input.max_length)
            )

    def _suggestions(self, typed: str) -> tuple[Suggestion, ...]:
        if self.matcher is None or len(typed) < SUGGEST_AFTER:
            return ()
        try:
            ranked = self.matcher.rank(typed, limit=3)
        except Exception as problem:  # suggestions are a nicety: never fail typing for them
            self.log.error(f"suggestions failed: {problem!r}")
            return ()
        topics = self.conversation.knowledge.topics
        wording = self.conversation.wording
        return tuple(
            Suggestion(score.topic_id, wording.text(topics[score.topic_id].title))
            for score in ranked
            if score.score >= SUGGESTION_SCORE and score.topic_id in topics
        )

    def on_nav_bar_command(self, message: NavBar.Command) -> None:
        message.stop()
        self.action_command(message.name)

    def action_command(self, name: str) -> None:
        """A command from the bar or its key: help, back, change an answer, start again..."""
        conversation = self.conversation
        label = {n: self.text(m) for n, _, m in (*NAV_COMMANDS, HELP_NOW, QUIT)}.get(name, name)
        if name == "back":
            self._shown.consent_queue.clear()  # moving on: the question no longer applies
        if name == "help_now":
            if self._crisis is not None:
                self._crisis_screen(self._crisis)
        elif name == "help":
            self.act(conversation.show_help, label)
        elif name == "back" and conversation.can_go_back:
            self.forget_drawn()
            self.act(conversation.back, label)
        elif name == "change_answer":
            self.change_answer()
        elif name == "start_again":
            self._ask_first(Msg.CONFIRM_START_AGAIN, self.start_again)
        elif name == "colours":
            self.navigator_app.action_switch_colours()
        elif name == "finish":
            self._ask_first(Msg.CONFIRM_FINISH, lambda: self.navigator_app.finish_session(label))
        elif name == "quit":
            self.app.call_later(self.app.run_action, "app.quit")

    def something_to_lose(self) -> bool:
        """Whether clearing the screen now would lose something: here, words the person said."""
        return any(message.speaker == "person" for message in self.transcript.messages)

    def _ask_first(self, question: Msg, then: Callable[[], None], *, always: bool = False) -> None:
        """Ask before clearing what would be lost; with nothing to lose (unless `always`), do it."""
        if not always and not self.something_to_lose():
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        from navigator.tui.screens.confirm import ConfirmScreen

        deadline = self.navigator_app.answer_deadline()
        screen = ConfirmScreen(self.text(question), self.text, expires_at=deadline)
        self.app.push_screen(screen, answered)

    def action_page_transcript(self, pages: int) -> None:
        """PageUp and PageDown scroll the conversation wherever the keyboard is."""
        transcript = self.transcript
        if pages < 0:
            transcript.scroll_page_up(animate=False)
        else:
            transcript.scroll_page_down(animate=False)

    def action_choose(self, digit: int) -> None:
        """Number keys pick the answer with that number (two digits quickly for 10 and up)."""
        self.replies.press_digit(digit)

    def start_again(self) -> None:
        """Clear the answers and the transcript, and show the welcome: same session."""
        self._shown.consent_queue.clear()
        self.transcript.wipe()
        self._shown = _Shown()
        self.act(self.conversation.start_again)

    def change_answer(self) -> None:
        answers = self.conversation.answers()
        if not answers:
            return
        wording = self.conversation.wording
        choices = tuple(
            v.Choice(
                number,
                question.id,
                f"{wording.text(question.text)} - {wording.text(option.label)}",
            )
            for number, (question, option) in enumerate(answers, start=1)
        )

        def changed(node_id: str | None) -> None:
            if node_id is not None:
                self.forget_drawn()
                self._shown.consent_queue.clear()
                label = self.text(Msg.CHANGE_ANSWER)
                self.act(lambda: self.conversation.change_answer(node_id), label)

        from navigator.tui.screens.answers import AnswersScreen

        self.app.push_screen(
            AnswersScreen(
                self.text(Msg.CHANGE_ANSWER_HEADING),
                choices,
                self.text,
                second_digit_seconds=self.options.second_digit_seconds,
            ),
            changed,
        )

    def on_key(self, event: events.Key) -> None:
        """Typing a letter anywhere starts the free-text box, so no one types into nothing.

        Once the box holds words, digits go there too: text that arrives in
        one burst (dictation, an on-screen keyboard) comes before the keyboard
        has moved to the box, and "i am 67" must not answer question 6 and 7.
        Digits still waiting for a second one, or typed ahead of the next list,
        become words when a letter follows.
        """
        own_words = self.own_words
        character = event.character
        if (
            not event.is_printable
            or character is None
            or isinstance(self.focused, Input)
            or not own_words.display
        ):
            return
        box = own_words.input
        event.stop()
        event.prevent_default()
        if character.isdigit() and not box.value:
            # A number key, handled here and not by a binding so that it keeps
            # its place among the keys of a burst (bindings run later, in the app).
            self.replies.press_digit(int(character))
            return
        box.focus()
        self._words_ahead = self._words_ahead or self.replies.choosing
        box.insert_text_at_cursor(self.replies.take_words() + character)


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)
