"""Postcode districts: one parser and one area check for every layer.

A service says which postcode districts (outward codes such as `NB3`) it
covers; a person gives a district or a whole postcode, typed however they
type it ("nb3", "NB3 2AB", "nb32ab", "nb3-2ab"). Reading that in four places
gave four answers, so the search box, the consent question, the eligibility
check and the records store all call the two functions here. The knowledge
layer is importable from every layer, and this module needs neither Textual
nor a database.

The full-postcode pattern is also what `navigator.records.scrub` uses to cut
postcodes in free text down to their district, so parsing and scrubbing agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from navigator.lazy_re import LazyPattern

POSTCODE_GAP = r"[\s.\-]{0,3}"
"""People type the two halves with a space, none, two, a dash or a dot between them."""

POSTCODE = LazyPattern(
    rf"\b([A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?){POSTCODE_GAP}(\d[ \t]?[ABD-HJLNP-UW-Z]{{2}})\b",
    re.IGNORECASE,
)
"""A full UK postcode; group 1 is its district. A space may sit inside the second half
("NB1 2 AB"), since people type that too, and it still points at a household."""

DISTRICT = LazyPattern(r"[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?", re.IGNORECASE)
"""A postcode district on its own (the letters a UK outward code can start with)."""


def postcode_district(value: str | None) -> str | None:
    """The district (outward code) of a postcode or district, upper case; None if it is neither.

    `"ls6 2ab"` -> `"LS6"`, `"nb12ab"` -> `"NB1"`, `"NB12"` -> `"NB12"`,
    `"nb1-2ab"` -> `"NB1"`, `"my house"` -> None. A full postcode is tried first,
    so six characters run together are read as district plus unit, not as a longer
    district.
    """
    if value is None:
        return None
    cleaned = value.strip().upper()
    full = POSTCODE.fullmatch(cleaned)
    if full:
        return full.group(1)
    if DISTRICT.fullmatch(cleaned):
        return cleaned
    return None


def serves_area(service_areas: Sequence[str] | Literal["all"], district: str | None) -> bool:
    """Whether a service covering `service_areas` is open to someone in `district`.

    An unknown district (None) rules nothing out: nobody has to say where they live
    to hear what exists. `district` is compared upper case, as the knowledge base
    holds districts; pass the result of `postcode_district`.
    """
    if service_areas == "all" or district is None:
        return True
    return district.upper() in service_areas
