"""The knowledge base format, as pydantic models.

Council content staff write YAML; these models say what that YAML may hold.
They are strict (unknown fields are errors) because a misspelt field that is
silently ignored is a service a resident never hears about.

Every sentence a resident reads is a `Text`: a plain string in YAML means
English, and a mapping of language codes (`en`, `cy`, ...) adds other
languages later without reshaping any file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    Tag,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from navigator.kb import model as m
from navigator.kb.places import DISTRICT

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
"""Ids are lower case words joined by hyphens or underscores, so they read well in reports."""

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
FactValue = m.FactValue

DEFAULT_LANGUAGE = m.DEFAULT_LANGUAGE


class Model(BaseModel):
    """Base for every knowledge-base model: strict about unknown fields, immutable."""

    # defer_build: validators are built on first validation, not at import, so a start
    # served from the knowledge cache (navigator/kb/cache.py) never builds them.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    # The plain classes' hash, not pydantic's, so a model and its cached plain copy,
    # which compare equal, also hash alike (pydantic keeps an inherited hash).
    __hash__ = m.Record.__hash__


_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2,4})?")

MADE_FROM = "made_from"
"""The optional key beside `en`, `cy`, ... holding, per language, a hash of the English the
translation was made from (`navigator.kb.translations`): a stale translation is noticed."""
"""A language code: `en`, `cy`, `pt-BR`."""


def _empty(language: str) -> str:
    return f"the '{language}' text is empty: write the text or remove it"


class Text(BaseModel, m.Text):
    """A sentence for residents, in one or more languages.

    YAML may give a plain string (English) or a mapping such as
    ``{en: "Hello", cy: "Helo"}``. English is always required: it is the
    language every other translation is checked against.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)  # see Model

    translations: dict[str, str]
    made_from: dict[str, str] = {}
    """Per language, a hash of the English the translation was made from (optional)."""

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        """Accept a string or a mapping of languages, and check it, in one step.

        Every resident-facing sentence passes through here (tens of thousands
        in a large knowledge base), so it is one Python call, not two.
        """
        if isinstance(value, str):
            sentence = value.strip()
            if not sentence:
                raise ValueError(_empty(DEFAULT_LANGUAGE))
            return {"translations": {DEFAULT_LANGUAGE: sentence}}
        if not isinstance(value, dict):
            return value  # pydantic says what was found instead
        given = value.get("translations", value)
        if not isinstance(given, dict):
            return value
        made_from = value.get(MADE_FROM, {}) if "translations" not in value else {}
        if not isinstance(made_from, dict) or not all(
            isinstance(code, str) and isinstance(mark, str) for code, mark in made_from.items()
        ):
            raise ValueError(
                f"'{MADE_FROM}' is a mapping of language codes to the quoted hash of the "
                'English each translation was made from, such as {cy: "1a2b3c4d5e6f"}; '
                "leave it to `navigator translations import`, or remove it"
            )
        given = {key: text for key, text in given.items() if key != MADE_FROM}
        if DEFAULT_LANGUAGE not in given:
            languages = ", ".join(str(language) for language in given) or "none"
            raise ValueError(
                f"give the English text under 'en' (languages found: {languages}); "
                "English is always needed"
            )
        checked: dict[Any, Any] = {}
        for language, sentence in given.items():
            if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
                raise ValueError(f"'{language}' is not a language code such as 'en' or 'cy'")
            if isinstance(sentence, str):
                sentence = sentence.strip()
                if not sentence:
                    raise ValueError(_empty(language))
            checked[language] = sentence  # a non-string is reported by pydantic
        if "translations" in value:
            return {**value, "translations": checked}
        return {"translations": checked, "made_from": made_from}

    __str__ = m.Text.__str__  # BaseModel's own would come first
    __hash__ = m.Record.__hash__  # see Model

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """What staff write, not how it is stored: a string, or languages with English."""
        return {
            "title": "Text",
            "description": "Words residents read: a string (English), or {en: ..., cy: ...}.",
            "anyOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "required": [DEFAULT_LANGUAGE],
                    "properties": {
                        MADE_FROM: {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "The hash of the English each translation was "
                            "made from (written by navigator translations import).",
                        }
                    },
                    "patternProperties": {
                        f"^{_LANGUAGE.pattern}$": {"type": "string", "minLength": 1}
                    },
                    "additionalProperties": False,
                },
            ],
        }


# --- Reference lists -----------------------------------------------------------------


class Agency(Model, m.Agency):
    """A body likely to carry the later cost when a need goes unmet (NHS, police, ...)."""

    id: Id
    name: Text
    description: Text | None = None


