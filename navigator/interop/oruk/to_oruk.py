"""Navigator's services as an ORUK 3.0 feed, in memory: plain dicts ready for JSON.

One `Feed` is built once from a checked knowledge base and then written as
files (`export`), as a Tabular Data Package (`datapackage`) or served
(`feed`), so all three say the same thing. The mapping follows
docs/knowledge-format.md section 12 and ../shared/guides/open-data.md §1.7:

- `status: waiting_list` is `active` with an `alert` and HSDS `wait_time`;
  `closed` is `temporarily closed`.
- Phones go in HSDS `phones[]` (the UK profile dropped them, which would leave
  a service with no number) and in one contact named after the service.
- `eligibility_description`, `wait_time`, `application_process` are HSDS 3.0
  fields the UK profile drops; HSDS allows unknown fields, so they are kept.
- Needs are published as Navigator's own taxonomy, linked by `attributes`
  with `link_type: need`. Eligibility rules are not published as data: the
  feed says only what the service's own `eligibility_description` says.
- Empty fields are omitted, never null (ORUK compliance page).
- `privacy` decides what is withheld: refuge addresses and staff contacts.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from navigator.engine.hours import ALWAYS_OPEN, Opening, read_hours
from navigator.interop.oruk.ids import namespace_for, oruk_id
from navigator.interop.oruk.privacy import PrivacyRules, is_personal_email
from navigator.kb import KnowledgeBase
from navigator.kb.model import Service, Text

JSON = dict[str, Any]

ORUK_VERSION = "HSDS-UK-3.0"
"""What `GET /` says as `version` (the value the ORUK reference mock returns)."""

ORUK_PROFILE = "https://github.com/OpenReferralUK/uk-profile"
"""The UK profile's canonical home, declared as `profile` in `GET /`."""

NEEDS_TAXONOMY = "needs"
LINK_TYPE_NEED = "need"
"""The `attribute.link_type` for a service's need categories (HSDS leaves the codelist open)."""

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""iCal day codes, Monday first, as `navigator.engine.hours` numbers days."""

STATUS = {"open": "active", "waiting_list": "active", "closed": "temporarily closed"}

POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b", re.IGNORECASE)
SHALLOW_FIELDS = (
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "alert",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "last_modified",
    "wait_time",
    "eligibility_description",
    "application_process",
)
"""A service's one-to-one fields: what a `/services` list item carries."""


@dataclass(frozen=True)
class FeedOptions:
    """How a council publishes: its namespace, mailbox, public address and privacy rules."""

    namespace: str | None = None
    """A UUID, kept for ever, so ids stay the same between exports (`ids.py`)."""
    assurer_email: str | None = None
    """The content team's shared mailbox, published as `assurer_email`."""
    base_url: str | None = None
    """Where the feed will be served (`https://...`), for `openapi_url` and term URIs."""
    privacy: PrivacyRules = field(default_factory=PrivacyRules)


@dataclass
class Feed:
    """Everything a feed publishes, keyed by ORUK id and in a stable order."""

    root: JSON
    services: dict[str, JSON]
    """Fully nested services, by id, ordered by name."""
    service_at_locations: dict[str, JSON]
    taxonomies: dict[str, JSON]
    taxonomy_terms: dict[str, JSON]
    organizations: dict[str, JSON]
    navigator_ids: dict[str, str] = field(default_factory=dict)
    """ORUK service id -> Navigator service id (the mapping HSDS asks publishers to keep)."""
    openings: dict[str, tuple[Opening, ...]] = field(default_factory=dict)
    """ORUK service id -> its weekly openings, for the time filters; absent when unknown."""

    def service_list_item(self, service_id: str) -> JSON:
        """The list-shaped service: its one-to-one fields only, as `/services` returns it."""
        full = self.services[service_id]
        return {name: full[name] for name in SHALLOW_FIELDS if name in full}


