"""What this council has published: so no two packs can be subtracted from each other.

Calendar quarters are made of calendar months. A council that published the
quarter and two of its months would let a reader subtract them and find the
third month's hidden cells; one that published the same period twice under
different disclosure rules (exact, then rounded) would show a count one pack
hid. So each council publishes each stretch of time at one granularity, under
one rule: the register (a small JSON file in the data folder) remembers what
was published and `check` refuses a pack that would overlap one differently.
Publishing the same period again under the same rule is allowed: it gives the
same cells (a revision from late records differs only by what arrived late).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from navigator.interop.evidence.periods import CalendarPeriod, parse_period


class RegisterProblem(Exception):
    """A pack that would overlap an earlier one differently, with what to do instead."""


@dataclass(frozen=True)
class Entry:
    council: str
    period: str
    preset: str
    folder: str = field(default="", compare=False)
    """Where the pack was written (absent in registers from before it was kept), so the
    manager's "Compare places" view can find this council's own packs."""


def _read(path: Path) -> list[Entry]:
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            Entry(str(e["council"]), str(e["period"]), str(e["preset"]), str(e.get("folder", "")))
            for e in data
        ]
    except (OSError, ValueError, KeyError, TypeError) as problem:
        raise RegisterProblem(
            f"{path}: the register of published packs cannot be read ({problem}); restore it "
            "from a backup, since it is what stops two packs being subtracted"
        ) from None


def _overlap(one: CalendarPeriod, other: CalendarPeriod) -> bool:
    return one.start <= other.end and other.start <= one.end


def check(path: Path, council: str, period: CalendarPeriod, preset: str) -> None:
    """Raise `RegisterProblem` if this pack would overlap an earlier one in another way."""
    for entry in _read(path):
        if entry.council != council:
            continue
        earlier = parse_period(entry.period)
        if not _overlap(earlier, period):
            continue
        if earlier.name != period.name:
            raise RegisterProblem(
                f"{council} already published {earlier.name}, which overlaps {period.name}; a "
                "reader could subtract one from the other. Publish every period at one "
                f"granularity (all months, or all quarters) for {council}"
            )
        if entry.preset != preset:
            raise RegisterProblem(
                f"{council} already published {period.name} under disclosure control "
                f"'{entry.preset}'; publishing it again under '{preset}' would show counts the "
                f"first pack hid. Use --suppression {entry.preset}"
            )


def record(
    path: Path, council: str, period: CalendarPeriod, preset: str, folder: Path | None = None
) -> None:
    """Remember a pack once it is written (once per council, period and rule; a pack
    published again keeps the newest folder)."""
    entries = _read(path)
    entry = Entry(council, period.name, preset, str(folder.resolve()) if folder else "")
    entries = [replace(e, folder=entry.folder or e.folder) if e == entry else e for e in entries]
    if entry not in entries:
        entries.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps([asdict(e) for e in entries], indent=1) + "\n", encoding="utf-8")
    partial.replace(path)


def published_packs(path: Path) -> list[Path]:
    """This council's own packs for the latest period it published, where they still are.

    Raises `RegisterProblem` for a register that cannot be read; an absent register is
    no packs."""
    entries = [e for e in _read(path) if e.folder and Path(e.folder, "datapackage.json").is_file()]
    if not entries:
        return []
    latest = max(entries, key=lambda e: parse_period(e.period).end).period
    return [Path(e.folder) for e in entries if e.period == latest]
