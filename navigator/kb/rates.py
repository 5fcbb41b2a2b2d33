"""Rates: amounts, limits and ages from national rules, each with the dates it holds.

Figures such as "£4.65 a week" change every April. Written once as a rate,

    rates:
      - id: healthy_start.weekly
        values:
          - {from: 2024-04-01, to: 2026-03-31, value: "£4.25"}
          - {from: 2026-04-01, value: "£4.65"}

a text says "{healthy_start.weekly}" and residents read the value for the day
they are reading it, so the next uprating is written ahead and switches on its
date. No pydantic and no engine here: the engine fills texts with `fill_rates`,
and the validator checks references and dates with the same helpers.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping

from navigator.kb.model import Rate, RateValue

LOOK_AHEAD_DAYS = 90
"""How far ahead every rate must have a value: time to stage April's uprating."""

RATE_REFERENCE = re.compile(r"\{([a-z0-9_]+(?:\.[a-z0-9_]+)+)\}")
"""`{healthy_start.weekly}`: a dotted name in braces (message placeholders have no dot)."""


def references(text: str) -> Iterator[str]:
    """The rate ids a text refers to, in order."""
    for found in RATE_REFERENCE.finditer(text):
        yield found.group(1)


def value_on(rate: Rate, day: dt.date) -> RateValue | None:
    """The value that holds on `day`, or None when the rate gives none for it."""
    for value in rate.values:
        if value.from_ <= day and (value.to is None or day <= value.to):
            return value
    return None


def shown_value(rate: Rate, day: dt.date) -> str:
    """What a resident reads on `day`: that day's value, else the latest one before it.

    The validator warns well ahead of a gap; if one is reached anyway, the last
    known figure reads better than a name in braces.
    """
    holding = value_on(rate, day)
    if holding is not None:
        return holding.value
    earlier = [value for value in rate.values if value.from_ <= day]
    chosen = max(earlier, key=lambda value: value.from_) if earlier else rate.values[0]
    return chosen.value


def fill_rates(text: str, rates: Mapping[str, Rate], day: dt.date) -> str:
    """`text` with each known `{rate.id}` replaced by its value on `day`."""
    if "{" not in text:
        return text

    def replace(found: re.Match[str]) -> str:
        rate = rates.get(found.group(1))
        return shown_value(rate, day) if rate is not None else found.group(0)

    return RATE_REFERENCE.sub(replace, text)


def overlaps(rate: Rate) -> Iterator[tuple[RateValue, RateValue]]:
    """Pairs of values whose dates overlap: a day would have two figures."""
    ordered = sorted(rate.values, key=lambda value: value.from_)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.to is None or later.from_ <= earlier.to:
            yield earlier, later


def first_gap(rate: Rate, start: dt.date, end: dt.date) -> dt.date | None:
    """The first day from `start` to `end` with no value, or None when every day has one."""
    day = start
    while day <= end:
        holding = value_on(rate, day)
        if holding is None:
            return day
        if holding.to is None:
            return None
        day = holding.to + dt.timedelta(days=1)
    return None
