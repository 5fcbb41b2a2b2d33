"""Reading report tables in tests as a manager reads them."""

from __future__ import annotations

from navigator.records.reports.export import cell_text
from navigator.records.reports.tables import Table


def shown(table: Table) -> list[list[str]]:
    """The table as a reader sees it: every cell as printed."""
    return [[cell_text(value) for value in row] for row in table.rows]
