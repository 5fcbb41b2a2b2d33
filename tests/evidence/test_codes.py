"""The crosswalk and codes in the knowledge base: every need, service and reason is coded.

Real YAML on disk: the demo knowledge base, and copies of it broken one way each.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from navigator.kb import load
from navigator.kb.codes import UNREVIEWED, CodesError, load_codes
from navigator.kb.validate import validate
from tests.conftest import DEMO_KNOWLEDGE


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the demo knowledge base that a test may break."""
    return Path(shutil.copytree(DEMO_KNOWLEDGE, tmp_path / "knowledge"))


def findings(root: Path) -> list[str]:
    return [f"{d.code}: {d.message}" for d in validate(load(root).knowledge) if "codes" in str(
        d.location) or d.code.startswith(("crosswalk", "codes", "places"))]  # fmt: skip


def test_the_demo_knowledge_base_codes_every_need_service_and_reason() -> None:
    knowledge = load(DEMO_KNOWLEDGE).knowledge
    codes = load_codes(DEMO_KNOWLEDGE)
    assert set(knowledge.needs) <= set(codes.needs)
    assert set(knowledge.services) <= set(codes.services)
    assert set(knowledge.reasons) <= set(codes.reason_map)
    assert all(m.code in codes.needs_list.items for m in codes.needs.values() if m.code)
    assert all(m.code in codes.services_list.items for m in codes.services.values() if m.code)
    assert findings(DEMO_KNOWLEDGE) == []


def test_the_demo_has_no_service_left_not_reviewed_yet() -> None:
    """Every demo service was checked against the LGA list: mapped, or `no_match` with why."""
    codes = load_codes(DEMO_KNOWLEDGE)
    unreviewed = sorted(s for s, m in codes.services.items() if m.note == UNREVIEWED)
    assert unreviewed == []
    # A real reason, not a placeholder, for every service the list cannot code.
    reasons = [m.note for m in codes.services.values() if m.code is None]
    assert all(note and len(note.split()) >= 4 for note in reasons), reasons


def test_the_snapshots_carry_their_licence_and_date() -> None:
    codes = load_codes(DEMO_KNOWLEDGE)
    for code_list in (codes.needs_list, codes.services_list):
        assert code_list.licence == "OGL-UK-3.0"
        assert "esd-toolkit" in code_list.attribution
        assert code_list.modified and code_list.retrieved and code_list.source
    assert codes.needs_list.items["79"] == "Care at home"
    assert codes.services_list.items["1755"] == "Carers assessment"
    assert codes.need_uri("carers-support") == "http://id.esd.org.uk/need/101"


def test_a_need_left_out_of_the_crosswalk_is_an_error(copy: Path) -> None:
    crosswalk = copy / "codes" / "crosswalk.yaml"
    text = crosswalk.read_text(encoding="utf-8")
    crosswalk.write_text(
        "\n".join(line for line in text.splitlines() if "    housing: {" not in line) + "\n",
        encoding="utf-8",
    )
    assert any(
        f.startswith("crosswalk-missing: need 'housing' is not in the crosswalk")
        for f in findings(copy)
    )


def test_a_service_left_out_of_the_crosswalk_only_warns(copy: Path) -> None:
    """Adding or accepting a service must never stop a kiosk until someone codes it."""
    crosswalk = copy / "codes" / "crosswalk.yaml"
    text = crosswalk.read_text(encoding="utf-8")
    crosswalk.write_text(
        "\n".join(line for line in text.splitlines() if "    asc-home-care: {" not in line) + "\n",
        encoding="utf-8",
    )
    missing = [
        d
        for d in validate(load(copy).knowledge)
        if d.code == "crosswalk-missing" and "'asc-home-care'" in d.message
    ]
    assert [str(d.severity) for d in missing] == ["warning"]


def test_a_code_not_in_the_list_is_an_error(copy: Path) -> None:
    crosswalk = copy / "codes" / "crosswalk.yaml"
    text = crosswalk.read_text(encoding="utf-8").replace('lga_need: "79"', 'lga_need: "99999"')
    crosswalk.write_text(text, encoding="utf-8")
    assert any(
        f.startswith("crosswalk-unknown-code: need 'adult-social-care' is mapped to '99999'")
        for f in findings(copy)
    )


def test_a_reason_code_not_in_the_shared_list_is_an_error(copy: Path) -> None:
    crosswalk = copy / "codes" / "crosswalk.yaml"
    text = crosswalk.read_text(encoding="utf-8").replace("{code: CAPACITY}", "{code: FULL}")
    crosswalk.write_text(text, encoding="utf-8")
    assert "crosswalk-unknown-code: reason 'waiting_list' is coded 'FULL', which " in "\n".join(
        findings(copy)
    )


def test_a_malformed_gss_code_names_the_file_line_and_field(copy: Path) -> None:
    places = copy / "codes" / "places.yaml"
    text = places.read_text(encoding="utf-8").replace("code: E06000902", "code: X123")
    places.write_text(text, encoding="utf-8")
    with pytest.raises(CodesError) as raised:
        load_codes(copy)
    message = str(raised.value)
    assert "places.yaml:" in message and "places.councils[1].code" in message
    assert "'X123' is not a GSS code" in message


def test_a_knowledge_base_without_codes_is_not_checked_for_them(copy: Path) -> None:
    shutil.rmtree(copy / "codes")
    assert findings(copy) == []


def test_the_loader_does_not_read_the_codes_as_knowledge() -> None:
    result = load(DEMO_KNOWLEDGE)
    assert not any("codes" in path.parts for path in result.knowledge.files)
