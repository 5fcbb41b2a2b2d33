"""Fixture ORUK feeds served by a real HTTP server on 127.0.0.1, shaped like the real ones.

Shapes follow the ORUK 3.0 OpenAPI (`contents`, `total_items`, `total_pages`...,
nested `/services/{id}`), ORUK 1.0 (`content`, `totalElements`, `totalPages`,
`regular_schedules`, `physical_addresses`, `eligibilitys`, `service_taxonomys`),
and the faults seen in live feeds: Shropshire ignores `per_page`, `search` and
`modified_after`; Bristol's ids are often not UUIDs and its text has mojibake;
DfE's test data has HTML and script in descriptions; Pennine Lancs went dark
half-way through a year. Each feed lives under its own path prefix
(`http://127.0.0.1:PORT/<feed>/`), and every request is logged.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")


def uid(text: str) -> str:
    return str(uuid.uuid5(NAMESPACE, text))


def v3_service(number: int, **changes: Any) -> dict[str, Any]:
    """A fully nested ORUK 3.0 service, with the HSDS extras the profile drops."""
    sid = uid(f"service-{number}")
    service: dict[str, Any] = {
        "id": sid,
        "name": f"Riverside Carers Group {number}",
        "description": "A weekly group for unpaid carers. Tea, advice and a friendly ear.",
        "url": f"https://riverside.example.org/{number}",
        "email": "hello@riverside.example.org",
        "status": "active",
        "minimum_age": 18,
        "assured_date": "2026-10-01",
        "assurer_email": "directory@shire.example.gov.uk",
        "last_modified": "2026-11-20T10:15:00.000Z",
        "wait_time": "About two weeks",
        "eligibility_description": "Adults caring for a family member or friend.",
        "application_process": "Phone or just turn up.",
        "organization": {
            "id": uid(f"org-{number}"),
            "name": "Riverside Carers Trust",
            "description": "A local charity.",
            "organization_identifiers": [
                {
                    "id": uid(f"orgid-{number}"),
                    "identifier_scheme": "GB-CHC",
                    "identifier_type": "Charity number",
                    "identifier": "1234567",
                }
            ],
        },
        "phones": [{"id": uid(f"phone-{number}"), "number": "+44 1632 960200"}],
        "contacts": [
            {
                "id": uid(f"contact-{number}"),
                "name": "Front desk",
                "phones": [{"id": uid(f"cphone-{number}"), "number": "01632960201"}],
            }
        ],
        "schedules": [
            {
                "id": uid(f"sched-{number}"),
                "freq": "WEEKLY",
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": "09:00Z",
                "closes_at": "17:00Z",
                "dtstart": "2026-01-05",
            },
            {
                "id": uid(f"sched-sat-{number}"),
                "freq": "WEEKLY",
                "byday": "SA",
                "opens_at": "10:00",
                "closes_at": "13:00",
            },
            {
                "id": uid(f"sched-month-{number}"),
                "freq": "MONTHLY",
                "byday": "2MO",
                "opens_at": "18:00",
                "closes_at": "20:00",
            },
        ],
        "service_areas": [
            {"id": uid(f"area-{number}"), "name": "NB1, NB2"},
            {"id": uid(f"area2-{number}"), "name": "Shropshire", "extent_type": "text"},
        ],
        "cost_options": [
            {"id": uid(f"cost-{number}"), "option": "Drop-in session", "amount": 0},
            {
                "id": uid(f"cost2-{number}"),
                "option": "Day trip",
                "amount": 12.5,
                "amount_description": "includes lunch",
            },
        ],
        "languages": [{"id": uid(f"lang-{number}"), "code": "en"}, {"id": uid("cy"), "code": "cy"}],
        "attributes": [
            {
                "id": uid(f"attr-{number}"),
                "link_type": "service_type",
                "taxonomy_term": {
                    "id": uid("term-298"),
                    "name": "Carers support groups",
                    "term_uri": "http://id.esd.org.uk/service/298",
                },
            }
        ],
        "service_at_locations": [
            {
                "id": uid(f"sal-{number}"),
                "location": {
                    "id": uid(f"loc-{number}"),
                    "location_type": "physical",
                    "name": "Riverside Hall",
                    "addresses": [
                        {
                            "id": uid(f"addr-{number}"),
                            "address_1": f"{number} River Street",
                            "city": "Northbrook",
                            "state_province": "Northshire",
                            "postal_code": "nb1 3ef",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
    }
    service.update(changes)
    return service


def v1_service(number: int) -> dict[str, Any]:
    """An ORUK 1.0 service as Placecube and Outpost feeds give it (non-UUID ids)."""
    return {
        "id": f"bristol-{number}",
        "name": f"Harbour Food Bank {number}",
        "description": "Emergency food parcels.",
        "url": "https://harbour.example.org",
        "email": "food@harbour.example.org",
        "status": "active",
        "fees": "Free",
        "organization": {"id": f"org-{number}", "name": "Harbour Trust"},
        "eligibilitys": [
            {"id": f"el-{number}", "eligibility": "A referral voucher", "minimum_age": "16"}
        ],
        "regular_schedules": [
            {"id": f"rs-{number}", "weekday": "Tuesday", "opens_at": "10:00", "closes_at": "12:30"},
            {"id": f"rs2-{number}", "weekday": 4, "opens_at": "10:00", "closes_at": "12:30"},
        ],
        "service_taxonomys": [
            {"id": f"st-{number}", "taxonomy": {"id": "x", "name": "Food banks", "vocabulary": "x"}}
        ],
        "service_areas": [{"id": f"sa-{number}", "service_area": "NB4"}],
        "service_at_locations": [
            {
                "id": f"sal-{number}",
                "location": {
                    "id": f"loc-{number}",
                    "name": "Harbour Hall",
                    "physical_addresses": [
                        {
                            "id": "p",
                            "address_1": "1 Quay",
                            "city": "Northbrook",
                            "postal_code": "NB4 1AA",
                        }
                    ],
                },
            }
        ],
        "contacts": [
            {"id": f"c-{number}", "name": "Desk", "phones": [{"number": "0117 496 0000"}]}
        ],
    }


def shallow(service: dict[str, Any]) -> dict[str, Any]:
    """What a list page gives: no locations, areas or taxonomy (lists are shallow)."""
    keep = ("id", "name", "description", "status", "url", "email")
    return {key: service[key] for key in keep if key in service}


@dataclass
class Feed:
    """One fixture feed: its services and how it misbehaves."""

    services: list[dict[str, Any]]
    version: str = "v3"
    page_size: int = 3
    """The feed's own page size: it ignores `per_page`, as Shropshire's does."""
    root: dict[str, Any] | None = field(
        default_factory=lambda: {
            "version": "HSDS-UK-3.0",
            "profile": "https://path/to/profile",
            "openapi_url": "https://example.org/openapi.json",
        }
    )
    fail_details_after: int | None = None
    """Answer 500 to `/services/{id}` for every service after this many: fails half-way."""
    fault: str | None = None
    """'html', 'huge', 'slow', 'loop': how the list endpoint misbehaves."""
    detail_overrides: dict[str, Any] = field(default_factory=dict)
    ignore_page: bool = False
    """Give page 1 whatever page is asked for, as a feed that ignores its parameters might."""


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 serving `feeds` by path prefix; logs every request."""

    def __init__(self) -> None:
        self.feeds: dict[str, Feed] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(self.path)
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, feed: str) -> str:
        return f"{self.base}/{feed}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def details_fetched(self, feed: str) -> list[str]:
        prefix = f"/{feed}/services/"
        return [path for path in self.requests if path.startswith(prefix)]

    # --- answering ----------------------------------------------------------------

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        parsed = urllib.parse.urlsplit(handler.path)
        parts = parsed.path.strip("/").split("/")
        feed = self.feeds.get(parts[0])
        if feed is None:
            return _send(handler, 404, {"error": "no such feed"})
        rest = parts[1:]
        query = urllib.parse.parse_qs(parsed.query)
        if not rest or rest == [""]:
            if feed.fault == "html-root":
                return _send_bytes(handler, 200, b"<html>Directory</html>", "text/html")
            if feed.root is None:
                return _send(handler, 404, {"error": "not found"})
            return _send(handler, 200, feed.root)
        if rest == ["services"] or rest == ["services2"]:
            return self._list(handler, feed, parts[0], rest[0], query)
        if rest[0] == "services" and len(rest) == 2:
            return self._detail(handler, feed, urllib.parse.unquote(rest[1]))
        return _send(handler, 404, {"error": "not found"})

    def _list(
        self,
        handler: BaseHTTPRequestHandler,
        feed: Feed,
        name: str,
        which: str,
        query: dict[str, list[str]],
    ) -> None:
        if feed.fault == "loop":
            target = "services2" if which == "services" else "services"
            handler.send_response(302)
            handler.send_header("Location", f"/{name}/{target}?page=1")
            handler.end_headers()
            return None
        if feed.fault == "html":
            body = b"<!DOCTYPE html><html><body>Service directory</body></html>"
            return _send_bytes(handler, 200, body, "text/html")
        if feed.fault == "huge":
            return _drip(handler, _endless(), pause=0)
        if feed.fault == "slow":
            return _drip(handler, (b" " for _ in range(10_000)), pause=0.2)
        page = 1 if feed.ignore_page else int(query.get("page", ["1"])[0])
        items = feed.services[(page - 1) * feed.page_size : page * feed.page_size]
        pages = max(1, -(-len(feed.services) // feed.page_size))
        listed = [shallow(item) for item in items]
        if feed.version == "v3":
            body: dict[str, Any] = {
                "total_items": len(feed.services),
                "total_pages": pages,
                "page_number": page,
                "size": len(listed),
                "first_page": page == 1,
                "last_page": page >= pages,
                "empty": not listed,
                "contents": listed,
            }
        else:
            body = {
                "totalElements": len(feed.services),
                "totalPages": pages,
                "number": page,
                "size": len(listed),
                "first": page == 1,
                "last": page >= pages,
                "content": listed,
            }
        return _send(handler, 200, body)

    def _detail(self, handler: BaseHTTPRequestHandler, feed: Feed, sid: str) -> None:
        ids = [str(service["id"]) for service in feed.services]
        if sid not in ids:
            return _send(handler, 404, {"error": "not found"})
        if feed.fail_details_after is not None and ids.index(sid) >= feed.fail_details_after:
            return _send(handler, 500, {"error": "database unavailable"})
        if sid in feed.detail_overrides:
            return _send(handler, 200, feed.detail_overrides[sid])
        return _send(handler, 200, feed.services[ids.index(sid)])


def _send(handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
    _send_bytes(handler, status, json.dumps(body).encode("utf-8"), "application/json")


def _send_bytes(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Access-Control-Allow-Origin", "*")
    handler.end_headers()
    handler.wfile.write(body)


def _endless() -> Iterator[bytes]:
    """A list page that never ends: 64 KB of services at a time, with no Content-Length."""
    yield b'{"total_items": 1, "contents": ['
    chunk = (b'{"id": "x", "name": "' + b"y" * 60 + b'"},') * 800
    while True:
        yield chunk


def _drip(handler: BaseHTTPRequestHandler, chunks: Iterator[bytes], pause: float) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    try:
        for chunk in chunks:
            handler.wfile.write(chunk)
            handler.wfile.flush()
            if pause:
                time.sleep(pause)
    except (BrokenPipeError, ConnectionResetError):
        return
