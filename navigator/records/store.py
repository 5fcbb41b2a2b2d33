"""Writing scrubbed event payloads into the main database, idempotently.

`store_payloads` turns a batch into rows and inserts them with
`ON CONFLICT DO NOTHING` (SQLite and PostgreSQL both), inside the caller's
transaction. Rows are keyed by `(session_id, sequence)` and receipts by
`event_id`, so storing a batch twice, or half of it again after a crash,
changes nothing.

Sessions are made first as a stub from the earliest event seen, so a child
row never waits for its session's start (the foreign key holds even if a
start was purged or is in a later batch); `session_started` then fills the
stub in, `topic_chosen` sets the first topic, and `session_ended` closes it.

The session's flags for the managers' overview (`reached_services`,
`has_unmet`, `has_safeguarding`) are set with `UPDATE ... SET flag = TRUE` in
the same transaction as the child rows that justify them. Setting a flag
twice, or before or after any other event of the session, gives the same
row, so the copy stays idempotent and order-free.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from navigator.records.models import (
    PERSON_ASKED_STEP,
    ContextRecord,
    EventReceipt,
    FeedbackRecord,
    FollowupAnswer,
    FollowupCode,
    OutcomeRecord,
    OutcomeService,
    ReferralRecord,
    SafeguardingRecord,
    Session,
    Step,
    UnmetNeedRecord,
)
from navigator.records.payloads import UNKNOWN, Payload

Row = dict[str, Any]

FLAGS = ("reached_services", "has_unmet", "has_safeguarding")
"""Session columns that say a child row exists; see the module's docstring."""
NO_FLAGS: Row = dict.fromkeys(FLAGS, False)

SESSIONS: Table = Session.__table__  # type: ignore[attr-defined]
STEPS: Table = Step.__table__  # type: ignore[attr-defined]
OUTCOMES: Table = OutcomeRecord.__table__  # type: ignore[attr-defined]
OUTCOME_SERVICES: Table = OutcomeService.__table__  # type: ignore[attr-defined]
UNMET: Table = UnmetNeedRecord.__table__  # type: ignore[attr-defined]
SAFEGUARDING: Table = SafeguardingRecord.__table__  # type: ignore[attr-defined]
FEEDBACK: Table = FeedbackRecord.__table__  # type: ignore[attr-defined]
CONTEXTS: Table = ContextRecord.__table__  # type: ignore[attr-defined]
EVENTS: Table = EventReceipt.__table__  # type: ignore[attr-defined]
REFERRALS: Table = ReferralRecord.__table__  # type: ignore[attr-defined]
FOLLOWUP_CODES: Table = FollowupCode.__table__  # type: ignore[attr-defined]
FOLLOWUP_ANSWERS: Table = FollowupAnswer.__table__  # type: ignore[attr-defined]


def _when(payload: Payload) -> dt.datetime:
    return dt.datetime.fromisoformat(payload["at"])


def _key(payload: Payload) -> Row:
    return {
        "session_id": payload["session_id"],
        "sequence": payload["sequence"],
        "at": _when(payload),
    }


def _step(kind: str, payload: Payload, **columns: Any) -> Row:
    row: Row = {
        **_key(payload),
        "kind": kind,
        "topic_id": None,
        "need_id": None,
        "node_id": None,
        "option_id": None,
        "to_node_id": None,
        "via": None,
    }
    row.update(columns)
    return row