class LikelyEvent(Model, m.LikelyEvent):
    """How often a later event (a unit cost) is likely for each record of this unmet need.

    Content staff's estimate, as a range: `low` to `high` events per record (0.2 is one
    person in five). Reports multiply it by the unit cost and show it as an estimate.
    """

    cost: Id
    """A unit cost's id (`unit_costs:`, knowledge/unit-costs.yaml)."""
    low: float = Field(ge=0, le=1000)
    central: float = Field(ge=0, le=1000)
    """The most likely figure, between `low` and `high`: reports show the three."""
    high: float = Field(ge=0, le=1000)
    why: str | None = Field(default=None, max_length=300)
    """Content staff's reasoning, in a sentence; reports show it beside the figures."""

    @model_validator(mode="after")
    def _in_order(self) -> LikelyEvent:
        if self.high < self.low:
            raise ValueError(f"'high' ({self.high:g}) is below 'low' ({self.low:g})")
        if not self.low <= self.central <= self.high:
            raise ValueError(
                f"'central' ({self.central:g}) is not between 'low' ({self.low:g}) and "
                f"'high' ({self.high:g})"
            )
        return self


class NeedCategory(Model, m.NeedCategory):
    """A stable category of need that topics, unmet ends and reports group by."""

    id: Id
    title: Text
    description: Text
    cost_falls_on: list[Id] = Field(default_factory=list)
    likely_events: list[LikelyEvent] = Field(default_factory=list)
    """Later events likely for each record of this need going unmet, and how often: each
    event's unit cost must fall on an agency in `cost_falls_on`."""


class UnmetReason(Model, m.UnmetReason):
    """Why a need went unmet: `no_service`, `ineligible`, `waiting_list`, ..."""

    id: Id
    title: Text
    description: Text


class Fact(Model, m.Fact):
    """A fact the conversation can learn, and how to say each value in plain words.

    `values` maps a value to a phrase such as "you are 65 or over"; eligibility
    reasons are built from these phrases, so a rule can explain itself without
    any sentence living in Python. `phrase` is used for numeric facts and may
    hold ``{value}``.
    """

    id: Id
    title: Text
    values: dict[str, Text] = Field(default_factory=dict)
    phrase: Text | None = None
    consent: bool = False
    """True for facts about the person that may be recorded only with consent."""


# --- Eligibility rules ---------------------------------------------------------------


class RuleBase(Model, m.RuleBase):
    """What every rule may say about itself in plain words.

    `because` is shown when the rule passes, `unless` when it fails. Where
    they are missing, the fact's phrases are used.
    """

    because: Text | None = None
    unless: Text | None = None


class AllRule(RuleBase, m.AllRule):
    all: list[Rule] = Field(min_length=1)


class AnyRule(RuleBase, m.AnyRule):
    any: list[Rule] = Field(min_length=1)


class NotRule(RuleBase, m.NotRule):
    not_: Rule = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FactRule(RuleBase, m.FactRule):
    """A comparison of one fact with fixed values. Exactly one comparison is given."""

    fact: Id
    equals: FactValue | None = None
    not_equals: FactValue | None = None
    in_: list[FactValue] | None = Field(default=None, alias="in")
    not_in: list[FactValue] | None = None
    at_least: float | None = None
    at_most: float | None = None
    more_than: float | None = None
    less_than: float | None = None
    known: bool | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_comparison(self) -> FactRule:
        given = [name for name in self.COMPARISONS if getattr(self, name) is not None]
        if len(given) != 1:
            allowed = ", ".join(name.rstrip("_") for name in self.COMPARISONS)
            found = ", ".join(name.rstrip("_") for name in given) or "none"
            raise ValueError(f"give exactly one comparison ({allowed}); found {found}")
        return self


def _rule_form(value: Any) -> str | None:
    """Which kind of rule a YAML mapping is, from its keys, so errors name the right form."""
    if isinstance(value, RuleBase):
        return type(value).__name__
    if isinstance(value, dict):
        for key, form in (("all", "AllRule"), ("any", "AnyRule"), ("not", "NotRule")):
            if key in value:
                return form
        return "FactRule"
    return None


Rule = Annotated[
    Annotated[AllRule, Tag("AllRule")]
    | Annotated[AnyRule, Tag("AnyRule")]
    | Annotated[NotRule, Tag("NotRule")]
    | Annotated[FactRule, Tag("FactRule")],
    Discriminator(
        _rule_form,
        custom_error_type="rule_form",
        custom_error_message="a rule is a mapping with 'all', 'any', 'not' or 'fact'",
    ),
]


