"""`navigator export oruk`: every file passes the ORUK 3.0 and HSDS 3.0 schemas, ids are
stable UUIDv5, nothing empty or private is published, and bad folders get a clear message."""

from __future__ import annotations

import json
import resource
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from navigator.cli import main
from navigator.interop.oruk.conformance import (
    check_feed,
    datapackage_errors,
    envelope_errors,
    schema_errors,
    static_fetch,
    walk_json,
)
from tests.interop.conftest import COUNCIL, DEMO

LISTS = {
    "services": "service",
    "service_at_locations": "service_at_location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "organizations": "organization",
}


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def export_demo(tmp_path: Path) -> Callable[..., Path]:
    """Export the demo with the real command into a new folder of this test's own, for
    tests that need a second export beside `demo_export` (the session's shared one)."""

    def export(name: str, *options: str) -> Path:
        out = tmp_path / name
        assert main(["--kb", str(DEMO), "export", "oruk", "--out", str(out), *options]) == 0
        return out

    return export


def test_every_exported_json_file_passes_the_oruk_schemas(demo_export: Path) -> None:
    problems: list[str] = []
    files = list(walk_json(demo_export))
    for path in files:
        relative = path.relative_to(demo_export)
        if relative.parts[0] not in LISTS:
            continue
        schema = LISTS[relative.parts[0]]
        body = _read(path)
        if path.stem.startswith("page-"):
            page = int(path.stem.removeprefix("page-"))
            problems += envelope_errors(body, str(relative), page=page)
            for item in body["contents"]:
                problems += schema_errors(item, schema, where=str(relative))
        else:
            problems += schema_errors(body, schema, where=str(relative))
            if schema == "service":
                problems += schema_errors(body, schema, standard="hsds", where=str(relative))
    assert problems == []
    assert len(files) > 400


def test_the_export_passes_the_validators_rules(demo_export: Path) -> None:
    report = check_feed(static_fetch(demo_export), check_cors=False)
    assert report.errors == []
    assert report.checked > 50
    assert _read(demo_export / "index.json")["version"] == "HSDS-UK-3.0"


@pytest.mark.slow
def test_the_tabular_data_package_passes_frictionless(demo_export: Path) -> None:
    descriptor = demo_export / "tabular" / "datapackage.json"
    assert datapackage_errors(descriptor) == []
    services = (demo_export / "tabular" / "services.csv").read_text(encoding="utf-8")
    assert len(services.splitlines()) == 1 + len(list((demo_export / "services").glob("*-*-*")))
    package = _read(descriptor)
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"
    assert "CC BY-SA 4.0" in package["sources"][0]["title"]


def test_frictionless_finds_a_broken_foreign_key(demo_export: Path, tmp_path: Path) -> None:
    """The data-package check can fail: a phone pointing at no contact is reported."""
    copy = tmp_path / "tabular"
    copy.mkdir()
    for path in (demo_export / "tabular").iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    phones = (copy / "phones.csv").read_text(encoding="utf-8").splitlines()
    header = phones[0].split(",")
    contact = header.index("contact_id")
    row = next(line.split(",") for line in phones[1:] if line.split(",")[contact])
    row[contact] = str(uuid.uuid4())
    (copy / "phones.csv").write_text("\n".join([phones[0], ",".join(row)]) + "\n", "utf-8")
    problems = datapackage_errors(copy / "datapackage.json")
    assert any("foreign" in problem.lower() for problem in problems), problems


def test_the_schema_check_can_fail() -> None:
    broken = {"id": "carers-assessment", "name": "Carer's assessment", "status": "open"}
    problems = schema_errors(broken, "service")
    assert any("uuid" in problem for problem in problems)
    assert any("'open' is not one of" in problem for problem in problems)


def test_ids_are_uuid5_from_the_council_namespace_and_stable(
    demo_export: Path, export_demo: Callable[..., Path]
) -> None:
    again = export_demo("again", "--namespace", COUNCIL)
    other = export_demo("other", "--namespace", str(uuid.uuid4()))
    first = sorted(p.name for p in (demo_export / "services").iterdir())
    assert first == sorted(p.name for p in (again / "services").iterdir())
    pages = {p.name for p in (other / "services").iterdir() if p.name.startswith("page-")}
    assert pages  # the list pages are named alike in every export; the services are not
    assert not set(first) & ({p.name for p in (other / "services").iterdir()} - pages)
    expected = uuid.uuid5(uuid.UUID(COUNCIL), "service:carers-assessment")
    body = _read(demo_export / "services" / f"{expected}.json")
    assert body["name"] == "Carer's assessment"
    assert uuid.UUID(body["id"]).version == 5


