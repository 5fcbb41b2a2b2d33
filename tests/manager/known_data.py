"""A small knowledge base and an exact set of sessions, so every figure can be worked out by hand.

The sessions are stored the way a front end stores them: engine events,
through `to_payload` and `store_payloads`, into a real database.

The review period is 2025-03-03 to 2025-03-16 (two weeks; the period before
is 2025-02-17 to 2025-03-02). In the period (site central-library, kiosk,
unless said):

    A  12  housing: repairs -> unmet end (housing, no_service), district NB1, week 0
    B   3  carers: no -> unmet end (carers, no_service), district NB2, week 1; each then
           asked to talk to a person there
    C  20  housing: rent -> yes (16) / no (4) -> outcome: rent-help offered,
           deposit-scheme waiting list -> unmet (housing, waiting_list);
           10 in week 0 with NB1, 10 in week 1 with NB2
    D   8  carers: yes -> outcome: carers-hub ineligible (age_band) -> unmet (carers,
           ineligible); 2 with NB3, 6 with no district; week 1
    E   6  housing: rent, asked to talk to a person at housing-rent, then gave up; week 0
    F   2  carers: gave up at carers-start; week 1
    G   4  unmatched "need help with my boiler", then gave up; week 0
    H   5  unmatched "boiler broken need help", then gave up; week 1
    I   1  housing: shown safeguarding contacts at housing-start, then gave up; week 0
    M   1  market-hall, advocate, older content: housing repairs -> unmet; week 0

Before the period: 7 x housing no_service, 10 x carers ineligible, 2 x money no_service.

Unit costs (made up for the tests): a hostel night £35 and an A&E attendance £150 after
housing need (1-4 nights, 0.1-0.5 attendances a record), a GP appointment £40 after
carers' need (0.5-2 a record).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from msgspec.structs import replace
from sqlalchemy import Engine

from navigator.engine import events as ev
from navigator.kb import KnowledgeBase, load
from navigator.records.payloads import to_payload
from navigator.records.reports.tables import Filters, Period
from navigator.records.store import store_payloads
from tests.conftest import DEMO_KNOWLEDGE

PERIOD = Period(dt.date(2025, 3, 3), dt.date(2025, 3, 16))
FILTERS = Filters(PERIOD)
WEEK_0 = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)
WEEK_1 = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2025, 2, 20, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 3, 20)
CURRENT_HASH = "c0ffee"
"""Replaced by the loaded knowledge base's own hash in `known_sessions`."""
OLD_HASH = "0123456789abcdef"