def compact(value: Any) -> Any:
    """`value` with every None, empty string, empty list and empty object left out."""
    if isinstance(value, Mapping):
        kept = {key: compact(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if not _empty(item)}
    if isinstance(value, list):
        return [compact(item) for item in value if not _empty(compact(item))]
    if isinstance(value, str):
        return value.strip()
    return value


def _compact_object(value: JSON) -> JSON:
    """`compact` for an object, typed as one."""
    compacted: JSON = compact(value)
    return compacted


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def build_feed(knowledge: KnowledgeBase, options: FeedOptions | None = None) -> Feed:
    """The whole feed for `knowledge`: every service, its organisation, locations and needs."""
    options = options or FeedOptions()
    place = knowledge.place.name.get() if knowledge.place else "Navigator"
    builder = _Builder(knowledge, options, namespace_for(options.namespace, place), place)
    return builder.build()


@dataclass
class _Builder:
    """One feed being built: organisations and terms gather here as services name them."""

    knowledge: KnowledgeBase
    options: FeedOptions
    namespace: uuid.UUID
    place: str
    organizations: dict[str, JSON] = field(default_factory=dict)
    terms: dict[str, JSON] = field(default_factory=dict)

    def id(self, kind: str, navigator_id: str) -> str:
        return oruk_id(self.namespace, kind, navigator_id)

    def build(self) -> Feed:
        taxonomy = self.taxonomy()
        services: dict[str, JSON] = {}
        navigator_ids: dict[str, str] = {}
        openings: dict[str, tuple[Opening, ...]] = {}
        ordered = sorted(self.knowledge.services.values(), key=lambda s: (s.name.get(), s.id))
        for service in ordered:
            built = compact(self.service(service))
            services[built["id"]] = built
            navigator_ids[built["id"]] = service.id
            hours = read_hours(service.schedules.get()) if service.schedules else None
            if hours:
                openings[built["id"]] = hours
        locations = {
            sal["id"]: {**sal, "service_id": service["id"]}
            for service in services.values()
            for sal in service.get("service_at_locations", [])
        }
        return Feed(
            root=self.root(),
            services=services,
            service_at_locations=locations,
            taxonomies={taxonomy["id"]: taxonomy},
            taxonomy_terms=dict(self.terms),
            organizations=dict(sorted(self.organizations.items(), key=lambda i: i[1]["name"])),
            navigator_ids=navigator_ids,
            openings=openings,
        )

    def root(self) -> JSON:
        base = (self.options.base_url or "").rstrip("/")
        return _compact_object(
            {
                "version": ORUK_VERSION,
                "profile": ORUK_PROFILE,
                "openapi_url": f"{base}/openapi.json" if base else None,
            }
        )

    def taxonomy(self) -> JSON:
        """Navigator's need categories as a taxonomy, with its terms (a UK addition)."""
        taxonomy_id = self.id("taxonomy", NEEDS_TAXONOMY)
        name = f"{self.place} need categories"
        base = (self.options.base_url or "").rstrip("/")
        for need in self.knowledge.needs.values():
            term_id = self.id("need", need.id)
            self.terms[term_id] = compact(
                {
                    "id": term_id,
                    "name": need.title.get(),
                    "description": need.description.get() or need.title.get(),
                    "taxonomy": name,
                    "taxonomy_id": taxonomy_id,
                    "term": need.id,
                    "term_uri": f"{base}/taxonomy_terms/{term_id}" if base else None,
                }
            )
        return _compact_object(
            {
                "id": taxonomy_id,
                "name": name,
                "description": f"The need categories {self.place}'s Navigator sorts services by.",
                "uri": f"{base}/taxonomies/{taxonomy_id}" if base else None,
                "version": self.knowledge.content_hash[:12] or None,
                "taxonomy_terms": list(self.terms.values()),
            }
        )

    def service(self, service: Service) -> JSON:
        service_id = self.id("service", service.id)
        contact = service.contact
        email = contact.email if contact.email and not is_personal_email(contact.email) else None
        assurer = self.options.assurer_email
        return {
            "id": service_id,
            "organization_id": self.organization(service.provider),
            "organization": self.organizations[self.id("organization", _key(service.provider))],
            "name": service.name.get(),
            "description": service.description.get(),
            "url": _url(contact.website),
            "email": email,
            "status": STATUS[service.status],
            "alert": _alert(service),
            "assured_date": service.last_reviewed.isoformat(),
            "assurer_email": assurer,
            "last_modified": _timestamp(service.last_reviewed),
            "wait_time": _wait_time(service),
            "eligibility_description": _text(service.eligibility_description),
            "application_process": _text(contact.how_to_start),
            "phones": self.phones(service, service_id),
            "contacts": self.contacts(service, service_id, email),
            "schedules": self.schedules(service, service_id),
            "service_areas": self.service_areas(service, service_id),
            "cost_options": self.cost_options(service, service_id),
            "service_at_locations": self.locations(service, service_id),
            "attributes": self.attributes(service, service_id),
        }

    def organization(self, provider: Text) -> str:
        name = provider.get()
        organization_id = self.id("organization", _key(provider))
        agency = next((a for a in self.knowledge.agencies.values() if a.name.get() == name), None)
        description = _text(agency.description) if agency else None
        self.organizations.setdefault(
            organization_id,
            {"id": organization_id, "name": name, "description": description or name},
        )
        return organization_id

    def phones(self, service: Service, service_id: str) -> list[JSON]:
        return [
            {
                "id": self.id("phone", f"{service.id}/{index}"),
                "service_id": service_id,
                "number": phone.number,
                "description": _text(phone.description),
            }
            for index, phone in enumerate(service.contact.phones)
        ]

    def contacts(self, service: Service, service_id: str, email: str | None) -> list[JSON]:
        """One contact named after the service, carrying its phones for profile-only readers."""
        if not (service.contact.phones or email):
            return []
        contact_id = self.id("contact", service.id)
        phones = [
            {**phone, "contact_id": contact_id, "service_id": None}
            for phone in self.phones(service, service_id)
        ]
        for phone in phones:
            phone["id"] = self.id("contact-phone", phone["id"])
        return [
            {
                "id": contact_id,
                "service_id": service_id,
                "name": service.name.get(),
                "email": email,
                "phones": phones,
            }
        ]

    def schedules(self, service: Service, service_id: str) -> list[JSON]:
        """Opening hours as weekly RRULE parts where Navigator reads them, else as words.

        Hours in the forms the app reads for "Open now" (`navigator.engine.hours`)
        become one WEEKLY schedule per opening time, with `byday`, `opens_at` and
        `closes_at` in UK local time (no offset: it changes with summer time);
        the first also carries the words as written. Any other hours
        ("School term times", "24 hours a day...") are published as words only.
        """
        if service.schedules is None:
            return []
        text = service.schedules.get()
        openings = read_hours(text)
        if not openings or openings == ALWAYS_OPEN:
            return [
                {
                    "id": self.id("schedule", service.id),
                    "service_id": service_id,
                    "description": text,
                }
            ]
        times: dict[tuple[int, int], list[int]] = {}
        for opening in openings:
            times.setdefault((opening.opens, opening.closes), []).append(opening.day)
        return [
            {
                "id": self.id("schedule", service.id if index == 0 else f"{service.id}/{index}"),
                "service_id": service_id,
                "freq": "WEEKLY",
                "byday": ",".join(DAY_CODES[day] for day in sorted(days)),
                "opens_at": _clock(opens),
                "closes_at": _clock(closes),
                "description": text if index == 0 else None,
            }
            for index, ((opens, closes), days) in enumerate(
                sorted(times.items(), key=lambda item: (min(item[1]), item[0]))
            )
        ]

    def service_areas(self, service: Service, service_id: str) -> list[JSON]:
        """`all` is the whole place; otherwise one area per postcode district."""
        if service.service_areas == "all":
            return [
                {
                    "id": self.id("service-area", f"{service.id}/all"),
                    "service_id": service_id,
                    "name": self.place,
                    "service_area": self.place,
                }
            ]
        return [
            {
                "id": self.id("service-area", f"{service.id}/{district}"),
                "service_id": service_id,
                "name": district,
                "service_area": district,
            }
            for district in service.service_areas
        ]

    def cost_options(self, service: Service, service_id: str) -> list[JSON]:
        if service.cost_options is None:
            return []
        return [
            {
                "id": self.id("cost-option", service.id),
                "service_id": service_id,
                "option": service.cost_options.get(),
            }
        ]

    def locations(self, service: Service, service_id: str) -> list[JSON]:
        """The service's address as a location, unless where it is must stay private."""
        address = service.contact.address
        if address is None or self.options.privacy.address_withheld(service):
            return []
        location_id = self.id("location", service.id)
        text = " ".join(address.get().split())
        return [
            {
                "id": self.id("service-at-location", service.id),
                "service_id": service_id,
                "location_id": location_id,
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "name": text.split(",")[0].strip(),
                    "description": text,
                    "addresses": _addresses(self, service.id, location_id, text),
                },
            }
        ]

    def attributes(self, service: Service, service_id: str) -> list[JSON]:
        attributes = []
        for need in service.needs:
            term_id = self.id("need", need)
            if term_id not in self.terms:
                continue
            attributes.append(
                {
                    "id": self.id("attribute", f"{service.id}/{need}"),
                    "link_id": service_id,
                    "link_type": LINK_TYPE_NEED,
                    "link_entity": "service",
                    "taxonomy_term_id": term_id,
                    "taxonomy_term": self.terms[term_id],
                }
            )
        return attributes