def test_empty_fields_are_omitted(demo_export: Path) -> None:
    def empties(value: Any, path: str) -> list[str]:
        if isinstance(value, dict):
            return [p for key, item in value.items() for p in empties(item, f"{path}/{key}")]
        if isinstance(value, list) and path.endswith("/contents"):
            return [p for index, item in enumerate(value) for p in empties(item, f"{path}/{index}")]
        if value is None or value == "" or value == [] or value == {}:
            return [path]
        if isinstance(value, list):
            return [p for index, item in enumerate(value) for p in empties(item, f"{path}/{index}")]
        return []

    found = [
        problem
        for path in walk_json(demo_export)
        if path.name != "openapi.json"
        for problem in empties(_read(path), str(path.relative_to(demo_export)))
    ]
    assert found == [], found[:5]


def test_hsds_extras_the_uk_profile_drops_are_kept(demo_export: Path) -> None:
    """Phones, wait times and eligibility text stay in the feed (HSDS allows them)."""
    services = [_read(p) for p in (demo_export / "services").glob("*-*-*.json")]
    waiting = [s for s in services if "wait_time" in s]
    assert waiting and all(
        s["status"] == "active" and "Waiting list" in s["alert"] for s in waiting
    )
    carers = next(s for s in services if s["name"] == "Carer's assessment")
    assert carers["phones"][0]["number"]
    assert carers["contacts"][0]["phones"][0]["number"] == carers["phones"][0]["number"]
    assert carers["eligibility_description"]
    assert carers["assured_date"] and carers["last_modified"].endswith(".000Z")
    assert {a["link_type"] for a in carers["attributes"]} == {"need"}


def test_refuge_addresses_and_staff_contacts_are_never_published(
    private_kb: Path, tmp_path: Path
) -> None:
    out = tmp_path / "feed"
    status = main(
        [
            "--kb",
            str(private_kb),
            "export",
            "oruk",
            "--out",
            str(out),
            "--withhold-address",
            "housing-options",
        ]
    )
    assert status == 0
    published = "\n".join(
        path.read_text(encoding="utf-8") for path in out.rglob("*") if path.is_file()
    )
    for secret in ("Larkspur", "NB7 9QZ", "Orchard Mews", "NB8 2OM", "Quarry Lane", "jane.smith"):
        assert secret not in published, secret
    assert "Northbrook women's refuge" in published
    assert "01632 960 951" in published, "the refuge's phone line is still published"


def test_a_personal_assurer_email_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "--kb",
            str(DEMO),
            "export",
            "oruk",
            "--out",
            str(tmp_path / "f"),
            "--assurer-email",
            "sam.jones@northbrook.gov.uk",
        ]
    )
    assert status == 2
    assert "shared mailbox" in capsys.readouterr().err
    assert not (tmp_path / "f").exists()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda root: root / "missing" / "feed", "does not exist"),
        (lambda root: (root / "afile").write_text("x") and root / "afile", "is a file"),
        (
            lambda root: (
                (root / "mine").mkdir()
                or ((root / "mine" / "notes.txt").write_text("k") and root / "mine")
            ),
            "not a Navigator export",
        ),
    ],
)
def test_bad_folders_get_a_clear_message_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, says: str
) -> None:
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    out = make(tmp_path)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    assert main(["--kb", str(DEMO), "export", "oruk", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_a_bad_namespace_gets_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "--kb",
                str(DEMO),
                "export",
                "oruk",
                "--out",
                str(tmp_path / "f"),
                "--namespace",
                "northbrook",
            ]
        )
        == 2
    )
    assert "is not a UUID" in capsys.readouterr().err