KNOWLEDGE_YAML = """
place:
  name: Testham
  districts: [NB1, NB2, NB3]
  populations: {NB1: 20000, NB2: 10000, NB3: 5000}
agencies:
  - {id: housing, name: Housing}
  - {id: nhs, name: NHS}
  - {id: social-care, name: Adult social care}
  - {id: dwp, name: DWP}
unit_costs:
  - id: hostel-night
    title: A night in a hostel
    agency: housing
    pounds: 35
    per: night
    publication: Testham unit costs
    source: https://example.org/hostel
    year: "2024"
    price_base: 2023/24
    table: Table 1, hostels
    read_in: the source itself
    uprated: from 2022/23 by the GDP deflator
    verified_on: 2025-03-01
  - id: ae-attendance
    title: An A&E attendance
    agency: nhs
    pounds: 150
    per: attendance
    publication: Testham unit costs
    source: https://example.org/ae
    year: "2024"
    price_base: 2023/24
    table: Table 2
    read_in: "Secondary: Testham digest, example.org/digest"
    verified_on: 2025-03-01
  - id: gp-appointment
    title: A GP appointment
    agency: nhs
    pounds: 40
    per: appointment
    publication: Testham unit costs
    source: https://example.org/gp
    year: "2024"
    price_base: 2023/24
    table: Table 2
    read_in: "Secondary: Testham digest, example.org/digest"
    verified_on: 2025-03-01
needs:
  - id: housing
    title: Housing
    description: A home.
    cost_falls_on: [housing, nhs]
    likely_events:
      - {cost: hostel-night, low: 1, central: 2, high: 4, why: a few nights}
      - {cost: ae-attendance, low: 0.1, central: 0.2, high: 0.5}
  - id: carers
    title: Support for carers
    description: Carers.
    cost_falls_on: [nhs, social-care]
    likely_events:
      - {cost: gp-appointment, low: 0.5, central: 1, high: 2}
  - id: money
    title: Money
    description: Money.
    cost_falls_on: [dwp]
reasons:
  - {id: no_service, title: No service, description: None here.}
  - {id: waiting_list, title: Waiting list, description: A wait.}
  - {id: ineligible, title: Not eligible, description: Rules.}
  - {id: unmatched, title: Not matched, description: No topic.}
  - {id: not_helpful, title: Not helpful, description: Said no.}
facts:
  - id: age_band
    title: Age band
    values: {under-18: you are under 18, 18-64: you are 18 to 64, 65+: you are 65 or over}
topics:
  - {id: housing-topic, need: housing, title: Housing, summary: Homes., start: housing-start}
  - {id: carers-topic, need: carers, title: Caring, summary: Carers., start: carers-start}
nodes:
  - id: housing-start
    type: question
    text: What do you need help with?
    options:
      - {id: rent, label: Rent, next: housing-rent}
      - {id: repairs, label: Repairs, next: housing-nothing}
  - id: housing-rent
    type: question
    text: Are you behind with rent?
    options:
      - {id: "yes", label: "Yes", next: housing-outcome}
      - {id: "no", label: "No", next: housing-outcome}
  - id: housing-outcome
    type: outcome
    text: These can help.
    services: [rent-help, deposit-scheme]
  - id: housing-nothing
    type: unmet
    text: There is no repairs help.
    need: housing
    reason: no_service
    cost_falls_on: [housing]
  - id: carers-start
    type: question
    text: Do you care for someone?
    options:
      - {id: "yes", label: "Yes", next: carers-outcome}
      - {id: "no", label: "No", next: carers-none}
  - id: carers-outcome
    type: outcome
    text: This can help.
    services: [carers-hub]
  - id: carers-none
    type: unmet
    text: Nothing fits.
    need: carers
    reason: no_service
services:
  - id: rent-help
    name: Rent help
    description: Help with rent.
    provider: The council
    needs: [housing]
    last_reviewed: 2023-01-01
  - id: deposit-scheme
    name: Deposit scheme
    description: Deposits.
    provider: The council
    needs: [housing]
    status: waiting_list
    wait_time: {weeks: 12}
    last_reviewed: 2025-01-01
  - id: carers-hub
    name: Carers hub
    description: Carers.
    provider: A charity
    needs: [carers]
    last_reviewed: 2024-12-01
"""


def write_knowledge(folder: Path) -> KnowledgeBase:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "testham.yaml").write_text(KNOWLEDGE_YAML, encoding="utf-8")
    # The review's own words, as the demo borough ships them (the dashboard shows them).
    manager_words = DEMO_KNOWLEDGE / "messages" / "manager.yaml"
    (folder / "manager.yaml").write_text(manager_words.read_text(encoding="utf-8"), "utf-8")
    result = load(folder)
    assert result.ok, result.diagnostics
    return result.knowledge


