"""The `navigator` command: every subcommand's arguments, in one place.

Each subcommand names a handler as "module:function" and the module is
imported only when that subcommand runs, so `navigator match` never pays for
Textual and `navigator` (the app) never pays for the database layer at start.
A handler takes the parsed arguments and the settings and returns the exit status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from navigator.config import SUPPRESSION_PRESETS as PRESETS
from navigator.config import ConfigError, Settings, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _common(parser: argparse.ArgumentParser, *, inherited: bool = False) -> None:
    """The options every command takes, before or after the command's name.

    On a subcommand they default to "not given" (SUPPRESS), so that
    `navigator --db X demo-data` keeps the X given before the command.
    """
    default = argparse.SUPPRESS if inherited else None
    parser.add_argument(
        "--kb",
        type=Path,
        metavar="DIR",
        default=default,
        help="knowledge base folder (default: the demo)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=default,
        help="SQLite database file (default: in the data folder)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", default=default, help="settings file (TOML)"
    )


def _language(parser: argparse.ArgumentParser, *, inherited: bool = False) -> None:
    """`--language cy`: start every session in this language (branch welsh)."""
    parser.add_argument(
        "--language",
        metavar="CODE",
        default=argparse.SUPPRESS if inherited else None,
        help="the language sessions start in (en, cy, ...): one the knowledge base is written in",
    )


def _allow_broken(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-broken-knowledge",
        action="store_true",
        default=argparse.SUPPRESS if parser.prog != "navigator" else False,
        help="content staff only: preview a knowledge base that has errors (shows a banner)",
    )


def _site(parser: argparse.ArgumentParser) -> None:
    """`--site` on a subcommand: kept from before the command's name unless given again."""
    parser.add_argument("--site", default=argparse.SUPPRESS, help="the site this machine serves")


def _suppression(parser: argparse.ArgumentParser) -> None:
    """`--suppression`: the figures' disclosure control, for every command that shows them."""
    parser.add_argument(
        "--suppression",
        choices=PRESETS,
        default=argparse.SUPPRESS,
        help="disclosure control (default: the `suppression` setting, nhs-digital)",
    )


def _password_file(parser: argparse.ArgumentParser) -> None:
    """`--password-file`: the managers' password for a job that runs with no one to type it."""
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="PATH",
        help="for scheduled jobs: a file (readable by its owner only) holding the "
        "managers' password",
    )


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: str,
    help_text: str,
) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help_text, description=help_text)
    _common(parser, inherited=True)
    parser.set_defaults(handler=handler)
    return parser


