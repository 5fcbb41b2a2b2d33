"""Is a feed one the ORUK validator would pass? The same checks, run here, offline.

Two layers, so a council finds out before it registers the feed:

- **Schemas**: every body is validated against the vendored ORUK 3.0 JSON
  schemas (and, for full services, the HSDS 3.0 ones too, which still carry
  the phones, wait times and eligibility text the UK profile drops). `$ref`s
  resolve inside `navigator/interop/schemas/` through `referencing`: nothing
  is fetched. Formats the validator relies on (uuid, uri, email, date-time)
  are checked, not just types.
- **The validator's rules** (`tpximpact/OpenReferralApi`, summarised in
  open-data.md §1.4): `/`, `/services` and `/services/{id}` are required
  (a failure there fails the feed); the list is fetched on its first, a
  middle and its last page and each envelope checked; ids from the list are
  fetched one by one; optional endpoints only warn; CORS must be `*`.

`check_feed` takes a `fetch(path)` function, so the same rules run against a
live server (over HTTP) and against exported files (`static_fetch`).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
ORUK_SCHEMATA = SCHEMAS / "oruk_3_0" / "schemata"
HSDS_SCHEMA = SCHEMAS / "hsds_3_0" / "schema"
HSDS_DATAPACKAGE = SCHEMAS / "hsds_3_0" / "datapackage.json"
BASE = "https://schemas.navigator.invalid/"
"""Where the vendored files are registered: a name that can never be fetched."""

ENVELOPE = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}

Fetch = Callable[[str], "Response"]


@dataclass(frozen=True)
class Response:
    """What a fetch returned: status, headers (lower-case names) and the parsed body."""

    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class Report:
    """Errors fail the feed (as the ORUK validator fails it); warnings do not."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: int = 0
    """How many responses were fetched and checked."""

    @property
    def passed(self) -> bool:
        return not self.errors


def _format_checker() -> Any:
    """jsonschema's format checker, with uri and date-time checked without extra packages."""
    from jsonschema import FormatChecker

    checker = FormatChecker()

    def is_uuid(value: object) -> bool:
        return not isinstance(value, str) or str(uuid.UUID(value)) == value.lower()

    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and (parts.netloc or parts.scheme in {"mailto", "urn", "tel"}))

    def is_date_time(value: object) -> bool:
        if isinstance(value, str):
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    checker.checks("uuid", raises=ValueError)(is_uuid)
    checker.checks("uri")(is_uri)
    checker.checks("date-time", raises=ValueError)(is_date_time)
    return checker


@cache
def _registry() -> Any:
    """Every vendored schema, registered under BASE so relative `$ref`s stay local."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    for folder, prefix in ((ORUK_SCHEMATA, "oruk/"), (HSDS_SCHEMA, "hsds/")):
        for path in sorted(folder.glob("*.json")):
            contents = json.loads(path.read_text(encoding="utf-8"))
            resource = Resource.from_contents(contents, default_specification=DRAFT202012)
            resources.append((f"{BASE}{prefix}{path.name}", resource))
    return Registry().with_resources(resources)


@cache
def _validator(standard: str, name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        {"$ref": f"{BASE}{standard}/{name}.json"},
        registry=_registry(),
        format_checker=_format_checker(),
    )


def schema_errors(body: Any, name: str, *, standard: str = "oruk", where: str = "") -> list[str]:
    """Why `body` fails the `name` schema ("service", "taxonomy", ...), one line each."""
    validator = _validator(standard, name)
    problems = []
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(part) for part in error.absolute_path) or "(top)"
        problems.append(
            f"{where or name}: {standard.upper()} {name} schema, at {path}: {error.message}"
        )
    return problems


def envelope_errors(body: Any, where: str, *, page: int | None = None) -> list[str]:
    """The ORUK 3.0 `Page` envelope: every field, right types, and numbers that agree."""
    if not isinstance(body, dict):
        return [f"{where}: a list page must be a JSON object with the ORUK 3.0 envelope"]
    problems = [
        f"{where}: envelope field '{name}' is missing or not a {kind.__name__}"
        for name, kind in ENVELOPE.items()
        if not isinstance(body.get(name), kind)
        or (kind is int and isinstance(body.get(name), bool))
    ]
    if problems:
        return problems
    per_page, total = body["size"], body["total_items"]
    expected_pages = max(1, -(-total // per_page)) if per_page > 0 else None
    number, contents = body["page_number"], body["contents"]
    checks = [
        (per_page > 0, "size must be at least 1"),
        (
            expected_pages is None or body["total_pages"] == expected_pages,
            f"total_pages {body['total_pages']} does not match {total} items of {per_page}",
        ),
        (page is None or number == page, f"page_number {number} but page {page} was asked for"),
        (body["first_page"] == (number == 1), "first_page does not match page_number"),
        (body["last_page"] == (number >= body["total_pages"]), "last_page is wrong"),
        (body["empty"] == (not contents), "empty does not match contents"),
        (len(contents) <= per_page, "more items than size"),
    ]
    return [f"{where}: {message}" for ok, message in checks if not ok]


def check_feed(fetch: Fetch, *, check_cors: bool = True) -> Report:
    """Run the ORUK validator's rules against a feed reached through `fetch(path)`."""
    report = Report()
    root = _get(fetch, "/", report, required=True, cors=check_cors)
    if root is not None:
        report.errors += schema_errors_root(root.body)
    service_ids = _check_list(fetch, "/services", "service", report, required=True)
    if not service_ids:
        report.errors.append("/services: NO_IDS_AVAILABLE, so /services/{id} cannot be tested")
    for service_id in service_ids:
        got = _get(fetch, f"/services/{service_id}", report, required=True, cors=False)
        if got is not None:
            report.errors += schema_errors(got.body, "service", where=f"/services/{service_id}")
            report.errors += schema_errors(
                got.body, "service", standard="hsds", where=f"/services/{service_id}"
            )
    document = _get(fetch, "/openapi.json", report, required=False, cors=False)
    if document is not None:
        report.errors += openapi_errors(document.body)
    for path, name in (
        ("/service_at_locations", "service_at_location"),
        ("/taxonomies", "taxonomy"),
        ("/taxonomy_terms", "taxonomy_term"),
    ):
        for item_id in _check_list(fetch, path, name, report, required=False):
            got = _get(fetch, f"{path}/{item_id}", report, required=False, cors=False)
            if got is not None:
                report.warnings += schema_errors(got.body, name, where=f"{path}/{item_id}")
    return report


