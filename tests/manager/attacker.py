"""An attacker's reading of a published report: its sums, solved for the hidden cells.

This knows nothing of the `Ledger`. It reads a `Report` as a careful reader
would, with the public knowledge base beside it, writes down every linear
relation the printed tables show (rows to totals, the same total in several
tables, a funnel's "gave up here" rows against its topic's row in "where
people gave up", who-pays rows against the needs they count, a service's fits
against the times it was considered), bounds each hidden cell ("<5" is 1 to 4,
"[c]" is 0 or at least the threshold, every cell a whole number) and asks
a mixed-integer solver (scipy's HiGHS) for each hidden cell's least and
greatest value. A cell whose integer bounds
meet is given away.

The relations are found from the tables' shape, titles and labels, never from
the code that protected them, so a relation the protection forgot shows up
here as a pinned cell.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from navigator.kb import KnowledgeBase
from navigator.kb.model import UnmetEnd
from navigator.records.reports.suppression import Hidden
from navigator.records.reports.tables import Report, Table

Var = Hashable
ROUNDED = re.compile(r"rounded to the nearest (\d+)")
"""How a report's notes say its counts are rounded (the reader reads the methodology note)."""
Expression = dict[Var | None, float]
"""Coefficients by variable; the key None holds the constant."""


@dataclass
class Reading:
    """What a reader wrote down: hidden cells with bounds, equalities, and inequalities (<= 0)."""

    threshold: int
    rounding: int = 0
    """Shown counts are rounded to the nearest multiple of this (0: exact)."""
    bounds: dict[Var, tuple[float, float]] = field(default_factory=dict)
    labels: dict[Var, str] = field(default_factory=dict)
    rounded: set[Var] = field(default_factory=set)
    """Shown but rounded counts: unknowns within their rounding, never reported as pinned."""
    equal: list[Expression] = field(default_factory=list)
    at_most: list[Expression] = field(default_factory=list)

    def cell(self, value: object, var: Var) -> Expression:
        """A published cell as an expression: its number, or a variable bounded by its label."""
        if isinstance(value, Hidden):
            if var not in self.bounds:
                self.bounds[var] = (1, value.threshold - 1) if value.primary else (0, math.inf)
                self.labels[var] = str(value)
            return {var: 1.0}
        if isinstance(value, int) and value and self.rounding:
            if var not in self.bounds:  # rounded half up: 15 is 13 to 17 when rounding to 5
                low = max(value - self.rounding // 2, self.threshold)  # shown: not hidden
                self.bounds[var] = (low, value + (self.rounding - 1) // 2)
                self.labels[var] = str(value)
                self.rounded.add(var)
            return {var: 1.0}
        if isinstance(value, int | float):
            return {None: float(value)}
        raise ValueError(f"{var!r} holds {value!r}, which is not a figure")

    def sum_equals(self, parts: Iterable[Expression], total: Expression) -> None:
        self.equal.append(_combine([*parts], [total]))

    def sum_at_most(self, parts: Iterable[Expression], total: Expression) -> None:
        self.at_most.append(_combine([*parts], [total]))


def _combine(plus: list[Expression], minus: list[Expression]) -> Expression:
    result: dict[Var | None, float] = defaultdict(float)
    for sign, expressions in ((1.0, plus), (-1.0, minus)):
        for expression in expressions:
            for key, coefficient in expression.items():
                result[key] += sign * coefficient
    return {key: value for key, value in result.items() if value}


def read(report: Report, knowledge: KnowledgeBase) -> Reading:
    """Every relation between the report's printed figures that a reader can write down."""
    rounding = int(match.group(1)) if (match := ROUNDED.search(" ".join(report.notes))) else 0
    reading = Reading(report.threshold, rounding)
    tables = {table.key: table for table in report.tables}
    headline = tables.get("headline")
    sessions = gave_up = unmet_sessions = None
    cells: dict[object, Expression] = {}
    if headline is not None and headline.rows:
        cells = {
            row[0]: reading.cell(row[1], ("headline", row[0]))
            for row in headline.rows
            if not isinstance(row[1], str)
        }
        sessions = cells.get("Sessions")
        gave_up = cells.get("Gave up")
        unmet_sessions = cells.get("Ended in unmet need")
        for label, expression in cells.items():
            if sessions is not None and label != "Sessions":
                reading.sum_at_most([expression], sessions)
    weekly = tables.get("weekly")
    if weekly is not None and weekly.rows and sessions is not None and unmet_sessions is not None:
        for column, total in (("sessions", sessions), ("unmet", unmet_sessions)):
            reading.sum_equals(_column(reading, weekly, column), total)
        for index, row in enumerate(weekly.rows):
            s = reading.cell(row[1], ("weekly", index, "sessions"))
            u = reading.cell(row[2], ("weekly", index, "unmet"))
            reading.sum_at_most([u], s)
    _read_unmet(reading, tables, knowledge, unmet_sessions)
    _read_months(reading, tables)
    _read_side_by_side(reading, tables, cells)
    _read_languages(reading, tables, cells)
    _read_funnels(reading, tables, knowledge, gave_up)
    _read_asked(reading, tables, sessions)
    _read_services(reading, tables)
    versions = tables.get("content_versions")
    if versions is not None and versions.rows and sessions is not None:
        reading.sum_equals(_column(reading, versions, "count"), sessions)
    return reading


def _column(
    reading: Reading, table: Table, column: str, body_only: bool = True
) -> list[Expression]:
    index = table.column_index(column)
    rows = table.rows[: len(table.rows) - table.totals] if body_only else table.rows
    return [
        reading.cell(row[index], (table.key, number, column)) for number, row in enumerate(rows)
    ]


def _total(reading: Reading, table: Table, column: str) -> Expression:
    index = table.column_index(column)
    number = len(table.rows) - 1
    return reading.cell(table.rows[number][index], (table.key, number, column))


def _read_unmet(
    reading: Reading,
    tables: dict[str, Table],
    knowledge: KnowledgeBase,
    unmet_sessions: Expression | None,
) -> None:
    """Needs, reasons and districts share totals; who-pays rows follow the needs they count."""
    totals: dict[str, list[Expression]] = defaultdict(list)
    for key, columns in (
        ("unmet_by_need", ("current", "previous")),
        ("unmet_by_reason", ("current", "previous")),
        ("unmet_by_district", ("count",)),
        ("unmet_by_age_band", ("count",)),
    ):
        table = tables.get(key)
        if table is None or not table.rows:
            continue
        for column in columns:
            total = _total(reading, table, column)
            reading.sum_equals(_column(reading, table, column), total)
            totals["current" if column == "count" else column].append(total)
        if "change" in {c.key for c in table.columns} and not reading.rounding:
            for number, row in enumerate(table.rows):
                change = row[table.column_index("change")]
                if isinstance(change, int | float) and not isinstance(change, bool):
                    current = reading.cell(
                        row[table.column_index("current")], (table.key, number, "current")
                    )
                    previous = reading.cell(
                        row[table.column_index("previous")], (table.key, number, "previous")
                    )
                    reading.sum_equals([current], _combine([previous, {None: change}], []))
    for same in totals.values():
        for other in same[1:]:
            reading.sum_equals([other], same[0])
    if unmet_sessions is not None and totals["current"]:
        reading.sum_at_most([unmet_sessions], totals["current"][0])
    by_need = tables.get("unmet_by_need")
    detail = tables.get("agency_by_need")
    agencies = tables.get("unmet_by_agency")
    if detail is None or agencies is None or by_need is None:
        return
    need_rows = {row[0]: number for number, row in enumerate(by_need.rows)}
    need_ids = {need.title.get(): need.id for need in knowledge.needs.values()}
    overridden = {
        node.need
        for node in knowledge.nodes.values()
        if isinstance(node, UnmetEnd) and node.cost_falls_on is not None
    }
    per_agency: dict[object, list[Expression]] = defaultdict(list)
    for number, (agency, need, count) in enumerate(detail.rows):
        cell = reading.cell(count, ("agency_by_need", number, "count"))
        per_agency[agency].append(cell)
        if need in need_rows:
            row = need_rows[need]
            whole = reading.cell(by_need.rows[row][1], ("unmet_by_need", row, "current"))
            if need_ids.get(str(need)) in overridden:
                reading.sum_at_most([cell], whole)
            else:
                reading.sum_equals([cell], whole)
    for number, (agency, count) in enumerate(agencies.rows):
        total = reading.cell(count, ("unmet_by_agency", number, "count"))
        reading.sum_equals(per_agency[agency], total)


def _read_months(reading: Reading, tables: dict[str, Table]) -> None:
    """The monthly trend: each need's months add up to its row in "unmet need by category",
    each month's needs to the month's total, and the months' totals to all unmet need."""
    months = tables.get("unmet_by_month")
    by_need = tables.get("unmet_by_need")
    if months is None or not months.rows or by_need is None or not by_need.rows:
        return
    need_rows = {str(row[0]): number for number, row in enumerate(by_need.rows)}
    current = by_need.column_index("current")
    need_columns = [column for column in months.columns if column.key.startswith("need:")]
    for column in need_columns:
        row = need_rows.get(column.title)
        if row is None:
            continue
        whole = reading.cell(by_need.rows[row][current], ("unmet_by_need", row, "current"))
        reading.sum_equals(_column(reading, months, column.key, body_only=False), whole)
    for number, row in enumerate(months.rows):
        parts = [
            reading.cell(row[months.column_index(c.key)], ("unmet_by_month", number, c.key))
            for c in need_columns
        ]
        total = reading.cell(row[months.column_index("all")], ("unmet_by_month", number, "all"))
        reading.sum_equals(parts, total)
    last = len(by_need.rows) - 1
    whole = reading.cell(by_need.rows[last][current], ("unmet_by_need", last, "current"))
    reading.sum_equals(_column(reading, months, "all", body_only=False), whole)


SIDE_BY_SIDE = {
    "sessions": "Sessions",
    "reached_services": "Reached services",
    "unmet": "Ended in unmet need",
    "gave_up": "Gave up",
}
"""The columns of the side-by-side tables, and the headline row each adds up to."""


def _read_side_by_side(
    reading: Reading, tables: dict[str, Table], headline: dict[object, Expression]
) -> None:
    """Sites (and channels) side by side: each column adds up to the headline's row."""
    for key in ("compare_sites", "compare_channels"):
        table = tables.get(key)
        if table is None or not table.rows:
            continue
        sessions = _column(reading, table, "sessions", body_only=False)
        for column, label in SIDE_BY_SIDE.items():
            cells = _column(reading, table, column, body_only=False)
            if label in headline:
                reading.sum_equals(cells, headline[label])
            if column != "sessions":
                for cell, whole in zip(cells, sessions, strict=True):
                    reading.sum_at_most([cell], whole)


def _read_languages(
    reading: Reading, tables: dict[str, Table], headline: dict[object, Expression]
) -> None:
    """Sessions by language: each column's languages add up to its "All languages" row, which
    is the headline's figure; a language's unmet need is at most its sessions."""
    table = tables.get("languages")
    if table is None or not table.rows:
        return
    sessions = _column(reading, table, "sessions")
    for column, label in (("sessions", "Sessions"), ("unmet", "Ended in unmet need")):
        total = _total(reading, table, column)
        reading.sum_equals(_column(reading, table, column), total)
        if label in headline:
            reading.sum_equals([total], headline[label])
    for cell, whole in zip(_column(reading, table, "unmet"), sessions, strict=True):
        reading.sum_at_most([cell], whole)


def _read_funnels(
    reading: Reading,
    tables: dict[str, Table],
    knowledge: KnowledgeBase,
    headline_gave_up: Expression | None,
) -> None:
    """Where people gave up: topics add up to the headline, and each funnel's rows fit inside."""
    by_topic = tables.get("gave_up_by_topic")
    topic_rows: dict[str, Expression] = {}
    if by_topic is not None and by_topic.rows:
        body = _column(reading, by_topic, "count")
        total = _total(reading, by_topic, "count")
        reading.sum_equals(body, total)
        if headline_gave_up is not None:
            reading.sum_equals([total], headline_gave_up)
        titles = {topic.title.get(): key for key, topic in knowledge.topics.items()}
        for row, cell in zip(by_topic.rows, body, strict=False):
            topic_rows[titles.get(str(row[0]), str(row[0]))] = cell
    owned: dict[str, dict[int, Expression]] = defaultdict(dict)
    for table in tables.values():
        if not table.key.startswith("funnel:"):
            continue
        topic = table.key.removeprefix("funnel:")  # each funnel is one topic's, as its title says
        for number, row in enumerate(table.rows):
            reached = reading.cell(row[1], ("reached", topic, number))
            left = reading.cell(row[2], ("left", topic, number))
            reading.sum_at_most([left], reached)
            owned[topic][number] = left
    for topic, cells in owned.items():
        whole = topic_rows.get(topic, {None: 0.0})
        reading.sum_at_most(cells.values(), whole)


def _read_asked(reading: Reading, tables: dict[str, Table], sessions: Expression | None) -> None:
    by_topic = tables.get("asked_for_person_by_topic")
    by_place = tables.get("asked_for_person_by_place")
    if by_topic is None or not by_topic.rows:
        return
    body = _column(reading, by_topic, "count")
    total = _total(reading, by_topic, "count")
    reading.sum_equals(body, total)
    if sessions is not None:
        reading.sum_at_most([total], sessions)
    if by_place is None:
        return
    places: dict[object, list[Expression]] = defaultdict(list)
    for number, row in enumerate(by_place.rows):
        places[row[0]].append(reading.cell(row[2], ("asked_for_person_by_place", number, "count")))
    for row, cell in zip(by_topic.rows, body, strict=False):
        reading.sum_equals(places.get(row[0], []), cell)


RULE = re.compile(r"^(?P<title>.*) (?P<figure><\d+|\[c\]|\d+)$")


def _read_services(reading: Reading, tables: dict[str, Table]) -> None:
    """Each service: its fits add up to the times it was considered; its rules to "not eligible"."""
    table = tables.get("service_pressure")
    if table is None:
        return
    fits = ("offered", "waiting_list", "ineligible", "out_of_area", "closed")
    for number, row in enumerate(table.rows):
        cells = {
            column.key: reading.cell(value, ("service", number, column.key))
            for column, value in zip(table.columns, row, strict=True)
            if column.kind == "count"
        }
        reading.sum_equals([cells[fit] for fit in fits], cells["considered"])
        rules = str(row[table.column_index("rules")])
        if not rules:
            continue
        parts: list[Expression] = []
        for index, text in enumerate(rules.split("; ")):
            match = RULE.match(text)
            assert match, f"cannot read the rule figure in {text!r}"
            figure = match.group("figure")
            value: object = int(figure) if figure.isdigit() else _hidden(figure, reading.threshold)
            parts.append(reading.cell(value, ("service", number, "rule", index)))
        reading.sum_equals(parts, cells["ineligible"])


def _hidden(text: str, threshold: int) -> Hidden:
    return Hidden(threshold, primary=text.startswith("<"))


@dataclass(frozen=True)
class Pinned:
    var: Var
    label: str
    value: int


def pinned(reading: Reading) -> list[Pinned]:
    """Every hidden cell whose least and greatest integer values (by linear programming) meet.

    First a few solutions of everything at once, far apart: a cell seen at two values a
    whole number apart cannot be pinned. Each cell left then gets its own least and
    greatest value, solving only the cells linked to it (fast, and exact).
    """
    components = _components(reading)
    everything = (
        [var for component in components for var in component[0]],
        [e for component in components for e in component[1]],
        [e for component in components for e in component[2]],
    )
    loose = _seen_apart(reading, *everything)
    found: list[Pinned] = []
    for variables, equal, at_most in components:
        undecided = [var for var in variables if var not in loose and var not in reading.rounded]
        if undecided:
            found += _solve(reading, variables, equal, at_most, undecided)
    return found


def _components(
    reading: Reading,
) -> list[tuple[list[Var], list[Expression], list[Expression]]]:
    """Hidden cells linked by some relation, with their relations, solved separately (faster)."""
    parent: dict[Var, Var] = {var: var for var in reading.bounds}

    def find(var: Var) -> Var:
        while parent[var] != var:
            parent[var] = parent[parent[var]]
            var = parent[var]
        return var

    relations = [(True, e) for e in reading.equal] + [(False, e) for e in reading.at_most]
    for _, expression in relations:
        variables = [key for key in expression if key is not None]
        for other in variables[1:]:
            parent[find(other)] = find(variables[0])
    groups: dict[Var, tuple[list[Var], list[Expression], list[Expression]]] = {}
    for var in reading.bounds:
        groups.setdefault(find(var), ([], [], []))[0].append(var)
    for is_equal, expression in relations:
        variables = [key for key in expression if key is not None]
        if variables:
            group = groups[find(variables[0])]
            (group[1] if is_equal else group[2]).append(expression)
        elif abs(expression.get(None, 0.0)) > 1e-9 and (is_equal or expression[None] > 1e-9):
            raise AssertionError(f"the published figures contradict each other: {expression}")
    return [group for group in groups.values() if group[1] or group[2]]


class _Problem:
    """Relations among some hidden cells, as a mixed-integer programme for scipy's `milp`.

    Every cell is a whole number. A "[c]" cell is 0 or at least the threshold (a
    reader knows a hidden figure that is not "<5" is no small count), written with
    a yes/no variable y beside it: threshold * y <= cell <= a million * y.
    """

    def __init__(
        self,
        reading: Reading,
        variables: list[Var],
        equal: list[Expression],
        at_most: list[Expression],
    ) -> None:
        self.variables = variables
        self.index = {var: position for position, var in enumerate(variables)}
        complements = [var for var in variables if reading.labels.get(var) == "[c]"]
        size = len(variables) + len(complements)
        self.size = size
        rows: list[tuple[dict[int, float], float, float]] = []
        for expression in equal:
            row, constant = self._row(expression)
            rows.append((row, -constant, -constant))
        for expression in at_most:
            row, constant = self._row(expression)
            rows.append((row, -math.inf, -constant))
        for number, var in enumerate(complements):
            switch = len(variables) + number
            rows.append(({self.index[var]: 1.0, switch: -reading.threshold}, 0.0, math.inf))
            rows.append(({self.index[var]: 1.0, switch: -BIG}, -math.inf, 0.0))
        matrix = lil_matrix((len(rows), size))
        for number, (row, _, _) in enumerate(rows):
            for column, coefficient in row.items():
                matrix[number, column] = coefficient
        self.constraints = LinearConstraint(
            matrix.tocsr(), [low for _, low, _ in rows], [high for _, _, high in rows]
        )
        low = [reading.bounds[var][0] for var in variables] + [0.0] * len(complements)
        high = [min(reading.bounds[var][1], BIG) for var in variables] + [1.0] * len(complements)
        self.bounds = Bounds(low, high)

    def _row(self, expression: Expression) -> tuple[dict[int, float], float]:
        row = {self.index[key]: value for key, value in expression.items() if key is not None}
        return row, expression.get(None, 0.0)

    def optimise(self, objective: np.ndarray) -> np.ndarray:
        full = np.zeros(self.size)
        full[: len(objective)] = objective
        result = milp(
            full, constraints=self.constraints, integrality=np.ones(self.size), bounds=self.bounds
        )
        if result.status != 0:
            raise AssertionError(f"the published figures cannot all be true: {result.message}")
        return np.asarray(result.x)[: len(self.variables)]


BIG = 1e6
"""Stands in for "no upper bound" on a "[c]" cell, so every solve has an optimum."""


def _seen_apart(
    reading: Reading, variables: list[Var], equal: list[Expression], at_most: list[Expression]
) -> set[Var]:
    problem = _Problem(reading, variables, equal, at_most)
    size = len(variables)
    low, high = np.full(size, math.inf), np.full(size, -math.inf)
    generator = np.random.default_rng(0)
    objectives = [np.ones(size), -np.ones(size)]
    objectives += [generator.choice([-1.0, 1.0], size) for _ in range(6)]
    for objective in objectives:
        point = problem.optimise(objective)
        low, high = np.minimum(low, point), np.maximum(high, point)
    return {
        var
        for position, var in enumerate(variables)
        if math.floor(high[position] + 1e-6) > math.ceil(low[position] - 1e-6)
    }


def _solve(
    reading: Reading,
    variables: list[Var],
    equal: list[Expression],
    at_most: list[Expression],
    undecided: list[Var],
) -> list[Pinned]:
    problem = _Problem(reading, variables, equal, at_most)
    found: list[Pinned] = []
    for var in undecided:
        position = problem.index[var]
        extremes = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(variables))
            objective[position] = sign
            extremes.append(problem.optimise(objective)[position])
        low, high = math.ceil(extremes[0] - 1e-6), math.floor(extremes[1] + 1e-6)
        if low == high:
            found.append(Pinned(var, reading.labels[var], low))
    return found
