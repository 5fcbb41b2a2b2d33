"""One feed service (ORUK 3.0, ORUK 1.0 or HSDS 3.0) as a Navigator candidate.

Both the UK profile's fields and the HSDS international ones it drops
(`phones`, `wait_time`, `eligibility_description`, `language.code`,
`application_process`) are read, and ORUK 1.0's tables (`regular_schedules`,
`eligibilitys`, `service_taxonomys`, `physical_addresses`). Every string is
cleaned (`clean.text`). Eligibility is kept as the feed's words and ages
only: a rule is never invented from free text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from navigator.interop.oruk_import import clean, schedules
from navigator.interop.oruk_import.errors import ImportRefused

_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
STATUS = {
    "active": "open",
    "temporarily closed": "closed",
    "inactive": "closed",
    "defunct": "closed",
}
"""HSDS status to Navigator's. Inactive and defunct services are kept closed, never shown open."""


@dataclass(frozen=True)
class FeedFacts:
    """What every candidate from one import shares in its provenance."""

    feed: str
    source: str
    fetched_at: dt.datetime
    version: str | None
    profile: str | None
    licence: str | None
    attribution: str | None
    max_locations: int


class Crosswalk:
    """Taxonomy terms to Navigator needs, by `term_uri` first, then by label.

    A term linked with `link_type: need` whose code (`term`, a UK addition, or
    HSDS `code`) is one of our need ids, or whose name is one of our needs'
    titles, is that need: it is how another Navigator publishes its needs
    (`navigator export oruk`), so two councils' Navigators agree.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str | None, str | None, list[str]]],
        need_titles: Mapping[str, str] | None = None,
    ) -> None:
        self.need_ids = frozenset(need_titles or {})
        self.by_title = {title.casefold(): need for need, title in (need_titles or {}).items()}
        self.by_uri: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for uri, name, needs in entries:
            if uri:
                self.by_uri.setdefault(uri.rstrip("/"), []).extend(needs)
            if name:
                self.by_name.setdefault(name.casefold(), []).extend(needs)

    def needs(self, terms: Iterable[Term]) -> list[str]:
        found: list[str] = []
        for term in terms:
            matched = (
                self.by_uri.get((term.uri or "").rstrip("/"))
                or self.by_name.get((term.name or "").casefold())
                or self._own_need(term)
            )
            found.extend(need for need in matched if need not in found)
        return found

    def _own_need(self, term: Term) -> list[str]:
        if not term.is_need:
            return []
        if term.need_code in self.need_ids:
            return [str(term.need_code)]
        titled = self.by_title.get((term.name or "").casefold())
        return [titled] if titled else []


@dataclass(frozen=True)
class Term:
    """One taxonomy term a service is tagged with."""

    uri: str | None
    name: str | None
    need_code: str | None = None
    is_need: bool = False
    """The link says it is a need (`link_type: need`), as Navigator's own feeds do."""


def candidate(raw: Mapping[str, Any], facts: FeedFacts, crosswalk: Crosswalk) -> dict[str, Any]:
    """The candidate for one service (its `id` is given later, by the writer)."""
    source_id = str(raw["id"]).strip()
    name = clean.line(raw.get("name"))
    if name is None:
        raise _Skip(f"service '{source_id}' has no name")
    sites = _list(raw.get("service_at_locations"))
    if len(sites) > facts.max_locations:
        raise ImportRefused(
            f"{facts.source}: service '{source_id}' has {len(sites):,} locations, more than "
            f"the {facts.max_locations:,} allowed; the feed looks broken, so nothing was imported."
        )
    locations = [site.get("location") or {} for site in sites if isinstance(site, dict)]
    given = raw.get("organization")
    organisation: Mapping[str, Any] = given if isinstance(given, dict) else {}
    terms = list(_terms(raw))
    address, postcode = _address(locations)
    rules = [schedules.rule(s) for s in _schedules(raw, sites)]
    districts, area_names = _areas(raw)
    assured = clean.line(raw.get("assured_date"))
    modified = clean.line(raw.get("last_modified"))
    entry: dict[str, Any] = {
        "name": name,
        "description": clean.text(raw.get("description")),
        "provider": clean.line(organisation.get("name")),
        "organisation_ids": _organisation_ids(organisation),
        "needs": crosswalk.needs(terms),
        "taxonomy_terms": [term.uri or term.name for term in terms if term.uri or term.name],
        "contact": _contact(raw, locations, address),
        "postcode": postcode,
        "schedules": schedules.hours_text(rules),
        "schedule_rules": rules,
        "service_areas": districts,
        "area_names": area_names,
        "cost_options": _costs(raw),
        "eligibility_description": _eligibility_text(raw),
        "minimum_age": _age(raw, "minimum_age"),
        "maximum_age": _age(raw, "maximum_age"),
        "languages": _languages(raw),
        "wait_time": clean.line(raw.get("wait_time")),
        "status": STATUS.get(str(raw.get("status", "active")).strip().lower(), "open"),
        "last_reviewed": _day(assured) or _day(modified) or facts.fetched_at.date(),
        "provenance": {
            "feed": facts.feed,
            "source_url": _source_url(facts.source, source_id),
            "source_id": source_id,
            "fetched_at": facts.fetched_at,
            "last_modified": modified,
            "assured_date": assured,
            "assurer_email": clean.line(raw.get("assurer_email")),
            "feed_version": facts.version,
            "feed_profile": facts.profile,
            "feed_status": clean.line(raw.get("status")),
            "licence": facts.licence,
            "attribution": facts.attribution,
        },
    }
    return _without_empty(entry)


