"""Made-up but realistic records, walked from a knowledge base, for demos and benchmarks.

Each session is a random walk through the real node graph: a topic chosen
(more often in its season: money, food and housing in winter, families in
September), questions answered with per-option preferences, sometimes a step
back, sometimes abandoned part way, ending at an outcome (where each service
fits, or does not, by its status, eligibility and areas) or an unmet end.
A few sessions are unmatched requests in people's own words (from a small
pool, already free of personal details), a few show safeguarding contacts.
Sessions spread over the last two years with a gentle upward trend, fewer at
weekends, across sites and channels, with districts weighted by population.

Everything is seeded: the same seed and knowledge base give the same records.

Speed: rows are plain tuples written with `executemany` (SQLite) or `COPY`
(PostgreSQL) in large transactions, secondary indexes are dropped during the
load and rebuilt after, and on SQLite the journal is off while loading (if nothing else has
the file open; otherwise it loads in WAL beside the other programs, see `_journal_off`). A
crash mid-load can spoil the file, which is acceptable for made-up data and
never done by the record writer.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import queue
import random
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Index, Table

from navigator.kb import KnowledgeBase
from navigator.kb.model import AllRule, AnyRule, FactRule, Info, NotRule, Outcome, Question, Rule
from navigator.records.database import ensure_schema, make_engine, sqlite_file
from navigator.records.models import METADATA, PERSON_ASKED_STEP

Row = tuple[Any, ...]
Progress = Callable[[int, int], None]

CHANNELS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("kiosk", 0.34, ("central-library", "market-hall", "town-hall", "northfield-hub")),
    ("advocate", 0.24, ("market-hall", "northfield-hub", "central-library")),
    ("web", 0.32, ("online",)),
    ("plain", 0.10, ("online", "central-library")),
)
FALLBACK_DISTRICTS = {f"NB{n}": 15_000 + 1_500 * ((n * 7) % 11) for n in range(1, 13)}
AGE_BANDS = ("under-18", "18-64", "65+")
HOUSEHOLDS = ("lives-alone", "couple", "family-with-children", "lone-parent", "shares-with-others")
UNMATCHED_TEXTS = (
    "help with my cat when I go into hospital",
    "somebody to fix my fence after the storm",
    "can you help me fill in a form for my wife",
    "I need a lift to my hospital appointment",
    "my neighbour is too noisy at night",
    "where can I charge my wheelchair in town",
    "help to get my son to school, the bus stopped",
    "is there a group for dads with disabled kids",
    "I want to learn English with my children",
    "someone to go shopping with me on Saturdays",
    "how do I get a key safe fitted",
    "help sorting my late husband's paperwork",
    "my landlord will not fix the damp in [address]",
    "help with my gas bill, call me on [phone]",
    "is there anything for carers at weekends",
    "can someone check on my mum in NB4",
)
STEP_SECONDS = 25
YEARS = 2
LOAD_BUSY_TIMEOUT = 30.0
"""Seconds the load waits for the write lock when sharing the file (a writer or a purge
holding it); its own transactions are a chunk each, so others wait no longer than that."""
CHUNK = {"sqlite": 5_000, "postgresql": 50_000}
"""Sessions per transaction. On SQLite each holds the only write lock, and the kiosk's record
writer waits 5 s for it: 50,000 sessions took 3 to 7 s to commit on a busy 2-core machine
(about 40% of it the `session_days` triggers), 5,000 well under one, at the same total speed.
PostgreSQL writers do not wait on inserts, so there bigger is a little faster."""


@dataclass(frozen=True)
class _Choice:
    option_id: str
    next_id: str


@dataclass
class _Plan:
    """The knowledge base, pre-digested into tables a walk can use quickly."""

    topic_ids: list[str]
    topic_needs: dict[str, str]
    topic_starts: dict[str, str]
    monthly_topic_weights: list[list[float]]
    questions: dict[str, tuple[list[_Choice], list[float]]] = field(default_factory=dict)
    infos: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, tuple[str | None, list[tuple[str, str, str | None, frozenset[str]]]]] = (
        field(default_factory=dict)
    )
    unmet_ends: dict[str, tuple[str, str]] = field(default_factory=dict)
    reasons: frozenset[str] = frozenset()
    crisis_kinds: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    district_weights: list[float] = field(default_factory=list)
    content_hash: str = ""


def _first_fact(rule: Rule | None) -> str | None:
    """The fact a service's eligibility turns on first, reported as the `failed_rule`."""
    if isinstance(rule, FactRule):
        return rule.fact
    if isinstance(rule, AllRule | AnyRule):
        parts = rule.all if isinstance(rule, AllRule) else rule.any
        return next((fact for part in parts if (fact := _first_fact(part))), None)
    if isinstance(rule, NotRule):
        return _first_fact(rule.not_)
    return None


