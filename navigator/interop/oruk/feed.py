"""`navigator serve-feed`: the feed as a read-only ORUK 3.0 API (Starlette, served by uvicorn).

Why Starlette and uvicorn: both are maintained by the Encode team, released
often, typed, and small (Starlette is pure Python with no dependency but
anyio; uvicorn's pure-Python h11 mode needs no compiler). A read-only feed
needs routing, query parameters, JSON and CORS, and Starlette gives exactly
those without an ORM, templates or a schema framework to keep up to date.

Everything is built once at start-up from the knowledge base (`build_feed`);
a request only filters and slices lists and encodes JSON, so the feed holds
hundreds of requests a second on a small machine (tests/bench/bench_feed.py).
Full services are encoded once and kept as bytes, and each list answer is
kept after it is first made (up to MAX_REMEMBERED_BYTES), since the feed cannot
change while it is served: restart it to publish an edited knowledge base.

Endpoints (ORUK 3.0 OpenAPI, vendored in navigator/interop/schemas/oruk_3_0):
`/`, `/services` (`search`, `page`, `per_page`, `taxonomy_term_id`,
`taxonomy_id`, `minimum_age`, `maximum_age`, `start_time`, `end_time`,
`day`), `/services/{id}`, `/service_at_locations` (the same, plus
`postcode`), `/taxonomies`, `/taxonomy_terms`, `/organizations`, each with
`/{id}`, and `/openapi.json`. Every response carries
`Access-Control-Allow-Origin: *`; only GET, HEAD and OPTIONS are allowed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from navigator.interop.oruk.conformance import SCHEMAS
from navigator.interop.oruk.to_oruk import DAY_CODES, JSON, Feed, pages

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
MAX_REMEMBERED_BYTES = 16 * 1024 * 1024
"""List answers kept, in bytes of JSON: a feed is read far more often than it changes."""
KNOWN = frozenset(
    [
        "page",
        "per_page",
        "search",
        "taxonomy_term_id",
        "taxonomy_id",
        "minimum_age",
        "maximum_age",
        "start_time",
        "end_time",
        "day",
        "postcode",
        "proximity",
    ]
)
"""The parameters that change an answer; others (cache-busters) do not make a new one."""
TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9])?(Z|[+-][0-9]{2}:?[0-9]{2})?$")
DAY = re.compile(r"^[+-]?[0-9]?(MO|TU|WE|TH|FR|SA|SU)$", re.IGNORECASE)
POSTCODE_DISTRICT = re.compile(r"^\s*([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})?\s*$", re.I)


class BadQuery(ValueError):
    """A query parameter that cannot be used; the message says which and why."""


def _json(body: Any, status: int = 200) -> Response:
    return Response(_encode(body), status_code=status, media_type="application/json")


def _encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery(f"'{name}' must be a whole number, not {raw[:20]!r}") from None
    if not low <= value <= high:
        raise BadQuery(f"'{name}' must be from {low} to {high}")
    return value


def _number(request: Request, name: str) -> float | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise BadQuery(f"'{name}' must be a number, not {raw[:20]!r}") from None


@dataclass(frozen=True)
class Index:
    """What the filters need for each service, worked out once."""

    text: dict[str, str]
    terms: dict[str, frozenset[str]]
    taxonomies: dict[str, frozenset[str]]
    districts: dict[str, frozenset[str] | None]
    """Postcode districts a service covers; None means the whole place."""

    @classmethod
    def of(cls, feed: Feed) -> Index:
        text, terms, taxonomies, districts = {}, {}, {}, {}
        for service_id, service in feed.services.items():
            text[service_id] = f"{service['name']} {service.get('description', '')}".casefold()
            attributes = service.get("attributes", [])
            terms[service_id] = frozenset(a["taxonomy_term_id"] for a in attributes)
            taxonomies[service_id] = frozenset(
                a["taxonomy_term"].get("taxonomy_id", "") for a in attributes
            )
            areas = [a.get("service_area", "") for a in service.get("service_areas", [])]
            everywhere = not areas or any(not POSTCODE_DISTRICT.match(a) for a in areas)
            districts[service_id] = None if everywhere else frozenset(a.upper() for a in areas)
        return cls(text, terms, taxonomies, districts)


def service_filter(request: Request, index: Index, feed: Feed) -> Callable[[str], bool]:
    """A test of a service id for the documented `/services` filters in `request`.

    `day`, `start_time` and `end_time` keep services with an opening on that
    day that starts at or after `start_time` and ends by `end_time` (UK local
    time), read from hours in the forms the app reads for "Open now"; a
    service whose hours are only words ("School term times") cannot be shown
    to match, so it is left out while any of them is given. Navigator's
    services have no age limits as numbers, so every service is open to every
    age, and `minimum_age`/`maximum_age` are checked for form and keep them all.
    """
    query = request.query_params
    search = (query.get("search") or "").casefold().split()
    term = query.get("taxonomy_term_id") or None
    taxonomy = query.get("taxonomy_id") or None
    for name in ("minimum_age", "maximum_age"):
        _number(request, name)
    starts, ends = _time(request, "start_time"), _time(request, "end_time")
    day = query.get("day")
    found_day = DAY.match(day) if day else None
    if day and found_day is None:
        raise BadQuery(f"'day' must be MO, TU, WE, TH, FR, SA or SU, not {day[:20]!r}")
    weekday = DAY_CODES.index(found_day.group(1).upper()) if found_day else None
    timed = weekday is not None or starts is not None or ends is not None

    def open_then(service_id: str) -> bool:
        return any(
            (weekday is None or opening.day == weekday)
            and (starts is None or opening.opens >= starts)
            and (ends is None or opening.closes <= ends)
            for opening in feed.openings.get(service_id, ())
        )

    def keep(service_id: str) -> bool:
        if search and not all(word in index.text[service_id] for word in search):
            return False
        if term and term not in index.terms[service_id]:
            return False
        if taxonomy and taxonomy not in index.taxonomies[service_id]:
            return False
        return not timed or open_then(service_id)

    return keep


def _time(request: Request, name: str) -> int | None:
    """A `start_time`/`end_time` as minutes after midnight (UK local time)."""
    value = request.query_params.get(name)
    if not value:
        return None
    match = TIME.match(value)
    if match is None:
        raise BadQuery(f"'{name}' must be a time such as 09:30, not {value[:20]!r}")
    return int(match.group(1)) * 60 + int(match.group(2))


def build_app(feed: Feed) -> Starlette:
    """The ASGI application serving `feed`."""
    index = Index.of(feed)
    full = {service_id: _encode(body) for service_id, body in feed.services.items()}
    shallow = {service_id: feed.service_list_item(service_id) for service_id in feed.services}
    openapi = (SCHEMAS / "oruk_3_0" / "openapi.json").read_bytes()

    def page_of(request: Request, items: Sequence[JSON]) -> Response:
        page = _int(request, "page", 1, 1, 1_000_000)
        per_page = _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
        return _json(pages(items, page, per_page))

    async def root(request: Request) -> Response:
        body = dict(feed.root)
        body.setdefault("openapi_url", str(request.url_for("openapi")))
        return _json(body)

    async def openapi_document(request: Request) -> Response:
        return Response(openapi, media_type="application/json")

    answered: dict[tuple[str, tuple[tuple[str, str], ...]], bytes] = {}
    """List answers' bodies by path and known parameters: the feed never changes.

    Bodies, not responses: a response's headers are changed in place by the
    CORS middleware as it is sent, so each request gets a fresh one."""

    def remembered(request: Request, answer: Callable[[], Response]) -> Response:
        params = tuple(sorted(p for p in request.query_params.multi_items() if p[0] in KNOWN))
        key = (request.url.path, params)
        body = answered.get(key)
        if body is None:
            body = bytes(answer().body)
            if sum(map(len, answered.values())) + len(body) <= MAX_REMEMBERED_BYTES:
                answered[key] = body
        return Response(body, media_type="application/json")

    async def services(request: Request) -> Response:
        def answer() -> Response:
            keep = service_filter(request, index, feed)
            return page_of(request, [shallow[i] for i in feed.services if keep(i)])

        return remembered(request, answer)

    async def service(request: Request) -> Response:
        body = full.get(request.path_params["id"])
        if body is None:
            return _json({"detail": "No service has that id."}, 404)
        return Response(body, media_type="application/json")

    async def service_at_locations(request: Request) -> Response:
        def answer() -> Response:
            keep = service_filter(request, index, feed)
            district = _district(request.query_params.get("postcode"))
            if request.query_params.get("proximity") and district is None:
                raise BadQuery("'proximity' needs a 'postcode'")
            items = [
                sal
                for sal in feed.service_at_locations.values()
                if keep(sal["service_id"]) and _covers(index, sal["service_id"], district)
            ]
            return page_of(request, items)

        return remembered(request, answer)

    def listing(items: dict[str, JSON]) -> Callable[[Request], Any]:
        values = list(items.values())

        async def handler(request: Request) -> Response:
            return page_of(request, values)

        return handler

    def by_id(items: dict[str, JSON], what: str) -> Callable[[Request], Any]:
        async def handler(request: Request) -> Response:
            body = items.get(request.path_params["id"])
            if body is None:
                return _json({"detail": f"No {what} has that id."}, 404)
            return _json(body)

        return handler

    async def bad_query(request: Request, problem: Exception) -> Response:
        return _json({"detail": str(problem)}, 400)

    routes = [
        Route("/", root),
        Route("/openapi.json", openapi_document, name="openapi"),
        Route("/services", services),
        Route("/services/{id}", service),
        Route("/service_at_locations", service_at_locations),
        Route(
            "/service_at_locations/{id}",
            by_id(feed.service_at_locations, "service at location"),
        ),
        Route("/taxonomies", listing(feed.taxonomies)),
        Route("/taxonomies/{id}", by_id(feed.taxonomies, "taxonomy")),
        Route("/taxonomy_terms", listing(feed.taxonomy_terms)),
        Route("/taxonomy_terms/{id}", by_id(feed.taxonomy_terms, "taxonomy term")),
        Route("/organizations", listing(feed.organizations)),
        Route("/organizations/{id}", by_id(feed.organizations, "organization")),
    ]
    middleware = [
        Middleware(AnyOrigin),
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"]),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={BadQuery: bad_query},
    )


class AnyOrigin:
    """Adds `Access-Control-Allow-Origin: *` to every response, asked for by a browser or not.

    Starlette's CORS middleware answers preflights but adds the header only when
    the request names an Origin; ORUK's compliance page asks for it always
    (the validator and curl send none).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_origin(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["access-control-allow-origin"] = "*"
            await send(message)

        await self.app(scope, receive, send_with_origin)


def _district(postcode: str | None) -> str | None:
    if not postcode:
        return None
    match = POSTCODE_DISTRICT.match(postcode)
    if match is None:
        raise BadQuery(f"'postcode' must be a UK postcode or district, not {postcode[:20]!r}")
    return match.group(1).upper()


def _covers(index: Index, service_id: str, district: str | None) -> bool:
    covered = index.districts[service_id]
    return district is None or covered is None or district in covered


def serve(feed: Feed, host: str, port: int) -> None:
    """Run the feed until interrupted (uvicorn, one process, HTTP/1.1 through h11)."""
    import uvicorn

    uvicorn.run(build_app(feed), host=host, port=port, log_level="warning", http="h11")