# --- Services ------------------------------------------------------------------------


class Phone(Model, m.Phone):
    number: str = Field(min_length=3, max_length=40)
    description: Text | None = None


class Contact(Model, m.Contact):
    """How to reach a service. HSDS calls these `phones`, `email`, `url` and an address."""

    phones: list[Phone] = Field(default_factory=list)
    email: str | None = None
    website: str | None = None
    address: Text | None = None
    how_to_start: Text | None = None
    """What the person should do first: "Phone and ask for a carer's assessment"."""


class WaitTime(Model, m.WaitTime):
    """HSDS `wait_time`, as typical weeks so reports can compare services."""

    weeks: int = Field(ge=0, le=520)
    description: Text | None = None


ServiceStatus = m.ServiceStatus

REFERRAL_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Referral(Model, m.Referral):
    """How the service takes warm referrals from advocates: `email` (sent by SMTP with the
    settings' `smtp_*`) or `drop_folder` (a file per referral, for services without email;
    a relative folder is inside Navigator's data folder). Exactly one of the two."""

    email: str | None = None
    drop_folder: str | None = Field(default=None, min_length=1, max_length=400)

    @model_validator(mode="after")
    def _one_way(self) -> Referral:
        if (self.email is None) == (self.drop_folder is None):
            raise ValueError("give exactly one of 'email' or 'drop_folder'")
        if self.email is not None and not REFERRAL_EMAIL.fullmatch(self.email):
            raise ValueError(
                f"'{self.email}' is not an email address such as 'referrals@service.org.uk'"
            )
        return self


class Service(Model, m.Service):
    """A service or community option a resident can be pointed to.

    Field names follow Open Referral UK / HSDS 3.0 where they overlap
    (`status`, `description`, `wait_time`, `eligibility_description`,
    `service_areas`, `phones` inside `contact`, `schedules`, `cost_options`).
    """

    id: Id
    name: Text
    description: Text
    provider: Text
    kind: Literal["service", "community", "information"] = "service"
    needs: list[Id] = Field(min_length=1)
    contact: Contact = Field(default_factory=Contact)
    schedules: Text | None = None
    service_areas: list[str] | Literal["all"] = "all"
    cost_options: Text | None = None
    eligibility: Rule | None = None
    eligibility_description: Text | None = None
    status: ServiceStatus = "open"
    wait_time: WaitTime | None = None
    last_reviewed: dt.date
    rule_checked_on: dt.date | None = None
    """When the national rule behind this service was last checked."""
    rule_source: Annotated[str, Field(pattern=r"^https://\S+$")] | None = None
    """The public page (GOV.UK, legislation.gov.uk, the NHS) that states that national rule."""
    referral: Referral | None = None
    """Where advocates' warm referrals go (none: the service takes no referrals this way)."""

    @field_validator("service_areas")
    @classmethod
    def _districts(cls, value: list[str] | str) -> list[str] | str:
        if isinstance(value, list):
            for district in value:
                if not (DISTRICT.fullmatch(district) and district.isupper()):
                    raise ValueError(
                        f"'{district}' is not a postcode district such as 'LS6' or 'NB12'"
                    )
        return value

    @model_validator(mode="after")
    def _wait_with_waiting_list(self) -> Service:
        if self.status == "waiting_list" and self.wait_time is None:
            raise ValueError("a service with status 'waiting_list' needs 'wait_time: {weeks: N}'")
        return self


# --- Imported candidates (oruk-in) ------------------------------------------------------


class ScheduleRule(Model, m.ScheduleRule):
    """One HSDS `schedule` kept as its RRULE parts, so nothing the feed said is lost."""

    freq: str | None = None
    interval: int | None = None
    byday: str | None = None
    bymonthday: str | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    dtstart: dt.date | None = None
    description: str | None = None


class Provenance(Model, m.Provenance):
    """Where a candidate came from, so staff can check it and credit the publisher."""

    feed: Id
    source_url: str = Field(min_length=1)
    source_id: str = Field(min_length=1, max_length=200)
    fetched_at: dt.datetime
    last_modified: str | None = None
    assured_date: str | None = None
    assurer_email: str | None = None
    feed_version: str | None = None
    feed_profile: str | None = None
    feed_status: str | None = None
    """The feed's own status word (active, inactive, defunct, temporarily closed)."""
    licence: str | None = None
    attribution: str | None = None


