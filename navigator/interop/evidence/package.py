"""The pack's `datapackage.json`: Frictionless table schemas, code lists and provenance.

Foreign keys tie every need, reason and area in the data to its code list, so
`frictionless validate` proves every cell is coded; the symbols' columns are
enumerations of the GSS shorthand, so a count can only be a number or `[c]`.
"""

from __future__ import annotations

from typing import Any

from navigator.interop.evidence.pack import CONFIDENTIAL, NOT_APPLICABLE, OGL_URL, Pack
from navigator.interop.evidence.review_sections import resource

_DESCRIPTIONS = {
    "period": "Calendar month (YYYY-MM) or quarter (YYYY-Qn) the sessions started in (UTC).",
    "period_start": "First day of the period.",
    "period_end": "Last day of the period.",
    "publisher_code": "ONS GSS code of the local authority publishing the pack.",
    "geography_level": "local-authority (every session the council recorded) or ward "
    "(sessions whose postcode district lies in the ward).",
    "area_code": "ONS GSS code of the area (see areas.csv).",
    "need_local": "The publisher's own need id (see needs.csv); 'unmatched' for requests "
    "matched to no need.",
    "need_code": "LGA Needs list URI (http://id.esd.org.uk/need/{n}); empty when no need "
    "in the list matches (needs.csv says why).",
    "reason_code": "Why the need went unmet, from the shared reason code list (reasons.csv).",
    "channel": "How the person used Navigator: kiosk, advocate, web or plain.",
    "count": "Sessions that recorded this need unmet for this reason (people, not records). "
    "Empty when hidden by disclosure control (count_symbol says so).",
    "count_symbol": "[c] when the count is hidden (confidential), else empty.",
    "denominator_sessions": "Sessions in the same area, period and channel that asked about "
    "this need (for 'unmatched': every session).",
    "denominator_symbol": "[c] when the denominator is hidden, else empty.",
    "rate_per_1000_sessions": "count / denominator_sessions x 1,000, from the published "
    "(rounded) figures.",
    "rate_symbol": "[c] when either figure is hidden; [z] when the denominator is 0.",
    "crosswalk_version": "Version of the crosswalk that coded the records into this cell.",
    "kb_version": "Content hash of the knowledge base in use when the pack was made.",
}
_TYPES = {"period_start": "date", "period_end": "date", "count": "integer"}
_TYPES |= {"denominator_sessions": "integer", "rate_per_1000_sessions": "number"}


def _field(name: str) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": name,
        "type": _TYPES.get(name, "string"),
        "description": _DESCRIPTIONS[name],
    }
    if name.endswith("_symbol"):
        symbols = [CONFIDENTIAL, NOT_APPLICABLE] if name == "rate_symbol" else [CONFIDENTIAL]
        field["constraints"] = {"enum": symbols}
    elif field["type"] in {"integer", "number"}:
        field["constraints"] = {"minimum": 0}
    elif name not in {"need_code"}:
        field["constraints"] = {"required": True}
    return field


def _data_resource(pack: Pack) -> dict[str, Any]:
    from navigator.interop.evidence.pack import DATA_FIELDS

    return {
        "name": "unmet-need",
        "path": "unmet-need.csv",
        "title": f"Unmet need coded to shared lists, {pack.council.name}, {pack.period.name}",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [_field(name) for name in DATA_FIELDS],
            "missingValues": [""],
            "primaryKey": ["period", "area_code", "need_local", "reason_code", "channel"],
            "foreignKeys": [
                _key("need_local", "needs"),
                _key("reason_code", "reasons"),
                _key("area_code", "areas"),
            ],
        },
    }


def _key(field: str, resource: str) -> dict[str, Any]:
    return {"fields": [field], "reference": {"resource": resource, "fields": [field]}}


def _code_list(name: str, title: str, fields: dict[str, str], key: str) -> dict[str, Any]:
    return {
        "name": name,
        "path": f"{name}.csv",
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": field, "type": kind, "description": field.replace("_", " ")}
                for field, kind in fields.items()
            ],
            "missingValues": [""],
            "primaryKey": [key],
        },
    }


def datapackage(pack: Pack) -> dict[str, Any]:
    """The descriptor, with provenance: lists and their snapshots, versions, disclosure rule."""
    codes = pack.codes
    return {
        "profile": "tabular-data-package",
        "name": f"navigator-unmet-need-{pack.council.code.lower()}-{pack.period.name.lower()}",
        "title": f"Unmet need, {pack.council.name}, {pack.period.name}",
        "description": "Needs people asked Navigator about that no service met, and why, "
        "coded to the LGA Needs list and a shared reason code list, by area (ONS GSS) and "
        "channel, with the sessions that asked as denominator. Read methodology.md first.",
        "version": f"{pack.period.name}.1",
        "created": pack.made_at,
        "licenses": [
            {"name": "OGL-UK-3.0", "path": OGL_URL, "title": "Open Government Licence v3.0"}
        ],
        "sources": [
            {
                "title": f"{codes.needs_list.title} (modified {codes.needs_list.modified})",
                "path": codes.needs_list.uri,
            },
            {
                "title": f"{codes.services_list.title} (modified {codes.services_list.modified})",
                "path": codes.services_list.uri,
            },
        ],
        "navigator": {
            "crosswalk_version": codes.version,
            "codes_digest": codes.digest,
            "reason_codes": f"{codes.reason_list_id} {codes.reason_list_version}",
            "kb_version": pack.kb_version,
            "disclosure_control": pack.preset.name,
            "disclosure_rule": pack.preset.describe(),
            "publisher_code": pack.council.code,
            "publisher_name": pack.council.name,
            "fictional": pack.council.fictional,
            "period": pack.period.name,
        },
        "resources": [
            _data_resource(pack),
            _code_list(
                "needs",
                "Needs: the publisher's ids and their LGA Needs list codes",
                {
                    "need_local": "string",
                    "need_code": "string",
                    "need_label": "string",
                    "match": "string",
                    "note": "string",
                },
                "need_local",
            ),
            _code_list(
                "reasons",
                "Why needs went unmet: the shared reason code list",
                {
                    "reason_code": "string",
                    "label": "string",
                    "parent": "string",
                    "cld_event_outcome": "string",
                    "i211": "string",
                    "description": "string",
                },
                "reason_code",
            ),
            _code_list(
                "areas",
                "Areas: ONS GSS codes and mid-year populations",
                {
                    "area_code": "string",
                    "name": "string",
                    "geography_level": "string",
                    "parent_code": "string",
                    "population": "integer",
                    "population_year": "integer",
                    "fictional": "boolean",
                },
                "area_code",
            ),
            *(resource(found) for found in pack.sections),
        ],
    }