def _season(topic_id: str, need_id: str, month: int) -> float:
    """How much busier a topic is in `month` (1-12) than on average."""
    words = f"{topic_id} {need_id}"
    winter = math.cos(2 * math.pi * (month - 1) / 12)  # +1 in January, -1 in July
    if any(word in words for word in ("money", "debt", "food", "housing", "energy", "warm")):
        return 1 + 0.35 * winter
    if "lonel" in words or "isolation" in words:
        return 1 + 0.3 * winter + (0.25 if month == 12 else 0)
    if any(word in words for word in ("child", "family", "send", "young", "school")):
        return 1 + (0.4 if month == 9 else 0) - (0.3 if month == 8 else 0)
    if "mental" in words:
        return 1 + 0.15 * winter
    return 1.0


def build_plan(
    knowledge: KnowledgeBase,
    rng: random.Random,
    populations: Mapping[str, int] | None = None,
    need_weights: Mapping[str, float] | None = None,
) -> _Plan:
    """Digest the knowledge base: weights for topics, options, districts; what each end means.

    `populations` (residents by postcode district) and `need_weights` (how much more often
    than usual each need comes up) make another place's demand: a made-up council for
    comparing (`navigator demo-data --council`). By default, the knowledge base's place.
    """
    topic_ids = sorted(knowledge.topics)
    if not topic_ids:
        raise ValueError(f"{knowledge.root}: the knowledge base has no topics to walk")
    needs = {topic_id: knowledge.topics[topic_id].need for topic_id in topic_ids}
    popularity = {
        topic_id: rng.lognormvariate(0, 0.6) * (need_weights or {}).get(needs[topic_id], 1.0)
        for topic_id in topic_ids
    }
    monthly = [
        [popularity[t] * _season(t, needs[t], month) for t in topic_ids] for month in range(1, 13)
    ]
    plan = _Plan(
        topic_ids=topic_ids,
        topic_needs=needs,
        topic_starts={t: knowledge.topics[t].start for t in topic_ids},
        monthly_topic_weights=[list(itertools.accumulate(weights)) for weights in monthly],
        reasons=frozenset(knowledge.reasons),
        content_hash=knowledge.content_hash,
    )
    for node in knowledge.nodes.values():
        if isinstance(node, Question):
            choices = [_Choice(option.key, option.next) for option in node.options]
            weights = [
                rng.uniform(0.3, 1.0) * (1.5 if i == 0 else 1.0) for i in range(len(choices))
            ]
            plan.questions[node.id] = (choices, list(itertools.accumulate(weights)))
        elif isinstance(node, Info):
            plan.infos[node.id] = node.next
        elif isinstance(node, Outcome):
            services: list[tuple[str, str, str | None, frozenset[str]]] = []
            for service_id in node.services:
                service = knowledge.services.get(service_id)
                if service is None:
                    continue
                areas = (
                    frozenset(service.service_areas)
                    if isinstance(service.service_areas, list)
                    else frozenset()
                )
                services.append(
                    (service_id, service.status, _first_fact(service.eligibility), areas)
                )
            plan.outcomes[node.id] = (node.need, services)
        else:
            plan.unmet_ends[node.id] = (node.need, node.reason)
    if knowledge.safeguarding is not None:
        plan.crisis_kinds = [kind.id for kind in knowledge.safeguarding.kinds]
    if populations is None:
        populations = knowledge.place.populations if knowledge.place else {}
    populations = populations or FALLBACK_DISTRICTS
    plan.districts = sorted(populations)
    plan.district_weights = list(itertools.accumulate(populations[d] for d in plan.districts))
    return plan