class Candidate(Model, m.Candidate):
    """A service imported from an Open Referral feed (`navigator import oruk`).

    Loaded and checked like services, but kept apart (`KnowledgeBase.candidates`):
    no conversation can reach one until a person accepts it as a service and
    names it in an outcome. No `eligibility` rule: rules are never invented from feed text.
    """

    id: Id
    name: Text
    description: Text | None = None
    provider: Text | None = None
    organisation_ids: list[str] = Field(default_factory=list)
    """org-id.guide identifiers such as `GB-CHC:1234567`, for de-duplication across feeds."""
    needs: list[Id] = Field(default_factory=list)
    """Needs suggested by the taxonomy crosswalk; empty when no term matched."""
    taxonomy_terms: list[str] = Field(default_factory=list)
    contact: Contact = Field(default_factory=Contact)
    postcode: str | None = None
    schedules: Text | None = None
    schedule_rules: list[ScheduleRule] = Field(default_factory=list)
    service_areas: list[str] = Field(default_factory=list)
    area_names: list[str] = Field(default_factory=list)
    """Areas the feed named that are not postcode districts ("Shropshire")."""
    cost_options: Text | None = None
    eligibility_description: Text | None = None
    minimum_age: int | None = Field(default=None, ge=0, le=130)
    maximum_age: int | None = Field(default=None, ge=0, le=130)
    languages: list[str] = Field(default_factory=list)
    wait_time: str | None = None
    status: ServiceStatus = "open"
    last_reviewed: dt.date
    provenance: Provenance

    @field_validator("service_areas")
    @classmethod
    def _districts(cls, value: list[str]) -> list[str]:
        for district in value:
            if not (DISTRICT.fullmatch(district) and district.isupper()):
                raise ValueError(f"'{district}' is not a postcode district such as 'LS6' or 'NB12'")
        return value


class TaxonomyCrosswalk(Model, m.TaxonomyCrosswalk):
    """A taxonomy term of other directories (by `term_uri`, or by `name`) and the needs it means.

    ```yaml
    taxonomy_crosswalk:
      - term_uri: http://id.esd.org.uk/service/298     # Carers support groups
        needs: [carers-support]
    ```
    """

    term_uri: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    name: str | None = Field(default=None, min_length=1)
    needs: list[Id] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_key(self) -> TaxonomyCrosswalk:
        if (self.term_uri is None) == (self.name is None):
            raise ValueError("give either 'term_uri' or 'name' (the term's label), not both")
        return self


# --- Topics and nodes ----------------------------------------------------------------


class OptionRange(Model, m.OptionRange):
    """The numbers an option stands for: `{at_least: 18, at_most: 64, unit: years}`.

    The bounds read like a rule's comparisons. Give at least one; at most one lower
    bound (`at_least` or `more_than`) and one upper bound (`at_most` or `less_than`).
    """

    at_least: float | None = None
    at_most: float | None = None
    more_than: float | None = None
    less_than: float | None = None
    unit: m.RangeUnit

    @model_validator(mode="after")
    def _bounds(self) -> OptionRange:
        lower = [name for name in ("at_least", "more_than") if getattr(self, name) is not None]
        upper = [name for name in ("at_most", "less_than") if getattr(self, name) is not None]
        if not lower and not upper:
            raise ValueError("give at least one bound: at_least, at_most, more_than or less_than")
        if len(lower) > 1 or len(upper) > 1:
            raise ValueError("give one lower bound (at_least or more_than) and one upper bound")
        if lower and upper and getattr(self, lower[0]) > getattr(self, upper[0]):
            raise ValueError(f"'{lower[0]}' is above '{upper[0]}': swap them")
        return self

    def span(self) -> tuple[float, float]:
        """(lowest, highest) values held, for checking that options do not overlap."""
        low = self.at_least if self.at_least is not None else self.more_than
        high = self.at_most if self.at_most is not None else self.less_than
        return (float("-inf") if low is None else low, float("inf") if high is None else high)


class Option(Model, m.Option):
    """One answer to a question."""

    id: Id | None = None
    """Stable id stored in records. Defaults to the label, made into an id."""
    label: Text
    next: Id
    set: dict[Id, FactValue] = Field(default_factory=dict)
    hint: Text | None = None
    range: OptionRange | None = None
    """The ages, hours or amounts this option stands for, so a typed number can pick it."""
    districts: list[str] | None = None
    """The postcode districts this option stands for, so a typed postcode can pick it."""

    @field_validator("districts")
    @classmethod
    def _district_names(cls, value: list[str] | None) -> list[str] | None:
        for district in value or ():
            if not (DISTRICT.fullmatch(district) and district.isupper()):
                raise ValueError(f"'{district}' is not a postcode district such as 'LS6' or 'NB12'")
        return value