def _addresses(builder: _Builder, service_id: str, location_id: str, text: str) -> list[JSON]:
    """A structured address when the text holds a full postcode; none otherwise.

    ORUK requires address_1, city, state_province, postal_code and country, so
    a free-text place ("14 cafés across Northbrook") stays the location's
    description rather than becoming an address that pretends to be precise.
    """
    found = POSTCODE.search(text)
    if found is None:
        return []
    before = text[: found.start()].strip().rstrip(",").strip()
    parts = [part.strip() for part in before.split(",") if part.strip()]
    city = builder.place
    if parts and parts[-1].lower() == builder.place.lower():
        parts = parts[:-1]
    elif parts and parts[-1].lower().endswith(" " + builder.place.lower()):
        parts[-1] = parts[-1][: -len(builder.place)].strip()
    if not parts:
        return []
    return [
        {
            "id": builder.id("address", service_id),
            "location_id": location_id,
            "address_1": ", ".join(parts),
            "city": city,
            "state_province": builder.place,
            "postal_code": f"{found.group(1)} {found.group(2)}".upper(),
            "country": "GB",
            "address_type": "physical",
        }
    ]


def _clock(minutes: int) -> str:
    """Minutes after midnight as `HH:MM:SS`: the schemas' examples, and the time type of
    HSDS's tabular form (midnight at the end of a day is 23:59:00)."""
    minutes = min(minutes, 24 * 60 - 1)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _key(text: Text) -> str:
    return " ".join(text.get().lower().split())


