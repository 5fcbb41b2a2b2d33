"""Files of records on disk, readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path


def owner_only_file(path: Path) -> None:
    """Make `path` (a SQLite file) exist readable and writable by its owner only.

    The records describe people's needs in small areas: other accounts on the
    machine have no business reading them. SQLite gives its -wal and -shm
    files the database file's permissions, so they follow. A new folder is
    made owner-only too; an existing file this user owns is tightened.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        status = os.fstat(descriptor)
        if hasattr(os, "getuid") and status.st_uid == os.getuid() and status.st_mode & 0o077:
            os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)
