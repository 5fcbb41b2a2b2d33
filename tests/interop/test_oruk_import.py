"""`navigator import oruk`: real fixture feeds on 127.0.0.1, real YAML written and loaded.

The knowledge base is a copy of the demo (its needs and taxonomy crosswalk).
Each test starts its own HTTP server (`oruk_feeds.FeedServer`).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from navigator.cli import main
from navigator.engine.hours import read_hours
from navigator.interop.oruk_import import ImportRefused
from navigator.interop.oruk_import.fetch import MEGABYTE, Limits
from navigator.interop.oruk_import.run import run_import
from navigator.kb import load
from tests.conftest import DEMO_KNOWLEDGE
from tests.interop.oruk_feeds import Feed, FeedServer, uid, v1_service, v3_service

NOW = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
QUICK = Limits(backoff_seconds=0.01, retries=1)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer()
    yield running
    running.close()


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(DEMO_KNOWLEDGE, root, ignore=shutil.ignore_patterns("transcripts"))
    return root


def candidates_of(kb: Path, feed: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in sorted((kb / "candidates" / feed).glob("*.yaml")):
        entries += yaml.safe_load(path.read_text("utf-8"))["candidates"]
    return entries


def snapshot(kb: Path, feed: str) -> dict[str, bytes]:
    """Every file of a feed's last import, to show a refused import changed nothing."""
    folder = kb / "candidates" / feed
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_v3_feed_becomes_checked_candidates_that_no_conversation_can_reach(
    server: FeedServer, kb: Path
) -> None:
    server.feeds["shire"] = Feed([v3_service(n) for n in range(1, 8)])
    outcome = run_import(server.url("shire"), kb, feed="shire", limits=QUICK, now=NOW)

    assert outcome.written == 7 and len(outcome.diff.new) == 7
    assert outcome.feed_info.envelope == "v3"
    assert outcome.feed_info.version == "HSDS-UK-3.0"
    result = load(kb)
    assert not result.errors
    assert len(result.knowledge.candidates) == 7
    assert not set(result.knowledge.candidates) & set(result.knowledge.services)
    first = result.knowledge.candidates["shire-riverside-carers-group-1"]
    assert first.provider is not None and first.provider.get("en") == "Riverside Carers Trust"
    assert first.organisation_ids == ["GB-CHC:1234567"]
    assert first.needs == ["carers-support"]  # LGA service/298 through the crosswalk
    assert [phone.number for phone in first.contact.phones] == ["01632 960200", "01632 960201"]
    assert first.contact.address is not None
    assert first.contact.address.get("en") == "1 River Street, Northbrook, NB1 3EF"
    assert first.postcode == "NB1 3EF"
    assert first.service_areas == ["NB1", "NB2"] and first.area_names == ["Shropshire"]
    assert first.cost_options is not None
    assert first.cost_options.get("en") == (
        "Drop-in session Free; Day trip £12.50 (includes lunch)."
    )
    assert first.minimum_age == 18 and first.languages == ["en", "cy"]
    assert first.wait_time == "About two weeks"
    assert first.eligibility_description is not None
    assert first.last_reviewed == dt.date(2026, 10, 1)
    # Schedules: the RRULE parts kept, and weekly hours said the way the app reads them.
    assert [(rule.freq, rule.byday) for rule in first.schedule_rules] == [
        ("WEEKLY", "MO,TU,WE,TH,FR"),
        ("WEEKLY", "SA"),
        ("MONTHLY", "2MO"),
    ]
    assert first.schedules is not None
    hours = first.schedules.get("en")
    assert hours.startswith("Monday to Friday, 9am to 5pm and Saturday, 10am to 1pm.")
    assert "second Monday of the month, 6pm until 8pm" in hours
    weekly = read_hours("Monday to Friday, 9am to 5pm and Saturday, 10am to 1pm")
    assert weekly is not None and len(weekly) == 6
    provenance = first.provenance
    assert provenance.source_id == uid("service-1")
    assert provenance.source_url == f"{server.url('shire')}/services/{uid('service-1')}"
    assert provenance.assured_date == "2026-10-01"
    assert provenance.last_modified == "2026-11-20T10:15:00.000Z"
    assert provenance.fetched_at == NOW
    assert provenance.feed_profile == "https://path/to/profile"
    assert any("placeholder profile" in note for note in outcome.notes)
    assert not any("three months" in note for note in outcome.notes)
    stale = run_import(
        server.url("shire"), kb, feed="shire", limits=QUICK, now=NOW + dt.timedelta(days=120)
    )
    assert any("7 services were last assured more than three" in n for n in stale.notes)


