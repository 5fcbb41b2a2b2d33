"""Reading services from a source: a feed's API, an ORUK/HSDS JSON file, or a Tabular Data Package.

The API is walked the way DfE Family Hubs and the ORUK validator do: `GET /`
for the declared version and profile, `/services` page by page (lists are
shallow: no locations, areas or taxonomy), then `/services/{id}` for each
service. Only `page` and `per_page` are sent: real feeds (Shropshire) ignore
`search`, `modified_after`, `full` and `format=ndjson`, so nothing depends on
them. Hydration runs on a few threads and is checkpointed, so an import
that is interrupted, or that meets a feed failing half-way, resumes where it
stopped instead of starting again.
"""

from __future__ import annotations

import csv
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from navigator.interop.oruk_import.errors import ImportRefused
from navigator.interop.oruk_import.fetch import FeedClient, Limits, NotFound, parse_json

Progress = Callable[[int, int], None]
"""Called with (services fetched, services in all) as hydration goes on."""

PER_PAGE = 50


@dataclass
class Feed:
    """What a source gave: raw services (nested HSDS/ORUK dicts) and what it said about itself."""

    source: str
    services: list[dict[str, Any]]
    version: str | None = None
    profile: str | None = None
    envelope: str = "file"
    """`v3` (contents/total_items), `v1` (content/totalElements), `file` or `datapackage`."""
    licence: str | None = None
    attribution: str | None = None
    notes: list[str] = field(default_factory=list)


def read_source(
    source: str, limits: Limits, checkpoint: Path, progress: Progress | None = None
) -> Feed:
    """Every service from `source`, hydrated; raises `ImportRefused` with a reason."""
    if source.startswith(("http://", "https://")):
        return _read_api(source.rstrip("/"), limits, checkpoint, progress)
    path = Path(source)
    if not path.is_file():
        raise ImportRefused(
            f"{source}: there is no such file or feed address (http:// or https://)."
        )
    if path.name == "datapackage.json":
        return _read_datapackage(path, limits)
    return _read_file(path, limits)


# --- The API ----------------------------------------------------------------------------


def _read_api(base: str, limits: Limits, checkpoint: Path, progress: Progress | None) -> Feed:
    with FeedClient(limits) as client:
        feed = Feed(source=base, services=[])
        try:
            root = client.get_json(f"{base}/")
        except NotFound:
            root = None
            feed.notes.append("GET / is missing (the ORUK 3.0 profile requires it)")
        except ImportRefused as problem:  # only informative: /services decides
            root = None
            feed.notes.append(f"GET / gave no version or profile: {problem}")
        if isinstance(root, dict):
            feed.version = _short(root.get("version"))
            feed.profile = _short(root.get("profile"))
        state = _Checkpoint(checkpoint, base)
        listing = state.listing()
        if listing is None:
            listing, feed.envelope = _walk_pages(client, base, limits)
            state.save_listing(listing, feed.envelope)
        else:
            feed.envelope = state.envelope
            feed.notes.append(
                f"resumed: {len(state.done)} of {len(listing)} services already fetched"
            )
        feed.services = _hydrate(client, base, listing, state, limits, progress)
    return feed


def _walk_pages(client: FeedClient, base: str, limits: Limits) -> tuple[list[str], str]:
    """Every service id from the list pages, in order; refuses a repeated id."""
    seen: dict[str, int] = {}
    envelope = ""
    page = 1
    while True:
        data = client.get_json(f"{base}/services", {"page": str(page), "per_page": str(PER_PAGE)})
        envelope, items, total_pages, last = _envelope(data, f"{base}/services?page={page}")
        for item in items:
            service_id = _id(item, f"{base}/services?page={page}")
            if service_id in seen:
                raise ImportRefused(
                    f"{base}/services: the id '{service_id}' is given twice (pages "
                    f"{seen[service_id]} and {page}), so the services cannot be told apart. "
                    "If every id repeats, the feed is ignoring 'page'. Ask the publisher to fix it."
                )
            seen[service_id] = page
            if len(seen) > limits.max_services:
                raise ImportRefused(f"{base}: more than {limits.max_services:,} services; refused.")
        if last or not items or 0 < total_pages <= page or page >= limits.max_pages:
            return list(seen), envelope
        page += 1


