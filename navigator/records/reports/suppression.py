"""Small-number suppression: primary, and secondary so nothing can be worked out by subtraction.

A count of people under the threshold (default 5, never under 3) could point at
someone the reader knows, so it is shown as "<5". That alone is not enough:
when a table shows a total and every other part of it, the hidden count is the
total minus the rest. So each published sum is an equation, and an equation
with exactly one hidden member gives that member away. The cure (secondary
suppression) hides one more member of such an equation, the smallest non-zero
one, since it costs the reader least, and repeats until no equation has a
single hidden member.

The result is a set of hidden cells. Tables are built from a `Ledger` so the
real value of a hidden cell never leaves this module: the public `Hidden`
marker carries no number at all, so no view or export can leak it by mistake.

Zero is shown as 0: nobody is in an empty cell, and hiding zeros would hide
where services are missing entirely, which is the point of the review.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from navigator.records.reports.solver import pinned

MINIMUM_THRESHOLD = 3
"""Below this, suppression no longer protects anyone; settings refuse it too."""

CellKey = Hashable


@dataclass(frozen=True)
class Hidden:
    """A suppressed figure. It deliberately holds no value, only how to show it.

    A primary cell (a few people) reads "<5". Any other hidden figure reads
    "[c]" (confidential, as in UK official statistics): it was hidden so that
    a small number cannot be worked out, and calling it "<5" would be untrue.
    """

    threshold: int
    primary: bool = True

    def __str__(self) -> str:
        return f"<{self.threshold}" if self.primary else CONFIDENTIAL


CONFIDENTIAL = "[c]"


Figure = int | float | Hidden
"""A published number: a count, a derived rate or share, or hidden."""


def check_threshold(threshold: int) -> int:
    """The threshold itself, or ValueError if it is too low to protect anyone."""
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(
            f"the suppression threshold must be at least {MINIMUM_THRESHOLD}, not {threshold}"
        )
    return threshold


def is_primary(value: int, threshold: int) -> bool:
    """True for a count of 1 up to threshold - 1: a few people, who could be recognised."""
    return 0 < value < threshold


@dataclass
class Ledger:
    """Counts to be published, and the sums between them that a reader could use.

    Add every count with `count`, and every published total with `total`
    (the total's key, and the keys of the parts that add up to it). Then
    `hidden()` says which cells to suppress, and `figure()` gives what to print.
    """

    threshold: int
    values: dict[CellKey, int] = field(default_factory=dict)
    equations: list[tuple[CellKey, tuple[CellKey, ...]]] = field(default_factory=list)
    fixed: dict[CellKey, bool] = field(default_factory=dict)
    """Cells already published elsewhere (True: hidden there), which this ledger cannot change."""
    unpublished: set[CellKey] = field(default_factory=set)
    """Cells counted so their sums are complete, but never printed (a reader does not know them)."""
    last_resort: set[CellKey] = field(default_factory=set)
    """Cells hidden as a complement only when no other will do (a period's totals: a reader
    who loses the total loses the scale of every table, so the rows are hidden first)."""
    rounding: int = 0
    """Shown counts are published rounded to the nearest multiple of this (0: exact).

    Protection is worked out on the exact counts: rounding only takes away from what
    a reader knows, so a table safe with exact figures is safe rounded."""
    _hidden: frozenset[CellKey] | None = None
    _unprotected: frozenset[CellKey] = frozenset()

    def __post_init__(self) -> None:
        check_threshold(self.threshold)

    def count(self, key: CellKey, value: int, *, published: bool = True) -> CellKey:
        """Register a count; returns its key for chaining into totals.

        An unpublished count is one no table prints, but which belongs in a sum
        (the sessions that gave up at a node that is not a question, inside their
        topic's total): a reader knows only that it is 0 or more, so a sum with one
        gives a reader an inequality, not an equation.
        """
        if value < 0:
            raise ValueError(f"a count cannot be negative: {key!r} = {value}")
        self._still_open()
        self.values[key] = int(value)
        if not published:
            self.unpublished.add(key)
        return key

    def pin(self, key: CellKey, value: int, hidden: bool) -> CellKey:
        """Register a cell already published (by an earlier view) as it was shown there.

        Later views are protected around it: its state never changes, so the
        dashboard's views and the exported report stay consistent.
        """
        self.count(key, value)
        self.fixed[key] = hidden
        return key

    def total(self, key: CellKey, parts: Iterable[CellKey]) -> CellKey:
        """Register a published total as the sum of `parts` (already counted).

        The total's own value is computed from the parts, so a total and its
        parts can never disagree.
        """
        part_keys = tuple(parts)
        missing = [part for part in part_keys if part not in self.values]
        if missing:
            raise KeyError(f"count these parts before their total: {missing!r}")
        self._still_open()
        self.values[key] = sum(self.values[part] for part in part_keys)
        self.equations.append((key, part_keys))
        return key

    def relate(self, total: CellKey, parts: Iterable[CellKey]) -> None:
        """Declare that already-counted cells add up (for sums across tables)."""
        part_keys = tuple(parts)
        expected = sum(self.values[part] for part in part_keys)
        if self.values[total] != expected:
            raise ValueError(f"{total!r} is {self.values[total]}, but its parts add to {expected}")
        self._still_open()
        self.equations.append((total, part_keys))

    def _still_open(self) -> None:
        """Cells and sums may not change once figures are read: they were protected together."""
        if self._hidden is not None:
            raise RuntimeError("register every count and sum before reading any figure")

    def hidden(self) -> frozenset[CellKey]:
        """Every cell to suppress: primary, then secondary until no sum gives one away."""
        if self._hidden is None:
            self._hidden = frozenset(self._solve())
        return self._hidden

    def is_hidden(self, key: CellKey) -> bool:
        return key in self.hidden()

    @property
    def unprotected(self) -> frozenset[CellKey]:
        """Hidden cells a reader could still pin down: the tables holding them must be withheld.

        Empty when protection worked, which is nearly always; it fails only when every
        cell that could be hidden beside an exposed one is fixed by an earlier view.
        """
        self.hidden()
        return self._unprotected

    def figure(self, key: CellKey) -> Figure:
        """What to publish for a cell: its count, or `Hidden`."""
        if key in self.unpublished:
            raise KeyError(f"{key!r} was counted as unpublished, so it cannot be shown")
        if key not in self.hidden():
            return round_count(self.values[key], self.rounding)
        return Hidden(self.threshold, primary=is_primary(self.values[key], self.threshold))

    def raw(self, key: CellKey) -> int:
        """The true count, for derived figures computed before they are themselves suppressed."""
        return self.values[key]

    def _solve(self) -> set[CellKey]:
        """Primary cells, then complements until no hidden cell can be pinned down.

        Passes, repeated until stable: (1) any sum with exactly one hidden
        member gets a second; (2) a quick audit solves the published sums
        together (exact linear algebra) and narrows each hidden cell between
        the bounds its label gives ("<5" is 1 to 4), one sum at a time; (3)
        the full audit does what a determined reader would, finding each hidden
        cell's least and greatest value over all the sums at once (a linear
        programme, `solver.pinned`); any hidden cell pinned to one value gets
        a complement from a sum it is in. Cells that cannot be protected are
        kept in `unprotected`, and their tables are withheld.
        """
        hidden = {
            key
            for key, value in self.values.items()
            if key not in self.unpublished
            and self.fixed.get(key, is_primary(value, self.threshold))
        }
        while True:
            if self._lone_members(hidden):
                continue
            # Every exposed cell is protected in one go: each audit reads every sum.
            exposed = sorted(audit(self, hidden), key=repr) or sorted(
                self._reader_pins(hidden), key=repr
            )
            if not exposed:
                return hidden
            if self._protect_all(exposed, hidden):
                continue
            self._unprotected = frozenset(exposed)
            return hidden

    def _protect_all(self, exposed: list[CellKey], hidden: set[CellKey]) -> bool:
        """Protect each exposed cell whose sums got no new hidden member this round."""
        added: set[CellKey] = set()
        for cell in exposed:
            sums = [{total, *parts} for total, parts in self.equations if cell in {total, *parts}]
            if any(members & added for members in sums):
                continue
            before = set(hidden)
            if self._protect(cell, hidden):
                added |= hidden - before
        return bool(added)

    def _reader_pins(self, hidden: set[CellKey]) -> set[CellKey]:
        """Hidden cells a reader pins down by solving every sum at once (linear programming).

        Where no two sums share more than one unknown and the sums form no loop (a
        service's fits and its rules; one table's rows and total), narrowing one sum
        at a time already finds the best bounds, so the quick audit was enough.
        """
        if not _loops(self.equations, hidden | self.unpublished):
            return set()
        bounds = {key: self._reader_bounds(key) for key in hidden | self.unpublished}
        known = {key: value for key, value in self.values.items() if key not in bounds}
        watched = {key for key in hidden if key not in self.fixed}
        complements = {key for key in hidden if bounds[key] == (0, math.inf)}
        return pinned(self.equations, known, bounds, watched, complements, self.threshold)

    def _reader_bounds(self, key: CellKey) -> tuple[float, float]:
        """What a reader knows of an unknown: "<5" is 1 to 4, anything else 0 or more."""
        if key not in self.unpublished and is_primary(self.values[key], self.threshold):
            return (1, self.threshold - 1)
        return (0, math.inf)

    def _lone_members(self, hidden: set[CellKey]) -> bool:
        """Give every sum with exactly one hidden member a second one; False if none needed it.

        Candidates are the sum's shown members that this ledger may hide. The
        cell chosen is the one that protects the most such sums at once, then
        the smallest (it costs the reader least); zeros only when nothing else
        is left, since a hidden zero protects little.
        """
        changed = False
        while True:
            choices: list[set[CellKey]] = []
            for total, parts in self.equations:
                members = (*parts, total)
                if sum(1 for member in members if member in hidden) != 1:
                    continue
                if any(member in self.unpublished for member in members):
                    continue  # an inequality for a reader: the full audit weighs it
                free = {m for m in members if m not in hidden and m not in self.fixed}
                non_zero = {m for m in free if self.values[m] > 0}
                if non_zero or free:
                    choices.append(non_zero or free)
            if not choices:
                return changed
            cover: dict[CellKey, int] = {}
            for candidates in choices:
                for candidate in candidates:
                    cover[candidate] = cover.get(candidate, 0) + 1
            best = min(
                cover,
                key=lambda cell: (
                    cell in self.last_resort,
                    -cover[cell],
                    self.values[cell],
                    repr(cell),
                ),
            )
            hidden.add(best)
            changed = True

    def _protect(self, cell: CellKey, hidden: set[CellKey]) -> bool:
        """Hide the smallest shown non-zero cell sharing a sum with `cell`; False if none is left.

        When every sum `cell` is in is already hidden but for zeros, the search
        widens to the sums those hidden cells are in, and so on outwards: the
        reader's solution runs through them, so a new unknown there breaks it.
        """
        reached, frontier = {cell}, {cell}
        while frontier:
            equations = [
                (*parts, total) for total, parts in self.equations if frontier & {total, *parts}
            ]
            candidates = {
                member
                for members in equations
                for member in members
                if member not in hidden
                and member not in self.fixed
                and member not in self.unpublished
                and self.values[member] > 0
            }
            if candidates:
                choice = min(
                    candidates,
                    key=lambda member: (
                        member in self.last_resort,
                        self.values[member],
                        repr(member),
                    ),
                )
                hidden.add(choice)
                return True
            frontier = {
                m for members in equations for m in members if m in hidden or m in self.unpublished
            } - reached
            reached |= frontier
        return False


def audit(ledger: Ledger, hidden: set[CellKey]) -> set[CellKey]:
    """The small hidden counts a reader could still pin to one value, from what is published.

    The reader knows every shown cell and every published sum, that a "<5"
    cell is between 1 and threshold - 1, and that any other hidden cell (and
    any count never printed) is 0 or more. This is the quick audit, one sum at a
    time; `Ledger._reader_pins` is the full one.
    """
    unknown = hidden | ledger.unpublished
    exact = _solve_linear(ledger, unknown)
    bounds: dict[CellKey, tuple[float, float]] = {}
    for key in unknown:
        if key in exact:
            bounds[key] = (exact[key], exact[key])
        else:
            bounds[key] = ledger._reader_bounds(key)
    _narrow(ledger, unknown, bounds)
    return {
        key
        for key, (low, high) in bounds.items()
        if high < math.inf
        and math.ceil(low - 1e-9) == math.floor(high + 1e-9)
        and key in hidden
        and key not in ledger.fixed
    }


def _loops(equations: list[tuple[CellKey, tuple[CellKey, ...]]], unknown: set[CellKey]) -> bool:
    """Whether the sums and their unknowns, as a graph (sum - unknown), hold a loop."""
    parent: dict[object, object] = {}

    def root(node: object) -> object:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for number, (total, parts) in enumerate(equations):
        members = {key for key in (total, *parts) if key in unknown}
        if len(members) < 2:
            continue
        for member in members:
            a, b = root(("sum", number)), root(("cell", member))
            if a == b:
                return True
            parent[a] = b
    return False


def _solve_linear(ledger: Ledger, hidden: set[CellKey]) -> dict[CellKey, int]:
    """Hidden cells fixed by the published sums alone, found by reducing them to echelon form.

    A sum holding an unpublished count that is in no other sum fixes nothing but
    that count (it takes up any difference), so it is left out: it only bounds.
    """
    rows: list[dict[CellKey, Fraction]] = []
    uses: dict[CellKey, int] = {}
    for total, parts in ledger.equations:
        row: dict[CellKey, Fraction] = {}
        for key, sign in ((total, -1), *((part, 1) for part in parts)):
            if key in hidden:
                row[key] = row.get(key, Fraction(0)) + sign
        row = {key: coefficient for key, coefficient in row.items() if coefficient}
        if row:
            rows.append(row)
            for key in row:
                uses[key] = uses.get(key, 0) + 1
    rows = [
        row for row in rows if not any(uses[key] == 1 and key in ledger.unpublished for key in row)
    ]
    reduced: list[tuple[CellKey, dict[CellKey, Fraction]]] = []
    for row in rows:
        for pivot, pivot_row in reduced:
            if pivot in row:
                row = _subtract(row, pivot_row, row[pivot])
        if not row:
            continue
        pivot = min(row, key=repr)
        row = {key: coefficient / row[pivot] for key, coefficient in row.items()}
        reduced = [
            (other_pivot, _subtract(other, row, other[pivot]) if pivot in other else other)
            for other_pivot, other in reduced
        ]
        reduced.append((pivot, row))
    return {pivot: ledger.values[pivot] for pivot, row in reduced if len(row) == 1}


def _subtract(
    row: dict[CellKey, Fraction], other: dict[CellKey, Fraction], factor: Fraction
) -> dict[CellKey, Fraction]:
    """`row - factor * other`, dropping the terms that cancel."""
    result = dict(row)
    for key, coefficient in other.items():
        result[key] = result.get(key, Fraction(0)) - factor * coefficient
    return {key: coefficient for key, coefficient in result.items() if coefficient}


def _narrow(
    ledger: Ledger, hidden: set[CellKey], bounds: dict[CellKey, tuple[float, float]]
) -> None:
    """Tighten each hidden cell's bounds from each published sum until nothing moves."""
    for _ in range(50):
        moved = False
        for total, parts in ledger.equations:
            terms = [(total, -1), *((part, 1) for part in parts)]
            unknown = [(key, sign) for key, sign in terms if key in hidden]
            if not unknown:
                continue
            known = sum(sign * ledger.values[key] for key, sign in terms if key not in hidden)
            for position, (key, sign) in enumerate(unknown):
                low: float = -known
                high: float = -known
                for other_position, (other, other_sign) in enumerate(unknown):
                    if other_position == position:
                        continue
                    other_low, other_high = bounds[other]
                    low -= other_sign * (other_high if other_sign > 0 else other_low)
                    high -= other_sign * (other_low if other_sign > 0 else other_high)
                if sign < 0:
                    low, high = -high, -low
                current_low, current_high = bounds[key]
                new = (max(current_low, low), min(current_high, high))
                if new != (current_low, current_high) and new[0] <= new[1]:
                    bounds[key] = new
                    moved = True
        moved = _take_sides(ledger, hidden, bounds) or moved
        if not moved:
            return


def _take_sides(
    ledger: Ledger, unknown: set[CellKey], bounds: dict[CellKey, tuple[float, float]]
) -> bool:
    """A "[c]" is 0 or at least the threshold: where the sums rule out one side, take the other."""
    moved = False
    for key in unknown:
        if key in ledger.unpublished or is_primary(ledger.values[key], ledger.threshold):
            continue
        low, high = bounds[key]
        if 0 < high < ledger.threshold and low <= 0:
            bounds[key] = (0, 0)
            moved = True
        elif 0 < low < ledger.threshold <= high:
            bounds[key] = (ledger.threshold, high)
            moved = True
    return moved


def round_count(count: int, base: int) -> int:
    """`count` rounded half up to the nearest multiple of `base` (0: exact); zero stays zero."""
    if not base or count == 0:
        return count
    return (count + base // 2) // base * base


def _derived(hidden: Hidden) -> Hidden:
    """A figure derived from a hidden one is itself hidden, and reads "[c]": it is not a count."""
    return Hidden(hidden.threshold, primary=False)


def rate(count: Figure, denominator: int | None, per: int = 100_000) -> float | Hidden | None:
    """A rate per `per` residents, hidden with its count (else count = rate x population)."""
    if isinstance(count, Hidden):
        return _derived(count)
    if not denominator:
        return None
    return round(count * per / denominator, 1)


def change(current: Figure, previous: Figure) -> int | Hidden:
    """The change from the previous period, hidden when either side is (else it gives it away)."""
    if isinstance(current, Hidden):
        return _derived(current)
    if isinstance(previous, Hidden):
        return _derived(previous)
    return int(current) - int(previous)


def share(part: Figure, whole: Figure) -> float | Hidden | None:
    """`part` as a percentage of `whole`, hidden when either is (a share and one side give both)."""
    if isinstance(part, Hidden):
        return _derived(part)
    if isinstance(whole, Hidden):
        return _derived(whole)
    if not whole:
        return None
    return round(100.0 * part / whole, 1)