def _text(text: Text | None) -> str | None:
    return text.get() if text is not None else None


def _url(website: str | None) -> str | None:
    """A full URL: the knowledge base allows `www.example.org/x`, ORUK wants a `uri`."""
    if not website:
        return None
    website = website.strip()
    return website if re.match(r"https?://", website) else f"https://{website}"


def _timestamp(day: dt.date) -> str:
    """ORUK's `last_modified`: a date-time with milliseconds, in UTC."""
    return f"{day.isoformat()}T00:00:00.000Z"


def _wait_time(service: Service) -> str | None:
    wait = service.wait_time
    if wait is None:
        return None
    if wait.description is not None:
        return wait.description.get()
    return f"{wait.weeks} weeks"


def _alert(service: Service) -> str | None:
    """The ORUK place for "there is a wait", since the profile has no `wait_time`."""
    if service.status != "waiting_list":
        return None
    wait = _wait_time(service)
    return f"Waiting list: about {wait}." if wait else "Waiting list."


def pages(items: Sequence[JSON], page: int, per_page: int) -> JSON:
    """The ORUK 3.0 list envelope (`components.schemas.Page`) around one page of `items`."""
    total = len(items)
    total_pages = max(1, -(-total // per_page))
    start = (page - 1) * per_page
    contents = list(items[start : start + per_page])
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": per_page,
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