def as_of_date(text: str) -> dt.date:
    """A `--as-of` day, or a message saying how to write one (argparse prints it)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text[:40]}' is not a date: write it as YYYY-MM-DD, for example 2027-04-06"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="navigator",
        description="A guided front door to local support. With no command, opens the app.",
    )
    _common(parser)
    parser.add_argument("--site", help="the site this machine serves, for records")
    _language(parser)
    _allow_broken(parser)
    parser.set_defaults(handler="navigator.commands.app:resident")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    validate = _command(
        commands, "validate", "navigator.commands.knowledge:validate", "check a knowledge base"
    )
    validate.add_argument("directory", nargs="?", type=Path, metavar="DIR")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument(
        "--as-of",
        type=as_of_date,
        metavar="DATE",
        help="judge dates (reviews, rates running out) as on this day (YYYY-MM-DD)",
    )

    schema = _command(
        commands,
        "schema",
        "navigator.commands.knowledge:schema",
        "write the knowledge format's JSON Schema, for editors",
    )
    schema.add_argument(
        "--out", type=Path, metavar="FILE", help="write here instead of standard output"
    )

    report_content = _command(
        commands,
        "content-report",
        "navigator.commands.content_report:content_report",
        "write one page of every rule, rate and review date, for a subject expert",
    )
    report_content.add_argument("--format", choices=["html"], default="html")
    report_content.add_argument("--out", type=Path, metavar="FILE", help="default: standard output")
    report_content.add_argument(
        "--as-of", type=as_of_date, metavar="DATE", help="rates and reviews as on this day"
    )

    graph = _command(commands, "graph", "navigator.commands.knowledge:graph", "draw a topic's tree")
    graph.add_argument("topic", metavar="TOPIC")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")

    match = _command(
        commands, "match", "navigator.commands.matching:match", "rank topics for free text"
    )
    match.add_argument("texts", nargs="+", metavar="TEXT", help="texts to match; - reads stdin")
    match.add_argument("--json", action="store_true", help="one JSON object per line")

    chat = _command(
        commands, "chat", "navigator.commands.conversation:chat", "talk to Navigator in text"
    )
    chat.add_argument("--plain", action="store_true", help="numbered lines on stdin and stdout")
    _site(chat)
    _language(chat, inherited=True)
    chat.add_argument(
        "--as-of",
        type=as_of_date,
        metavar="DATE",
        help="preview the knowledge base as on this day (YYYY-MM-DD): its rates; nothing recorded",
    )
    _allow_broken(chat)

    transcripts = _command(
        commands,
        "check-transcripts",
        "navigator.commands.conversation:check_transcripts",
        "run scripted conversations and report any that diverge",
    )
    transcripts.add_argument("directory", nargs="?", type=Path, metavar="DIR")

    _records_commands(commands)
    _app_commands(commands)

    # oruk-in: navigator import oruk | review | accept (navigator/commands/oruk_import.py)
    importing = _command(
        commands,
        "import",
        "navigator.commands.oruk_import:import_help",
        "bring in services from another directory's feed as candidates",
    )
    kinds = importing.add_subparsers(title="what to do", metavar="ACTION")
    oruk = _command(
        kinds,
        "oruk",
        "navigator.commands.oruk_import:import_oruk",
        "import an Open Referral UK feed, JSON file or datapackage.json",
    )
    oruk.add_argument(
        "source", metavar="SOURCE", help="feed base URL, .json file, or datapackage.json"
    )
    oruk.add_argument("--into", type=Path, metavar="DIR", help="knowledge folder (default: --kb)")
    oruk.add_argument(
        "--feed", metavar="NAME", help="name for this feed (default: from its address)"
    )
    oruk.add_argument(
        "--licence", help="the feed's licence, if it does not declare one (e.g. OGL-UK-3.0)"
    )
    oruk.add_argument("--attribution", help="how the publisher asks to be credited")
    oruk.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="services fetched at once"
    )
    oruk.add_argument(
        "--timeout", type=float, default=60.0, metavar="SECONDS", help="longest for one answer"
    )
    oruk.add_argument("--max-mb", type=float, default=50.0, metavar="MB", help="largest page read")
    for action, handler, what in (
        ("review", "review", "show imported candidates and what changed"),
        ("accept", "accept", "make a reviewed candidate a service"),
    ):
        sub = _command(kinds, action, f"navigator.commands.oruk_import:{handler}", what)
        sub.add_argument(
            "--into", type=Path, metavar="DIR", help="knowledge folder (default: --kb)"
        )
        if action == "review":
            sub.add_argument("feed", nargs="?", metavar="FEED")
        else:
            sub.add_argument("candidate", metavar="ID")
            sub.add_argument(
                "--need", action="append", metavar="NEED", help="the need it meets (repeatable)"
            )
    _oruk_out_commands(commands)  # branch oruk-out: publishing an ORUK 3.0 feed
    # Branch evidence (issue 18): open-data packs of coded unmet need, and comparing them.
    published = _command(
        commands, "publish", "navigator.commands.evidence:publish", "write an open-data pack"
    )
    published.add_argument("--period", required=True, help="a calendar quarter (2026-Q3) or month")
    published.add_argument("--out", required=True, type=Path, metavar="DIR", help="a new folder")
    published.add_argument("--council", metavar="ID", help="a council in codes/places.yaml")
    _suppression(published)
    _password_file(published)
    published.add_argument(  # branch compare: several councils in one database
        "--site", action="append", default=[], dest="sites", metavar="SITE",
        help="only this site's records (repeatable), where councils share one database",
    )  # fmt: skip
    compared = _command(
        commands, "compare", "navigator.commands.evidence:compare", "compare councils' packs"
    )
    compared.add_argument("packs", nargs="+", type=Path, metavar="PACK", help="pack folders")
    compared.add_argument("--ours", metavar="GSS", help="this council's code (default: first)")
    compared.add_argument("--format", choices=["text", "csv", "html", "md"], default="text")
    compared.add_argument("--out", type=Path, metavar="FILE")
    # branch welsh: the translators' workflow (PO files out and back in).
    translations = commands.add_parser(
        "translations", help="hand texts to translators and take their work back"
    )
    translation_commands = translations.add_subparsers(title="commands", metavar="COMMAND")
    export = _command(
        translation_commands,
        "export",
        "navigator.commands.translations:export",
        "write every resident-facing text, with its context, as a PO file",
    )
    export.add_argument("--language", required=True, metavar="CODE", help="such as cy")
    export.add_argument("--out", type=Path, metavar="FILE", help="default: standard output")
    export.add_argument("directory", nargs="?", type=Path, metavar="DIR")
    imported = _command(
        translation_commands,
        "import",
        "navigator.commands.translations:import_",
        "write a translated PO file back into the knowledge base",
    )
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument("directory", nargs="?", type=Path, metavar="DIR")
    # Branch referrals (issue 20): a service's answer to a warm referral, by its reply code.
    referral = _command(
        commands, "referral", "navigator.commands.referral:answer", "store a service's answer"
    )
    referral.add_argument(
        "answer", nargs="*", metavar="WORDS", help="CODE accepted | CODE declined REASON"
    )
    referral.add_argument("--reply", type=Path, metavar="FILE", help="a saved reply to read")
    return parser


def _oruk_out_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Branch oruk-out: `export oruk` (files and a data package) and `serve-feed` (the API)."""
    export = commands.add_parser("export", help="write the directory in an open standard")
    formats = export.add_subparsers(title="formats", metavar="FORMAT", required=True)
    oruk = _command(
        formats,
        "oruk",
        "navigator.commands.oruk:export_oruk",
        "write an Open Referral UK 3.0 feed: JSON files and a Tabular Data Package",
    )
    oruk.add_argument("--out", type=Path, metavar="DIR", required=True, help="the folder to write")
    _oruk_feed_options(oruk)
    feed = _command(
        commands,
        "serve-feed",
        "navigator.commands.oruk:serve_feed",
        "serve the directory as a read-only Open Referral UK 3.0 API",
    )
    feed.add_argument("--host", default="127.0.0.1")
    feed.add_argument("--port", type=int, default=8100)
    _oruk_feed_options(feed)