def _small_files() -> None:
    """In the child: files may not grow past 20 kB, and going past is an error, not a kill."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_failed_export_leaves_the_last_one_whole(
    export_demo: Callable[..., Path], tmp_path: Path
) -> None:
    """The disk fills half-way (a file-size limit): the earlier export is untouched."""
    out = export_demo("feed")
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "navigator.cli",
            "--kb",
            str(DEMO),
            "export",
            "oruk",
            "--out",
            str(out),
            "--namespace",
            COUNCIL,
        ],
        capture_output=True,
        text=True,
        preexec_fn=_small_files,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Nothing was changed" in done.stderr and "Traceback" not in done.stderr
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed"]


def test_a_base_url_gives_the_openapi_and_term_addresses(
    export_demo: Callable[..., Path],
) -> None:
    base = "https://directory.northbrook.example/oruk"
    out = export_demo(
        "feed", "--base-url", base + "/", "--assurer-email", "directory@northbrook.gov.uk"
    )
    assert _read(out / "index.json")["openapi_url"] == f"{base}/openapi.json"
    terms = _read(out / "taxonomy_terms" / "page-1.json")["contents"]
    assert all(term["term_uri"] == f"{base}/taxonomy_terms/{term['id']}" for term in terms)
    service = _read(next((out / "services").glob("*-*-*.json")))
    assert service["assurer_email"] == "directory@northbrook.gov.uk"
    assert check_feed(static_fetch(out), check_cors=False).errors == []


def test_hours_the_app_reads_become_weekly_schedules(demo_export: Path) -> None:
    services = {s["name"]: s for s in map(_read, (demo_export / "services").glob("*-*-*.json"))}

    def schedules_for(words: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = next(
            s["schedules"]
            for s in services.values()
            if s.get("schedules", [{}])[0].get("description") == words
        )
        return found

    weekdays = schedules_for("Monday to Friday, 9am to 5pm")
    assert [
        {k: v for k, v in part.items() if k not in {"id", "service_id"}} for part in weekdays
    ] == [
        {
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR",
            "opens_at": "09:00:00",
            "closes_at": "17:00:00",
            "description": "Monday to Friday, 9am to 5pm",
        }
    ]
    two = schedules_for("Tuesday and Thursday 10am to 6pm, Saturday 10am to 1pm")
    assert [(p["byday"], p["opens_at"], p["closes_at"]) for p in two] == [
        ("TU,TH", "10:00:00", "18:00:00"),
        ("SA", "10:00:00", "13:00:00"),
    ]
    words = schedules_for("School term times")
    assert words[0].keys() == {"id", "service_id", "description"}


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's read-only /sys")
def test_a_folder_nobody_may_write_in_gets_a_clear_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """/sys refuses new folders even to root: an unwritable place to export to."""
    assert main(["--kb", str(DEMO), "export", "oruk", "--out", "/sys/kernel/oruk-feed"]) == 2
    err = capsys.readouterr().err
    assert "cannot write in /sys/kernel" in err and "Choose a folder you may write to" in err
    assert not Path("/sys/kernel/oruk-feed").exists()


def test_a_knowledge_base_with_errors_is_not_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `validate` rejects never reaches a feed, by export or by serve-feed."""
    kb = tmp_path / "kb"
    shutil.copytree(DEMO, kb)
    services = kb / "services" / "carers-support.yaml"
    services.write_text(
        services.read_text(encoding="utf-8").replace(
            "needs: [carers-support]", "needs: [no-such-need]", 1
        ),
        encoding="utf-8",
    )
    out = tmp_path / "feed"
    assert main(["--kb", str(kb), "export", "oruk", "--out", str(out)]) == 2
    assert main(["--kb", str(kb), "serve-feed", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "no-such-need" in err and "carers-support.yaml" in err
    assert not out.exists()


def test_imported_candidates_are_not_published(tmp_path: Path) -> None:
    """A neighbour's services wait as candidates until accepted: the feed leaves them out."""
    from navigator.interop.oruk_import.run import run_import

    kb = tmp_path / "kb"
    shutil.copytree(DEMO, kb)
    neighbour = tmp_path / "neighbour.json"
    neighbour.write_text(
        json.dumps(
            [
                {
                    "id": str(uuid.uuid4()),
                    "name": "Riverside candidate club",
                    "status": "active",
                    "description": "Only a candidate.",
                }
            ]
        ),
        encoding="utf-8",
    )
    run_import(str(neighbour), kb, feed="neighbour")
    assert "Riverside candidate club" in "".join(
        p.read_text(encoding="utf-8") for p in (kb / "candidates").rglob("*.yaml")
    )
    out = tmp_path / "feed"
    assert main(["--kb", str(kb), "export", "oruk", "--out", str(out)]) == 0
    published = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    assert "Riverside candidate club" not in published
    assert "Carer's assessment" in published
