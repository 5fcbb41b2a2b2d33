"""One import, start to finish: read the source, map, de-duplicate, diff, write, tidy up."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from navigator.interop.oruk_import import mapping, store
from navigator.interop.oruk_import.errors import ImportRefused
from navigator.interop.oruk_import.fetch import Limits
from navigator.interop.oruk_import.sources import Feed, Progress, read_source
from navigator.kb import load

_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


@dataclass
class Outcome:
    """What an import did, for the command to report."""

    feed: str
    path: Path
    diff: store.Diff
    feed_info: Feed
    written: int
    notes: list[str]


def run_import(
    source: str,
    knowledge: Path,
    *,
    feed: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """Import `source` into `knowledge/candidates/<feed>/`; raises `ImportRefused`."""
    limits = limits or Limits()
    name = store.slug(feed) if feed else store.feed_name(source)
    if not name:
        raise ImportRefused(f"'{feed}' cannot name a feed: use letters, digits and hyphens.")
    if not knowledge.is_dir():
        raise ImportRefused(f"{knowledge}: there is no such knowledge folder.")
    checkpoint = store.folder(knowledge) / f".{name}.checkpoint"
    crosswalk, taken = _from_knowledge(knowledge)
    fetched = read_source(source, limits, checkpoint, progress)
    facts = mapping.FeedFacts(
        feed=name,
        source=fetched.source,
        fetched_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0),
        version=fetched.version,
        profile=fetched.profile,
        licence=licence or fetched.licence,
        attribution=attribution or fetched.attribution,
        max_locations=limits.max_locations,
    )
    diff = store.Diff()
    entries = _map_all(fetched, facts, crosswalk, diff)
    before = store.previous(knowledge, name)
    entries = store.deduplicate(entries, store.others(knowledge, name), diff)
    store.assign_ids(entries, name, before, taken)
    store.compare(before, entries, diff)
    notes = list(fetched.notes) + _quality_notes(fetched, facts.fetched_at)
    summary: dict[str, Any] = {
        "feed": name,
        "source": fetched.source,
        "envelope": fetched.envelope,
        "version": fetched.version,
        "profile": fetched.profile,
        "licence": facts.licence,
        "attribution": facts.attribution,
        "fetched_at": facts.fetched_at,
        "services": len(entries),
        "diff": diff.lines(),
        "changed_ids": diff.changed_ids,
        "gone_ids": diff.gone_ids,
        "notes": notes,
    }
    path = store.write(knowledge, name, entries, summary)
    shutil.rmtree(checkpoint, ignore_errors=True)
    return Outcome(name, path, diff, fetched, len(entries), notes)


def _from_knowledge(knowledge: Path) -> tuple[mapping.Crosswalk, set[str]]:
    """The crosswalk, and ids already used by services (candidates must not take them)."""
    result = load(knowledge)
    entries = [(e.term_uri, e.name, list(e.needs)) for e in result.knowledge.taxonomy_crosswalk]
    titles = {need.id: need.title.get() for need in result.knowledge.needs.values()}
    return mapping.Crosswalk(entries, titles), set(result.knowledge.services)


def _map_all(
    fetched: Feed, facts: mapping.FeedFacts, crosswalk: mapping.Crosswalk, diff: store.Diff
) -> list[dict[str, Any]]:
    entries = []
    for raw in fetched.services:
        try:
            entries.append(mapping.candidate(raw, facts, crosswalk))
        except mapping.Skip as why:
            diff.skipped.append(str(why))
    return entries


def _older_than(value: Any, now: dt.datetime, days: int) -> bool:
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return (now.date() - day).days > days


def _quality_notes(fetched: Feed, now: dt.datetime) -> list[str]:
    """Data-quality findings worth telling the publisher: they do not stop the import."""
    odd = [
        str(raw.get("id")) for raw in fetched.services if not re.match(_UUID, str(raw.get("id")))
    ]
    notes = []
    if odd:
        notes.append(
            f"{len(odd)} of {len(fetched.services)} ids are not UUIDs as HSDS requires "
            f"(for example '{odd[0]}'); they are kept as given"
        )
    stale = [raw for raw in fetched.services if _older_than(raw.get("assured_date"), now, days=92)]
    if stale:
        notes.append(
            f"{len(stale)} services were last assured more than three months ago "
            "(ORUK asks for under three)"
        )
    if fetched.profile and "path/to" in fetched.profile:
        notes.append(f"the feed declares a placeholder profile '{fetched.profile}'")
    return notes
