"""One person's conversation with Navigator: a small state machine over the knowledge base.

Front ends call actions (`choose`, `say`, `back`, ...) and then render
`conversation.view`. Listeners receive `navigator.engine.events` as they
happen; the engine itself never touches a database or a screen, so the kiosk,
the advocate's tool, the plain-text terminal and the tests all drive the same
conversation.

Free text is read in a fixed order, safest first: crisis signs, then
commands (back, help, ...), then the options of the current question, then
topics. A crisis sign is never missed because the text also looked like an
answer. At a question, words that are not an answer never drop the person
out of the topic: the question is asked again ("reask"), "Carry on" first.

A first message that leads to a topic ("my mum is 82 and keeps falling") is
kept while the topic runs, and answers the questions it already answers
(`navigator.engine.understanding.answers.prefill`); the view then says in one
line what was understood. Going back or changing an answer stops this: the
person is correcting us, so nothing more is filled in for them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from msgspec.structs import replace

from navigator.engine import views as v
from navigator.engine.commands import Command, parse_command
from navigator.engine.consent import (
    SOMEONE_ELSE,
    ConsentOffer,
    about_someone_else,
    consent_offers,
)
from navigator.engine.eligibility import Facts, ServiceAssessment, assess, unmet_reason_for
from navigator.engine.events import (
    AnswerGiven,
    Channel,
    ContextGiven,
    EndHow,
    Event,
    FeedbackGiven,
    FollowupCodeIssued,
    LanguageChosen,
    MeaningUnavailable,
    OutcomeShown,
    PersonAsked,
    ReferralSent,
    SafeguardingShown,
    ServiceResult,
    SessionEnded,
    SessionStarted,
    StartedAgain,
    TopicChosen,
    UnmetNeed,
    WentBack,
)
from navigator.engine.followup import VALID_FOR, code_hash, new_code
from navigator.engine.matching import TopicScore
from navigator.engine.render import render
from navigator.engine.state import Answer, Overlay, OverlayKind, State, frozen_facts
from navigator.engine.textnorm import normalise
from navigator.engine.understanding.answers import (
    AnswerWords,
    Understood,
    helping_self,
    prefill,
)
from navigator.engine.understanding.pipeline import SHORT_ANSWER_WORDS, Reading, Understanding
from navigator.engine.understanding.verdict import SafetyVerdict
from navigator.engine.wording import Wording
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.model import Info, Node, Option, Outcome, Question, Service, UnmetEnd
from navigator.kb.requirements import OTHER_LANGUAGE_REASON

Listener = Callable[[Event], None]
Clock = Callable[[], dt.datetime]
TopicVia = Literal["menu", "own_words", "advocate"]
PickVia = Literal["button", "own_words"]

MAX_TEXT = 1000
"""Longest free text read, in characters. Anything longer is cut, not refused."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def served_languages(knowledge: KnowledgeBase, order: Iterable[str] = ()) -> tuple[str, ...]:
    """English and every language the knowledge base is written in (`served: true`):
    first those named in `order` (a Welsh council's setting puts `cy` first), then the
    rest in the knowledge base's order."""
    served = ["en", *(code for code, language in knowledge.languages.items() if language.served)]
    first = [code for code in order if code in served]
    return (*dict.fromkeys(first), *(code for code in served if code not in first))


def clean_text(text: str) -> str:
    """Free text as the engine reads it: no control characters, single spaces, not too long."""
    kept = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char
        for char in text[: MAX_TEXT * 2]
        if unicodedata.category(char) not in {"Cf", "Cs", "Co"}
    )
    return " ".join(kept.split())[:MAX_TEXT]


__all__ = ["SHORT_ANSWER_WORDS", "Conversation", "clean_text", "served_languages"]