class _Batch:
    """The rows of one batch of payloads, table by table."""

    def __init__(self, received_at: dt.datetime) -> None:
        self.received_at = received_at
        self.stubs: dict[str, Row] = {}
        self.starts: list[Row] = []
        self.ends: list[Row] = []
        self.topics: list[Row] = []
        self.rows: dict[Table, list[Row]] = defaultdict(list)
        self.contexts: dict[str, Row] = {}
        self.receipts: list[Row] = []
        self.languages: dict[str, str] = {}
        """Session id -> the language chosen last in this batch (`language_chosen`)."""
        self.answers: list[Row] = []
        """Follow-up answers, by code hash: joined to their pathway when stored."""
        self.flags: dict[str, set[str]] = defaultdict(set)
        """Flag name -> ids of sessions in this batch that earn it."""

    def add(self, payload: Payload) -> None:
        if payload["kind"] == "followup_answered":
            # Kept against the pathway it answers, not the visit it was given in: that
            # visit gets no session row or receipt for it, so answering alone is not a
            # session that gave up at the welcome (the pathway's key keeps it once).
            _followup_answered(self, payload)
            return
        session_id, at = payload["session_id"], _when(payload)
        stub = self.stubs.get(session_id)
        if stub is None or at < stub["started_at"]:
            self.stubs[session_id] = self._stub(session_id, at)
        self.receipts.append(
            {
                "event_id": payload["event_id"],
                "session_id": session_id,
                "sequence": payload["sequence"],
                "kind": payload["kind"],
                "at": at,
                "received_at": self.received_at,
            }
        )
        handler = _HANDLERS.get(payload["kind"])
        if handler is not None:
            handler(self, payload)

    def _stub(self, session_id: str, at: dt.datetime) -> Row:
        return {
            "id": session_id,
            "channel": UNKNOWN,
            "site": UNKNOWN,
            "content_hash": "",
            "language": "en",
            "started_at": at,
            "reached_outcome": False,
            **NO_FLAGS,
            "received_at": self.received_at,
        }


def _session_started(batch: _Batch, payload: Payload) -> None:
    batch.starts.append(
        {
            "id": payload["session_id"],
            "channel": payload["channel"],
            "site": payload["site"],
            "content_hash": payload["content_hash"],
            "language": payload["language"],
            "started_at": _when(payload),
            "reached_outcome": False,
            **NO_FLAGS,
            "received_at": batch.received_at,
        }
    )


def _language_chosen(batch: _Batch, payload: Payload) -> None:
    """The session is recorded in the language chosen (payloads come in sequence order)."""
    batch.languages[payload["session_id"]] = payload["language"]


def _topic_chosen(batch: _Batch, payload: Payload) -> None:
    batch.rows[STEPS].append(
        _step(
            "topic",
            payload,
            topic_id=payload["topic_id"],
            need_id=payload["need_id"],
            via=payload["via"],
        )
    )
    batch.topics.append(
        {
            "b_id": payload["session_id"],
            "b_sequence": payload["sequence"],
            "topic_id": payload["topic_id"],
            "need_id": payload["need_id"],
        }
    )


def _answer_given(batch: _Batch, payload: Payload) -> None:
    batch.rows[STEPS].append(
        _step(
            "answer",
            payload,
            topic_id=payload["topic_id"],
            node_id=payload["node_id"],
            option_id=payload["option_id"],
            via=payload["via"],
        )
    )


def _went_back(batch: _Batch, payload: Payload) -> None:
    batch.rows[STEPS].append(
        _step(
            payload["move"],
            payload,
            topic_id=payload["topic_id"],
            node_id=payload["from_node_id"],
            to_node_id=payload["to_node_id"],
        )
    )


def _started_again(batch: _Batch, payload: Payload) -> None:
    batch.rows[STEPS].append(_step("start_again", payload, node_id=payload["at_node_id"]))


def _person_asked(batch: _Batch, payload: Payload) -> None:
    """A step of its own kind: where in the pathway the person asked for a human."""
    batch.rows[STEPS].append(
        _step(
            PERSON_ASKED_STEP,
            payload,
            topic_id=payload["topic_id"],
            node_id=payload["node_id"],
            via=payload["via"],
        )
    )


def _outcome_shown(batch: _Batch, payload: Payload) -> None:
    results: list[Payload] = payload["results"]
    offered = sum(1 for result in results if result["fit"] in {"offered", "waiting_list"})
    if offered:
        batch.flags["reached_services"].add(payload["session_id"])
    batch.rows[OUTCOMES].append(
        {
            **_key(payload),
            "topic_id": payload["topic_id"] or UNKNOWN,
            "need_id": payload["need_id"] or UNKNOWN,
            "node_id": payload["node_id"] or UNKNOWN,
            "offered": offered,
        }
    )
    for result in results:
        batch.rows[OUTCOME_SERVICES].append(
            {
                **_key(payload),
                "service_id": result["service_id"],
                "fit": result["fit"],
                "failed_rule": result["failed_rule"],
            }
        )


