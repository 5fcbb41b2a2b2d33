"""Which packs a manager's "Compare places" view can set side by side, and why others cannot.

`navigator compare` refuses the whole comparison when one pack is wrong, which
suits a command run once. A manager opening the view wants the places that do
compare, with a plain word about each pack left out: one that is missing or
broken, one of another period, or one coded with another crosswalk version
(the crosswalk decides what each need code means, so two versions may not
count the same thing under one code). This module decides that, without a
screen, so the view only shows what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from navigator.interop.evidence.compare import (
    Comparison,
    Council,
    PackProblem,
    compare_councils,
    read_pack,
)
from navigator.interop.evidence.register import RegisterProblem, published_packs


@dataclass(frozen=True)
class Gathered:
    """The comparison of the packs that compare (None when none do) and the packs left out."""

    comparison: Comparison | None
    left_out: tuple[str, ...]
    """One plain sentence per pack left out: which pack, what is wrong, what to do."""


def gather_sources(register: Path | None, given: Sequence[Path]) -> Gathered:
    """This council's own packs of its latest published period (from the register of
    published packs), then the packs given with `navigator manager --compare PACK...`."""
    ours: list[Path] = []
    problems: tuple[str, ...] = ()
    if register is not None:
        try:
            ours = published_packs(register)
        except RegisterProblem as problem:
            problems = (f"Left out: this council's own packs, since {problem}.",)
    gathered = gather(ours, given)
    return Gathered(gathered.comparison, (*problems, *gathered.left_out))


def gather(ours: Sequence[Path], others: Sequence[Path]) -> Gathered:
    """Read our packs (from the register) then the others given; the first readable pack is
    ours, and sets the period and crosswalk version every other pack must share."""
    councils: list[Council] = []
    left_out: list[str] = []
    for folder in _unique([*ours, *others]):
        try:
            councils.append(read_pack(folder))
        except PackProblem as problem:
            left_out.append(f"Left out: {problem}.")
    if not councils:
        return Gathered(None, tuple(left_out))
    reference = councils[0]
    kept = [reference]
    for council in councils[1:]:
        reason = _mismatch(reference, council)
        if reason:
            left_out.append(reason)
        else:
            kept.append(council)
    return Gathered(compare_councils(tuple(kept)), tuple(left_out))


def _mismatch(ours: Council, other: Council) -> str:
    """Why `other` cannot stand beside `ours`, or "" when it can."""
    where = f"{other.name}'s pack ({other.path})"
    if other.period != ours.period:
        return (
            f"Left out: {where} covers {other.period}, and {ours.name}'s covers {ours.period}. "
            f"Give a pack of {ours.period}."
        )
    if other.crosswalk != ours.crosswalk:
        return (
            f"Left out: {where} was coded with crosswalk version {other.crosswalk or 'none'}, "
            f"and {ours.name}'s with {ours.crosswalk}: a need coded differently would not "
            f"compare like for like. Ask {other.name} for a pack coded with {ours.crosswalk}."
        )
    return ""


def _unique(folders: Sequence[Path]) -> list[Path]:
    """Each folder once (ours may be given again on the command line), in the order given."""
    seen: set[Path] = set()
    unique = []
    for folder in folders:
        key = folder.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(folder)
    return unique
