"""`navigator serve`: the app in a browser, one app process per tab, via textual-serve.

textual-serve's own page fetches a web font from Google; a kiosk on a
locked-down network would stall or look wrong. Navigator serves its own
page (`templates/app_index.html`) that takes the font, script and styles
from textual-serve's installed `static` folder, so nothing is fetched from
outside. It binds to 127.0.0.1 unless told otherwise: textual-serve has no
login and no TLS, so anything wider belongs behind a proxy (docs/kiosk.md).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any, Literal

import textual_serve
from aiohttp import web
from textual_serve.server import Server, to_int

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(textual_serve.__file__).with_name("static")

ServeMode = Literal["resident", "kiosk", "advocate"]

DEFAULT_FONT_SIZE: dict[str, int] = {"resident": 20, "kiosk": 24, "advocate": 16}
"""Large text by default: the browser, unlike a terminal, lets the app choose its font size."""


def child_command(mode: ServeMode, forwarded: list[str]) -> str:
    """The shell command textual-serve runs for each browser tab."""
    parts = [sys.executable, "-m", "navigator.commands.app", mode, *forwarded]
    return shlex.join(parts)


class NavigatorServer(Server):
    """textual-serve's server with Navigator's offline page and a larger default font."""

    def __init__(self, command: str, *, mode: ServeMode, host: str, port: int) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title="Navigator",
            statics_path=STATIC,
            templates_path=TEMPLATES,
        )
        self.mode = mode

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page for one tab: same as textual-serve's, with Navigator's font size default."""
        import aiohttp_jinja2

        router = request.app.router
        default_size = DEFAULT_FONT_SIZE.get(self.mode, 16)
        font_size = to_int(request.query.get("fontsize", str(default_size)), default_size)
        font_size = min(max(font_size, 10), 64)
        static_url = f"{self.public_url}{router['static'].url_for(filename='/')}".rstrip("/") + "/"
        websocket_url = f"{self.public_url}{router['websocket'].url_for()}"
        scheme = "wss:" if self.public_url.startswith("https") else "ws:"
        context: dict[str, Any] = {
            "font_size": font_size,
            "app_websocket_url": scheme + websocket_url.split(":", 1)[1],
            "config": {"static": {"url": static_url}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"Navigator ({self.mode}) is being served on {self.public_url}")
        self.console.print("Press Ctrl+C to stop serving.")