def _unmet_need(batch: _Batch, payload: Payload) -> None:
    columns = ("need_id", "reason", "topic_id", "node_id", "recorded_by", "text")
    batch.rows[UNMET].append({**_key(payload), **{name: payload[name] for name in columns}})
    batch.flags["has_unmet"].add(payload["session_id"])


def _safeguarding_shown(batch: _Batch, payload: Payload) -> None:
    batch.flags["has_safeguarding"].add(payload["session_id"])
    batch.rows[SAFEGUARDING].append(
        {**_key(payload), "crisis_kind": payload["crisis_kind"], "node_id": payload["node_id"]}
    )


def _feedback_given(batch: _Batch, payload: Payload) -> None:
    batch.rows[FEEDBACK].append(
        {**_key(payload), "node_id": payload["node_id"], "helped": payload["helped"]}
    )


def _context_given(batch: _Batch, payload: Payload) -> None:
    """Merge with context already given in this batch: later values win, None keeps the old."""
    session_id = payload["session_id"]
    row = batch.contexts.setdefault(
        session_id,
        {"session_id": session_id, "postcode_district": None, "age_band": None, "household": None},
    )
    row["at"] = _when(payload)
    for name in ("postcode_district", "age_band", "household"):
        if payload[name] is not None:
            row[name] = payload[name]


def _referral_sent(batch: _Batch, payload: Payload) -> None:
    columns = ("code", "service_id", "need_id", "topic_id", "node_id", "delivery")
    batch.rows[REFERRALS].append({**_key(payload), **{name: payload[name] for name in columns}})


def _session_ended(batch: _Batch, payload: Payload) -> None:
    batch.ends.append(
        {
            "b_id": payload["session_id"],
            "ended_at": _when(payload),
            "end_how": payload["how"],
            "last_node_id": payload["last_node_id"],
            "reached_outcome": payload["reached_outcome"],
        }
    )


def _followup_code_issued(batch: _Batch, payload: Payload) -> None:
    batch.rows[FOLLOWUP_CODES].append(
        {
            "session_id": payload["session_id"],
            "code_hash": payload["code_hash"],
            "issued_at": _when(payload),
            "expires_at": dt.datetime.fromisoformat(payload["expires_at"]),
        }
    )


def _followup_answered(batch: _Batch, payload: Payload) -> None:
    batch.answers.append(
        {
            "code_hash": payload["code_hash"],
            "answered_at": _when(payload),
            "contacted": payload["contacted"],
            "helped": payload["helped"],
            "reason": payload["reason"],
        }
    )


_HANDLERS: dict[str, Callable[[_Batch, Payload], None]] = {
    "session_started": _session_started,
    "language_chosen": _language_chosen,
    "topic_chosen": _topic_chosen,
    "answer_given": _answer_given,
    "went_back": _went_back,
    "started_again": _started_again,
    "person_asked": _person_asked,
    "outcome_shown": _outcome_shown,
    "unmet_need": _unmet_need,
    "safeguarding_shown": _safeguarding_shown,
    "feedback_given": _feedback_given,
    "context_given": _context_given,
    "session_ended": _session_ended,
    "referral_sent": _referral_sent,
    "followup_code_issued": _followup_code_issued,
}