class NodeBase(Model, m.NodeBase):
    id: Id
    text: Text
    help: Text | None = None


class Question(NodeBase, m.Question):
    type: Literal["question"]
    options: list[Option] = Field(min_length=1)
    own_words: bool = True
    """Offer "tell me in your own words" beside the options."""

    @model_validator(mode="after")
    def _ranges_and_districts_apart(self) -> Question:
        """A typed number or postcode must pick one option, never two."""
        ranged = [option for option in self.options if option.range is not None]
        units = {option.range.unit for option in ranged if option.range is not None}
        if len(units) > 1:
            raise ValueError(
                f"the options' ranges use different units ({', '.join(sorted(units))})"
            )
        spans = sorted(
            (option.range.span(), option.key) for option in ranged if option.range is not None
        )
        for (first, first_key), (second, second_key) in itertools.pairwise(spans):
            if second[0] < first[1] or (
                second[0] == first[1] and _closed_at(self, first_key, second_key)
            ):
                raise ValueError(f"the ranges of options '{first_key}' and '{second_key}' overlap")
        seen: dict[str, str] = {}
        for option in self.options:
            for district in option.districts or ():
                if district in seen:
                    raise ValueError(
                        f"district {district} is in options '{seen[district]}' and '{option.key}'"
                    )
                seen[district] = option.key
        return self


def _closed_at(question: Question, lower_key: str, upper_key: str) -> bool:
    """Whether two ranges meeting at one value both hold it ("up to 20" and "20 or more")."""
    by_key = {option.key: option.range for option in question.options}
    lower, upper = by_key[lower_key], by_key[upper_key]
    return (
        lower is not None
        and upper is not None
        and lower.at_most is not None
        and upper.at_least is not None
    )


class Info(NodeBase, m.Info):
    type: Literal["info"]
    next: Id


class Outcome(NodeBase, m.Outcome):
    type: Literal["outcome"]
    services: list[Id] = Field(min_length=1)
    need: Id | None = None
    """The need recorded if nothing here fits. Defaults to the topic's need."""


class UnmetEnd(NodeBase, m.UnmetEnd):
    type: Literal["unmet"]
    need: Id
    reason: Id
    services: list[Id] = Field(default_factory=list)
    """Other things that may still help, such as community groups."""
    cost_falls_on: list[Id] | None = None


Node = Annotated[Question | Info | Outcome | UnmetEnd, Field(discriminator="type")]


class Topic(Model, m.Topic):
    id: Id
    need: Id
    title: Text
    summary: Text
    keywords: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    """Phrasings residents use, for free-text matching."""
    start: Id


# --- Safeguarding --------------------------------------------------------------------


RATE_ID_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)+$"
"""A rate is named like `healthy_start.weekly`: the dot is how texts tell a rate from a
message placeholder such as `{reasons}`."""


class RateValue(Model, m.RateValue):
    """One value of a rate and the days it applies: from `from` to `to` (both included)."""

    from_: dt.date = Field(alias="from")
    to: dt.date | None = None
    value: str = Field(min_length=1, max_length=80)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _in_order(self) -> RateValue:
        if self.to is not None and self.to < self.from_:
            raise ValueError(
                f"'to' ({self.to.isoformat()}) is before 'from' ({self.from_.isoformat()})"
            )
        return self


class Rate(Model, m.Rate):
    """An amount, limit or age from a national rule, written once with the dates it holds.

    Texts use it as `{healthy_start.weekly}`; April's uprating is added ahead as a
    new value with its `from` date and switches on that day.
    """

    id: Annotated[str, Field(pattern=RATE_ID_PATTERN, max_length=80)]
    title: str = Field(min_length=1)
    source: Annotated[str, Field(pattern=r"^https://\S+$")]
    """The public page that gives the figure (GOV.UK where there is one)."""
    verified_on: dt.date
    values: list[RateValue] = Field(min_length=1)


