"""The small rules under the feed: personal emails, namespaces, the list envelope, the CLI."""

from __future__ import annotations

import json
import uuid

import pytest

from navigator.cli import build_parser
from navigator.interop.oruk.conformance import envelope_errors
from navigator.interop.oruk.ids import NamespaceError, namespace_for, oruk_id
from navigator.interop.oruk.privacy import is_personal_email
from navigator.interop.oruk.to_oruk import compact, pages


@pytest.mark.parametrize(
    "address",
    [
        "jane.smith@northbrook.gov.uk",
        "j.smith@example.org",
        "Jane_Smith@x.org",
        "mary.k.jones@nhs.net",
    ],
)
def test_a_persons_email_is_recognised(address: str) -> None:
    assert is_personal_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "carers@northbrook.gov.uk",
        "adult.services@northbrook.gov.uk",
        "help@x.org",
        "info.team@x.org",
        "sanctuary@northbrook.gov.uk",
    ],
)
def test_a_shared_mailbox_is_not(address: str) -> None:
    assert not is_personal_email(address)


def test_namespaces_are_the_councils_or_derived_from_the_place() -> None:
    council = uuid.uuid4()
    assert namespace_for(str(council), "Northbrook") == council
    assert namespace_for(None, "Northbrook") == namespace_for(None, " northbrook ")
    assert namespace_for(None, "Northbrook") != namespace_for(None, "Southbrook")
    with pytest.raises(NamespaceError, match="not a UUID"):
        namespace_for("northbrook-council", "Northbrook")
    made = oruk_id(council, "service", "carers-assessment")
    assert made == str(uuid.uuid5(council, "service:carers-assessment"))
    assert made != oruk_id(council, "organization", "carers-assessment")


def test_compact_leaves_out_every_empty_value() -> None:
    assert compact(
        {"a": None, "b": "", "c": [], "d": {}, "e": [{"f": None}], "g": 0, "h": False, "i": " x "}
    ) == {"g": 0, "h": False, "i": "x"}


@pytest.mark.parametrize(("total", "per_page"), [(0, 10), (1, 10), (10, 10), (11, 10), (242, 50)])
def test_every_page_of_the_envelope_is_consistent(total: int, per_page: int) -> None:
    items = [{"id": str(n)} for n in range(total)]
    last = max(1, -(-total // per_page))
    seen = []
    for page in range(1, last + 2):
        body = pages(items, page, per_page)
        assert envelope_errors(body, "t", page=page) == []
        seen += body["contents"]
    assert seen == items


def test_the_envelope_check_can_fail() -> None:
    body = pages([{"id": "1"}, {"id": "2"}], 1, 1)
    body["last_page"] = True
    body["total_pages"] = 1
    problems = envelope_errors(body, "t", page=2)
    assert any("total_pages" in p for p in problems)
    assert any("page_number 1 but page 2" in p for p in problems)
    assert envelope_errors({"contents": []}, "t")[0].startswith("t: envelope field")


def test_export_needs_a_format_and_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["export"], ["export", "oruk"]):
        with pytest.raises(SystemExit) as stopped:
            build_parser().parse_args(argv)
        assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "FORMAT" in err and "--out" in err


def test_the_openapi_document_checks() -> None:
    from navigator.interop.oruk.conformance import SCHEMAS, openapi_errors

    vendored = json.loads((SCHEMAS / "oruk_3_0" / "openapi.json").read_text(encoding="utf-8"))
    assert openapi_errors(vendored) == []
    assert openapi_errors({"openapi": "2.0", "info": {}}) == [
        "/openapi.json: UNSUPPORTED_SCHEMA_VERSION",
        "/openapi.json: MISSING_INFO",
        "/openapi.json: MISSING_TITLE",
        "/openapi.json: MISSING_VERSION",
        "/openapi.json: MISSING_PATHS",
        "/openapi.json: NO_ENDPOINTS",
    ]