def _insert(connection: Connection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _insert_new(connection: Connection, table: Table, rows: Sequence[Row]) -> None:
    if rows:
        connection.execute(_insert(connection, table).on_conflict_do_nothing(), list(rows))


def store_payloads(
    connection: Connection, payloads: Iterable[Payload], received_at: dt.datetime
) -> int:
    """Store a batch inside the caller's transaction. Returns how many payloads were given."""
    batch = _Batch(received_at)
    count = 0
    for payload in sorted(payloads, key=lambda p: (p["session_id"], p["sequence"])):
        batch.add(payload)
        count += 1
    if not count:
        return 0
    _insert_new(connection, SESSIONS, list(batch.stubs.values()))
    if batch.starts:
        statement = _insert(connection, SESSIONS)
        columns = ("channel", "site", "content_hash", "language", "started_at")
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["id"],
                set_={name: getattr(statement.excluded, name) for name in columns},
            ),
            batch.starts,
        )
    for table, rows in batch.rows.items():
        _insert_new(connection, table, rows)
    _set_flags(connection, batch.flags)
    if batch.languages:
        connection.execute(
            update(SESSIONS).where(SESSIONS.c.id == _bind("b_id")).values(language=_bind("lang")),
            [{"b_id": key, "lang": value} for key, value in sorted(batch.languages.items())],
        )
    _join_answers(connection, batch.answers)
    _first_topics(connection, batch.topics)
    _merge_contexts(connection, list(batch.contexts.values()))
    if batch.ends:
        connection.execute(
            update(SESSIONS)
            .where(SESSIONS.c.id == _bind("b_id"))
            .values(
                ended_at=_bind("ended_at"),
                end_how=_bind("end_how"),
                last_node_id=_bind("last_node_id"),
                reached_outcome=_bind("reached_outcome"),
            ),
            batch.ends,
        )
    _insert_new(connection, EVENTS, batch.receipts)
    return count


def _bind(name: str) -> Any:
    return bindparam(name)


def _set_flags(connection: Connection, flags: dict[str, set[str]]) -> None:
    """Raise each session's flags; a session started (or stubbed) above always has a row."""
    for name, session_ids in flags.items():
        connection.execute(
            update(SESSIONS).where(SESSIONS.c.id == _bind("b_id")).values({name: True}),
            [{"b_id": session_id} for session_id in sorted(session_ids)],
        )


def _first_topics(connection: Connection, topics: list[Row]) -> None:
    """Set a session's topic to the first one chosen (lowest sequence wins, even out of order)."""
    if not topics:
        return
    earlier = STEPS.alias("earlier")
    already_chosen = (
        earlier.select()
        .where(
            and_(
                earlier.c.session_id == _bind("b_id"),
                earlier.c.kind == "topic",
                earlier.c.sequence < _bind("b_sequence"),
            )
        )
        .exists()
    )
    connection.execute(
        update(SESSIONS)
        .where(and_(SESSIONS.c.id == _bind("b_id"), ~already_chosen))
        .values(topic_id=_bind("topic_id"), need_id=_bind("need_id")),
        topics,
    )


def _merge_contexts(connection: Connection, rows: list[Row]) -> None:
    if not rows:
        return
    statement = _insert(connection, CONTEXTS)
    merged = {
        name: func.coalesce(getattr(statement.excluded, name), CONTEXTS.c[name])
        for name in ("postcode_district", "age_band", "household")
    }
    merged["at"] = statement.excluded.at
    connection.execute(
        statement.on_conflict_do_update(index_elements=["session_id"], set_=merged), rows
    )


def _join_answers(connection: Connection, answers: list[Row]) -> None:
    """Keep each follow-up answer against the pathway whose code it carries.

    A code that is unknown or had expired when the answer was given joins
    nothing (the front end said so to the person); the answering session keeps
    its receipt. The pathway's key makes a repeated answer, or a retry, a no-op.
    """
    for answer in answers:
        pathway = connection.execute(
            select(FOLLOWUP_CODES.c.session_id).where(
                FOLLOWUP_CODES.c.code_hash == answer["code_hash"],
                FOLLOWUP_CODES.c.expires_at >= answer["answered_at"],
            )
        ).scalar()
        if pathway is not None:
            row = {key: value for key, value in answer.items() if key != "code_hash"}
            _insert_new(connection, FOLLOWUP_ANSWERS, [{**row, "session_id": pathway}])
