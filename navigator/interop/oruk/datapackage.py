"""The feed as a Tabular Data Package: one CSV per HSDS table, and HSDS's own `datapackage.json`.

HSDS says publishers "should use" the generated `datapackage.json` rather
than write their own, so the descriptor is the vendored HSDS 3.0 one
(CC BY-SA 4.0, attributed in `sources`) with this feed's name, title and
licence on top. Every resource it lists gets a CSV, with exactly its fields
as the header in its order (empty tables have only the header), so
`frictionless validate` checks types, uniqueness and foreign keys.
Nested values become rows of their own table joined by ids, as HSDS's
tabular form does; list-valued fields (`phones`, `addresses`) are never cells.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from navigator.interop.oruk.conformance import HSDS_DATAPACKAGE
from navigator.interop.oruk.to_oruk import JSON, Feed

DATA_LICENCE = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}
SCHEMA_SOURCE = {
    "title": "Human Services Data Specification 3.0: an Open Referral resource (CC BY-SA 4.0)",
    "path": "https://github.com/openreferral/specification/blob/3.0/datapackage.json",
}


def descriptor(title: str) -> JSON:
    """HSDS's datapackage.json, retitled for this feed."""
    package: JSON = json.loads(HSDS_DATAPACKAGE.read_text(encoding="utf-8"))
    package.pop("license", None)
    package.update(
        name="navigator-oruk-feed",
        title=title,
        description="Services published from a Navigator knowledge base, in HSDS 3.0 tables.",
        licenses=[DATA_LICENCE],
        sources=[SCHEMA_SOURCE],
    )
    return package


def rows(feed: Feed) -> dict[str, list[JSON]]:
    """Every table's rows, keyed by HSDS resource name."""
    tables: dict[str, list[JSON]] = {}

    def add(table: str, row: JSON) -> None:
        tables.setdefault(table, []).append(row)

    for organization in feed.organizations.values():
        add("organization", organization)
    for taxonomy in feed.taxonomies.values():
        add("taxonomy", taxonomy)
    for term in feed.taxonomy_terms.values():
        add("taxonomy_term", term)
    for service in feed.services.values():
        add("service", service)
        for table, row in _service_rows(service):
            add(table, row)
    return tables


def _service_rows(service: JSON) -> Iterator[tuple[str, JSON]]:
    for phone in service.get("phones", []):
        yield "phone", phone
    for contact in service.get("contacts", []):
        yield "contact", contact
        for phone in contact.get("phones", []):
            yield "phone", phone
    for name, table in (
        ("schedules", "schedule"),
        ("service_areas", "service_area"),
        ("cost_options", "cost_option"),
        ("attributes", "attribute"),
    ):
        for row in service.get(name, []):
            yield table, row
    for sal in service.get("service_at_locations", []):
        yield "service_at_location", {**sal, "service_id": service["id"]}
        location = sal["location"]
        yield "location", location
        for address in location.get("addresses", []):
            yield "address", address


def write(feed: Feed, folder: Path, title: str) -> Path:
    """Write the CSV files and `datapackage.json` into `folder`; the descriptor's path."""
    package = descriptor(title)
    tables = rows(feed)
    for resource in package["resources"]:
        fields = [item["name"] for item in resource["schema"]["fields"]]
        with (folder / resource["path"]).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(fields)
            for row in tables.get(resource["name"], []):
                writer.writerow([_cell(row.get(name)) for name in fields])
    path = folder / "datapackage.json"
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _cell(value: Any) -> str:
    if value is None or isinstance(value, list | dict):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