# --- Time ------------------------------------------------------------------------------


def _day_weights(days: list[dt.date]) -> list[float]:
    """Fewer sessions at weekends and in August, more in winter, growing over the period."""
    weights = []
    for index, day in enumerate(days):
        weekday = (1.0, 1.05, 1.0, 1.0, 0.95, 0.35, 0.2)[day.weekday()]
        season = 1 + 0.12 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 20) / 365)
        holiday = 0.8 if day.month == 8 or (day.month == 12 and day.day > 22) else 1.0
        growth = 1 + 0.35 * index / max(1, len(days))
        weights.append(weekday * season * holiday * growth)
    return weights


HOURS = list(range(24))
_NIGHT_TO_NOON = (0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 2, 4, 5, 5)
_NOON_TO_NIGHT = (4.5, 4.5, 5, 4.5, 3.5, 2.5, 1.5, 1.2, 1.0, 0.8, 0.5, 0.2)
HOUR_WEIGHTS = list(itertools.accumulate((*_NIGHT_TO_NOON, *_NOON_TO_NIGHT)))


class _Clock:
    """Session start times as SQLite-style UTC text, in order, cheaply."""

    def __init__(self, rng: random.Random, end: dt.date) -> None:
        start = end - dt.timedelta(days=365 * YEARS)
        self.days = [start + dt.timedelta(days=n) for n in range((end - start).days)]
        self.day_text = [day.isoformat() for day in self.days]
        self.cumulative = list(itertools.accumulate(_day_weights(self.days)))
        self.rng = rng
        self.seconds_text = [
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)
        ]

    def draw(self, count: int) -> list[tuple[int, int]]:
        """`count` (day index, second of day) pairs, sorted by time."""
        days = self.rng.choices(range(len(self.days)), cum_weights=self.cumulative, k=count)
        hours = self.rng.choices(HOURS, cum_weights=HOUR_WEIGHTS, k=count)
        seconds = [
            hour * 3600 + self.rng.randrange(3600) for hour in hours
        ]  # a walk may run past midnight; text() wraps it onto the next day
        return sorted(zip(days, seconds, strict=True))

    def text(self, day: int, second: int) -> str:
        if second >= 86_400:
            day, second = min(day + 1, len(self.days) - 1), second - 86_400
        return f"{self.day_text[day]} {self.seconds_text[second]}.000000"


# --- Walking ----------------------------------------------------------------------------


@dataclass
class Tables:
    """Rows per table, in each table's column order (see `COLUMNS`)."""

    sessions: list[Row] = field(default_factory=list)
    steps: list[Row] = field(default_factory=list)
    outcomes: list[Row] = field(default_factory=list)
    outcome_services: list[Row] = field(default_factory=list)
    unmet_needs: list[Row] = field(default_factory=list)
    safeguarding_shown: list[Row] = field(default_factory=list)
    feedback: list[Row] = field(default_factory=list)
    contexts: list[Row] = field(default_factory=list)

    _marks: tuple[int, int, int] = (0, 0, 0)

    def mark(self) -> None:
        """Remember where this session's child rows begin, for `flags_since_mark`."""
        self._marks = (len(self.outcomes), len(self.unmet_needs), len(self.safeguarding_shown))

    def flags_since_mark(self) -> tuple[bool, bool, bool]:
        """The session's `reached_services`, `has_unmet` and `has_safeguarding`, as the store
        would set them from the child rows added since `mark`."""
        outcomes, unmet, safeguarding = self._marks
        offered = OUTCOME_OFFERED
        return (
            any(row[offered] > 0 for row in self.outcomes[outcomes:]),
            len(self.unmet_needs) > unmet,
            len(self.safeguarding_shown) > safeguarding,
        )

    def items(self) -> Iterator[tuple[str, list[Row]]]:
        for name in COLUMNS:
            yield name, getattr(self, name)

    def __len__(self) -> int:
        return sum(len(rows) for _, rows in self.items())


COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": (
        "id", "channel", "site", "content_hash", "language", "started_at", "ended_at",
        "end_how", "last_node_id", "reached_outcome", "reached_services", "has_unmet",
        "has_safeguarding", "topic_id", "need_id", "received_at",
    ),
    "steps": (
        "session_id", "sequence", "at", "kind", "topic_id", "need_id", "node_id", "option_id",
        "to_node_id", "via",
    ),
    "outcomes": ("session_id", "sequence", "at", "topic_id", "need_id", "node_id", "offered"),
    "outcome_services": ("session_id", "sequence", "service_id", "at", "fit", "failed_rule"),
    "unmet_needs": (
        "session_id", "sequence", "at", "need_id", "reason", "topic_id", "node_id",
        "recorded_by", "text",
    ),
    "safeguarding_shown": ("session_id", "sequence", "at", "crisis_kind", "node_id"),
    "feedback": ("session_id", "sequence", "at", "node_id", "helped"),
    "contexts": ("session_id", "at", "postcode_district", "age_band", "household"),
}  # fmt: skip

OUTCOME_OFFERED = COLUMNS["outcomes"].index("offered")
ASK_AT_QUESTION = 0.012
"""Chance that a person types "talk to a person" at a question."""
ASK_AT_UNMET_END = 0.15
"""Chance that a person chooses "Talk to a person" where nothing fits."""


