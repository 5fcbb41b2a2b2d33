"""The knowledge base as the engine and the apps use it: plain classes, no pydantic.

`navigator/kb/schema.py` says what content staff may write and checks it
(pydantic, strict, with clear messages). Every schema class derives from the
class of the same name here, which carries the behaviour the rest of
Navigator uses (`Text.get`, `Option.key`, `FactRule.comparison`, ...), so a
freshly validated knowledge base is already made of these types.

Why two layers: importing pydantic and building the schema's classes takes
about a third of the resident app's start. The validated-knowledge cache
(`navigator/kb/cache.py`) stores the knowledge base as instances of these
plain classes, so a start served from the cache never imports pydantic.
Everything outside the validation code (engine, apps, records, reports)
imports its knowledge types from here, and so accepts both kinds.

Attributes are declared for type checkers only (under `TYPE_CHECKING`): the
values come from the schema, and a declaration here must not become a second,
competing pydantic field. `tests/kb/test_model.py` checks that the two
layers declare the same fields. Read-only collection types (`Sequence`,
`Mapping`) let the schema's lists and dicts stand in for them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import datetime as dt

FactValue = str | int | float | bool
ServiceStatus = Literal["open", "waiting_list", "closed"]
DEFAULT_LANGUAGE = "en"


class Record:
    """Base of every plain knowledge class. Instances are only ever made by unpickling.

    A plain object equals the schema object it was made from (same kind, same
    fields), so a knowledge base read from the cache compares equal to a fresh load.
    """

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return plain_class(type(self)) is plain_class(type(other)) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((plain_class(type(self)), *vars(self).values()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only, as the schema's models are")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only, as the schema's models are")

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"{type(self).__name__}({fields})"


def plain_class(cls: type[Record]) -> type[Record]:
    """The class in this module that `cls` is, or derives from (schema classes derive)."""
    return next(c for c in cls.__mro__ if c.__module__ == __name__)


def rebuild(cls: type[Record], state: dict[str, Any]) -> Record:
    """Make an instance of `cls` holding `state`: how the cache's pickle rebuilds each object."""
    made = cls.__new__(cls)
    made.__dict__.update(state)
    return made


