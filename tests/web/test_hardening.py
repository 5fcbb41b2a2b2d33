"""`navigator serve` holds each browser to its limits (issue 14's "doors that must not be flooded").

Each test talks to the real server over real sockets on 127.0.0.1, as a
hostile page or script would, and counts the app processes in /proc.
"""

from __future__ import annotations

import asyncio
import os
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.web.support import Served, serving, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

STARTED = "Welcome to Navigator"


@pytest.fixture
def served(free_port: int, environment: dict[str, str]) -> Iterator[Served]:
    with serving(free_port, environment, "--max-sessions-per-client", "2") as running:
        yield running


def _socket_url(served: Served, query: str = "width=80&height=24") -> str:
    return served.url.replace("http://", "ws://") + "ws?" + query


def _origin(served: Served) -> str:
    return served.url.rstrip("/")


async def _read_until(socket: aiohttp.ClientWebSocketResponse, words: str) -> str:
    """What the app sent until `words` appeared (or the socket closed)."""
    seen = ""
    async with asyncio.timeout(60):
        async for message in socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data.decode("utf-8", "replace")
                if words in seen:
                    break
    return seen


def _refused_status(served: Served, origin: str | None) -> int:
    async def attempt() -> int:
        headers = {"Origin": origin} if origin is not None else {}
        async with aiohttp.ClientSession(skip_auto_headers=["Origin"]) as session:
            try:
                async with session.ws_connect(_socket_url(served), headers=headers):
                    return 101
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

    return asyncio.run(attempt())


def test_a_page_from_another_site_cannot_open_a_session(served: Served) -> None:
    assert _refused_status(served, "http://evil.example") == 403
    assert _refused_status(served, "null") == 403
    assert _refused_status(served, None) == 403
    assert served.apps == []


def test_one_client_gets_no_more_sessions_than_allowed(served: Served) -> None:
    async def three_tabs() -> int | None:
        async with aiohttp.ClientSession() as session:
            first = await session.ws_connect(_socket_url(served), origin=_origin(served))
            second = await session.ws_connect(_socket_url(served), origin=_origin(served))
            assert STARTED in await _read_until(first, STARTED)
            third = await session.ws_connect(_socket_url(served), origin=_origin(served))
            await third.receive(timeout=30)
            assert len(served.apps) == 2
            for socket in (first, second):
                await socket.close()
            return third.close_code

    closed = asyncio.run(three_tabs())
    assert closed == 1013  # "try again later"
    wait_until(lambda: served.apps == [], 20, "every app process ending")


def test_all_clients_together_get_no_more_sessions_than_allowed(
    free_port: int, environment: dict[str, str]
) -> None:
    async def two_tabs(served: Served) -> int | None:
        async with aiohttp.ClientSession() as session:
            first = await session.ws_connect(_socket_url(served), origin=_origin(served))
            second = await session.ws_connect(_socket_url(served), origin=_origin(served))
            await second.receive(timeout=30)
            await first.close()
            return second.close_code

    with serving(free_port, environment, "--max-sessions", "1") as served:
        assert asyncio.run(two_tabs(served)) == 1013


def test_a_huge_terminal_is_held_to_a_screens_size(served: Served) -> None:
    async def huge() -> int:
        async with aiohttp.ClientSession() as session:
            query = "width=20000&height=5000"
            socket = await session.ws_connect(_socket_url(served, query), origin=_origin(served))
            await _read_until(socket, STARTED)
            (app,) = served.apps
            environment = Path(f"/proc/{app}/environ").read_bytes().split(b"\0")
            assert b"COLUMNS=400" in environment and b"ROWS=150" in environment
            await socket.send_json(["resize", {"width": 20000, "height": 5000}])
            received = 0
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 5
            while (left := deadline - loop.time()) > 0:
                try:
                    message = await socket.receive(timeout=left)
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += len(message.data)
            await socket.close()
            return received

    assert asyncio.run(huge()) < 10_000_000  # unclamped, the repaint alone was 500 MB


def test_an_app_that_does_not_quit_is_stopped_when_its_socket_closes(served: Served) -> None:
    async def stuck() -> None:
        async with aiohttp.ClientSession() as session:
            socket = await session.ws_connect(_socket_url(served), origin=_origin(served))
            await _read_until(socket, STARTED)
            (app,) = served.apps
            os.kill(app, signal.SIGSTOP)  # an app too busy to hear "quit"
            await socket.close()

    asyncio.run(stuck())
    wait_until(lambda: served.apps == [], 20, "the stuck app process being stopped")


def test_an_oversized_message_ends_the_session(served: Served) -> None:
    async def oversized() -> int | None:
        async with aiohttp.ClientSession() as session:
            socket = await session.ws_connect(_socket_url(served), origin=_origin(served))
            await _read_until(socket, STARTED)
            await socket.send_json(["stdin", "a" * 1_000_000])
            while not socket.closed:
                await socket.receive(timeout=30)
            return socket.close_code

    assert asyncio.run(oversized()) == 1009  # "message too big"
    wait_until(lambda: served.apps == [], 20, "the app process ending")


@pytest.mark.parametrize("folder", ["static/", "static/js/", "static/fonts/", "assets/"])
def test_no_folder_is_listed(served: Served, folder: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(served.url + folder, timeout=10)
    assert refused.value.code in {403, 404}
    assert b"textual.js" not in refused.value.read()
