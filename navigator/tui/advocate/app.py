"""`AdvocateApp`: the resident app's machinery, with the advocate's screen and tools.

It is a `NavigatorApp`, so sessions, records (channel `advocate`, the site
from the settings), wiping between residents and the no-traceback error
handling are the resident app's own. What differs: the screen
(`AdvocateScreen`), the command palette (on, for jumping about; without
"Screenshot", which would write a resident's screen to disk), a summary
journal per conversation, and a service index built once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from textual.app import SystemCommand
from textual.screen import Screen

from navigator.engine.conversation import Conversation
from navigator.engine.referral import Scrubber
from navigator.engine.summary import SummaryJournal
from navigator.records.scrub import scrub as records_scrub
from navigator.tui.advocate.screen import AdvocateScreen
from navigator.tui.advocate.search import ServiceIndex
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText
from navigator.tui.app import AppConfig, NavigatorApp
from navigator.tui.screens.conversation import ConversationScreen
from navigator.tui.text import Msg

LEFT_OUT_OF_PALETTE = frozenset({"Screenshot"})
"""System commands advocates do not get: a screenshot would keep a resident's answers on disk."""


class AdvocateApp(NavigatorApp):
    """The drop-in session tool: one resident at a time, wiped by "Finish" or "New session"."""

    TITLE = "Navigator for advocates"
    ENABLE_COMMAND_PALETTE = True
    QUICK_EXIT = False

    def __init__(
        self,
        config: AppConfig,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        home: Path | None = None,
        scrub: Scrubber = records_scrub,
    ) -> None:
        self.journal: SummaryJournal | None = None
        self.scrub = scrub
        """What the engine scrubs referral notes with: the records' own, so a note
        leaves as clean as stored text is kept (issue 20)."""
        super().__init__(config)
        self.words = AdvocateText(config.knowledge, config.settings.language)
        self.text = self.words
        self.index = ServiceIndex(config.knowledge, config.settings.language)
        self.today = today
        self.home = home
        """Where the summary is offered to be saved (the home folder unless set, for tests)."""

    def _new_conversation(self) -> Conversation:
        conversation = super()._new_conversation()
        self.journal = SummaryJournal(conversation)
        return conversation

    def _conversation_screen(self, greeting: Iterable[Msg] = ()) -> ConversationScreen:
        assert self.journal is not None
        return AdvocateScreen(
            self.conversation,
            self.words,
            journal=self.journal,
            index=self.index,
            site=self.config.settings.site,
            matcher=self.matcher,
            options=self.screen_options(tuple(greeting)),
            today=self.today,
            home=self.home,
            clock=self.config.clock,
            scrub=self.scrub,
        )

    async def action_quit(self) -> None:
        """Ask first: leaving loses the session and the advocate's notes (kept in memory only)."""
        from navigator.tui.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        screen = self.screen
        notes = isinstance(screen, AdvocateScreen) and screen.notes_written
        question = self.words(
            AdvocateMsg.CONFIRM_QUIT_NOTES if notes else Msg.CONFIRM_QUIT_ADVOCATE
        )
        self.push_screen(ConfirmScreen(question, self.text), answered)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in LEFT_OUT_OF_PALETTE:
                yield command

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """No pictures of a resident's screen on disk."""
