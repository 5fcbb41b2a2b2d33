"""The resident app, and its locked-down kiosk variant.

`NavigatorApp` runs one conversation at a time on a `ConversationScreen`
and hands the engine's events to the records store through a relay that
opens the store in a thread after the first screen is drawn (the database
layer is the slowest import). Finishing, a timeout or a problem ends the
session and replaces the screen, so nothing of one person is left for the
next.

`KioskApp` is the same app with nothing a resident could use to leave it:
no inherited bindings (`inherit_bindings=False` drops Ctrl+Q and Ctrl+C),
no command palette (it offers Quit and Screenshot), no text selection or
clipboard, and `check_action` refuses quit, suspend and screenshot however
they are asked for. Staff leave with a key combination and the PIN. An
idle guard asks "Do you need more time?" and then wipes the session.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

import msgspec
from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType

from navigator.config import Settings
from navigator.engine.conversation import Conversation, Listener
from navigator.engine.events import Channel
from navigator.engine.followup import CodeBook
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.contextual import ContextualModel
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.language import LanguageDetector
from navigator.engine.understanding.loading import give_back_freed_memory
from navigator.engine.understanding.pipeline import Understanding
from navigator.engine.understanding.safety import MeaningLine
from navigator.kb import KnowledgeBase
from navigator.records.relay import RecordsRelay, SessionGate, WriterOpener, default_opener
from navigator.tui.background_matcher import BackgroundMatcher
from navigator.tui.screens.conversation import ConversationScreen, ScreenOptions
from navigator.tui.text import AppText, Msg
from navigator.tui.theme import HIGH_CONTRAST, THEMES, next_theme

if TYPE_CHECKING:
    from navigator.attempts import Attempts
    from navigator.tui.kiosk.idle import IdleGuard
    from navigator.tui.kiosk.pin import PinHash
    from navigator.tui.screens.idle_warning import IdleWarningScreen

Clock = Callable[[], float]

STAFF_EXIT_KEY = "ctrl+f12"
"""Opens the staff PIN prompt at a kiosk. Documented in docs/kiosk.md."""

IDLE_SWEEP_SECONDS = 1.0
BANNER_SECONDS = 365 * 24 * 3600.0
"""A preview's banner stays (a notification that never times out in practice)."""
STORE_CHECK_SECONDS = 5.0
BACKGROUND_DELAY_SECONDS = 0.3
RECORDS_OPEN_WAIT_SECONDS = 10.0
"""On leaving, how long to wait for a store still opening, so buffered events are kept."""
CODES_WAIT_SECONDS = 60.0
"""How long a follow-up code typed while the store opens waits for it (the screen stays
free meanwhile, saying "Looking up your code"), before the person is told it cannot be."""

UNATTENDED_CHANNELS: frozenset[Channel] = frozenset({"resident", "kiosk", "web"})
"""Where a fresh session may wait a long time for its person: its start is recorded only
when someone uses it (`SessionGate`). An advocate's session belongs to the advocate from
the moment it opens, so it is recorded at once."""

QUESTION_SECONDS = 30.0
"""Kiosk: how long "Start again?" and the like wait for an answer before it counts as "No"."""

QUICK_EXIT_SECONDS = 1.0
"""Escape twice within this long leaves the page quickly."""

INPUT_EVENTS = (
    events.Key,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)
"""What counts as the person still being there. Mouse movement alone does not."""