class Text(Record):
    """A sentence for residents, in one or more languages (English always)."""

    if TYPE_CHECKING:
        translations: Mapping[str, str]
        made_from: Mapping[str, str]
        """Per language, a hash of the English the translation was made from (may be empty)."""

    def get(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The text in `language`, falling back to English."""
        return self.translations.get(language) or self.translations[DEFAULT_LANGUAGE]

    def __str__(self) -> str:
        return self.get()


# --- Reference lists -----------------------------------------------------------------


class Agency(Record):
    if TYPE_CHECKING:
        id: str
        name: Text
        description: Text | None


class LikelyEvent(Record):
    if TYPE_CHECKING:
        cost: str
        low: float
        central: float
        high: float
        why: str | None


class NeedCategory(Record):
    if TYPE_CHECKING:
        id: str
        title: Text
        description: Text
        cost_falls_on: Sequence[str]
        likely_events: Sequence[LikelyEvent]


class UnmetReason(Record):
    if TYPE_CHECKING:
        id: str
        title: Text
        description: Text


class Fact(Record):
    if TYPE_CHECKING:
        id: str
        title: Text
        values: Mapping[str, Text]
        phrase: Text | None
        consent: bool


# --- Eligibility rules ---------------------------------------------------------------


class RuleBase(Record):
    if TYPE_CHECKING:
        because: Text | None
        unless: Text | None


class AllRule(RuleBase):
    if TYPE_CHECKING:
        all: Sequence[Rule]


class AnyRule(RuleBase):
    if TYPE_CHECKING:
        any: Sequence[Rule]


class NotRule(RuleBase):
    if TYPE_CHECKING:
        not_: Rule


class FactRule(RuleBase):
    """A comparison of one fact with fixed values. Exactly one comparison is given."""

    if TYPE_CHECKING:
        fact: str
        equals: FactValue | None
        not_equals: FactValue | None
        in_: Sequence[FactValue] | None
        not_in: Sequence[FactValue] | None
        at_least: float | None
        at_most: float | None
        more_than: float | None
        less_than: float | None
        known: bool | None

    COMPARISONS = (
        "equals",
        "not_equals",
        "in_",
        "not_in",
        "at_least",
        "at_most",
        "more_than",
        "less_than",
        "known",
    )

    @property
    def comparison(self) -> tuple[str, Any]:
        """The one comparison this rule makes, as (name, value)."""
        for name in self.COMPARISONS:
            value = getattr(self, name)
            if value is not None:
                return name.rstrip("_"), value
        raise AssertionError("validated to hold one comparison")


Rule = AllRule | AnyRule | NotRule | FactRule


# --- Services ------------------------------------------------------------------------


class Phone(Record):
    if TYPE_CHECKING:
        number: str
        description: Text | None


class Contact(Record):
    if TYPE_CHECKING:
        phones: Sequence[Phone]
        email: str | None
        website: str | None
        address: Text | None
        how_to_start: Text | None

    @property
    def is_empty(self) -> bool:
        return not (self.phones or self.email or self.website or self.address)


class WaitTime(Record):
    if TYPE_CHECKING:
        weeks: int
        description: Text | None


class Referral(Record):
    """Where a warm referral to a service goes: one email address, or one drop folder."""

    if TYPE_CHECKING:
        email: str | None
        drop_folder: str | None


class Service(Record):
    if TYPE_CHECKING:
        id: str
        name: Text
        description: Text
        provider: Text
        kind: Literal["service", "community", "information"]
        needs: Sequence[str]
        contact: Contact
        schedules: Text | None
        service_areas: Sequence[str] | Literal["all"]
        cost_options: Text | None
        eligibility: Rule | None
        eligibility_description: Text | None
        status: ServiceStatus
        wait_time: WaitTime | None
        last_reviewed: dt.date
        rule_checked_on: dt.date | None
        rule_source: str | None
        referral: Referral | None


# --- Imported candidates (oruk-in) ------------------------------------------------------


class ScheduleRule(Record):
    if TYPE_CHECKING:
        freq: str | None
        interval: int | None
        byday: str | None
        bymonthday: str | None
        opens_at: str | None
        closes_at: str | None
        valid_from: dt.date | None
        valid_to: dt.date | None
        dtstart: dt.date | None
        description: str | None


class Provenance(Record):
    if TYPE_CHECKING:
        feed: str
        source_url: str
        source_id: str
        fetched_at: dt.datetime
        last_modified: str | None
        assured_date: str | None
        assurer_email: str | None
        feed_version: str | None
        feed_profile: str | None
        feed_status: str | None
        licence: str | None
        attribution: str | None


class Candidate(Record):
    """A service read from another directory's feed, waiting for a person to review it.

    Candidates are loaded and checked but are never part of a conversation:
    only `services` can be named by outcomes.
    """

    if TYPE_CHECKING:
        id: str
        name: Text
        description: Text | None
        provider: Text | None
        organisation_ids: Sequence[str]
        needs: Sequence[str]
        taxonomy_terms: Sequence[str]
        contact: Contact
        postcode: str | None
        schedules: Text | None
        schedule_rules: Sequence[ScheduleRule]
        service_areas: Sequence[str]
        area_names: Sequence[str]
        cost_options: Text | None
        eligibility_description: Text | None
        minimum_age: int | None
        maximum_age: int | None
        languages: Sequence[str]
        wait_time: str | None
        status: ServiceStatus
        last_reviewed: dt.date
        provenance: Provenance


class TaxonomyCrosswalk(Record):
    """Which Navigator needs a term of another directory's taxonomy stands for."""

    if TYPE_CHECKING:
        term_uri: str | None
        name: str | None
        needs: Sequence[str]


# --- Topics and nodes ----------------------------------------------------------------


RangeUnit = Literal["years", "months", "hours", "pounds"]


class OptionRange(Record):
    """The numbers an option stands for ("18 to 64" years), so "she is 82" can pick one."""

    if TYPE_CHECKING:
        at_least: float | None
        at_most: float | None
        more_than: float | None
        less_than: float | None
        unit: RangeUnit

    def holds(self, value: float) -> bool:
        """Whether `value` (in this range's unit) is inside the range."""
        return (
            (self.at_least is None or value >= self.at_least)
            and (self.at_most is None or value <= self.at_most)
            and (self.more_than is None or value > self.more_than)
            and (self.less_than is None or value < self.less_than)
        )


class Option(Record):
    if TYPE_CHECKING:
        id: str | None
        label: Text
        next: str
        set: Mapping[str, FactValue]
        hint: Text | None
        range: OptionRange | None
        districts: Sequence[str] | None

    @property
    def key(self) -> str:
        """The option's id, or one made from its English label."""
        return self.id or slugify(self.label.get())


class NodeBase(Record):
    if TYPE_CHECKING:
        id: str
        text: Text
        help: Text | None


class Question(NodeBase):
    if TYPE_CHECKING:
        type: Literal["question"]
        options: Sequence[Option]
        own_words: bool


class Info(NodeBase):
    if TYPE_CHECKING:
        type: Literal["info"]
        next: str


class Outcome(NodeBase):
    if TYPE_CHECKING:
        type: Literal["outcome"]
        services: Sequence[str]
        need: str | None


class UnmetEnd(NodeBase):
    if TYPE_CHECKING:
        type: Literal["unmet"]
        need: str
        reason: str
        services: Sequence[str]
        cost_falls_on: Sequence[str] | None


Node = Question | Info | Outcome | UnmetEnd


class Topic(Record):
    if TYPE_CHECKING:
        id: str
        need: str
        title: Text
        summary: Text
        keywords: Sequence[str]
        examples: Sequence[str]
        start: str


# --- Rates ---------------------------------------------------------------------------


class RateValue(Record):
    if TYPE_CHECKING:
        from_: dt.date
        to: dt.date | None
        value: str


class Rate(Record):
    if TYPE_CHECKING:
        id: str
        title: str
        source: str
        verified_on: dt.date
        values: Sequence[RateValue]


# --- Unit costs ----------------------------------------------------------------------


class UnitCost(Record):
    if TYPE_CHECKING:
        id: str
        title: str
        agency: str
        pounds: float
        per: str
        publication: str
        source: str
        year: str
        price_base: str
        table: str
        read_in: str
        uprated: str | None
        derived: str | None
        verified_on: dt.date


# --- Safeguarding --------------------------------------------------------------------


class CrisisContact(Record):
    if TYPE_CHECKING:
        id: str
        name: Text
        phone: str | None
        text_number: str | None
        website: str | None
        how: Text


class CrisisKind(Record):
    if TYPE_CHECKING:
        id: str
        title: Text
        message: Text
        signs: Sequence[str]
        contacts: Sequence[str]
        examples: Sequence[str]
        near_misses: Sequence[str]
        check_in: Text | None
        examples_in: Mapping[str, Sequence[str]]
        near_misses_in: Mapping[str, Sequence[str]]
        refined_by_meaning: bool
        chosen_by_meaning: bool


class CheckIn(Record):
    if TYPE_CHECKING:
        question: Text
        yes: Text
        no: Text


class Safeguarding(Record):
    if TYPE_CHECKING:
        verified_on: dt.date
        kinds: Sequence[CrisisKind]
        contacts: Sequence[CrisisContact]
        not_crisis: Sequence[str]
        check_in: CheckIn | None


# --- Other languages -----------------------------------------------------------------


class Language(Record):
    """A language residents may write in, and what Navigator says when it meets it."""

    if TYPE_CHECKING:
        id: str
        name: str
        own_name: str
        served: bool
        checked: bool
        title: str
        text: str
        prompt: str
        crisis: str
        romanised: Sequence[str]
        language_model: Literal["shared", "when_first"]


# --- Content rules and vocabulary ----------------------------------------------------


class Replacement(Record):
    if TYPE_CHECKING:
        phrase: str
        suggest: str


class PhoneRules(Record):
    if TYPE_CHECKING:
        fictional_place: bool
        drama_ranges: Sequence[str]
        real_numbers: Sequence[str]


class ContentRules(Record):
    if TYPE_CHECKING:
        phone_numbers: PhoneRules | None
        review_months: int
        rule_review_months: int
        max_options: int
        max_sentence_words: int
        stigmatising: Sequence[Replacement]
        plain_english: Sequence[Replacement]
        include_defaults: bool


class EverydayWords(Record):
    """The everyday words of one language that the free-text reader understands.

    Declared once for both `Vocabulary` (English, with what only English has) and
    `LanguageWords` (each other language), so the two cannot drift apart: a kind of
    word added here is one every language may give.
    """

    if TYPE_CHECKING:
        filler: Sequence[str]
        answers: Mapping[str, Sequence[str]]
        commands: Mapping[str, Sequence[str]]
        numbers: Mapping[str, int]
        units: Mapping[RangeUnit, Sequence[str]]
        speaker: Sequence[str]
        age_cues: Sequence[str]
        negations: Sequence[str]
        fact_words: Mapping[str, Mapping[str, Sequence[str]]]


class Vocabulary(EverydayWords):
    """The English words, plus spellings and related words (English only) and other languages."""

    if TYPE_CHECKING:
        spellings: Mapping[str, Sequence[str]]
        related: Mapping[str, Sequence[str]]
        out_of_scope: Mapping[str, Sequence[str]]
        languages: Mapping[str, LanguageWords]


class LanguageWords(EverydayWords):
    """The everyday words of one more language, read beside the English ones."""

    if TYPE_CHECKING:
        gloss: Mapping[str, str]
        """Words and short phrases of this language and the English they mean."""


class Place(Record):
    if TYPE_CHECKING:
        name: Text
        districts: Sequence[str]
        populations: Mapping[str, int]


def slugify(label: str) -> str:
    """Make an id from a label: "Yes, I do" -> "yes-i-do"."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return slug or "option"
