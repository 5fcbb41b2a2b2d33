"""The review's open-data sections in the publication pack, read from the section registry.

Beside the coded counts, `navigator publish` writes every table of every section
the registry marks `open_data` (`records.reports.sections.SECTIONS`: "Unmet need"
and "Who pays" with its indicative cost), computed by the review under the pack's
own disclosure rule: one CSV each (`section-<table>.csv`) with its Frictionless
schema and a line in the methodology note. A section added to the registry with
`open_data=True` is in the next pack with no change here; one without it never is.

They are written only under a rounding rule (the default `nhs-digital`): the
review protects its tables in its own ledgers, apart from the coded cells, and
only rounding keeps a reader from subtracting one from the other to narrow down a
hidden count. Under another rule, or when the pack covers several sites of a shared
database (the review filters on one site at most), they are left out and the
methodology note says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from navigator.records.reports.export import export_text, safe_text
from navigator.records.reports.presets import Preset
from navigator.records.reports.tables import Table

if TYPE_CHECKING:
    from navigator.records.reports.review import Review
    from navigator.records.reports.tables import Filters


@dataclass(frozen=True)
class SectionTable:
    """One table of an open-data section, already protected by the review."""

    section: str
    section_title: str
    table: Table

    @property
    def name(self) -> str:
        """The Frictionless resource name (lower case, no underscores)."""
        return "section-" + self.table.key.replace("_", "-").lower()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def fields(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.table.columns)

    def rows(self) -> list[dict[str, str]]:
        """The rows as the CSV exports print them: "[c]" or "<N" hidden, "[z]" not
        applicable, text safe from spreadsheet formulas."""
        return [
            {
                column.key: export_text(value, column)
                for column, value in zip(self.table.columns, row, strict=True)
            }
            for row in self.table.rows
        ]


def left_out_because(preset: Preset, sites: Sequence[str]) -> str:
    """Why the review's sections cannot go in this pack, or "" when they can."""
    if not preset.rounding:
        return (
            f"The review's sections are left out: the disclosure rule '{preset.name}' does not "
            "round, and the review protects its tables apart from this pack's cells, so a "
            "reader could subtract one from the other. Publish with a rounding rule "
            "(nhs-digital) to include them."
        )
    if len(sites) > 1:
        return (
            "The review's sections are left out: this pack covers several sites of a shared "
            "database, and the review's tables cover one site or all of them."
        )
    return ""


def open_data_tables(review: Review, filters: Filters) -> list[SectionTable]:
    """Every table of every section the review's registry marks `open_data`, in order."""
    return [
        SectionTable(part.key, part.title, table)
        for part in review.sections
        if part.open_data
        for table in review.section(part.key, filters)
    ]


def resource(found: SectionTable) -> dict[str, Any]:
    """The table's Frictionless resource: every field a string, since a figure may read
    "[c]", "<5" or "[z]"; each described by its column title."""
    return {
        "name": found.name,
        "path": found.path,
        "title": f"{found.section_title}: {found.table.title}",
        "description": safe_text(found.table.note),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {
                    "name": column.key,
                    "type": "string",
                    "description": column.title
                    + (" (a number, or [c], <N or [z])" if column.numeric else ""),
                }
                for column in found.table.columns
            ],
            "missingValues": [],
        },
    }


def methodology_part(tables: Sequence[SectionTable], left_out: str) -> str:
    """The methodology note's paragraph on the review's sections."""
    if left_out:
        return f"## Sections from the review\n\n{left_out}\n"
    if not tables:
        return ""
    listed = "\n".join(
        f"- `{found.path}`: {found.section_title}, {found.table.title}" for found in tables
    )
    return (
        "## Sections from the review\n\n"
        "The review's open-data sections, as the council's own report shows them for the "
        "same period, protected by the same disclosure rule (in the review's own ledgers, "
        "so totals may differ from `unmet-need.csv` within the rounding). Each table's note "
        "is its description in `datapackage.json`; the cost in pounds is an indication made "
        "from content staff's estimates and published unit costs, not a measurement.\n\n"
        f"{listed}\n"
    )