class _Skip(Exception):
    """A service that cannot be a candidate (no name): listed in the report, not imported."""


Skip = _Skip


def _without_empty(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (_without_empty(value) if isinstance(value, dict) else value)
        for key, value in entry.items()
        if value not in (None, [], {}, "")
    }


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in _list(value) if isinstance(item, dict)]


def _source_url(source: str, source_id: str) -> str:
    if source.startswith(("http://", "https://")):
        return f"{source}/services/{source_id}"
    return source


def _organisation_ids(organisation: Mapping[str, Any]) -> list[str]:
    found = []
    for identifier in _dicts(organisation.get("organization_identifiers")):
        scheme = clean.line(
            identifier.get("identifier_scheme") or identifier.get("identifier_type")
        )
        value = clean.line(identifier.get("identifier"))
        if scheme and value:
            found.append(f"{scheme}:{value}")
    return found


def _terms(raw: Mapping[str, Any]) -> Iterable[Term]:
    for attribute in _dicts(raw.get("attributes")):
        term = attribute.get("taxonomy_term")
        if isinstance(term, dict):
            code = clean.line(term.get("term") or term.get("code"))
            is_need = attribute.get("link_type") == "need"
            yield Term(
                clean.line(term.get("term_uri")), clean.line(term.get("name")), code, is_need
            )
    for link in _dicts(raw.get("service_taxonomys")):  # ORUK 1.0
        term = link.get("taxonomy")
        if isinstance(term, dict):
            yield Term(None, clean.line(term.get("name")))


