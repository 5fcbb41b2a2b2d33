"""Small-number suppression: primary, secondary, and figures derived from hidden counts."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from navigator.records.reports.suppression import Hidden, Ledger, change, rate, share


def published(ledger: Ledger, keys: list[str]) -> list[int | str]:
    return [str(f) if isinstance(f := ledger.figure(key), Hidden) else int(f) for key in keys]


def test_counts_under_the_threshold_are_hidden_and_zero_is_shown() -> None:
    ledger = Ledger(threshold=5)
    for key, value in {"a": 0, "b": 1, "c": 4, "d": 5, "e": 120}.items():
        ledger.count(key, value)
    assert published(ledger, ["a", "b", "c", "d", "e"]) == [0, "<5", "<5", 5, 120]


def test_a_lone_hidden_part_of_a_total_takes_the_next_smallest_with_it() -> None:
    ledger = Ledger(threshold=5)
    parts = [ledger.count(key, value) for key, value in {"a": 3, "b": 40, "c": 9, "d": 0}.items()]
    ledger.total("total", parts)
    assert published(ledger, ["a", "b", "c", "d", "total"]) == ["<5", 40, "[c]", 0, 52]


def test_two_hidden_parts_need_no_more_protection() -> None:
    ledger = Ledger(threshold=5)
    parts = [ledger.count(key, value) for key, value in {"a": 3, "b": 2, "c": 9}.items()]
    ledger.total("total", parts)
    assert published(ledger, ["a", "b", "c", "total"]) == ["<5", "<5", 9, 14]


def test_when_only_zeros_are_left_the_total_is_hidden_instead() -> None:
    ledger = Ledger(threshold=5)
    parts = [ledger.count("a", 0), ledger.count("b", 0), ledger.count("c", 3)]
    ledger.total("total", parts)
    assert published(ledger, ["a", "b", "c", "total"]) == [0, 0, "<5", "<5"]


def test_secondary_suppression_holds_across_rows_and_columns() -> None:
    """A 3x3 table with row and column totals: no hidden cell can be worked out."""
    body = [[20, 3, 30], [12, 15, 40], [8, 25, 1]]
    threshold = 5
    ledger = Ledger(threshold=threshold)
    for r, c in itertools.product(range(3), range(3)):
        ledger.count((r, c), body[r][c])
    for r in range(3):
        ledger.total(("row", r), [(r, c) for c in range(3)])
    for c in range(3):
        ledger.total(("col", c), [(r, c) for r in range(3)])
    ledger.total("grand", [("row", r) for r in range(3)])
    ledger.relate("grand", [("col", c) for c in range(3)])
    hidden = ledger.hidden()
    assert (0, 1) in hidden and (2, 2) in hidden
    for total, parts in ledger.equations:
        assert sum(1 for key in (*parts, total) if key in hidden) != 1, (total, parts)
    assert _deducible(ledger) == set()


def _deducible(ledger: Ledger) -> set[object]:
    """The hidden cells a reader finds by solving any published sum with one unknown, repeatedly."""
    known = {key for key in ledger.values if key not in ledger.hidden()}
    progress = True
    while progress:
        progress = False
        for total, parts in ledger.equations:
            unknown = [key for key in (*parts, total) if key not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                progress = True
    return set(ledger.hidden() & known)


def test_an_alias_in_another_table_is_hidden_with_its_twin() -> None:
    ledger = Ledger(threshold=5)
    ledger.count("need", 3)
    ledger.count("same-need-elsewhere", 3)
    ledger.relate("same-need-elsewhere", ["need"])
    assert ledger.hidden() == {"need", "same-need-elsewhere"}


def test_the_threshold_may_not_go_under_three() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        Ledger(threshold=2)
    ledger = Ledger(threshold=10)
    ledger.count("a", 9)
    assert str(ledger.figure("a")) == "<10"


def test_derived_figures_are_hidden_with_what_they_are_built_from() -> None:
    hidden = Hidden(5)
    derived = Hidden(5, primary=False)
    assert rate(hidden, 20_000) == derived, "a rate is not a count: it reads [c], not <5"
    assert rate(10, 20_000) == 50.0
    assert rate(10, None) is None
    assert change(hidden, 40) == derived and change(40, hidden) == derived
    assert change(7, 12) == -5
    assert share(hidden, 100) == derived and share(10, hidden) == derived
    assert share(10, 40) == 25.0
    assert share(0, 0) is None


def test_hidden_carries_no_value() -> None:
    assert set(vars(Hidden(5))) == {"threshold", "primary"}
    assert str(Hidden(5)) == "<5" and str(Hidden(5, primary=False)) == "[c]"


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=5),
        min_size=2,
        max_size=5,
    ).filter(lambda rows: len({len(row) for row in rows}) == 1),
    st.integers(min_value=3, max_value=10),
)
def test_no_hidden_cell_of_any_table_can_be_worked_out(
    body: list[list[int]], threshold: int
) -> None:
    ledger = Ledger(threshold=threshold)
    rows, columns = len(body), len(body[0])
    for r, c in itertools.product(range(rows), range(columns)):
        ledger.count((r, c), body[r][c])
    for r in range(rows):
        ledger.total(("row", r), [(r, c) for c in range(columns)])
    for c in range(columns):
        ledger.total(("col", c), [(r, c) for r in range(rows)])
    ledger.total("grand", [("row", r) for r in range(rows)])
    ledger.relate("grand", [("col", c) for c in range(columns)])
    assert _deducible(ledger) == set()
    assert _determined_by_rank(ledger) == set()
    for key, value in ledger.values.items():
        if 0 < value < threshold:
            assert key in ledger.hidden()


def _determined_by_rank(ledger: Ledger) -> set[object]:
    """Small hidden counts fixed by the published sums: x is fixed iff adding e_x keeps the rank."""
    hidden = sorted(ledger.hidden(), key=repr)
    matrix = [
        [
            Fraction(
                sum(sign for key, sign in ((total, -1), *((p, 1) for p in parts)) if key == cell)
            )
            for cell in hidden
        ]
        for total, parts in ledger.equations
    ]
    base = _rank(matrix)
    return {
        cell
        for index, cell in enumerate(hidden)
        if 0 < ledger.values[cell] < ledger.threshold
        and _rank([*matrix, [Fraction(int(i == index)) for i in range(len(hidden))]]) == base
    }


def _terms(total: object, parts: tuple[object, ...]) -> list[tuple[object, int]]:
    return [(total, -1), *((part, 1) for part in parts)]


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [list(row) for row in matrix if any(row)]
    rank = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column]:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def test_bounds_do_not_give_a_small_count_away() -> None:
    """1 + 5 = 6: knowing "<5" is 1 to 4 and a complement is 5 or more pins both, unless the
    total goes too."""
    ledger = Ledger(threshold=5)
    parts = [ledger.count("a", 1), ledger.count("b", 5), ledger.count("c", 0)]
    ledger.total("total", parts)
    assert published(ledger, ["a", "b", "c", "total"]) == ["<5", "[c]", 0, "[c]"]


def test_two_small_counts_at_the_top_of_their_range_take_a_third_with_them() -> None:
    """4 + 4 = 38 - 30: two "<5" cells adding to 8 can only be 4 and 4."""
    ledger = Ledger(threshold=5)
    parts = [ledger.count("a", 4), ledger.count("b", 4), ledger.count("c", 30)]
    ledger.total("total", parts)
    assert published(ledger, ["a", "b", "c", "total"]) == ["<5", "<5", "[c]", 38]


def test_a_figure_pinned_by_an_earlier_view_keeps_its_state_and_is_protected_around() -> None:
    """The overview showed 57; the breakdown hides the 3 and its complement, never the 57."""
    ledger = Ledger(threshold=5)
    ledger.pin("unmet", 57, hidden=False)
    ledger.count("housing", 54)
    ledger.count("carers", 3)
    ledger.relate("unmet", ["housing", "carers"])
    assert published(ledger, ["unmet", "housing", "carers"]) == [57, "[c]", "<5"]


def test_a_figure_hidden_in_an_earlier_view_cannot_be_added_up_from_a_later_one() -> None:
    ledger = Ledger(threshold=5)
    ledger.pin("total", 40, hidden=True)
    ledger.count("a", 20)
    ledger.count("b", 20)
    ledger.relate("total", ["a", "b"])
    assert published(ledger, ["total", "a", "b"]) == ["[c]", "[c]", 20]


def test_a_sum_that_cannot_be_protected_is_reported_not_published() -> None:
    """4 = 1 + 1 + 1 + 1 with the 4 fixed by an earlier view: every "<5" is pinned to 1, and
    nothing is left to hide, so the ledger says so and the tables are withheld."""
    ledger = Ledger(threshold=5)
    ledger.pin("topic", 4, hidden=True)
    for key in "abcd":
        ledger.count(key, 1)
    ledger.relate("topic", list("abcd"))
    assert ledger.unprotected == {"a", "b", "c", "d"}


def test_a_count_never_printed_makes_a_sum_an_inequality_for_the_reader() -> None:
    """A funnel shows some of a topic's nodes: 3 + 1 + [hidden rest] = 9 gives nothing away,
    but 4 shown as <5 with its only other part unprinted is still protected."""
    ledger = Ledger(threshold=5)
    ledger.count("shown", 3)
    ledger.count("other", 6, published=False)
    ledger.total("topic", ["shown", "other"])
    assert published(ledger, ["shown", "topic"]) == ["<5", 9]
    assert ledger.unprotected == frozenset()
    with pytest.raises(KeyError, match="unpublished"):
        ledger.figure("other")


def test_the_full_audit_solves_sums_together_as_a_reader_would() -> None:
    """Two tables of the same 2 x 2 counts (rows and columns), each cell linked to two sums:
    a loop no single sum shows. Whatever is hidden, no "<5" can be pinned."""
    ledger = Ledger(threshold=5)
    cells = {("r0", "c0"): 1, ("r0", "c1"): 30, ("r1", "c0"): 20, ("r1", "c1"): 2}
    for key, value in cells.items():
        ledger.count(key, value)
    for r in ("r0", "r1"):
        ledger.total(r, [(r, c) for c in ("c0", "c1")])
    for c in ("c0", "c1"):
        ledger.total(c, [(r, c) for r in ("r0", "r1")])
    ledger.total("all", ["r0", "r1"])
    ledger.relate("all", ["c0", "c1"])
    assert {("r0", "c0"), ("r1", "c1")} <= ledger.hidden()
    assert _determined_by_rank(ledger) == set()
    assert ledger.unprotected == frozenset()
