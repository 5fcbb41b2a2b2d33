"""Four made-up councils' records and packs, made once per test session with the real commands.

`navigator demo-data --council` fills a SQLite file per council (and PostgreSQL
databases when NAVIGATOR_TEST_POSTGRES_URL is set); `navigator publish` writes
each council's pack for the last whole quarter. Tests only read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from navigator.cli import main
from navigator.records.reports.access import set_password
from tests.conftest import DEMO_KNOWLEDGE

COUNCILS = ("northbrook", "eastmoor", "riverford", "hallam-vale")
SESSIONS = {"northbrook": 6000, "eastmoor": 2500, "riverford": 9000, "hallam-vale": 4000}
"""Small enough to make quickly; the quarter then has many small, hidden cells to hunt."""
PASSWORD = "correct horse battery"


def last_whole_quarter(today: dt.date) -> str:
    quarter = (today.month - 1) // 3  # the current quarter's index 0-3; the last whole one
    year = today.year if quarter else today.year - 1
    return f"{year}-Q{quarter or 4}"


@dataclass(frozen=True)
class Place:
    folder: Path
    period: str
    password_file: Path

    def arguments(self, council: str) -> list[str]:
        return ["--db", str(self.folder / f"{council}.sqlite3"), "--kb", str(DEMO_KNOWLEDGE)]

    def pack(self, council: str) -> Path:
        return self.folder / "packs" / council


def environment(monkeypatch: pytest.MonkeyPatch, folder: Path, suppression: str) -> None:
    monkeypatch.setenv("NAVIGATOR_CONFIG", str(folder / "no-config.toml"))
    monkeypatch.setenv("NAVIGATOR_CONFIG_DIR", str(folder / "config"))
    monkeypatch.setenv("NAVIGATOR_DATA_DIR", str(folder / "data"))
    monkeypatch.setenv("NAVIGATOR_SUPPRESSION", suppression)


@pytest.fixture(scope="session")
def councils(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Place]:
    """Four councils' records and their packs (nhs-digital, the publication default)."""
    folder = tmp_path_factory.mktemp("councils")
    set_password(folder / "config", PASSWORD)
    password = folder / "password.txt"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    password.chmod(0o600)
    place = Place(folder, last_whole_quarter(dt.datetime.now(dt.UTC).date()), password)
    with pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, folder, "nhs-digital")
        for council in COUNCILS:
            common = place.arguments(council)
            made = [
                *common,
                "demo-data",
                "--council",
                council,
                "--sessions",
                str(SESSIONS[council]),
            ]
            assert main(made) == 0
            assert main(publish_arguments(place, council, place.pack(council))) == 0
        yield place


def publish_arguments(place: Place, council: str, out: Path, *extra: str) -> list[str]:
    return [
        *place.arguments(council),
        "publish", "--period", place.period, "--council", council, "--out", str(out),
        "--password-file", str(place.password_file), *extra,
    ]  # fmt: skip
