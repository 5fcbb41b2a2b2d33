"""Every figure of the review as one SQL aggregate, for SQLite and PostgreSQL alike.

Each function returns a SQLAlchemy `Select` that the database answers with a
handful of grouped rows; nothing here fetches a session, a step or a record.
The period, site, channel and topic filters apply to the session (its start
time, site, channel and first topic), so every figure counts the same sessions
and the figures agree with each other.

Plans (both engines): the period filter is a range on `sessions.started_at`
(`ix_sessions_started_at_overview`, or `ix_sessions_site_started_at` /
`ix_sessions_channel_started_at` / `ix_sessions_topic_id_started_at` when one
of those filters is set); child tables are reached through their primary key,
which starts with `session_id`. `tests/bench/bench_reports.py` times each
query against the same aggregate written by hand in SQL.

The overview reads only `sessions`: its flags `reached_services`, `has_unmet`
and `has_safeguarding` are kept by the records store as child rows arrive, and
`ix_sessions_started_at_overview` holds every column the overview reads, so
the first view is one index range scan (it used to probe `outcomes`,
`unmet_needs` and `safeguarding_shown` once per session: seconds on
PostgreSQL at a million sessions; figures in docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Table,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from navigator.records.models import (
    PERSON_ASKED_STEP,
    ContextRecord,
    EventReceipt,
    OutcomeRecord,
    OutcomeService,
    SafeguardingRecord,
    Session,
    SessionDay,
    Step,
    UnmetNeedRecord,
)
from navigator.records.reports.tables import Drill, Filters, Period

Query = Select[*tuple[Any, ...]]
"""A SELECT of any columns (every figure's query)."""

SESSIONS: Table = Session.__table__  # type: ignore[attr-defined]
STEPS: Table = Step.__table__  # type: ignore[attr-defined]
OUTCOMES: Table = OutcomeRecord.__table__  # type: ignore[attr-defined]
OUTCOME_SERVICES: Table = OutcomeService.__table__  # type: ignore[attr-defined]
UNMET: Table = UnmetNeedRecord.__table__  # type: ignore[attr-defined]
SAFEGUARDING: Table = SafeguardingRecord.__table__  # type: ignore[attr-defined]
CONTEXTS: Table = ContextRecord.__table__  # type: ignore[attr-defined]
RECEIPTS: Table = EventReceipt.__table__  # type: ignore[attr-defined]
DAYS: Table = SessionDay.__table__  # type: ignore[attr-defined]
MEANING_UNAVAILABLE = "meaning_unavailable"
"""The receipt kind of `navigator.engine.events.MeaningUnavailable`."""

S = SESSIONS.c
D = DAYS.c
GAVE_UP_HOW = ("abandoned", "timed_out")
FITS = ("offered", "waiting_list", "ineligible", "out_of_area", "closed")
PATH_SEPARATOR = " > "

# --- Portable pieces ---------------------------------------------------------------------


class week_index(FunctionElement[int]):
    """Whole weeks from `start` to a timestamp column: 0 for the period's first seven days."""

    type = Integer()
    inherit_cache = True
    name = "week_index"


@compiles(week_index, "sqlite")
def _week_index_sqlite(element: week_index, compiler: SQLCompiler, **kw: Any) -> str:
    """Whole seconds apart (the stored text cut to the second, then rounded), divided as
    integers: `julianday` keeps only milliseconds, so a session in the last half-millisecond
    of a week used to count in the next one (a week outside the period, for the last)."""
    column, start = list(element.clauses)
    return (
        f"(CAST((julianday(substr({compiler.process(column, **kw)}, 1, 19)) - "
        f"julianday({compiler.process(start, **kw)})) * 86400 + 0.5 AS INTEGER) / 604800)"
    )


@compiles(week_index, "postgresql")
def _week_index_postgresql(element: week_index, compiler: SQLCompiler, **kw: Any) -> str:
    """`date_part`, not `extract`: since PostgreSQL 14 `extract` returns `numeric`, and numeric
    division and floor over every session of the period cost about a second of the first
    view at 1,000,000 sessions in the period; `date_part` is double precision, exact here
    (whole weeks of seconds, to the microsecond, are far inside its 15 digits)."""
    column, start = list(element.clauses)
    return (
        f"CAST(floor(date_part('epoch', {compiler.process(column, **kw)} - "
        f"CAST({compiler.process(start, **kw)} AS TIMESTAMP WITH TIME ZONE)) / 604800) "
        "AS INTEGER)"
    )


class day_week_index(FunctionElement[int]):
    """Whole weeks from the date `start` to a date column: the week `week_index` gives any
    moment of that day, since periods start at midnight UTC."""

    type = Integer()
    inherit_cache = True
    name = "day_week_index"


@compiles(day_week_index, "sqlite")
def _day_week_index_sqlite(element: day_week_index, compiler: SQLCompiler, **kw: Any) -> str:
    column, start = list(element.clauses)
    return (
        f"(CAST(julianday({compiler.process(column, **kw)}) - "
        f"julianday({compiler.process(start, **kw)}) AS INTEGER) / 7)"
    )


@compiles(day_week_index, "postgresql")
def _day_week_index_postgresql(element: day_week_index, compiler: SQLCompiler, **kw: Any) -> str:
    column, start = list(element.clauses)
    return (
        f"(({compiler.process(column, **kw)} - CAST({compiler.process(start, **kw)} AS DATE)) / 7)"
    )


class utc_text(FunctionElement[str]):
    """A timestamp column's UTC calendar day or month as text, the same on both engines.

    Subclasses say which (`day_of`: "2025-03-04", `month_of`: "2025-03") by their
    formats; one compiler per engine serves them all, so the two cannot drift apart.
    """

    type = String()
    inherit_cache = True
    sqlite_format = "%Y-%m-%d"
    postgresql_format = "YYYY-MM-DD"


class day_of(utc_text):
    """The UTC calendar day of a timestamp column, as text (YYYY-MM-DD)."""

    inherit_cache = True
    name = "day_of"


class month_of(utc_text):
    """The calendar month (UTC) of a timestamp column, as "2025-03"."""

    inherit_cache = True
    name = "month_of"
    sqlite_format = "%Y-%m"
    postgresql_format = "YYYY-MM"


@compiles(day_of, "sqlite")
@compiles(month_of, "sqlite")
def _utc_text_sqlite(element: utc_text, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return f"strftime('{element.sqlite_format}', {compiler.process(column, **kw)})"


@compiles(day_of, "postgresql")
@compiles(month_of, "postgresql")
def _utc_text_postgresql(element: utc_text, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = list(element.clauses)
    text = compiler.process(column, **kw)
    return f"to_char({text} AT TIME ZONE 'UTC', '{element.postgresql_format}')"


def session_filter(filters: Filters, period: Period | None = None) -> ColumnElement[bool]:
    """The sessions a figure counts: started in the period, at the site, channel and topic."""
    begin, end = (period or filters.period).bounds
    conditions: list[ColumnElement[bool]] = [S.started_at >= begin, S.started_at < end]
    if filters.site:
        conditions.append(S.site == filters.site)
    if filters.sites:  # the manager's scope, read through ix_sessions_site_started_at
        conditions.append(S.site.in_(filters.sites))
    if filters.channel:
        conditions.append(S.channel == filters.channel)
    if filters.topic:
        conditions.append(S.topic_id == filters.topic)
    return and_(*conditions)


def gave_up() -> ColumnElement[bool]:
    """Left before any outcome: walked away, timed out, or the session was never closed."""
    return and_(
        S.reached_outcome.is_(False),
        or_(S.end_how.in_(GAVE_UP_HOW), S.end_how.is_(None)),
    )


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --- Overview ----------------------------------------------------------------------------


def overview(filters: Filters) -> Query:
    """Per week of the period (week 0 first) and language: sessions, and how many reached
    services, ended in unmet need, saw crisis contacts, or gave up. The headline figures are
    the sums of the weeks, and the overview's table by language the sums of the languages.

    Read from `session_days`, which the database keeps equal to the sessions (triggers of
    migration `0006_summary`): periods are whole UTC days, so whole days of the summary are
    exactly the period's sessions, and a week is seven of its days. At 10,000,000 sessions
    in one database the first view reads a few thousand daily rows instead of a million
    sessions (docs/performance.md, "Session 8"). `overview_from_sessions` is the same
    figure from the sessions, which the tests hold it to."""
    week = day_week_index(D.day, literal(filters.period.start)).label("week")
    return (
        select(week, D.language.label("language"), *_day_counts(SAFEGUARDED))
        .where(day_filter(filters))
        .group_by(week, D.language)
        .having(func.sum(D.sessions) > 0)
        .order_by(week, D.language)
    )


def overview_by(column: str, filters: Filters) -> Query:
    """The headline counts for each site, channel or language (`column`), side by side, from
    `session_days` (as `overview`); `overview_by_from_sessions` is its twin."""
    key = getattr(D, column)
    return (
        select(key.label("key"), *_day_counts(SIDE_BY_SIDE))
        .where(day_filter(filters, fine=column == "channel"))
        .group_by(key)
        .having(func.sum(D.sessions) > 0)
    )


SAFEGUARDED = ("sessions", "reached_services", "unmet", "safeguarding", "gave_up")
SIDE_BY_SIDE = ("sessions", "reached_services", "unmet", "gave_up")


def _day_counts(names: tuple[str, ...]) -> list[ColumnElement[Any]]:
    return [func.coalesce(func.sum(D[name]), 0).label(name) for name in names]


def day_filter(filters: Filters, *, fine: bool = False) -> ColumnElement[bool]:
    """The summary rows that hold the sessions `session_filter` picks: the period's whole
    days, the site, channel and topic, at the coarse grain (a day, site and language over
    every channel and topic) unless a channel or topic is chosen or `fine` asks for it."""
    fine = fine or bool(filters.channel or filters.topic)
    conditions: list[ColumnElement[bool]] = [
        D.grain == (0 if fine else 1),
        D.day >= filters.period.start,
        D.day <= filters.period.end,
    ]
    if filters.site:
        conditions.append(D.site == filters.site)
    if filters.sites:
        conditions.append(D.site.in_(filters.sites))
    if filters.channel:
        conditions.append(D.channel == filters.channel)
    if filters.topic:
        conditions.append(D.topic == filters.topic)
    return and_(*conditions)


def overview_from_sessions(filters: Filters) -> Query:
    """`overview`, counted from the sessions themselves, as it was before `session_days`
    (migration `0006_summary`): the twin the tests and the bench hold the summary to.

    Per week of the period (week 0 first) and language: sessions, and how many reached
    services, ended in unmet need, saw crisis contacts, or gave up. The headline figures are
    the sums of the weeks, and the overview's table by language the sums of the languages,
    so the first view costs one pass over the period's sessions (it took two, one for the
    weeks and one for the languages, before: docs/performance.md)."""
    begin, _ = filters.period.bounds
    week = week_index(S.started_at, literal(begin)).label("week")
    return (
        select(
            week,
            S.language.label("language"),
            func.count().label("sessions"),
            _flag(S.reached_services.is_(True)).label("reached_services"),
            _flag(S.has_unmet.is_(True)).label("unmet"),
            _flag(S.has_safeguarding.is_(True)).label("safeguarding"),
            _flag(gave_up()).label("gave_up"),
        )
        .where(session_filter(filters))
        .group_by(week, S.language)
        .order_by(week, S.language)
    )


def overview_by_from_sessions(column: str, filters: Filters) -> Query:
    """`overview_by`, counted from the sessions themselves (the tests' and the bench's twin)."""
    key = getattr(S, column)
    return (
        select(
            key.label("key"),
            func.count().label("sessions"),
            _flag(S.reached_services.is_(True)).label("reached_services"),
            _flag(S.has_unmet.is_(True)).label("unmet"),
            _flag(gave_up()).label("gave_up"),
        )
        .where(session_filter(filters))
        .group_by(key)
    )


# --- Unmet need --------------------------------------------------------------------------


def unmet_by_month(filters: Filters) -> Query:
    """Unmet-need records by calendar month and need, for trends over up to three years."""
    month = month_of(S.started_at).label("month")
    return (
        select(month, UNMET.c.need_id.label("key"), func.count().label("count"))
        .select_from(SESSIONS.join(UNMET, UNMET.c.session_id == S.id))
        .where(session_filter(filters))
        .group_by(month, UNMET.c.need_id)
    )


def unmet_by(column: str, filters: Filters) -> Query:
    """Unmet-need records by one of their columns, this period and the one before, in one scan."""
    begin, _ = filters.period.bounds
    previous = filters.period.previous
    key = UNMET.c[column]
    return (
        select(
            key.label("key"),
            _flag(S.started_at >= begin).label("current"),
            _flag(S.started_at < begin).label("previous"),
        )
        .select_from(SESSIONS.join(UNMET, UNMET.c.session_id == S.id))
        .where(session_filter(filters, Period(previous.start, filters.period.end)))
        .group_by(key)
    )


def unmet_by_district(filters: Filters) -> Query:
    """Unmet-need records by the postcode district the person gave (NULL: not given)."""
    return _unmet_by_context(filters, CONTEXTS.c.postcode_district, "district")


def unmet_by_age_band(filters: Filters) -> Query:
    """Unmet-need records by the age band the person chose to give (NULL: not given)."""
    return _unmet_by_context(filters, CONTEXTS.c.age_band, "band")


def _unmet_by_context(filters: Filters, column: ColumnElement[Any], label: str) -> Query:
    """Unmet-need records by one thing the person chose to give (a left join: most give
    nothing, and those records count under NULL)."""
    return (
        select(column.label(label), func.count().label("count"))
        .select_from(
            SESSIONS.join(UNMET, UNMET.c.session_id == S.id).outerjoin(
                CONTEXTS, CONTEXTS.c.session_id == S.id
            )
        )
        .where(session_filter(filters))
        .group_by(column)
    )


def unmet_by_need_and_node(filters: Filters) -> Query:
    """Unmet-need records by need and end node: agencies follow from the knowledge base."""
    return (
        select(UNMET.c.need_id, UNMET.c.node_id, func.count().label("count"))
        .select_from(SESSIONS.join(UNMET, UNMET.c.session_id == S.id))
        .where(session_filter(filters))
        .group_by(UNMET.c.need_id, UNMET.c.node_id)
    )


# --- Giving up ---------------------------------------------------------------------------


def gave_up_at(filters: Filters) -> Query:
    """Sessions that gave up, by the node they were at (NULL: before choosing a topic)."""
    return (
        select(S.last_node_id.label("node_id"), func.count().label("count"))
        .where(session_filter(filters), gave_up())
        .group_by(S.last_node_id)
    )


def answered(filters: Filters, topic_id: str | None = None) -> Query:
    """Sessions that answered each question (each session once, however often it came back)."""
    conditions = [session_filter(filters), STEPS.c.kind == "answer"]
    if topic_id:
        conditions.append(STEPS.c.topic_id == topic_id)
    return (
        select(
            STEPS.c.node_id,
            func.count(STEPS.c.session_id.distinct()).label("count"),
        )
        .select_from(SESSIONS.join(STEPS, STEPS.c.session_id == S.id))
        .where(*conditions)
        .group_by(STEPS.c.node_id)
    )


def asked_for_person(filters: Filters) -> Query:
    """Sessions that asked to talk to a person, by the topic and node where they first asked.

    Each session counts once, at its first request, so the rows add up to the
    sessions that asked (a sum the suppression can protect). NULL topic and
    node: asked before choosing a topic.
    """
    first = (
        select(STEPS.c.session_id, func.min(STEPS.c.sequence).label("sequence"))
        .select_from(SESSIONS.join(STEPS, STEPS.c.session_id == S.id))
        .where(session_filter(filters), STEPS.c.kind == PERSON_ASKED_STEP)
        .group_by(STEPS.c.session_id)
        .subquery("first_asked")
    )
    where = and_(STEPS.c.session_id == first.c.session_id, STEPS.c.sequence == first.c.sequence)
    return (
        select(STEPS.c.topic_id, STEPS.c.node_id, func.count().label("count"))
        .select_from(first.join(STEPS, where))
        .group_by(STEPS.c.topic_id, STEPS.c.node_id)
    )


# --- Services ----------------------------------------------------------------------------


def service_pressure(filters: Filters) -> Query:
    """For each service: times it was considered, and how it fitted (offered, waiting list...).

    Ordered by service id only: rows are ranked by their published figures once protected
    (`groups/services.py`), never by a true count that may be hidden."""
    fit = OUTCOME_SERVICES.c.fit
    return (
        select(
            OUTCOME_SERVICES.c.service_id,
            func.count().label("considered"),
            *(_flag(fit == name).label(name) for name in FITS),
        )
        .select_from(SESSIONS.join(OUTCOME_SERVICES, OUTCOME_SERVICES.c.session_id == S.id))
        .where(session_filter(filters))
        .group_by(OUTCOME_SERVICES.c.service_id)
        .order_by(OUTCOME_SERVICES.c.service_id)
    )


def services_considered(filters: Filters) -> Query:
    """How many services were considered at all, for paging."""
    return (
        select(func.count(OUTCOME_SERVICES.c.service_id.distinct()))
        .select_from(SESSIONS.join(OUTCOME_SERVICES, OUTCOME_SERVICES.c.session_id == S.id))
        .where(session_filter(filters))
    )


def ineligible_by_rule(filters: Filters, service_ids: list[str] | None = None) -> Query:
    """Times each rule ruled people out of each service (for the services on a page)."""
    conditions = [session_filter(filters), OUTCOME_SERVICES.c.fit == "ineligible"]
    if service_ids is not None:
        conditions.append(OUTCOME_SERVICES.c.service_id.in_(service_ids))
    return (
        select(
            OUTCOME_SERVICES.c.service_id,
            OUTCOME_SERVICES.c.failed_rule,
            func.count().label("count"),
        )
        .select_from(SESSIONS.join(OUTCOME_SERVICES, OUTCOME_SERVICES.c.session_id == S.id))
        .where(*conditions)
        .group_by(OUTCOME_SERVICES.c.service_id, OUTCOME_SERVICES.c.failed_rule)
    )


# --- Requests and content ----------------------------------------------------------------


def unmatched_texts(filters: Filters, limit: int) -> Query:
    """The scrubbed unmatched requests, counted per distinct text, most frequent first."""
    text = func.lower(func.trim(UNMET.c.text))
    return (
        select(text.label("text"), func.count().label("count"))
        .select_from(SESSIONS.join(UNMET, UNMET.c.session_id == S.id))
        .where(session_filter(filters), UNMET.c.reason == "unmatched", UNMET.c.text.is_not(None))
        .group_by(text)
        .order_by(func.count().desc(), text)
        .limit(limit)
    )


def unmatched_spread(filters: Filters, limit: int) -> Query:
    """For the `limit` most frequent unmatched texts: sessions per text, day and site.

    Quoting a text is safe only when many people said it, not one person many
    times: the review quotes a text only when it was said on enough different
    days or at enough different sites, which these rows tell.
    """
    text = func.lower(func.trim(UNMET.c.text))
    top = unmatched_texts(filters, limit).with_only_columns(text).subquery("top_texts")
    day = day_of(S.started_at)
    return (
        select(text.label("text"), day.label("day"), S.site, func.count().label("count"))
        .select_from(SESSIONS.join(UNMET, UNMET.c.session_id == S.id))
        .where(
            session_filter(filters),
            UNMET.c.reason == "unmatched",
            UNMET.c.text.is_not(None),
            text.in_(select(top.c[0])),
        )
        .group_by(text, day, S.site)
    )


def content_versions(filters: Filters) -> Query:
    """Sessions per knowledge-base version (content hash), with the first and last day seen."""
    return (
        select(
            S.content_hash,
            func.count().label("count"),
            func.min(S.started_at).label("first"),
            func.max(S.started_at).label("last"),
        )
        .where(session_filter(filters))
        .group_by(S.content_hash)
        .order_by(func.max(S.started_at).desc())
    )


def meaning_unavailable_sites(filters: Filters) -> Query:
    """Sites where safeguarding's meaning line could not be used in the period.

    Read from the event receipts the engine's `MeaningUnavailable` leaves (once per
    session), so it needs no table of its own. Only the site: no count, no date.
    """
    return (
        select(S.site)
        .select_from(RECEIPTS.join(SESSIONS, RECEIPTS.c.session_id == S.id))
        .where(session_filter(filters), RECEIPTS.c.kind == MEANING_UNAVAILABLE)
        .group_by(S.site)
        .order_by(S.site)
    )


def date_range(sites: tuple[str, ...] = ()) -> Query:
    """The first and last session start, so the dashboard can offer sensible periods.

    Two scalar subqueries, because SQLite answers a lone min() or max() from
    the index in one step, but scans the whole index for both in one SELECT.
    With a manager's scope (`sites`), the least and greatest of each site's own
    first and last start, each one step into `ix_sessions_site_started_at`.
    """
    if not sites:
        return select(
            select(func.min(S.started_at)).scalar_subquery(),
            select(func.max(S.started_at)).scalar_subquery(),
        )
    ends = []
    for end in (func.min, func.max):
        each = [select(end(S.started_at).label("at")).where(S.site == site) for site in sites]
        found = union_all(*each).subquery() if len(each) > 1 else each[0].subquery()
        ends.append(select(end(found.c.at)).scalar_subquery())
    return select(*ends)


def distinct_values(column: str) -> Query:
    """The distinct values of an indexed session column, by hopping along its index.

    `SELECT DISTINCT` would read every session; this asks for the smallest
    value above the last one found, once per value (a "loose index scan", as a
    recursive CTE that SQLite and PostgreSQL both run), so a million sessions
    at five sites cost five index lookups.
    """
    column_ = S[column]
    walk = select(func.min(column_).label("value")).cte(f"walk_{column}", recursive=True)
    following = select(func.min(column_)).where(column_ > walk.c.value).scalar_subquery()
    walk = walk.union_all(select(following).where(walk.c.value.is_not(None)))
    return select(walk.c.value).where(walk.c.value.is_not(None)).order_by(walk.c.value)


# --- Pathways ----------------------------------------------------------------------------


AgencyScope = tuple[str, str | None, tuple[str, ...]]
"""Records an agency may pay for: (need, only at this node or None, except at these nodes)."""


def drilled_sessions(
    drill: Drill, filters: Filters, agency_scopes: dict[str, list[AgencyScope]]
) -> Any:
    """The ids of the sessions behind a figure, as a subquery.

    `agency_scopes` says which records each agency may carry the cost of,
    from the knowledge base, for drilling into "who pays" figures.
    """
    conditions: list[ColumnElement[bool]] = [session_filter(filters)]
    source: Any = SESSIONS
    if drill.abandoned_at is not None:
        conditions += [gave_up(), S.last_node_id == drill.abandoned_at]
    if drill.week_start is not None:
        start = dt.datetime.combine(drill.week_start, dt.time(), tzinfo=dt.UTC)
        conditions += [S.started_at >= start, S.started_at < start + dt.timedelta(days=7)]
    if (
        drill.unmet_only
        or drill.need_id
        or drill.reason
        or drill.agency
        or drill.district is not None
    ):
        source = source.join(UNMET, UNMET.c.session_id == S.id)
        if drill.need_id:
            conditions.append(UNMET.c.need_id == drill.need_id)
        if drill.reason:
            conditions.append(UNMET.c.reason == drill.reason)
        if drill.agency:
            scopes = agency_scopes.get(drill.agency, [])
            conditions.append(or_(*(_in_scope(scope) for scope in scopes), literal(False)))
    if drill.asked_for_person:
        source, asked = _first_person_asked(source)
        if drill.asked_topic is not None:
            conditions.append(_equal_or_null(asked.c.topic_id, drill.asked_topic))
        if drill.asked_node is not None:
            conditions.append(_equal_or_null(asked.c.node_id, drill.asked_node))
    if drill.district is not None:
        source = source.outerjoin(CONTEXTS, CONTEXTS.c.session_id == S.id)
        district = CONTEXTS.c.postcode_district
        conditions.append(
            district.is_(None) if drill.district == "" else district == drill.district
        )
    return select(S.id.label("session_id")).select_from(source).where(*conditions).distinct()


def _first_person_asked(source: Any) -> tuple[Any, Any]:
    """`source` joined to each session's first request for a person, and that step's table.

    The first request is where `asked_for_person` counts a session, so a drill
    lists exactly the sessions its figure counted. The earliest sequence is a
    correlated MIN over the session's steps (their primary key starts with
    `session_id`), so only the chosen sessions' steps are read.
    """
    asked = STEPS.alias("asked")
    first = (
        select(func.min(STEPS.c.sequence))
        .where(STEPS.c.session_id == S.id, STEPS.c.kind == PERSON_ASKED_STEP)
        .correlate(SESSIONS)
        .scalar_subquery()
    )
    joined = source.join(asked, and_(asked.c.session_id == S.id, asked.c.sequence == first))
    return joined, asked


def _equal_or_null(column: ColumnElement[str | None], value: str) -> ColumnElement[bool]:
    """`column` equals `value`, or is NULL when `value` is "" (the drills' "not given")."""
    return column.is_(None) if value == "" else column == value


def _in_scope(scope: AgencyScope) -> ColumnElement[bool]:
    need, node, except_nodes = scope
    condition = UNMET.c.need_id == need
    if node is not None:
        return and_(condition, UNMET.c.node_id == node)
    if except_nodes:
        return and_(condition, or_(UNMET.c.node_id.is_(None), UNMET.c.node_id.not_in(except_nodes)))
    return condition


def pathways(
    drill: Drill,
    filters: Filters,
    threshold: int,
    limit: int,
    offset: int,
    agency_scopes: dict[str, list[AgencyScope]],
) -> Query:
    """Pathways (answers in order) behind a figure, grouped, only groups of `threshold` or more.

    The path of a session is built with an ordered window over its answers,
    which reads the same on SQLite and PostgreSQL. `groups` (the number of
    groups shown, over every page) comes back on each row for paging.
    """
    chosen = drilled_sessions(drill, filters, agency_scopes).subquery("chosen")
    step = (STEPS.c.node_id + literal(":") + func.coalesce(STEPS.c.option_id, "")).label("step")
    ordered = (
        func.aggregate_strings(step, PATH_SEPARATOR)
        .over(partition_by=STEPS.c.session_id, order_by=STEPS.c.sequence, rows=(None, None))
        .label("path")
    )
    walked = (
        select(STEPS.c.session_id, ordered)
        .select_from(STEPS.join(chosen, chosen.c.session_id == STEPS.c.session_id))
        .where(STEPS.c.kind == "answer")
        .subquery("walked")
    )
    per_session = select(walked.c.session_id, walked.c.path).distinct().subquery("per_session")
    return (
        select(
            per_session.c.path,
            func.count().label("count"),
            func.count().over().label("groups"),
        )
        .group_by(per_session.c.path)
        .having(func.count() >= threshold)
        .order_by(func.count().desc(), per_session.c.path)
        .limit(limit)
        .offset(offset)
    )