def _address(locations: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """The first physical address, in one line, and its postcode."""
    for location in locations:
        if location.get("location_type") in ("virtual", "postal"):
            continue
        for address in _dicts(location.get("addresses")) + _dicts(
            location.get("physical_addresses")  # ORUK 1.0
        ):
            if address.get("address_type") in ("virtual", "postal"):
                continue
            postcode = _postcode(address.get("postal_code"))
            parts = [clean.line(address.get(key)) for key in ("address_1", "address_2", "city")]
            parts.append(postcode or clean.line(address.get("postal_code")))
            said = ", ".join(part for part in parts if part)
            if said:
                return said, postcode
    for location in locations:  # no structured address: the place as the feed words it
        if location.get("location_type") in ("virtual", "postal"):
            continue
        worded = clean.line(location.get("description") or location.get("name"))
        if worded:
            return worded, _postcode(worded)
    return None, None


def _postcode(value: Any) -> str | None:
    match = _POSTCODE.search(str(value or "").upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def _contact(
    raw: Mapping[str, Any], locations: list[dict[str, Any]], address: str | None
) -> dict[str, Any]:
    phones: list[dict[str, Any]] = []
    owners = [raw, *_dicts(raw.get("contacts")), *locations]
    for owner in owners:
        for phone in _dicts(owner.get("phones")):
            number = clean.phone(phone.get("number"))
            if number and all(number != known["number"] for known in phones):
                description = clean.line(phone.get("description"))
                phones.append({"number": number, "description": description})
    emails = [clean.line(raw.get("email"))] + [
        clean.line(contact.get("email")) for contact in _dicts(raw.get("contacts"))
    ]
    return _without_empty(
        {
            "phones": [_without_empty(phone) for phone in phones],
            "email": next((email for email in emails if email), None),
            "website": clean.line(raw.get("url")),
            "address": address,
            "how_to_start": clean.text(raw.get("application_process")),
        }
    )


def _schedules(raw: Mapping[str, Any], sites: list[Any]) -> list[dict[str, Any]]:
    found = _dicts(raw.get("schedules")) + _dicts(raw.get("regular_schedules"))
    for site in _dicts(sites):
        found += _dicts(site.get("schedules")) + _dicts(site.get("regular_schedules"))
    return found


def _areas(raw: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Postcode districts the service areas name, and the other area names as given.

    Districts are read where the feed says them: a name such as "NB1, NB2", an
    Ordnance Survey URI (`.../postcodedistrict/NB1`), or GeoJSON features whose
    properties name a district. A polygon alone cannot be turned into districts
    without boundary data, so its area's name is kept for a person to judge.
    """
    districts: list[str] = []
    names: list[str] = []

    def add(found: list[str]) -> None:
        districts.extend(district for district in found if district not in districts)

    for area in _dicts(raw.get("service_areas")):
        said = clean.line(area.get("name") or area.get("service_area"))
        if area.get("extent_type") == "text" and not said:
            said = clean.line(area.get("extent"))
        from_uri = _uri_district(area.get("uri"))
        from_shape = _geojson_districts(area) if area.get("extent_type") == "geojson" else []
        add(from_uri + from_shape)
        words = [word.strip().upper() for word in re.split(r"[,;/]| and ", said or "")]
        words = [word for word in words if word]
        if words and all(_DISTRICT.match(word) for word in words):
            add(words)
        elif said and said not in names and not (from_uri or from_shape):
            names.append(said)
    return districts, names


def _uri_district(uri: Any) -> list[str]:
    match = re.search(r"/postcodedistrict/([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)/?$", str(uri or ""))
    return [match.group(1).upper()] if match else []


def _geojson_districts(area: Mapping[str, Any]) -> list[str]:
    extent = area.get("extent")
    try:
        shape = json.loads(extent) if isinstance(extent, str) else extent
    except ValueError:
        return []
    features = shape.get("features", [shape]) if isinstance(shape, dict) else []
    found = []
    for feature in _dicts(features):
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            continue
        for key in ("postcode_district", "district", "name"):
            value = str(properties.get(key) or "").strip().upper()
            if _DISTRICT.match(value):
                found.append(value)
                break
    return found


def _costs(raw: Mapping[str, Any]) -> str | None:
    said = []
    for option in _dicts(raw.get("cost_options")):
        words = clean.line(option.get("option"))
        amount = _amount(option.get("amount"))
        detail = clean.line(option.get("amount_description"))
        parts = [part for part in (words, amount, f"({detail})" if detail else None) if part]
        if parts:
            said.append(" ".join(parts))
    if not said and raw.get("fees"):
        said.append(clean.line(raw.get("fees")) or "")
    text = "; ".join(part for part in said if part)
    return f"{text}." if text and not text.endswith(".") else text or None


def _amount(value: Any) -> str | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return "Free" if number == 0 else f"£{number:,.2f}".replace(".00", "")


def _eligibility_text(raw: Mapping[str, Any]) -> str | None:
    said = [clean.text(raw.get("eligibility_description"))]
    said += [clean.text(item.get("eligibility")) for item in _dicts(raw.get("eligibilitys"))]
    joined = " ".join(text for text in said if text)
    return joined or None


def _age(raw: Mapping[str, Any], key: str) -> int | None:
    values = [raw.get(key)] + [item.get(key) for item in _dicts(raw.get("eligibilitys"))]
    for value in values:
        try:
            age = int(str(value))
        except ValueError:
            continue
        if 0 <= age <= 130:
            return age
    return None


def _languages(raw: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for language in _dicts(raw.get("languages")):
        said = clean.line(language.get("code") or language.get("name") or language.get("language"))
        if said and said not in found:
            found.append(said)
    return found


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
