"""Feed schedules said as opening hours: the open-now reader gets back what the feed said."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from navigator.engine.hours import read_hours
from navigator.interop.oruk_import.schedules import CODES, hours_text, rule

_TIMES = st.integers(min_value=0, max_value=46).map(lambda half: half * 30)


@st.composite
def weekly(draw: st.DrawFn) -> tuple[frozenset[int], int, int]:
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    opens = draw(_TIMES)
    closes = draw(st.integers(min_value=opens // 30 + 1, max_value=47).map(lambda h: h * 30))
    return days, opens, closes


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@given(st.lists(weekly(), min_size=1, max_size=3))
def test_weekly_schedules_read_back_as_the_same_openings(
    schedules: list[tuple[frozenset[int], int, int]],
) -> None:
    feed = [
        {
            "freq": "WEEKLY",
            "byday": ",".join(CODES[day] for day in sorted(days)),
            "opens_at": _clock(opens) + "Z",
            "closes_at": _clock(closes),
        }
        for days, opens, closes in schedules
    ]
    said = hours_text([rule(item) for item in feed])
    assert said is not None
    openings = read_hours(said)
    assert openings is not None, said
    expected = {(day, opens, closes) for days, opens, closes in schedules for day in days}
    assert {(o.day, o.opens, o.closes) for o in openings} == expected


def test_monthly_and_described_schedules_are_words_the_reader_leaves_alone() -> None:
    monthly = rule({"freq": "MONTHLY", "byday": "-1FR", "opens_at": "18:00", "closes_at": "20:00"})
    said = hours_text([monthly])
    assert said == "The last Friday of the month, 6pm until 8pm."
    assert read_hours(said) is None  # no "Open now" from a rule it cannot follow
    described = hours_text([rule({"description": "School term times, mornings"})])
    assert described == "School term times, mornings"


def test_oruk_1_weekdays_by_name_or_number() -> None:
    said = hours_text(
        [
            rule({"weekday": "Monday", "opens_at": "09:00", "closes_at": "12:00"}),
            rule({"weekday": 3, "opens_at": "09:00", "closes_at": "12:00"}),
        ]
    )
    assert said == "Monday and Wednesday, 9am to 12pm"
    assert read_hours(said) is not None