def test_service_areas_become_districts_from_names_uris_and_geojson(
    tmp_path: Path, kb: Path
) -> None:
    areas = [
        {
            "id": "a1",
            "name": "Northbrook town",
            "uri": "http://data.ordnancesurvey.co.uk/id/postcodedistrict/NB3",
        },
        {
            "id": "a2",
            "name": "Riverside wards",
            "extent_type": "geojson",
            "extent": json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "properties": {"name": "NB5"}, "geometry": None},
                        {"type": "Feature", "properties": {"district": "nb6"}, "geometry": None},
                    ],
                }
            ),
        },
        {"id": "a3", "name": "Shropshire", "extent_type": "geojson", "extent": "{}"},
    ]
    source = tmp_path / "one.json"
    source.write_text(json.dumps(v3_service(1, service_areas=areas)), "utf-8")
    run_import(str(source), kb, feed="areas", now=NOW)

    entry = candidates_of(kb, "areas")[0]
    assert entry["service_areas"] == ["NB3", "NB5", "NB6"]
    assert entry["area_names"] == ["Shropshire"]


def test_lists_are_walked_by_page_only_and_every_service_is_fetched_whole(
    server: FeedServer, kb: Path
) -> None:
    """The feed ignores per_page (pages of 3, not 50): only page numbers and ids are relied on."""
    server.feeds["shire"] = Feed([v3_service(n) for n in range(1, 8)], page_size=3)
    run_import(server.url("shire"), kb, feed="shire", limits=QUICK, now=NOW)

    pages = [path for path in server.requests if path.startswith("/shire/services?")]
    assert len(pages) == 3
    for path in server.requests:
        assert not any(word in path for word in ("search", "modified_after", "full", "ndjson"))
    assert sorted(server.details_fetched("shire")) == sorted(
        f"/shire/services/{uid(f'service-{n}')}" for n in range(1, 8)
    )


def test_a_feed_that_ignores_page_is_refused_not_looped(server: FeedServer, kb: Path) -> None:
    server.feeds["stuck"] = Feed([v3_service(n) for n in range(1, 8)], ignore_page=True)
    with pytest.raises(ImportRefused, match=r"given twice .* ignoring 'page'"):
        run_import(server.url("stuck"), kb, feed="stuck", limits=QUICK, now=NOW)
    assert not (kb / "candidates" / "stuck").exists()


def test_an_interrupted_import_resumes_without_fetching_again(server: FeedServer, kb: Path) -> None:
    server.feeds["shire"] = Feed([v3_service(n) for n in range(1, 10)])

    def stop_after_three(done: int, total: int) -> None:
        if done >= 3:
            raise KeyboardInterrupt  # as Ctrl+C would, part-way through

    with pytest.raises(KeyboardInterrupt):
        run_import(
            server.url("shire"),
            kb,
            feed="shire",
            limits=Limits(concurrency=1),
            progress=stop_after_three,
            now=NOW,
        )
    assert not (kb / "candidates" / "shire").exists()
    first_run = set(server.details_fetched("shire"))
    server.requests.clear()
    outcome = run_import(server.url("shire"), kb, feed="shire", limits=QUICK, now=NOW)
    assert outcome.written == 9
    assert len(first_run) >= 3
    fetched_again = set(server.details_fetched("shire")) & first_run
    assert len(fetched_again) <= 1  # at most the one whose fetch was cut short


