"""A private, throwaway PostgreSQL cluster a test may stop and start without disturbing others.

As root (as in CI) the server runs as the `postgres` user through `runuser`,
because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest


def find_bin() -> Path | None:
    """The PostgreSQL server programs: beside `NAVIGATOR_TEST_PG_CTL`, or the newest Debian one."""
    given = os.environ.get("NAVIGATOR_TEST_PG_CTL")
    if given and Path(given).is_file():
        return Path(given).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parts)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    data: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://navigator@127.0.0.1:{self.port}/records"

    def run(self, program: str, *arguments: str) -> None:
        command = [str(self.bin / program), *arguments]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-k {self.data.parent} -h 127.0.0.1 -p {self.port} -c fsync=off"
        log = str(self.data.parent / "log")
        self.run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """initdb, start, create the `records` database; stop and remove it all afterwards."""
    binaries = find_bin()
    if binaries is None:
        pytest.skip("PostgreSQL's server programs are not installed (apt-get install postgresql)")
    user = None
    if os.geteuid() == 0:
        user = os.environ.get("NAVIGATOR_TEST_PG_USER", "postgres")
        if shutil.which("runuser") is None:
            pytest.skip("running as root needs `runuser` to start PostgreSQL as another user")
    root = Path(tempfile.mkdtemp(prefix="navigator-pg-", dir="/tmp"))
    if user:
        shutil.chown(root, user=user)
    cluster = Cluster(binaries, root / "data", _free_port(), user)
    try:
        cluster.run(
            "initdb", "-D", str(cluster.data), "-U", "navigator", "-A", "trust", "--no-sync"
        )
        cluster.start()
        cluster.run(
            "createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "navigator", "records"
        )
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            cluster.run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