def _envelope(data: Any, where: str) -> tuple[str, list[Any], int, bool]:
    """(version, items, total pages, last page?) from an ORUK 3.0 or 1.0 list page."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        total = data.get("total_pages")
        return "v3", data["contents"], _count(total), data.get("last_page") is True
    if isinstance(data, dict) and isinstance(data.get("content"), list):
        total = data.get("totalPages")
        return "v1", data["content"], _count(total), data.get("last") is True
    raise ImportRefused(
        f"{where}: this is JSON but not an ORUK list page (no 'contents' with 'total_items' "
        "as in ORUK 3.0, nor 'content' with 'totalElements' as in ORUK 1.0)."
    )


def _hydrate(
    client: FeedClient,
    base: str,
    listing: list[str],
    state: _Checkpoint,
    limits: Limits,
    progress: Progress | None,
) -> list[dict[str, Any]]:
    todo = [service_id for service_id in listing if service_id not in state.done]

    def fetch(service_id: str) -> None:
        url = f"{base}/services/{urllib.parse.quote(service_id, safe='')}"
        service = client.get_json(url)
        if not isinstance(service, dict) or _id(service, url) != service_id:
            raise ImportRefused(f"{url}: this is not the service '{service_id}' the list gave.")
        state.add(service_id, service)

    failures: list[BaseException] = []
    if progress is not None:
        progress(len(state.done), len(listing))
    pool = ThreadPoolExecutor(max_workers=limits.concurrency)
    try:
        futures = [pool.submit(fetch, service_id) for service_id in todo]
        for future in as_completed(futures):  # progress and Ctrl+C both on this thread
            problem = future.exception()
            if problem is not None:
                failures.append(problem)
            elif progress is not None:
                progress(len(state.done), len(listing))
    except BaseException:  # Ctrl+C: stop queued fetches now; the checkpoint keeps the rest
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    for failure in failures:
        if not isinstance(failure, ImportRefused):
            raise failure
    if failures:
        raise ImportRefused(
            f"{failures[0]} Only {len(state.done)} of {len(listing)} services were fetched: "
            "nothing was written, and the next run resumes from here."
        )
    return [state.done[service_id] for service_id in listing]


class _Checkpoint:
    """The list of ids and the services fetched so far, on disk, so a run can resume.

    The listing is one JSON file; services are appended one JSON line each, so
    thousands of services cost one small write apiece. A checkpoint for another
    source is ignored. The caller removes it once the import is written.
    """

    def __init__(self, folder: Path, source: str) -> None:
        self.folder = folder
        self.source = source
        self.envelope = ""
        self.done: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def listing(self) -> list[str] | None:
        try:
            saved = json.loads((self.folder / "listing.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(saved, dict) or saved.get("source") != self.source:
            return None
        self.envelope = str(saved.get("envelope", ""))
        for line in self._lines():
            if isinstance(line, dict) and isinstance(line.get("id"), str):
                self.done[line["id"]] = line["service"]
        return [str(service_id) for service_id in saved.get("ids", [])]

    def _lines(self) -> Iterator[Any]:
        try:
            text = (self.folder / "services.jsonl").read_text("utf-8")
        except OSError:
            return
        for line in text.splitlines():
            try:
                yield json.loads(line)
            except ValueError:
                continue  # a line cut short by the interruption: fetched again

    def save_listing(self, ids: list[str], envelope: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "services.jsonl").write_text("", "utf-8")
        saved = {"source": self.source, "envelope": envelope, "ids": ids}
        (self.folder / "listing.json").write_text(json.dumps(saved), "utf-8")

    def add(self, service_id: str, service: dict[str, Any]) -> None:
        line = json.dumps({"id": service_id, "service": service}) + "\n"
        with self._lock:
            with (self.folder / "services.jsonl").open("a", encoding="utf-8") as stream:
                stream.write(line)
            self.done[service_id] = service


# --- Files ------------------------------------------------------------------------------


def _read_file(path: Path, limits: Limits) -> Feed:
    data = parse_json(_read_bytes(path, limits), str(path))
    if isinstance(data, list):
        items, envelope = data, "file"
    elif isinstance(data, dict) and ("contents" in data or "content" in data):
        envelope, items, _, _ = _envelope(data, str(path))
    elif isinstance(data, dict) and "id" in data and "name" in data:
        items, envelope = [data], "file"
    else:
        raise ImportRefused(
            f"{path}: this JSON holds no services (expected a list of services, an ORUK "
            "list page, or one service)."
        )
    services = [item for item in items if isinstance(item, dict)]
    _refuse_repeats([_id(item, str(path)) for item in services], str(path))
    return Feed(source=str(path.resolve()), services=services, envelope=envelope)


def _read_bytes(path: Path, limits: Limits) -> bytes:
    if path.stat().st_size > limits.page_bytes:
        raise ImportRefused(
            f"{path}: the file is bigger than {limits.page_bytes / (1024 * 1024):g} MB; refused."
        )
    return path.read_bytes()


def _refuse_repeats(ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for service_id in ids:
        if service_id in seen:
            raise ImportRefused(
                f"{where}: the id '{service_id}' is given to two services, so they cannot be "
                "told apart. Ask the publisher to fix it."
            )
        seen.add(service_id)


# --- Tabular Data Package ---------------------------------------------------------------

_TABLES = {
    "services": "services",
    "service": "services",
    "organizations": "organizations",
    "organization": "organizations",
    "organization_identifiers": "organization_identifiers",
    "organization_identifier": "organization_identifiers",
    "service_at_locations": "service_at_locations",
    "service_at_location": "service_at_locations",
    "locations": "locations",
    "location": "locations",
    "addresses": "addresses",
    "address": "addresses",
    "phones": "phones",
    "phone": "phones",
    "contacts": "contacts",
    "contact": "contacts",
    "schedules": "schedules",
    "schedule": "schedules",
    "service_areas": "service_areas",
    "service_area": "service_areas",
    "cost_options": "cost_options",
    "cost_option": "cost_options",
    "languages": "languages",
    "language": "languages",
    "attributes": "attributes",
    "attribute": "attributes",
    "taxonomy_terms": "taxonomy_terms",
    "taxonomy_term": "taxonomy_terms",
}
"""Resource names in the canonical HSDS package (plural) and the UK profile's (singular)."""


