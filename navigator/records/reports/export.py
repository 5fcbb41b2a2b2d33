"""Exports of a protected `Report`: CSV, JSON, Markdown and one self-contained HTML file.

Every export is safe to open in a spreadsheet: a text cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula (or
split oddly) by Excel, LibreOffice or Google Sheets, so it gets a leading
apostrophe, as OWASP advises. Unmatched requests are text residents typed, so
this matters. Numbers stay numbers (a change of -3 is not a formula).

The HTML report has its style and charts inline and no web address of any
kind, so it reads the same on a laptop with no network, and cannot call out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html import escape
from typing import Literal

from navigator.records.reports.summary import summarise
from navigator.records.reports.suppression import CONFIDENTIAL, Hidden
from navigator.records.reports.svg import AT_LEAST, AtLeast, bar_chart, line_chart
from navigator.records.reports.tables import Column, Heading, NotAvailable, Report, Table, Value

Format = Literal["csv", "json", "md", "html"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text that no spreadsheet will run as a formula: a leading apostrophe where needed."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value: Value, grouped: bool = False) -> str:
    """How a published value reads on screen: "<5" or "[c]" for hidden, "" for a figure that
    does not apply or is not available (exports print GSS symbols instead: `export_text`).

    `grouped` puts thousands separators in numbers, for people (Markdown, HTML,
    the dashboard); CSV keeps plain digits so spreadsheets read them as numbers.
    """
    if value is None or isinstance(value, NotAvailable):
        return ""
    if isinstance(value, Hidden):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if grouped else str(value)
    if isinstance(value, float):
        return f"{value:,.1f}" if grouped else f"{value:.1f}"
    return safe_text(value)


NOT_APPLICABLE = "[z]"
"""The GSS symbol for a figure that does not apply (a rate with no population, a change
from nothing); with "[c]" (confidential) it is what official statistics print."""

SYMBOLS = (
    "[c] confidential: hidden so that nobody can be recognised, either a small count or a "
    "figure that would let one be worked out; [x] not available: Navigator does not have "
    "the figure (a rate with no population, a period before the first record); "
    "[z] not applicable (a change as a share of nothing)"
)


def export_text(value: Value, column: Column, grouped: bool = False) -> str:
    """A cell as exports print it: the GSS symbols "[c]" for every hidden figure (a small
    count too: official statistics do not say which hidden cells are the small ones),
    "[x]" for a figure not available and "[z]" for one that does not apply."""
    if isinstance(value, Hidden):
        return CONFIDENTIAL
    if isinstance(value, NotAvailable):
        return str(value)
    if value is None and column.numeric:
        return NOT_APPLICABLE
    return cell_text(value, grouped)


def _cell_json(value: Value, column: Column) -> str | int | float | None:
    if isinstance(value, Hidden | NotAvailable):
        return export_text(value, column)
    if value is None and column.numeric:
        return NOT_APPLICABLE
    if isinstance(value, str):
        return safe_text(value)
    return value


def render(report: Report, form: Format) -> str:
    """The report in one of the export formats."""
    writers: dict[str, Callable[[Report], str]] = {
        "csv": to_csv,
        "json": to_json,
        "md": to_markdown,
        "html": to_html,
    }
    return writers[form](report)


def _preamble(report: Report) -> list[tuple[str, str]]:
    return [
        ("Report", report.title),
        ("Period", _period_text(report)),
        ("Filters", report.filters.scope()),
        ("Counts under", f"{report.threshold} are hidden, shown as {CONFIDENTIAL}"),
        ("Symbols", SYMBOLS),
        ("Generated", report.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
    ]


def _period_text(report: Report) -> str:
    period = str(report.filters.period)
    return f"{period} ({report.period_chosen})" if report.period_chosen else period


def starts(report: Report) -> dict[str, Heading]:
    """Table key -> the section that begins with it: where exports put a section's heading.

    Every export reads the report's sections (the registry's list, `sections.SECTIONS`),
    so a section added there shows up in each of them with its title."""
    return {part.tables[0]: part for part in report.sections if part.tables}


def to_csv(report: Report) -> str:
    """One block per table (title row, header row, data rows), separated by an empty row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for name, value in _preamble(report):
        writer.writerow([safe_text(name), safe_text(value)])
    for note in report.notes:
        writer.writerow(["Note", safe_text(note)])
    heading = starts(report)
    for table in report.tables:
        writer.writerow([])
        if table.key in heading:
            writer.writerow(["Section", safe_text(heading[table.key].title)])
        writer.writerow([safe_text(table.title)])
        writer.writerow([safe_text(column.title) for column in table.columns])
        for row in table.rows:
            writer.writerow(
                [
                    export_text(value, column)
                    for column, value in zip(table.columns, row, strict=True)
                ]
            )
        if table.note:
            writer.writerow([safe_text(table.note)])
    return buffer.getvalue()


