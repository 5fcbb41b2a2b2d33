"""`navigator content-report`: one self-contained page for a subject expert to check.

The page needs no network and runs no script: styles are inline, every value is
escaped, and links point only at the sources and services it names. Exit
status: 0 written, 1 the knowledge base has errors (the page is still written,
with them listed first), 2 cannot read the knowledge base or write the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from html import escape
from pathlib import Path

from navigator.config import Settings

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#0b0c0c}
h1{font-size:2rem}h2{margin-top:2.5rem;border-bottom:2px solid #0b0c0c}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #b1b4b6;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}.due{background:#fff7bf}.rule{font-weight:600}
.muted{color:#505a5f}
"""


def content_report(arguments: argparse.Namespace, settings: Settings) -> int:
    """Write the review page for the knowledge base in `settings.knowledge`."""
    from navigator.engine.content_review import content_review
    from navigator.kb import KnowledgeBaseUnreadable, Severity, load
    from navigator.kb.validate import validate

    root = Path(settings.knowledge)
    as_of: dt.date = getattr(arguments, "as_of", None) or dt.date.today()
    try:
        result = load(root)
    except KnowledgeBaseUnreadable as problem:
        print(f"navigator content-report: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    findings = [*result.diagnostics]
    if not result.unreadable_files:
        findings += validate(result.knowledge, today=as_of)
    errors = [finding for finding in findings if finding.severity == Severity.ERROR]
    review = content_review(result.knowledge, findings, as_of)
    page = render_page(review, [str(finding) for finding in errors])
    out: Path | None = arguments.out
    if out is None:
        sys.stdout.write(page)
    else:
        try:
            out.write_text(page, encoding="utf-8")
        except OSError as problem:
            print(
                f"navigator content-report: cannot write {out}: {problem.strerror or problem}. "
                "Check the folder exists and you may write to it.",
                file=sys.stderr,
            )
            return EXIT_UNREADABLE
        print(f"navigator content-report: wrote {out}", file=sys.stderr)
    return EXIT_ERRORS if errors else EXIT_OK


def render_page(review: object, errors: list[str]) -> str:
    """The whole page as one string of HTML."""
    from navigator.engine.content_review import ContentReview

    assert isinstance(review, ContentReview)
    title = f"{review.place or 'Knowledge base'}: content for review"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">As on {review.as_of.isoformat()}. Content '
        f"{escape(review.content_hash)}. Each rule below is written from the phrases residents "
        "read; check it against its source.</p>",
        *_errors(errors),
        *_due(review),
        *_rates(review),
        *_topics(review),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _errors(errors: list[str]) -> list[str]:
    if not errors:
        return []
    items = "".join(f"<li>{escape(error)}</li>" for error in errors)
    return ['<h2 id="errors">Errors to fix first</h2>', f"<ul>{items}</ul>"]


def _due(review: object) -> list[str]:
    from navigator.engine.content_review import ContentReview

    assert isinstance(review, ContentReview)
    if not review.due:
        return ['<h2 id="due">Due for review</h2>', "<p>Nothing is due for review.</p>"]
    rows = "".join(
        f'<tr class="due"><td>{escape(item.where)}</td><td>{escape(item.what)}</td></tr>'
        for item in review.due
    )
    return [
        '<h2 id="due">Due for review</h2>',
        f"<table><tr><th>Where</th><th>What to check</th></tr>{rows}</table>",
    ]


def _rates(review: object) -> list[str]:
    from navigator.engine.content_review import ContentReview

    assert isinstance(review, ContentReview)
    rows = []
    for rate in review.rates:
        values = "<br>".join(
            f"{escape(value)}: from {start.isoformat()}"
            + (f" to {end.isoformat()}" if end is not None else " on")
            for start, end, value in rate.values
        )
        rows.append(
            f"<tr><td>{escape(rate.title)}<br><code>{{{escape(rate.rate_id)}}}</code></td>"
            f"<td>{values}</td>"
            f'<td><a href="{escape(rate.source, quote=True)}">{escape(rate.source)}</a><br>'
            f"checked {rate.verified_on.isoformat()}</td></tr>"
        )
    table = "".join(rows) or '<tr><td colspan="3">No rates yet.</td></tr>'
    return [
        '<h2 id="rates">Rates: amounts and limits, with their dates</h2>',
        f"<table><tr><th>Rate</th><th>Values</th><th>Source</th></tr>{table}</table>",
    ]


def _topics(review: object) -> list[str]:
    from navigator.engine.content_review import ContentReview, ServiceEntry

    assert isinstance(review, ContentReview)

    def service_rows(services: tuple[ServiceEntry, ...]) -> str:
        rows = []
        for entry in services:
            rule = (
                f'<p class="rule">Offered when {escape(entry.rule)}.</p>'
                if entry.rule
                else '<p class="rule">Open to anyone.</p>'
            )
            description = (
                f"<p>{escape(entry.eligibility_description)}</p>"
                if entry.eligibility_description
                else ""
            )
            checked = (
                f"<br>rule checked {entry.rule_checked_on.isoformat()}"
                if entry.rule_checked_on
                else ""
            )
            link = (
                f'<br><a href="{escape(_url(entry.website), quote=True)}">'
                f"{escape(entry.website)}</a>"
                if entry.website
                else ""
            )
            rows.append(
                f"<tr><td><strong>{escape(entry.name)}</strong><br>"
                f'<span class="muted">{escape(entry.provider)}</span>{link}</td>'
                f"<td>{rule}{description}</td>"
                f"<td>reviewed {entry.last_reviewed.isoformat()}{checked}</td></tr>"
            )
        return "".join(rows)

    head = "<tr><th>Service</th><th>Who it is for</th><th>Dates</th></tr>"
    parts = ['<h2 id="topics">Services by topic</h2>']
    for topic in review.topics:
        parts.append(f'<h3 id="topic-{escape(topic.topic_id)}">{escape(topic.title)}</h3>')
        parts.append(f"<table>{head}{service_rows(topic.services)}</table>")
    if review.unplaced:
        parts.append("<h3>Services no topic offers</h3>")
        parts.append(f"<table>{head}{service_rows(review.unplaced)}</table>")
    return parts


def _url(website: str) -> str:
    """A link that opens: 'www.gov.uk/x' becomes 'https://www.gov.uk/x'; other schemes, none."""
    if website.startswith(("https://", "http://")):
        return website
    return f"https://{website}" if "://" not in website and ":" not in website else "#"
