"""Count unmet need in the records and code it through the crosswalk, in the database.

Records keep Navigator's own ids (need, reason, end node, postcode district),
so a new crosswalk recodes history: the codes are applied here, when figures
are made, as SQL `CASE` expressions built from the crosswalk. The database
then counts distinct sessions per coded cell, so a person whose session
recorded two ends with the same code is counted once.

Cells are (ward, need, reason code, channel) for unmet need, and (ward, need,
channel) for the denominator: the sessions that asked about that need (chose
one of its topics, or recorded it unmet). A session with no postcode district,
or one outside the council's wards, has ward None: it counts towards the
council's figures only. Unmatched requests have no need: their denominator is
every session in the cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, Table, and_, case, func, literal, select, true, union
from sqlalchemy.sql.elements import ColumnElement

from navigator.interop.evidence.periods import CalendarPeriod
from navigator.kb.codes import Codes, Council
from navigator.records.models import ContextRecord, Session, Step, UnmetNeedRecord

SESSIONS: Table = Session.__table__  # type: ignore[attr-defined]
STEPS: Table = Step.__table__  # type: ignore[attr-defined]
UNMET: Table = UnmetNeedRecord.__table__  # type: ignore[attr-defined]
CONTEXTS: Table = ContextRecord.__table__  # type: ignore[attr-defined]

NO_NEED = "unmatched"
"""The need id published for unmatched requests, which have none."""

Cell = tuple[str | None, str, str, str]
"""(ward code or None, need id, reason code, channel)."""
DenominatorCell = tuple[str | None, str, str]
"""(ward code or None, need id, channel)."""


@dataclass(frozen=True)
class CodedCounts:
    """Exact counts from the records, coded; nothing here is fit to publish until protected."""

    unmet: Mapping[Cell, int]
    asked: Mapping[DenominatorCell, int]
    sessions: Mapping[tuple[str | None, str], int]
    """All sessions by (ward, channel): the denominator for unmatched requests."""
    coverage: Mapping[tuple[str, str], int]
    """Sessions by (site, channel), for the methodology note."""
    channels: tuple[str, ...]


def _case(column: ColumnElement[Any], mapping: Mapping[str, str], default: str | None) -> Any:
    """`CASE column WHEN key THEN value ... ELSE default END`, or the default alone."""
    if not mapping:
        return literal(default)
    return case(dict(mapping), value=column, else_=literal(default))


def _ward(council: Council, district: ColumnElement[Any] = CONTEXTS.c.postcode_district) -> Any:
    wards = {district: ward.code for district, ward in council.ward_of().items()}
    return _case(district, wards, None).label("ward")


def _reason(codes: Codes) -> Any:
    by_node = _case(UNMET.c.node_id, codes.node_reasons, None)
    by_reason = _case(UNMET.c.reason, codes.reason_map, "UNCLASSIFIED")
    return func.coalesce(by_node, by_reason).label("reason_code")


def _in_period(period: CalendarPeriod, sites: Sequence[str] = ()) -> ColumnElement[bool]:
    """Sessions that started in the period (UTC days), on the started_at indexes; only at
    `sites` when given (several councils in one database: each publishes its own sites,
    read through the site and start time index)."""
    within = and_(
        SESSIONS.c.started_at >= _midnight(period.start),
        SESSIONS.c.started_at < _midnight(period.end_exclusive),
    )
    return and_(within, SESSIONS.c.site.in_(sites)) if sites else within


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _joined(source: Any) -> Any:
    return source.join(SESSIONS, SESSIONS.c.id == source.c.session_id).outerjoin(
        CONTEXTS, CONTEXTS.c.session_id == SESSIONS.c.id
    )


# --- One council of many: every row reached from the council's own sessions -----------------
#
# With `sites`, the council's sessions of the period are a twentieth of a regional database's,
# but the period's range of a child table's `at` index holds every council's rows, and
# PostgreSQL's planner, costing 60,000 index probes above one pass over the table, hash-joins
# a sequential scan of all of them (9,600,000 steps for 62,000 wanted: docs/performance.md).
# So each child row is reached from its session, by primary key (`session_id, sequence`):
# the postcode district as a correlated scalar subquery (one probe of `contexts` per session,
# on both engines), steps and unmet needs through `JOIN LATERAL (... OFFSET 0)` on PostgreSQL
# (OFFSET 0 keeps the planner from flattening it back into a hash join). SQLite always runs
# nested loops and, with no other condition on the child table, probes its primary key, so
# there a plain join is the same plan. The figures are the same as the plain queries'
# (tests/evidence/test_publish_sites.py counts both ways on both engines).


def _council_sessions(period: CalendarPeriod, sites: Sequence[str]) -> Any:
    """The period's sessions at `sites`, with each one's postcode district (or None)."""
    district = (
        select(CONTEXTS.c.postcode_district)
        .where(CONTEXTS.c.session_id == SESSIONS.c.id)
        .scalar_subquery()
    )
    return (
        select(SESSIONS.c.id, SESSIONS.c.channel, SESSIONS.c.site, district.label("district"))
        .where(_in_period(period, sites))
        .subquery("council")
    )


def _children(
    chosen: Any, table: Table, columns: Sequence[Any], conditions: Sequence[Any], lateral: bool
) -> tuple[Any, Any]:
    """(FROM clause, child columns): each session of `chosen` with its rows of `table`."""
    if lateral:
        rows = (
            select(*columns)
            .where(table.c.session_id == chosen.c.id, *conditions)
            .offset(0)
            .lateral(f"{table.name}_of_session")
        )
        return chosen.join(rows, true()), rows.c
    joined = chosen.join(table, and_(table.c.session_id == chosen.c.id, *conditions))
    return joined, table.c


def _unmet_of_council(
    codes: Codes, council: Council, period: CalendarPeriod, sites: Sequence[str], lateral: bool
) -> Select[Any]:
    chosen = _council_sessions(period, sites)
    source, child = _children(
        chosen, UNMET, [UNMET.c.need_id, UNMET.c.reason, UNMET.c.node_id], [], lateral
    )
    ward = _ward(council, chosen.c.district)
    need = func.coalesce(child.need_id, literal(NO_NEED)).label("need")
    by_node = _case(child.node_id, codes.node_reasons, None)
    by_reason = _case(child.reason, codes.reason_map, "UNCLASSIFIED")
    reason = func.coalesce(by_node, by_reason).label("reason_code")
    return (
        select(ward, need, reason, chosen.c.channel, func.count(func.distinct(chosen.c.id)))
        .select_from(source)
        .group_by(ward, need, reason, chosen.c.channel)
    )


def _asked_of_council(
    council: Council, period: CalendarPeriod, sites: Sequence[str], lateral: bool
) -> Select[Any]:
    chosen = _council_sessions(period, sites)
    branches = []
    for table, extra in ((STEPS, [STEPS.c.kind == "topic"]), (UNMET, [])):
        source, child = _children(
            chosen, table, [table.c.need_id], [table.c.need_id.is_not(None), *extra], lateral
        )
        branches.append(
            select(chosen.c.id, child.need_id, chosen.c.channel, chosen.c.district).select_from(
                source
            )
        )
    asked = union(*branches).subquery("asked")
    ward = _ward(council, asked.c.district)
    return select(
        ward, asked.c.need_id, asked.c.channel, func.count(func.distinct(asked.c.id))
    ).group_by(ward, asked.c.need_id, asked.c.channel)


def _sessions_of_council(council: Council, period: CalendarPeriod, sites: Sequence[str]) -> Any:
    chosen = _council_sessions(period, sites)
    ward = _ward(council, chosen.c.district)
    return select(ward, chosen.c.channel, chosen.c.site, func.count()).group_by(
        ward, chosen.c.channel, chosen.c.site
    )


# --- The three grouped queries ------------------------------------------------------------------


def unmet_query(
    codes: Codes,
    council: Council,
    period: CalendarPeriod,
    sites: Sequence[str] = (),
    *,
    lateral: bool = False,
) -> Select[Any]:
    """Unmet need by (ward, need, reason code, channel), in distinct sessions.

    `lateral` (PostgreSQL only) reaches the rows of `sites`' sessions by primary key."""
    if sites:
        return _unmet_of_council(codes, council, period, sites, lateral)
    ward, reason = _ward(council), _reason(codes)
    need = func.coalesce(UNMET.c.need_id, literal(NO_NEED)).label("need")
    return (
        select(
            ward, need, reason, SESSIONS.c.channel, func.count(func.distinct(UNMET.c.session_id))
        )
        .select_from(_joined(UNMET))
        .where(_in_period(period))
        .group_by(ward, need, reason, SESSIONS.c.channel)
    )


