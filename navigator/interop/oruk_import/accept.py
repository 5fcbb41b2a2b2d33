"""Accepting a reviewed candidate: a person's decision that makes it a service.

The service is appended to `services/imported-<feed>.yaml` (the file is
kept, comments and all; a comment above the entry says where it came from),
with `last_reviewed` set to today, because a person has just checked it. It
gets no `eligibility` rule: if the service has one, content staff write it
by hand from the provider's own rules. It still reaches nobody until its id
is added to an outcome's `services:` in a topic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from navigator.interop.oruk_import import store
from navigator.interop.oruk_import.errors import ImportRefused
from navigator.kb import load

_SERVICE_FIELDS = (
    "contact",
    "schedules",
    "service_areas",
    "cost_options",
    "eligibility_description",
    "status",
)


def accepted_ids(knowledge: Path) -> set[str]:
    """Candidate ids that are already services."""
    return set(load(knowledge).knowledge.services)


def accept(knowledge: Path, candidate_id: str, *, needs: list[str], today: dt.date) -> Path:
    """Append the candidate `candidate_id` to the services; returns the file written."""
    entry, feed = _find(knowledge, candidate_id)
    result = load(knowledge).knowledge
    if candidate_id in result.services:
        raise ImportRefused(
            f"'{candidate_id}' is already a service "
            f"({result.locations[('services', candidate_id)]})."
        )
    chosen = needs or list(entry.get("needs", []))
    if not chosen:
        raise ImportRefused(
            f"'{candidate_id}' matched no need. Say which it meets: --need carers-support "
            f"(one of: {', '.join(sorted(result.needs))})."
        )
    unknown = [need for need in chosen if need not in result.needs]
    if unknown:
        raise ImportRefused(
            f"there is no need '{unknown[0]}'; use one of: {', '.join(sorted(result.needs))}."
        )
    service = _service(entry, chosen, today)
    target = knowledge / "services" / f"imported-{feed}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    provenance = entry.get("provenance", {})
    comment = (
        f"  # From {provenance.get('source_url')} (source id {provenance.get('source_id')}), "
        f"licence: {provenance.get('licence') or 'not declared'}; accepted {today.isoformat()}.\n"
    )
    body = yaml.safe_dump([service], sort_keys=False, allow_unicode=True, width=100)
    indented = "".join(f"  {line}\n" for line in body.splitlines())
    existing = target.read_text("utf-8") if target.exists() else "services:\n"
    target.write_text(existing.rstrip("\n") + "\n\n" + comment + indented, "utf-8")
    return target


def _find(knowledge: Path, candidate_id: str) -> tuple[dict[str, Any], str]:
    for feed in store.feeds(knowledge):
        for entry in store.previous(knowledge, feed):
            if entry.get("id") == candidate_id:
                return entry, feed
    raise ImportRefused(
        f"there is no candidate '{candidate_id}' in {store.folder(knowledge)}; "
        "'navigator import review' lists them."
    )


def _service(entry: dict[str, Any], needs: list[str], today: dt.date) -> dict[str, Any]:
    feed = entry.get("provenance", {}).get("feed", "")
    service: dict[str, Any] = {
        "id": entry["id"],
        "name": entry["name"],
        "description": entry.get("description") or entry["name"],
        "provider": entry.get("provider") or f"Listed in the {feed} directory",
        "needs": needs,
    }
    for key in _SERVICE_FIELDS:
        if entry.get(key) not in (None, [], {}):
            service[key] = entry[key]
    if not entry.get("service_areas"):
        service.pop("service_areas", None)  # "all" by default: a person narrows it if need be
    service["last_reviewed"] = today.isoformat()
    return service
