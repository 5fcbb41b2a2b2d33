"""Export, then import over HTTP: services, contacts, hours, areas and provenance come back.

Hypothesis writes knowledge bases of services; each is exported by the real
`navigator export oruk` command, then imported by `navigator import oruk`
from the exported folder served as the ORUK API on 127.0.0.1 (so `GET /`,
the list pages and `/services/{id}` are all walked). `test_oruk_roundtrip.py`
does the same from a JSON list and from the Tabular Data Package, in memory.
What goes out as free text must come back as that text;
what the feed carries in another form (a waiting list as `wait_time`, an
address split into lines, "all" as the place's name) must come back meaning
the same. Ids come back as provenance: the feed's UUID, which the export's
id map turns back into the Navigator id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import phonenumbers
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from navigator.cli import main
from navigator.engine.hours import read_hours
from navigator.interop.oruk.ids import namespace_for, oruk_id
from navigator.interop.oruk_import.run import run_import
from navigator.kb import load
from tests.kb.kbfiles import TOPIC, write_kb

COUNCIL = "0b9f0f6e-3c1d-4f55-9a51-6f3c2d1e8a77"
PLACE = "Testborough"

_WORD = st.text(alphabet="abcdefghijklmnoprstuvwyéç", min_size=2, max_size=8)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=6).map(lambda words: " ".join(words).capitalize())
_PROSE = st.tuples(_SENTENCE, st.sampled_from(["", " & more", " for £5", " – don’t wait"])).map(
    lambda parts: parts[0] + parts[1] + "."
)
_NUMBERS = ["01632 960001", "020 7946 0018", "0117 496 0123", "07700 900461", "0808 157 0192"]
_HOURS = st.sampled_from(
    [
        "Monday to Friday, 9am to 5pm",
        "Tuesday and Thursday, 10am to 12:30pm",
        "Saturday, 10am to 1pm",
        "24 hours a day, 7 days a week",
        "School term times, mornings",
        "Monday to Friday, 9am to 5pm and Saturday, 10am to 1pm",
    ]
)


@st.composite
def services(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(min_value=1, max_value=4))
    made = []
    for number in range(count):
        status = draw(st.sampled_from(["open", "closed", "waiting_list"]))
        service: dict[str, Any] = {
            "id": f"rt-{number}",
            "name": draw(_SENTENCE) + f" {number}",
            "description": draw(_PROSE),
            "provider": draw(_SENTENCE),
            "needs": draw(
                st.sampled_from([["carers-support"], ["housing"], ["carers-support", "housing"]])
            ),
            "contact": {
                "phones": [
                    {"number": phone, "description": draw(_SENTENCE)}
                    for phone in draw(st.lists(st.sampled_from(_NUMBERS), max_size=2, unique=True))
                ],
                "email": draw(st.sampled_from([None, "hello@example.org", "carers@example.org"])),
                "website": draw(st.sampled_from([None, f"https://example.org/{number}"])),
                "address": draw(
                    st.sampled_from(
                        [
                            None,
                            f"{number + 1} Mill Lane, {PLACE} TB1 2AB",
                            "Community rooms in each library",
                        ]
                    )
                ),
                "how_to_start": draw(st.one_of(st.none(), _PROSE)),
            },
            "schedules": draw(st.one_of(st.none(), _HOURS)),
            "service_areas": draw(st.sampled_from(["all", ["TB1"], ["TB1", "TB2"]])),
            "cost_options": draw(st.one_of(st.none(), _PROSE)),
            "eligibility_description": draw(st.one_of(st.none(), _PROSE)),
            "status": status,
            "last_reviewed": draw(st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 1))).isoformat(),
        }
        if status == "waiting_list":
            service["wait_time"] = {"weeks": draw(st.integers(min_value=1, max_value=30))}
        service["contact"] = {k: v for k, v in service["contact"].items() if v not in (None, [])}
        made.append({k: v for k, v in service.items() if v is not None})
    return made


class _StaticFeed:
    """The export folder served as the ORUK API: `/`, `/services?page=N`, `/services/{id}`."""

    def __init__(self) -> None:
        self.folder = Path()
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parsed.query)
                path = parsed.path.strip("/")
                if path == "":
                    file = feed.folder / "index.json"
                elif path == "services":
                    file = feed.folder / "services" / f"page-{query.get('page', ['1'])[0]}.json"
                else:
                    file = feed.folder / f"{urllib.parse.unquote(path)}.json"
                if not file.is_file():
                    self.send_response(404)
                    self.end_headers()
                    return
                body = file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture(scope="module")
def static_feed() -> Iterator[_StaticFeed]:
    feed = _StaticFeed()
    yield feed
    feed.httpd.shutdown()
    feed.httpd.server_close()


@settings(max_examples=15)
@given(services())
def test_export_then_import_gives_back_the_same_services(
    static_feed: _StaticFeed, generated: list[dict[str, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        offered = ", ".join(service["id"] for service in generated)
        kb = write_kb(
            root / "kb",
            topics=TOPIC.replace(
                "services: [carers-centre,", f"services: [{offered}, carers-centre,"
            ),
            extra={"services/rt.yaml": yaml.safe_dump({"services": generated})},
        )
        result = load(kb)
        assert not result.errors, result.errors
        out = root / "feed"
        assert (
            main(["--kb", str(kb), "export", "oruk", "--out", str(out), "--namespace", COUNCIL])
            == 0
        )
        static_feed.folder = out

        run_import(static_feed.url, kb, feed="api")
        checked = load(kb)
        assert not checked.errors
        by_source = {c.provenance.source_id: c for c in checked.knowledge.candidates.values()}
        for original in generated:
            _same(original, by_source[_oruk_id(original["id"])], "api", static_feed.url)


def _oruk_id(navigator_id: str) -> str:
    return oruk_id(namespace_for(COUNCIL, PLACE), "service", navigator_id)


def _same(original: dict[str, Any], back: Any, feed: str, url: str) -> None:
    """`back` (a candidate) says what `original` (a service) said."""
    contact = original["contact"]
    assert back.name.get() == original["name"]
    assert back.description.get() == original["description"]
    assert back.provider.get() == original["provider"]
    assert sorted(back.needs) == sorted(original["needs"])
    # Contacts
    assert [(p.number, p.description.get()) for p in back.contact.phones] == [
        (_national(p["number"]), p["description"]) for p in contact.get("phones", [])
    ]
    assert back.contact.email == contact.get("email")
    assert back.contact.website == contact.get("website")
    _same_text(back.contact.how_to_start, contact.get("how_to_start"))
    address = contact.get("address")
    if address is None:
        assert back.contact.address is None
    else:
        assert _words(back.contact.address.get()) == _words(address)
        postcode = re.search(r"TB\d \d[A-Z]{2}", address)
        assert back.postcode == (postcode.group(0) if postcode else None)
    # Hours: the same text, so the same "open now"
    _same_text(back.schedules, original.get("schedules"))
    if original.get("schedules"):
        assert read_hours(back.schedules.get()) == read_hours(original["schedules"])
    # Areas: districts as districts; "all" as the place's name
    if original["service_areas"] == "all":
        assert list(back.service_areas) == [] and list(back.area_names) == [PLACE]
    else:
        assert list(back.service_areas) == original["service_areas"] and not back.area_names
    _same_text(back.cost_options, original.get("cost_options"))
    _same_text(back.eligibility_description, original.get("eligibility_description"))
    # Status: a waiting list is open with its wait said
    expected_status = {"open": "open", "closed": "closed", "waiting_list": "open"}
    assert back.status == expected_status[original["status"]]
    if original["status"] == "waiting_list":
        assert back.wait_time == f"{original['wait_time']['weeks']} weeks"
    assert back.last_reviewed.isoformat() == original["last_reviewed"]
    # Provenance
    source_id = _oruk_id(original["id"])
    assert back.provenance.source_id == source_id
    assert back.provenance.assured_date == original["last_reviewed"]
    if feed == "api":
        assert back.provenance.source_url == f"{url}/services/{source_id}"
        assert back.provenance.feed_version == "HSDS-UK-3.0"
        assert back.provenance.last_modified == f"{original['last_reviewed']}T00:00:00.000Z"


def _same_text(back: Any, original: str | None) -> None:
    assert (back.get() if back is not None else None) == original


def _national(number: str) -> str:
    parsed = phonenumbers.parse(number, "GB")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def _words(text: str) -> list[str]:
    return re.sub(r"[,]", " ", text).split()


def test_the_static_feed_serves_the_export(static_feed: _StaticFeed, tmp_path: Path) -> None:
    """The test's own server: what it serves is the exported files, byte for byte."""
    kb = write_kb(tmp_path / "kb")
    out = tmp_path / "feed"
    assert main(["--kb", str(kb), "export", "oruk", "--out", str(out), "--namespace", COUNCIL]) == 0
    static_feed.folder = out
    assert httpx.get(f"{static_feed.url}/").json() == json.loads((out / "index.json").read_text())
    page = httpx.get(f"{static_feed.url}/services?page=1&per_page=50").json()
    assert page == json.loads((out / "services" / "page-1.json").read_text())
