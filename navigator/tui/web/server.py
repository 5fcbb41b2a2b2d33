"""`navigator serve`: the app in a browser, one app process per tab, via textual-serve.

textual-serve's own page fetches a web font from Google; a kiosk on a
locked-down network would stall or look wrong. Navigator serves its own
page (`templates/app_index.html`) that takes the font, script and styles
from textual-serve's installed `static` folder, so nothing is fetched from
outside. Every address in the page is relative to the page itself, so the
same page works on 127.0.0.1, on 0.0.0.0 reached by a name, and behind a
TLS proxy. It binds to 127.0.0.1 unless told otherwise: textual-serve has
no login and no TLS, so anything wider belongs behind a proxy (docs/kiosk.md).

Each websocket starts a whole app process, so the socket handler here
replaces textual-serve's with one that holds every browser to `ServeLimits`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
import sys
import time
from pathlib import Path
from typing import Any, Literal

import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server, to_int

from navigator.tui.web.limits import (
    InputBudget,
    ServeLimits,
    SessionCounter,
    clamp_size,
    normal_origin,
    origin_allowed,
)
from navigator.tui.web.script import patched_terminal_script
from navigator.tui.web.session import AppProcess
from navigator.tui.web.words import PageMsg

TEMPLATES = Path(__file__).with_name("templates")
ASSETS = Path(__file__).with_name("assets")
STATIC = Path(textual_serve.__file__).with_name("static")

ServeMode = Literal["resident", "kiosk", "advocate"]

DEFAULT_FONT_SIZE: dict[str, int] = {"resident": 20, "kiosk": 24, "advocate": 16}
"""Large text by default: the browser, unlike a terminal, lets the app choose its font size."""

QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
"""Where "Leave this page quickly" goes outside a kiosk: GOV.UK's choice, an ordinary page."""

CLOSE_BUSY = 1013
"""Websocket close code "try again later": every app process allowed is running."""

log = logging.getLogger("navigator.serve")


def child_command(mode: ServeMode, forwarded: list[str]) -> str:
    """The shell command textual-serve runs for each browser tab."""
    parts = [sys.executable, "-m", "navigator.commands.app", mode, *forwarded]
    return shlex.join(parts)