def to_json(report: Report) -> str:
    """Machine-readable: hidden figures are the string "[c]", so no reader mistakes them for 0."""
    document = {
        "title": safe_text(report.title),
        "period": {
            "from": report.filters.period.start.isoformat(),
            "to": report.filters.period.end.isoformat(),
        },
        "filters": {
            "site": report.filters.site,
            "channel": report.filters.channel,
            "topic": report.filters.topic,
        },
        "suppression_threshold": report.threshold,
        "generated_at": report.generated_at.isoformat(),
        "notes": [safe_text(note) for note in report.notes],
        "sections": [
            {"key": part.key, "title": safe_text(part.title), "tables": list(part.tables)}
            for part in report.sections
        ],
        "tables": [
            {
                "key": table.key,
                "title": safe_text(table.title),
                "note": safe_text(table.note),
                "columns": [
                    {"key": column.key, "title": safe_text(column.title), "kind": column.kind}
                    for column in table.columns
                ],
                "rows": [
                    {
                        column.key: _cell_json(value, column)
                        for column, value in zip(table.columns, row, strict=True)
                    }
                    for row in table.rows
                ],
            }
            for table in report.tables
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|!~#])")
"""Characters that make Markdown (or the raw HTML it lets through) do something: escaped."""


def _md_cell(value: Value) -> str:
    """A value as literal Markdown text: no HTML, link, image, emphasis or table break.

    Request text is what residents typed, and CommonMark passes raw HTML through
    to the page it renders, so every character that could start markup gets a
    backslash (CommonMark's escape for any ASCII punctuation): `<script>` reads
    as those characters, never as a tag. Figures ("[c]" included) are ours, and left as they are.
    """
    if isinstance(value, Hidden | NotAvailable):
        return str(value) if isinstance(value, NotAvailable) else CONFIDENTIAL
    text = cell_text(value, grouped=True)
    if not isinstance(value, str):
        return text  # a number: ours, and harmless
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def to_markdown(report: Report) -> str:
    lines = [f"# {_md_cell(report.title)}", ""]
    lines += [f"- **{name}**: {_md_cell(value)}" for name, value in _preamble(report)]
    lines += [f"- {_md_cell(note)}" for note in report.notes]
    heading, level = starts(report), "###" if report.sections else "##"
    for table in report.tables:
        if table.key in heading:
            lines += ["", f"## {_md_cell(heading[table.key].title)}"]
        lines += ["", f"{level} {_md_cell(table.title)}", ""]
        if table.note:
            lines += [_md_cell(table.note), ""]
        if not table.rows:
            lines.append("" if table.withheld else "No records for this period.")
            continue
        lines.append("| " + " | ".join(_md_cell(column.title) for column in table.columns) + " |")
        lines.append("| " + " | ".join(_md_align(column) for column in table.columns) + " |")
        for row in table.rows:
            cells = (
                NOT_APPLICABLE if value is None and column.numeric else _md_cell(value)
                for column, value in zip(table.columns, row, strict=True)
            )
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _md_align(column: Column) -> str:
    return "---:" if column.numeric else "---"


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #0b0c0c;
       line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.8rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; }
h2.part { font-size: 1.5rem; border-bottom: 2px solid #0b0c0c; } h3 { font-size: 1.2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #b1b4b6; padding: 0.25rem 0.6rem; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.hidden { color: #505a5f; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: bold; } dd { margin: 0; }
.note { color: #505a5f; }
figure { margin: 0.5rem 0; } svg { max-width: 100%; height: auto; }
@media print { h2 { break-before: auto; } table, figure { break-inside: avoid; } }
""".strip()


def to_html(report: Report) -> str:
    """One HTML5 file with inline style and SVG charts: no scripts, no links, no web addresses."""
    body: list[str] = [f"<h1>{escape(report.title)}</h1>", "<dl>"]
    for name, value in _preamble(report):
        body.append(f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>")
    body.append("</dl>")
    body.append(_html_summary(report))
    body += [f'<p class="note">{escape(note)}</p>' for note in report.notes]
    body.append(_html_contents(report))
    heading = starts(report)
    for table in report.tables:
        if table.key in heading:
            part = heading[table.key]
            body.append(f'<h2 class="part" id="part-{escape(part.key)}">{escape(part.title)}</h2>')
        body.append(_html_table(table, "h3" if report.sections else "h2"))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n"
        "<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )


def _html_contents(report: Report) -> str:
    """Contents: each section with its tables (a plain list for a report without sections)."""
    titles = {table.key: table.title for table in report.tables}

    def items(keys: tuple[str, ...]) -> str:
        return "".join(
            f'<li><a href="#{escape(key)}">{escape(titles[key])}</a></li>' for key in keys
        )

    if not report.sections:
        return f"<nav><h2>Contents</h2><ol>{items(tuple(titles))}</ol></nav>"
    parts = "".join(
        f'<li><a href="#part-{escape(part.key)}">{escape(part.title)}</a>'
        f"<ol>{items(part.tables)}</ol></li>"
        for part in report.sections
        if part.tables
    )
    placed = {key for part in report.sections for key in part.tables}
    others = items(tuple(key for key in titles if key not in placed))
    return f"<nav><h2>Contents</h2><ol>{parts}{others}</ol></nav>"


def _html_summary(report: Report) -> str:
    """The executive summary: sentences from shown figures, each linked to its table."""
    sentences = summarise(report)
    if not sentences:
        return ""
    items = "".join(
        f'<li>{escape(s.text)} <span class="note">(From <a href="#{escape(s.table_key)}">'
        f"{escape(s.table_title)}</a>.)</span></li>"
        for s in sentences
    )
    return f'<section id="summary"><h2>Summary</h2><ul>{items}</ul></section>'


def _html_table(table: Table, level: str = "h2") -> str:
    parts = [f'<section id="{escape(table.key)}">', f"<{level}>{escape(table.title)}</{level}>"]
    if table.note:
        parts.append(f'<p class="note">{escape(table.note)}</p>')
    if not table.rows:
        parts.append(
            "</section>" if table.withheld else "<p>No records for this period.</p></section>"
        )
        return "\n".join(parts)
    chart = _html_chart(table)
    if chart:
        parts.append(f"<figure>{chart}</figure>")
    parts.append("<table>")
    parts.append(f"<caption>{escape(table.title)}</caption>")
    header = "".join(
        f'<th scope="col"{_num_class(column)}>{escape(column.title)}</th>'
        for column in table.columns
    )
    parts.append(f"<thead><tr>{header}</tr></thead><tbody>")
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            classes = ["num"] if column.numeric else []
            if isinstance(value, Hidden):
                classes.append("hidden")
            attribute = f' class="{" ".join(classes)}"' if classes else ""
            text = export_text(value, column, grouped=True)
            cells.append(f"<td{attribute}>{escape(text)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></section>")
    return "\n".join(parts)


def _num_class(column: Column) -> str:
    return ' class="num"' if column.numeric else ""


def _chart_value(value: Value) -> int | float | Hidden | AtLeast | None:
    """A cell as a chart draws it; "≥12.5" (a sum leaving out a hidden count) is drawn to
    12.5 and printed as it is."""
    if isinstance(value, str) and value.startswith(AT_LEAST):
        try:
            return AtLeast(float(value[len(AT_LEAST) :].replace(",", "")))
        except ValueError:
            return None
    return value if isinstance(value, int | float | Hidden) else None


def _html_chart(table: Table) -> str:
    if table.chart is None:
        return ""
    points = [(cell_text(label), _chart_value(value)) for label, value in table.chart_points()]
    draw = line_chart if table.chart.kind == "line" else bar_chart
    return draw(table.title, points)
