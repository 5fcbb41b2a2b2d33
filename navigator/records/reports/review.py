"""The review: every figure for a set of filters, counted in SQL and protected before it leaves.

Figures come in groups that share one `Ledger`, because their numbers add up
across tables (unmet need by need, by reason, by district and by agency all
count the same records). The overview is computed first, always; every later
group pins the overview cells it adds up to, so a later view can neither
change nor give away what the overview showed. The order is fixed, so the
dashboard and `navigator report` publish exactly the same figures for the
same filters, whatever order a manager opens the tabs in.

Long tables (services, pathways) are paged in SQL; their rows are protected
one at a time (each row's sums are within the row), which is what lets a page
be protected without reading the others.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine

from navigator.config import Settings
from navigator.kb import KnowledgeBase
from navigator.kb.graph import reachable_from
from navigator.kb.model import Question, UnmetEnd
from navigator.records.reports import queries as q
from navigator.records.reports.groups import content, followup, languages, requests
from navigator.records.reports.groups import side_by_side as side_by_side
from navigator.records.reports.groups.common import (
    Published,
    day,
    figure_of,
    pin_headline,
    published,
    published_order,
    share_of,
    withheld,
    withheld_if,
    withheld_row,
)
from navigator.records.reports.groups.costs import cost_tables
from navigator.records.reports.groups.referrals import referrals_table
from navigator.records.reports.presets import Preset, preset
from navigator.records.reports.sections import GROUP_ORDER, SECTIONS, section
from navigator.records.reports.suppression import (
    Hidden,
    Ledger,
    change,
    check_threshold,
    rate,
    share,
)
from navigator.records.reports.tables import (
    Chart,
    Column,
    Drill,
    Filters,
    Period,
    Report,
    Table,
    Value,
)

PAGE_SIZE = 50
DEFAULT_DAYS = 91
"""The dashboard's first period and the report's when none is given: the last 13 weeks."""
NOT_GIVEN = ""
"""The district key of records whose person gave no postcode district."""
BEFORE_TOPIC = "(before)"
"""The topic key of what happened before a topic was chosen."""

TREND_DAYS = 3 * 365 + 1
"""The longest period the monthly trend covers: three years."""

NOTES = (
    "Counts are of sessions, or of records of unmet need where a table says so "
    "(one session can record more than one).",
    "'<{t}' is a count under {t}, hidden so nobody can be recognised. "
    "'[c]' is a figure hidden so that a small count cannot be worked out from the totals.",
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
    _cache: OrderedDict[tuple[Filters, str], tuple[tuple[Table, ...], Published]] = field(
        default_factory=OrderedDict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.preset is not None:
            self.threshold = self.preset.threshold
        check_threshold(self.threshold)
        if not self.populations and self.knowledge.place is not None:
            self.populations = dict(self.knowledge.place.populations)

    # --- Public ------------------------------------------------------------------

    def choices(self) -> Choices:
        with self.engine.connect() as connection:
            first, last = connection.execute(q.date_range()).one()
            sites = connection.execute(q.distinct_values("site")).scalars().all()
            channels = connection.execute(q.distinct_values("channel")).scalars().all()
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
        filters = snapped(filters)
        shown = section(tab)
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
        asked, filters = filters.period, snapped(filters)
        computed: list[Table] = []
        for group in GROUP_ORDER:
            if group == "services":  # paged on screen; every row here
                computed.append(self._services(filters, offset=0, limit=None)[0])
                computed.append(self._referrals(filters))
            else:
                computed.extend(self._group(group, filters))
        tables = [table for part in SECTIONS for table in computed if part.shows(table.key)]
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
        )

    def forget(self) -> None:
        """Drop every computed figure, so the next request reads the records afresh."""
        with self._lock:
            self._cache.clear()

    def page(self, table_key: str, filters: Filters, page: int) -> Page:
        if table_key != "service_pressure":
            raise KeyError(f"{table_key} is not a paged table")
        filters = snapped(filters)
        table, total = self._services(filters, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        return Page(table, page, max(1, -(-total // PAGE_SIZE)), total)

    def pathways(self, drill: Drill, filters: Filters, page: int) -> Page:
        """A page of the grouped pathways behind a figure (groups under the threshold left out)."""
        filters = snapped(filters)
        statement = q.pathways(
            drill, filters, self.threshold, PAGE_SIZE, page * PAGE_SIZE, self._agency_scopes()
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
                (self._path_label(row.path), self.rule().round(int(row.count))) for row in rows
            ),
        )
        return Page(table, page, max(1, -(-groups // PAGE_SIZE)), groups)

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
        builder: dict[str, Callable[[Filters, Published], tuple[tuple[Table, ...], Published]]] = {
            "overview": self._overview,
            "unmet": self._unmet,
            "funnels": self._funnels,
            "services": self._services_placeholder,
            "requests": lambda f, p: requests.build(self, f),
            "content": lambda f, p: content.build(self, f, p),
            "compare": lambda f, p: side_by_side.build(self, f, p),
            "languages": lambda f, p: languages.build(self, f, p),
            "followup": lambda f, p: followup.build(self, f, p),
        }
        result = builder[name](filters, pinned)
        with self._lock:
            self._cache[(filters, name)] = result
            while len(self._cache) > 64:
                self._cache.popitem(last=False)
        return result

    def _overview(self, filters: Filters, pinned: Published) -> tuple[tuple[Table, ...], Published]:
        weeks = {int(row.week): row for row in self.rows(q.overview(filters))}
        ledger = self.ledger()
        labels = {
            "sessions": "Sessions",
            "reached_services": "Reached services",
            "unmet": "Ended in unmet need",
            "safeguarding": "Shown safeguarding contacts",
            "gave_up": "Gave up",
        }
        for key in labels:
            ledger.count(("headline", key), sum(int(getattr(row, key)) for row in weeks.values()))
        week_count = -(-filters.period.days // 7)
        for week in range(week_count):
            row = weeks.get(week)
            ledger.count(("week", week, "sessions"), int(row.sessions) if row else 0)
            ledger.count(("week", week, "unmet"), int(row.unmet) if row else 0)
        for measure in ("sessions", "unmet"):
            ledger.relate(("headline", measure), [("week", w, measure) for w in range(week_count)])
        sessions = ledger.figure(("headline", "sessions"))
        headline = Table(
            key="headline",
            title="Sessions and how they ended",
            columns=(
                Column("measure", "Measure", "label"),
                Column("count", "Sessions"),
                Column("share", "Share of sessions (%)", "share"),
            ),
            rows=tuple(
                (
                    label,
                    ledger.figure(("headline", key)),
                    None
                    if key == "sessions"
                    else share(ledger.figure(("headline", key)), sessions),
                )
                for key, label in labels.items()
            ),
            drill=(None, None, Drill("Sessions ending in unmet need", unmet_only=True), None, None),
        )
        starts = [filters.period.start + dt.timedelta(days=7 * w) for w in range(week_count)]
        weekly = Table(
            key="weekly",
            title="Weekly trend",
            note="Weeks start on the first day of the period; the last week may be short.",
            columns=(
                Column("week", "Week starting", "date"),
                Column("sessions", "Sessions"),
                Column("unmet", "Ended in unmet need"),
            ),
            rows=tuple(
                (
                    start.isoformat(),
                    ledger.figure(("week", w, "sessions")),
                    ledger.figure(("week", w, "unmet")),
                )
                for w, start in enumerate(starts)
            ),
            chart=Chart("line", "week", "unmet"),
            drill=tuple(
                Drill(f"Unmet need in the week from {start}", week_start=start, unmet_only=True)
                if not isinstance(ledger.figure(("week", w, "unmet")), Hidden)
                else None
                for w, start in enumerate(starts)
            ),
        )
        return withheld_if(ledger, (headline, weekly)), published(ledger)

    def _months(self, ledger: Ledger, filters: Filters) -> Callable[[], Table]:
        """Count unmet need by calendar month and category into `ledger` now (periods up to
        three years); the table is built once all are in.

        In the unmet-need ledger, not a ledger of its own: each need's months add up to
        its row in "unmet need by category", and each month's needs to the month's total,
        so protecting them apart would let a reader combine the two (the audit did).
        """
        title = "Unmet need by month and category"
        if filters.period.days > TREND_DAYS:
            note = "Choose a period of up to three years to see the monthly trend."
            empty = Table(key="unmet_by_month", title=title, note=note, columns=(), rows=())
            return lambda: empty
        counts: dict[tuple[str, str | None], int] = {}
        for row in self.rows(q.unmet_by_month(filters)):
            counts[(str(row.month), row.key)] = int(row.count)
        months = _months(filters.period)
        needs = sorted({need for _, need in counts}, key=lambda n: n or "")
        for need in needs:
            cells = [ledger.count(("m", m, need), counts.get((m, need), 0)) for m in months]
            ledger.relate(("need", "current", need), cells)
        for month in months:
            ledger.total(("month", month), [("m", month, need) for need in needs])
        ledger.relate(("unmet-records", "current"), [("month", m) for m in months])

        def build() -> Table:
            order = sorted(
                needs,
                key=lambda n: published_order(
                    ledger.figure(("need", "current", n)), self._need_title(n)
                ),
            )
            return Table(
                key="unmet_by_month",
                title=title,
                note="Records of unmet need in each calendar month of the period (the first "
                "and last months may be part months), by category, with the month's total.",
                columns=(
                    Column("month", "Month", "date"),
                    *(Column(f"need:{n or ''}", self._need_title(n)) for n in order),
                    Column("all", "All unmet need"),
                ),
                rows=tuple(
                    (
                        month,
                        *(ledger.figure(("m", month, n)) for n in order),
                        ledger.figure(("month", month)),
                    )
                    for month in months
                ),
                chart=Chart("line", "month", "all"),
            )

        return build

    def _unmet(self, filters: Filters, pinned: Published) -> tuple[tuple[Table, ...], Published]:
        ledger = self.ledger()
        by_need = {row.key: row for row in self.rows(q.unmet_by("need_id", filters))}
        by_reason = {row.key: row for row in self.rows(q.unmet_by("reason", filters))}
        for period in ("current", "previous"):
            needs = [
                ledger.count(("need", period, key), int(getattr(row, period)))
                for key, row in by_need.items()
            ]
            ledger.total(("unmet-records", period), needs)
            ledger.last_resort.add(("unmet-records", period))
            ledger.relate(
                ("unmet-records", period),
                [
                    ledger.count(("reason", period, key), int(getattr(row, period)))
                    for key, row in by_reason.items()
                ],
            )
        self._beside_sessions(ledger, pinned)
        build_ages = self._age_bands(ledger, filters)
        build_districts = self._districts(ledger, filters)
        build_agencies = self._agencies(ledger, filters)
        build_months = self._months(ledger, filters)
        sessions = _pinned_figure(pinned, ("headline", "sessions"), self.threshold)
        need_table = self._change_table(
            ledger,
            sessions,
            "unmet_by_need",
            "Unmet need by category",
            "Need",
            "need",
            by_need,
            lambda key: self._need_title(key),
            lambda key, title: Drill(f"Unmet need: {title}", need_id=key or None),
        )
        reason_table = self._change_table(
            ledger,
            sessions,
            "unmet_by_reason",
            "Unmet need by reason",
            "Reason",
            "reason",
            by_reason,
            lambda key: self._reason_title(key),
            lambda key, title: Drill(f"Unmet need: {title}", reason=key),
        )
        tables = (
            need_table,
            reason_table,
            build_ages(),
            build_districts(),
            *build_agencies(),
            build_months(),
        )
        return withheld_if(ledger, tables), published(ledger)

    @staticmethod
    def _beside_sessions(ledger: Ledger, pinned: Published) -> None:
        """Records of unmet need are at least the sessions that ended in it (the headline).

        A reader knows this (one session can record more than one need), so it is
        declared: the total of records is the headline's sessions plus an unprinted
        count of second and later records. Without it, a hidden total could be pinned
        between the headline below and a table's rows above.
        """
        sessions = ("headline", "unmet")
        if sessions not in pinned:
            return
        value = pinned[sessions][0]
        records = ledger.values[("unmet-records", "current")]
        if records < value:
            return
        pin_headline(ledger, pinned, "unmet")
        more = ledger.count(("unmet-records", "beyond sessions"), records - value, published=False)
        ledger.relate(("unmet-records", "current"), [sessions, more])

    def _change_table(
        self,
        ledger: Ledger,
        sessions: Value,
        key: str,
        title: str,
        label_title: str,
        cell: str,
        rows: dict[Any, Any],
        label: Callable[[Any], str],
        drill: Callable[[Any, str], Drill],
    ) -> Table:
        ordered = sorted(
            rows, key=lambda k: published_order(ledger.figure((cell, "current", k)), label(k))
        )
        body: list[tuple[Value, ...]] = []
        drills: list[Drill | None] = []
        for item in ordered:
            current = ledger.figure((cell, "current", item))
            previous = ledger.figure((cell, "previous", item))
            body.append(_change_row(label(item), current, previous, sessions))
            drills.append(_shown_drill(current, drill(item, label(item))))
        current_total = ledger.figure(("unmet-records", "current"))
        previous_total = ledger.figure(("unmet-records", "previous"))
        body.append(_change_row("All unmet need", current_total, previous_total, sessions))
        drills.append(None)
        return Table(
            key=key,
            title=title,
            note="Records of unmet need, this period and the period of the same length before; "
            "per 1,000 sessions of this period; the change as a count and as a share of the "
            "period before.",
            columns=(
                Column("label", label_title, "label"),
                Column("current", "This period"),
                Column("per_1000", "Per 1,000 sessions", "rate"),
                Column("previous", "Period before"),
                Column("change", "Change", "change"),
                Column("change_share", "Change (%)", "share"),
            ),
            rows=tuple(body),
            chart=Chart("bar", "label", "current"),
            drill=tuple(drills),
            totals=1,
        )

    def _age_bands(self, ledger: Ledger, filters: Filters) -> Callable[[], Table]:
        """Count unmet need by age band into `ledger` now (it adds up to the same records as
        every other breakdown); the table is built once all are in."""
        counts = {
            (row.band or NOT_GIVEN): int(row.count)
            for row in self.rows(q.unmet_by_age_band(filters))
        }
        keys = [ledger.count(("age", key), value) for key, value in counts.items()]
        ledger.relate(("unmet-records", "current"), keys)

        def build() -> Table:
            ordered = sorted(
                counts,
                key=lambda k: (k == NOT_GIVEN, published_order(ledger.figure(("age", k)), k)),
            )
            return Table(
                key="unmet_by_age_band",
                title="Unmet need by age band",
                note="Records of unmet need this period, by the age band the person chose to "
                "give (giving it is optional, and asked with consent).",
                columns=(Column("band", "Age band", "label"), Column("count", "Unmet need")),
                rows=(
                    *((band or "Not given", ledger.figure(("age", band))) for band in ordered),
                    ("All age bands", ledger.figure(("unmet-records", "current"))),
                ),
                chart=Chart("bar", "band", "count"),
                totals=1,
            )

        return build

    def _districts(self, ledger: Ledger, filters: Filters) -> Callable[[], Table]:
        """Count unmet need by district into `ledger` now; the table is built once all are in."""
        counts = {
            (row.district or NOT_GIVEN): int(row.count)
            for row in self.rows(q.unmet_by_district(filters))
        }
        keys = [ledger.count(("district", key), value) for key, value in counts.items()]
        ledger.relate(("unmet-records", "current"), keys)

        def build() -> Table:
            ordered = sorted(
                counts,
                key=lambda k: (k == NOT_GIVEN, published_order(ledger.figure(("district", k)), k)),
            )
            rows: list[tuple[Value, ...]] = []
            drills: list[Drill | None] = []
            for district in ordered:
                figure = ledger.figure(("district", district))
                population = self.populations.get(district)
                label = district or "Not given"
                rows.append((label, figure, population, rate(figure, population)))
                drills.append(
                    _shown_drill(figure, Drill(f"Unmet need in {label}", district=district))
                )
            rows.append(("All districts", ledger.figure(("unmet-records", "current")), None, None))
            drills.append(None)
            return Table(
                key="unmet_by_district",
                title="Unmet need by postcode district",
                note="Records of unmet need this period, by the district the person chose to give; "
                "rates are per 100,000 residents where the district's population is configured. "
                + district_coverage(
                    ledger.figure(("district", NOT_GIVEN)) if NOT_GIVEN in counts else 0,
                    ledger.figure(("unmet-records", "current")),
                ),
                columns=(
                    Column("district", "District", "label"),
                    Column("count", "Unmet need"),
                    Column("population", "Residents", "number"),
                    Column("rate", "Per 100,000", "rate"),
                ),
                rows=tuple(rows),
                chart=Chart("bar", "district", "rate"),
                drill=tuple(drills),
                totals=1,
            )

        return build

    def _agency_scopes(self) -> dict[str, list[q.AgencyScope]]:
        """Agency -> the records whose later cost the knowledge base puts on it.

        A need's `cost_falls_on` applies to its records at every node except
        unmet ends that name their own `cost_falls_on`, which apply there.
        """
        overrides: dict[str, list[str]] = {}
        scopes: dict[str, list[q.AgencyScope]] = {}
        for node in self.knowledge.nodes.values():
            if isinstance(node, UnmetEnd) and node.cost_falls_on is not None:
                overrides.setdefault(node.need, []).append(node.id)
                for agency in node.cost_falls_on:
                    scopes.setdefault(agency, []).append((node.need, node.id, ()))
        for need in self.knowledge.needs.values():
            for agency in need.cost_falls_on:
                scopes.setdefault(agency, []).append(
                    (need.id, None, tuple(overrides.get(need.id, [])))
                )
        return scopes

    def _agencies_of(self, need_id: str | None, node_id: str | None) -> list[str]:
        node = self.knowledge.nodes.get(node_id or "")
        if isinstance(node, UnmetEnd) and node.cost_falls_on is not None:
            return list(node.cost_falls_on)
        need = self.knowledge.needs.get(need_id or "")
        return list(need.cost_falls_on) if need else []

    def _agencies(self, ledger: Ledger, filters: Filters) -> Callable[[], tuple[Table, ...]]:
        """Count unmet need by agency into `ledger` now; the tables are built once all are in."""
        contributions: dict[tuple[str, str], int] = {}
        exact: dict[tuple[str, str], bool] = {}
        for row in self.rows(q.unmet_by_need_and_node(filters)):
            need = row.need_id or ""
            for agency in self._agencies_of(row.need_id, row.node_id):
                contributions[(agency, need)] = contributions.get((agency, need), 0) + int(
                    row.count
                )
        for agency, need in contributions:
            exact[(agency, need)] = not any(
                isinstance(node, UnmetEnd) and node.cost_falls_on is not None and node.need == need
                for node in self.knowledge.nodes.values()
            )
        per_agency: dict[str, list[tuple[str, str]]] = {}
        for (agency, need), value in contributions.items():
            cell = ledger.count(("agency-need", agency, need), value)
            whole = ("need", "current", need)
            if whole not in ledger.values:
                pass
            elif exact[(agency, need)]:
                ledger.relate(cell, [whole])
            else:  # some of the need's records fall elsewhere: at most the need's figure
                rest = ledger.values[whole] - value
                ledger.relate(
                    whole,
                    [cell, ledger.count(("agency-rest", agency, need), rest, published=False)],
                )
            per_agency.setdefault(agency, []).append((agency, need))
        for agency, cells in per_agency.items():
            ledger.total(("agency", agency), [("agency-need", *cell) for cell in cells])

        def build() -> tuple[Table, ...]:
            order = sorted(
                per_agency,
                key=lambda a: published_order(ledger.figure(("agency", a)), self._agency_title(a)),
            )
            totals = Table(
                key="unmet_by_agency",
                title="Who is likely to carry the later cost",
                note="Records of unmet need this period, by the agencies the knowledge base "
                "says are likely to carry the cost later. One need can fall on several agencies.",
                columns=(Column("agency", "Agency", "label"), Column("count", "Unmet need")),
                rows=tuple((self._agency_title(a), ledger.figure(("agency", a))) for a in order),
                chart=Chart("bar", "agency", "count"),
                drill=tuple(
                    None
                    if isinstance(ledger.figure(("agency", a)), Hidden)
                    else Drill(f"Unmet need that may fall on {self._agency_title(a)}", agency=a)
                    for a in order
                ),
            )
            detail_rows: list[tuple[Value, ...]] = []
            for agency in order:
                needs = sorted(
                    per_agency[agency],
                    key=lambda cell: published_order(
                        ledger.figure(("agency-need", *cell)), self._need_title(cell[1])
                    ),
                )
                for cell in needs:
                    detail_rows.append(
                        (
                            self._agency_title(agency),
                            self._need_title(cell[1]),
                            ledger.figure(("agency-need", *cell)),
                        )
                    )
            detail = Table(
                key="agency_by_need",
                title="Who is likely to carry the later cost, by need",
                columns=(
                    Column("agency", "Agency", "label"),
                    Column("need", "Need", "label"),
                    Column("count", "Unmet need"),
                ),
                rows=tuple(detail_rows),
            )
            cost, assumed = cost_tables(
                self.knowledge,
                {agency: [need for _, need in cells] for agency, cells in per_agency.items()},
                lambda agency, need: ledger.figure(("agency-need", agency, need)),
            )
            return totals, detail, cost, assumed

        return build

    def _funnels(self, filters: Filters, pinned: Published) -> tuple[tuple[Table, ...], Published]:
        left = {row.node_id: int(row.count) for row in self.rows(q.gave_up_at(filters))}
        answered = {row.node_id: int(row.count) for row in self.rows(q.answered(filters))}
        owners = self.knowledge.topic_of_node()
        by_topic: dict[str, list[str]] = {}
        for node_id in left:
            topic = owners.get(node_id or "", "") if node_id else BEFORE_TOPIC
            by_topic.setdefault(topic, []).append(node_id)
        all_topics = [filters.topic] if filters.topic else list(self.knowledge.topics)
        questions = {topic_id: self._questions(topic_id) for topic_id in all_topics}
        left_out: set[str] = set()
        while True:
            topics = [topic for topic in all_topics if topic not in left_out]
            shown = {node for topic in topics for node in questions[topic]}
            ledger = self._funnel_ledger(pinned, left, answered, by_topic, shown)
            exposed = {
                cell[1]
                for cell in ledger.unprotected
                if isinstance(cell, tuple) and cell[0] == "left"
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
                    (self._question_label(node_id), reached, left_here, share(left_here, reached))
                )
                drill = Drill(f"Gave up at '{self._question_label(node_id)}'", abandoned_at=node_id)
                drills.append(_shown_drill(left_here, drill))
            funnels.append(self._funnel_table(topic_id, rows, drills))
        topic_order = sorted(
            by_topic,
            key=lambda t: published_order(ledger.figure(("left-topic", t)), self._topic_title(t)),
        )
        sessions = _pinned_figure(pinned, ("headline", "sessions"), self.threshold)

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
                        self._topic_title(t),
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
        asked, asked_cells = self._asked_for_person(filters)
        gave_up, *funnels = withheld_if(ledger, (gave_up, *funnels))
        funnels += [withheld(self._funnel_table(topic, [], [])) for topic in sorted(left_out)]
        order = {topic: number for number, topic in enumerate(all_topics)}
        funnels.sort(key=lambda table: order[table.key.removeprefix("funnel:")])
        return (gave_up, *asked, *funnels), {**published(ledger), **asked_cells}

    def _funnel_ledger(
        self,
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
        ledger = self.ledger()
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
        self,
        topic_id: str,
        rows: list[tuple[Value, ...]],
        drills: list[Drill | None],
    ) -> Table:
        return Table(
            key=f"funnel:{topic_id}",
            title=f"Where people give up: {self._topic_title(topic_id)}",
            columns=(
                Column("question", "Question", "label"),
                Column("reached", "Reached it"),
                Column("left", "Gave up here"),
                Column("share", "Share who gave up (%)", "share"),
            ),
            rows=tuple(rows),
            drill=tuple(drills),
        )

    def _asked_for_person(self, filters: Filters) -> tuple[tuple[Table, Table], Published]:
        """Where people asked to talk to a person: demand for a human, by topic and by node.

        Its own ledger: these counts add up among themselves (node, topic, all)
        and to nothing else shown, so they are protected together.
        """
        ledger = self.ledger()
        places: dict[str, list[str | None]] = {}
        for row in self.rows(q.asked_for_person(filters)):
            topic = row.topic_id or BEFORE_TOPIC
            ledger.count(("asked", topic, row.node_id), int(row.count))
            places.setdefault(topic, []).append(row.node_id)
        for topic, nodes in places.items():
            ledger.total(("asked-topic", topic), [("asked", topic, node) for node in nodes])
        ledger.total(("asked-all",), [("asked-topic", topic) for topic in places])
        ledger.last_resort.add(("asked-all",))
        topics = sorted(
            places,
            key=lambda t: published_order(ledger.figure(("asked-topic", t)), self._topic_title(t)),
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
                *((self._topic_title(t), ledger.figure(("asked-topic", t))) for t in topics),
                ("All who asked", ledger.figure(("asked-all",))),
            ),
            chart=Chart("bar", "topic", "count"),
            drill=(
                *(
                    _shown_drill(ledger.figure(("asked-topic", t)), self._asked_drill(t))
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
                place_rows.append((self._topic_title(topic), self._place_label(node), figure))
                place_drills.append(
                    _shown_drill(figure, self._asked_drill(topic, node, at_node=True))
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

    def _asked_drill(self, topic: str, node: str | None = None, *, at_node: bool = False) -> Drill:
        """The sessions that first asked for a person in `topic`, and at `node` if `at_node`."""
        where = (
            "before choosing a topic" if topic == BEFORE_TOPIC else f"in {self._topic_title(topic)}"
        )
        if at_node and node:
            where = f"at '{self._question_label(node)}' ({self._topic_title(topic)})"
        return Drill(
            f"Asked to talk to a person {where}",
            asked_for_person=True,
            asked_topic="" if topic == BEFORE_TOPIC else topic,
            asked_node=(node or "") if at_node else None,
        )

    def _questions(self, topic_id: str) -> list[str]:
        """A topic's questions in the order a person meets them (breadth first from its start)."""
        topic = self.knowledge.topics.get(topic_id)
        if topic is None:
            return []
        return [
            node_id
            for node_id in reachable_from(self.knowledge, topic.start)
            if isinstance(self.knowledge.nodes[node_id], Question)
        ]

    def _services_placeholder(
        self, filters: Filters, pinned: Published
    ) -> tuple[tuple[Table, ...], Published]:
        """The services tab is paged; the group holds its first page for the section call."""
        return (self._services(filters, offset=0, limit=PAGE_SIZE)[0], self._referrals(filters)), {}

    def _referrals(self, filters: Filters) -> Table:
        """Referrals sent, answered and declined per service (reports/referrals.py)."""
        return referrals_table(
            self.engine,
            filters,
            ledger=self.ledger,
            threshold=self.threshold,
            service_title=self._service_title,
        )

    def _services(self, filters: Filters, offset: int, limit: int | None) -> tuple[Table, int]:
        statement = q.service_pressure(filters)
        if limit is not None:
            statement = statement.limit(limit).offset(offset)
        rows = self.rows(statement)
        total = len(rows) if limit is None else int(self._scalar(q.services_considered(filters)))
        service_ids = [row.service_id for row in rows]
        rules: dict[str, dict[str | None, int]] = {}
        for row in self.rows(q.ineligible_by_rule(filters, service_ids)):
            rules.setdefault(row.service_id, {})[row.failed_rule] = int(row.count)
        body: list[tuple[Value, ...]] = []
        for row in rows:
            ledger = self.ledger()
            parts = [ledger.count(fit, int(getattr(row, fit))) for fit in q.FITS]
            ledger.total("considered", parts)
            service_rules = rules.get(row.service_id, {})
            rule_keys = [ledger.count(("rule", rule), n) for rule, n in service_rules.items()]
            if rule_keys:
                ledger.relate("ineligible", rule_keys)
            ruled_out = "; ".join(
                f"{self._rule_title(rule)} {ledger.figure(('rule', rule))}"
                for rule in sorted(
                    service_rules,
                    key=lambda r: published_order(ledger.figure(("rule", r)), self._rule_title(r)),
                )
            )
            if ledger.unprotected:  # this row's figures cannot be protected: none is shown
                body.append(withheld_row(self._service_title(row.service_id), 6, self.threshold))
                continue
            body.append(
                (
                    self._service_title(row.service_id),
                    ledger.figure("considered"),
                    *(ledger.figure(fit) for fit in q.FITS),
                    ruled_out,
                )
            )
        table = Table(
            key="service_pressure",
            title="Pressure on services",
            note="Each time a service was considered at an outcome this period, and how it "
            "fitted; most pressed first (every fit but 'offered').",
            columns=(
                Column("service", "Service", "label"),
                Column("considered", "Considered"),
                Column("offered", "Offered"),
                Column("waiting_list", "Waiting list only"),
                Column("ineligible", "Not eligible"),
                Column("out_of_area", "Out of area"),
                Column("closed", "Closed"),
                Column("rules", "Ruled out by", "text"),
            ),
            rows=tuple(body),
        )
        return table, total

    # --- Labels ------------------------------------------------------------------

    def _need_title(self, need_id: str | None) -> str:
        need = self.knowledge.needs.get(need_id or "")
        if need is not None:
            return need.title.get()
        return need_id or "Not matched to a need"

    def _reason_title(self, reason: str) -> str:
        found = self.knowledge.reasons.get(reason)
        return found.title.get() if found else reason

    def _agency_title(self, agency: str) -> str:
        found = self.knowledge.agencies.get(agency)
        return found.name.get() if found else agency

    def _topic_title(self, topic_id: str) -> str:
        if topic_id == BEFORE_TOPIC:
            return "Before choosing a topic"
        found = self.knowledge.topics.get(topic_id)
        return found.title.get() if found else (topic_id or "Unknown topic")

    def _service_title(self, service_id: str) -> str:
        found = self.knowledge.services.get(service_id)
        return found.name.get() if found else service_id

    def _rule_title(self, rule: str | None) -> str:
        found = self.knowledge.facts.get(rule or "")
        return found.title.get() if found else (rule or "another rule")

    def _question_label(self, node_id: str) -> str:
        node = self.knowledge.nodes.get(node_id)
        return node.text.get() if node is not None else "A question no longer asked"

    def _place_label(self, node_id: str | None) -> str:
        return self._question_label(node_id) if node_id else self._topic_title(BEFORE_TOPIC)

    def _path_label(self, path: str | None) -> str:
        """ "housing-start:rent > ..." as the words a person read and chose, in order."""
        if not path:
            return "(no answers)"
        return " > ".join(self._step_label(step) for step in path.split(q.PATH_SEPARATOR))

    def _step_label(self, step: str) -> str:
        node_id, _, option_id = step.partition(":")
        node = self.knowledge.nodes.get(node_id)
        if not isinstance(node, Question):
            return f"{self._question_label(node_id)} {option_id}"
        chosen = next((o.label.get() for o in node.options if o.key == option_id), option_id)
        text = node.text.get()
        return f"{text} {chosen}" if text.endswith(("?", ".", ":")) else f"{text}: {chosen}"

    # --- Database ------------------------------------------------------------------

    def rows(self, statement: q.Query) -> Sequence[Any]:
        with self.engine.connect() as connection:
            return connection.execute(statement).all()

    def _scalar(self, statement: q.Query) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(statement).scalar_one()