class AppConfig(msgspec.Struct, frozen=True):
    """Everything one run of the app needs, passed in (no global state)."""

    settings: Settings
    knowledge: KnowledgeBase
    channel: Channel = "resident"
    listeners: tuple[Listener, ...] = ()
    """Extra event listeners (tests use a list's `append`)."""
    record: bool = True
    """Open the records store. Tests that only watch events turn it off."""
    open_writer: WriterOpener = default_opener
    clock: Clock = time.monotonic
    """The idle guard's clock. Tests pass their own and call `sweep_idle(now)`."""
    idle: bool = False
    """Ask "Do you need more time?" and wipe idle sessions (kiosks)."""
    theme: str = HIGH_CONTRAST
    greeting: tuple[Msg, ...] = msgspec.field(default_factory=tuple)
    banner: str | None = None
    """Shown for as long as the app runs: a preview on a knowledge base with errors
    (`--allow-broken-knowledge`), for content staff, never for residents."""
    wall_clock: Callable[[], dt.datetime] = dt.datetime.now
    """The date and time, for "Open now" on the cards; tests pass their own."""
    keys_clock: Clock = time.monotonic
    """Times key presses (Escape twice to leave quickly); tests pass their own."""
    store_check_seconds: float = STORE_CHECK_SECONDS
    """How often a store that failed is tried again. Tests that call `check_store`
    themselves pass a long one, so the timer cannot win a race with the test."""
    background_delay_seconds: float = BACKGROUND_DELAY_SECONDS
    """How long after the first frame the slow set-up (records store, indexes, models)
    starts. A test of what the first screen alone imports passes a long one."""
    style_cache: Path | None = None
    """The folder where Textual's parsed CSS is kept between starts (`tui/style_cache.py`);
    None: parsed at every start. The commands pass the data folder's cache."""


