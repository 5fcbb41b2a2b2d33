"""The unmet-need group: the "Unmet need", "Where" and "Who pays" sections.

One `Ledger` for all of them: unmet need by need, by reason, by month, by age band,
by district and by agency all count the same records, so protecting them apart
would let a reader combine them. The cost in pounds (`costs.py`) is made from the
published agency cells once the ledger has protected them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from navigator.kb.model import UnmetEnd
from navigator.records.reports import queries as q
from navigator.records.reports.groups.common import (
    Published,
    day,
    figure_of,
    pin_headline,
    pinned_figure,
    published,
    published_order,
    shown_drill,
    withheld_if,
)
from navigator.records.reports.groups.costs import cost_tables
from navigator.records.reports.suppression import Hidden, Ledger, change, rate, share
from navigator.records.reports.tables import (
    NOT_AVAILABLE,
    Chart,
    Column,
    Drill,
    Filters,
    Period,
    Table,
    Value,
)

if TYPE_CHECKING:
    from navigator.records.reports.review import Review

NOT_GIVEN = ""
"""The district key of records whose person gave no postcode district."""

TREND_DAYS = 3 * 365 + 1
"""The longest period the monthly trend covers: three years."""


def build(
    review: Review, filters: Filters, pinned: Published
) -> tuple[tuple[Table, ...], Published]:
    ledger = review.ledger()
    by_need = {row.key: row for row in review.rows(q.unmet_by("need_id", filters))}
    by_reason = {row.key: row for row in review.rows(q.unmet_by("reason", filters))}
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
    _beside_sessions(ledger, pinned)
    build_ages = _age_bands(review, ledger, filters)
    build_districts = _districts(review, ledger, filters)
    build_agencies = _agencies(review, ledger, filters)
    build_months = _trend(review, ledger, filters)
    sessions = pinned_figure(pinned, ("headline", "sessions"), review.threshold)
    before_records = _before_records(review, filters)
    need_table = _change_table(
        before_records,
        review,
        ledger,
        sessions,
        "unmet_by_need",
        "Unmet need by category",
        "Need",
        "need",
        by_need,
        lambda key: review.need_title(key),
        lambda key, title: Drill(f"Unmet need: {title}", need_id=key or None),
    )
    reason_table = _change_table(
        before_records,
        review,
        ledger,
        sessions,
        "unmet_by_reason",
        "Unmet need by reason",
        "Reason",
        "reason",
        by_reason,
        lambda key: review.reason_title(key),
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


def _trend(review: Review, ledger: Ledger, filters: Filters) -> Callable[[], Table]:
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
    for row in review.rows(q.unmet_by_month(filters)):
        counts[(str(row.month), row.key)] = int(row.count)
    months = _calendar_months(filters.period)
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
                ledger.figure(("need", "current", n)), review.need_title(n)
            ),
        )
        return Table(
            key="unmet_by_month",
            title=title,
            note="Records of unmet need in each calendar month of the period (the first "
            "and last months may be part months), by category, with the month's total.",
            columns=(
                Column("month", "Month", "date"),
                *(Column(f"need:{n or ''}", review.need_title(n)) for n in order),
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


def _before_records(review: Review, filters: Filters) -> bool:
    """Whether the period before lies wholly before the first record: its zeros are then
    not data (Navigator was not recording), and read "[x]", not available."""
    first = day(review.rows(q.date_range())[0][0])
    return first is not None and filters.period.previous.end < first


def _change_table(
    before_records: bool,
    review: Review,
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
        body.append(_change_row(label(item), current, previous, sessions, before_records))
        drills.append(shown_drill(current, drill(item, label(item))))
    current_total = ledger.figure(("unmet-records", "current"))
    previous_total = ledger.figure(("unmet-records", "previous"))
    body.append(
        _change_row("All unmet need", current_total, previous_total, sessions, before_records)
    )
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


def _age_bands(review: Review, ledger: Ledger, filters: Filters) -> Callable[[], Table]:
    """Count unmet need by age band into `ledger` now (it adds up to the same records as
    every other breakdown); the table is built once all are in."""
    counts = {
        (row.band or NOT_GIVEN): int(row.count) for row in review.rows(q.unmet_by_age_band(filters))
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


def _districts(review: Review, ledger: Ledger, filters: Filters) -> Callable[[], Table]:
    """Count unmet need by district into `ledger` now; the table is built once all are in."""
    counts = {
        (row.district or NOT_GIVEN): int(row.count)
        for row in review.rows(q.unmet_by_district(filters))
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
            population = review.populations.get(district)
            label = district or "Not given"
            found: Value = rate(figure, population)
            residents: Value = population
            if district != NOT_GIVEN and found is None:  # no population configured: "[x]"
                residents = NOT_AVAILABLE if population is None else population
                found = NOT_AVAILABLE
            rows.append((label, figure, residents, found))
            drills.append(shown_drill(figure, Drill(f"Unmet need in {label}", district=district)))
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


def agency_scopes(review: Review) -> dict[str, list[q.AgencyScope]]:
    """Agency -> the records whose later cost the knowledge base puts on it.

    A need's `cost_falls_on` applies to its records at every node except
    unmet ends that name their own `cost_falls_on`, which apply there.
    """
    overrides: dict[str, list[str]] = {}
    scopes: dict[str, list[q.AgencyScope]] = {}
    for node in review.knowledge.nodes.values():
        if isinstance(node, UnmetEnd) and node.cost_falls_on is not None:
            overrides.setdefault(node.need, []).append(node.id)
            for agency in node.cost_falls_on:
                scopes.setdefault(agency, []).append((node.need, node.id, ()))
    for need in review.knowledge.needs.values():
        for agency in need.cost_falls_on:
            scopes.setdefault(agency, []).append((need.id, None, tuple(overrides.get(need.id, []))))
    return scopes


def _agencies_of(review: Review, need_id: str | None, node_id: str | None) -> list[str]:
    node = review.knowledge.nodes.get(node_id or "")
    if isinstance(node, UnmetEnd) and node.cost_falls_on is not None:
        return list(node.cost_falls_on)
    need = review.knowledge.needs.get(need_id or "")
    return list(need.cost_falls_on) if need else []


def _agencies(review: Review, ledger: Ledger, filters: Filters) -> Callable[[], tuple[Table, ...]]:
    """Count unmet need by agency into `ledger` now; the tables are built once all are in."""
    contributions: dict[tuple[str, str], int] = {}
    exact: dict[tuple[str, str], bool] = {}
    for row in review.rows(q.unmet_by_need_and_node(filters)):
        need = row.need_id or ""
        for agency in _agencies_of(review, row.need_id, row.node_id):
            contributions[(agency, need)] = contributions.get((agency, need), 0) + int(row.count)
    for agency, need in contributions:
        exact[(agency, need)] = not any(
            isinstance(node, UnmetEnd) and node.cost_falls_on is not None and node.need == need
            for node in review.knowledge.nodes.values()
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
            key=lambda a: published_order(ledger.figure(("agency", a)), review.agency_title(a)),
        )
        totals = Table(
            key="unmet_by_agency",
            title="Who is likely to carry the later cost",
            note="Records of unmet need this period, by the agencies the knowledge base "
            "says are likely to carry the cost later. One need can fall on several agencies.",
            columns=(Column("agency", "Agency", "label"), Column("count", "Unmet need")),
            rows=tuple((review.agency_title(a), ledger.figure(("agency", a))) for a in order),
            chart=Chart("bar", "agency", "count"),
            drill=tuple(
                None
                if isinstance(ledger.figure(("agency", a)), Hidden)
                else Drill(f"Unmet need that may fall on {review.agency_title(a)}", agency=a)
                for a in order
            ),
        )
        detail_rows: list[tuple[Value, ...]] = []
        for agency in order:
            needs = sorted(
                per_agency[agency],
                key=lambda cell: published_order(
                    ledger.figure(("agency-need", *cell)), review.need_title(cell[1])
                ),
            )
            for cell in needs:
                detail_rows.append(
                    (
                        review.agency_title(agency),
                        review.need_title(cell[1]),
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
            review.knowledge,
            {agency: [need for _, need in cells] for agency, cells in per_agency.items()},
            lambda agency, need: ledger.figure(("agency-need", agency, need)),
        )
        return totals, detail, cost, assumed

    return build


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


def _change_row(
    label: str, current: Value, previous: Value, sessions: Value, before_records: bool = False
) -> tuple[Value, ...]:
    """A row of a change table: a hidden count hides every figure made from it; with no
    records in the period before, its figure and the changes are not available."""
    if before_records:
        return (label, current, per_sessions(current, sessions), *(NOT_AVAILABLE,) * 3)
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


def _calendar_months(period: Period) -> list[str]:
    """Every calendar month the period touches, as "2025-03", in order."""
    months: list[str] = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
