"""The managers' password: salted scrypt hash only, owner-only file, wrong password refused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from navigator.records.reports.access import (
    PasswordProblem,
    check_password,
    load_hash,
    password_path,
    set_password,
)

PASSWORD = "correct horse battery"


def test_the_password_is_stored_only_as_a_salted_hash(tmp_path: Path) -> None:
    path = set_password(tmp_path, PASSWORD)
    stored = path.read_text()
    assert PASSWORD not in stored and stored.startswith("scrypt$16384$8$1$")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    set_password(tmp_path / "other", PASSWORD)
    assert (tmp_path / "other" / path.name).read_text() != stored, "each hash has its own salt"


def test_the_right_password_opens_and_a_wrong_one_does_not(tmp_path: Path) -> None:
    set_password(tmp_path, PASSWORD)
    stored = load_hash(tmp_path)
    assert check_password(stored, PASSWORD)
    assert not check_password(stored, PASSWORD.upper())
    assert not check_password(stored, "")


def test_a_short_password_is_refused_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(PasswordProblem, match="at least 12 characters"):
        set_password(tmp_path, "short")
    assert not password_path(tmp_path).exists()


def test_no_password_means_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(PasswordProblem, match="navigator manager set-password"):
        load_hash(tmp_path)


def test_a_damaged_password_file_says_set_it_again(tmp_path: Path) -> None:
    password_path(tmp_path).write_text("not a hash\n")
    with pytest.raises(PasswordProblem, match="damaged"):
        load_hash(tmp_path)
