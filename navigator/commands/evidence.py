"""`navigator publish` and `navigator compare`: open-data packs of unmet need, side by side."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from navigator.config import Settings

if TYPE_CHECKING:
    from navigator.records.reports.tables import Report

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def publish(arguments: argparse.Namespace, settings: Settings) -> int:
    """Code the period's records through the crosswalk, protect them, write the pack."""
    from navigator.commands.manager import authorise
    from navigator.interop.evidence.periods import PeriodError, parse_period
    from navigator.interop.evidence.publishing import PublishProblem, publish_pack

    command = "navigator publish"
    try:
        period = parse_period(arguments.period)
    except PeriodError as problem:
        print(f"{command}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    today = dt.datetime.now(dt.UTC).date()
    if period.end >= today:
        print(
            f"{command}: {period.name} has not ended yet (it ends {period.end}); publish a "
            "period only once it is over, so the figures need no revision",
            file=sys.stderr,
        )
        return EXIT_USAGE
    refused = authorise(arguments, settings, command)
    if refused is not None:
        return refused
    try:
        result = publish_pack(
            settings.resolved_database_url,
            settings.knowledge,
            period,
            Path(arguments.out),
            suppression=settings.suppression,
            threshold=settings.suppression_threshold,
            council_id=arguments.council,
            register=settings.data_dir / "published-packs.json",
            sites=tuple(getattr(arguments, "sites", ()) or ()),
            cache_dir=settings.data_dir / "cache",
        )
    except PublishProblem as problem:
        print(f"{command}: {problem}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"Published {result.rows:,} rows for {result.council} ({result.code}), {period.name}, "
        f"to {arguments.out} (crosswalk {result.crosswalk_version}, disclosure control "
        f"'{result.preset}'). Check it with: frictionless validate {arguments.out}"
    )
    return EXIT_OK


def compare(arguments: argparse.Namespace, settings: Settings) -> int:
    """Read packs and show unmet need per 100,000 residents and per 1,000 sessions."""
    del settings
    from navigator.interop.evidence.compare import PackProblem, compare_packs, render

    try:
        comparison = compare_packs([Path(path) for path in arguments.packs], ours=arguments.ours)
    except PackProblem as problem:
        print(f"navigator compare: {problem}", file=sys.stderr)
        return EXIT_USAGE
    text = render(comparison, arguments.format)
    if arguments.out:
        Path(arguments.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def with_comparison(report: Report, packs: list[Path]) -> Report:
    """The report with the "Compare places" tables added at its end.

    Raises the review's own `ReviewProblem` (a message, exit status 2) for a pack that
    cannot be read, so `navigator report` handles it like any other problem.
    """
    from dataclasses import replace

    from navigator.interop.evidence.compare import PackProblem, compare_packs
    from navigator.interop.evidence.report_section import comparison_tables
    from navigator.records.reports.review import ReviewProblem

    try:
        comparison = compare_packs(packs)
    except PackProblem as problem:
        raise ReviewProblem(f"--compare: {problem}") from None
    from navigator.records.reports.tables import Heading

    notes = (*report.notes, *comparison.differences)
    added = comparison_tables(comparison)
    part = Heading("compare-places", "Compare places", tuple(table.key for table in added))
    return replace(
        report,
        tables=(*report.tables, *added),
        notes=notes,
        sections=(*report.sections, part),
    )