def _oruk_feed_options(parser: argparse.ArgumentParser) -> None:
    """Branch oruk-out: how the council publishes (both commands)."""
    parser.add_argument(
        "--namespace",
        metavar="UUID",
        help="the council's UUID for stable ids (default: the oruk_namespace setting)",
    )
    parser.add_argument(
        "--assurer-email",
        metavar="EMAIL",
        help="the content team's shared mailbox, published as assurer_email",
    )
    parser.add_argument(
        "--base-url", metavar="URL", help="where the feed is served (https://...), for links"
    )
    parser.add_argument(
        "--withhold-address",
        action="append",
        default=[],
        metavar="SERVICE",
        help="never publish this service's address (repeatable; refuges always are withheld)",
    )


def _records_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    database = commands.add_parser("db", help="the records database")
    database_commands = database.add_subparsers(title="db commands", metavar="COMMAND")
    database.set_defaults(handler="navigator.commands.records:db_help")
    _command(
        database_commands, "upgrade", "navigator.commands.records:db_upgrade", "apply migrations"
    )
    _command(
        database_commands,
        "status",
        "navigator.commands.records:db_status",
        "show the outbox backlog and the last copy",
    )

    purge = _command(
        commands, "purge", "navigator.commands.records:purge", "remove records past retention"
    )
    purge.add_argument("--older-than", metavar="PERIOD", help="for example 24m (months)")

    demo = _command(
        commands,
        "demo-data",
        "navigator.commands.records:demo_data",
        "fill a database with realistic made-up records",
    )
    demo.add_argument("--sessions", type=int, metavar="N", help="default: 10,000")
    demo.add_argument("--seed", type=int, metavar="S", help="default: 1")
    demo.add_argument(  # branch evidence (issue 18)
        "--council", metavar="ID", help="a made-up council from codes/places.yaml, e.g. eastmoor"
    )

    report = _command(
        commands, "report", "navigator.commands.manager:report", "figures for commissioners"
    )
    report.add_argument("--from", dest="date_from", metavar="DATE")
    report.add_argument("--to", dest="date_to", metavar="DATE")
    report.add_argument("--site")
    report.add_argument("--format", choices=["csv", "json", "md", "html"], default="md")
    report.add_argument("--out", type=Path, metavar="PATH")
    _suppression(report)
    _password_file(report)
    report.add_argument(  # branch evidence (issue 18)
        "--compare",
        nargs="+",
        type=Path,
        metavar="PACK",
        help="add a 'Compare places' section from published packs (ours first)",
    )


