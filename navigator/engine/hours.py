"""Whether a service is open now, read from the opening hours its content staff wrote.

Hours are free text in the knowledge base ("Monday to Friday, 9am to 5pm",
"Tuesday and Thursday 10am to 6pm, Saturday 10am to 1pm"). The common
forms are read here into weekly times, so a card can say "Open now" or
"Opens Monday at 9am" beside them. Anything else ("Most weekday mornings in
different places", "School term times") reads as None, and nothing is
said: a wrong "Open now" is worse than none. The clock is passed in.
"""

from __future__ import annotations

import datetime as dt
import re

import msgspec

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
_DAYS = rf"(?:{_DAY} to {_DAY}|{_DAY}(?:, {_DAY})*(?: and {_DAY})?|every day|7 days a week)"
_TIME = r"(?:\d{1,2}(?::\d{2})?(?:am|pm)|12 noon)"
_PLAIN_SEGMENT = rf"{_DAYS},? {_TIME} to {_TIME}"
_WHOLE = re.compile(rf"{_PLAIN_SEGMENT}(?:(?:,? and |, ){_PLAIN_SEGMENT})*\.?")
_ONE = re.compile(rf"(?P<days>{_DAYS}),? (?P<opens>{_TIME}) to (?P<closes>{_TIME})")
ALWAYS = re.compile(r"(?:.* )?24 hours a day, 7 days a week\.?", re.IGNORECASE)


class Opening(msgspec.Struct, frozen=True):
    """Open on `day` (0 is Monday) from `opens` to `closes`, in minutes after midnight."""

    day: int
    opens: int
    closes: int
    opens_words: str
    """The opening time as the hours say it ("9am"), to say it back the same way."""


class OpenState(msgspec.Struct, frozen=True):
    """Open now, or when it next opens (`day` and the time in words)."""

    open_now: bool
    days_ahead: int = 0
    day: str = ""
    time: str = ""


ALWAYS_OPEN: tuple[Opening, ...] = tuple(Opening(day, 0, 24 * 60, "") for day in range(7))


def read_hours(hours: str) -> tuple[Opening, ...] | None:
    """Weekly openings from hours written in one of the usual forms; None for any other."""
    text = " ".join(hours.split())
    if ALWAYS.fullmatch(text):
        return ALWAYS_OPEN
    if not _WHOLE.fullmatch(text):
        return None
    openings: list[Opening] = []
    for segment in _ONE.finditer(text):
        opens, closes = _minutes(segment["opens"]), _minutes(segment["closes"])
        if closes <= opens:
            return None
        openings.extend(
            Opening(day, opens, closes, segment["opens"]) for day in _days(segment["days"])
        )
    return tuple(openings)


def open_state(openings: tuple[Opening, ...], now: dt.datetime) -> OpenState | None:
    """Open at `now`, or the next opening within a week; None if it never opens."""
    minute = now.hour * 60 + now.minute
    today = now.weekday()
    for ahead in range(8):
        day = (today + ahead) % 7
        for opening in sorted(openings, key=lambda o: o.opens):
            if opening.day != day:
                continue
            if ahead == 0 and opening.opens <= minute < opening.closes:
                return OpenState(open_now=True)
            if ahead > 0 or minute < opening.opens:
                return OpenState(False, ahead, DAYS[day], opening.opens_words)
    return None


def _minutes(time: str) -> int:
    if time == "12 noon":
        return 12 * 60
    hour_text, _, rest = time[:-2].partition(":")
    hour = int(hour_text) % 12 + (12 if time.endswith("pm") else 0)
    return hour * 60 + (int(rest) if rest else 0)


def _days(words: str) -> list[int]:
    if words in {"every day", "7 days a week"}:
        return list(range(7))
    names = [name.rstrip("s") for name in re.findall(_DAY, words)]
    numbers = [DAYS.index(name) for name in names]
    if " to " in words and len(numbers) == 2:
        first, last = numbers
        return [(first + step) % 7 for step in range((last - first) % 7 + 1)]
    return numbers