class NavigatorApp(App[int], inherit_bindings=False):
    """The resident app: one conversation at a time, wiped when it ends."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        Path(__file__).with_name("app.tcss"),
        # Read with the app's own: a screen's CSS that is new to the stylesheet
        # makes Textual parse every source again when the screen is first shown.
        ConversationScreen.CSS_PATH,
    ]
    TITLE = "Navigator"
    ENABLE_COMMAND_PALETTE = False
    QUICK_EXIT: ClassVar[bool] = True
    """Escape twice leaves the page quickly (not for advocates: it would lose their notes)."""
    KIOSK: ClassVar[bool] = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.codes: CodeBook | None = None
        """Follow-up codes in the records, once they are open (`_open_codes`)."""
        self.text = AppText(config.knowledge, config.settings.language)
        model = EmbeddingModel(weights=config.settings.meaning_model)  # one copy, shared
        self.matcher = BackgroundMatcher(config.knowledge, model)
        contextual = ContextualModel(weights=config.settings.contextual_model)
        meaning = MeaningLine.for_knowledge(config.knowledge, model, contextual)
        meaning.wait_for_context = False  # the first moments are read without it, never wait
        self.detector = SafeguardingDetector.for_knowledge(config.knowledge, meaning=meaning)
        self.languages = LanguageDetector.for_knowledge(config.knowledge)
        self.understanding = Understanding(
            config.knowledge,
            topics=self.matcher,
            safeguarding=self.detector,
            languages=self.languages,
        )
        """Every conversation's free text goes through this one pipeline."""
        self.relay = RecordsRelay()
        self.record_event: Listener = self.relay.submit
        if config.channel in UNATTENDED_CHANNELS:
            self.record_event = SessionGate(self.relay.submit)
        self.conversation = self._new_conversation()
        self.idle_guard: IdleGuard | None = None
        if config.idle:
            from navigator.tui.kiosk.idle import IdleGuard  # kiosks only

            self.idle_guard = IdleGuard(
                timeout_seconds=config.settings.idle_timeout_seconds,
                warning_seconds=config.settings.idle_warning_seconds,
                now=config.clock(),
            )
        self._idle_warning: IdleWarningScreen | None = None
        for theme in THEMES:
            self.register_theme(theme)
        self._start_with_theme(config.theme)
        self._styles_restored = self._restore_styles()
        self._collector_paused = False
        """Whether `on_mount` paused the garbage collector (until `_resume_collector`)."""
        self._records_started = threading.Event()
        self._records_opened = threading.Event()
        self._records_lock = threading.Lock()
        self._last_store_problem: str | None = None
        self._last_escape: float | None = None

    def _start_with_theme(self, name: str) -> None:
        """Start in theme `name`, before any CSS is read, so no style is worked out twice.

        Setting `theme` runs Textual's watcher, which schedules a full re-parse
        and restyle of every CSS source for the first moment the app runs:
        needed when a running app changes theme, a tenth of the start when it
        has not styled anything yet. Before the first pass it is enough to give
        the stylesheet the theme's variables and the app its theme classes,
        which is what the watcher's restyle would produce. Textual sets up its
        colour filter for the default theme's darkness and ANSI use in
        `App.__init__`, so a theme that differs in either takes the watcher's path.
        """
        theme = self.get_theme(name)
        default = self.current_theme
        if theme is None or (theme.dark, theme.ansi) != (default.dark, default.ansi):
            self.theme = name
            return
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        self.update_classes(
            {
                **{old: False for old in self.classes if old.startswith("-theme-")},
                f"-theme-{theme.name}": True,
                "-dark-mode": theme.dark,
                "-light-mode": not theme.dark,
            },
            update=False,
        )

    def _restore_styles(self) -> frozenset[tuple[object, ...]]:
        """The CSS parsed by an earlier start, put back before any is read (the theme's
        variables are set by now; setting them again would empty Textual's cache)."""
        if self.config.style_cache is None:
            return frozenset()
        from navigator.tui.style_cache import restore

        return restore(self.stylesheet, self.config.style_cache)

    def _keep_styles(self) -> None:
        """After the first screen: keep what this start parsed, for the next start."""
        if self.config.style_cache is not None:
            from navigator.tui.style_cache import keep

            keep(self.stylesheet, self.config.style_cache, self._styles_restored)

    # --- Start and stop --------------------------------------------------------------

    def on_mount(self) -> None:
        self._pause_collector()
        self.push_screen(self._conversation_screen(self.config.greeting))
        if self.config.banner is not None:
            self.notify(
                self.config.banner, title="Preview", severity="error", timeout=BANNER_SECONDS
            )
        # Slow set-up waits until the first screen is ready for input: done in a thread
        # at once, it would compete with drawing that screen for the interpreter lock.
        self.call_after_refresh(
            self.set_timer, self.config.background_delay_seconds, self._after_first_screen
        )
        if self.idle_guard is not None:
            self.set_interval(IDLE_SWEEP_SECONDS, self._sweep_now)
        self.set_interval(self.config.store_check_seconds, self.check_store)

    def _pause_collector(self) -> None:
        """No garbage collection while the first screen is built and drawn.

        Building it makes thousands of long-lived objects (widgets, styles, strips) and
        little garbage, and the collector's passes over them were a tenth of the first
        screen's processor time (issue 12's start-up budget), as they were while
        importing (`commands.app.quick_start`). Back on in `_after_first_screen`, while
        the person reads the welcome, or when the app stops, whichever is first.
        """
        if gc.isenabled():
            gc.disable()
            self._collector_paused = True

    def _resume_collector(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()

    def _after_first_screen(self) -> None:
        self._resume_collector()
        self._keep_styles()
        self._build_matcher()
        if self.config.record:
            self._open_records()

    @work(thread=True, exit_on_error=False, group="matcher")
    def _build_matcher(self) -> None:
        """Build the crisis-sign and free-text indexes while the person reads the welcome."""
        try:
            self.detector.prepare()  # otherwise prepared on the first text checked
        finally:
            self.matcher.build()
            self.languages.warm_up()  # the language model, after the topics (~0.2 s)
            # Last: the meaning model (about a second) must not delay the two above. If
            # it cannot load, it says so once in the log and the sign line works alone.
            self.detector.prepare_meaning(context=False)
            # The topics' meaning (a second or so of embedding on every core) waits for the
            # records store to open: the store must never lose a session to it.
            if self.config.record:
                self._records_opened.wait(RECORDS_OPEN_WAIT_SECONDS)
            self.matcher.prepare_meaning()  # the lexical index answers until this is done
            # What embedding the examples freed (the tokenizer's batches: about 10 MB) goes
            # back before the contextual model's load, the process's peak, is added on top.
            give_back_freed_memory()
            # Then the contextual model's view of the crisis examples (a second from its
            # disk cache, a minute or more the first time): the other views answer until then.
            self.detector.prepare_meaning()

    def _open_records(self) -> None:
        if not self._records_started.is_set():
            self._records_started.set()
            self._open_records_in_thread()

    @work(thread=True, exit_on_error=False, group="records")
    def _open_records_in_thread(self) -> None:
        """Open the store off the interface thread: SQLAlchemy's import alone takes ~300 ms."""
        self._open_records_once()

    def _open_records_once(self) -> None:
        """Open the store unless it is open (or has failed) already; one opener at a time
        (the first thread, and a retry `check_store` starts)."""
        with self._records_lock:
            if not self._records_opened.is_set():
                self._open_records_now()

    def _open_records_now(self) -> None:
        try:
            writer = self.config.open_writer(self.config.settings)
        except Exception as problem:  # a broken store must not stop residents being helped
            self.relay.fail(f"the records store could not be opened: {problem}")
            self.log.error(self.relay.problem)
        else:
            self.relay.attach(writer)
            self._open_codes()
        finally:
            self._records_opened.set()

    def _open_codes(self) -> None:
        """Follow-up codes are looked up in the main database the writer copies to."""
        from navigator.records.followup import RecordedCodes

        self.codes = RecordedCodes(self.config.settings.resolved_database_url)

    def followup_codes(self) -> CodeBook | None:
        """Where follow-up codes are looked up, now: None while records are off, still
        opening or cannot open. It never waits: the screen asks `followup_codes_ready`
        for a code typed before the store is open (the first seconds of a kiosk or a
        browser page), and says "Looking up your code" meanwhile."""
        if self.codes is None and self.config.record:
            self._open_records()  # asked before the first screen's delay: start opening now
        return self.codes

    async def followup_codes_ready(self) -> CodeBook | None:
        """The follow-up codes once the store has opened (None if it cannot, or takes
        longer than `CODES_WAIT_SECONDS`), waited for in a thread so the event loop,
        and with it the screen, the keys and the idle guard, carries on meanwhile."""
        if not self.config.record:
            return None
        self._open_records()
        await asyncio.to_thread(self._records_opened.wait, CODES_WAIT_SECONDS)
        return self.codes

    def check_store(self) -> None:
        """Show staff a small marker while records cannot be saved (residents carry on).

        If the store could not be opened, try again: the relay has kept the
        events, and a store that comes back receives them all.
        """
        if self.relay.waiting_for_store and self._records_opened.is_set():
            self._records_opened.clear()
            self._open_records_in_thread()
        problem = self.relay.store_problem()
        if problem is not None and problem != self._last_store_problem:
            self.log.warning(f"records store problem: {problem}")
        self._last_store_problem = problem
        for screen in self.screen_stack:
            if isinstance(screen, ConversationScreen):
                screen.show_store_problem(problem is not None)

    def on_unmount(self) -> None:
        self._resume_collector()  # stopped before the first screen's delay was over
        self._end_session(timed_out=False)
        if self.config.record:
            self._records_opened.wait(RECORDS_OPEN_WAIT_SECONDS)
            if not self._records_started.is_set() or self.relay.waiting_for_store:
                # Leaving before the store opened, or after it failed to: one more try
                # here, so the events the relay kept reach the outbox.
                self._records_started.set()
                self._open_records_now()
        self.relay.close()

    def _new_conversation(self) -> Conversation:
        config = self.config
        return Conversation(
            config.knowledge,
            channel=config.channel,
            site=config.settings.site,
            language=config.settings.language,
            language_order=config.settings.language_order,
            listeners=[self.record_event, *config.listeners],
            understanding=self.understanding,
        )

    def _conversation_screen(self, greeting: Iterable[Msg] = ()) -> ConversationScreen:
        return ConversationScreen(
            self.conversation,
            self.text,
            matcher=self.matcher,
            options=self.screen_options(tuple(greeting)),
        )

    def screen_options(self, greeting: tuple[Msg, ...]) -> ScreenOptions:
        return ScreenOptions(
            print_command=self.config.settings.print_command,
            clipboard=True,
            greeting=greeting,
            now=self.config.wall_clock,
            codes=self.followup_codes,
            codes_ready=self.followup_codes_ready,
            second_digit_seconds=self.config.settings.second_digit_seconds,
            followup=self.config.record,
        )

    # --- Sessions --------------------------------------------------------------------

    def _end_session(self, *, timed_out: bool) -> None:
        conversation = self.conversation
        if conversation.ended is None:
            try:
                conversation.abandon(timed_out=timed_out)
            except Exception as problem:  # ending must always succeed for the next person
                self.log.error(f"ending the session failed: {problem!r}")

    def session_finished(self) -> None:
        """The conversation says it has finished: thank the person and wipe."""
        self.wipe(greeting=(Msg.FINISHED,))

    def finish_session(self, said: str | None = None) -> None:
        """The person chose "I have finished"."""
        try:
            self.conversation.finish()
        except Exception as problem:
            self.log.error(f"finishing the session failed: {problem!r}")
        self.wipe(greeting=(Msg.FINISHED,))

    def recover(self) -> None:
        """Something failed mid-conversation: say sorry and start a clean session."""
        self.wipe(greeting=(Msg.SORRY,), timed_out=False)

    def wipe(self, greeting: tuple[Msg, ...] = (), *, timed_out: bool = False) -> None:
        """End the session (if it has not ended), then replace every screen with a fresh one."""
        self._end_session(timed_out=timed_out)
        self.conversation = self._new_conversation()
        self.text = AppText(self.config.knowledge, self.conversation.language)  # the usual one
        self._idle_warning = None
        if self.theme != self.config.theme:  # the next person starts with the usual colours
            self.theme = self.config.theme
        if self.idle_guard is not None:
            self.idle_guard.disarm(self.config.clock())
        self._replace_screens(self._conversation_screen(greeting))

    def change_language(self, code: str) -> None:
        """Carry on this session in `code`: the conversation, then every word on screen.

        The screen is made again in the new language over the same conversation,
        so nothing the person answered is lost (the offer is on the first screen).
        """
        self.conversation.choose_language(code)
        self.language_changed()

    def language_changed(self) -> None:
        """The conversation's language changed (chosen, or written in): redraw in it."""
        language = self.conversation.language
        if language == self.text.language:
            return
        self.text = AppText(self.config.knowledge, language)
        self._replace_screens(self._conversation_screen())

    def quick_exit(self) -> None:
        """Leave this page quickly: wipe the session and clear the screen at once.

        Outside a kiosk the screen becomes a neutral page; a kiosk must not
        let anyone out of its lock-down, so there it is the welcome.
        """
        self.wipe()
        if not self.KIOSK:
            from navigator.tui.screens.neutral import NeutralScreen

            self.push_screen(NeutralScreen(self.text(Msg.NEUTRAL_PAGE)))

    def _replace_screens(self, screen: ConversationScreen) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # --- Idle ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if self.idle_guard is not None and isinstance(event, INPUT_EVENTS):
            self.idle_guard.touch(self.config.clock())
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded  # a key comes back here as it bubbles up
            and self._escaped_twice(event)
        ):
            self.quick_exit()
            return
        await super().on_event(event)

    def _escaped_twice(self, key: events.Key) -> bool:
        """Escape pressed twice in quick succession, wherever the keyboard is."""
        if not self.QUICK_EXIT or key.key != "escape":
            self._last_escape = None
            return False
        now = self.config.keys_clock()
        last, self._last_escape = self._last_escape, now
        if last is not None and now - last <= QUICK_EXIT_SECONDS:
            self._last_escape = None
            return True
        return False

    def _sweep_now(self) -> None:
        self.sweep_idle(self.config.clock())

    def answer_deadline(self) -> float | None:
        """When a yes-or-no question counts as "No" unanswered: at a kiosk only."""
        if self.idle_guard is None:
            return None
        return self.config.clock() + QUESTION_SECONDS

    def sweep_idle(self, now: float) -> None:
        """Act on the idle guard at `now`: warn, count down, wipe, or clear the warning.

        Yes-or-no questions left unanswered past their time are answered "No" first.
        """
        guard = self.idle_guard
        if guard is None:
            return
        from navigator.tui.screens.confirm import ConfirmScreen

        for screen in self.screen_stack:
            if isinstance(screen, ConfirmScreen) and screen.expired(now):
                screen.action_answer(False)
        state = guard.sweep(now)
        warning = self._idle_warning
        if state.phase == "active":
            if warning is not None and warning.is_current:
                warning.more_time()
            return
        if state.phase == "warning":
            if warning is None:
                from navigator.tui.screens.idle_warning import IdleWarningScreen

                self._idle_warning = IdleWarningScreen(self.text, state.seconds_left)
                self.push_screen(self._idle_warning, self._idle_answered)
            else:
                warning.seconds_left = state.seconds_left
            return
        self.wipe(greeting=(Msg.WIPED,), timed_out=True)

    def _idle_answered(self, more_time: bool | None) -> None:
        self._idle_warning = None
        if more_time and self.idle_guard is not None:
            self.idle_guard.touch(self.config.clock())

    # --- Look ------------------------------------------------------------------------

    def action_switch_colours(self) -> None:
        """Switch between the high-contrast and the calm theme (F5, "Change colours")."""
        self.theme = next_theme(self.theme)

    # --- Errors ----------------------------------------------------------------------

    def _print_error_renderables(self) -> None:
        """Never print a traceback (with its local variables) on a resident's screen.

        Textual prints unhandled errors with `show_locals=True`, which could
        show what a person typed. Unless NAVIGATOR_DEBUG is set, write the
        stack (no locals) to a crash log and print one plain line instead.
        """
        import os
        import sys

        if os.environ.get("NAVIGATOR_DEBUG"):
            super()._print_error_renderables()
            return
        self._exit_renderables.clear()
        error = self._exception
        if error is None:
            return
        log_path = self.config.settings.data_dir / "crash.log"
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with log_path.open("a", encoding="utf-8") as log:
                # The type and the stack only: an error's message can quote what a
                # resident typed, and a crash log outlives their session.
                log.write(f"{type(error).__module__}.{type(error).__qualname__}\n")
                log.write("".join(traceback.format_tb(error.__traceback__)) + "\n")
            where = f" Details are in {log_path}."
        except OSError:
            where = ""
        print(f"navigator: the app stopped after an unexpected problem.{where}", file=sys.stderr)