class UnitCost(Model, m.UnitCost):
    """What one later event costs the agency that carries it, from a published source.

    Reports multiply these by how often each need's `likely_events` says the event
    follows, for an indicative cost of unmet need. Give only figures a source states,
    with its year and price base, and say how a figure was uprated, if it was.
    """

    id: Id
    title: str = Field(min_length=1, max_length=200)
    """What is counted, in plain words: "An attendance at a consultant-led A&E department"."""
    agency: Id
    """Who pays for it (`agencies:`)."""
    pounds: float = Field(gt=0, le=1_000_000)
    per: str = Field(min_length=1, max_length=80)
    """The unit the figure is for: "attendance", "night", "week"."""
    publication: str = Field(min_length=1, max_length=200)
    """The publication's name, as a reader would look it up."""
    source: Annotated[str, Field(pattern=r"^https://\S+$")]
    """The public page that gives the figure."""
    year: str = Field(min_length=4, max_length=20)
    """The year the publication gives the figure for ("2015")."""
    price_base: str = Field(min_length=4, max_length=40)
    """The prices the figure is in ("2014/15")."""
    table: str = Field(min_length=1, max_length=200)
    """Where in the publication the figure is (table, section or page), so anyone can find
    it again."""
    read_in: str = Field(min_length=1, max_length=400)
    """Where the figure was actually read: "the source itself", or the secondary page that
    quotes it (name and address). A figure read only at second hand says so."""
    uprated: str | None = None
    """How the figure was brought to later prices, if it was (index, from, to); None: as
    published."""
    derived: str | None = Field(default=None, min_length=1, max_length=800)
    """How the figure was worked out here from published ones (each figure, its source and
    the arithmetic), when no publication states it; None: the publication states it.
    Reports mark a derived figure as such."""
    verified_on: dt.date
    """When content staff last checked the figure against the source."""


class CrisisContact(Model, m.CrisisContact):
    id: Id
    name: Text
    phone: str | None = None
    text_number: str | None = None
    website: str | None = None
    how: Text
    """When and how to use it, in plain words."""


class CrisisKind(Model, m.CrisisKind):
    id: Id
    title: Text
    message: Text
    """The calm words shown before the contacts."""
    signs: list[str] = Field(min_length=1)
    """Phrases that show this kind of crisis. Matching tolerates typos."""
    contacts: list[Id] = Field(min_length=1)
    examples: list[str] = Field(default_factory=list)
    """Whole disclosures as people really write them (indirect, third-party, typos): the
    meaning line compares free text with these, so it needs no exact phrase."""
    near_misses: list[str] = Field(default_factory=list)
    """Ordinary messages that sound like this kind but are not a crisis ("this form is
    killing me"): text closer to these than to the examples is not interrupted."""
    check_in: Text | None = None
    """This kind's own check-in question, in place of the safeguarding-wide one."""
    examples_in: dict[str, list[str]] = Field(default_factory=dict)
    """Examples written in another language, by its code (`cy: [...]`): read only for
    text detected in that language, by letter groups, never by the English model."""
    near_misses_in: dict[str, list[str]] = Field(default_factory=dict)
    """Near misses written in another language, by its code, for that language's line."""
    refined_by_meaning: bool = False
    """A sign of this kind may be shown another kind's panel when the whole message reads as
    that kind (English text, once the meaning line is ready). For broad kinds whose signs
    ("locks me in", "hits me") are told by a child, an older person or someone with nowhere
    to go as often as by the person they name. False: a sign of this kind keeps its panel."""
    chosen_by_meaning: bool = True
    """Whether the meaning line may turn another kind's sign into this kind. False for a
    panel that must come only from its own signs: harm-to-others speaks to someone who might
    hurt another, and a threat with a knife reads near its examples whoever holds the knife."""


class CheckIn(Model, m.CheckIn):
    """The one calm question asked when text is worrying but not clear."""

    question: Text
    yes: Text
    """The answer that shows the crisis contacts."""
    no: Text
    """The answer that carries on where the person was."""


class Safeguarding(Model, m.Safeguarding):
    verified_on: dt.date
    kinds: list[CrisisKind] = Field(min_length=1)
    contacts: list[CrisisContact] = Field(min_length=1)
    not_crisis: list[str] = Field(default_factory=list)
    """Ordinary phrases that look like crisis signs but are not (for tests and tuning)."""
    check_in: CheckIn | None = None
    """Asked when the meaning line is unsure; without it, unsure text is not interrupted."""


# --- Other languages -----------------------------------------------------------------

LANGUAGE_CODE = r"^[a-z]{2}$"
"""An ISO 639-1 code (`pl`, `cy`, `ur`): what language detection reports and records keep."""