def test_a_v1_feed_with_its_own_tables_and_non_uuid_ids(server: FeedServer, kb: Path) -> None:
    server.feeds["bristol"] = Feed([v1_service(n) for n in range(1, 5)], version="v1", root=None)
    outcome = run_import(server.url("bristol"), kb, feed="bristol", limits=QUICK, now=NOW)

    assert outcome.feed_info.envelope == "v1"
    assert any("GET / is missing" in note for note in outcome.notes)
    assert any("4 of 4 ids are not UUIDs" in note for note in outcome.notes)
    server.feeds["bristol"].fault = "html-root"  # a landing page at / is only noted
    outcome = run_import(server.url("bristol"), kb, feed="bristol", limits=QUICK, now=NOW)
    assert any("GET / gave no version or profile" in note for note in outcome.notes)
    entry = load(kb).knowledge.candidates["bristol-harbour-food-bank-1"]
    assert entry.provenance.source_id == "bristol-1"
    assert entry.needs == ["food-essentials"]  # by the label "Food banks"
    assert entry.schedules is not None
    assert entry.schedules.get("en") == "Tuesday and Thursday, 10am to 12:30pm"
    assert read_hours(entry.schedules.get("en")) is not None
    assert entry.minimum_age == 16
    assert entry.eligibility_description is not None
    assert entry.eligibility_description.get("en") == "A referral voucher"
    assert entry.postcode == "NB4 1AA" and entry.service_areas == ["NB4"]
    assert entry.cost_options is not None and entry.cost_options.get("en") == "Free."
    assert [phone.number for phone in entry.contact.phones] == ["0117 496 0000"]


def test_html_scripts_and_mojibake_never_reach_the_candidates(server: FeedServer, kb: Path) -> None:
    dirty = v3_service(
        1,
        name="Caf\u00c3\u00a9 &amp; Chat",
        description=(
            "<p>Come along!</p><script>alert('x')</script><b>Only \u00c2\u00a35</b>"
            "<br>We don\u00e2\u20ac\u2122t judge.<img src=x onerror=alert(1)>"
        ),
    )
    server.feeds["dirty"] = Feed([dirty])
    run_import(server.url("dirty"), kb, feed="dirty", limits=QUICK, now=NOW)

    entry = candidates_of(kb, "dirty")[0]
    assert entry["name"] == "Café & Chat"
    assert entry["description"] == "Come along!\nOnly £5\nWe don\u2019t judge."
    text = "".join(part.decode() for part in snapshot(kb, "dirty").values())
    assert "<script" not in text and "alert" not in text and "onerror" not in text


def test_a_feed_failing_half_way_writes_nothing_then_resumes_where_it_stopped(
    server: FeedServer, kb: Path
) -> None:
    services = [v3_service(n) for n in range(1, 9)]
    server.feeds["lancs"] = Feed(services)
    run_import(server.url("lancs"), kb, feed="lancs", limits=QUICK, now=NOW)
    good = snapshot(kb, "lancs")

    changed = copy.deepcopy(services)
    changed[0]["name"] = "Riverside Carers Group (renamed)"
    server.feeds["lancs"] = Feed(changed, fail_details_after=4)
    with pytest.raises(ImportRefused, match=r"answered 500.*Only 4 of 8 services were fetched"):
        run_import(server.url("lancs"), kb, feed="lancs", limits=QUICK, now=NOW)
    assert snapshot(kb, "lancs") == good  # the last good import stays
    assert len(load(kb).knowledge.candidates) == 8

    server.feeds["lancs"].fail_details_after = None  # the feed comes back
    server.requests.clear()
    outcome = run_import(server.url("lancs"), kb, feed="lancs", limits=QUICK, now=NOW)
    assert len(server.details_fetched("lancs")) == 4  # only the four not fetched before
    assert not [path for path in server.requests if "/services?" in path]  # listing kept too
    assert outcome.diff.changed == [
        "lancs-riverside-carers-group-1: Riverside Carers Group (renamed) (name)"
    ]
    assert any(note.startswith("resumed: 4 of 8") for note in outcome.notes)
    assert not (kb / "candidates" / ".lancs.checkpoint").exists()


