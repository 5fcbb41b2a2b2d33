"""The same council's records on PostgreSQL publish the same pack as on SQLite, cell for cell.

Demo data is seeded and the coding runs in SQL on either engine, so any
difference between the packs is a difference in how the engines count.
"""

from __future__ import annotations

import pytest

from navigator.cli import main
from tests.conftest import DEMO_KNOWLEDGE
from tests.evidence.conftest import SESSIONS, Place, environment
from tests.records.conftest import throwaway_postgres

pytestmark = pytest.mark.postgres


def test_postgresql_publishes_the_same_pack_as_sqlite(councils: Place) -> None:
    council = "hallam-vale"
    out = councils.folder / "packs-postgresql" / council
    with throwaway_postgres("navigator_e") as url, pytest.MonkeyPatch.context() as monkeypatch:
        environment(monkeypatch, councils.folder, "nhs-digital")
        monkeypatch.setenv("NAVIGATOR_DATABASE_URL", url)
        common = ["--kb", str(DEMO_KNOWLEDGE)]
        made = [*common, "demo-data", "--council", council, "--sessions", str(SESSIONS[council])]
        assert main(made) == 0
        assert main([
            *common, "publish", "--period", councils.period, "--council", council,
            "--out", str(out), "--password-file", str(councils.password_file),
        ]) == 0  # fmt: skip
    sections = sorted(path.name for path in councils.pack(council).glob("section-*.csv"))
    assert "section-unmet-cost-by-agency.csv" in sections  # the registry's open-data sections
    assert sorted(path.name for path in out.glob("section-*.csv")) == sections
    for name in ("unmet-need.csv", "needs.csv", "reasons.csv", "areas.csv", *sections):
        sqlite = (councils.pack(council) / name).read_text(encoding="utf-8")
        assert (out / name).read_text(encoding="utf-8") == sqlite, name