class KioskApp(NavigatorApp, inherit_bindings=False):
    """The resident app locked down for a public kiosk. Staff leave with a key and the PIN."""

    ALLOW_SELECT = False
    KIOSK: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(STAFF_EXIT_KEY, "staff_exit", show=False, priority=True, system=True),
    ]
    BLOCKED_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {
            "quit",
            "help_quit",
            "command_palette",
            "screenshot",
            "suspend_process",
            "change_theme",
            "show_keys",
            "hide_keys",
            "copy_text",
            "copy",
            "cut",
            "paste",
            "maximize",
            "minimize",
        }
    )
    """Actions a kiosk refuses whoever asks: leaving, pictures of the screen, the clipboard."""

    def __init__(
        self, config: AppConfig, pin_hash: PinHash, attempts: Attempts | None = None
    ) -> None:
        """`attempts`: where wrong PINs are counted (by default a file in the data folder)."""
        super().__init__(config)
        self.pin_hash = pin_hash
        self.staff_exited = False
        if attempts is None:
            from navigator.attempts import Attempts
            from navigator.tui.kiosk.pin import attempts_path

            attempts = Attempts(attempts_path(config.settings.data_dir))
        self.attempts = attempts

    def screen_options(self, greeting: tuple[Msg, ...]) -> ScreenOptions:
        return ScreenOptions(
            print_command=self.config.settings.print_command,
            clipboard=False,
            greeting=greeting,
            kiosk=True,
            now=self.config.wall_clock,
            codes=self.followup_codes,
            codes_ready=self.followup_codes_ready,
            second_digit_seconds=self.config.settings.second_digit_seconds,
            followup=self.config.record,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.BLOCKED_ACTIONS:
            return False
        return super().check_action(action, parameters)

    async def action_quit(self) -> None:
        """Quitting is for staff, through the PIN prompt."""

    def action_suspend_process(self) -> None:
        """A kiosk never suspends (Ctrl+Z)."""

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """No pictures of a resident's screen."""

    def action_command_palette(self) -> None:
        """No command palette at a kiosk."""

    def action_staff_exit(self) -> None:
        from navigator.tui.screens.staff_exit import StaffExitScreen

        if isinstance(self.screen, StaffExitScreen):
            return

        def answered(right: bool | None) -> None:
            if right:
                self.staff_exited = True
                self.exit(0)

        self.push_screen(StaffExitScreen(self.pin_hash, self.text, self.attempts), answered)
