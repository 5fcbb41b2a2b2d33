"""The services of an outcome as cards, with the take-away bar under them.

Added to the transcript when an outcome is reached, so the results sit in
the conversation where they were given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from navigator.engine.views import ServiceView
from navigator.tui.text import AppText
from navigator.tui.widgets._css import css_beside
from navigator.tui.widgets.service_card import ServiceCard
from navigator.tui.widgets.takeaway import TakeAway


class ResultsBlock(Vertical):
    """A heading, one card per service, then the take-away (when there are services)."""

    DEFAULT_CSS = css_beside(__file__)

    def __init__(
        self,
        heading: str,
        services: Sequence[ServiceView],
        text: AppText,
        *,
        print_command: str,
        takeaway: bool = True,
        now: dt.datetime | None = None,
        topic: str = "",
        followup: Callable[[], str] | None = None,
        second_digit_seconds: float | None = None,
    ) -> None:
        super().__init__(classes="results")
        self.second_digit_seconds = second_digit_seconds
        """For the list of services to choose a code from (the place's setting)."""
        self.heading = heading
        self.services = tuple(services)
        self.text = text
        self.print_command = print_command
        self.takeaway = takeaway
        self.now = now
        self.topic = topic
        self.followup = followup
        """What the results are for (the topic's title), for cards offered to everyone."""
        """When the results were given: cards say whether each service is open then."""

    def compose(self) -> ComposeResult:
        if self.heading:
            yield Static(Content(self.heading), classes="results-heading")
        for service in self.services:
            yield ServiceCard(service, self.text, now=self.now, topic=self.topic)
        if self.takeaway and self.services:
            yield TakeAway(
                self.services,
                self.text,
                print_command=self.print_command,
                followup=self.followup,
                second_digit_seconds=self.second_digit_seconds,
            )