class Language(Model, m.Language):
    """A language residents may write in (`knowledge/messages/languages.yaml`).

    When the knowledge base is written in it (`served: true`), the conversation
    carries on in it. Otherwise Navigator answers in it with `title`, `text` and
    `prompt`, so those are required: written by a person, and `checked: true` only
    once a native speaker has read them.
    """

    id: Annotated[str, Field(pattern=LANGUAGE_CODE)]
    name: str = Field(min_length=1)
    """The language's name in English, for staff and reports."""
    own_name: str = Field(min_length=1)
    """Its name in itself ("Polski"), for a language choice."""
    served: bool = False
    checked: bool = False
    title: str = ""
    text: str = ""
    prompt: str = ""
    crisis: str = ""
    """One line shown on every crisis panel in a conversation read as this language: call
    999 in danger, and an interpreter joins the call (the panel's own words are English)."""
    romanised: list[str] = Field(default_factory=list)
    """Everyday words that mark the language written in Latin letters ("mujhe", "chahiye")."""
    language_model: Literal["shared", "when_first"] = "shared"
    """How the language model weighs it: `shared`, against every other language; `when_first`,
    only when the model puts it first (other text is read as if it were not declared), for a
    language close to others that would take their confidence (Spanish: Portuguese)."""

    @model_validator(mode="after")
    def _words_to_say(self) -> Language:
        if not self.served:
            missing = [name for name in ("title", "text", "prompt") if not getattr(self, name)]
            if missing:
                raise ValueError(
                    f"the knowledge base is not written in '{self.id}' (served is false), so "
                    f"Navigator answers in it: write {', '.join(repr(m) for m in missing)} "
                    "in that language"
                )
        return self


# --- Content rules -------------------------------------------------------------------


class Replacement(Model, m.Replacement):
    """A phrase to avoid and what to write instead."""

    phrase: str = Field(min_length=1)
    suggest: str


class PhoneRules(Model, m.PhoneRules):
    """Which phone numbers a knowledge base may print, so a made-up place never rings a real one.

    A fictional place (a demo, a training copy) must use only the numbers Ofcom keeps
    for drama (`drama_ranges`, written as the digits a number starts with), except the
    real national helplines it lists in `real_numbers` on purpose.
    """

    fictional_place: bool = False
    drama_ranges: list[str] = Field(default_factory=list)
    real_numbers: list[str] = Field(default_factory=list)


class ContentRules(Model, m.ContentRules):
    """House style the validator checks, kept in the knowledge base so a council can tune it.

    `stigmatising` and `plain_english` add to Navigator's default lists
    (`navigator/kb/style.py`); `include_defaults: false` uses only these.
    """

    phone_numbers: PhoneRules | None = None
    review_months: int = Field(default=12, ge=1)
    rule_review_months: int = Field(default=6, ge=1)
    """Warn when a national rule or rate was last checked against its source longer ago."""
    max_options: int = Field(default=7, ge=2)
    max_sentence_words: int = Field(default=25, ge=5)
    stigmatising: list[Replacement] = Field(default_factory=list)
    plain_english: list[Replacement] = Field(default_factory=list)
    include_defaults: bool = True


GLOSS_WORDS = 4
"""The longest gloss phrase, in words: a gloss is words and short phrases, not sentences."""


class LanguageWords(Model, m.LanguageWords):
    """Everyday words in one more language (`vocabulary.languages.cy`), read beside English.

    In a session in that language, typed answers and commands are read with these
    words and with the English ones (people mix languages: "ie, my mum"); every
    field means what it means in `Vocabulary`. Mutated forms are listed as words
    of their own ("fy nhad", "fy ngŵr"), so nothing guesses at grammar.
    """

    # These fields repeat `Vocabulary`'s on purpose (a comment, not the docstring, which
    # the JSON Schema shows): a shared pydantic base would put them before `spellings`
    # and `related`, reordering the `fields allowed:` hint and the JSON Schema. Their one
    # definition is `model.EverydayWords`; `tests/kb/test_model.py` holds both copies to it.

    filler: list[str] = Field(default_factory=list)
    answers: dict[Id, list[str]] = Field(default_factory=dict)
    commands: dict[Id, list[str]] = Field(default_factory=dict)
    numbers: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    units: dict[m.RangeUnit, list[str]] = Field(default_factory=dict)
    speaker: list[str] = Field(default_factory=list)
    age_cues: list[str] = Field(default_factory=list)
    negations: list[str] = Field(default_factory=list)
    fact_words: dict[Id, dict[str, list[str]]] = Field(default_factory=dict)
    gloss: dict[str, str] = Field(default_factory=dict)
    """Words and short phrases of this language and the English they mean ("heno":
    "tonight", "ers dyddiau": "for days"), written in any mutation: the safeguarding
    meaning line reads a message in this language a second time, glossed into English
    words, against the English examples (docs/knowledge-format.md, "Gloss")."""

    @field_validator("gloss")
    @classmethod
    def _short_phrases(cls, value: dict[str, str]) -> dict[str, str]:
        for phrase, english in value.items():
            if not 1 <= len(phrase.split()) <= GLOSS_WORDS:
                raise ValueError(
                    f"gloss entry '{phrase}': write a word or a phrase of up to {GLOSS_WORDS} words"
                )
            if not english.strip():
                raise ValueError(f"gloss entry '{phrase}': give the English it means")
        return value


