"""The review: every figure for a set of filters, counted in SQL and protected before it leaves.

Figures come in groups that share one `Ledger`, because their numbers add up
across tables (unmet need by need, by reason, by district and by agency all
count the same records). The overview is computed first, always; every later
group pins the overview cells it adds up to, so a later view can neither
change nor give away what the overview showed. The order is fixed, so the
dashboard and `navigator report` publish exactly the same figures for the
same filters, whatever order a manager opens the tabs in. Each group is a
module of `reports/groups/` (its query, its table shape, its notes); this class
computes them in `sections.GROUP_ORDER`, caches them, and names things (needs,
topics, questions) for them.

Long tables (services, pathways) are paged; their rows are protected one at a
time (each row's sums are within the row). Pathways are paged in SQL; services
are all protected first and then paged, so their order follows published figures.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine

from navigator.config import Settings
from navigator.kb import KnowledgeBase
from navigator.kb.model import Question
from navigator.records.reports import queries as q
from navigator.records.reports.groups import (
    content,
    followup,
    funnels,
    languages,
    overview,
    requests,
    services,
    unmet,
)
from navigator.records.reports.groups import side_by_side as side_by_side
from navigator.records.reports.groups.common import (
    BEFORE_TOPIC,
    Published,
    day,
)
from navigator.records.reports.groups.services import PAGE_SIZE
from navigator.records.reports.presets import Preset, preset
from navigator.records.reports.sections import GROUP_ORDER, SECTIONS, Section, find
from navigator.records.reports.suppression import (
    Ledger,
    check_threshold,
)
from navigator.records.reports.tables import (
    Column,
    Drill,
    Filters,
    Heading,
    Period,
    Report,
    Table,
)

DEFAULT_DAYS = 91
"""The dashboard's first period and the report's when none is given: the last 13 weeks."""


NOTES = (
    "Counts are of sessions, or of records of unmet need where a table says so "
    "(one session can record more than one).",
    "'[c]' (confidential) is a hidden figure: a count under {t}, hidden so nobody can be "
    "recognised, or a figure hidden so that such a count cannot be worked out from the totals "
    "(the dashboard prints the same '[c]'). '[x]' (not available) is a figure "
    "Navigator does not have (a rate with no population configured, a period before the first "
    "record); '[z]' (not applicable) is one that does not apply (a change as a share of nothing).",
    "Pathways are shown only where {t} or more people followed the same one.",
)
EXACT_NOTE = (
    "These counts are exact: comparing figures for different filters (site, channel, topic, "
    "period) can narrow down small numbers, so share them only with people who may see the "
    "records."
)
ROUNDED_NOTE = (
    "Counts are rounded, so comparing figures for different filters (site, channel, topic, "
    "period) leaves a range, not a small number."
)


Builder = Callable[["Review", Filters, Published], tuple[tuple[Table, ...], Published]]
"""How a group is computed: its tables and the cells it published, from the review, the
filters and the overview cells it pins."""


def default_builders() -> dict[str, Builder]:
    """Every group of `sections.GROUP_ORDER`, by name: the module that computes it."""
    return {
        "overview": overview.build,
        "unmet": unmet.build,
        "funnels": funnels.build,
        "services": services.build,
        "requests": lambda review, f, p: requests.build(review, f),
        "content": content.build,
        "compare": side_by_side.build,
        "languages": languages.build,
        "followup": followup.build,
    }


class ReviewProblem(Exception):
    """The review cannot be produced (no database, old schema...), with what to do."""


@dataclass(frozen=True)
class Choices:
    """What the filters can offer: the sites and channels in the records, the topics."""

    sites: tuple[str, ...]
    channels: tuple[str, ...]
    topics: tuple[tuple[str, str], ...]
    first_day: dt.date | None
    last_day: dt.date | None


@dataclass(frozen=True)
class Page:
    table: Table
    page: int
    pages: int
    rows_total: int


@dataclass
class Review:
    """Figures for managers, from one records database and the knowledge base that made them."""

    engine: Engine
    knowledge: KnowledgeBase
    threshold: int = 5
    populations: dict[str, int] = field(default_factory=dict)
    today: Callable[[], dt.date] = field(default=lambda: dt.datetime.now(dt.UTC).date())
    paged_tables: frozenset[str] = frozenset({"service_pressure"})
    preset: Preset | None = None
    """Disclosure control; None: counts under `threshold` hidden, the rest exact."""
    sections: tuple[Section, ...] = SECTIONS
    """The sections every output shows, in order: the registry's unless a caller (a test
    adding a section) gives more. The dashboard's tabs, the exports and the pack read this."""
    builders: Mapping[str, Builder] = field(default_factory=default_builders)
    """How each group named by a section is computed."""
    sites: tuple[str, ...] = ()
    """The manager's scope (setting `manager_sites`): every figure, filter choice and period
    counts only these sites' sessions; empty: every site. Where several councils share one
    database, each council's managers see their own sites only, which is right for privacy
    and keeps the first view to the council's rows (ix_sessions_site_started_at)."""
    _cache: OrderedDict[tuple[Filters, str], tuple[tuple[Table, ...], Published]] = field(
        default_factory=OrderedDict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _overview_rows: OrderedDict[Filters, Sequence[Any]] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        if self.preset is not None:
            self.threshold = self.preset.threshold
        check_threshold(self.threshold)
        if not self.populations and self.knowledge.place is not None:
            self.populations = dict(self.knowledge.place.populations)

    # --- Public ------------------------------------------------------------------

    def choices(self) -> Choices:
        with self.engine.connect() as connection:
            first, last = connection.execute(q.date_range(self.sites)).one()
            sites = connection.execute(q.distinct_values("site")).scalars().all()
            channels = connection.execute(q.distinct_values("channel")).scalars().all()
        if self.sites:
            sites = [site for site in sites if site in self.sites]
        topics = tuple((key, topic.title.get()) for key, topic in self.knowledge.topics.items())
        return Choices(
            sites=tuple(sites),
            channels=tuple(channels),
            topics=topics,
            first_day=day(first),
            last_day=day(last),
        )

    def section(self, tab: str, filters: Filters) -> tuple[Table, ...]:
        """The tables of one dashboard tab, computing its group (and the overview) if needed."""
        filters = self.scoped(filters)
        shown = find(self.sections, tab)
        return tuple(
            table
            for group in shown.groups
            for table in self._group(group, filters)
            if shown.shows(table.key)
        )

    def default_period(self) -> Period:
        """The last 13 weeks up to the last day with records (today if there are none)."""
        last = self.choices().last_day or self.today()
        return Period(last - dt.timedelta(days=DEFAULT_DAYS - 1), last)

    def report(
        self, filters: Filters, title: str = "Unmet need review", period_chosen: str = ""
    ) -> Report:
        """Every figure, for `navigator report`: computed group by group (the overview first),
        published section by section in the registry's order, services unpaged.

        `period_chosen` says how the period was picked when nobody gave one.
        """
        asked, filters = filters.period, self.scoped(filters)
        computed: list[Table] = []
        for group in self.group_order():
            if group == "services":  # paged on screen; every row here
                computed.append(services.pressure(self, filters, offset=0, limit=None)[0])
                computed.append(services.referrals(self, filters))
            else:
                computed.extend(self._group(group, filters))
        tables = [table for part in self.sections for table in computed if part.shows(table.key)]
        headings = tuple(
            Heading(part.key, part.title, tuple(t.key for t in tables if part.shows(t.key)))
            for part in self.sections
        )
        return Report(
            title=title,
            filters=filters,
            threshold=self.threshold,
            generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            tables=tuple(tables),
            notes=(
                *(note.format(t=self.threshold) for note in NOTES),
                ROUNDED_NOTE if self.rule().rounding else EXACT_NOTE,
                self.rule().describe(),
                *(
                    ()
                    if asked == filters.period
                    else (
                        f"Periods cover whole weeks (Monday to Sunday) or whole months, so that "
                        f"two reports never differ by a day or two: {asked} was asked for.",
                    )
                ),
            ),
            period_chosen=period_chosen,
            sections=headings,
        )

    def group_order(self) -> tuple[str, ...]:
        """The groups the sections need, in `GROUP_ORDER` (overview first), then any others in
        the order sections name them."""
        named = [group for part in self.sections for group in part.groups]
        known = [group for group in GROUP_ORDER if group in named or group == "overview"]
        return (*known, *dict.fromkeys(g for g in named if g not in GROUP_ORDER))

    def forget(self) -> None:
        """Drop every computed figure, so the next request reads the records afresh."""
        with self._lock:
            self._cache.clear()
            self._overview_rows.clear()

    def page(self, table_key: str, filters: Filters, page: int) -> Page:
        if table_key != "service_pressure":
            raise KeyError(f"{table_key} is not a paged table")
        filters = self.scoped(filters)
        table, total = services.pressure(self, filters, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        return Page(table, page, max(1, -(-total // PAGE_SIZE)), total)

    def pathways(self, drill: Drill, filters: Filters, page: int) -> Page:
        """A page of the grouped pathways behind a figure (groups under the threshold left out)."""
        filters = self.scoped(filters)
        statement = q.pathways(
            drill, filters, self.threshold, PAGE_SIZE, page * PAGE_SIZE, unmet.agency_scopes(self)
        )
        rows = self.rows(statement)
        groups = int(rows[0].groups) if rows else 0
        table = Table(
            key="pathways",
            title=f"Pathways behind: {drill.title}",
            columns=(
                Column("path", "Pathway (question: answer chosen, in order)", "text"),
                Column("people", "People"),
            ),
            rows=tuple(
                (self.path_label(row.path), self.rule().round(int(row.count))) for row in rows
            ),
        )
        return Page(table, page, max(1, -(-groups // PAGE_SIZE)), groups)

    def scoped(self, filters: Filters) -> Filters:
        """`filters` over whole weeks or months, within the manager's scope; `ReviewProblem`
        for a site outside it (a command's `--site`; the dashboard offers only the scope's)."""
        if self.sites and filters.site and filters.site not in self.sites:
            raise ReviewProblem(
                f"the site {filters.site!r} is not one of the sites these managers see "
                f"(setting manager_sites: {', '.join(self.sites)}); choose one of those"
            )
        return replace(snapped(filters), sites=self.sites)

    def overview_rows(self, filters: Filters) -> Sequence[Any]:
        """The overview's counts by week and language (`queries.overview`), read once per
        filters: the overview's headline and weeks and its table by language all add them up."""
        with self._lock:
            found = self._overview_rows.get(filters)
        if found is None:
            found = self.rows(q.overview(filters))
            with self._lock:
                self._overview_rows[filters] = found
                while len(self._overview_rows) > 16:
                    self._overview_rows.popitem(last=False)
        return found

    # --- Groups ------------------------------------------------------------------

    def rule(self) -> Preset:
        return self.preset or Preset("threshold", self.threshold)

    def ledger(self) -> Ledger:
        return Ledger(self.threshold, rounding=self.rule().rounding)

    def _group(self, name: str, filters: Filters) -> tuple[Table, ...]:
        return self._computed(name, filters)[0]

    def _computed(self, name: str, filters: Filters) -> tuple[tuple[Table, ...], Published]:
        """A group's tables and published cells, from the cache or computed (overview first)."""
        with self._lock:
            cached = self._cache.get((filters, name))
        if cached is not None:
            return cached
        pinned = self._computed("overview", filters)[1] if name != "overview" else {}
        result = self.builders[name](self, filters, pinned)
        with self._lock:
            self._cache[(filters, name)] = result
            while len(self._cache) > 64:
                self._cache.popitem(last=False)
        return result

    # --- Labels ------------------------------------------------------------------

    def need_title(self, need_id: str | None) -> str:
        need = self.knowledge.needs.get(need_id or "")
        if need is not None:
            return need.title.get()
        return need_id or "Not matched to a need"

    def reason_title(self, reason: str) -> str:
        found = self.knowledge.reasons.get(reason)
        return found.title.get() if found else reason

    def agency_title(self, agency: str) -> str:
        found = self.knowledge.agencies.get(agency)
        return found.name.get() if found else agency

    def topic_title(self, topic_id: str) -> str:
        if topic_id == BEFORE_TOPIC:
            return "Before choosing a topic"
        found = self.knowledge.topics.get(topic_id)
        return found.title.get() if found else (topic_id or "Unknown topic")

    def service_title(self, service_id: str) -> str:
        found = self.knowledge.services.get(service_id)
        return found.name.get() if found else service_id

    def rule_title(self, rule: str | None) -> str:
        found = self.knowledge.facts.get(rule or "")
        return found.title.get() if found else (rule or "another rule")

    def question_label(self, node_id: str) -> str:
        node = self.knowledge.nodes.get(node_id)
        return node.text.get() if node is not None else "A question no longer asked"

    def place_label(self, node_id: str | None) -> str:
        return self.question_label(node_id) if node_id else self.topic_title(BEFORE_TOPIC)

    def path_label(self, path: str | None) -> str:
        """ "housing-start:rent > ..." as the words a person read and chose, in order."""
        if not path:
            return "(no answers)"
        return " > ".join(self.step_label(step) for step in path.split(q.PATH_SEPARATOR))

    def step_label(self, step: str) -> str:
        node_id, _, option_id = step.partition(":")
        node = self.knowledge.nodes.get(node_id)
        if not isinstance(node, Question):
            return f"{self.question_label(node_id)} {option_id}"
        chosen = next((o.label.get() for o in node.options if o.key == option_id), option_id)
        text = node.text.get()
        return f"{text} {chosen}" if text.endswith(("?", ".", ":")) else f"{text}: {chosen}"

    # --- Database ------------------------------------------------------------------

    def rows(self, statement: q.Query) -> Sequence[Any]:
        with self.engine.connect() as connection:
            return connection.execute(statement).all()

    def scalar(self, statement: q.Query) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(statement).scalar_one()


def snapped(filters: Filters) -> Filters:
    """`filters` over whole weeks or months (see `Period.snapped`)."""
    return replace(filters, period=filters.period.snapped())


def open_review(settings: Settings) -> Review:
    """A `Review` of the configured records database and knowledge base, or `ReviewProblem`."""
    from navigator.kb import KnowledgeBaseUnreadable, load
    from navigator.records.database import (
        SchemaNotCurrent,
        current_revision,
        display_url,
        head_revision,
        make_engine,
        sqlite_file,
    )

    url = settings.resolved_database_url
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise ReviewProblem(
            f"there is no records database at {path} yet. Records appear after the first "
            "session; for a demonstration, fill one with `navigator demo-data`."
        )
    try:
        knowledge = load(settings.knowledge).knowledge
    except KnowledgeBaseUnreadable as problem:
        raise ReviewProblem(f"the knowledge base cannot be read: {problem}") from None
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
        if revision != head_revision():
            raise SchemaNotCurrent(
                f"the records database {display_url(url)} is at schema {revision or 'none'}; "
                "run `navigator db upgrade` first"
            )
    except SchemaNotCurrent as problem:
        engine.dispose()
        raise ReviewProblem(str(problem)) from None
    except Exception as problem:  # a driver error: say where, not how
        engine.dispose()
        raise ReviewProblem(
            f"cannot read the records database {display_url(url)}: {problem}"
        ) from None
    return Review(
        engine=engine,
        knowledge=knowledge,
        threshold=settings.suppression_threshold,
        populations=dict(settings.district_populations),
        preset=preset(settings.suppression, settings.suppression_threshold),
        sites=settings.manager_sites,
    )
