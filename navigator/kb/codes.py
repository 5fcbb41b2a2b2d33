"""Shared codes: the crosswalk from Navigator's ids to lists other councils use, and places.

The `codes/` folder of a knowledge base holds dated snapshots of the LGA Needs
and Services lists (OGL), Navigator's shared code list for why a need went
unmet, the crosswalk (`crosswalk.yaml`) from the knowledge base's own needs,
services and reasons to those codes, and places (`places.yaml`): postcode
districts to electoral wards to local authority, with ONS GSS codes and
populations. The loader of the knowledge base skips this folder; it is read
here, only by what codes records (`navigator publish`) and by the validator.

Why a separate reader: the crosswalk changes on its own timetable (a new LGA
list, a better mapping), and every published figure names the crosswalk
version that coded it, so a new version can recode history without touching
what residents see. The checks (`check_codes`) make sure every need, service
and reason is mapped to a code that exists, or marked `no_match` with why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from navigator.kb.diagnostics import Diagnostic, Location, error, format_field, warning
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.yamlparse import parse_yaml
from navigator.kb.yamlsource import YamlDocument, YamlReadError

CODES_FOLDER = "codes"
FILES = {
    "needs_list": "lga-needs.yaml",
    "services_list": "lga-services.yaml",
    "reasons": "reason-codes.yaml",
    "crosswalk": "crosswalk.yaml",
    "places": "places.yaml",
}
MATCHES = ("exact", "close", "broad")
UNREVIEWED = "not reviewed yet"
GSS = re.compile(r"^[EWSN]\d{8}$")


class CodesError(Exception):
    """The codes cannot be used: a message naming the file, the field and what to do."""


@dataclass(frozen=True)
class CodeList:
    """A vendored snapshot of an external list: items by identifier, and where it came from."""

    id: str
    title: str
    uri: str
    item_uri: str
    modified: str
    retrieved: str
    source: str
    licence: str
    attribution: str
    items: Mapping[str, str]
    """Label by identifier."""

    def uri_of(self, identifier: str) -> str:
        return self.item_uri.replace("{id}", identifier)


@dataclass(frozen=True)
class Mapped:
    """One local id coded: the external identifier and how well it matches, or why not."""

    local: str
    code: str | None
    match: str
    """`exact`, `close`, `broad`, or `none` (then `note` says why)."""
    note: str = ""


@dataclass(frozen=True)
class ReasonCode:
    code: str
    label: str
    description: str
    parent: str | None = None
    cld_event_outcome: str | None = None
    i211: str | None = None


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    population: int
    districts: tuple[str, ...]


@dataclass(frozen=True)
class Council:
    """A local authority: its GSS code, wards and (summed) population."""

    id: str
    name: str
    code: str
    fictional: bool
    wards: tuple[Ward, ...]

    @property
    def population(self) -> int:
        return sum(ward.population for ward in self.wards)

    def ward_of(self) -> dict[str, Ward]:
        """Ward by postcode district."""
        return {district: ward for ward in self.wards for district in ward.districts}


@dataclass(frozen=True)
class Codes:
    """Everything in `codes/`, read and cross-checked."""

    root: Path
    version: str
    needs_list: CodeList
    services_list: CodeList
    reason_list_id: str
    reason_list_version: str
    reasons: Mapping[str, ReasonCode]
    needs: Mapping[str, Mapped]
    services: Mapping[str, Mapped]
    reason_map: Mapping[str, str]
    """Shared reason code by Navigator reason id."""
    node_reasons: Mapping[str, str]
    """Shared reason code by unmet end node id, where it is more exact than the reason."""
    councils: Mapping[str, Council]
    population_year: int
    population_source: str
    digest: str
    """A hash of the codes files, so two packs can tell whether their codes were the same."""
    locations: Mapping[tuple[str, str], Location] = field(default_factory=dict)

    def reason_code(self, reason: str | None, node_id: str | None) -> str:
        """The shared code for an unmet record: its end node's if named, else its reason's."""
        if node_id and node_id in self.node_reasons:
            return self.node_reasons[node_id]
        return self.reason_map.get(reason or "", "UNCLASSIFIED")

    def need_uri(self, need: str | None) -> str:
        """The LGA need URI for a Navigator need, or "" when it has none."""
        mapped = self.needs.get(need or "")
        if mapped is None or mapped.code is None:
            return ""
        return self.needs_list.uri_of(mapped.code)

    def council_for(self, districts: list[str] | tuple[str, ...]) -> Council | None:
        """The council whose wards cover most of `districts` (the knowledge base's place)."""
        wanted = set(districts)
        best = max(
            self.councils.values(),
            key=lambda council: len(wanted & set(council.ward_of())),
            default=None,
        )
        if best is None or not wanted & set(best.ward_of()):
            return None
        return best


# --- Reading -------------------------------------------------------------------------------


class _Reader:
    """Reads one codes file, turning every wrong shape into a `CodesError` naming the field."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document

    def where(self, path: tuple[str | int, ...]) -> str:
        position = self.document.position_of(path)
        line = f":{position.line}" if position else ""
        return f"{self.document.path}{line} [{format_field(path)}]"

    def get(self, path: tuple[str | int, ...], kind: type | tuple[type, ...]) -> Any:
        value: Any = self.document.data
        for part in path:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and part < len(value) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, kind):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise CodesError(
                f"{self.where(path)}: expected {_plain(names)} here, "
                f"found {_plain(type(value).__name__)}"
            )
        return value

    def text(self, path: tuple[str | int, ...]) -> str:
        return str(self.get(path, (str, int, float, dt.date))).strip()

    def optional(self, path: tuple[str | int, ...]) -> str | None:
        mapping = self.get(path[:-1], dict)
        value = mapping.get(path[-1])
        return None if value is None else str(value).strip()


def _plain(name: str) -> str:
    return {
        "dict": "a mapping (key: value lines)",
        "list": "a list (lines starting with -)",
        "str": "text",
        "int": "a whole number",
        "NoneType": "nothing",
    }.get(name, name)


def _read(root: Path, name: str) -> _Reader:
    path = root / CODES_FOLDER / FILES[name]
    if not path.is_file():
        raise CodesError(f"{path}: this file is missing; the codes folder needs all of {_names()}")
    try:
        return _Reader(parse_yaml(path))
    except YamlReadError as problem:
        line = f":{problem.position.line}" if problem.position else ""
        raise CodesError(f"{path}{line}: {problem.message}") from None


def _names() -> str:
    return ", ".join(FILES.values())


def _code_list(reader: _Reader) -> CodeList:
    base = ("code_list",)
    items: dict[str, str] = {}
    for index, _ in enumerate(reader.get((*base, "items"), list)):
        identifier = reader.text((*base, "items", index, "id"))
        if identifier in items:
            raise CodesError(f"{reader.where((*base, 'items', index))}: '{identifier}' twice")
        items[identifier] = reader.text((*base, "items", index, "label"))
    return CodeList(
        **{
            key: reader.text((*base, key))
            for key in (
                "id",
                "title",
                "uri",
                "item_uri",
                "modified",
                "retrieved",
                "source",
                "licence",
                "attribution",
            )
        },
        items=items,
    )


def _mapped(reader: _Reader, section: str, key: str, code_key: str) -> dict[str, Mapped]:
    found: dict[str, Mapped] = {}
    entries = reader.get(("crosswalk", section), dict)
    for local in entries:
        path = ("crosswalk", section, local)
        reader.get(path, dict)
        no_match = reader.optional((*path, "no_match"))
        if no_match is not None:
            found[str(local)] = Mapped(str(local), None, "none", no_match)
            continue
        code = reader.optional((*path, code_key))
        if code is None:
            raise CodesError(
                f"{reader.where(path)}: give `{code_key}` (the {key} identifier) or "
                "`no_match` with why"
            )
        match = reader.optional((*path, "match")) or "exact"
        if match not in MATCHES:
            raise CodesError(
                f"{reader.where((*path, 'match'))}: match '{match}' is not one of "
                f"{', '.join(MATCHES)}"
            )
        found[str(local)] = Mapped(str(local), code, match)
    return found


def _reason_codes(reader: _Reader) -> tuple[str, str, dict[str, ReasonCode]]:
    base = ("reason_codes",)
    codes: dict[str, ReasonCode] = {}
    for index, _ in enumerate(reader.get((*base, "codes"), list)):
        path = (*base, "codes", index)
        code = reader.text((*path, "code"))
        codes[code] = ReasonCode(
            code=code,
            label=reader.text((*path, "label")),
            description=reader.text((*path, "description")),
            parent=reader.optional((*path, "parent")),
            cld_event_outcome=reader.optional((*path, "cld_event_outcome")),
            i211=reader.optional((*path, "i211")),
        )
    for entry in codes.values():
        if entry.parent is not None and entry.parent not in codes:
            raise CodesError(
                f"{reader.document.path}: {entry.code} has parent '{entry.parent}', which is "
                "not a code in the list; fix the parent or add it"
            )
    return reader.text((*base, "id")), reader.text((*base, "version")), codes


def _councils(reader: _Reader) -> dict[str, Council]:
    councils: dict[str, Council] = {}
    seen_codes: set[str] = set()
    for index, _ in enumerate(reader.get(("places", "councils"), list)):
        path: tuple[str | int, ...] = ("places", "councils", index)
        wards = []
        for ward_index, _ in enumerate(reader.get((*path, "wards"), list)):
            ward_path = (*path, "wards", ward_index)
            districts = reader.get((*ward_path, "districts"), list)
            wards.append(
                Ward(
                    code=_gss(reader, (*ward_path, "code"), "E05", seen_codes),
                    name=reader.text((*ward_path, "name")),
                    population=reader.get((*ward_path, "population"), int),
                    districts=tuple(str(district) for district in districts),
                )
            )
        council = Council(
            id=reader.text((*path, "id")),
            name=reader.text((*path, "name")),
            code=_gss(reader, (*path, "code"), "E0", seen_codes),
            fictional=bool(reader.get((*path, "fictional"), bool)),
            wards=tuple(wards),
        )
        councils[council.id] = council
    return councils


def _gss(reader: _Reader, path: tuple[str | int, ...], prefix: str, seen: set[str]) -> str:
    code = reader.text(path)
    if not GSS.match(code) or not code.startswith(prefix):
        raise CodesError(
            f"{reader.where(path)}: '{code}' is not a GSS code starting {prefix} "
            "(a letter and eight digits, for example E06000023)"
        )
    if code in seen:
        raise CodesError(f"{reader.where(path)}: '{code}' is used twice")
    seen.add(code)
    return code


def load_codes(root: Path | str) -> Codes:
    """Read `root/codes/`. Raises `CodesError` with a specific message when it cannot."""
    root = Path(root)
    readers = {name: _read(root, name) for name in FILES}
    crosswalk = readers["crosswalk"]
    reason_id, reason_version, reasons = _reason_codes(readers["reasons"])
    reason_map = {
        str(local): reader_code
        for local in crosswalk.get(("crosswalk", "reasons"), dict)
        if (reader_code := crosswalk.text(("crosswalk", "reasons", local, "code")))
    }
    nodes = crosswalk.document.data["crosswalk"].get("nodes") or {}
    node_reasons = {
        str(node): crosswalk.text(("crosswalk", "nodes", node, "code")) for node in nodes
    }
    digest = hashlib.sha256()
    for name in FILES:
        digest.update((root / CODES_FOLDER / FILES[name]).read_bytes())
    places = readers["places"]
    return Codes(
        root=root,
        version=crosswalk.text(("crosswalk", "version")),
        needs_list=_code_list(readers["needs_list"]),
        services_list=_code_list(readers["services_list"]),
        reason_list_id=reason_id,
        reason_list_version=reason_version,
        reasons=reasons,
        needs=_mapped(crosswalk, "needs", "LGA need", "lga_need"),
        services=_mapped(crosswalk, "services", "LGA service type", "lga_service"),
        reason_map=reason_map,
        node_reasons=node_reasons,
        councils=_councils(places),
        population_year=places.get(("places", "population_year"), int),
        population_source=places.text(("places", "population_source")),
        digest=digest.hexdigest()[:16],
        locations=_locations(crosswalk),
    )


def _locations(reader: _Reader) -> dict[tuple[str, str], Location]:
    found: dict[tuple[str, str], Location] = {}
    data = (
        reader.document.data.get("crosswalk", {}) if isinstance(reader.document.data, dict) else {}
    )
    for section in ("needs", "services", "reasons", "nodes"):
        for local in data.get(section) or {}:
            position = reader.document.position_of(("crosswalk", section, local))
            found[(section, str(local))] = Location(
                reader.document.path, position.line if position else None
            )
    return found


# --- Checking ------------------------------------------------------------------------------


def check_codes(knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    """Every need, service and reason is coded, to a code that exists; places are sound.

    A knowledge base without a `codes/` folder is not checked: coding is optional
    until a council publishes.
    """
    if not (knowledge.root / CODES_FOLDER).is_dir():
        return
    try:
        codes = load_codes(knowledge.root)
    except CodesError as problem:
        yield error("codes-unreadable", str(problem))  # the message names file and line
        return
    yield from _check_section(codes, "needs", knowledge.needs, codes.needs, codes.needs_list)
    # A service not yet coded is a warning, not an error: published figures are keyed on
    # needs and reasons, and an error would stop every kiosk the day content staff add
    # or accept a service (`navigator import accept`) until someone codes it.
    yield from _check_section(
        codes,
        "services",
        knowledge.services,
        codes.services,
        codes.services_list,
        missing_is_error=False,
    )
    yield from _check_reasons(codes, knowledge)
    yield from _check_places(codes, knowledge)


def _check_section(
    codes: Codes,
    section: str,
    declared: Mapping[str, object],
    mapped: Mapping[str, Mapped],
    code_list: CodeList,
    *,
    missing_is_error: bool = True,
) -> Iterator[Diagnostic]:
    where = Location(codes.root / CODES_FOLDER / FILES["crosswalk"])
    singular = section.removesuffix("s")
    missing = error if missing_is_error else warning
    for local in sorted(set(declared) - set(mapped)):
        yield missing(
            "crosswalk-missing",
            f"{singular} '{local}' is not in the crosswalk: map it to an item of "
            f"{code_list.title} or mark it `no_match` with why, under `{section}:`",
            where,
        )
    for local, entry in sorted(mapped.items()):
        location = codes.locations.get((section, local), where)
        if local not in declared:
            yield warning(
                "crosswalk-unknown",
                f"the crosswalk maps {singular} '{local}', which the knowledge base does not "
                "declare; remove the line or fix the id",
                location,
            )
        elif entry.code is not None and entry.code not in code_list.items:
            yield error(
                "crosswalk-unknown-code",
                f"{singular} '{local}' is mapped to '{entry.code}', which is not in "
                f"{code_list.title} (snapshot {code_list.modified}); check the identifier",
                location,
            )
    unreviewed = [local for local, entry in mapped.items() if entry.note == UNREVIEWED]
    if unreviewed:
        yield warning(
            "crosswalk-unreviewed",
            f"{len(unreviewed)} {section} are marked 'no_match: {UNREVIEWED}' (first: "
            f"{sorted(unreviewed)[0]}): check each against {code_list.title}",
            where,
        )


def _check_reasons(codes: Codes, knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    where = Location(codes.root / CODES_FOLDER / FILES["crosswalk"])
    for reason in sorted(set(knowledge.reasons) - set(codes.reason_map)):
        yield error(
            "crosswalk-missing",
            f"reason '{reason}' is not in the crosswalk: give it a code from "
            f"{FILES['reasons']} under `reasons:`",
            where,
        )
    used = [*((f"reason '{k}'", v) for k, v in codes.reason_map.items())]
    used += [(f"node '{k}'", v) for k, v in codes.node_reasons.items()]
    for what, code in used:
        if code not in codes.reasons:
            yield error(
                "crosswalk-unknown-code",
                f"{what} is coded '{code}', which {FILES['reasons']} does not list",
                where,
            )
    for node in sorted(set(codes.node_reasons) - set(knowledge.nodes)):
        yield warning(
            "crosswalk-unknown",
            f"the crosswalk codes node '{node}', which the knowledge base does not declare",
            codes.locations.get(("nodes", node), where),
        )


def _check_places(codes: Codes, knowledge: KnowledgeBase) -> Iterator[Diagnostic]:
    where = Location(codes.root / CODES_FOLDER / FILES["places"])
    districts = list(knowledge.place.districts) if knowledge.place else []
    if not districts:
        return
    council = codes.council_for(districts)
    if council is None:
        yield error(
            "places-no-council",
            "no council in places.yaml has the place's districts "
            f"({', '.join(districts[:4])}…); add the council and its wards",
            where,
        )
        return
    missing = sorted(set(districts) - set(council.ward_of()))
    if missing:
        yield error(
            "places-missing-district",
            f"postcode districts {', '.join(missing)} of the place are in no ward of "
            f"{council.name}: add each to the ward most of its residents live in",
            where,
        )
