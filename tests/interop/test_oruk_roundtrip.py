"""Export then import: Navigator's services come back from its own ORUK feed (hypothesis).

Services are generated in the forms content staff write, written as YAML to
a small knowledge base on disk, exported by `navigator.interop.oruk` (as a
JSON list of fully nested services, or as the Tabular Data Package), and read
back by `navigator import oruk`'s `run_import`. What must survive: the
service (name, description, provider, needs through the crosswalk, status,
wait), its contacts (phones, email,
website, how to start, the address's postcode), its hours (the same weekly
openings, or the same words), its areas (districts, or the whole place), and
its provenance (the feed id it was published under, and the review date).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navigator.engine.hours import read_hours
from navigator.interop.oruk.export import export
from navigator.interop.oruk.to_oruk import FeedOptions, build_feed
from navigator.interop.oruk_import import clean
from navigator.interop.oruk_import.run import run_import
from navigator.kb import load
from tests.interop.conftest import COUNCIL

NOW = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
PLACE = {
    "place": {"name": "Northbrook", "districts": ["NB1", "NB2", "NB3", "NB4"]},
    "needs": [
        {"id": "carers-support", "title": "Carers' support", "description": "For carers."},
        {"id": "housing", "title": "Housing", "description": "Somewhere safe to live."},
    ],
    # A Navigator feed names its terms by need title: the crosswalk maps them back.
    "taxonomy_crosswalk": [
        {"name": "Carers' support", "needs": ["carers-support"]},
        {"name": "Housing", "needs": ["housing"]},
    ],
}
WORDS = [
    "advice",
    "help",
    "carers",
    "money",
    "friendly",
    "free",
    "group",
    "local",
    "support",
    "home",
    "visits",
    "weekly",
    "talk",
    "plan",
    "benefits",
    "café",
]
HOURS = [
    "Monday to Friday, 9am to 5pm",
    "Tuesday and Thursday 10am to 6pm, Saturday 10am to 1pm",
    "Saturdays, 10am to 12 noon",
    "Wednesday 10am to 1pm, Saturday 9am to 2pm",
    "Monday to Thursday 3pm to 8pm, Saturday 11am to 3pm",
    "24 hours a day, 7 days a week",
    "School term times",
    "Most weekday mornings in different places",
]
WORDED = "14 cafés across Northbrook, including every library"
"""A place with no postcode: published as the location's words, read back the same."""
ADDRESSES = [
    "1 Market Square, Northbrook NB1 1AA",
    "Unit 4, Riverside Park, Northbrook NB5 1RP",
    "St Mark's Hall, 40 Park Road, NB3 5PR",
    WORDED,
]
PHONES = ["01632 960 950", "0808 2000 247", "03069 990102", "0300 123 4567"]

sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map(
    lambda words: " ".join(words).capitalize() + "."
)


@st.composite
def service(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(["open", "closed", "waiting_list"]))
    contact: dict[str, Any] = {
        "phones": [
            {"number": number, **({"description": text} if text else {})}
            for number, text in zip(
                draw(st.lists(st.sampled_from(PHONES), max_size=2, unique=True)),
                draw(st.lists(st.none() | sentence, min_size=2, max_size=2)),
                strict=False,
            )
        ],
        "email": draw(st.none() | st.sampled_from(["help@northbrook.gov.uk", "hi@carers.org"])),
        "website": draw(st.none() | st.just("https://www.northbrook.gov.uk/help")),
        "address": draw(st.none() | st.sampled_from(ADDRESSES)),
        "how_to_start": draw(st.none() | sentence),
    }
    entry: dict[str, Any] = {
        "description": draw(sentence),
        "provider": draw(st.sampled_from(["Northbrook Council", "Northbrook Carers"])),
        "needs": draw(
            st.lists(
                st.sampled_from(["carers-support", "housing"]), min_size=1, max_size=2, unique=True
            )
        ),
        "contact": {key: value for key, value in contact.items() if value},
        "schedules": draw(st.none() | st.sampled_from(HOURS)),
        "service_areas": draw(
            st.just("all")
            | st.lists(
                st.sampled_from(["NB1", "NB2", "NB3", "NB4"]), min_size=1, max_size=3, unique=True
            )
        ),
        "cost_options": draw(st.none() | sentence),
        "status": status,
        "last_reviewed": draw(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 1))),
    }
    if status == "waiting_list":
        entry["wait_time"] = {"weeks": draw(st.integers(1, 52))}
    return {key: value for key, value in entry.items() if value is not None}


