"""\"Did you get help?\": follow-up codes, and the three questions asked when a person comes back.

A list of services is where most front doors stop; what matters to the person
(and to whoever funds the services) is whether help came. Navigator never
knows who anyone is, so it cannot ask them later. Instead the take-away
carries a short random code. Weeks later, at any kiosk, in the browser or in
plain chat, the person types it and answers three questions: did you contact
the service, did you get help, and if not, why not. The answer joins the
anonymous pathway that printed the code, and nothing else.

The code is random, not derived from anything about the person or the
session, and easy to read aloud and type: four letters and four digits
(`KPTW-3749`) from an alphabet without look-alikes (no O/0, I/1/L, S/5, B/8,
Z/2, G/6). Only its SHA-256 hash is recorded; it expires after eight weeks
and answers once. Four letters then four digits never reads as a word, so a
front end can recognise a code typed anywhere without mistaking a sentence.

`FollowupFlow` is the questions as a small state machine, in the same style
as `Conversation`: front ends call `enter_code` and `choose`, render
`flow.view`, and the answer is emitted as a `FollowupAnswered` event of the
conversation it runs beside. Whether a code is known is asked of a
`CodeBook`, which the records layer implements; the engine never touches a
database. Every word comes from the knowledge base (`followup_*` messages).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from navigator.engine.events import FollowupAnswered, FollowupHelped
from navigator.engine.textnorm import normalise
from navigator.lazy_re import LazyPattern

if TYPE_CHECKING:
    from navigator.engine.conversation import Conversation

LETTERS = "ACDEFHJKMNPRTUVWXY"
DIGITS = "3479"
"""Digits no one reads as a letter (0/O, 1/I, 2/Z, 5/S, 6/G, 8/B are left out)."""
VALID_FOR = dt.timedelta(weeks=8)

_CODE = LazyPattern(rf"([{LETTERS}]{{4}})[\s-]?([{DIGITS}]{{4}})")
_TYPED = LazyPattern(r"\s*([A-Za-z]{4})[\s-]?([0-9]{4})\s*")
"""What a person types for a code: four letters and four digits, any case, a space or hyphen
between. Checked against the alphabet afterwards, so a mistyped code is still recognised as
an attempt (and told kindly that it is unknown) rather than read as a topic."""

REASONS = (
    "no_answer",
    "not_eligible",
    "waiting_list",
    "too_hard",
    "not_right",
    "sorted_elsewhere",
    "not_needed",
    "other",
)
"""Why a person did not get help, as stored ids; the words are `followup_reason_<id>`."""

CodeStatus = Literal["open", "unknown", "expired", "answered"]
Step = Literal["code", "contacted", "helped", "why", "finished"]

MESSAGES = (
    "followup_code_line",
    "followup_code_short",
    "followup_start_words",
    "followup_welcome_note",
    "followup_looking_up",
    "followup_cannot_look_up",
    "followup_title",
    "followup_ask_code",
    "followup_code_unknown",
    "followup_code_used",
    "followup_ask_contacted",
    "followup_ask_helped",
    "followup_ask_why",
    "followup_yes",
    "followup_no",
    "followup_partly",
    "followup_thanks",
    "followup_carry_on",
    *(f"followup_reason_{reason}" for reason in REASONS),
)
"""Every message key this module looks up; a test checks the demo knowledge base has each."""


class CodeBook(Protocol):
    """Where codes are looked up: the records layer, or a dictionary in tests of the engine."""

    def status(self, code_hash: str, now: dt.datetime) -> CodeStatus:
        """`open` for a known code, not expired and not yet answered."""
        ...


def new_code() -> str:
    """A fresh code such as `KPTW-3749`, from the operating system's random source."""
    letters = "".join(secrets.choice(LETTERS) for _ in range(4))
    digits = "".join(secrets.choice(DIGITS) for _ in range(4))
    return f"{letters}-{digits}"


def typed_code(text: str) -> str | None:
    """`text` as a code (`KPTW-3749`) if it is shaped like one, whatever the case; else None."""
    match = _TYPED.fullmatch(text)
    if match is None:
        return None
    return f"{match.group(1).upper()}-{match.group(2)}"


def code_hash(code: str) -> str:
    """The hash stored for a code: SHA-256 of its canonical form (`KPTW3749`)."""
    canonical = re.sub(r"[^A-Z0-9]", "", code.upper())
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def is_valid(code: str) -> bool:
    """True when `code` could have been issued (right alphabet), so it is worth looking up."""
    return _CODE.fullmatch(code) is not None