class Conversation:
    """A conversation with one person. Not thread-safe: one front end drives it."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        channel: Channel,
        site: str,
        language: str = "en",
        clock: Clock = utc_now,
        listeners: Iterable[Listener] = (),
        understanding: Understanding | None = None,
        session_id: str | None = None,
        as_of: dt.date | None = None,
        language_order: Iterable[str] = (),
    ) -> None:
        self.knowledge = knowledge
        self.channel: Channel = channel
        self.site = site
        self.language = language
        self.session_id = session_id or str(uuid.uuid4())
        self.wording = Wording(knowledge, language, as_of)
        self._clock = clock
        self._listeners = list(listeners)
        self.understanding = understanding or Understanding(knowledge)
        """How free text is read: every stage, in order (`understanding.pipeline`). A front
        end shares one among its conversations; None builds today's defaults."""
        self._languages_noted: set[str] = set()
        self._meaning_noted = False
        self.offered_languages = served_languages(knowledge, language_order)
        """The languages this conversation can be had in, in the order they are offered."""
        self._sequence = 0
        self._state = State()
        self._history: list[State] = []
        self._reached_outcome = False
        self._ended: EndHow | None = None
        self._view_cache: tuple[State, v.View] | None = None
        self._answer_words: AnswerWords | None = None
        self._understood: Understood | None = None
        """What the first message of this topic said, while it may still fill answers."""
        self._person_word = ""
        """The word the person used for whoever needs help ("mum"), kept in memory only."""
        self._followup: tuple[str, dt.datetime] | None = None
        """This session's follow-up code and when it expires, once a take-away shows it."""
        self.events: list[Event] = []
        """Every event emitted so far, in order (a session is short; tests read it)."""
        self._emit(
            SessionStarted,
            channel=channel,
            site=site,
            content_hash=knowledge.content_hash,
            language=language,
        )

    # --- Reading the conversation ------------------------------------------------------

    @property
    def state(self) -> State:
        """The current position: an immutable snapshot (compare it, keep it, never change it)."""
        return self._state

    @property
    def facts(self) -> Facts:
        return self._state.facts

    @property
    def ended(self) -> EndHow | None:
        """How the session ended, or None while it goes on."""
        return self._ended

    @property
    def reached_outcome(self) -> bool:
        """True once the person has seen an outcome or an unmet end."""
        return self._reached_outcome

    @property
    def depth(self) -> int:
        """How many moves "back" can undo."""
        return len(self._history)

    @property
    def can_go_back(self) -> bool:
        return bool(self._history) and self._ended is None

    @property
    def view(self) -> v.View:
        """What to show now. Cheap to call repeatedly: it is cached per state."""
        if self._view_cache is None or self._view_cache[0] is not self._state:
            self._view_cache = (self._state, render(self))
        return self._view_cache[1]

    def answers(self) -> tuple[tuple[Question, Option], ...]:
        """The questions answered in this topic and the option chosen, for a review screen."""
        pairs: list[tuple[Question, Option]] = []
        for answer in self._state.answers:
            node = self.knowledge.nodes.get(answer.node_id)
            if isinstance(node, Question):
                option = _option_by_key(node, answer.option_key)
                if option is not None:
                    pairs.append((node, option))
        return tuple(pairs)

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # --- Actions ---------------------------------------------------------------------

    @property
    def answer_words(self) -> AnswerWords:
        """The vocabulary as the answer parsers read it, in the session's language (built on
        first use, and again when the language changes: start-up time)."""
        if self._answer_words is None or self._answer_words.language != self.language:
            self._answer_words = self.understanding.answer_words(self.language)
        return self._answer_words

    def start_topic(
        self,
        topic_id: str,
        via: TopicVia = "menu",
        *,
        said: str = "",
        reading: Reading | None = None,
    ) -> v.View:
        """Begin a topic, keeping the facts already learnt (they are about the same person).

        `said` is the person's message that led here: questions it already answers
        are answered from it, and the view says what was understood. `reading`: the
        pipeline's reading of `said`, when it is at hand.
        """
        topic = self.knowledge.topics.get(topic_id)
        if topic is None or self._ended:
            return self.view
        self._understood = None
        if said:
            words = self.answer_words
            self._understood = (
                reading.understood
                if reading is not None and reading.text == said and reading.words is words
                else self.understanding.understand(said, words)
            )
        self._emit(TopicChosen, topic_id=topic.id, need_id=topic.need, via=via)
        self._move(
            State(place="node", topic_id=topic.id, node_id=topic.start, facts=self._state.facts),
            arrive=True,
        )
        return self.view

    def switch_topic(self, topic_id: str, via: TopicVia = "menu") -> v.View:
        """Leave this topic for another at any point; "back" returns here."""
        return self.start_topic(topic_id, via)

    def choose(self, number_or_key: int | str) -> v.View:
        """Pick one of the current view's choices by its number (from 1) or its key."""
        if self._ended:
            return self.view
        choice = self.view.choice(number_or_key)
        if choice is None:
            return self.view
        return self._pick(choice.key, via="button")

    def choose_language(self, code: str) -> v.View:
        """Carry on the whole session in `code` (one of `offered_languages`), and record it.

        Nothing already answered changes: only the words do. A language the
        knowledge base is not written in is ignored (its texts would all be English).
        """
        if self._ended or code not in self.offered_languages or code == self.language:
            return self.view
        self._switch_language(code)
        return self.view

    def _switch_language(self, code: str) -> None:
        self.language = code
        self.wording = Wording(self.knowledge, code, self.wording.as_of)
        self._view_cache = None
        self._emit(LanguageChosen, language=code)

    def _language_named(self, said: str) -> str | None:
        """The offered language `said` names ("Cymraeg", "cymraeg", "Welsh", "English")."""
        words = normalise(said)
        for code in self.offered_languages:
            language = self.knowledge.languages.get(code)
            english = self.knowledge.messages.get(f"engine_language_{code}")
            names: tuple[str, ...] = (language.own_name, language.name) if language else ()
            names += tuple(english.translations.values()) if english is not None else ()
            if words in {normalise(name) for name in names}:
                return code
        return None

    def say(self, text: str) -> v.View:
        """Free text: crisis signs first, then commands, then the options here, then topics."""
        if self._ended:
            return self.view
        said = clean_text(text)
        if not said:
            return self.view
        self._hear_person(said)
        overlay = self._state.overlay
        if overlay is not None and overlay.kind == "check_in":
            return self._say_at_check_in(overlay, said)
        node = self._node()
        # At the question on screen (nothing over it), a short answer is read as one.
        at = node if isinstance(node, Question) and overlay is None else None
        reading = self.understanding.read(said, at=at, words=self.answer_words)
        self._note_meaning_unavailable()
        if reading.safety is not None:
            return self._safety(reading.safety, reading)
        return self._read(said, reading)

    def _note_meaning_unavailable(self) -> None:
        """Once a session, when safeguarding's meaning line could not read the text because
        its model did not load: an event the records keep for the managers' Content tab."""
        if not self._meaning_noted and self.understanding.meaning_unavailable:
            self._meaning_noted = True
            self._emit(MeaningUnavailable)

    def _say_at_check_in(self, overlay: Overlay, said: str) -> v.View:
        """Words typed at the check-in: yes or no, more worrying words (the panel at once),
        or something else, read as a "no" followed by the new words."""
        picked = self._choice_from_text(said)
        if picked in {v.CHECK_IN_YES, v.CHECK_IN_NO}:
            return self._answer_check_in(overlay, picked == v.CHECK_IN_YES)
        reading = self.understanding.read(said)
        self._state = self._history.pop()
        if reading.safety is not None:
            return self._show_safeguarding(reading.safety.kind_id, _code(reading))
        if parse_command(said, self.knowledge.vocabulary, self.language) is Command.BACK:
            return self.view  # "back" closes the question, and goes no further
        return self._read(said, reading)

    def _read(
        self, said: str, reading: Reading | None = None, *, said_in: str | None = None
    ) -> v.View:
        """Free text that shows no crisis: commands, then the options here, then topics.

        `reading`: the pipeline's reading of `said`, safety already acted on (None for
        words read again after the check-in, whose safety was read when they were said).
        `said_in`: the language code those words were read in ("" for English), kept by the
        check-in, so a "no" does not detect their language a second time.
        """
        command = parse_command(said, self.knowledge.vocabulary, self.language)
        if command is not None:
            return self.command(command, via="own_words")
        picked = self._choice_from_text(said, reading)
        if picked is not None:
            return self._pick(picked, via="own_words")
        if v.as_number(said) is not None:
            return self.view  # a number that is not on the list: nothing to match
        named = self._language_named(said)
        if named is not None and len(self.offered_languages) > 1:
            return self.choose_language(named)
        return self._in_other_language(said, reading, said_in) or self._match_topic(said, reading)

    def command(self, command: Command, via: PickVia = "button") -> v.View:
        """A command given by key or word: back, start again, help, talk to a person, finish.

        `via` is `own_words` when the command was typed (it is recorded for "talk to a person").
        """
        if command is Command.BACK:
            return self.back()
        if command is Command.START_AGAIN:
            return self.start_again()
        if command is Command.HELP:
            return self.show_help()
        if command is Command.TALK_TO_PERSON:
            return self.talk_to_person(via)
        return self.finish()

    def back(self) -> v.View:
        """Undo the last move exactly: an answer and its facts, a topic chosen, or an overlay."""
        if not self.can_go_back:
            return self.view
        if self._state.overlay is None:
            self._understood = None  # undoing an answer: the person is correcting us
        before = self._state
        self._state = self._history.pop()
        after = self._state
        if (
            before.overlay is None
            and before.place == "node"
            and after.place == "node"
            and after.overlay is None
            and before.node_id is not None
            and after.node_id is not None
            and after.topic_id is not None
        ):
            self._emit(
                WentBack,
                topic_id=after.topic_id,
                from_node_id=before.node_id,
                to_node_id=after.node_id,
                move="back",
            )
        return self.view

    def dismiss(self) -> v.View:
        """Close whatever is shown over the conversation (help, a crisis message, a choice)."""
        if self._state.overlay is not None:
            return self.back()
        return self.view

    def continue_after_safeguarding(self) -> v.View:
        """After the crisis contacts, carry on from where the person was."""
        return self.dismiss()

    def change_answer(self, node_id: str) -> v.View:
        """Go back to an earlier question in this topic; the answers after it are dropped."""
        if self._ended:
            return self.view
        self._understood = None
        for index in range(len(self._history) - 1, -1, -1):
            earlier = self._history[index]
            if earlier.node_id == node_id and earlier.overlay is None and earlier.place == "node":
                before = self._state
                self._state = earlier
                del self._history[index:]
                if before.node_id is not None and earlier.topic_id is not None:
                    self._emit(
                        WentBack,
                        topic_id=earlier.topic_id,
                        from_node_id=before.node_id,
                        to_node_id=node_id,
                        move="change",
                    )
                break
        return self.view

    def start_again(self) -> v.View:
        """Clear the facts and history and show the welcome; the session goes on."""
        if self._ended:
            return self.view
        self._emit(StartedAgain, at_node_id=self._state.node_id)
        self._understood = None
        self._person_word = ""
        self._state = State()
        self._history.clear()
        return self.view

    def show_help(self) -> v.View:
        return self._overlay(Overlay(kind="help"))

    def talk_to_person(self, via: PickVia = "button") -> v.View:
        """Show how to reach a person, and record that this person wanted one (`PersonAsked`).

        Asking again while the answer is shown changes nothing: one request, one event, and
        one "carry on" back to where the person was.
        """
        state = self._state
        if self._ended or (state.overlay is not None and state.overlay.kind == "talk_to_person"):
            return self.view
        self._emit(PersonAsked, topic_id=state.topic_id, node_id=state.node_id, via=via)
        return self._overlay(Overlay(kind="talk_to_person"))

    def carry_on(self) -> v.View:
        """Go past an information page, or close what is shown over the conversation."""
        state = self._state
        if state.overlay is not None:
            return self.dismiss()
        node = self._node()
        if isinstance(node, Info) and not self._ended:
            self._move(
                replace(state, node_id=node.next, step=state.step + 1, feedback=None),
                arrive=True,
            )
        return self.view

    def feedback(self, helped: bool) -> v.View:
        """The answer to "Did this help?" at an outcome. "No" is an unmet need (`not_helpful`)."""
        node = self._node()
        state = self._state
        if self._ended or not isinstance(node, Outcome) or state.overlay is not None:
            return self.view
        self._emit(FeedbackGiven, node_id=node.id, helped=helped)
        if not helped:
            self._emit(
                UnmetNeed,
                need_id=self._need_of(node),
                reason="not_helpful",
                topic_id=state.topic_id,
                node_id=node.id,
            )
        self._move(replace(state, feedback=helped))
        return self.view

    def record_unmet(self, need_id: str, reason: str, note: str | None = None) -> None:
        """An advocate records a need the conversation could not show (with a note to scrub)."""
        if self._ended:
            return
        self._emit(
            UnmetNeed,
            need_id=need_id,
            reason=reason,
            topic_id=self._state.topic_id,
            node_id=self._state.node_id,
            text=clean_text(note) if note else None,
            recorded_by="advocate",
        )

    def record_referral(
        self, service_id: str, need_id: str | None, code: str, delivery: str
    ) -> None:
        """A warm referral went to a service (after delivery succeeded): ids and the reply
        code only, so the answer can later join this pathway without naming anyone."""
        if self._ended:
            return
        self._emit(
            ReferralSent,
            service_id=service_id,
            need_id=need_id,
            code=code,
            delivery=delivery,
            topic_id=self._state.topic_id,
            node_id=self._state.node_id,
        )

    def give_context(
        self,
        *,
        postcode_district: str | None = None,
        age_band: str | None = None,
        household: str | None = None,
    ) -> v.View:
        """Context the person agreed to share; district and age band also count as facts."""
        if self._ended:
            return self.view
        self._emit(
            ContextGiven,
            postcode_district=postcode_district,
            age_band=age_band,
            household=household,
        )
        learnt = {
            fact: value
            for fact, value in (("district", postcode_district), ("age_band", age_band))
            if value is not None and fact in self.knowledge.facts
        }
        if learnt:
            facts = frozen_facts({**self._state.facts, **learnt})
            self._move(replace(self._state, facts=facts))
        return self.view

    def consent_offers(self) -> tuple[ConsentOffer, ...]:
        """What the person may agree to let Navigator keep, from the facts learnt so far.

        Front ends ask about each offer after the results (`consent.after_results`)
        and call `keep` only on a clear yes.
        """
        return consent_offers(self._state.facts)

    def keep(self, offer: ConsentOffer) -> v.View:
        """The person said yes to `offer`: record exactly what they were asked about."""
        if offer.field == "age_band":
            return self.give_context(age_band=offer.value)
        return self.give_context(postcode_district=offer.value)

    def finish(self) -> v.View:
        """The person is done. Ending before any outcome counts as abandoned at that node."""
        return self._end("finished" if self._reached_outcome else "abandoned")

    def abandon(self, *, timed_out: bool = False) -> v.View:
        """The person left (end of input, closed the window) or the kiosk timed out."""
        if timed_out:
            return self._end("timed_out")
        return self._end("finished" if self._reached_outcome else "abandoned")

    # --- Inside ----------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The conversation's clock (a fake one in tests of expiry)."""
        return self._clock()

    def note(self, kind: type[Event], **fields: Any) -> None:
        """Emit an event of this session for a flow that runs beside it (the follow-up
        questions), numbered in order with the conversation's own events."""
        self._emit(kind, **fields)

    def followup_code(self) -> tuple[str, dt.datetime]:
        """This session's follow-up code and its expiry; the first call issues it.

        One code per session, whichever take-away asks first (print, QR, summary),
        so every copy the person holds carries the same code.
        """
        if self._followup is None:
            code, expires = new_code(), self._clock() + VALID_FOR
            self._emit(FollowupCodeIssued, code_hash=code_hash(code), expires_at=expires)
            self._followup = (code, expires)
        return self._followup

    def _emit(self, kind: type[Event], **fields: Any) -> None:
        event = kind(
            session_id=self.session_id, sequence=self._sequence, at=self._clock(), **fields
        )
        self._sequence += 1
        self.events.append(event)
        for listener in self._listeners:
            listener(event)

    def _node(self) -> Node | None:
        node_id = self._state.node_id
        return self.knowledge.nodes.get(node_id) if node_id is not None else None

    def _move(self, new: State, *, arrive: bool = False) -> None:
        """Go forward to `new`, remembering where we were; `arrive` announces a new node."""
        self._history.append(self._state)
        self._state = new
        if arrive:
            self._arrived()

    def _overlay(self, overlay: Overlay) -> v.View:
        if self._ended:
            return self.view
        self._move(replace(self._state, overlay=overlay))
        return self.view

    def _safety(self, verdict: SafetyVerdict, reading: Reading) -> v.View:
        """A crisis panel, or the check-in question when the meaning line is unsure.

        Without check-in wording in the knowledge base, unsure text shows the panel:
        a question not asked must never become a crisis missed. The check-in keeps the
        language the reading found, for the panel a "yes" opens (`_crisis_language`).
        """
        safeguarding = self.knowledge.safeguarding
        language = _code(reading)
        if verdict.line != "check-in" or safeguarding is None or safeguarding.check_in is None:
            return self._show_safeguarding(verdict.kind_id, language)
        return self._overlay(
            Overlay(
                kind="check_in", said=reading.text, crisis_kind=verdict.kind_id, language=language
            )
        )

    def _answer_check_in(self, overlay: Overlay, yes: bool) -> v.View:
        """Yes: the crisis contacts for that kind. No: carry on, reading what was said."""
        self._state = self._history.pop()  # the check-in closes; nothing else moved
        if yes:
            return self._show_safeguarding(overlay.crisis_kind, overlay.language)
        return self._read(overlay.said, said_in=overlay.language)

    def _show_safeguarding(self, crisis_kind: str, said_in: str) -> v.View:
        """The crisis panel for `crisis_kind`; `said_in` is the language the pipeline read
        the words in (its code; "" for English or unsure)."""
        self._emit(SafeguardingShown, crisis_kind=crisis_kind, node_id=self._state.node_id)
        language = self._crisis_language(said_in)
        return self._overlay(
            Overlay(kind="safeguarding", crisis_kind=crisis_kind, language=language)
        )

    def _crisis_language(self, said_in: str) -> str:
        """`said_in`, the language the crisis was said in, when the knowledge base has a
        crisis line in it (`languages.yaml`, `crisis`) and the conversation is not had in it:
        the panel's own words are in the conversation's language, so that line is shown
        before them. The language comes from the pipeline's reading (`Reading.language`),
        so a panel costs no second detection."""
        language = self.knowledge.languages.get(said_in) if said_in else None
        if language is None or language.id == self.language or not language.crisis:
            return ""
        return language.id

    def _end(self, how: EndHow) -> v.View:
        if self._ended:
            return self.view
        state = self._state
        self._emit(
            SessionEnded,
            how=how,
            last_node_id=state.node_id,
            reached_outcome=self._reached_outcome,
        )
        self._ended = how
        self._history.append(state)
        self._state = State(place="finished", topic_id=state.topic_id, node_id=state.node_id)
        return self.view

    def _arrived(self) -> None:
        """Emit what reaching the current node means: an outcome shown, an unmet need."""
        node = self._node()
        state = self._state
        if state.topic_id is None or node is None:
            return
        if isinstance(node, Outcome):
            self._reached_outcome = True
            assessments = self.assess_services(node.services)
            need = self._need_of(node)
            self._emit(
                OutcomeShown,
                topic_id=state.topic_id,
                need_id=need,
                node_id=node.id,
                results=tuple(
                    ServiceResult(
                        service_id=item.service_id,
                        fit=item.fit,
                        failed_rule=item.failed_fact if item.fit == "ineligible" else None,
                    )
                    for item in assessments
                ),
            )
            reason = unmet_reason_for(assessments)
            if reason is not None:
                self._emit(
                    UnmetNeed,
                    need_id=need,
                    reason=reason,
                    topic_id=state.topic_id,
                    node_id=node.id,
                )
        elif isinstance(node, UnmetEnd):
            self._reached_outcome = True
            self._emit(
                UnmetNeed,
                need_id=node.need,
                reason=node.reason,
                topic_id=state.topic_id,
                node_id=node.id,
            )
        elif isinstance(node, Question):
            self._prefill(node)

    def _prefill(self, node: Question) -> None:
        """Answer `node` from the first message, when it clearly already says the answer."""
        understood = self._understood
        state = self._state
        if understood is None or understood.empty or state.overlay is not None:
            return
        if any(answer.node_id == node.id for answer in state.answers):
            return  # a question met twice on one path is asked the second time
        words = self.answer_words
        key = prefill(node, understood, helping_self=helping_self(state.facts, words))
        option = _option_by_key(node, key) if key is not None else None
        if option is not None:
            self._answer(node, option, "own_words", understood=True)

    def assess_services(self, service_ids: Iterable[str]) -> tuple[ServiceAssessment, ...]:
        """How each of these services fits the facts learnt so far (unknown ids skipped)."""
        found: list[Service] = [
            self.knowledge.services[service_id]
            for service_id in service_ids
            if service_id in self.knowledge.services
        ]
        wording = self.wording
        person = self.person_helped
        if person:
            wording = wording.about(person, self._their_facts())
        return tuple(assess(service, self._state.facts, wording) for service in found)

    # --- Whom the answers are about ------------------------------------------------------

    @property
    def person_helped(self) -> str:
        """Who the help is for, when it is not the person typing: "your mum", else "".

        Their own word when they gave one the knowledge base can say back
        (`engine_person_<word>`), else `engine_person_helped` ("the person you are helping").
        """
        if not about_someone_else(self._state.facts):
            return ""
        key = f"engine_person_{self._person_word}"
        if self._person_word and self.wording.has_message(key):
            return self.wording.message(key)
        return self.wording.message("engine_person_helped")

    def _hear_person(self, said: str) -> None:
        """Remember the word for the person helped ("my mam" -> "mum"), the latest one said."""
        words = self.answer_words
        for word in normalise(said).split():
            possessive = [word[:-1]] if word.endswith("s") else []  # "my mums carer"
            for spelt in [word, *possessive, *sorted(words.spelt(word))]:
                if self.wording.has_message(f"engine_person_{spelt}"):
                    self._person_word = spelt
                    return

    def _their_facts(self) -> frozenset[str]:
        """Facts set by this topic's questions about the other person ("How old is the person...").

        A question that says "you" ("Do you look after someone?") is about the
        person typing, so its facts keep "you"; the fact saying who the help is
        for is about the speaker too.
        """
        their: set[str] = set()
        for answer in self._state.answers:
            node = self.knowledge.nodes.get(answer.node_id)
            if not isinstance(node, Question) or _says_you(self.wording.text(node.text)):
                continue
            option = _option_by_key(node, answer.option_key)
            their.update(option.set if option is not None else {})
        their.discard(SOMEONE_ELSE[0])
        return frozenset(their)

    def _need_of(self, node: Outcome | UnmetEnd) -> str | None:
        if node.need is not None:
            return node.need
        topic = self.knowledge.topics.get(self._state.topic_id or "")
        return topic.need if topic is not None else None

    def _pick(self, key: str, via: PickVia) -> v.View:
        """Act on the choice `key` of the current view."""
        state = self._state
        overlay = state.overlay
        if overlay is not None:
            return self._pick_in_overlay(overlay.kind, key, via)
        if state.place == "welcome":
            return self.start_topic(key, "own_words" if via == "own_words" else self._menu_via)
        node = self._node()
        if isinstance(node, Question):
            option = _option_by_key(node, key)
            return self._answer(node, option, via) if option is not None else self.view
        if isinstance(node, Info):
            return self.carry_on()
        return self._pick_action(key, via)

    @property
    def _menu_via(self) -> TopicVia:
        return "advocate" if self.channel == "advocate" else "menu"

    def _pick_in_overlay(self, kind: OverlayKind, key: str, via: PickVia) -> v.View:
        overlay = self._state.overlay
        if kind == "check_in" and overlay is not None and key in {v.CHECK_IN_YES, v.CHECK_IN_NO}:
            return self._answer_check_in(overlay, key == v.CHECK_IN_YES)
        if key == "carry_on":
            return self.dismiss()
        said = self._state.overlay.said if self._state.overlay else ""
        if kind == "reask":
            return self._pick_in_reask(key, said, via)
        if kind in {"choose_topic", "no_match", "other_language"} and key in self.knowledge.topics:
            topic_via: TopicVia = "own_words" if kind == "choose_topic" else self._menu_via
            return self.start_topic(key, topic_via, said=said if kind == "choose_topic" else "")
        if key == "none_of_these":
            return self._unmatched(said)
        return self._pick_action(key, via)

    def _pick_action(self, key: str, via: PickVia = "button") -> v.View:
        actions: Mapping[str, Callable[[], v.View]] = {
            "helped": lambda: self.feedback(True),
            "not_helped": lambda: self.feedback(False),
            "start_again": self.start_again,
            "talk_to_person": lambda: self.talk_to_person(via),
            "finish": self.finish,
            "carry_on": self.carry_on,
        }
        action = actions.get(key)
        return action() if action is not None else self.view

    def _pick_in_reask(self, key: str, said: str, via: PickVia) -> v.View:
        """An option of the question asked again answers it; a topic offered starts it."""
        self.dismiss()
        node = self._node()
        option = _option_by_key(node, key) if isinstance(node, Question) else None
        if isinstance(node, Question) and option is not None:
            return self._answer(node, option, via)
        if key in self.knowledge.topics:
            return self.start_topic(key, "own_words", said=said)
        return self.view

    def _answer(
        self, node: Question, option: Option, via: PickVia, *, understood: bool = False
    ) -> v.View:
        """Answer `node`; `understood` when the answer was taken from the first message."""
        state = self._state
        assert state.topic_id is not None
        self._emit(
            AnswerGiven, topic_id=state.topic_id, node_id=node.id, option_id=option.key, via=via
        )
        self._move(
            replace(
                state,
                node_id=option.next,
                facts=frozen_facts({**state.facts, **option.set}),
                answers=(*state.answers, Answer(node.id, option.key)),
                step=state.step + 1,
                feedback=None,
                understood=(*state.understood, node.id) if understood else (),
            ),
            arrive=True,
        )
        return self.view

    def _choice_from_text(self, said: str, reading: Reading | None = None) -> str | None:
        """The key of the choice this text picks here: a number, an option, a label."""
        view = self.view
        by_number = view.choice(said)
        if by_number is not None:
            return by_number.key
        node = self._node()
        overlay = self._state.overlay
        if isinstance(node, Question) and (
            overlay is None or overlay.kind in {"no_match", "reask"}
        ):
            key = (
                reading.answer
                if reading is not None and reading.at is node and reading.text == said
                else self.understanding.answer(node, said, self.answer_words)
            )
            if key is not None and overlay is not None:
                self.dismiss()  # an answer to the question under "I did not understand"
            if key is not None or overlay is None:
                return key
        wanted = normalise(said)
        for choice in view.choices:
            if wanted in {normalise(choice.label), normalise(choice.key)}:
                return choice.key
        yes_no = {"yes": v.CHECK_IN_YES, "no": v.CHECK_IN_NO} if view.kind == "check_in" else {}
        if view.kind == "outcome" and self._state.feedback is None:
            yes_no = {"yes": "helped", "no": "not_helped"}
        if yes_no:
            answers = self.answer_words.said_answers
            for kind, key in yes_no.items():
                if wanted in {normalise(word) for word in answers.get(kind, [])}:
                    return key
        return None

    def _match_topic(self, said: str, reading: Reading | None = None) -> v.View:
        decision = (
            reading.topics
            if reading is not None and reading.text == said
            else self.understanding.topics.decide(said)
        )
        state = self._state
        overlay = state.overlay
        at_question = isinstance(self._node(), Question)
        go = decision.kind == "go" and bool(decision.candidates)
        if go and at_question and decision.candidates[0].topic_id != state.topic_id:
            if overlay is not None and overlay.kind == "reask":
                self.dismiss()
            return self.start_topic(
                decision.candidates[0].topic_id, "own_words", said=said, reading=reading
            )
        if at_question and (overlay is None or overlay.kind == "reask"):
            if decision.kind == "none":
                self._record_unmatched(said)  # as before: words that matched nothing at all
            return self._reask(said, decision.candidates if decision.kind == "choose" else ())
        if go:
            topic_id = decision.candidates[0].topic_id
            if topic_id == state.topic_id and state.overlay is None and state.place == "node":
                return self._overlay(Overlay(kind="no_match", said=said, understood_topic=True))
            return self.start_topic(topic_id, "own_words", said=said, reading=reading)
        if decision.kind == "choose" and decision.candidates:
            candidates = tuple(dict.fromkeys(item.topic_id for item in decision.candidates))
            return self._overlay(
                Overlay(
                    kind="choose_topic",
                    said=said,
                    candidates=candidates,
                    two_needs=decision.two_needs,
                )
            )
        return self._unmatched(said)

    def _in_other_language(
        self, said: str, reading: Reading | None = None, said_in: str | None = None
    ) -> v.View | None:
        """Text in another language: carry on in it if the content is written in it, else
        say so in that language (with the topic list) and record the need once per language.

        None means "read it as usual", in the conversation's language. The language is the
        reading's, or `said_in` (the code a check-in kept), and detected only without both.
        """
        code = self._said_in(said, reading, said_in)
        language = self.knowledge.languages.get(code) if code else None
        if language is None or language.id == self.language:
            return None
        if language.served:
            self._switch_language(language.id)
            self._view_cache = None
            return None
        if language.id not in self._languages_noted:
            self._languages_noted.add(language.id)
            self._emit(
                UnmetNeed,
                need_id=None,
                reason=OTHER_LANGUAGE_REASON,
                topic_id=self._state.topic_id,
                node_id=self._state.node_id,
                text=language.id,
            )
        if self._state.overlay is not None and self._state.overlay.kind == "other_language":
            self._state = self._history.pop()  # replace it, do not stack another
        return self._overlay(Overlay(kind="other_language", said=said, language=language.id))

    def _said_in(self, said: str, reading: Reading | None, said_in: str | None) -> str:
        """The language code `said` was read in ("" for English or unsure): the reading's,
        else the one kept (`said_in`), else detected now."""
        if reading is not None and reading.text == said:
            return _code(reading)
        if said_in is not None:
            return said_in
        guess = self.understanding.languages.detect(said)
        return guess.code if guess is not None else ""

    def _reask(self, said: str, matched: Iterable[TopicScore]) -> v.View:
        """Words at a question that are not an answer: ask it again, never leave the topic.

        Words that clearly name another topic have already moved there (`_match_topic`);
        topics they only might mean are offered after the options.
        """
        state = self._state
        others = tuple(
            dict.fromkeys(item.topic_id for item in matched if item.topic_id != state.topic_id)
        )
        if state.overlay is not None and state.overlay.kind == "reask":
            self._state = self._history.pop()  # asked again: replace, do not stack
        return self._overlay(Overlay(kind="reask", said=said, candidates=others))

    def _record_unmatched(self, said: str) -> None:
        state = self._state
        self._emit(
            UnmetNeed,
            need_id=None,
            reason="unmatched",
            topic_id=state.topic_id,
            node_id=state.node_id,
            text=said or None,
        )

    def _unmatched(self, said: str) -> v.View:
        self._record_unmatched(said)
        state = self._state
        if state.overlay is not None and state.overlay.kind in {"choose_topic", "no_match"}:
            self._state = self._history.pop()  # replace the choice, do not stack on it
        return self._overlay(Overlay(kind="no_match", said=said))


def _option_by_key(node: Question, key: str) -> Option | None:
    return next((option for option in node.options if option.key == key), None)


_YOU_WORDS = frozenset({"you", "your", "yours", "yourself"})


def _says_you(question: str) -> bool:
    """Whether a question speaks to the person typing ("Do you...?", "your postcode")."""
    return not _YOU_WORDS.isdisjoint(normalise(question).split())


def _code(reading: Reading) -> str:
    """The language code the pipeline read `reading` in; "" for English or unsure."""
    return reading.language.code if reading.language is not None else ""
