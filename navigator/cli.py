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


def _allow_broken(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-broken-knowledge",
        action="store_true",
        default=argparse.SUPPRESS if parser.prog != "navigator" else False,
        help="content staff only: preview a knowledge base that has errors (shows a banner)",
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
    chat.add_argument("--site", default=argparse.SUPPRESS, help="the site this machine serves")
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
    return parser


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
    demo.add_argument("--sessions", type=int, default=10_000, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")

    report = _command(
        commands, "report", "navigator.commands.manager:report", "figures for commissioners"
    )
    report.add_argument("--from", dest="date_from", metavar="DATE")
    report.add_argument("--to", dest="date_to", metavar="DATE")
    report.add_argument("--site")
    report.add_argument("--format", choices=["csv", "json", "md", "html"], default="md")
    report.add_argument("--out", type=Path, metavar="PATH")
    report.add_argument(
        "--suppression",
        choices=PRESETS,
        default=argparse.SUPPRESS,
        help="disclosure control (default: the `suppression` setting, nhs-digital)",
    )
    report.add_argument(
        "--password-file",
        type=Path,
        metavar="PATH",
        help="for scheduled jobs: a file (readable by its owner only) holding the "
        "managers' password",
    )


def _app_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kiosk = _command(
        commands, "kiosk", "navigator.commands.app:kiosk", "the locked-down resident kiosk"
    )
    kiosk.add_argument("--site", default=argparse.SUPPRESS, help="the site this machine serves")
    kiosk_commands = kiosk.add_subparsers(title="kiosk commands", metavar="COMMAND")
    _command(kiosk_commands, "set-pin", "navigator.commands.app:kiosk_set_pin", "set staff PIN")

    serve = _command(commands, "serve", "navigator.commands.app:serve", "serve in a browser")
    serve.add_argument("--mode", choices=["resident", "kiosk", "advocate"], default="resident")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--site", default=argparse.SUPPRESS, help="the site this machine serves")
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
    advocate.add_argument("--site", default=argparse.SUPPRESS, help="the site this machine serves")

    manager = _command(
        commands, "manager", "navigator.commands.manager:dashboard", "the unmet-need review"
    )
    manager.add_argument(
        "--suppression",
        choices=PRESETS,
        default=argparse.SUPPRESS,
        help="disclosure control (default: the `suppression` setting, nhs-digital)",
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