class NavigatorServer(Server):
    """textual-serve's server with Navigator's offline page, limits and firm process ends."""

    def __init__(
        self,
        command: str,
        *,
        mode: ServeMode,
        host: str,
        port: int,
        limits: ServeLimits | None = None,
        public_url: str | None = None,
        allowed_origins: tuple[str, ...] = (),
        quick_exit_url: str = QUICK_EXIT_URL,
        words: dict[str, str] | None = None,
        words_in: dict[str, dict[str, str]] | None = None,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title="Navigator",
            public_url=public_url,
            statics_path=STATIC,
            templates_path=TEMPLATES,
        )
        self.mode = mode
        self.limits = limits or ServeLimits()
        self.base_url = public_url.rstrip("/") + "/" if public_url else ""
        origins = [*allowed_origins, *([public_url] if public_url else [])]
        self.allowed_origins = frozenset(
            normal for normal in map(normal_origin, origins) if normal is not None
        )
        self.quick_exit_url = quick_exit_url
        self.words = words or {key.value: key.value for key in PageMsg}
        self.words_in = words_in or {}
        """The page's words in each other language a session may start in (`?lang=cy`)."""
        self.sessions = SessionCounter(self.limits)
        self.processes: set[AppProcess] = set()
        self.terminal_script = patched_terminal_script(STATIC / "js" / "textual.js")

    async def _make_app(self) -> web.Application:
        """Textual-serve's routes, without folder listings, and with Navigator's script."""
        import aiohttp_jinja2
        import jinja2

        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/ws/{lang}", self.handle_websocket, name="websocket_in"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/terminal.js", self.handle_terminal_script, name="terminal"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
                web.static("/assets", ASSETS, show_index=False, name="assets"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page for one tab: addresses relative to the page, Navigator's font size default."""
        import aiohttp_jinja2

        default_size = DEFAULT_FONT_SIZE.get(self.mode, 16)
        font_size = to_int(request.query.get("fontsize", str(default_size)), default_size)
        font_size = min(max(font_size, 10), 64)
        language = request.query.get("lang", "")
        language = language if language in self.words_in else ""
        context: dict[str, Any] = {
            "font_size": font_size,
            "base_url": self.base_url,
            "mode": self.mode,
            "quick_exit_url": self.quick_exit_url,
            "language": language,
            "words": self.words_in.get(language, self.words),
            "application": {"name": self.title},
        }
        response: web.Response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_terminal_script(self, request: web.Request) -> web.Response:
        """textual-serve's terminal script, with screen-reader support on (see script.py)."""
        return web.Response(text=self.terminal_script, content_type="application/javascript")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab's app process, started only for our own pages and within the limits."""
        origin = request.headers.get("Origin")
        if not origin_allowed(origin, request.host, self.allowed_origins):
            log.warning("refused a websocket from origin %r (host %r)", origin, request.host)
            raise web.HTTPForbidden(text="This page may not open Navigator.\n")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=self.limits.max_message_bytes)
        await websocket.prepare(request)
        client = request.remote or "unknown"
        if not self.sessions.admit(client):
            log.warning("refused a session for %s: too many running", client)
            await websocket.close(code=CLOSE_BUSY, message=b"busy")
            return websocket
        try:
            await self._run_session(request, websocket)
        finally:
            self.sessions.release(client)
        return websocket

    async def _run_session(self, request: web.Request, websocket: web.WebSocketResponse) -> None:
        width, height = clamp_size(
            request.query.get("width"), request.query.get("height"), self.limits
        )
        command = shlex.split(self.command)
        language = request.match_info.get("lang", "")
        if language in self.words_in:  # only a language this knowledge base is written in
            command += ["--language", language]
        app = AppProcess(
            command,
            grace_seconds=self.limits.stop_grace_seconds,
            is_listening=lambda: not websocket.closed,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.processes.add(app)
        try:
            await app.start(width, height)
            ended = asyncio.ensure_future(app.finished())
            ended.add_done_callback(lambda _: asyncio.ensure_future(websocket.close()))
            await self._relay(websocket, app)
            ended.cancel()
        except Exception:
            log.exception("a browser session failed")
        finally:
            await app.stop()
            self.processes.discard(app)

    async def _relay(self, websocket: web.WebSocketResponse, app: AppProcess) -> None:
        """Pass the browser's messages to the app, within the limits; stop at the first bad one.

        A real page only sends well-formed messages, so anything else ends the
        socket (and with it the app) rather than being puzzled over.
        """
        budget = InputBudget(self.limits, time.monotonic())
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            envelope = _envelope(message.data)
            if envelope is None:
                await websocket.close(code=WSCloseCode.UNSUPPORTED_DATA, message=b"bad message")
                return
            kind, data = envelope
            if kind == "stdin" and isinstance(data, str):
                typed = data.encode("utf-8")
                if budget.take(len(typed), time.monotonic()):
                    await app.send_bytes(typed)
            elif kind == "resize" and isinstance(data, dict):
                width, height = clamp_size(data.get("width"), data.get("height"), self.limits)
                await app.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, str) and len(data) <= 32:
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app.blur()
            elif kind == "focus":
                await app.focus()

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"Navigator ({self.mode}) is being served on {self.public_url}")
        self.console.print("Press Ctrl+C to stop serving.")

    async def on_shutdown(self, app: web.Application) -> None:
        """End every app process before the server goes."""
        await asyncio.gather(*(process.stop() for process in list(self.processes)))


def _envelope(text: str) -> tuple[str, object] | None:
    """(kind, data) of a page's message, or None when it is not one."""
    try:
        envelope = json.loads(text)
    except ValueError:
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    return envelope[0], envelope[1] if len(envelope) > 1 else None