@dataclass
class Walk:
    """One session's events, in order, with times ten seconds apart."""

    start: dt.datetime
    site: str = "central-library"
    channel: ev.Channel = "kiosk"
    content_hash: str = CURRENT_HASH
    session_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    events: list[ev.Event] = field(default_factory=list)

    def _common(self) -> dict[str, object]:
        sequence = len(self.events)
        return {
            "session_id": self.session_id,
            "sequence": sequence,
            "at": self.start + dt.timedelta(seconds=10 * sequence),
        }

    def add(self, kind: type[ev.Event], **values: object) -> Walk:
        self.events.append(kind(**self._common(), **values))  # type: ignore[arg-type]
        return self

    def begin(self) -> Walk:
        return self.add(
            ev.SessionStarted,
            channel=self.channel,
            site=self.site,
            content_hash=self.content_hash,
        )

    def topic(self, topic_id: str, need_id: str) -> Walk:
        return self.add(ev.TopicChosen, topic_id=topic_id, need_id=need_id)

    def answer(self, topic_id: str, node_id: str, option_id: str) -> Walk:
        return self.add(ev.AnswerGiven, topic_id=topic_id, node_id=node_id, option_id=option_id)

    def district(self, district: str) -> Walk:
        return self.add(ev.ContextGiven, postcode_district=district)

    def unmet(
        self,
        need_id: str | None,
        reason: str,
        topic_id: str | None = None,
        node_id: str | None = None,
        text: str | None = None,
    ) -> Walk:
        return self.add(
            ev.UnmetNeed,
            need_id=need_id,
            reason=reason,
            topic_id=topic_id,
            node_id=node_id,
            text=text,
        )

    def outcome(
        self, topic_id: str, need_id: str, node_id: str, *results: ev.ServiceResult
    ) -> Walk:
        return self.add(
            ev.OutcomeShown, topic_id=topic_id, need_id=need_id, node_id=node_id, results=results
        )

    def ask_for_person(self, topic_id: str, node_id: str, via: str = "button") -> Walk:
        return self.add(ev.PersonAsked, topic_id=topic_id, node_id=node_id, via=via)

    def end(self, how: ev.EndHow, last_node_id: str | None, reached_outcome: bool) -> Walk:
        return self.add(
            ev.SessionEnded, how=how, last_node_id=last_node_id, reached_outcome=reached_outcome
        )


def housing_repairs(start: dt.datetime, district: str | None = None, **where: object) -> Walk:
    walk = Walk(start, **where).begin().topic("housing-topic", "housing")  # type: ignore[arg-type]
    walk.answer("housing-topic", "housing-start", "repairs")
    if district:
        walk.district(district)
    walk.unmet("housing", "no_service", "housing-topic", "housing-nothing")
    return walk.end("finished", "housing-nothing", True)


def carers_none(start: dt.datetime, district: str) -> Walk:
    walk = Walk(start).begin().topic("carers-topic", "carers")
    walk.answer("carers-topic", "carers-start", "no").district(district)
    walk.unmet("carers", "no_service", "carers-topic", "carers-none")
    walk.ask_for_person("carers-topic", "carers-none")
    return walk.end("finished", "carers-none", True)


def housing_rent(start: dt.datetime, answer: str, district: str) -> Walk:
    walk = Walk(start).begin().topic("housing-topic", "housing")
    walk.answer("housing-topic", "housing-start", "rent").district(district)
    walk.answer("housing-topic", "housing-rent", answer)
    walk.outcome(
        "housing-topic",
        "housing",
        "housing-outcome",
        ev.ServiceResult(service_id="rent-help", fit="offered"),
        ev.ServiceResult(service_id="deposit-scheme", fit="waiting_list"),
    )
    walk.unmet("housing", "waiting_list", "housing-topic", "housing-outcome")
    return walk.end("finished", "housing-outcome", True)


def carers_ineligible(start: dt.datetime, district: str | None) -> Walk:
    walk = Walk(start).begin().topic("carers-topic", "carers")
    walk.answer("carers-topic", "carers-start", "yes")
    if district:
        walk.district(district)
    walk.outcome(
        "carers-topic",
        "carers",
        "carers-outcome",
        ev.ServiceResult(service_id="carers-hub", fit="ineligible", failed_rule="age_band"),
    )
    walk.unmet("carers", "ineligible", "carers-topic", "carers-outcome")
    return walk.end("finished", "carers-outcome", True)


