"""What the browser tests share: the real `navigator serve`, a real Chromium, and /proc.

Nothing is faked: the server is the real command, each tab runs the real app
in its own process, and the page is driven with key presses. What the app
draws travels over the page's websocket, so tests read the words there
(xterm.js paints them on a canvas). App processes are counted from /proc,
as children of the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support import waiting

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_or_skip() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium is not installed: install Debian's chromium package "
            "(apt-get install chromium) to run the browser test"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -e '.[test]'")
    return CHROMIUM


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"navigator serve stopped: {output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"navigator serve did not listen on {port} within {timeout} s")


class Served:
    """A running `navigator serve`: its URL and process."""

    def __init__(self, url: str, process: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.process = process

    def __str__(self) -> str:
        return self.url

    @property
    def apps(self) -> list[int]:
        """Process ids of the app processes running now (the server's children)."""
        return children(self.process.pid)


@contextmanager
def serving(port: int, environment: dict[str, str], *flags: str) -> Iterator[Served]:
    """`navigator serve --port PORT FLAGS` until the block ends; then every process stopped."""
    process = subprocess.Popen(
        [sys.executable, "-m", "navigator.cli", "serve", "--port", str(port), *flags],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process)
        yield Served(f"http://127.0.0.1:{port}/", process)
    finally:
        apps = children(process.pid)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pid in apps:  # anything the server failed to stop
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)


def children(pid: int) -> list[int]:
    """Living child processes of `pid`, from /proc (zombies do not count)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def resident_kib(pid: int) -> int:
    """Resident memory of one process in KiB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def wait_until(condition: Any, timeout: float, what: str) -> None:
    """The shared `wait_for`, in the argument order this folder's tests use."""
    waiting.wait_for(condition, timeout, what)


class Screen:
    """Everything the app process has sent to the page, as text."""

    def __init__(self) -> None:
        self.received = ""

    def add(self, payload: str | bytes) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        self.received += text


def wait_for(page: Any, screen: Screen, words: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if words in screen.received:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{words!r} never reached the page; last: {screen.received[-500:]!r}")


@contextmanager
def browser_page(
    url: str,
    *,
    wait_words: str = "Money and bills",
    extra_args: tuple[str, ...] = (),
    viewport: dict[str, int] | None = None,
    ignore_https_errors: bool = False,
) -> Iterator[tuple[Any, Screen]]:
    """A real Chromium page on `url` showing `wait_words`, the keyboard in the terminal."""
    chromium = chromium_or_skip()
    from playwright.sync_api import WebSocket, sync_playwright

    screen = Screen()

    def watch_socket(socket_: WebSocket) -> None:
        socket_.on("framereceived", screen.add)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=[*CHROMIUM_ARGS, *extra_args]
        )
        try:
            context = browser.new_context(
                viewport=viewport or {"width": 1280, "height": 720},
                ignore_https_errors=ignore_https_errors,
            )
            page = context.new_page()
            page.on("websocket", watch_socket)
            page.goto(url)
            wait_for(page, screen, wait_words)
            page.click("#terminal", position={"x": 4, "y": 4})  # the title line: harmless
            yield page, screen
            page.close()
        finally:
            browser.close()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for 127.0.0.1 and localhost, made with openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: apt-get install openssl")
    certificate, key = folder / "proxy.crt", folder / "proxy.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


@contextmanager
def tls_proxy(listen_port: int, backend_port: int, folder: Path) -> Iterator[str]:
    """A TLS-terminating proxy on 127.0.0.1:listen_port in front of backend_port.

    It passes bytes through unchanged (the Host header included), as a
    proxy such as nginx with `proxy_set_header Host $http_host` does.
    """
    certificate, key = self_signed_certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            backend_reader, backend_writer = await asyncio.open_connection(
                "127.0.0.1", backend_port
            )
        except OSError:
            writer.close()
            return
        await asyncio.gather(pipe(reader, backend_writer), pipe(backend_reader, writer))

    async def main() -> asyncio.Server:
        return await asyncio.start_server(handle, "127.0.0.1", listen_port, ssl=context)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(main())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"https://127.0.0.1:{listen_port}/"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


SCREEN_TEXT = """() => {
    const terminal = window.navigatorTerminal;
    if (!terminal) { return ""; }
    const buffer = terminal.buffer.active;
    const rows = [];
    for (let row = 0; row < terminal.rows; row += 1) {
        const line = buffer.getLine(buffer.viewportY + row);
        rows.push(line ? line.translateToString(true) : "");
    }
    return rows.join("\\n");
}"""


def wait_for_text(page: Any, words: str, timeout: float = 60.0) -> str:
    """The terminal's rows as text, once `words` is among them (read from xterm.js's buffer)."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = page.evaluate(SCREEN_TEXT)
        if words in text:
            return text
        page.wait_for_timeout(200)
    raise AssertionError(f"{words!r} is not on the screen; it shows:\n{text}")