def asked_query(
    council: Council,
    period: CalendarPeriod,
    sites: Sequence[str] = (),
    *,
    lateral: bool = False,
) -> Select[Any]:
    """Sessions that asked about each need: chose one of its topics, or recorded it unmet.

    For the whole database, each branch reaches its rows through the period's sessions,
    and also bounds the child row's own time (its `at` index) from the period's start to a
    week after its end, a range no session's steps leave, so neither branch reads the whole
    table. For `sites`, each branch starts from the council's sessions (see above).
    """
    if sites:
        return _asked_of_council(council, period, sites, lateral)
    reach = _midnight(period.end_exclusive + dt.timedelta(days=7))
    branches = [
        select(table.c.session_id, table.c.need_id, SESSIONS.c.channel)
        .select_from(table.join(SESSIONS, SESSIONS.c.id == table.c.session_id))
        .where(
            _in_period(period),
            table.c.at >= _midnight(period.start),
            table.c.at < reach,
            table.c.need_id.is_not(None),
            *extra,
        )
        for table, extra in ((STEPS, [STEPS.c.kind == "topic"]), (UNMET, []))
    ]
    asked = union(*branches).subquery("asked")
    ward = _ward(council)
    return (
        select(
            ward, asked.c.need_id, asked.c.channel, func.count(func.distinct(asked.c.session_id))
        )
        .select_from(asked.outerjoin(CONTEXTS, CONTEXTS.c.session_id == asked.c.session_id))
        .group_by(ward, asked.c.need_id, asked.c.channel)
    )