def snapped(filters: Filters) -> Filters:
    """`filters` over whole weeks or months (see `Period.snapped`)."""
    return replace(filters, period=filters.period.snapped())


COVERAGE_CAUTION = 0.6
"""Below this share of records with a district, district rates come with a caution."""


def district_coverage(not_given: Value, total: Value) -> str:
    """How many records the district rates rest on, from published figures only.

    The count with a district is the total less "Not given"; if either is
    hidden, so is the coverage (it would give the hidden one away).
    """
    if not isinstance(not_given, int) or not isinstance(total, int):
        return "How many records give a district is hidden, to protect a small count."
    if total == 0:
        return "No records of unmet need this period."
    given = total - not_given
    text = (
        f"Rates are based on {given:,} of {total:,} records with a district ({given / total:.0%})."
    )
    if given / total < COVERAGE_CAUTION:
        text += (
            " Caution: under 60% of records have a district, so the rates may be low where "
            "people did not give one, and districts cannot be compared with confidence."
        )
    return text


def _change_row(label: str, current: Value, previous: Value, sessions: Value) -> tuple[Value, ...]:
    """A row of a change table: a hidden count hides every figure made from it."""
    moved = change(figure_of(current), figure_of(previous))
    return (
        label,
        current,
        per_sessions(current, sessions),
        previous,
        moved,
        share(moved, figure_of(previous)),
    )


def per_sessions(count: Value, sessions: Value, per: int = 1000) -> float | Hidden | None:
    """`count` per `per` sessions; hidden when either is (one and the rate give the other)."""
    if isinstance(count, Hidden):
        return Hidden(count.threshold, primary=False)
    if isinstance(sessions, Hidden):
        return Hidden(sessions.threshold, primary=False)
    if not isinstance(count, int) or not isinstance(sessions, int) or not sessions:
        return None
    return round(count * per / sessions, 1)


def _pinned_figure(pinned: Published, key: Hashable, threshold: int) -> Value:
    """A cell the overview published, as it was published (hidden or the count)."""
    if key not in pinned:
        return None
    value, hidden = pinned[key]
    return Hidden(threshold, primary=0 < value < threshold) if hidden else value


def _shown_drill(figure: Value, drill: Drill) -> Drill | None:
    """`drill` for a shown, non-zero figure; None for a hidden or empty one (nothing to show)."""
    return None if isinstance(figure, Hidden) or not figure else drill


def _months(period: Period) -> list[str]:
    """Every calendar month the period touches, as "2025-03", in order."""
    months: list[str] = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


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
    )