class Generator:
    """Walks sessions through a plan, appending their rows to `Tables`."""

    def __init__(self, plan: _Plan, seed: int, end: dt.date) -> None:
        self.plan = plan
        self.rng = random.Random(seed)
        self.asks = random.Random(f"person-asked-{seed}")
        """Who asks to talk to a person: its own stream, so the other figures stay as they were."""
        self.clock = _Clock(self.rng, end)
        self.channel_weights = list(itertools.accumulate(weight for _, weight, _ in CHANNELS))

    def session_id(self, day: int, second: int) -> str:
        """Time-ordered ids (like UUIDv7), so the primary key index is appended to, not split."""
        millis = (day * 86_400 + second) * 1000 + self.rng.randrange(1000)
        text = f"{millis:012x}7{self.rng.getrandbits(76):019x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:32]}"

    def one(self, day: int, second: int, tables: Tables) -> None:
        rng, plan, clock = self.rng, self.plan, self.clock
        session_id = self.session_id(day, second)
        channel, _, sites = CHANNELS[
            bisect.bisect(self.channel_weights, rng.random() * self.channel_weights[-1])
        ]
        site = sites[0] if len(sites) == 1 else rng.choice(sites)
        sequence = 1  # 0 is the start itself
        tables.mark()
        district = None
        if rng.random() < 0.45:
            district = plan.districts[
                bisect.bisect(plan.district_weights, rng.random() * plan.district_weights[-1])
            ]
            age = AGE_BANDS[bisect.bisect((0.08, 0.62), rng.random())]
            household = rng.choice(HOUSEHOLDS) if rng.random() < 0.6 else None
            tables.contexts.append(
                (session_id, clock.text(day, second + 5), district, age, household)
            )
        if plan.crisis_kinds and rng.random() < 0.007:
            tables.safeguarding_shown.append(
                (
                    session_id,
                    sequence,
                    clock.text(day, second + 8),
                    rng.choice(plan.crisis_kinds),
                    None,
                )
            )
            sequence += 1
        if rng.random() < 0.04:
            tables.unmet_needs.append(
                (
                    session_id, sequence, clock.text(day, second + 20), None, "unmatched", None,
                    None, "advocate" if channel == "advocate" else "engine",
                    rng.choice(UNMATCHED_TEXTS),
                )
            )  # fmt: skip
            sequence += 1
            self._session_row(
                tables,
                session_id,
                channel,
                site,
                day,
                second,
                sequence,
                "finished",
                None,
                False,
                None,
            )
            return
        month = int(clock.day_text[day][5:7])
        weights = plan.monthly_topic_weights[month - 1]
        topic = plan.topic_ids[bisect.bisect(weights, rng.random() * weights[-1])]
        need = plan.topic_needs[topic]
        via = "own_words" if rng.random() < 0.3 else "menu"
        tables.steps.append(
            (
                session_id, sequence, clock.text(day, second + STEP_SECONDS), "topic", topic,
                need, None, None, None, via,
            )
        )  # fmt: skip
        sequence += 1
        end = self._walk(tables, session_id, channel, topic, need, district, day, second, sequence)
        how, last_node, reached, sequence = end
        self._session_row(
            tables,
            session_id,
            channel,
            site,
            day,
            second,
            sequence,
            how,
            last_node,
            reached,
            (topic, need),
        )

    def _walk(
        self,
        tables: Tables,
        session_id: str,
        channel: str,
        topic: str,
        need: str,
        district: str | None,
        day: int,
        second: int,
        sequence: int,
    ) -> tuple[str, str | None, bool, int]:
        """Answer questions until an end; returns (how it ended, last node, outcome?, sequence)."""
        rng, plan, clock = self.rng, self.plan, self.clock
        node_id = plan.topic_starts[topic]
        previous: str | None = None
        quit_chance = 0.05 if channel in {"kiosk", "web"} else 0.02
        for _ in range(25):
            at = clock.text(day, second + STEP_SECONDS * sequence)
            if node_id in plan.infos:
                node_id = plan.infos[node_id]
                continue
            question = plan.questions.get(node_id)
            if question is not None:
                if rng.random() < quit_chance:
                    how = "timed_out" if channel == "kiosk" and rng.random() < 0.5 else "abandoned"
                    return how, node_id, False, sequence
                if previous is not None and rng.random() < 0.06:
                    move = "change" if rng.random() < 0.3 else "back"
                    tables.steps.append(
                        (session_id, sequence, at, move, topic, None, node_id, None, previous, None)
                    )
                    sequence += 1
                if self.asks.random() < ASK_AT_QUESTION:
                    tables.steps.append(
                        (
                            session_id, sequence, at, PERSON_ASKED_STEP, topic, None, node_id,
                            None, None, "own_words",
                        )
                    )  # fmt: skip
                    sequence += 1
                choices, cumulative = question
                choice = choices[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
                tables.steps.append(
                    (
                        session_id, sequence, at, "answer", topic, None, node_id,
                        choice.option_id, None, "button",
                    )
                )  # fmt: skip
                sequence += 1
                previous, node_id = node_id, choice.next_id
                continue
            if node_id in plan.outcomes:
                sequence = self._outcome(
                    tables, session_id, topic, need, district, node_id, at, sequence
                )
                return "finished", node_id, True, sequence
            if node_id in plan.unmet_ends:
                unmet_need, reason = plan.unmet_ends[node_id]
                tables.unmet_needs.append(
                    (session_id, sequence, at, unmet_need, reason, topic, node_id, "engine", None)
                )
                sequence += 1
                if self.asks.random() < ASK_AT_UNMET_END:
                    tables.steps.append(
                        (
                            session_id, sequence, at, PERSON_ASKED_STEP, topic, None, node_id,
                            None, None, "button",
                        )
                    )  # fmt: skip
                    sequence += 1
                return "finished", node_id, True, sequence
            break  # a dangling reference: end the walk where it is
        return "abandoned", node_id, False, sequence

    def _outcome(
        self,
        tables: Tables,
        session_id: str,
        topic: str,
        need: str,
        district: str | None,
        node_id: str,
        at: str,
        sequence: int,
    ) -> int:
        rng = self.rng
        outcome_need, services = self.plan.outcomes[node_id]
        need = outcome_need or need
        fits: list[str] = []
        for service_id, status, rule_fact, areas in services:
            failed_rule = None
            if status == "closed":
                fit = "closed"
            elif areas and district is not None and district not in areas:
                fit = "out_of_area"
            elif rule_fact is not None and rng.random() < 0.22:
                fit, failed_rule = "ineligible", rule_fact
            elif status == "waiting_list":
                fit = "waiting_list"
            else:
                fit = "offered"
            fits.append(fit)
            tables.outcome_services.append((session_id, sequence, service_id, at, fit, failed_rule))
        offered = sum(1 for fit in fits if fit in {"offered", "waiting_list"})
        tables.outcomes.append((session_id, sequence, at, topic, need, node_id, offered))
        sequence += 1
        reason = None
        if not offered:
            reason = next((r for r in ("ineligible", "out_of_area") if r in fits), "no_service")
        elif "offered" not in fits:
            reason = "waiting_list"
        if reason is not None:
            tables.unmet_needs.append(
                (session_id, sequence, at, need, reason, topic, node_id, "engine", None)
            )
            sequence += 1
        if rng.random() < 0.25:
            helped = rng.random() < (0.75 if reason is None else 0.3)
            tables.feedback.append((session_id, sequence, at, node_id, helped))
            sequence += 1
            if not helped and reason is None and rng.random() < 0.5:
                tables.unmet_needs.append(
                    (session_id, sequence, at, need, "not_helpful", topic, node_id, "engine", None)
                )
                sequence += 1
        return sequence

    def _session_row(
        self,
        tables: Tables,
        session_id: str,
        channel: str,
        site: str,
        day: int,
        second: int,
        sequence: int,
        how: str,
        last_node: str | None,
        reached: bool,
        topic_need: tuple[str, str] | None,
    ) -> None:
        clock = self.clock
        started = clock.text(day, second)
        ended = clock.text(day, second + STEP_SECONDS * (sequence + 1))
        topic, need = topic_need or (None, None)
        tables.sessions.append(
            (
                session_id, channel, site, self.plan.content_hash, "en", started, ended, how,
                last_node, reached, *tables.flags_since_mark(), topic, need,
                clock.text(day, second + 1),
            )
        )  # fmt: skip


# --- Loading ------------------------------------------------------------------------------


def _secondary_indexes() -> list[Index]:
    return [index for table in METADATA.sorted_tables for index in table.indexes]


def _create_index_sql(index: Index) -> str:
    names = ", ".join(column.name for column in index.columns)
    table_name = index.table.name if index.table is not None else ""
    return f"CREATE INDEX IF NOT EXISTS {index.name} ON {table_name} ({names})"


def _load_sqlite(path: str, chunks: Iterator[Tables], total: int, progress: Progress | None) -> int:
    """Insert in a second thread: sqlite3 lets go of the GIL while SQLite works, so making
    the next chunk overlaps with writing this one."""
    connection = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=LOAD_BUSY_TIMEOUT
    )
    try:
        alone = _journal_off(connection)
        for pragma in ("cache_size=-262144", "temp_store=MEMORY", "threads=2"):
            connection.execute(f"PRAGMA {pragma}")
        for index in _secondary_indexes():
            connection.execute(f"DROP INDEX IF EXISTS {index.name}")
        rows = _pipelined(
            chunks, lambda tables: _insert_sqlite(connection, tables), total, progress
        )
        for index in _secondary_indexes():
            connection.execute(_create_index_sql(index))
        connection.execute("PRAGMA analysis_limit=400")  # a sample is enough for the planner
        connection.execute("ANALYZE")
        if alone:
            # Refused if another program opened the file meanwhile; the sessions are
            # committed all the same, and Navigator's next connection sets WAL.
            with suppress(sqlite3.OperationalError):
                connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()
    return rows


