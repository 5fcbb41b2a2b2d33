"""One browser tab's app process, that always ends when its tab does.

textual-serve's `AppService` asks the app to quit when the socket closes and
then waits for it for ever; an app that is busy, or blocked writing a screen
nobody reads, never hears the request and lives on. This one starts the app
in its own process group (no shell in between), drops output once nobody is
listening so the app can read its quit request, and kills the group when it
has not ended within the grace period.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from asyncio.subprocess import PIPE, Process
from collections.abc import Awaitable, Callable
from typing import Any

from textual_serve.app_service import AppService

log = logging.getLogger("navigator.serve")

KILL_WAIT_SECONDS = 2.0
"""After SIGTERM, how long before SIGKILL."""


class AppProcess(AppService):
    """textual-serve's app service with a firm end."""

    def __init__(
        self,
        argv: list[str],
        *,
        grace_seconds: float,
        is_listening: Callable[[], bool],
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[Any]],
        download_manager: Any,
    ) -> None:
        super().__init__(
            " ".join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.argv = argv
        self.grace_seconds = grace_seconds
        self.is_listening = is_listening

    @property
    def pid(self) -> int | None:
        process: Process | None = self._process
        return process.pid if process is not None else None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """Start the app directly (no shell) as the leader of its own process group."""
        environment = self._build_environment(width=width, height=height)
        process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=environment,
            start_new_session=True,
        )
        self._process = process
        self._stdin = process.stdin
        return process

    async def on_data(self, payload: bytes) -> None:
        """Pass the screen on while the tab listens; afterwards drop it, so the app is not stuck."""
        if self.is_listening():
            with contextlib.suppress(ConnectionError):
                await self.remote_write_bytes(payload)

    async def finished(self) -> None:
        """Wait until the app process has ended by itself."""
        task: asyncio.Task[None] | None = self._task
        if task is not None:
            await asyncio.shield(task)

    async def stop(self) -> None:
        """Ask the app to quit; kill its process group if it has not within the grace period."""
        process: Process | None = self._process
        if process is None:
            return
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), 1.0)
            if not await _ended(process, self.grace_seconds):
                log.warning("app process %s did not quit; stopping it", process.pid)
                _signal_group(process, signal.SIGTERM)
                if not await _ended(process, KILL_WAIT_SECONDS):
                    _signal_group(process, signal.SIGKILL)
                    await process.wait()
        task: asyncio.Task[None] | None = self._task
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            self._task = None


async def _ended(process: Process, seconds: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _signal_group(process: Process, signum: signal.Signals) -> None:
    """Signal the app and anything it started (it leads its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)
