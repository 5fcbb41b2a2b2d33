"""`navigator manager`, `navigator manager set-password` and `navigator report`.

The dashboard and the report read the same protected figures
(`navigator.records.reports.review.Review`), so a number a commissioner reads
in a report is the number a manager saw on screen for the same filters, and
both ask for the managers' password first: a report is the same figures in a
file. A scheduled job cannot type it, so it names a file holding it
(`--password-file PATH` or NAVIGATOR_MANAGER_PASSWORD_FILE), which must be
readable by its owner only. Wrong passwords are counted in one file for the
dashboard and the report (`navigator.attempts`), so neither is a way round
the other's waits and lockout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from navigator.attempts import Attempts
from navigator.config import Settings
from navigator.records.reports.access import (
    PASSWORD_FILE_ENVIRONMENT,
    PasswordProblem,
    attempts_path,
    check_password,
    has_password,
    load_hash,
    read_password_file,
)
from navigator.records.reports.access import (
    set_password as store_password,
)

if TYPE_CHECKING:
    from navigator.records.reports.review import Review
    from navigator.records.reports.tables import Period
    from navigator.tui.manager.app import ManagerApp

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
    app = manager_app(arguments, settings)
    if isinstance(app, int):
        return app
    status = app.run()
    return status if isinstance(status, int) else EXIT_OK


def manager_app(arguments: argparse.Namespace, settings: Settings) -> ManagerApp | int:
    """The dashboard app for these settings (its review uses their disclosure preset), or
    the exit status after saying why it cannot open. Apart from `dashboard` so tests can
    drive the app the command line made under Pilot."""
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
    attempts = Attempts(attempts_path(settings.data_dir))
    door = attempts.door()
    if door.state == "locked":
        print(f"navigator manager: {door.describe('The review')}", file=sys.stderr)
        return EXIT_PROBLEM
    from navigator.tui.manager.app import ManagerApp
    from navigator.tui.manager.compare import PackSources

    packs = PackSources(  # issue 18: "Compare places" reads this council's and others' packs
        settings.data_dir / "published-packs.json", tuple(getattr(arguments, "compare", ()) or ())
    )
    return ManagerApp(stored, lambda: _open_review(settings), attempts, packs)


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
    refused = authorise(arguments, settings, "navigator report")
    if refused is not None:
        return refused
    try:
        review = _open_review(settings)
        chosen = "" if period else DEFAULT_PERIOD_NOTE
        filters = Filters(period or review.default_period(), site=arguments.site)
        report = review.report(filters, period_chosen=chosen)
        if getattr(arguments, "compare", None):  # a "Compare places" section (issue 18)
            from navigator.commands.evidence import with_comparison

            report = with_comparison(report, arguments.compare)
        text = render(report, arguments.format)
    except ReviewProblem as problem:
        print(f"navigator report: {problem}", file=sys.stderr)
        return EXIT_UNUSABLE
    return _write(text, arguments.out)


def authorise(arguments: argparse.Namespace, settings: Settings, command: str) -> int | None:
    """None when the managers' password was given and is right; else the exit status, after
    saying why (never echoing what was given)."""
    try:
        stored = load_hash(settings.config_dir)
    except PasswordProblem as problem:
        print(f"{command}: {problem}", file=sys.stderr)
        return EXIT_UNUSABLE
    attempts = Attempts(attempts_path(settings.data_dir))
    door = attempts.door()
    if not door.is_open:
        print(f"{command}: {door.describe('Reports')}", file=sys.stderr)
        return EXIT_PROBLEM
    try:
        right = check_password(stored, _given_password(arguments))
    except PasswordProblem as problem:
        print(f"{command}: {problem}", file=sys.stderr)
        return EXIT_UNUSABLE
    if right:
        attempts.succeeded()
        return None
    door = attempts.failed()
    print(
        f"{command}: the managers' password is not right. {door.describe('Reports')}".strip(),
        file=sys.stderr,
    )
    return EXIT_PROBLEM


def _given_password(arguments: argparse.Namespace) -> str:
    """From --password-file, or the file the environment names, or typed at a terminal."""
    named = getattr(arguments, "password_file", None) or os.environ.get(PASSWORD_FILE_ENVIRONMENT)
    if named:
        return read_password_file(Path(named))
    if sys.stdin.isatty():
        return getpass.getpass("Managers' password: ")
    raise PasswordProblem(
        "this needs the managers' password. Type it at a terminal, or, for a scheduled "
        "job, put it in a file only its owner can read and give --password-file PATH "
        f"(or {PASSWORD_FILE_ENVIRONMENT}=PATH)"
    )


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