def test_the_diff_says_what_is_new_changed_and_gone_and_ids_stay_stable(
    tmp_path: Path, kb: Path
) -> None:
    source = tmp_path / "feed.json"
    services = [v3_service(n) for n in range(1, 4)]
    source.write_text(json.dumps({"total_items": 3, "contents": services}), "utf-8")
    run_import(str(source), kb, feed="file-feed", now=NOW)
    ids = {
        entry["provenance"]["source_id"]: entry["id"] for entry in candidates_of(kb, "file-feed")
    }

    services[1]["name"] = "Riverside Carers Café"
    services[1]["cost_options"] = []
    del services[2]
    services.append(v3_service(9))
    source.write_text(json.dumps({"total_items": 3, "contents": services}), "utf-8")
    outcome = run_import(str(source), kb, feed="file-feed", now=NOW + dt.timedelta(days=1))

    assert outcome.diff.new == ["file-feed-riverside-carers-group-9: Riverside Carers Group 9"]
    assert outcome.diff.changed == [
        "file-feed-riverside-carers-group-2: Riverside Carers Café (cost_options, name)"
    ]
    assert outcome.diff.gone == ["file-feed-riverside-carers-group-3: Riverside Carers Group 3"]
    assert outcome.diff.unchanged == 1  # the fetch time alone is not a change
    again = {
        entry["provenance"]["source_id"]: entry["id"] for entry in candidates_of(kb, "file-feed")
    }
    assert again[uid("service-2")] == ids[uid("service-2")]  # renamed, same id


def test_the_same_service_from_two_feeds_is_kept_once(tmp_path: Path, kb: Path) -> None:
    first = tmp_path / "a.json"
    first.write_text(json.dumps([v3_service(1), v3_service(2)]), "utf-8")
    run_import(str(first), kb, feed="county", now=NOW)

    same_charity = v3_service(1, id="other-1")  # same org identifier and name, another id
    same_place = v3_service(2, id="other-2", organization={"id": "o", "name": "Someone else"})
    different = v3_service(3, id="other-3")
    second = tmp_path / "b.json"
    second.write_text(json.dumps([same_charity, same_place, different]), "utf-8")
    outcome = run_import(str(second), kb, feed="city", now=NOW)

    assert [entry["provenance"]["source_id"] for entry in candidates_of(kb, "city")] == ["other-3"]
    assert outcome.diff.duplicates == [
        "Riverside Carers Group 1 is 'county-riverside-carers-group-1' from county "
        "(same organisation identifier and name)",
        "Riverside Carers Group 2 is 'county-riverside-carers-group-2' from county "
        "(same name and postcode)",
    ]