def gave_up_at_rent(start: dt.datetime) -> Walk:
    walk = Walk(start).begin().topic("housing-topic", "housing")
    walk.answer("housing-topic", "housing-start", "rent")
    walk.ask_for_person("housing-topic", "housing-rent", "own_words")
    return walk.end("abandoned", "housing-rent", False)


def gave_up_at_carers_start(start: dt.datetime) -> Walk:
    walk = Walk(start).begin().topic("carers-topic", "carers")
    return walk.end("timed_out", "carers-start", False)


def unmatched(start: dt.datetime, text: str) -> Walk:
    walk = Walk(start).begin().unmet(None, "unmatched", text=text)
    return walk.end("abandoned", None, False)


def safeguarding(start: dt.datetime) -> Walk:
    walk = Walk(start).begin().topic("housing-topic", "housing")
    walk.add(ev.SafeguardingShown, crisis_kind="self-harm", node_id="housing-start")
    return walk.end("abandoned", "housing-start", False)


def money_none(start: dt.datetime) -> Walk:
    walk = Walk(start).begin()
    walk.unmet("money", "no_service")
    return walk.end("finished", None, True)


def _minutes(start: dt.datetime, count: int) -> Iterable[dt.datetime]:
    return (start + dt.timedelta(minutes=5 * index) for index in range(count))


def known_sessions(current_hash: str) -> list[Walk]:
    """The sessions in the module docstring; all but M made with knowledge `current_hash`."""
    walks: list[Walk] = []
    walks += [housing_repairs(at, "NB1") for at in _minutes(WEEK_0, 12)]
    walks += [carers_none(at, "NB2") for at in _minutes(WEEK_1, 3)]
    answers = ["yes"] * 16 + ["no"] * 4
    walks += [
        housing_rent(at, answers[index], "NB1")
        for index, at in enumerate(_minutes(WEEK_0 + dt.timedelta(hours=2), 10))
    ]
    walks += [
        housing_rent(at, answers[10 + index], "NB2")
        for index, at in enumerate(_minutes(WEEK_1 + dt.timedelta(hours=2), 10))
    ]
    districts = ["NB3", "NB3", None, None, None, None, None, None]
    walks += [
        carers_ineligible(at, districts[index])
        for index, at in enumerate(_minutes(WEEK_1 + dt.timedelta(hours=4), 8))
    ]
    walks += [gave_up_at_rent(at) for at in _minutes(WEEK_0 + dt.timedelta(hours=4), 6)]
    walks += [gave_up_at_carers_start(at) for at in _minutes(WEEK_1 + dt.timedelta(hours=6), 2)]
    walks += [
        unmatched(at, "need help with my boiler")
        for at in _minutes(WEEK_0 + dt.timedelta(hours=6), 4)
    ]
    walks += [
        unmatched(at, "boiler broken need help")
        for at in _minutes(WEEK_1 + dt.timedelta(hours=8), 5)
    ]
    walks.append(safeguarding(WEEK_0 + dt.timedelta(hours=8)))
    walks.append(
        housing_repairs(
            WEEK_0 + dt.timedelta(hours=9),
            site="market-hall",
            channel="advocate",
            content_hash=OLD_HASH,
        )
    )
    walks += [housing_repairs(at) for at in _minutes(BEFORE, 7)]
    walks += [carers_ineligible(at, None) for at in _minutes(BEFORE + dt.timedelta(hours=2), 10)]
    walks += [money_none(at) for at in _minutes(BEFORE + dt.timedelta(hours=4), 2)]
    for walk in walks:
        walk.events = [
            replace(event, content_hash=current_hash)
            if isinstance(event, ev.SessionStarted) and event.content_hash == CURRENT_HASH
            else event
            for event in walk.events
        ]
    return walks


def store(engine: Engine, walks: Iterable[Walk]) -> None:
    payloads = [to_payload(event) for walk in walks for event in walk.events]
    with engine.begin() as connection:
        store_payloads(connection, payloads, dt.datetime(2025, 4, 1, tzinfo=dt.UTC))