def _weekly(hours: str | None) -> set[tuple[int, int, int]] | None:
    openings = read_hours(hours) if hours else None
    return {(o.day, o.opens, o.closes) for o in openings} if openings else None


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    drafts=st.lists(service(), min_size=1, max_size=4),
    route=st.sampled_from(["json", "tabular"]),
)
def test_export_then_import_gives_back_the_services(
    tmp_path: Path, drafts: list[dict[str, Any]], route: str
) -> None:
    root = tmp_path / f"rt-{uuid.uuid4().hex[:8]}"
    kb = root / "kb"
    kb.mkdir(parents=True)
    services = [
        {"id": f"svc-{index}", "name": f"Service number {index}", **draft}
        for index, draft in enumerate(drafts)
    ]
    (kb / "place.yaml").write_text(yaml.safe_dump(PLACE), encoding="utf-8")
    (kb / "services.yaml").write_text(
        yaml.safe_dump({"services": services}, allow_unicode=True, sort_keys=False), "utf-8"
    )
    loaded = load(kb)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    feed = build_feed(loaded.knowledge, FeedOptions(namespace=COUNCIL))
    if route == "json":
        source = root / "services.json"
        source.write_text(json.dumps(list(feed.services.values())), encoding="utf-8")
    else:
        export(feed, root / "feed", "Round trip")
        source = root / "feed" / "tabular" / "datapackage.json"
    run_import(str(source), kb, feed="roundtrip", now=NOW)
    back = {
        entry["provenance"]["source_id"]: entry
        for path in sorted((kb / "candidates" / "roundtrip").glob("*.yaml"))
        for entry in yaml.safe_load(path.read_text("utf-8"))["candidates"]
    }
    assert len(back) == len(services)
    if route == "tabular":
        assert {entry["provenance"]["licence"] for entry in back.values()} == {"OGL-UK-3.0"}
    for original in services:
        feed_id = str(uuid.uuid5(uuid.UUID(COUNCIL), f"service:{original['id']}"))
        _same(original, back[feed_id])
    shutil.rmtree(root)


def _same(original: dict[str, Any], got: dict[str, Any]) -> None:
    """The imported candidate says what the original said (up to the feed's tidying)."""
    assert got["name"] == original["name"]
    assert got["description"] == original["description"]
    assert got.get("provider") == original["provider"]
    assert sorted(got["needs"]) == sorted(original["needs"])
    assert got["status"] == ("closed" if original["status"] == "closed" else "open")
    if original["status"] == "waiting_list":
        assert got["wait_time"] == f"{original['wait_time']['weeks']} weeks"
    # contacts
    contact, said = got.get("contact", {}), original["contact"]
    assert [p["number"] for p in contact.get("phones", [])] == [
        clean.phone(p["number"]) for p in said.get("phones", [])
    ]
    assert [p.get("description") for p in contact.get("phones", [])] == [
        p.get("description") for p in said.get("phones", [])
    ]
    for key in ("email", "website", "how_to_start"):
        assert contact.get(key) == said.get(key), key
    if said.get("address") == WORDED:
        assert contact["address"] == said["address"], "words without a postcode come back as said"
    elif "address" in said:
        postcode = said["address"].rsplit(" ", 2)[-2:]
        assert got["postcode"] == " ".join(postcode)
        assert contact["address"].startswith(said["address"].split(",")[0])
    else:
        assert "address" not in contact
    # hours
    hours = original.get("schedules")
    weekly = _weekly(hours)
    if weekly and weekly != {(d, 0, 1440) for d in range(7)}:
        assert _weekly(got.get("schedules")) == weekly
    else:
        assert (got.get("schedules") or "").rstrip(".") == (hours or "").rstrip(".")
    # areas
    if original["service_areas"] == "all":
        assert got.get("area_names") == ["Northbrook"] and not got.get("service_areas")
    else:
        assert got["service_areas"] == original["service_areas"]
    # provenance
    assert str(got["last_reviewed"]) == original["last_reviewed"].isoformat()
    assert got["provenance"]["assured_date"] == original["last_reviewed"].isoformat()
    assert got["provenance"]["last_modified"].startswith(original["last_reviewed"].isoformat())