def test_a_tabular_data_package_is_joined_on_its_ids(tmp_path: Path, kb: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    tables: dict[str, list[dict[str, Any]]] = {
        "service": [
            {
                "id": "s1",
                "name": "Hill Befriending",
                "status": "active",
                "organization_id": "o1",
                "description": "Weekly <b>visits</b>.",
            }
        ],
        "organization": [{"id": "o1", "name": "Hill Trust", "description": "x"}],
        "organization_identifier": [
            {
                "id": "i1",
                "organization_id": "o1",
                "identifier_scheme": "GB-COH",
                "identifier_type": "company",
                "identifier": "0999",
            }
        ],
        "phone": [{"id": "p1", "service_id": "s1", "number": "01632 960999"}],
        "schedule": [
            {
                "id": "h1",
                "service_id": "s1",
                "freq": "WEEKLY",
                "byday": "WE",
                "opens_at": "14:00",
                "closes_at": "16:00",
            }
        ],
        "service_at_location": [{"id": "sl1", "service_id": "s1", "location_id": "l1"}],
        "location": [{"id": "l1", "location_type": "physical", "name": "Hall"}],
        "address": [
            {
                "id": "a1",
                "location_id": "l1",
                "address_1": "2 Hill Road",
                "city": "Northbrook",
                "postal_code": "NB7 2AB",
                "country": "GB",
                "address_type": "physical",
            }
        ],
        "taxonomy_term": [{"id": "t1", "name": "Befriending", "description": "x"}],
        "attribute": [{"id": "at1", "link_id": "s1", "taxonomy_term_id": "t1"}],
    }
    resources = []
    for name, rows in tables.items():
        with (package / f"{name}.csv").open("w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        resources.append({"name": name, "path": f"{name}.csv"})
    descriptor = {"name": "hill", "licenses": [{"name": "OGL-UK-3.0"}], "resources": resources}
    (package / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")

    outcome = run_import(str(package / "datapackage.json"), kb, feed="hill", now=NOW)

    assert outcome.feed_info.envelope == "datapackage"
    entry = load(kb).knowledge.candidates["hill-hill-befriending"]
    assert entry.description is not None and entry.description.get("en") == "Weekly visits."
    assert entry.organisation_ids == ["GB-COH:0999"]
    assert entry.needs == ["loneliness-isolation"]
    assert entry.postcode == "NB7 2AB"
    assert entry.schedules is not None and entry.schedules.get("en") == "Wednesday, 2pm to 4pm"
    assert entry.provenance.licence == "OGL-UK-3.0"


def test_a_package_may_not_point_outside_its_folder(tmp_path: Path, kb: Path) -> None:
    (tmp_path / "secret.csv").write_text("id,name\n1,x\n", "utf-8")
    package = tmp_path / "pkg"
    package.mkdir()
    descriptor = {"resources": [{"name": "services", "path": "../secret.csv"}]}
    (package / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    with pytest.raises(ImportRefused, match="outside the package's folder"):
        run_import(str(package / "datapackage.json"), kb, feed="pkg", now=NOW)


# --- Unsafe input: refused with a clear message, nothing written ----------------------------


def _refused(server: FeedServer, kb: Path, feed: Feed, limits: Limits, message: str) -> None:
    server.feeds["bad"] = feed
    with pytest.raises(ImportRefused, match=message):
        run_import(server.url("bad"), kb, feed="bad", limits=limits, now=NOW)
    assert not (kb / "candidates" / "bad").exists()
    assert not list((kb / "candidates").glob(".bad.*.new"))


def test_a_web_page_instead_of_json_is_refused(server: FeedServer, kb: Path) -> None:
    _refused(server, kb, Feed([], fault="html"), QUICK, "not JSON.*looks like a web page")


def test_an_endless_page_is_cut_off_at_the_byte_limit(server: FeedServer, kb: Path) -> None:
    """The page never ends (a 200 MB page or worse): reading stops at the limit (default 50 MB)."""
    _refused(server, kb, Feed([], fault="huge"), QUICK, "bigger than 50 MB, so it was not read")


def test_a_smaller_byte_limit_is_honoured(server: FeedServer, kb: Path) -> None:
    limits = Limits(page_bytes=1 * MEGABYTE, retries=0)
    _refused(server, kb, Feed([], fault="huge"), limits, "bigger than 1 MB")


def test_a_redirect_loop_is_refused(server: FeedServer, kb: Path) -> None:
    _refused(server, kb, Feed([], fault="loop"), QUICK, "redirects more than 5 times")


def test_a_slow_drip_server_is_abandoned(server: FeedServer, kb: Path) -> None:
    limits = Limits(seconds_per_request=1.0, read_seconds=5.0, retries=0)
    _refused(server, kb, Feed([], fault="slow"), limits, "still arriving after 1 seconds")


def test_colliding_ids_are_refused(server: FeedServer, kb: Path) -> None:
    twins = [v3_service(1), v3_service(2), v3_service(3), v3_service(4, id=uid("service-1"))]
    _refused(server, kb, Feed(twins), QUICK, r"id '.*' is given twice \(pages 1 and 2\)")


def test_a_service_with_ten_thousand_locations_is_refused(server: FeedServer, kb: Path) -> None:
    site = v3_service(1)["service_at_locations"][0]
    crowded = v3_service(1, service_at_locations=[site] * 10_000)
    _refused(server, kb, Feed([crowded]), QUICK, "has 10,000 locations")


def test_a_refused_import_leaves_the_last_good_one(server: FeedServer, kb: Path) -> None:
    server.feeds["bad"] = Feed([v3_service(1)])
    run_import(server.url("bad"), kb, feed="bad", limits=QUICK, now=NOW)
    good = snapshot(kb, "bad")
    server.feeds["bad"] = Feed([], fault="html")
    with pytest.raises(ImportRefused):
        run_import(server.url("bad"), kb, feed="bad", limits=QUICK, now=NOW)
    assert snapshot(kb, "bad") == good


# --- The commands: import, review, accept ---------------------------------------------------


def test_import_review_and_accept_from_the_command_line(
    server: FeedServer, kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.feeds["shire"] = Feed([v3_service(1), v3_service(2, attributes=[])])
    assert main(["import", "oruk", server.url("shire"), "--into", str(kb), "--feed", "shire"]) == 0
    out = capsys.readouterr()
    assert "Imported 2 candidates" in out.out and "2 new, 0 changed, 0 gone" in out.out
    assert "fetched 2 of 2 services" in out.err  # the progress, a line at a time off a terminal

    assert main(["import", "review", "--into", str(kb)]) == 0
    shown = capsys.readouterr().out
    assert (
        "[candidate] shire-riverside-carers-group-1: Riverside Carers Group 1 (carers-support)"
        in shown
    )
    assert (
        "[candidate] shire-riverside-carers-group-2: Riverside Carers Group 2 (no need matched)"
        in shown
    )

    # Naming a candidate in an outcome is an error that says to accept it first.
    topic = kb / "topics" / "carers-support.yaml"
    original = topic.read_text("utf-8")
    first_outcome = original.index("services: [") + len("services: [")
    topic.write_text(
        original[:first_outcome] + "shire-riverside-carers-group-1, " + original[first_outcome:],
        "utf-8",
    )
    assert main(["validate", str(kb)]) == 1
    assert "navigator import accept shire-riverside-carers-group-1" in capsys.readouterr().out

    assert main(["import", "accept", "shire-riverside-carers-group-2", "--into", str(kb)]) == 2
    assert "matched no need" in capsys.readouterr().err
    assert main(["import", "accept", "shire-riverside-carers-group-1", "--into", str(kb)]) == 0
    capsys.readouterr()
    assert main(["validate", str(kb)]) == 0
    result = load(kb)
    service = result.knowledge.services["shire-riverside-carers-group-1"]
    assert service.eligibility is None  # never invented from feed text
    assert list(service.needs) == ["carers-support"]
    assert service.schedules is not None and read_hours(service.schedules.get("en").split(".")[0])

    assert main(["import", "review", "--into", str(kb)]) == 0
    assert "[accepted] shire-riverside-carers-group-1" in capsys.readouterr().out
    # Importing again keeps the accepted candidate's id, so it stays linked.
    assert main(["import", "oruk", server.url("shire"), "--into", str(kb), "--feed", "shire"]) == 0
    assert "0 new, 0 changed, 0 gone, 2 unchanged" in capsys.readouterr().out
    # When the feed changes or drops an accepted service, the review says to check it.
    server.feeds["shire"] = Feed([v3_service(1, description="Now fortnightly.")])
    assert main(["import", "oruk", server.url("shire"), "--into", str(kb), "--feed", "shire"]) == 0
    capsys.readouterr()
    assert main(["import", "review", "--into", str(kb)]) == 0
    shown = capsys.readouterr().out
    assert (
        "CHECK: 'shire-riverside-carers-group-1', which you accepted as a service, "
        "has changed in the feed" in shown
    )
    assert "gone from the feed" not in shown  # group 2 went, but was never accepted


def test_the_command_refuses_with_a_message_and_exit_status_1(
    server: FeedServer, kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.feeds["bad"] = Feed([], fault="html")
    assert main(["import", "oruk", server.url("bad"), "--into", str(kb)]) == 1
    err = capsys.readouterr().err
    assert "navigator import:" in err and "not JSON" in err and "Traceback" not in err


def test_a_large_feed_is_written_in_parts_the_loader_accepts(tmp_path: Path, kb: Path) -> None:
    """Shropshire lists about 5,000 services; no one file may near the loader's 5 MB limit."""
    source = tmp_path / "big.json"
    source.write_text(json.dumps([v3_service(n) for n in range(1, 521)]), "utf-8")
    run_import(str(source), kb, feed="big", now=NOW)

    parts = sorted(path.name for path in (kb / "candidates" / "big").glob("*.yaml"))
    assert parts == ["candidates-001.yaml", "candidates-002.yaml"]  # 500 a file
    result = load(kb)
    assert not result.errors
    assert len(result.knowledge.candidates) == 520


def test_a_swap_cut_off_half_way_is_put_right_by_the_next_run(tmp_path: Path, kb: Path) -> None:
    source = tmp_path / "feed.json"
    source.write_text(json.dumps([v3_service(1), v3_service(2)]), "utf-8")
    run_import(str(source), kb, feed="cut", now=NOW)
    # As if the power went between the two renames: the old import aside, no new one yet.
    (kb / "candidates" / "cut").rename(kb / "candidates" / ".cut.old")

    outcome = run_import(str(source), kb, feed="cut", now=NOW)
    assert outcome.diff.unchanged == 2 and not outcome.diff.new  # compared with the last good
    assert not (kb / "candidates" / ".cut.old").exists()
