"""The demo knowledge base exported once per session: export and conformance tests read it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from navigator.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "knowledge"
COUNCIL = "0b9f0f6e-3c1d-4f55-9a51-6f3c2d1e8a77"
"""The namespace the tests publish under, as a council would set it once."""

PRIVATE = {
    "da-refuge": {"address": "17 Larkspur Close, Northbrook NB7 9QZ"},
    "da-idva": {"email": "jane.smith@northbrookdas.org.uk", "address": "5 Orchard Mews, NB8 2OM"},
    "housing-options": {"address": "3 Quarry Lane, Northbrook NB9 4QL"},
}
"""Contact details added to demo services that must never reach a feed: a refuge's address,
a domestic-abuse service's address and a staff member's email (`jane.smith@`), and the
address of a service the council names with `--withhold-address housing-options`."""


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo knowledge base, exported by the real command."""
    out = tmp_path_factory.mktemp("oruk") / "feed"
    status = main(["--kb", str(DEMO), "export", "oruk", "--out", str(out), "--namespace", COUNCIL])
    assert status == 0
    return out


@pytest.fixture(scope="session")
def private_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo knowledge base plus services with details that must stay private."""
    root = tmp_path_factory.mktemp("private") / "kb"
    shutil.copytree(DEMO, root)
    for path in (root / "services").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for service in data["services"]:
            service["contact"].update(PRIVATE.get(service["id"], {}))
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return root
