"""Synthetic knowledge bases of any size, for benchmarks and property tests.

`write_synthetic_kb(root, nodes=10_000, seed=1)` writes a *valid* knowledge
base (the validator finds no errors and no warnings) shaped like a real one:
a shared file with every need category, the engine's unmet reasons, agencies,
facts, safeguarding and messages, then one file per topic holding a decision
tree five levels deep (questions that set facts, the odd information step),
ending in outcomes whose services carry eligibility rules, and in unmet-need
ends. The same seed always gives the same files.

Import it as `tests.bench.synthetic_kb` from tests, or run the benchmark
(`tests/bench/bench_kb.py`), which imports it from beside itself.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

from navigator.kb.requirements import REQUIRED_MESSAGES, REQUIRED_REASONS

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

DEPTH = 5
"""Levels of questions (or information steps) before an end."""

FULL_TREE = 63
"""Nodes in a topic whose questions all have two options: 31 questions and 32 ends.

Texts are unique to each node and service, as in real content (option
labels repeat, as "Yes" and "No" do), so text checks cannot lean on repetition.
Every topic has at least one path `DEPTH` levels deep, so the smallest topic
has about 11 nodes and a knowledge base at least one topic per need category.
"""

NEEDS = (
    "adult-social-care",
    "carers-support",
    "personal-budget",
    "disability-equipment",
    "family-support",
    "children-send",
    "childcare-early-years",
    "mental-health",
    "housing",
    "money-debt",
    "food-essentials",
    "employment-skills",
    "loneliness-isolation",
    "domestic-abuse",
    "health-wellbeing",
    "young-people",
)

AGENCIES = ("nhs", "police", "housing", "schools", "dwp", "social-care")

# Facts a question can ask about: id, question text, then (value, option label, phrase).
CHOICE_FACTS: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "age_band",
        "How old are you?",
        (
            ("under-18", "Under 18", "you are under 18"),
            ("18-64", "18 to 64", "you are between 18 and 64"),
            ("65+", "65 or over", "you are 65 or over"),
        ),
    ),
    (
        "lives_in",
        "Where do you live?",
        (
            ("northbrook", "In Northbrook", "you live in Northbrook"),
            ("nearby", "Just outside Northbrook", "you live just outside Northbrook"),
            ("elsewhere", "Somewhere else", "you live somewhere else"),
        ),
    ),
    (
        "household",
        "Who do you live with?",
        (
            ("alone", "On my own", "you live on your own"),
            ("family", "With family", "you live with family"),
            ("others", "With other people", "you live with other people"),
        ),
    ),
    (
        "urgency",
        "How soon do you need help?",
        (
            ("today", "Today", "you need help today"),
            ("this-week", "This week", "you need help this week"),
            ("later", "It can wait", "your need can wait"),
        ),
    ),
)

INCOME_OPTIONS = (("Under £200", 150), ("£200 to £400", 300), ("More than £400", 500))


def write_synthetic_kb(
    root: Path, nodes: int, seed: int = 1, *, reviewed: dt.date | None = None
) -> Path:
    """Write a valid knowledge base of roughly `nodes` nodes under `root` and return `root`.

    `reviewed` is the `last_reviewed` date of every service (today by default),
    so the knowledge base has no review warnings when validated soon after.
    """
    rng = random.Random(seed)
    reviewed = reviewed or dt.date.today()
    root.mkdir(parents=True, exist_ok=True)
    _dump(root / "base.yaml", _base(reviewed))
    topics = max(len(NEEDS), round(nodes / FULL_TREE))
    for index in range(topics):
        budget = nodes // topics + (1 if index < nodes % topics else 0)
        topic = _TopicBuilder(rng, index, NEEDS[index % len(NEEDS)], reviewed, budget)
        _dump(root / "topics" / f"topic-{index:05d}.yaml", topic.build())
    return root


def _dump(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(content, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def _base(reviewed: dt.date) -> dict[str, Any]:
    """The shared file: reference lists, safeguarding, messages and house style."""
    facts: list[dict[str, Any]] = [
        {
            "id": fact_id,
            "title": question,
            "values": {value: phrase for value, _label, phrase in choices},
        }
        for fact_id, question, choices in CHOICE_FACTS
    ]
    facts.append(
        {
            "id": "weekly_income",
            "title": "Money coming in each week",
            "phrase": "about £{value} comes in each week",
        }
    )
    return {
        "place": {"name": "Synthetic Borough", "districts": ["NB1", "NB2", "NB3"]},
        "needs": [
            {
                "id": need,
                "title": need.replace("-", " ").capitalize(),
                "description": f"Help with {need.replace('-', ' ')}.",
                "cost_falls_on": [AGENCIES[number % len(AGENCIES)]],
            }
            for number, need in enumerate(NEEDS)
        ],
        "reasons": [
            {
                "id": reason,
                "title": reason.replace("_", " ").capitalize(),
                "description": f"The need went unmet: {reason.replace('_', ' ')}.",
            }
            for reason in REQUIRED_REASONS
        ],
        "agencies": [
            {"id": agency, "name": agency.replace("-", " ").title()} for agency in AGENCIES
        ],
        "facts": facts,
        "safeguarding": {
            "verified_on": reviewed.isoformat(),
            "kinds": [
                {
                    "id": "immediate-danger",
                    "title": "Immediate danger",
                    "message": "You can get help right now.",
                    "signs": ["in danger now", "going to hurt me"],
                    "contacts": ["emergency"],
                }
            ],
            "contacts": [
                {
                    "id": "emergency",
                    "name": "Emergency services",
                    "phone": "999",
                    "how": "Call 999 if you are in danger now.",
                }
            ],
        },
        "messages": {key: f"Message {key}." for key in REQUIRED_MESSAGES},
    }


class _TopicBuilder:
    """One topic's decision tree and the services its outcomes offer."""

    def __init__(
        self, rng: random.Random, index: int, need: str, reviewed: dt.date, budget: int
    ) -> None:
        self.rng = rng
        self.budget = budget
        self.prefix = f"t{index:05d}"
        self.need = need
        self.reviewed = reviewed
        self.nodes: list[dict[str, Any]] = []
        self.outcomes: list[dict[str, Any]] = []
        self.services = [self._service(number) for number in range(4)]

    def build(self) -> dict[str, Any]:
        start = self._node(level=0)
        self._offer_every_service()
        topic = {
            "id": f"{self.prefix}-topic",
            "need": self.need,
            "title": f"Topic {self.prefix}",
            "summary": f"Help with {self.need.replace('-', ' ')}.",
            "keywords": [self.need.replace("-", " "), self.prefix],
            "examples": [f"I need help with {self.need.replace('-', ' ')}"],
            "start": start,
        }
        return {"topics": [topic], "nodes": self.nodes, "services": self.services}

    def _new_id(self, kind: str) -> str:
        return f"{self.prefix}-{kind}-{len(self.nodes)}"

    def _node(self, level: int) -> str:
        """Add a node at `level` (and everything below it); return its id."""
        if level == DEPTH:
            return self._end()
        if level > 0 and self._room() and self.rng.random() < 0.15:
            return self._info(level)
        return self._question(level)

    def _info(self, level: int) -> str:
        node: dict[str, Any] = {
            "id": self._new_id("info"),
            "type": "info",
            "text": f"Here is something useful to know about step {len(self.nodes)} of "
            f"{self.prefix}. Read it, then carry on.",
        }
        self.nodes.append(node)
        node["next"] = self._node(level + 1)
        return str(node["id"])

    def _question(self, level: int) -> str:
        node: dict[str, Any] = {"id": self._new_id("question"), "type": "question"}
        self.nodes.append(node)
        wide = level == 0 or self.rng.random() < 0.2
        branches = 3 if wide and self._room() else 2
        if self.rng.random() < 0.2:
            node["text"] = "About how much money comes in each week?"
            choices = [
                (label, {"weekly_income": amount}) for label, amount in INCOME_OPTIONS[:branches]
            ]
        else:
            fact_id, text, values = self.rng.choice(CHOICE_FACTS)
            node["text"] = text
            node["help"] = f"Pick the answer that fits best. This is step {len(self.nodes)}."
            choices = [(label, {fact_id: value}) for value, label, _ in values[:branches]]
        node["options"] = [
            {"label": label, "set": facts, "next": self._branch(level + 1, first=number == 0)}
            for number, (label, facts) in enumerate(choices)
        ]
        return str(node["id"])

    def _room(self) -> bool:
        """Whether the topic has nodes left in its budget."""
        return len(self.nodes) < self.budget

    def _branch(self, level: int, first: bool) -> str:
        """The first option always goes deeper (so every topic is `DEPTH` deep); others while
        the topic's budget of nodes lasts, then straight to an end."""
        if first or self._room():
            return self._node(level)
        return self._end()

    def _end(self) -> str:
        if not self.outcomes or self.rng.random() < 0.6:
            node: dict[str, Any] = {
                "id": self._new_id("outcome"),
                "type": "outcome",
                "text": f"These services may help you with {self.need.replace('-', ' ')}. "
                f"They are listed at end {len(self.nodes)} of {self.prefix}.",
                "services": self.rng.sample(
                    [service["id"] for service in self.services], self.rng.randint(1, 3)
                ),
            }
            self.outcomes.append(node)
        else:
            node = {
                "id": self._new_id("unmet"),
                "type": "unmet",
                "text": f"We do not have a service for this yet ({self.prefix}, end "
                f"{len(self.nodes)}). We have noted that you asked.",
                "need": self.need,
                "reason": self.rng.choice(REQUIRED_REASONS),
            }
        self.nodes.append(node)
        return str(node["id"])

    def _offer_every_service(self) -> None:
        offered = {service for outcome in self.outcomes for service in outcome["services"]}
        for service in self.services:
            if service["id"] not in offered:
                self.outcomes[0]["services"].append(service["id"])

    def _service(self, number: int) -> dict[str, Any]:
        service: dict[str, Any] = {
            "id": f"{self.prefix}-service-{number}",
            "name": f"Service {number} for {self.prefix}",
            "description": f"Friendly help with {self.need.replace('-', ' ')} from people who "
            f"know the area. Ask for service {number} of {self.prefix}.",
            "provider": "Synthetic Borough Council",
            "needs": [self.need],
            "contact": {
                "phones": [{"number": f"01632 96{self.rng.randint(0, 9999):04d}"}],
                "website": f"https://example.org/{self.prefix}/{number}",
            },
            "schedules": "Monday to Friday, 9am to 5pm.",
            "service_areas": ["NB1", "NB2"] if number % 2 else "all",
            "eligibility": self._rule(depth=0),
            "last_reviewed": self.reviewed.isoformat(),
        }
        if number == 3:
            service["status"] = "waiting_list"
            service["wait_time"] = {"weeks": self.rng.randint(2, 20)}
        return service

    def _rule(self, depth: int) -> dict[str, Any]:
        roll = self.rng.random()
        if depth < 2 and roll < 0.3:
            return {"all": [self._rule(depth + 1), self._rule(depth + 1)]}
        if depth < 2 and roll < 0.45:
            return {"any": [self._rule(depth + 1), self._rule(depth + 1)]}
        if depth < 2 and roll < 0.55:
            return {"not": self._rule(depth + 1)}
        if roll < 0.75:
            return {"fact": "weekly_income", "at_most": self.rng.choice((200, 300, 400))}
        fact_id, _question, values = self.rng.choice(CHOICE_FACTS)
        chosen = self.rng.sample([value for value, _label, _phrase in values], 2)
        if self.rng.random() < 0.5:
            return {"fact": fact_id, "equals": chosen[0]}
        return {"fact": fact_id, "in": chosen}
