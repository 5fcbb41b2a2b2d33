"""The SQLite records file is readable by its owner only (0600), like the PIN and summaries."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from navigator.records.database import make_engine, upgrade


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_new_records_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "data" / "navigator.sqlite3"
    old = os.umask(0o022)
    try:
        engine = make_engine(f"sqlite:///{path}", writing=True)
        upgrade(engine)
        engine.dispose()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for journal in path.parent.glob(path.name + "-*"):
        assert stat.S_IMODE(journal.stat().st_mode) & 0o077 == 0


def test_an_existing_records_file_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "navigator.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o640)
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
