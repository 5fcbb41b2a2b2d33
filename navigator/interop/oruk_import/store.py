"""Writing one feed's candidates: stable ids, de-duplication, the diff, and an atomic swap.

Each feed's candidates live in their own folder, `knowledge/candidates/<feed>/`,
in files of at most `PART_SIZE` candidates (the knowledge loader refuses any
file over 5 MB, and Shropshire alone lists 5,000 services), with a hidden
`.import.json` recording what the last run saw (source, version, profile,
the diff). A new import is written whole into a hidden folder beside it,
checked against the knowledge schema, and only then swapped in by two
renames; an interrupted swap is put right by the next run (`_recover`).
So a failed or partial fetch never deletes anything: the last good import
stays until a whole new one is ready.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from navigator.interop.oruk_import.errors import ImportRefused
from navigator.kb.schema import KnowledgeFile

try:  # libyaml, when PyYAML was built with it: ten times quicker for thousands of candidates
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

CANDIDATES = "candidates"
PART_SIZE = 500
"""Candidates per file: about 1 MB, well under the loader's 5 MB a file."""
SUMMARY = ".import.json"
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Diff:
    """What changed since the last good import of the same feed, by source id."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[str] = field(default_factory=list)
    """"<candidate> is <other candidate> in feed <feed> (<why>)", left out."""
    skipped: list[str] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)
    gone_ids: list[str] = field(default_factory=list)
    """Candidate ids, so a review can point at accepted services the feed has changed or dropped."""

    def lines(self) -> list[str]:
        said = [
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.gone)} gone, "
            f"{self.unchanged} unchanged, {len(self.duplicates)} duplicates left out"
        ]
        said += [f"  new      {name}" for name in self.new]
        said += [f"  changed  {name}" for name in self.changed]
        said += [f"  gone     {name}" for name in self.gone]
        said += [f"  same as  {name}" for name in self.duplicates]
        said += [f"  skipped  {why}" for why in self.skipped]
        return said


def feed_name(source: str) -> str:
    """A feed's default name: its host (or file's folder), as an id ("shropshire-openplace")."""
    if "://" in source:
        host = source.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
        parts = [
            part
            for part in host.split(".")
            if part not in {"www", "api", "gov", "uk", "org", "co", "com", "directory"}
        ]
        name = "-".join(parts) or host
    else:
        name = Path(source).resolve().parent.name if source.endswith(".json") else Path(source).stem
    return slug(name) or "feed"


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:40].strip("-")


def folder(knowledge: Path) -> Path:
    return knowledge / CANDIDATES


def feeds(knowledge: Path) -> list[str]:
    """The feeds imported into this knowledge base, by name."""
    root = folder(knowledge)
    if not root.is_dir():
        return []
    for hidden in root.glob(".*.old"):
        _recover(root, hidden.name[1:-4])
    return sorted(path.name for path in root.iterdir() if path.is_dir() and path.name[0] != ".")


def previous(knowledge: Path, feed: str) -> list[dict[str, Any]]:
    """The candidates of the last good import of `feed` (none if there was none)."""
    _recover(folder(knowledge), feed)
    found: list[dict[str, Any]] = []
    for path in sorted((folder(knowledge) / feed).glob("*.yaml")):
        try:
            data = yaml.load(path.read_text("utf-8"), Loader=_Loader)
        except (OSError, yaml.YAMLError):
            continue
        entries = data.get(CANDIDATES) if isinstance(data, dict) else None
        found += [entry for entry in entries or [] if isinstance(entry, dict)]
    return found


def others(knowledge: Path, feed: str) -> list[dict[str, Any]]:
    """Candidates of every other feed, for de-duplication."""
    found: list[dict[str, Any]] = []
    for name in feeds(knowledge):
        if name != feed:
            found += previous(knowledge, name)
    return found


def assign_ids(
    entries: list[dict[str, Any]], feed: str, before: list[dict[str, Any]], taken: set[str]
) -> None:
    """Give each candidate an id: the one it had last time (same source id), or a new slug."""
    kept = {_source_id(entry): entry.get("id") for entry in before}
    used: set[str] = set()
    for entry in entries:
        old = kept.get(_source_id(entry))
        if isinstance(old, str) and old not in used:
            entry["id"] = old  # kept even when accepted as a service of the same id
        else:
            base = f"{feed}-{slug(entry['name'])}"[:72].strip("-")
            made, number = base, 2
            while made in used or made in taken or made in kept.values():
                made, number = f"{base}-{number}", number + 1
            entry["id"] = made
        used.add(entry["id"])
    entries[:] = [{"id": entry.pop("id"), **entry} for entry in entries]


def deduplicate(
    entries: list[dict[str, Any]], elsewhere: list[dict[str, Any]], diff: Diff
) -> list[dict[str, Any]]:
    """Leave out candidates another feed already gave: same organisation identifier and name,
    or else the same name and postcode. Neighbouring councils list the same charities."""
    by_org: dict[tuple[str, str], dict[str, Any]] = {}
    by_place: dict[tuple[str, str], dict[str, Any]] = {}
    for other in elsewhere:
        name = _key(other.get("name"))
        for org in other.get("organisation_ids", []):
            by_org[(org, name)] = other
        if other.get("postcode"):
            by_place[(name, str(other["postcode"]))] = other
    kept = []
    for entry in entries:
        name = _key(entry.get("name"))
        match = next(
            (
                by_org[(org, name)]
                for org in entry.get("organisation_ids", [])
                if (org, name) in by_org
            ),
            None,
        )
        why = "same organisation identifier and name"
        if match is None and entry.get("postcode"):
            match, why = by_place.get((name, str(entry["postcode"]))), "same name and postcode"
        if match is None:
            kept.append(entry)
            continue
        feed = match.get("provenance", {}).get("feed", "?")
        diff.duplicates.append(f"{entry['name']} is '{match.get('id')}' from {feed} ({why})")
    return kept


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]], diff: Diff) -> None:
    """Fill `diff` with new, changed and gone candidates (fetch times ignored)."""
    old = {_source_id(entry): entry for entry in before}
    new = {_source_id(entry): entry for entry in after}
    for source_id, entry in new.items():
        if source_id not in old:
            diff.new.append(f"{entry['id']}: {entry['name']}")
        elif _content(old[source_id]) != _content(entry):
            diff.changed_ids.append(entry["id"])
            diff.changed.append(
                f"{entry['id']}: {entry['name']} ({_what_changed(old[source_id], entry)})"
            )
        else:
            diff.unchanged += 1
    diff.gone_ids += [str(entry.get("id")) for sid, entry in old.items() if sid not in new]
    diff.gone += [
        f"{entry.get('id')}: {entry.get('name')}" for sid, entry in old.items() if sid not in new
    ]


def write(
    knowledge: Path, feed: str, entries: list[dict[str, Any]], summary: Mapping[str, Any]
) -> Path:
    """Check the candidates against the knowledge schema, then swap the feed's folder in whole."""
    root = folder(knowledge)
    target = root / feed
    parts = [entries[start : start + PART_SIZE] for start in range(0, len(entries), PART_SIZE)]
    texts = [_part_text(feed, summary, part, target) for part in parts or [[]]]
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(f".{feed}.*.new"):  # left by an import killed while writing
        shutil.rmtree(stale, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(dir=root, prefix=f".{feed}.", suffix=".new"))
    try:
        for number, text in enumerate(texts, start=1):
            _write_synced(fresh / f"candidates-{number:03d}.yaml", text)
        _write_synced(fresh / SUMMARY, json.dumps(_plain(dict(summary)), indent=2))
        _swap(root, feed, fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return target


def _part_text(
    feed: str, summary: Mapping[str, Any], part: list[dict[str, Any]], target: Path
) -> str:
    text = _HEADER.format(feed=feed, source=summary.get("source", "")) + yaml.dump(
        _plain({CANDIDATES: part}), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    try:
        KnowledgeFile.model_validate(yaml.load(text, Loader=_Loader))
    except ValidationError as problems:
        first = problems.errors(include_url=False)[0]
        where = ".".join(str(item) for item in first["loc"])
        raise ImportRefused(
            f"{target}: the imported candidates would not pass the knowledge checks "
            f"({where}: {first['msg']}), so nothing was written. Please report this, "
            "with the feed's address."
        ) from None
    return text


def _swap(root: Path, feed: str, fresh: Path) -> None:
    """Put `fresh` in place of the feed's folder: the old one is moved aside, then removed."""
    target, aside = root / feed, root / f".{feed}.old"
    _recover(root, feed)
    if target.exists():
        target.rename(aside)
    fresh.rename(target)
    shutil.rmtree(aside, ignore_errors=True)


def _recover(root: Path, feed: str) -> None:
    """After a swap cut off between its two renames, put the last good import back."""
    target, aside = root / feed, root / f".{feed}.old"
    if aside.is_dir():
        if target.exists():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            aside.rename(target)


def last_summary(knowledge: Path, feed: str) -> dict[str, Any] | None:
    """What the last good import of `feed` recorded (source, version, diff...)."""
    try:
        data = json.loads((folder(knowledge) / feed / SUMMARY).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


_HEADER = """\
# Candidates imported from {source} by `navigator import oruk` (feed '{feed}').
# Written whole by every import: do not edit here. To use one, review it, then run
# `navigator import accept ID --into <knowledge folder>` and name it in an outcome.
"""


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())


def _plain(value: Any) -> Any:
    """Dates and times as ISO strings: YAML and JSON both read them back the same."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _source_id(entry: Mapping[str, Any]) -> str:
    provenance = entry.get("provenance")
    return str(provenance.get("source_id")) if isinstance(provenance, dict) else ""


def _key(name: Any) -> str:
    return " ".join(_SLUG.sub(" ", str(name or "").lower()).split())


def _content(entry: Mapping[str, Any]) -> Any:
    copy = json.loads(json.dumps(_plain(dict(entry))))
    copy.get("provenance", {}).pop("fetched_at", None)
    copy.pop("id", None)
    return copy


def _what_changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    before, after = _content(old), _content(new)
    keys: Iterable[str] = sorted(set(before) | set(after))
    return ", ".join(key for key in keys if before.get(key) != after.get(key))
