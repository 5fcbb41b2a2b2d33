"""Publishing a pack, start to end: knowledge, codes, council, counts, protection, files.

One function the command and the benchmark share, so both measure the same work.
Every failure becomes a `PublishProblem` saying what to do; nothing is written
unless every figure was counted and protected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from navigator.interop.evidence.coding import count_coded
from navigator.interop.evidence.pack import build_pack, write_pack
from navigator.interop.evidence.periods import CalendarPeriod
from navigator.interop.evidence.review_sections import left_out_because, open_data_tables
from navigator.kb import KnowledgeBase, KnowledgeBaseUnreadable, load
from navigator.kb.codes import Codes, CodesError, Council, load_codes
from navigator.records.reports.presets import Preset
from navigator.records.reports.sections import SECTIONS, Section
from navigator.records.reports.tables import Filters, Period

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from navigator.records.reports.review import Builder, Review


class PublishProblem(Exception):
    """Why no pack was written, in words for the person running the command."""


@dataclass(frozen=True)
class PublishResult:
    rows: int
    council: str
    code: str
    crosswalk_version: str
    preset: str
    files: tuple[Path, ...]


def load_knowledge(root: Path, cache_dir: Path | None = None) -> tuple[KnowledgeBase, Codes]:
    """The knowledge base (without errors) and its codes, or `PublishProblem`.

    `cache_dir`: serve the checked knowledge base from the validated-knowledge cache there
    (`navigator.kb.cache`, the app's) while no knowledge file has changed: reading and
    validating the YAML was the largest fixed cost of a pack (about 2 s of 5 s for a
    20,000-session council), paid again for every council of a region published in turn."""
    try:
        if cache_dir is not None:
            from navigator.kb.cache import load_cached

            result = load_cached(root, cache_dir)
        else:
            result = load(root)
    except KnowledgeBaseUnreadable as problem:
        raise PublishProblem(str(problem)) from None
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise PublishProblem(
            f"the knowledge base {root} has {len(errors)} error(s), first: {errors[0]}. "
            "Run `navigator validate` and fix them first."
        )
    try:
        return result.knowledge, load_codes(root)
    except CodesError as problem:
        raise PublishProblem(f"{problem}. Run `navigator validate` to see every problem.") from None


def choose_council(knowledge: KnowledgeBase, codes: Codes, council_id: str | None) -> Council:
    """The council named, or the one whose wards hold the knowledge base's districts."""
    if council_id:
        if council_id not in codes.councils:
            raise PublishProblem(
                f"there is no council '{council_id}' in codes/places.yaml; choose one of "
                f"{', '.join(sorted(codes.councils))}"
            )
        return codes.councils[council_id]
    districts = list(knowledge.place.districts) if knowledge.place else []
    council = codes.council_for(districts)
    if council is None:
        raise PublishProblem(
            "no council in codes/places.yaml covers the place's postcode districts; add it, "
            "or name one with --council"
        )
    return council


def publish_pack(
    database_url: str,
    knowledge_root: Path,
    period: CalendarPeriod,
    out: Path,
    *,
    suppression: str = "nhs-digital",
    threshold: int = 5,
    council_id: str | None = None,
    register: Path | None = None,
    sites: Sequence[str] = (),
    sections: Sequence[Section] | None = None,
    builders: Mapping[str, Builder] | None = None,
    cache_dir: Path | None = None,
) -> PublishResult:
    """Count, code, protect and write the pack for `period` into `out`.

    `register` is the file remembering what was published (`navigator.interop.evidence.
    register`): a pack that would overlap an earlier one differently is refused. `sites`
    limits the records to the council's own sites, where several councils share a database.
    `sections` and `builders` are the review's (the registry's when None): the pack holds
    every table of every section marked `open_data` (`review_sections.py`).
    `cache_dir` holds the validated-knowledge cache (see `load_knowledge`)."""
    from navigator.interop.evidence import register as published
    from navigator.records.database import make_engine
    from navigator.records.problems import classify
    from navigator.records.reports.presets import preset

    knowledge, codes = load_knowledge(knowledge_root, cache_dir)
    council = choose_council(knowledge, codes, council_id)
    chosen = preset(suppression, threshold)
    if register is not None:
        try:
            published.check(register, council.code, period, chosen.name)
        except published.RegisterProblem as refused:
            raise PublishProblem(str(refused)) from None
    engine = make_engine(database_url)
    left_out = left_out_because(chosen, sites)
    try:
        counts = count_coded(engine, codes, council, period, sites)
        review = _review(engine, knowledge, chosen, sections, builders)
        tables = [] if left_out else open_data_tables(review, _filters(period, sites))
    except Exception as error:  # a database that is missing, locked or not migrated
        found = classify(error)
        raise PublishProblem(f"{found.headline} ({found.detail})") from None
    finally:
        engine.dispose()
    pack = build_pack(
        counts, codes, council, period, chosen, knowledge.content_hash, knowledge.needs
    )
    pack.sections, pack.sections_left_out = tables, left_out
    try:
        files = write_pack(pack, out)
    except (FileExistsError, OSError) as problem:
        raise PublishProblem(str(problem)) from None
    if register is not None:
        published.record(register, council.code, period, chosen.name, out)
    return PublishResult(
        rows=len(pack.rows),
        council=council.name,
        code=council.code,
        crosswalk_version=codes.version,
        preset=chosen.name,
        files=tuple(files),
    )


def _review(
    engine: Engine,
    knowledge: KnowledgeBase,
    chosen: Preset,
    sections: Sequence[Section] | None,
    builders: Mapping[str, Builder] | None,
) -> Review:
    """The review under the pack's disclosure rule, with the registry's sections (or those
    given), so the pack holds what the council's own report shows."""
    from navigator.records.reports.review import Review, default_builders

    return Review(
        engine=engine,
        knowledge=knowledge,
        preset=chosen,
        sections=tuple(sections if sections is not None else SECTIONS),
        builders=builders if builders is not None else default_builders(),
    )


def _filters(period: CalendarPeriod, sites: Sequence[str]) -> Filters:
    return Filters(Period(period.start, period.end), site=sites[0] if sites else None)