class Vocabulary(Model, m.Vocabulary):
    """Everyday words the free-text reader understands, kept as data so staff can add dialect.

    `commands` maps a command id (`back`, `start_again`, `help`, `talk_to_person`,
    `finish`) to the words that mean it. `answers` maps an answer kind (`yes`,
    `no`, `not_sure`) to its words ("yeah", "nope", "dunno"), which pick the option
    whose label means the same. `filler` words are ignored when matching topics.
    `spellings` maps a word to other ways of writing the same word (text-speak,
    dialect: "with": ["wiv"], "child": ["kid", "bairn"]); `related` maps the
    knowledge base's words to everyday words that mean much the same
    ("memory": ["forgetful"]). Both only widen topic matching; each way of writing
    is one word, because typed text is read word by word.
    """

    filler: list[str] = Field(default_factory=list)
    answers: dict[Id, list[str]] = Field(default_factory=dict)
    commands: dict[Id, list[str]] = Field(default_factory=dict)
    spellings: dict[str, list[str]] = Field(default_factory=dict)
    related: dict[str, list[str]] = Field(default_factory=dict)
    out_of_scope: dict[Id, list[str]] = Field(default_factory=dict)
    """Families of requests Navigator does not deal with (bins and parking, leisure,
    shopping), each with example requests: a message nearer to these than to any topic is
    told nothing fits (`navigator.engine.understanding.topics.OutOfScope`)."""
    numbers: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    """Number words and what they are worth ("eighty": 80, "hundred": 100)."""
    units: dict[m.RangeUnit, list[str]] = Field(default_factory=dict)
    """Words that say what a number counts ("yrs" is years, "quid" is pounds)."""
    speaker: list[str] = Field(default_factory=list)
    """Words a person uses for themselves ("i", "im", "me"), to tell whose age is given."""
    age_cues: list[str] = Field(default_factory=list)
    """Words just before a number that make it an age in a first message ("is 82", "turned 70")."""
    negations: list[str] = Field(default_factory=list)
    """Words that turn a phrase round ("not", "dont"): a fact said after one is not taken."""
    fact_words: dict[Id, dict[str, list[str]]] = Field(default_factory=dict)
    """A fact, each of its values, and the phrases that say it ("my mum": someone-else)."""
    languages: dict[Annotated[str, Field(pattern=LANGUAGE_CODE)], LanguageWords] = Field(
        default_factory=dict
    )
    """Words in other languages, by ISO 639-1 code, read in a session in that language."""

    @field_validator("spellings", "related")
    @classmethod
    def _one_word_each(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for word, others in value.items():
            for other in others:
                if len(other.split()) != 1:
                    raise ValueError(
                        f"under '{word}', '{other}' is not one word: list each word on its own"
                    )
        return value


class Place(Model, m.Place):
    """The place this knowledge base serves."""

    name: Text
    districts: list[str] = Field(default_factory=list)
    populations: dict[str, int] = Field(default_factory=dict)
    """Residents per postcode district, for rates per 100,000 in reports."""


# --- One file ----------------------------------------------------------------------


class KnowledgeFile(Model):
    """What one YAML file may hold.

    Every section is optional, so staff can keep one file per topic.
    """

    place: Place | None = None
    needs: list[NeedCategory] = Field(default_factory=list)
    reasons: list[UnmetReason] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    rates: list[Rate] = Field(default_factory=list)
    unit_costs: list[UnitCost] = Field(default_factory=list)
    """What later events cost, from published sources (knowledge/unit-costs.yaml)."""
    safeguarding: Safeguarding | None = None
    messages: dict[Id, Text] = Field(default_factory=dict)
    languages: list[Language] = Field(default_factory=list)
    content_rules: ContentRules | None = None
    vocabulary: Vocabulary | None = None
    candidates: list[Candidate] = Field(default_factory=list)
    """Services imported from a feed, for review (knowledge/candidates/; oruk-in)."""
    taxonomy_crosswalk: list[TaxonomyCrosswalk] = Field(default_factory=list)
    menu: list[Id] | None = None
    """The topics in the order residents see them (`knowledge/menu.yaml`): numbers stay put
    when staff add a topic, because a new one is written at the end."""
