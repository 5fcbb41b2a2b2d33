"""A load test: 50 sockets and bad messages against a local `navigator serve`.

Ten client addresses on the loopback network (127.0.0.2 to 127.0.0.11, all
this machine) each open five sockets and misbehave in a different way: bad
JSON, huge resizes, binary frames, floods of typing, oversized messages,
the wrong origin, no origin, dropping the connection mid-stream. The test
samples /proc all the while and shows that the number of app processes
never passes the limit, that memory stays bounded, and that every app
process has ended soon after the sockets close. Every loop is bounded, it
talks only to 127.0.0.0/8, and it stops by itself within two minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import aiohttp
import pytest

from tests.web.support import Served, resident_kib, serving, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

CLIENTS = 10
SOCKETS_PER_CLIENT = 5
MAX_SESSIONS = 6
MAX_PER_CLIENT = 2
APP_KIB_BOUND = 400 * 1024
"""An app process at a clamped size stays well under this (about 100 MB is usual)."""


@dataclass
class Samples:
    apps: list[int] = field(default_factory=list)
    total_kib: list[int] = field(default_factory=list)
    server_kib: list[int] = field(default_factory=list)


async def _sample(served: Served, samples: Samples, stop: asyncio.Event) -> None:
    while not stop.is_set():
        apps = served.apps
        server = resident_kib(served.process.pid)
        samples.apps.append(len(apps))
        samples.server_kib.append(server)
        samples.total_kib.append(server + sum(resident_kib(pid) for pid in apps))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


async def _misbehave(served: Served, client: int, number: int) -> str:
    """One socket from 127.0.0.`client` doing bad thing `number`; returns how it ended."""
    url = served.url.replace("http://", "ws://") + "ws?width=20000&height=5000"
    origin = served.url.rstrip("/")
    behaviour = (client * SOCKETS_PER_CLIENT + number) % 10
    headers = {"Origin": {5: "http://evil.example", 6: ""}.get(behaviour, origin)}
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{client + 2}", 0), force_close=True)
    async with aiohttp.ClientSession(connector=connector, skip_auto_headers=["Origin"]) as session:
        try:
            socket = await session.ws_connect(url, headers=headers, max_msg_size=0)
        except aiohttp.WSServerHandshakeError as refused:
            return f"refused {refused.status}"
        with contextlib.suppress(ConnectionError, aiohttp.ClientError, RuntimeError):
            await _bad_messages(socket, behaviour)
            with contextlib.suppress(TimeoutError):
                for _ in range(50):  # read a little of what comes back, then go
                    message = await socket.receive(timeout=1)
                    if message.type in {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED}:
                        break
        connection = socket._response.connection
        if behaviour == 8 and connection is not None and connection.transport is not None:
            connection.transport.abort()  # drop the connection without a goodbye
            return "dropped"
        await socket.close()
        return f"closed {socket.close_code}"


async def _bad_messages(socket: aiohttp.ClientWebSocketResponse, behaviour: int) -> None:
    if behaviour == 0:
        await socket.send_str("this is not json")
    elif behaviour == 1:
        for size in range(20):
            await socket.send_json(["resize", {"width": 20000 + size, "height": 5000}])
    elif behaviour == 2:
        await socket.send_bytes(b"\x00\xff" * 1000)
    elif behaviour == 3:
        for _ in range(50):  # 3 MB of typing in 60 kB messages
            await socket.send_json(["stdin", "x" * 60_000])
    elif behaviour == 4:
        await socket.send_json(["stdin", "y" * 3_000_000])
    elif behaviour == 7:
        for message in ([], ["stdin", {"not": "text"}], ["ping", "p" * 1000], [7], {}):
            await socket.send_json(message)
    elif behaviour == 9:
        await socket.send_json(["stdin", "1"])


def test_fifty_misbehaving_sockets_leave_processes_and_memory_bounded(
    free_port: int, environment: dict[str, str]
) -> None:
    flags = ("--max-sessions", str(MAX_SESSIONS))
    flags += ("--max-sessions-per-client", str(MAX_PER_CLIENT))
    samples = Samples()

    async def load(served: Served) -> list[str]:
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample(served, samples, stop))
        async with asyncio.timeout(120):
            endings = await asyncio.gather(
                *(
                    _misbehave(served, client, number)
                    for client in range(CLIENTS)
                    for number in range(SOCKETS_PER_CLIENT)
                ),
                return_exceptions=True,
            )
        wait_for_end = asyncio.get_running_loop().time() + 30
        while served.apps and asyncio.get_running_loop().time() < wait_for_end:
            await asyncio.sleep(0.5)
        stop.set()
        await sampler
        return [str(ending) for ending in endings]

    with serving(free_port, environment, *flags) as served:
        endings = asyncio.run(load(served))
        wait_until(lambda: served.apps == [], 30, "every app process ending")
        server_after = resident_kib(served.process.pid)
        assert served.process.poll() is None  # the server itself is still serving

    print(
        f"\nload: {len(endings)} sockets; endings {sorted(set(endings))}; "
        f"app processes at most {max(samples.apps)}; "
        f"memory at most {max(samples.total_kib) // 1024} MB in all, "
        f"server at most {max(samples.server_kib) // 1024} MB, after {server_after // 1024} MB"
    )
    assert len(endings) == CLIENTS * SOCKETS_PER_CLIENT
    assert max(samples.apps) <= MAX_SESSIONS
    assert max(samples.total_kib) <= (MAX_SESSIONS * APP_KIB_BOUND) + 300 * 1024
    assert max(samples.server_kib) <= 300 * 1024
    assert any(ending.startswith("refused 403") for ending in endings)
    assert any(ending == "closed 1013" for ending in endings)
