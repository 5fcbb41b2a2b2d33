"""`navigator export oruk --out DIR`: the feed as files, all or nothing.

The folder mirrors the API, so it can be put behind any static web server
and checked by the same rules as the live feed (`conformance.static_fetch`):

    DIR/index.json                      GET /
    DIR/openapi.json                    the ORUK 3.0 OpenAPI document
    DIR/services/page-N.json            GET /services?page=N
    DIR/services/<id>.json              GET /services/{id} (fully nested)
    DIR/service_at_locations/...        likewise, and taxonomies/, taxonomy_terms/
    DIR/tabular/datapackage.json        the Tabular Data Package (CSV beside it)
    DIR/ATTRIBUTION.txt                 whose schemas these are, under which licences

Everything is written into a new folder beside DIR and renamed into place at
the end, so a failure (disk full, a bad value) leaves the previous export as
it was. A DIR holding anything but an earlier export is never replaced.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from navigator.interop.oruk import datapackage
from navigator.interop.oruk.conformance import SCHEMAS
from navigator.interop.oruk.to_oruk import JSON, Feed, pages

PER_PAGE = 50
MARKER = ".navigator-oruk-export"
"""A file in every export, so a later export knows the folder is its own to replace."""

ATTRIBUTION = """\
This feed is published from a Navigator knowledge base in the Open Referral UK
(ORUK 3.0) form.

The JSON follows the Human Services Data Specification UK: an Open Referral UK
resource (https://openreferraluk.org/), BSD 3-Clause licence; openapi.json is
that project's file, unchanged (see its licence in Navigator's
navigator/interop/schemas/oruk_3_0/LICENSE).

tabular/datapackage.json is the Human Services Data Specification 3.0: an Open
Referral resource (https://openreferral.org/), licensed under CC BY-SA 4.0
(https://creativecommons.org/licenses/by-sa/4.0/), with this feed's name, title
and data licence added.
"""


class ExportError(Exception):
    """Why the export could not be written, saying what to do; nothing was changed."""


@dataclass(frozen=True)
class Written:
    folder: Path
    services: int
    files: int


def export(feed: Feed, out: Path, title: str, *, per_page: int = PER_PAGE) -> Written:
    """Write `feed` to `out`, replacing an earlier export there only once all is written."""
    out = out.expanduser()
    _check_target(out)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as problem:
        raise ExportError(
            f"cannot write in {out.parent}: {problem.strerror or problem}. "
            "Choose a folder you may write to."
        ) from None
    try:
        files = _write_all(feed, staging, title, per_page)
        _swap(staging, out)
    except OSError as problem:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(
            f"could not write the export to {out}: {problem.strerror or problem}. "
            "Nothing was changed; free some space or choose another folder."
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Written(out, len(feed.services), files)


def _check_target(out: Path) -> None:
    if not out.parent.is_dir():
        raise ExportError(f"the folder {out.parent} does not exist. Create it first.")
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder. Choose a folder for the export.")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ExportError(
            f"{out} already holds files that are not a Navigator export. "
            "Choose an empty or new folder, so nothing of yours is replaced."
        )


def _write_all(feed: Feed, folder: Path, title: str, per_page: int) -> int:
    count = 0

    def dump(relative: str, body: object) -> None:
        nonlocal count
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        count += 1

    dump("index.json", feed.root)
    listed: dict[str, tuple[dict[str, JSON], list[JSON]]] = {
        "services": (feed.services, [feed.service_list_item(i) for i in feed.services]),
        "service_at_locations": (feed.service_at_locations, [*feed.service_at_locations.values()]),
        "taxonomies": (feed.taxonomies, [*feed.taxonomies.values()]),
        "taxonomy_terms": (feed.taxonomy_terms, [*feed.taxonomy_terms.values()]),
        "organizations": (feed.organizations, [*feed.organizations.values()]),
    }
    for name, (by_id, items) in listed.items():
        total_pages = max(1, -(-len(items) // per_page))
        for page in range(1, total_pages + 1):
            dump(f"{name}/page-{page}.json", pages(items, page, per_page))
        for item_id, item in by_id.items():
            dump(f"{name}/{item_id}.json", item)
    shutil.copyfile(SCHEMAS / "oruk_3_0" / "openapi.json", folder / "openapi.json")
    tabular = folder / "tabular"
    tabular.mkdir()
    datapackage.write(feed, tabular, title)
    (folder / "ATTRIBUTION.txt").write_text(ATTRIBUTION, encoding="utf-8")
    (folder / MARKER).write_text("written by navigator export oruk\n", encoding="utf-8")
    return count + 2


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is; the old export is removed only after the rename."""
    staging.chmod(0o755)
    if not out.exists():
        staging.rename(out)
        return
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