def _read_datapackage(path: Path, limits: Limits) -> Feed:
    """Services joined from the package's CSV files on their `id` foreign keys."""
    package = parse_json(_read_bytes(path, limits), str(path))
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise ImportRefused(f"{path}: a datapackage.json needs a 'resources' list.")
    tables: dict[str, list[dict[str, Any]]] = {}
    for resource in package["resources"]:
        if not isinstance(resource, dict):
            continue
        name = _TABLES.get(str(resource.get("name", "")))
        if name is not None and isinstance(resource.get("path"), str):
            tables[name] = _csv_rows(path.parent, resource["path"], limits)
    if "services" not in tables:
        raise ImportRefused(f"{path}: the package has no 'services' resource.")
    services = [_join_service(row, tables) for row in tables["services"]]
    _refuse_repeats([_id(service, str(path)) for service in services], str(path))
    licences = package.get("licenses") or []
    licence = licences[0].get("name") if licences and isinstance(licences[0], dict) else None
    return Feed(
        source=str(path.resolve()),
        services=services,
        envelope="datapackage",
        licence=_short(licence),
        version=_short(package.get("version")),
        profile=_short(package.get("profile")),
    )


def _csv_rows(folder: Path, relative: str, limits: Limits) -> list[dict[str, Any]]:
    target = (folder / relative).resolve()
    if "://" in relative or not target.is_relative_to(folder.resolve()):
        raise ImportRefused(
            f"{folder / 'datapackage.json'}: the resource path '{relative}' is outside the "
            "package's folder; only files beside datapackage.json are read."
        )
    if not target.is_file():
        raise ImportRefused(f"{target}: the package names this file, but it is not there.")
    text = _read_bytes(target, limits).decode("utf-8-sig", "replace")
    rows = csv.DictReader(text.splitlines())
    return [{key: (value or None) for key, value in row.items() if key} for row in rows]


def _by(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get(key):
            grouped.setdefault(str(row[key]), []).append(row)
    return grouped


def _join_service(row: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """One nested service, as `/services/{id}` would give it, from the flat tables."""
    sid = str(row.get("id"))
    service = dict(row)
    for table in ("phones", "contacts", "schedules", "service_areas", "cost_options", "languages"):
        service[table] = _by(tables.get(table, []), "service_id").get(sid, [])
    organizations = {str(org["id"]): dict(org) for org in tables.get("organizations", [])}
    org = organizations.get(str(row.get("organization_id")))
    if org is not None:
        identifiers = _by(tables.get("organization_identifiers", []), "organization_id")
        org["organization_identifiers"] = identifiers.get(str(org["id"]), [])
        service["organization"] = org
    locations = {str(loc["id"]): dict(loc) for loc in tables.get("locations", [])}
    addresses = _by(tables.get("addresses", []), "location_id")
    service["service_at_locations"] = []
    for link in _by(tables.get("service_at_locations", []), "service_id").get(sid, []):
        location = locations.get(str(link.get("location_id")), {})
        location = {**location, "addresses": addresses.get(str(location.get("id")), [])}
        service["service_at_locations"].append({**link, "location": location})
    terms = {str(term["id"]): term for term in tables.get("taxonomy_terms", [])}
    service["attributes"] = [
        {**attribute, "taxonomy_term": terms.get(str(attribute.get("taxonomy_term_id")), {})}
        for attribute in _by(tables.get("attributes", []), "link_id").get(sid, [])
    ]
    return service


# --- Small helpers ----------------------------------------------------------------------


def _id(item: Any, where: str) -> str:
    value = item.get("id") if isinstance(item, dict) else None
    if value is None or isinstance(value, (dict, list, bool)) or not str(value).strip():
        raise ImportRefused(f"{where}: a service has no 'id'; every service needs one.")
    text = str(value).strip()
    if len(text) > 200:
        raise ImportRefused(f"{where}: a service id is {len(text)} characters long; refused.")
    return text


def _count(value: Any) -> int:
    """Total pages as declared; 0 when not said (then the walk stops at an empty or last page)."""
    return value if isinstance(value, int) and value > 0 else 0


def _short(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip()[:300] or None
