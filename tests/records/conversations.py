"""Engine events for whole conversations, as a front end would submit them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from navigator.engine import events as ev

if TYPE_CHECKING:
    from sqlalchemy import Engine

START = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)


@dataclass
class Conversation:
    """Builds one session's events with increasing sequence numbers and times."""

    session_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    start: dt.datetime = START
    sequence: int = 0

    def next(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "session_id": self.session_id,
            "sequence": self.sequence,
            "at": self.start + dt.timedelta(seconds=10 * self.sequence),
        }
        self.sequence += 1
        return values

    def started(self, channel: ev.Channel = "kiosk", site: str = "central-library") -> ev.Event:
        return ev.SessionStarted(**self.next(), channel=channel, site=site, content_hash="ab12cd")

    def topic(self, topic_id: str = "carers", need_id: str = "carers-support") -> ev.Event:
        return ev.TopicChosen(**self.next(), topic_id=topic_id, need_id=need_id)

    def answer(self, node_id: str, option_id: str, topic_id: str = "carers") -> ev.Event:
        return ev.AnswerGiven(
            **self.next(), topic_id=topic_id, node_id=node_id, option_id=option_id
        )

    def back(self, from_node: str, to_node: str, move: str = "back") -> ev.Event:
        return ev.WentBack(
            **self.next(), topic_id="carers", from_node_id=from_node, to_node_id=to_node, move=move
        )

    def outcome(self) -> ev.Event:
        return ev.OutcomeShown(
            **self.next(),
            topic_id="carers",
            need_id="carers-support",
            node_id="carers-outcome",
            results=(
                ev.ServiceResult(service_id="carers-hub", fit="offered"),
                ev.ServiceResult(service_id="respite-beds", fit="waiting_list"),
                ev.ServiceResult(
                    service_id="young-carers", fit="ineligible", failed_rule="age_band"
                ),
            ),
        )

    def unmet(self, text: str | None = None, reason: str = "no_service") -> ev.Event:
        return ev.UnmetNeed(
            **self.next(),
            need_id="carers-support",
            reason=reason,
            topic_id="carers",
            node_id="carers-outcome",
            text=text,
        )

    def context(
        self, postcode: str | None = None, age_band: str | None = None, household: str | None = None
    ) -> ev.Event:
        return ev.ContextGiven(
            **self.next(), postcode_district=postcode, age_band=age_band, household=household
        )

    def feedback(self, helped: bool = True) -> ev.Event:
        return ev.FeedbackGiven(**self.next(), node_id="carers-outcome", helped=helped)

    def safeguarding(self) -> ev.Event:
        return ev.SafeguardingShown(**self.next(), crisis_kind="self-harm", node_id="carers-start")

    def ended(self, how: ev.EndHow = "finished", reached_outcome: bool = True) -> ev.Event:
        return ev.SessionEnded(
            **self.next(), how=how, last_node_id="carers-outcome", reached_outcome=reached_outcome
        )

    def whole(self) -> list[ev.Event]:
        """A typical session touching every table."""
        return [
            self.started(),
            self.topic(),
            self.answer("carers-start", "an-adult"),
            self.back("carers-age", "carers-start"),
            self.answer("carers-start", "a-child"),
            self.context(postcode="NB3 4QT", age_band="65-plus"),
            self.outcome(),
            self.unmet(text="nothing for dads, ring me on 07700 900123"),
            self.safeguarding(),
            self.feedback(helped=False),
            self.ended(),
        ]


def many_events(sessions: int, per_session: int = 6) -> Iterator[ev.Event]:
    """`sessions` short sessions of `per_session` events each."""
    for _ in range(sessions):
        conversation = Conversation()
        yield conversation.started()
        for index in range(per_session - 2):
            yield conversation.answer(f"node-{index}", "yes")
        yield conversation.ended()


def event_counts(engine: Engine) -> dict[str, int]:
    """Receipts in total and distinct, and rows per table, to prove "exactly once"."""
    from sqlalchemy import text  # not at the top: writer processes import this module

    with engine.connect() as connection:
        return {
            "receipts": connection.execute(text("SELECT count(*) FROM events")).scalar_one(),
            "distinct": connection.execute(
                text("SELECT count(DISTINCT event_id) FROM events")
            ).scalar_one(),
            "sessions": connection.execute(text("SELECT count(*) FROM sessions")).scalar_one(),
            "steps": connection.execute(text("SELECT count(*) FROM steps")).scalar_one(),
            "ended": connection.execute(
                text("SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL")
            ).scalar_one(),
        }
