"""The "Giving up" section: where people gave up (by topic, and each topic's funnel of
questions), and where they asked to talk to a person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from navigator.kb.graph import reachable_from
from navigator.kb.model import Question
from navigator.records.reports import queries as q
from navigator.records.reports.groups.common import (
    BEFORE_TOPIC,
    Published,
    pinned_figure,
    published,
    published_order,
    share_of,
    shown_drill,
    withheld,
    withheld_if,
)
from navigator.records.reports.suppression import Ledger, share
from navigator.records.reports.tables import Chart, Column, Drill, Filters, Table, Value

if TYPE_CHECKING:
    from navigator.records.reports.review import Review


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    left = {row.node_id: int(row.count) for row in review.rows(q.gave_up_at(filters))}
    answered = {row.node_id: int(row.count) for row in review.rows(q.answered(filters))}
    owners = review.knowledge.topic_of_node()
    by_topic: dict[str, list[str]] = {}
    for node_id in left:
        topic = owners.get(node_id or "", "") if node_id else BEFORE_TOPIC
        by_topic.setdefault(topic, []).append(node_id)
    all_topics = [filters.topic] if filters.topic else list(review.knowledge.topics)
    questions = {topic_id: _questions(review, topic_id) for topic_id in all_topics}
    left_out: set[str] = set()
    while True:
        topics = [topic for topic in all_topics if topic not in left_out]
        shown = {node for topic in topics for node in questions[topic]}
        ledger = _funnel_ledger(review, pinned, left, answered, by_topic, shown)
        exposed = {
            cell[1] for cell in ledger.unprotected if isinstance(cell, tuple) and cell[0] == "left"
        }
        worst = max(
            topics,
            key=lambda topic: (len(exposed & set(questions[topic])), topic),
            default=None,
        )
        if worst is None or not exposed & set(questions[worst]):
            break
        left_out.add(worst)  # a funnel that cannot be protected is left out, then retry
    funnels: list[Table] = []
    for topic_id in topics:
        rows: list[tuple[Value, ...]] = []
        drills: list[Drill | None] = []
        for node_id in questions[topic_id]:
            reached = ledger.figure(("reached", node_id))
            left_here = ledger.figure(("left", node_id))
            rows.append(
                (review.question_label(node_id), reached, left_here, share(left_here, reached))
            )
            drill = Drill(f"Gave up at '{review.question_label(node_id)}'", abandoned_at=node_id)
            drills.append(shown_drill(left_here, drill))
        funnels.append(_funnel_table(review, topic_id, rows, drills))
    topic_order = sorted(
        by_topic,
        key=lambda t: published_order(ledger.figure(("left-topic", t)), review.topic_title(t)),
    )
    sessions = pinned_figure(pinned, ("headline", "sessions"), review.threshold)

    def started(topic: str) -> Value:
        """Who could have given up there: all sessions before a topic, else its first
        question's "reached it" (published in the topic's funnel; none if withheld)."""
        if topic == BEFORE_TOPIC:
            return sessions
        first = questions.get(topic, [])
        if not first or topic in left_out:
            return None
        return ledger.figure(("reached", first[0]))

    gave_up = Table(
        key="gave_up_by_topic",
        title="Where people gave up, by topic",
        note="The give-up rate is of those who reached the topic's first question "
        "(of all sessions, before choosing a topic and for the total).",
        columns=(
            Column("topic", "Topic", "label"),
            Column("count", "Sessions"),
            Column("rate", "Give-up rate (%)", "share"),
        ),
        rows=(
            *(
                (
                    review.topic_title(t),
                    ledger.figure(("left-topic", t)),
                    share_of(ledger.figure(("left-topic", t)), started(t), False),
                )
                for t in topic_order
            ),
            (
                "All who gave up",
                ledger.figure(("headline", "gave_up")),
                share_of(ledger.figure(("headline", "gave_up")), sessions, False),
            ),
        ),
        chart=Chart("bar", "topic", "count"),
        totals=1,
    )
    asked, asked_cells = _asked_for_person(review, filters)
    gave_up, *funnels = withheld_if(ledger, (gave_up, *funnels))
    funnels += [withheld(_funnel_table(review, topic, [], [])) for topic in sorted(left_out)]
    order = {topic: number for number, topic in enumerate(all_topics)}
    funnels.sort(key=lambda table: order[table.key.removeprefix("funnel:")])
    return (gave_up, *asked, *funnels), {**published(ledger), **asked_cells}


def _funnel_ledger(
    review: Review,
    pinned: Published,
    left: dict[str, int],
    answered: dict[str, int],
    by_topic: dict[str, list[str]],
    shown: set[str],
) -> Ledger:
    """Giving up, protected: topics add up to the headline, questions to their topic.

    Where people left a node no funnel shows (an information page, a question of
    a topic not shown), the count is unpublished: a reader knows only that the
    shown rows add up to at most their topic's figure, and the audit reasons as
    they would. Likewise "gave up here" is at most "reached it".
    """
    ledger = review.ledger()
    value, hidden = pinned[("headline", "gave_up")]
    ledger.pin(("headline", "gave_up"), value, hidden)
    for node_id, count in left.items():
        ledger.count(("left", node_id), count, published=node_id in shown)
    for topic, nodes in by_topic.items():
        ledger.total(("left-topic", topic), [("left", node) for node in nodes])
    ledger.relate(("headline", "gave_up"), [("left-topic", topic) for topic in by_topic])
    for node_id in sorted(shown):
        if ("left", node_id) not in ledger.values:
            ledger.count(("left", node_id), 0)
        went_on = ledger.count(("answered", node_id), answered.get(node_id, 0), published=False)
        ledger.total(("reached", node_id), [went_on, ("left", node_id)])
    ledger.hidden()
    return ledger


def _funnel_table(
    review: Review,
    topic_id: str,
    rows: list[tuple[Value, ...]],
    drills: list[Drill | None],
) -> Table:
    return Table(
        key=f"funnel:{topic_id}",
        title=f"Where people give up: {review.topic_title(topic_id)}",
        columns=(
            Column("question", "Question", "label"),
            Column("reached", "Reached it"),
            Column("left", "Gave up here"),
            Column("share", "Share who gave up (%)", "share"),
        ),
        rows=tuple(rows),
        drill=tuple(drills),
    )


def _asked_for_person(review: Review, filters: Filters) -> tuple[tuple[Table, Table], Published]:
    """Where people asked to talk to a person: demand for a human, by topic and by node.

    Its own ledger: these counts add up among themselves (node, topic, all)
    and to nothing else shown, so they are protected together.
    """
    ledger = review.ledger()
    places: dict[str, list[str | None]] = {}
    for row in review.rows(q.asked_for_person(filters)):
        topic = row.topic_id or BEFORE_TOPIC
        ledger.count(("asked", topic, row.node_id), int(row.count))
        places.setdefault(topic, []).append(row.node_id)
    for topic, nodes in places.items():
        ledger.total(("asked-topic", topic), [("asked", topic, node) for node in nodes])
    ledger.total(("asked-all",), [("asked-topic", topic) for topic in places])
    ledger.last_resort.add(("asked-all",))
    topics = sorted(
        places,
        key=lambda t: published_order(ledger.figure(("asked-topic", t)), review.topic_title(t)),
    )
    note = (
        "Sessions where the person asked to talk to a person, counted once, where they "
        "first asked: a sign of where self-service was not enough."
    )
    by_topic = Table(
        key="asked_for_person_by_topic",
        title="Where people asked to talk to a person, by topic",
        note=note,
        columns=(Column("topic", "Topic", "label"), Column("count", "Sessions")),
        rows=(
            *((review.topic_title(t), ledger.figure(("asked-topic", t))) for t in topics),
            ("All who asked", ledger.figure(("asked-all",))),
        ),
        chart=Chart("bar", "topic", "count"),
        drill=(
            *(
                shown_drill(ledger.figure(("asked-topic", t)), _asked_drill(review, t))
                for t in topics
            ),
            None,
        ),
        totals=1,
    )
    place_rows: list[tuple[Value, ...]] = []
    place_drills: list[Drill | None] = []
    for topic in topics:
        nodes = sorted(
            places[topic],
            key=lambda n: published_order(ledger.figure(("asked", topic, n)), n or ""),
        )
        for node in nodes:
            figure = ledger.figure(("asked", topic, node))
            place_rows.append((review.topic_title(topic), review.place_label(node), figure))
            place_drills.append(
                shown_drill(figure, _asked_drill(review, topic, node, at_node=True))
            )
    by_place = Table(
        key="asked_for_person_by_place",
        title="Where people asked to talk to a person",
        note=note,
        columns=(
            Column("topic", "Topic", "label"),
            Column("place", "Where they were", "label"),
            Column("count", "Sessions"),
        ),
        rows=tuple(place_rows),
        drill=tuple(place_drills),
    )
    by_topic, by_place = withheld_if(ledger, (by_topic, by_place))
    return (by_topic, by_place), published(ledger)


def _asked_drill(
    review: Review, topic: str, node: str | None = None, *, at_node: bool = False
) -> Drill:
    """The sessions that first asked for a person in `topic`, and at `node` if `at_node`."""
    where = (
        "before choosing a topic" if topic == BEFORE_TOPIC else f"in {review.topic_title(topic)}"
    )
    if at_node and node:
        where = f"at '{review.question_label(node)}' ({review.topic_title(topic)})"
    return Drill(
        f"Asked to talk to a person {where}",
        asked_for_person=True,
        asked_topic="" if topic == BEFORE_TOPIC else topic,
        asked_node=(node or "") if at_node else None,
    )


def _questions(review: Review, topic_id: str) -> list[str]:
    """A topic's questions in the order a person meets them (breadth first from its start)."""
    topic = review.knowledge.topics.get(topic_id)
    if topic is None:
        return []
    return [
        node_id
        for node_id in reachable_from(review.knowledge, topic.start)
        if isinstance(review.knowledge.nodes[node_id], Question)
    ]
