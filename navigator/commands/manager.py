"""`navigator manager`, `navigator manager set-password` and `navigator report`.

The dashboard and the report read the same protected figures
(`navigator.records.reports.review.Review`), so a number a commissioner reads
in a report is the number a manager saw on screen for the same filters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from navigator.config import Settings
from navigator.records.reports.access import (
    PasswordProblem,
    has_password,
    load_hash,
)
from navigator.records.reports.access import (
    set_password as store_password,
)

if TYPE_CHECKING:
    from navigator.records.reports.review import Review
    from navigator.records.reports.tables import Period

EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE = 0, 1, 2
DEFAULT_PERIOD_NOTE = (
    "no period was given, so this is the dashboard's: the last 13 weeks up to the last day "
    "with records"
)


def set_password(arguments: argparse.Namespace, settings: Settings) -> int:
    """Ask for the password twice (or read one line from a pipe) and store its salted hash."""
    try:
        password = _read_new_password(sys.stdin)
        path = store_password(settings.config_dir, password)
    except PasswordProblem as problem:
        print(f"navigator manager set-password: {problem}", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"The managers' password is set (a salted hash is kept in {path}).")
    return EXIT_OK


def _read_new_password(stream: TextIO) -> str:
    if not stream.isatty():
        return stream.readline().rstrip("\r\n")
    first = getpass.getpass("New managers' password: ")
    second = getpass.getpass("The same password again: ")
    if first != second:
        raise PasswordProblem("the two passwords are different; nothing was changed")
    return first


def dashboard(arguments: argparse.Namespace, settings: Settings) -> int:
    """Open the dashboard, only if a password has been set; the app asks for it first."""
    if not has_password(settings.config_dir):
        print(
            "navigator manager: no managers' password is set, so the review stays closed.\n"
            "Set one first with: navigator manager set-password",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    try:
        stored = load_hash(settings.config_dir)
    except PasswordProblem as problem:
        print(f"navigator manager: {problem}", file=sys.stderr)
        return EXIT_UNUSABLE
    from navigator.tui.manager.app import ManagerApp

    app = ManagerApp(stored, lambda: _open_review(settings))
    status = app.run()
    return status if isinstance(status, int) else EXIT_OK


def report(arguments: argparse.Namespace, settings: Settings) -> int:
    """Write the report for the period in the chosen format, to --out or standard output."""
    from navigator.records.reports.export import render
    from navigator.records.reports.review import ReviewProblem
    from navigator.records.reports.tables import Filters

    try:
        period = _period(arguments.date_from, arguments.date_to)
    except ValueError as problem:
        print(f"navigator report: {problem}", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        review = _open_review(settings)
        chosen = "" if period else DEFAULT_PERIOD_NOTE
        filters = Filters(period or review.default_period(), site=arguments.site)
        text = render(review.report(filters, period_chosen=chosen), arguments.format)
    except ReviewProblem as problem:
        print(f"navigator report: {problem}", file=sys.stderr)
        return EXIT_UNUSABLE
    return _write(text, arguments.out)


def _open_review(settings: Settings) -> Review:
    from navigator.records.reports.review import open_review

    return open_review(settings)


def _period(date_from: str | None, date_to: str | None) -> Period | None:
    """The period given with --from and --to, or None when neither was given."""
    from navigator.records.reports.tables import Period

    if date_from is None and date_to is None:
        return None
    if date_from is None or date_to is None:
        raise ValueError(
            "give both --from and --to, or neither for the last 13 weeks (the dashboard's period)"
        )
    return Period(_date(date_from, "--from"), _date(date_to, "--to"))


def _date(text: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag} {text!r} is not a date; write it like 2025-03-31") from None


def _write(text: str, out: Path | None) -> int:
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as problem:
        print(f"navigator report: {out}: cannot be written ({problem.strerror})", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"Report written to {out}.", file=sys.stderr)
    return EXIT_OK