def _journal_off(connection: sqlite3.Connection) -> bool:
    """Turn the journal off for speed if no one else has the file open; say whether it is.

    Leaving WAL needs the file to itself, and SQLite refuses at once (no busy wait) while
    any other connection is open: a manager's dashboard, a report, the record writer.
    Then the load shares the file in WAL instead, slower but as safe as any writer, and
    waits its turn for the write lock like one.
    """
    try:
        alone = bool(connection.execute("PRAGMA journal_mode=OFF").fetchone() == ("off",))
    except sqlite3.OperationalError:
        alone = False
    connection.execute(f"PRAGMA synchronous={'OFF' if alone else 'NORMAL'}")
    return alone


def _insert_sqlite(connection: sqlite3.Connection, tables: Tables) -> None:
    # IMMEDIATE, like Navigator's writers: the write lock is awaited (busy timeout) at the
    # start, never refused part way through when sharing the file in WAL.
    connection.execute("BEGIN IMMEDIATE")
    for name, table_rows in tables.items():
        columns = COLUMNS[name]
        marks = ", ".join("?" * len(columns))
        connection.executemany(
            f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", table_rows
        )
    connection.execute("COMMIT")


def _pipelined(
    chunks: Iterator[Tables],
    write: Callable[[Tables], None],
    total: int,
    progress: Progress | None,
) -> int:
    """Write chunks in a worker thread while the caller's thread makes the next ones."""
    handoff: queue.Queue[Tables | None] = queue.Queue(maxsize=2)
    failure: list[BaseException] = []
    counts = {"rows": 0, "sessions": 0}

    def writer() -> None:
        while (tables := handoff.get()) is not None:
            if failure:
                continue
            try:
                write(tables)
            except BaseException as error:  # handed back to the caller below
                failure.append(error)
                continue
            counts["rows"] += len(tables)
            counts["sessions"] += len(tables.sessions)
            if progress:
                progress(counts["sessions"], total)

    thread = threading.Thread(target=writer, name="demo-data-writer")
    thread.start()
    try:
        for tables in chunks:
            if failure:
                break
            handoff.put(tables)
    finally:
        handoff.put(None)
        thread.join()
    if failure:
        raise failure[0]
    return counts["rows"]


