"""The command palette (Ctrl+P) as an advocate's jump list: topics, earlier answers, tools.

Typing a few letters finds any topic to go to, any earlier question to go
back to, and every other answer an earlier question could have had ("Change
"How old are you?" to "65 or over""), which changes it and keeps the later
answers that still fit, so the results update at once. Textual's matcher
wants the letters in order; a rapidfuzz score catches typos it would miss,
ranked below its own matches.

Providers read the screen they were opened from (`PaletteHost`), so they
always list the current session's topics and answers and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz, utils
from textual.command import DiscoveryHit, Hit, Hits, Provider

from navigator.engine.conversation import Conversation
from navigator.tui.advocate.text import AdvocateMsg, AdvocateText

TYPO_SCORE = 75.0
"""Lowest rapidfuzz score (0-100) at which a command the matcher missed is still offered."""

TYPO_WEIGHT = 0.5
"""Typo matches rank below every in-order match (Textual's scores run from 0 to 1)."""


@runtime_checkable
class PaletteHost(Protocol):
    """What the providers need of the screen the palette was opened from."""

    conversation: Conversation
    words: AdvocateText

    def jump_to_topic(self, topic_id: str) -> None: ...

    def back_to_question(self, node_id: str) -> None: ...

    def change_answer_to(self, node_id: str, option_key: str) -> None: ...

    def run_tool(self, name: str) -> None: ...


@dataclass(frozen=True)
class Entry:
    """One command in the palette."""

    display: str
    run: Callable[[], object]
    help: str = ""


class _Commands(Provider):
    """Lists `entries()` when the box is empty; ranks them against what is typed."""

    def entries(self, host: PaletteHost) -> Iterable[Entry]:
        raise NotImplementedError

    def _entries(self) -> list[Entry]:
        host = self.screen
        if not isinstance(host, PaletteHost):
            return []
        return list(self.entries(host))

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry.display, entry.run, help=entry.help or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        typed = utils.default_process(query)
        for entry in self._entries():
            score = matcher.match(entry.display)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(entry.display), entry.run, help=entry.help or None
                )
                continue
            typo = fuzz.partial_ratio(typed, utils.default_process(entry.display))
            if typed and typo >= TYPO_SCORE:
                yield Hit(
                    typo / 100 * TYPO_WEIGHT, entry.display, entry.run, help=entry.help or None
                )


class TopicsProvider(_Commands):
    """Go to any topic, keeping what we know (facts carry across topics)."""

    def entries(self, host: PaletteHost) -> Iterable[Entry]:
        words = host.words
        wording = host.conversation.wording
        for topic in host.conversation.knowledge.topics.values():
            yield Entry(
                words(AdvocateMsg.PALETTE_TOPIC, topic=wording.text(topic.title)),
                partial(host.jump_to_topic, topic.id),
                wording.text(topic.summary),
            )


class AnswersProvider(_Commands):
    """Go back to an earlier question, or change its answer straight to another option."""

    def entries(self, host: PaletteHost) -> Iterable[Entry]:
        words = host.words
        wording = host.conversation.wording
        for question, chosen in host.conversation.answers():
            asked = wording.text(question.text)
            yield Entry(
                words(AdvocateMsg.PALETTE_QUESTION, question=asked),
                partial(host.back_to_question, question.id),
                words(AdvocateMsg.PALETTE_QUESTION_HELP, answer=wording.text(chosen.label)),
            )
            for option in question.options:
                if option.key == chosen.key:
                    continue
                yield Entry(
                    words(
                        AdvocateMsg.PALETTE_CHANGE,
                        question=asked,
                        answer=wording.text(option.label),
                    ),
                    partial(host.change_answer_to, question.id, option.key),
                    words(AdvocateMsg.PALETTE_CHANGE_HELP),
                )


TOOLS: tuple[tuple[str, AdvocateMsg, AdvocateMsg], ...] = (
    ("find_service", AdvocateMsg.FIND_SERVICE, AdvocateMsg.PALETTE_FIND_HELP),
    ("record_unmet", AdvocateMsg.RECORD_UNMET, AdvocateMsg.PALETTE_UNMET_HELP),
    ("summary", AdvocateMsg.SUMMARY, AdvocateMsg.PALETTE_SUMMARY_HELP),
    ("notes", AdvocateMsg.NOTES, AdvocateMsg.PALETTE_NOTES_HELP),
    ("new_session", AdvocateMsg.NEW_SESSION, AdvocateMsg.PALETTE_NEW_SESSION_HELP),
    ("refer", AdvocateMsg.REFERRAL_HEADING, AdvocateMsg.PALETTE_REFER_HELP),
)


class ToolsProvider(_Commands):
    """The advocate's tools, for those who would rather type than remember F-keys."""

    def entries(self, host: PaletteHost) -> Iterable[Entry]:
        words = host.words
        for name, label, help_text in TOOLS:
            yield Entry(words(label), partial(host.run_tool, name), words(help_text))
