"""Privacy scrubbing: what people typed is kept as evidence, what identifies them is not.

Unmatched requests ("is there anything for my mum's stairs?") are the best
evidence of need a council gets, so the words are kept. What could identify a
person is replaced by a placeholder before the text is written anywhere, the
local outbox included: email addresses, phone numbers, National Insurance
numbers, house numbers with their street, dates (a date of birth plus a
district singles out a person), long digit runs (card, account, reference
numbers) and full postcodes, which are cut to the district (`LS6 2AB` ->
`LS6`), because a unit postcode covers about fifteen households and a
district covers thousands.

The order of the passes matters: an NI number holds six digits that the phone
and digit-run passes would otherwise half-match, and dates are taken before
phone numbers so `01/02/1980` is a `[date]`, not a `[number]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers

from navigator.kb.places import POSTCODE

# Re-exported: the records layer reads consented districts through its scrubber's name.
from navigator.kb.places import postcode_district as postcode_district

EMAIL = "[email]"
PHONE = "[phone]"
NI_NUMBER = "[ni-number]"
DATE = "[date]"
NUMBER = "[number]"
ADDRESS = "[address]"
PLACEHOLDERS = (EMAIL, PHONE, NI_NUMBER, DATE, NUMBER, ADDRESS)

_EMAIL = re.compile(r"""[^\s@<>()\[\]{},;:"]+@[^\s@<>()\[\]{},;:"]+\.[A-Za-z0-9-]+""")

# Broad on purpose (the field notes' pattern): over-scrubbing a reference number costs
# nothing, a surviving NI number is a breach. A trailing suffix letter separated by a
# space is taken only in capitals, so "QQ123456 a day" keeps its "a". The gaps between
# the digit pairs must agree, so "my 1920-01-01" is read as a date.
_NI_NUMBER = re.compile(
    r"\b[A-Z]{2}[ -]?\d{2}(?P<gap>[ -]?)\d{2}(?P=gap)\d{2}(?:(?-i:[ -]?[A-D])|[a-d])?\b",
    re.IGNORECASE,
)

_MONTH_NOT_MAY = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH = rf"(?:{_MONTH_NOT_MAY}|may)"
_DAY_NUMBER = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_ORDINAL = rf"{_DAY_NUMBER}(?:st|nd|rd|th)"
_DAY = rf"{_DAY_NUMBER}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'?\d{2})(?![-/.]\d)"
# "may" is also a verb ("2 may help"), so it counts as a month only beside an ordinal,
# "of" or a year.
_DATE = re.compile(
    r"|".join(
        (
            rf"\b\d{{4}}[-/.]{_MONTH_NUMBER}[-/.]{_DAY_NUMBER}\b",  # 1980-02-01
            rf"\b{_DAY_NUMBER}[-/.]{_MONTH_NUMBER}[-/.](?:\d{{4}}|\d{{2}})\b",  # 01/02/1980
            rf"\b{_DAY}\s+(?:of\s+)?{_MONTH_NOT_MAY},?(?:\s+{_YEAR})?\b",  # 1st March 1980
            rf"\b(?:{_ORDINAL}\s+(?:of\s+)?|{_DAY}\s+of\s+)may\b,?(?:\s+{_YEAR})?\b",
            rf"\b{_DAY}\s+may,?\s+{_YEAR}\b",  # 2 May 1980
            rf"\b{_MONTH}\s+{_DAY},?\s+(?:\d{{4}}|'\d{{2}})(?![-/.]\d)\b",  # March 1, 1980
            rf"\b{_MONTH}\s+{_ORDINAL}\b",  # March 1st
        )
    ),
    re.IGNORECASE,
)

# UK numbers: 0 then 9 or 10 digits, or +44 / 0044 with an optional (0); spaces, dots,
# dashes and brackets may sit between digits. `phonenumbers` then finds the rest,
# including other countries' numbers.
_SEP = r"[\s.\-()]{0,3}"
_UK_PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00){_SEP}44{_SEP}(?:\(0\){_SEP})?|\(?0)(?:\d{_SEP}){{8,9}}\d(?!\d)"
)

# A house number with its street ("14 Elm Road", "3a Mill Lane") points at one household;
# the street alone does not, so "on Elm Road" is kept.
_STREET_WORDS = (
    r"road|rd|street|st|avenue|ave|lane|close|drive|crescent|grove|terrace|gardens|gdns"
    r"|mews|way|court|place|square|walk|row|rise|parade"
)
_NOT_A_STREET_NAME = (
    r"the|a|an|my|our|his|her|their|to|of|and|or|in|on|at|for|down|up|from|with|by|each"
    r"|days?|weeks?|months?|years?|miles?|times?|hours?|minutes?|kids?|children|people"
)
_HOUSE_ADDRESS = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+(?:(?:flat|apartment)\s+\d+\w?,?\s+)?"
    rf"(?:(?!(?:{_NOT_A_STREET_NAME})\b)[a-z][\w'-]*\s+){{1,3}}(?:{_STREET_WORDS})\b\.?",
    re.IGNORECASE,
)

_DIGIT_RUN = re.compile(r"\d(?:[ \t\-.()]{0,3}\d){5,}")


def scrub(text: str) -> str:
    """Replace whatever could identify a person in `text`; keep every other word."""
    for scrub_pass in _PASSES:
        text = scrub_pass(text)
    return text


def _emails(text: str) -> str:
    return _EMAIL.sub(EMAIL, text) if "@" in text else text


def _ni_numbers(text: str) -> str:
    return _NI_NUMBER.sub(NI_NUMBER, text)


def _dates(text: str) -> str:
    return _DATE.sub(DATE, text)


def _uk_phones(text: str) -> str:
    return _UK_PHONE.sub(PHONE, text)


def _other_phones(text: str) -> str:
    """Numbers `phonenumbers` recognises as real (any country), read as from the UK."""
    if sum(character.isdigit() for character in text) < 7:
        return text
    matches = list(
        phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID)
    )
    for match in reversed(matches):
        text = text[: match.start] + PHONE + text[match.end :]
    return text


def _addresses(text: str) -> str:
    return _HOUSE_ADDRESS.sub(ADDRESS, text)


def _postcodes(text: str) -> str:
    return POSTCODE.sub(lambda match: match.group(1), text)


def _digit_runs(text: str) -> str:
    return _DIGIT_RUN.sub(NUMBER, text)


_PASSES: tuple[Callable[[str], str], ...] = (
    _emails,
    _ni_numbers,
    _dates,
    _uk_phones,
    _other_phones,
    _addresses,
    _postcodes,
    _digit_runs,
)