def sessions_query(
    council: Council, period: CalendarPeriod, sites: Sequence[str] = ()
) -> Select[Any]:
    """Sessions by (ward, channel, site)."""
    if sites:
        return _sessions_of_council(council, period, sites)  # type: ignore[no-any-return]
    ward = _ward(council)
    return (
        select(ward, SESSIONS.c.channel, SESSIONS.c.site, func.count())
        .select_from(SESSIONS.outerjoin(CONTEXTS, CONTEXTS.c.session_id == SESSIONS.c.id))
        .where(_in_period(period))
        .group_by(ward, SESSIONS.c.channel, SESSIONS.c.site)
    )


def count_coded(
    engine: Engine,
    codes: Codes,
    council: Council,
    period: CalendarPeriod,
    sites: Sequence[str] = (),
) -> CodedCounts:
    """Run the three grouped queries for `period` (at `sites` only, when given); a few
    thousand rows come back at most.

    On PostgreSQL, JIT compilation is off for these queries: their cost estimates are over
    its threshold, and compiling them took about 2 s each at 10,000,000 sessions, longer than
    running them (grouping tens of thousands of rows gains nothing from it)."""
    postgresql = engine.dialect.name == "postgresql"
    unmet: dict[Cell, int] = {}
    asked: dict[DenominatorCell, int] = {}
    sessions: dict[tuple[str | None, str], int] = {}
    coverage: dict[tuple[str, str], int] = {}
    with engine.connect() as connection:
        if postgresql:
            connection.exec_driver_sql("SET LOCAL jit = off")
        for ward, need, reason, channel, count in connection.execute(
            unmet_query(codes, council, period, sites, lateral=postgresql)
        ):
            unmet[(ward, str(need), str(reason), str(channel))] = int(count)
        for ward, need, channel, count in connection.execute(
            asked_query(council, period, sites, lateral=postgresql)
        ):
            asked[(ward, str(need), str(channel))] = int(count)
        by_site = connection.execute(sessions_query(council, period, sites))
        for ward, channel, site, count in by_site:
            sessions[(ward, str(channel))] = sessions.get((ward, str(channel)), 0) + int(count)
            coverage[(str(site), str(channel))] = coverage.get((str(site), str(channel)), 0) + int(
                count
            )
    channels = tuple(sorted({channel for _, channel in sessions}))
    return CodedCounts(unmet, asked, sessions, coverage, channels)
