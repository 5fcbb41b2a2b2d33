"""The indicative cost of unmet need in pounds, by the agency likely to carry it ("Who pays").

Made only from published figures: each agency's records of each need, as the
"by need" table of who carries the cost shows them (hidden, rounded or exact, as
the disclosure rule left them), times how often content staff estimate each
later event follows (`likely_events` in needs.yaml), times the event's unit cost
from a published source (unit-costs.yaml). A count hidden to protect people is
left out, never estimated, so no cost figure carries anything of a hidden cell:
the cost is a sum of published numbers times figures anyone can read in the
knowledge base. That is also why it is a lower bound where counts are hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from navigator.kb import KnowledgeBase
from navigator.kb.model import LikelyEvent, UnitCost
from navigator.records.reports.groups.common import published_order
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Chart, Column, Table, Value

POUNDS_ROUNDED_TO = 10
"""Estimates are shown to the nearest £10: they are indicative, and finer figures would
suggest a precision the estimates of how often events follow do not have."""


@dataclass(frozen=True)
class Part:
    """One need's share of one agency's cost: a published count times one event."""

    agency: str
    need: str
    event: UnitCost
    low: Decimal
    central: Decimal
    high: Decimal

    @property
    def swing(self) -> Decimal:
        """How far this one assumption moves the total between its low and high estimates."""
        return self.high - self.low


def cost_tables(
    knowledge: KnowledgeBase,
    cells: Mapping[str, Sequence[str]],
    figure: Callable[[str, str], Value],
) -> tuple[Table, Table]:
    """The cost by agency and the assumptions behind it.

    `cells` lists each agency's needs; `figure(agency, need)` is that cell as published
    (the only numbers from the records that enter here).
    """
    parts: list[Part] = []
    left_out: dict[str, list[str]] = {}
    for agency, needs in cells.items():
        for need_id in needs:
            events = _events(knowledge, need_id, agency)
            if not events:
                continue
            count = figure(agency, need_id)
            if isinstance(count, Hidden):
                left_out.setdefault(agency, []).append(_need_title(knowledge, need_id))
                continue
            if not isinstance(count, int | float):
                continue
            parts.extend(_parts(agency, need_id, Decimal(count), events))
    return _by_agency(knowledge, cells, parts, left_out), assumptions(knowledge)


def _events(
    knowledge: KnowledgeBase, need_id: str, agency: str
) -> list[tuple[LikelyEvent, UnitCost]]:
    need = knowledge.needs.get(need_id)
    if need is None:
        return []
    found = [(event, knowledge.unit_costs.get(event.cost)) for event in need.likely_events]
    return [(event, cost) for event, cost in found if cost is not None and cost.agency == agency]


def _parts(
    agency: str, need: str, count: Decimal, events: list[tuple[LikelyEvent, UnitCost]]
) -> list[Part]:
    return [
        Part(
            agency,
            need,
            cost,
            count * _decimal(event.low) * _decimal(cost.pounds),
            count * _decimal(event.central) * _decimal(cost.pounds),
            count * _decimal(event.high) * _decimal(cost.pounds),
        )
        for event, cost in events
    ]


def _by_agency(
    knowledge: KnowledgeBase,
    cells: Mapping[str, Sequence[str]],
    parts: list[Part],
    left_out: dict[str, list[str]],
) -> Table:
    sums = {agency: _sum(p for p in parts if p.agency == agency) for agency in cells}
    costed = {part.agency for part in parts}

    def cells_of(agency: str) -> tuple[Value, Value, Value]:
        if agency not in costed:
            return None, None, None
        return sums[agency]

    order = sorted(cells, key=lambda a: published_order(cells_of(a)[2], _agency(knowledge, a)))
    rows: list[tuple[Value, ...]] = []
    for agency in order:
        rows.append((_agency(knowledge, agency), *cells_of(agency), _why(agency, costed, left_out)))
    rows.append(("All agencies", *_sum(parts), ""))
    return Table(
        key="unmet_cost_by_agency",
        title="Indicative cost of unmet need this period, by who is likely to carry it (£)",
        note=cost_note(knowledge, parts, bool(left_out)),
        columns=(
            Column("agency", "Agency", "label"),
            Column("low", "Low estimate (£)", "number"),
            Column("central", "Central estimate (£)", "number"),
            Column("high", "High estimate (£)", "number"),
            Column("not_costed", "Not costed", "text"),
        ),
        rows=tuple(rows),
        chart=Chart("bar", "agency", "central"),
        totals=1,
    )


def _sum(parts: Iterable[Part]) -> tuple[int, int, int]:
    """Low, central and high totals of `parts`, each to the nearest £10."""
    chosen = list(parts)
    return (
        pounds(sum((p.low for p in chosen), Decimal(0))),
        pounds(sum((p.central for p in chosen), Decimal(0))),
        pounds(sum((p.high for p in chosen), Decimal(0))),
    )


def _why(agency: str, costed: set[str], left_out: Mapping[str, list[str]]) -> str:
    hidden = left_out.get(agency, [])
    parts = []
    if hidden:
        parts.append("count hidden to protect people: " + ", ".join(sorted(hidden)))
    if agency not in costed and not hidden:
        parts.append("no unit costs for this agency's likely events")
    return "; ".join(parts)


def cost_note(knowledge: KnowledgeBase, parts: list[Part], hidden: bool) -> str:
    """The method in one paragraph, with the assumption that moves the total most."""
    note = (
        "An indication, not a budget or a saving: records of unmet need this period (as "
        "published in 'who is likely to carry the later cost, by need') times how often "
        "content staff estimate each later event follows (low, central and high: estimates, "
        "not measurements), times what the event costs the agency from a published source. "
        "Every assumption is listed in the next table."
    )
    if parts:
        note += " " + sensitivity(knowledge, parts)
    bases = sorted({p.event.price_base for p in parts if p.event.uprated is None})
    if bases:
        note += (
            f" Unit costs are in their own price years ({'; '.join(bases)}), as published, "
            "not uprated, so older ones understate today's costs."
        )
    second_hand = sorted({p.event.title for p in parts if _second_hand(p.event)})
    if second_hand:
        note += (
            f" {len(second_hand)} of the unit costs used were read at second hand (the next "
            "table says where); check them against their source before publishing."
        )
    derived = sorted({p.event.title for p in parts if p.event.derived})
    if derived:
        note += (
            f" {len(derived)} of them no publication states: derived here from published "
            "figures (the next table shows the arithmetic), so they are estimates too."
        )
    if hidden:
        note += (
            " Counts hidden to protect people are left out, so for those agencies the "
            "estimate is a lower bound."
        )
    return note


def sensitivity(knowledge: KnowledgeBase, parts: list[Part]) -> str:
    """Which single assumption moves the total most, and by how much (a one-way analysis:
    that assumption from its low to its high estimate, every other one at its central)."""
    largest = max(parts, key=lambda p: (p.swing, p.need, p.event.id))
    central = sum((p.central for p in parts), Decimal(0))
    low = central - largest.central + largest.low
    high = central - largest.central + largest.high
    text = (
        f"Sensitivity: the assumption that moves the total most is how often "
        f"'{largest.event.title}' follows {_need_title(knowledge, largest.need)}; from its low "
        f"to its high estimate, with every other assumption at its central, the total goes "
        f"from £{pounds(low):,} to £{pounds(high):,} (central £{pounds(central):,})."
    )
    if central > 0:
        share = (largest.central * 100 / central).quantize(Decimal(1), ROUND_HALF_UP)
        text += (
            f" Its unit cost is {share}% of the central total, so a unit cost 10% higher "
            f"raises the total by {(share / 10).quantize(Decimal('0.1'), ROUND_HALF_UP)}%."
        )
    return text


def _second_hand(cost: UnitCost) -> bool:
    return cost.read_in.lower().startswith("secondary")


def assumptions(knowledge: KnowledgeBase) -> Table:
    """Every assumption behind the cost: each need's likely events, their rates and costs."""
    rows: list[tuple[Value, ...]] = []
    needs = sorted(knowledge.needs.values(), key=lambda need: need.title.get())
    for need in needs:
        for event in need.likely_events:
            cost = knowledge.unit_costs.get(event.cost)
            if cost is None:
                continue
            rows.append(
                (
                    need.title.get(),
                    _agency(knowledge, cost.agency),
                    cost.title,
                    f"{event.low:g} / {event.central:g} / {event.high:g}",
                    event.why or "",
                    _plain(cost.pounds),
                    cost.per,
                    _source(cost),
                    _read(cost),
                    cost.source.removeprefix("https://"),
                )
            )
    return Table(
        key="cost_assumptions",
        title="Assumptions behind the cost estimate",
        note="How often each event follows a record of unmet need is content staff's "
        "estimate (needs.yaml), not a measurement; the unit costs are published figures "
        "(unit-costs.yaml), each with its source, table, year and price base, and whether "
        "the figure was read in the source itself or at second hand; a figure no publication "
        "states is marked 'derived here', with its arithmetic. The estimate leaves out what "
        "has no unit cost here (for example a week in a children's home), the costs to the "
        "person and their family, and any cost of meeting the need instead.",
        columns=(
            Column("need", "Need", "label"),
            Column("agency", "Agency", "label"),
            Column("event", "Later event", "text"),
            Column("how_often", "Events per record: low / central / high (estimate)", "text"),
            Column("why", "Content staff's reasoning", "text"),
            Column("unit_cost", "Unit cost (£)", "number"),
            Column("per", "Per", "text"),
            Column("publication", "Source", "text"),
            Column("read", "Figure read", "text"),
            Column("source", "Where to check it", "text"),
        ),
        rows=tuple(rows),
    )
    # The address without "https://": a report is self-contained text, with no links that
    # could call out when opened (tests/manager/test_commands.py checks for "http").


def _source(cost: UnitCost) -> str:
    """Where the figure comes from, its prices, and for a derived one the arithmetic."""
    text = f"{cost.publication} ({cost.year}), {cost.table}; {cost.price_base} prices, " + (
        f"uprated: {cost.uprated}" if cost.uprated else "as published"
    )
    return text + (f"; derived here: {cost.derived}" if cost.derived else "")


def _read(cost: UnitCost) -> str:
    read = "at second hand" if _second_hand(cost) else "in the source itself"
    return f"derived here from published figures read {read}" if cost.derived else read


def pounds(value: Decimal) -> int:
    """`value` to the nearest £10, halves up (Decimal: exact, whatever the engine)."""
    step = Decimal(POUNDS_ROUNDED_TO)
    return int((value / step).quantize(Decimal(1), ROUND_HALF_UP) * step)


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value))


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _agency(knowledge: KnowledgeBase, agency: str) -> str:
    found = knowledge.agencies.get(agency)
    return found.name.get() if found else agency


def _need_title(knowledge: KnowledgeBase, need_id: str) -> str:
    need = knowledge.needs.get(need_id)
    return need.title.get() if need else (need_id or "Not matched to a need")