def _load_postgres(
    engine: Engine, chunks: Iterator[Tables], total: int, progress: Progress | None
) -> int:
    raw = engine.raw_connection()
    rows = 0
    try:
        driver: Any = raw.driver_connection
        with driver.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
            for index in _secondary_indexes():
                cursor.execute(f"DROP INDEX IF EXISTS {index.name}")
            driver.commit()
            done = 0
            for tables in chunks:
                for name, table_rows in tables.items():
                    columns = ", ".join(COLUMNS[name])
                    with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                        for row in table_rows:
                            copy.write_row(row)
                driver.commit()
                rows += len(tables)
                done += len(tables.sessions)
                if progress:
                    progress(done, total)
            for index in _secondary_indexes():
                cursor.execute(_create_index_sql(index))
            cursor.execute("ANALYZE")
            driver.commit()
            # VACUUM marks the new sessions' pages all-visible, so the overview's covering
            # index is read without visiting the table (autovacuum would, later). It cannot
            # run inside a transaction.
            driver.autocommit = True
            cursor.execute("VACUUM sessions")
    finally:
        raw.close()
    return rows


def _chunks(generator: Generator, sessions: int, chunk: int) -> Iterator[Tables]:
    """Sessions in time order, `chunk` at a time (times are drawn for all at once)."""
    times = generator.clock.draw(sessions)
    for start in range(0, sessions, chunk):
        tables = Tables()
        for day, second in times[start : start + chunk]:
            generator.one(day, second, tables)
        yield tables


@dataclass(frozen=True)
class DemoResult:
    sessions: int
    rows: int


def fill(
    database_url: str,
    knowledge: KnowledgeBase,
    sessions: int,
    seed: int = 1,
    *,
    end: dt.date | None = None,
    progress: Progress | None = None,
    chunk: int | None = None,
    populations: Mapping[str, int] | None = None,
    need_weights: Mapping[str, float] | None = None,
) -> DemoResult:
    """Add `sessions` made-up sessions to the database (made and migrated if need be).

    `populations` and `need_weights` make another place's demand (see `build_plan`)."""
    if sessions < 0:
        raise ValueError("the number of sessions cannot be negative")
    engine = make_engine(database_url, writing=True)
    try:
        ensure_schema(engine)
        rng = random.Random(seed)
        generator = Generator(
            build_plan(knowledge, rng, populations, need_weights),
            seed,
            end or dt.datetime.now(dt.UTC).date(),
        )
        chunks = _chunks(generator, sessions, chunk or CHUNK.get(engine.dialect.name, 50_000))
        path = sqlite_file(database_url)
        if engine.dialect.name == "sqlite" and path is not None:
            engine.dispose()
            rows = _load_sqlite(str(path), chunks, sessions, progress)
        elif engine.dialect.name == "postgresql":
            rows = _load_postgres(engine, chunks, sessions, progress)
        else:
            raise ValueError(f"demo data can go into SQLite files or PostgreSQL, not {engine.url}")
    finally:
        engine.dispose()
    return DemoResult(sessions=sessions, rows=rows)


def table_for(name: str) -> Table:
    return METADATA.tables[name]


def all_columns_known(names: Sequence[str] = tuple(COLUMNS)) -> bool:
    """True when every demo column exists in the models (a guard the tests use)."""
    return all(set(COLUMNS[name]) == set(table_for(name).columns.keys()) for name in names)