def _app_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kiosk = _command(
        commands, "kiosk", "navigator.commands.app:kiosk", "the locked-down resident kiosk"
    )
    _site(kiosk)
    _language(kiosk, inherited=True)
    kiosk_commands = kiosk.add_subparsers(title="kiosk commands", metavar="COMMAND")
    _command(kiosk_commands, "set-pin", "navigator.commands.app:kiosk_set_pin", "set staff PIN")

    serve = _command(commands, "serve", "navigator.commands.app:serve", "serve in a browser")
    serve.add_argument("--mode", choices=["resident", "kiosk", "advocate"], default="resident")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    _site(serve)
    _language(serve, inherited=True)
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when a proxy serves Navigator (https://kiosk.example/)",
    )
    serve.add_argument(
        "--allowed-origin",
        action="append",
        default=[],
        metavar="URL",
        help="another page origin that may open sessions (repeatable)",
    )
    serve.add_argument(
        "--max-sessions", type=int, metavar="N", help="app processes at once, in all"
    )
    serve.add_argument(
        "--max-sessions-per-client",
        type=int,
        metavar="N",
        help="app processes at once for one client address",
    )
    serve.add_argument(
        "--quick-exit-url", metavar="URL", help="where 'Leave this page quickly' goes"
    )

    advocate = _command(
        commands, "advocate", "navigator.commands.advocate:advocate", "the drop-in advocate's tool"
    )
    _site(advocate)

    manager = _command(
        commands, "manager", "navigator.commands.manager:dashboard", "the unmet-need review"
    )
    _suppression(manager)
    manager.add_argument(  # branch compare (issue 18)
        "--compare",
        nargs="+",
        type=Path,
        default=[],
        metavar="PACK",
        help="other councils' published packs for 'Compare places' (key c)",
    )
    manager_commands = manager.add_subparsers(title="manager commands", metavar="COMMAND")
    _command(
        manager_commands,
        "set-password",
        "navigator.commands.manager:set_password",
        "set the managers' password",
    )


def settings_for(arguments: argparse.Namespace) -> Settings:
    """Settings from the config file and environment, then this command's flags."""
    settings = load_settings(getattr(arguments, "config", None))
    changes: dict[str, object] = {}
    if getattr(arguments, "kb", None):
        changes["knowledge"] = arguments.kb
    if getattr(arguments, "site", None):
        changes["site"] = arguments.site
    if getattr(arguments, "language", None):
        changes["language"] = arguments.language
    if getattr(arguments, "suppression", None):
        changes["suppression"] = arguments.suppression
    if changes:
        from dataclasses import replace

        settings = replace(settings, **changes)  # type: ignore[arg-type]
    if getattr(arguments, "db", None):
        settings = settings.with_database_path(arguments.db)
    return settings


def resolve(handler: str) -> Handler:
    module_name, function_name = handler.split(":")
    function: Handler = getattr(importlib.import_module(module_name), function_name)
    return function


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point. Never shows a traceback to a person unless NAVIGATOR_DEBUG is set."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        settings = settings_for(arguments)
        return resolve(arguments.handler)(arguments, settings)
    except ConfigError as problem:
        print(f"navigator: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as problem:  # the last line of defence: a message, not a traceback
        if os.environ.get("NAVIGATOR_DEBUG"):
            raise
        print(
            f"navigator: something went wrong that we did not expect: {problem!r}. "
            "Set NAVIGATOR_DEBUG=1 to see the details, and please report it.",
            file=sys.stderr,
        )
        return EXIT_ERRORS


if __name__ == "__main__":
    sys.exit(main())