def schema_errors_root(body: Any) -> list[str]:
    """`GET /`: an object with `version`, `profile` (a URI) and, if given, `openapi_url`."""
    if not isinstance(body, dict):
        return ["/: must be a JSON object with version and profile"]
    problems = [f"/: '{name}' is missing" for name in ("version", "profile") if not body.get(name)]
    for name in ("profile", "openapi_url"):
        value = body.get(name)
        if value is not None and not _format_checker().conforms(value, "uri"):
            problems.append(f"/: '{name}' is not a URI: {value!r}")
    return problems


def openapi_errors(body: Any) -> list[str]:
    """The validator's checks of the OpenAPI document a feed points to (its error codes)."""
    if not isinstance(body, dict):
        return ["/openapi.json: not a JSON object"]
    info: dict[str, Any] = body["info"] if isinstance(body.get("info"), dict) else {}
    paths: dict[str, Any] = body["paths"] if isinstance(body.get("paths"), dict) else {}
    checks = [
        (isinstance(body.get("openapi"), str), "MISSING_OPENAPI_VERSION"),
        (str(body.get("openapi", "3")).startswith("3."), "UNSUPPORTED_SCHEMA_VERSION"),
        (bool(info), "MISSING_INFO"),
        (bool(info.get("title")), "MISSING_TITLE"),
        (bool(info.get("version")), "MISSING_VERSION"),
        ("paths" in body, "MISSING_PATHS"),
        (any(isinstance(p, dict) and "get" in p for p in paths.values()), "NO_ENDPOINTS"),
    ]
    return [f"/openapi.json: {code}" for ok, code in checks if not ok]


def _check_list(fetch: Fetch, path: str, name: str, report: Report, *, required: bool) -> list[str]:
    """First, middle and last page, as the validator walks them; the ids seen."""
    problems = report.errors if required else report.warnings
    first = _get(fetch, f"{path}?page=1", report, required=required, cors=False)
    if first is None:
        return []
    problems += envelope_errors(first.body, f"{path}?page=1", page=1)
    if not isinstance(first.body, dict) or not isinstance(first.body.get("total_pages"), int):
        return []
    last = max(1, first.body["total_pages"])
    ids: list[str] = []
    for page in sorted({1, (last + 1) // 2, last}):
        got = (
            first
            if page == 1
            else _get(fetch, f"{path}?page={page}", report, required=required, cors=False)
        )
        if got is None:
            continue
        where = f"{path}?page={page}"
        if page != 1:
            problems += envelope_errors(got.body, where, page=page)
        contents = got.body.get("contents", []) if isinstance(got.body, dict) else []
        if not contents:
            report.warnings.append(f"{where}: EMPTY_FEED_WARNING, the list has no items")
        for index, item in enumerate(contents):
            problems += schema_errors(item, name, where=f"{where} contents/{index}")
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.append(item["id"])
    return ids


def _get(fetch: Fetch, path: str, report: Report, *, required: bool, cors: bool) -> Response | None:
    report.checked += 1
    got = fetch(path)
    if not 200 <= got.status < 300:
        if required:
            report.errors.append(f"{path}: REQUIRED_ENDPOINT_FAILED (status {got.status})")
        else:
            report.warnings.append(f"{path}: OPTIONAL_ENDPOINT_NON_SUCCESS (status {got.status})")
        return None
    if cors and got.headers.get("access-control-allow-origin") != "*":
        report.errors.append(f"{path}: must send Access-Control-Allow-Origin: *")
    return got


def static_fetch(folder: Path) -> Fetch:
    """An export folder read as the API: `/services?page=2` is `services/page-2.json`."""

    def fetch(path: str) -> Response:
        route, _, query = path.partition("?")
        page = query.removeprefix("page=") if query.startswith("page=") else None
        parts = [part for part in route.split("/") if part]
        if not parts:
            file = folder / "index.json"
        elif parts[-1].endswith(".json"):
            file = folder.joinpath(*parts)
        elif page is not None:
            file = folder.joinpath(*parts, f"page-{page}.json")
        else:
            file = folder.joinpath(*parts[:-1], parts[-1] + ".json")
        if not file.is_file():
            return Response(404, {}, None)
        return Response(200, {}, json.loads(file.read_text(encoding="utf-8")))

    return fetch


def datapackage_errors(descriptor: Path) -> list[str]:
    """Frictionless's findings for a Tabular Data Package (types, keys, foreign keys)."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
    return [
        f"{task.name}: {error.title}: {error.message}"
        for task in report.tasks
        for error in task.errors
    ] + [f"datapackage.json: {error.message}" for error in report.errors]


def walk_json(folder: Path) -> Iterator[Path]:
    """Every JSON file of an export's API part (not the tabular part)."""
    yield from sorted(p for p in folder.rglob("*.json") if "tabular" not in p.parts)