START_WORDS_AT_MOST = 6
"""A sentence longer than this is read by the conversation as usual (safeguarding first),
even if it says "been here before": it may say much more than that."""


def asks_to_follow_up(text: str, start_words: str) -> bool:
    """True when `text` is a short "I have been here before" (`followup_start_words`)."""
    said = normalise(text)
    if len(said.split()) > START_WORDS_AT_MOST:
        return False
    phrases = (normalise(phrase) for phrase in start_words.split(","))
    return any(phrase and phrase in said for phrase in phrases)


def wants_follow_up(conversation: Conversation, text: str) -> bool:
    """True when what was typed is a follow-up code, or asks to give one."""
    words = conversation.wording.message("followup_start_words")
    return typed_code(text) is not None or asks_to_follow_up(text, words)


@dataclass(frozen=True)
class FollowupChoice:
    number: int
    key: str
    label: str


@dataclass(frozen=True)
class FollowupView:
    """What to show: a title, one line of text (the question or the result), and choices."""

    step: Step
    title: str
    text: str
    choices: tuple[FollowupChoice, ...] = ()

    def choice(self, number: int) -> FollowupChoice | None:
        return next((c for c in self.choices if c.number == number), None)


class FollowupFlow:
    """The follow-up questions, run beside a `Conversation` whose events carry the answer."""

    def __init__(self, conversation: Conversation, codes: CodeBook) -> None:
        self.conversation = conversation
        self._codes = codes
        self._say = conversation.wording.message
        self._hash = ""
        self._contacted = False
        self._helped: FollowupHelped | None = None
        self.view = self._question("code", "followup_ask_code")

    @property
    def finished(self) -> bool:
        return self.view.step == "finished"

    def enter_code(self, text: str) -> FollowupView:
        """Check a typed code; an unknown, expired or used one ends the flow with kind words."""
        code = typed_code(text)
        status: CodeStatus = "unknown"
        if code is not None and is_valid(code):
            self._hash = code_hash(code)
            status = self._codes.status(self._hash, self.conversation.now())
        if status == "open":
            self.view = self._yes_no("contacted", "followup_ask_contacted")
        else:
            key = "followup_code_used" if status == "answered" else "followup_code_unknown"
            self.view = self._question("finished", key)
        return self.view

    def choose(self, number: int) -> FollowupView:
        """Answer the question on screen by its number; a number not offered changes nothing."""
        picked = self.view.choice(number)
        if picked is None:
            return self.view
        if self.view.step == "contacted":
            self._contacted = picked.key == "yes"
            if self._contacted:
                self.view = self._helped_question()
            else:
                self.view = self._why()
        elif self.view.step == "helped":
            self._helped = (
                "yes" if picked.key == "yes" else "partly" if picked.key == "partly" else "no"
            )
            self.view = self._done(None) if self._helped == "yes" else self._why()
        elif self.view.step == "why":
            self.view = self._done(picked.key)
        return self.view

    def _done(self, reason: str | None) -> FollowupView:
        self.conversation.note(
            FollowupAnswered,
            code_hash=self._hash,
            contacted=self._contacted,
            helped=self._helped,
            reason=reason,
        )
        return self._question("finished", "followup_thanks")

    def _question(
        self, step: Step, key: str, choices: tuple[FollowupChoice, ...] = ()
    ) -> FollowupView:
        return FollowupView(step, self._say("followup_title"), self._say(key), choices)

    def _yes_no(self, step: Step, key: str) -> FollowupView:
        return self._question(
            step, key, self._choices(("yes", "followup_yes"), ("no", "followup_no"))
        )

    def _helped_question(self) -> FollowupView:
        keys = (("yes", "followup_yes"), ("partly", "followup_partly"), ("no", "followup_no"))
        return self._question("helped", "followup_ask_helped", self._choices(*keys))

    def _why(self) -> FollowupView:
        keys = tuple((reason, f"followup_reason_{reason}") for reason in REASONS)
        return self._question("why", "followup_ask_why", self._choices(*keys))

    def _choices(self, *keys: tuple[str, str]) -> tuple[FollowupChoice, ...]:
        return tuple(
            FollowupChoice(number, key, self._say(message))
            for number, (key, message) in enumerate(keys, start=1)
        )


def code_line(conversation: Conversation, *, short: bool = False) -> str:
    """The take-away's line with this session's code, issuing the code the first time."""
    code, expires = conversation.followup_code()
    key = "followup_code_short" if short else "followup_code_line"
    return conversation.wording.message(
        key, code=code, until=expires.strftime("%d %B %Y").lstrip("0")
    )
