"""Fixtures for the browser tests: the test borough on disk, a free port, a clean environment."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.support.kb import copy_test_borough


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return copy_test_borough(tmp_path / "kb")


@pytest.fixture
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def environment(tmp_path: Path, kb_dir: Path) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL"}
    env = {name: value for name, value in os.environ.items() if name in keep}
    env.update(
        {
            "NAVIGATOR_CONFIG": str(tmp_path / "no-config.toml"),
            "NAVIGATOR_CONFIG_DIR": str(tmp_path / "config"),
            "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
            "NAVIGATOR_KNOWLEDGE": str(kb_dir),
        }
    )
    return env
