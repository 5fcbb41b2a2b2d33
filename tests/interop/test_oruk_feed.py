"""`navigator serve-feed`, started for real on 127.0.0.1 and called over HTTP: it passes the
ORUK validator's rules and schemas, pages and filters as documented, and sends CORS `*`."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from navigator.interop.oruk.conformance import Response, check_feed, envelope_errors
from tests.interop.conftest import COUNCIL, DEMO


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_feed(kb: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """`navigator serve-feed` in its own process; returns once it answers `GET /`."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "navigator.cli",
            "--kb",
            str(kb),
            "serve-feed",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--namespace",
            COUNCIL,
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve-feed stopped: {process.stderr.read()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("serve-feed did not answer within 60 s")


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def feed() -> Iterator[str]:
    process, base = start_feed(DEMO)
    yield base
    stop(process)


def http(
    base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> Response:
    request = urllib.request.Request(base + path, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw = answer.read()
            status, found = answer.status, answer.headers
    except urllib.error.HTTPError as problem:
        raw, status, found = problem.read(), problem.code, problem.headers
    body = json.loads(raw) if raw and "json" in found.get("content-type", "") else None
    return Response(status, {k.lower(): v for k, v in found.items()}, body)


def get(base: str, path: str) -> Any:
    got = http(base, path)
    assert got.status == 200, (path, got.status, got.body)
    return got.body


def test_the_demo_feed_passes_the_validators_rules_over_http(feed: str) -> None:
    report = check_feed(lambda path: http(feed, path))
    assert report.errors == [], report.errors[:5]
    assert report.warnings == []
    assert report.checked > 50


def test_root_declares_version_profile_and_openapi(feed: str) -> None:
    root = get(feed, "/")
    assert root["version"] == "HSDS-UK-3.0"
    assert root["openapi_url"] == f"{feed}/openapi.json"
    assert get(feed, "/openapi.json")["openapi"].startswith("3.")


def test_paging_first_middle_last_and_beyond(feed: str) -> None:
    first = get(feed, "/services?per_page=20")
    total = first["total_items"]
    assert total > 200 and first["total_pages"] == -(-total // 20)
    seen: list[str] = []
    for page in range(1, first["total_pages"] + 1):
        body = get(feed, f"/services?page={page}&per_page=20")
        assert envelope_errors(body, "services", page=page) == []
        seen += [item["id"] for item in body["contents"]]
    assert len(seen) == len(set(seen)) == total
    beyond = get(feed, f"/services?page={first['total_pages'] + 1}&per_page=20")
    assert beyond["empty"] and beyond["contents"] == [] and beyond["last_page"]


def test_list_items_are_shallow_and_the_full_service_is_nested(feed: str) -> None:
    item = get(feed, "/services?search=carer%27s+assessment")["contents"][0]
    assert "phones" not in item and "attributes" not in item
    full = get(feed, f"/services/{item['id']}")
    assert full["phones"] and full["attributes"] and full["organization"]["name"]


def test_filters_search_taxonomy_and_postcode(feed: str) -> None:
    everything = get(feed, "/services?per_page=1000")["contents"]
    found = get(feed, "/services?search=food+bank&per_page=1000")["contents"]
    assert 0 < len(found) < len(everything)
    assert all("food bank" in (s["name"] + s.get("description", "")).lower() for s in found)
    term = next(
        t
        for t in get(feed, "/taxonomy_terms?per_page=100")["contents"]
        if t["term"] == "carers-support"
    )
    carers = get(feed, f"/services?taxonomy_term_id={term['id']}&per_page=1000")["contents"]
    assert 0 < len(carers) < len(everything)
    for item in carers:
        full = get(feed, f"/services/{item['id']}")
        assert term["id"] in {a["taxonomy_term_id"] for a in full["attributes"]}
    taxonomy = get(feed, "/taxonomies")["contents"][0]["id"]
    assert get(feed, f"/services?taxonomy_id={taxonomy}")["total_items"] > 0
    assert get(feed, f"/services?taxonomy_id={COUNCIL}")["total_items"] == 0
    near = get(feed, "/service_at_locations?postcode=NB1+1AA&per_page=1000")
    all_places = get(feed, "/service_at_locations?per_page=1000")
    assert 0 < near["total_items"] < all_places["total_items"]


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=two",
        "per_page=5000",
        "day=Funday",
        "day=XXMO",
        "start_time=9am",
        "minimum_age=old",
        "postcode=nowhere",
        "proximity=500",
    ],
)
def test_bad_parameters_are_400_with_a_reason(feed: str, query: str) -> None:
    path = "/service_at_locations" if "post" in query or "prox" in query else "/services"
    got = http(feed, f"{path}?{query}")
    assert got.status == 400
    assert got.body["detail"]


def test_unknown_ids_are_404_and_the_feed_is_read_only(feed: str) -> None:
    assert http(feed, f"/services/{COUNCIL}").status == 404
    assert http(feed, "/taxonomy_terms/nope").status == 404
    assert http(feed, "/services", method="POST").status == 405
    assert http(feed, "/services", method="DELETE").status == 405


def test_cors_allows_any_origin(feed: str) -> None:
    assert http(feed, "/services").headers["access-control-allow-origin"] == "*"
    assert http(feed, "/nowhere").headers["access-control-allow-origin"] == "*"
    preflight = http(
        feed,
        "/services",
        method="OPTIONS",
        headers={"Origin": "https://directory.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status == 200
    assert preflight.headers["access-control-allow-origin"] == "*"


def test_the_served_feed_withholds_private_details(private_kb: Path) -> None:
    process, base = start_feed(private_kb, "--withhold-address", "housing-options")
    try:
        items = get(base, "/services?per_page=1000")["contents"]
        published = json.dumps([get(base, f"/services/{item['id']}") for item in items])
        published += json.dumps(get(base, "/service_at_locations?per_page=1000"))
    finally:
        stop(process)
    for secret in ("Larkspur", "NB7 9QZ", "Orchard Mews", "Quarry Lane", "jane.smith"):
        assert secret not in published, secret


def test_a_port_in_use_gets_a_clear_message(feed: str) -> None:
    port = feed.rsplit(":", 1)[1]
    done = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "--kb", str(DEMO), "serve-feed", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Choose another --port" in done.stderr and "Traceback" not in done.stderr


def test_every_answer_of_the_feed_passes_the_schemas(feed: str) -> None:
    """Not only the validator's sample: every page and every id of every list endpoint."""
    from navigator.interop.oruk.conformance import schema_errors

    problems: list[str] = []
    answers = 0
    for path, name in (
        ("/services", "service"),
        ("/service_at_locations", "service_at_location"),
        ("/taxonomies", "taxonomy"),
        ("/taxonomy_terms", "taxonomy_term"),
        ("/organizations", "organization"),
    ):
        page, last = 1, 1
        while page <= last:
            body = get(feed, f"{path}?page={page}")
            answers += 1
            last = body["total_pages"]
            problems += envelope_errors(body, path, page=page)
            for item in body["contents"]:
                problems += schema_errors(item, name, where=f"{path}?page={page}")
                full = get(feed, f"{path}/{item['id']}")
                answers += 1
                problems += schema_errors(full, name, where=f"{path}/{item['id']}")
                if name == "service":
                    problems += schema_errors(full, name, standard="hsds", where=path)
            page += 1
    assert problems == [], problems[:5]
    assert answers > 400


def test_day_and_time_filters_use_the_weekly_hours(feed: str) -> None:
    everything = get(feed, "/services?per_page=1000")["total_items"]
    saturday = get(feed, "/services?day=SA&per_page=1000")["contents"]
    evening = get(feed, "/services?start_time=17:30&per_page=1000")["contents"]
    assert 0 < len(saturday) < everything and 0 < len(evening) < len(saturday) + everything
    for item in saturday:
        schedules = get(feed, f"/services/{item['id']}")["schedules"]
        days = {d for s in schedules for d in s.get("byday", "").split(",")}
        always = "24 hours a day, 7 days a week" in schedules[0]["description"]
        assert "SA" in days or always, schedules
    for item in evening:
        opens = [s.get("opens_at") for s in get(feed, f"/services/{item['id']}")["schedules"]]
        assert any(o and o >= "17:30" for o in opens)
    morning = get(feed, "/services?day=MO&start_time=09:00&end_time=17:00&per_page=1000")
    assert morning["total_items"] > 0
    assert get(feed, "/services?day=MO&start_time=23:00")["total_items"] == 0


def test_remembered_answers_send_the_same_headers_every_time(feed: str) -> None:
    """A list answer kept after it is first made must not gather headers as it is resent."""
    import http.client

    host, port = feed.removeprefix("http://").split(":")
    seen = []
    for _ in range(4):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/services?page=2", headers={"Origin": "https://a.example"})
        answer = connection.getresponse()
        answer.read()
        seen.append(sorted(answer.getheaders()))
        connection.close()
    without_date = [[(k, v) for k, v in headers if k.lower() != "date"] for headers in seen]
    assert all(headers == without_date[0] for headers in without_date)
    assert [k.lower() for k, _ in seen[0]].count("access-control-allow-origin") == 1
