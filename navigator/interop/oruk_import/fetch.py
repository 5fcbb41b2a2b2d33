"""Fetching JSON from a feed without trusting it: byte limits, deadlines, retries, redirects.

A feed is someone else's server. It may send a 200 MB page, drip one byte a
second for ever, redirect in a circle, answer with an HTML error page, or
fall over half-way. Each of those is refused with a message that names the
URL, and nothing is written (the caller keeps the last good import).

httpx is used because it gives, in one well-kept client: separate connect
and read time-outs, a redirect limit, bodies streamed in chunks (so a page
is cut off at the byte limit rather than read whole), and one bounded
connection pool shared by the worker threads that hydrate services.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx

from navigator.interop.oruk_import.errors import ImportRefused

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one feed may ask of us. Defaults suit real feeds (pages of 50 to 500 services)."""

    page_bytes: int = 50 * MEGABYTE
    """A list page or one service bigger than this is refused, not read."""
    seconds_per_request: float = 60.0
    """A whole response (headers and body) must arrive within this, however slowly it drips."""
    connect_seconds: float = 10.0
    read_seconds: float = 20.0
    """Longest wait for the next chunk of a response."""
    retries: int = 3
    backoff_seconds: float = 0.5
    """The first wait before retrying; doubled each time."""
    max_redirects: int = 5
    concurrency: int = 4
    """Service pages fetched at once: polite to a council's server, quick enough for 5,000."""
    max_pages: int = 10_000
    max_services: int = 100_000
    max_locations: int = 1_000
    """A service with more locations than this is refused (no real service has 10,000)."""


class NotFound(ImportRefused):
    """The server answered 4xx: the address is wrong, or an optional endpoint is missing."""


class _Retry(Exception):
    """A failure worth trying again (a dropped connection, 429, a 5xx)."""


class FeedClient:
    """GETs JSON from one feed, within `Limits`. Use as a context manager."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._client = httpx.Client(
            timeout=httpx.Timeout(
                limits.read_seconds, connect=limits.connect_seconds, pool=limits.read_seconds
            ),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            limits=httpx.Limits(max_connections=limits.concurrency),
            headers={"Accept": "application/json", "User-Agent": "Navigator ORUK import"},
        )

    def __enter__(self) -> FeedClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get_json(self, url: str, params: dict[str, str] | None = None) -> Any:
        """The JSON at `url`, retried with back-off on failures that may pass."""
        wait = self.limits.backoff_seconds
        for attempt in range(self.limits.retries + 1):
            try:
                return self._once(url, params)
            except _Retry as problem:
                if attempt == self.limits.retries:
                    raise ImportRefused(
                        f"{url}: {problem} (tried {attempt + 1} times). The feed may be down; "
                        "try again later. The last good import is kept."
                    ) from None
                time.sleep(wait)
                wait *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, params: dict[str, str] | None) -> Any:
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, params=params) as response:
                if response.status_code == 429 or response.status_code >= 500:
                    raise _Retry(f"the server answered {response.status_code}")
                if response.status_code >= 400:
                    raise NotFound(
                        f"{response.url}: the server answered {response.status_code}. "
                        "Check the feed's address (the base URL, without /services)."
                    )
                body = self._body(response, started)
                where = str(response.url)
        except httpx.TooManyRedirects:
            raise ImportRefused(
                f"{url}: it redirects more than {self.limits.max_redirects} times (a redirect "
                "loop?). Ask the publisher for the feed's final address."
            ) from None
        except httpx.TimeoutException:
            raise _Retry(f"no answer within {self.limits.read_seconds:g} seconds") from None
        except httpx.TransportError as problem:
            raise _Retry(f"could not connect ({type(problem).__name__})") from None
        return parse_json(body, where)

    def _body(self, response: httpx.Response, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.page_bytes:
            raise _too_big(str(response.url), self.limits.page_bytes)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.limits.page_bytes:
                raise _too_big(str(response.url), self.limits.page_bytes)
            if time.monotonic() - started > self.limits.seconds_per_request:
                raise ImportRefused(
                    f"{response.url}: the answer was still arriving after "
                    f"{self.limits.seconds_per_request:g} seconds ({size:,} bytes so far), so it "
                    "was abandoned. The server is too slow to import from; try again later."
                )
            chunks.append(chunk)
        return b"".join(chunks)


def _too_big(url: str, limit: int) -> ImportRefused:
    return ImportRefused(
        f"{url}: the answer is bigger than {limit / MEGABYTE:g} MB, so it was not read. "
        "Feeds should page their services; check the address."
    )


def parse_json(body: bytes, where: str) -> Any:
    """JSON from bytes, or a refusal saying what came instead (an HTML page, say)."""
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as problem:
        start = body[:60].decode("utf-8", "replace").strip()
        hint = " It looks like a web page, not a feed." if start.startswith("<") else ""
        raise ImportRefused(
            f"{where}: this is not JSON ({problem}); it begins {start[:40]!r}.{hint} "
            "Give the feed's API address, a .json file or a datapackage.json."
        ) from None
