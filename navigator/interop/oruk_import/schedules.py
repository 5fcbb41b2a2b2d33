"""HSDS schedules: kept as their RRULE parts, and said as the opening hours Navigator reads.

Navigator's cards say "Open now" from hours written in a few plain forms
("Monday to Friday, 9am to 5pm"; `navigator/engine/hours.py`). Weekly feed
schedules with plain days are written in exactly those forms, so an imported
service gets the same "open now" facts as a hand-written one. Anything else
(the second Monday of the month, ranges with no times) is said in words that
the hours reader deliberately does not understand: a wrong "Open now" is
worse than none. The RRULE parts themselves are kept unchanged beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from navigator.interop.oruk_import import clean

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})")
_BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


def rule(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """The RRULE parts of one schedule (HSDS 3.0, or ORUK 1.0 `regular_schedule`), no empties."""
    byday = schedule.get("byday")
    if byday is None and schedule.get("weekday") is not None:
        byday = _weekday_code(schedule["weekday"])
    parts: dict[str, Any] = {
        "freq": clean.line(schedule.get("freq")),
        "interval": _int(schedule.get("interval")),
        "byday": clean.line(byday),
        "bymonthday": clean.line(schedule.get("bymonthday")),
        "opens_at": clean.line(schedule.get("opens_at")),
        "closes_at": clean.line(schedule.get("closes_at")),
        "valid_from": _date(schedule.get("valid_from")),
        "valid_to": _date(schedule.get("valid_to")),
        "dtstart": _date(schedule.get("dtstart")),
        "description": clean.text(schedule.get("description")),
    }
    return {key: value for key, value in parts.items() if value is not None}


def hours_text(rules: Iterable[Mapping[str, Any]]) -> str | None:
    """Opening hours in Navigator's words, from schedule rules; None when nothing can be said."""
    weekly: dict[tuple[int, int], set[int]] = {}
    other: list[str] = []
    for part in rules:
        opens, closes = _minutes(part.get("opens_at")), _minutes(part.get("closes_at"))
        days = _plain_days(part.get("byday"))
        plain_weekly = (
            part.get("freq", "WEEKLY").upper() == "WEEKLY" and part.get("interval", 1) == 1
        )
        if plain_weekly and days and opens is not None and closes is not None and closes > opens:
            weekly.setdefault((opens, closes), set()).update(days)
        elif said := _other_words(part, opens, closes):
            other.append(said)
    segments = [
        f"{_days_words(sorted(days))}, {_clock(opens)} to {_clock(closes)}"
        for (opens, closes), days in sorted(weekly.items(), key=lambda item: min(item[1]))
    ]
    said = _join(segments)
    if other and (said or len(other) > 1):  # sentences side by side: each ends with a full stop
        pieces = [said, *other] if said else other
        said = " ".join(piece.rstrip(".") + "." for piece in pieces)
    elif other:
        said = other[0]  # one description alone is kept exactly as the feed wrote it
    return said or None


def _other_words(part: Mapping[str, Any], opens: int | None, closes: int | None) -> str | None:
    """Words for a schedule that is not a plain weekly one, or its own description."""
    if part.get("description"):
        return str(part["description"])
    byday = str(part.get("byday") or "")
    match = _BYDAY.match(byday.split(",")[0].strip()) if byday else None
    if match is None or opens is None or closes is None:
        return None
    ordinal = ORDINALS.get(int(match.group(1) or 0))
    day = DAYS[CODES.index(match.group(2))]
    when = f"The {ordinal} {day} of the month" if ordinal else f"{day}s"
    return f"{when}, {_clock(opens)} until {_clock(closes)}."


def _join(segments: list[str]) -> str:
    if len(segments) <= 1:
        return "".join(segments)
    return ", ".join(segments[:-1]) + " and " + segments[-1]


def _plain_days(byday: object) -> list[int]:
    if not byday:
        return []
    days = []
    for code in str(byday).upper().replace(" ", "").split(","):
        if code not in CODES:
            return []  # "2MO" and the like are not weekly
        days.append(CODES.index(code))
    return days


def _days_words(days: list[int]) -> str:
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAYS[days[0]]} to {DAYS[days[-1]]}"
    names = [DAYS[day] for day in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _clock(minutes: int) -> str:
    hour, minute = divmod(minutes, 60)
    if minutes == 24 * 60:
        return "12am"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


def _minutes(value: object) -> int | None:
    match = _TIME.match(str(value or ""))
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def _weekday_code(value: object) -> str | None:
    text = str(value).strip()
    if text.isdigit() and 1 <= int(text) <= 7:
        return CODES[int(text) - 1]
    for name, code in zip(DAYS, CODES, strict=True):
        if text.lower().startswith(name.lower()[:3]):
            return code
    return None


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
