"""What one browser may ask of `navigator serve`, and the checks that hold it to that.

Every browser tab starts a whole app process (about 50 MB), so an open
websocket is an expensive thing to hand out. These are the limits, kept
apart from the server so each can be tested on its own: which pages may open
a socket (Origin), how many app processes run, how large a terminal may be,
and how much typing a socket may send. docs/kiosk.md says why each is set
where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

Origin = tuple[str, str, int]
"""(scheme, host, port), the default port filled in."""

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True)
class ServeLimits:
    """The limits one `navigator serve` enforces (the first two are settings)."""

    sessions: int = 20
    """App processes running at once, for everybody."""
    sessions_per_client: int = 4
    """App processes running at once for one client address (a few tabs, not a flood)."""
    max_columns: int = 400
    """Wider than any screen shows at a readable size (a 4K screen at 10 px a cell is 384)."""
    max_rows: int = 150
    """Taller than any screen shows at a readable size (2160 px at 15 px a row is 144)."""
    max_message_bytes: int = 64 * 1024
    """One websocket message; a long paste is a few kilobytes."""
    input_bytes_per_second: float = 4096.0
    """Sustained typing a socket may send: far above anyone typing or dictating."""
    input_burst_bytes: float = 16 * 1024.0
    """Typing a socket may send at once (a paste), before the sustained rate applies."""
    stop_grace_seconds: float = 5.0
    """How long an app has to finish after its socket closes before it is killed."""


def clamp_size(width: object, height: object, limits: ServeLimits) -> tuple[int, int]:
    """A terminal size a screen can show, from whatever the browser sent.

    Anything that is not a whole number becomes the classic 80x24; anything
    else is held between 20x10 (the smallest the app can lay out) and the
    limits, so a resize to 20000x5000 costs no more than a large screen.
    """
    columns = _whole(width, 80)
    rows = _whole(height, 24)
    return min(max(columns, 20), limits.max_columns), min(max(rows, 10), limits.max_rows)


def _whole(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 8:
        return int(value)
    return default


def origin_allowed(origin: str | None, host: str | None, allowed: frozenset[Origin]) -> bool:
    """True when the page that opened a socket was served by this server (or one allowed).

    A browser always sends `Origin` with a websocket; another website's page
    sends its own. The origin must name the same host and port as the
    request's `Host` (a TLS proxy that passes `Host` on keeps that true), or be
    one of `allowed` (the public URL, and any added with --allowed-origin).
    A request without an Origin did not come from a browser page and is refused.
    """
    if not origin or origin == "null":
        return False
    normal = normal_origin(origin)
    if normal is None:
        return False
    if normal in allowed:
        return True
    if not host:
        return False
    scheme, origin_host, origin_port = normal
    host_name, _, host_port = host.rpartition(":") if _has_port(host) else (host, "", "")
    if host_name.lower().strip("[]") != origin_host:
        return False
    if host_port:
        return host_port.isdigit() and int(host_port) == origin_port
    return origin_port == DEFAULT_PORTS.get(scheme)


def _has_port(host: str) -> bool:
    """'example.org:8000' and '[::1]:8000' have a port; 'example.org' and '[::1]' do not."""
    return host.rsplit("]", 1)[-1].count(":") == 1


def normal_origin(url: str) -> Origin | None:
    """(scheme, host, port) of an origin or URL, with the default port filled in."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


class InputBudget:
    """A token bucket for one socket's typing: a burst at once, then a steady rate.

    Input beyond the budget is dropped, not queued, so a script that sends
    megabytes of keys costs the app process nothing after the first burst.
    The clock is passed in, so tests choose the time instead of sleeping.
    """

    def __init__(self, limits: ServeLimits, now: float) -> None:
        self.rate = limits.input_bytes_per_second
        self.capacity = limits.input_burst_bytes
        self.tokens = self.capacity
        self.updated = now

    def take(self, size: int, now: float) -> bool:
        """Spend `size` bytes of budget if there is that much; True when the input may pass."""
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = now
        if size > self.tokens:
            return False
        self.tokens -= size
        return True


class SessionCounter:
    """App processes running now, in all and per client address, against the limits."""

    def __init__(self, limits: ServeLimits) -> None:
        self.limits = limits
        self.by_client: dict[str, int] = {}

    @property
    def total(self) -> int:
        return sum(self.by_client.values())

    def admit(self, client: str) -> bool:
        """Count one more session for `client` if the limits allow it."""
        if self.total >= self.limits.sessions:
            return False
        if self.by_client.get(client, 0) >= self.limits.sessions_per_client:
            return False
        self.by_client[client] = self.by_client.get(client, 0) + 1
        return True

    def release(self, client: str) -> None:
        """One of `client`'s sessions has ended."""
        left = self.by_client.get(client, 0) - 1
        if left > 0:
            self.by_client[client] = left
        else:
            self.by_client.pop(client, None)
