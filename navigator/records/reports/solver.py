"""What a determined reader can work out: each hidden cell's least and greatest value.

The published sums are linear equations; each hidden cell is an unknown with
the bounds its label gives ("<5" is 1 to 4, "[c]" is 0 or more, a figure that
is counted but never printed is 0 or more). Solving for the smallest and the
largest value of each unknown (a linear programme, HiGHS through scipy) gives
the bounds a reader can reach by any chain of subtraction and reasoning from
the sums. A cell whose whole-number bounds meet is given away.

This is the check interval narrowing cannot make on its own: narrowing looks
at one sum at a time, and a reader who combines several (a funnel's rows,
their topic's row, and the table's total) can do better.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

Key = Hashable
Equation = tuple[Key, tuple[Key, ...]]
"""A total and the parts that add up to it."""

NO_LIMIT = 1e9
"""Stands in for "no upper bound", so every programme has an optimum."""


def pinned(
    equations: Sequence[Equation],
    known: Mapping[Key, int],
    bounds: Mapping[Key, tuple[float, float]],
    watched: set[Key],
    complements: set[Key] = frozenset(),  # type: ignore[assignment]
    threshold: int = 5,
) -> set[Key]:
    """The `watched` unknowns a reader can pin to one whole number.

    `known` are the published values; `bounds` every unknown's range.
    `complements` ("[c]") are known to be 0 or at least `threshold`: where the
    sums rule out one side, a reader takes the other, and solves again.
    Unknowns seen at two values a whole number apart in a few far-apart
    solutions cannot be pinned, so only the rest are each solved for twice.
    """
    unknowns = sorted(bounds, key=repr)
    index = {key: position for position, key in enumerate(unknowns)}
    rows: list[dict[int, float]] = []
    constants: list[float] = []
    for total, parts in equations:
        row: dict[int, float] = {}
        constant = 0.0
        for key, sign in ((total, -1.0), *((part, 1.0) for part in parts)):
            if key in index:
                row[index[key]] = row.get(index[key], 0.0) + sign
            else:
                constant -= sign * known[key]
        row = {column: value for column, value in row.items() if value}
        if row:
            rows.append(row)
            constants.append(constant)
    linked = {column for row in rows for column in row}
    candidates = [key for key in unknowns if key in watched and index[key] in linked]
    if not candidates:
        return set()
    data = [value for row in rows for value in row.values()]
    columns = [column for row in rows for column in row]
    pointers = np.cumsum([0, *(len(row) for row in rows)])
    matrix = csr_matrix((data, columns, pointers), shape=(len(rows), len(unknowns)))
    limits = [(low, min(high, NO_LIMIT)) for low, high in (bounds[key] for key in unknowns)]
    problem = _Problem(matrix, np.array(constants), limits)
    sides = [index[key] for key in complements if key in index and index[key] in linked]
    while True:
        low, high = problem.spread(len(unknowns))
        if not _take_sides(problem, sides, low, high, threshold):
            break
    exposed: set[Key] = set()
    for key in candidates:
        position = index[key]
        if _whole_numbers_apart(low[position], high[position]):
            continue
        least, most = problem.extremes(position, len(unknowns))
        if not _whole_numbers_apart(least, most):
            exposed.add(key)
    return exposed


def _take_sides(
    problem: _Problem, sides: list[int], low: np.ndarray, high: np.ndarray, threshold: int
) -> bool:
    """Narrow each "[c]" to 0 or to `threshold` and more where the sums rule out the other side.

    True if any bound moved (then the reader solves again with it).
    """
    moved = False
    for position in sides:
        floor, ceiling = problem.limits[position]
        if floor > 0 or ceiling == 0:
            continue  # a side is taken already
        if high[position] >= threshold - 1e-6 and low[position] <= 1e-6:
            continue  # both sides were seen
        least, most = problem.extremes(position, len(low))
        if most < threshold - 1e-6:
            problem.limits[position] = (0.0, 0.0)
            moved = True
        elif least > 1e-6:
            problem.limits[position] = (float(threshold), ceiling)
            moved = True
    return moved


def _whole_numbers_apart(low: float, high: float) -> bool:
    return math.floor(high + 1e-6) > math.ceil(low - 1e-6)


class _Problem:
    def __init__(
        self, matrix: csr_matrix, constants: np.ndarray, limits: list[tuple[float, float]]
    ) -> None:
        self.matrix, self.constants, self.limits = matrix, constants, limits

    def solve(self, objective: np.ndarray) -> np.ndarray | None:
        result = linprog(
            objective, A_eq=self.matrix, b_eq=self.constants, bounds=self.limits, method="highs"
        )
        return np.asarray(result.x) if result.status == 0 else None

    def spread(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """The least and greatest value of each unknown over a few far-apart solutions."""
        low, high = np.full(size, math.inf), np.full(size, -math.inf)
        generator = np.random.default_rng(0)
        objectives = [np.ones(size), -np.ones(size)]
        objectives += [generator.choice([-1.0, 1.0], size) for _ in range(4)]
        for objective in objectives:
            point = self.solve(objective)
            if point is not None:
                low, high = np.minimum(low, point), np.maximum(high, point)
        return low, high

    def extremes(self, position: int, size: int) -> tuple[float, float]:
        values = []
        for sign in (1.0, -1.0):
            objective = np.zeros(size)
            objective[position] = sign
            point = self.solve(objective)
            values.append(point[position] if point is not None else -sign * math.inf)
        return values[0], values[1]
