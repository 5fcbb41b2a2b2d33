"""The Textual front ends: resident app, kiosk, advocate, and serving them in a browser.

`navigator` (no command) opens the resident app on the demo knowledge base
with the embedded SQLite store. `navigator kiosk --site SITE` is the same app
locked down; it refuses to start without a staff PIN, without a site, with
environment settings that would undo the lock-down, or on a knowledge base
`navigator validate` rejects (the resident app too, unless content staff
preview with `--allow-broken-knowledge`, which shows a banner). `navigator serve`
runs either in a browser through textual-serve; each browser tab runs
`python -m navigator.commands.app MODE [FLAGS]` (the bottom of this file).
"""

from __future__ import annotations

import argparse
import gc
import getpass
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from navigator.config import Settings

if TYPE_CHECKING:
    from navigator.commands.loading import Opened
    from navigator.engine.events import Channel
    from navigator.kb import KnowledgeBase
    from navigator.tui.kiosk.pin import PinHash
    from navigator.tui.web.server import ServeMode

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

CRASH_RESTARTS = 5
CRASH_WINDOW_SECONDS = 60.0
"""A kiosk that crashes restarts itself, unless it crashes this often in this window."""


@contextmanager
def quick_start() -> Iterator[None]:
    """Pause the cyclic garbage collector while importing and loading, then freeze the result.

    Starting imports Textual, pydantic and the engine and builds the knowledge
    base: a few hundred thousand long-lived objects and almost no garbage. With
    the collector on, its passes over them cost about a tenth of the start;
    frozen afterwards (`gc.freeze`), later passes skip them for good, so the
    first screen and the rest of the session are cheaper too. The collector is
    back on before the app runs; the resident app pauses it again while its first
    screen is built (`NavigatorApp._pause_collector`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _knowledge(settings: Settings, command: str, *, allow_broken: bool = False) -> Opened | None:
    """The checked knowledge base, or None after saying why it cannot be used.

    Served from the validated-knowledge cache in the data folder while no
    knowledge file has changed; the cache holds `validate`'s findings, so a
    start refuses exactly what `navigator validate` rejects (see
    `navigator.commands.loading`).
    """
    from navigator.commands.loading import language_refused, limits_for, open_knowledge

    opened = open_knowledge(
        settings.knowledge,
        command,
        allow_broken=allow_broken,
        cache_dir=settings.data_dir / "cache",
        limits=limits_for(settings),
    )
    if opened is not None and language_refused(opened.knowledge, settings, command):
        return None
    return opened


def resident(arguments: argparse.Namespace, settings: Settings) -> int:
    """Open the resident app (the README's run command)."""
    allow_broken = bool(getattr(arguments, "allow_broken_knowledge", False))
    return run_resident(settings, channel="resident", allow_broken=allow_broken)


def run_resident(settings: Settings, *, channel: Channel, allow_broken: bool = False) -> int:
    """The resident app; on a knowledge base with errors only when previewing (`allow_broken`)."""
    with quick_start():
        from navigator.tui.app import AppConfig, NavigatorApp

        opened = _knowledge(settings, "", allow_broken=allow_broken)
        if opened is None:
            return EXIT_UNREADABLE
        config = AppConfig(
            settings=settings,
            knowledge=opened.knowledge,
            channel=channel,
            banner=opened.banner,
            style_cache=settings.data_dir / "cache",
        )
        app = NavigatorApp(config)
    app.run()
    return app.return_code or EXIT_OK


MIN_IDLE_WARNING_SECONDS = 20.0
"""The shortest "Do you need more time?" countdown a kiosk accepts (WCAG 2.2.1 asks 20)."""


def kiosk(arguments: argparse.Namespace, settings: Settings) -> int:
    """The locked-down kiosk: refuses to start unless it can stay locked down."""
    return run_kiosk(settings, restart=True)


def run_kiosk(settings: Settings, *, restart: bool) -> int:
    """Check lock-down, PIN, site and knowledge; then run. `restart`: start again after a crash."""
    pin_hash = _kiosk_ready(settings, "navigator kiosk")
    if pin_hash is None:
        return EXIT_ERRORS
    with quick_start():
        opened = _knowledge(settings, "kiosk")
    if opened is None:
        return EXIT_UNREADABLE
    return _run_kiosk_until_staff_exit(settings, opened.knowledge, pin_hash, restart=restart)


def _kiosk_ready(settings: Settings, command: str) -> PinHash | None:
    """The staff PIN hash when a kiosk may start; otherwise None, after saying every reason."""
    from navigator.tui.kiosk.lockdown import lockdown_problems
    from navigator.tui.kiosk.pin import PinFileError, load_pin

    problems = lockdown_problems(os.environ)
    if settings.site == "unknown":
        problems.append(
            "no site is set: give the site this kiosk serves, such as --site central-library"
        )
    if settings.idle_warning_seconds < MIN_IDLE_WARNING_SECONDS:
        problems.append(
            f"idle_warning_seconds is {settings.idle_warning_seconds:g}: the countdown before a "
            f"session is cleared must be at least {MIN_IDLE_WARNING_SECONDS:g} seconds, so a "
            "person has time to ask for more (WCAG 2.2.1). Set idle_warning_seconds = 20 or "
            "more in the settings file, or NAVIGATOR_IDLE_WARNING_SECONDS"
        )
    pin_hash: PinHash | None = None
    try:
        pin_hash = load_pin(settings.config_dir)
    except PinFileError as unreadable:
        problems.append(str(unreadable))
    else:
        if pin_hash is None:
            problems.append(
                "no staff PIN is set, so staff could not leave kiosk mode. "
                "Set one first with: navigator kiosk set-pin"
            )
    if problems:
        print(f"{command}: kiosk mode will not start:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return None
    return pin_hash


def _run_kiosk_until_staff_exit(
    settings: Settings, knowledge: KnowledgeBase, pin_hash: PinHash, *, restart: bool
) -> int:
    """Run the kiosk; after an unexpected stop, start again (a kiosk must not sit at a prompt).

    In a browser (`restart=False`) each tab is its own process and textual-serve
    offers a fresh start when one ends, so the app simply ends.
    """
    from navigator.tui.app import AppConfig, KioskApp

    crashes: list[float] = []
    while True:
        app = KioskApp(
            AppConfig(
                settings=settings,
                knowledge=knowledge,
                channel="kiosk",
                idle=True,
                style_cache=settings.data_dir / "cache",
            ),
            pin_hash,
        )
        app.run()
        if app.staff_exited or not restart:
            return app.return_code or EXIT_OK
        now = time.monotonic()
        crashes = [when for when in crashes if now - when < CRASH_WINDOW_SECONDS] + [now]
        if len(crashes) >= CRASH_RESTARTS:
            print(
                f"navigator kiosk: stopped after {len(crashes)} unexpected stops in "
                f"{CRASH_WINDOW_SECONDS:.0f} seconds. See {settings.data_dir / 'crash.log'}.",
                file=sys.stderr,
            )
            return EXIT_ERRORS


def kiosk_set_pin(arguments: argparse.Namespace, settings: Settings) -> int:
    """Ask for the staff PIN twice and store its salted hash."""
    from navigator.tui.kiosk.pin import pin_path, pin_problem, save_pin

    if sys.stdin.isatty():
        pin = getpass.getpass("New staff PIN (digits only): ")
        again = getpass.getpass("The same PIN again: ")
    else:  # scripted set-up: the PIN on the first line, optionally repeated on the second
        lines = sys.stdin.read().splitlines()
        pin = lines[0].strip() if lines else ""
        again = lines[1].strip() if len(lines) > 1 else pin
    problem = pin_problem(pin)
    if problem is not None:
        print(f"navigator kiosk set-pin: {problem}. Nothing was changed.", file=sys.stderr)
        return EXIT_ERRORS
    if pin != again:
        print("navigator kiosk set-pin: the two PINs differ. Nothing was changed.", file=sys.stderr)
        return EXIT_ERRORS
    try:
        path = save_pin(settings.config_dir, pin)
    except OSError as error:
        print(
            f"navigator kiosk set-pin: cannot write {pin_path(settings.config_dir)} "
            f"({error.strerror}). Nothing was changed.",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    print(f"Staff PIN set. Only a salted hash of it is kept, in {path}.")
    return EXIT_OK


def serve(arguments: argparse.Namespace, settings: Settings) -> int:
    """Serve the app to browsers with textual-serve (127.0.0.1 unless --host says otherwise)."""
    from navigator.engine.conversation import served_languages
    from navigator.tui.web.limits import ServeLimits, normal_origin
    from navigator.tui.web.script import TerminalScriptChanged
    from navigator.tui.web.server import QUICK_EXIT_URL, NavigatorServer, child_command
    from navigator.tui.web.words import page_words

    mode: ServeMode = arguments.mode
    forwarded = _forwarded_flags(arguments)
    if mode == "kiosk" and _kiosk_ready(settings, "navigator serve") is None:
        return EXIT_ERRORS
    problem = _serve_flag_problem(arguments)
    if problem is not None:
        print(f"navigator serve: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    with quick_start():
        opened = _knowledge(settings, "serve")  # each tab checks again; refuse before serving
    if opened is None:
        return EXIT_UNREADABLE
    knowledge = opened.knowledge
    if arguments.host not in {"127.0.0.1", "localhost", "::1"}:
        print(
            f"navigator serve: serving on {arguments.host}, which other machines can reach. "
            "There is no login or encryption: put a proxy with TLS in front (docs/kiosk.md).",
            file=sys.stderr,
        )
    limits = ServeLimits(
        sessions=arguments.max_sessions or settings.serve_sessions,
        sessions_per_client=arguments.max_sessions_per_client or settings.serve_sessions_per_client,
    )
    try:
        server = NavigatorServer(
            child_command(mode, forwarded),
            mode=mode,
            host=arguments.host,
            port=arguments.port,
            limits=limits,
            public_url=arguments.public_url,
            allowed_origins=tuple(
                origin for origin in arguments.allowed_origin if normal_origin(origin)
            ),
            quick_exit_url=arguments.quick_exit_url or QUICK_EXIT_URL,
            words=page_words(knowledge, settings.language),
            words_in={
                code: page_words(knowledge, code)
                for code in served_languages(knowledge)
                if code != settings.language
            },
        )
    except TerminalScriptChanged as changed:
        print(f"navigator serve: {changed}", file=sys.stderr)
        return EXIT_UNREADABLE
    server.serve()
    return EXIT_OK


def _serve_flag_problem(arguments: argparse.Namespace) -> str | None:
    """What is wrong with `navigator serve`'s own flags, in words, or None."""
    from navigator.tui.web.limits import normal_origin

    for flag in ("max_sessions", "max_sessions_per_client"):
        value = getattr(arguments, flag)
        if value is not None and value < 1:
            return f"--{flag.replace('_', '-')} must be at least 1, or nobody could use the page"
    urls = [arguments.public_url, *arguments.allowed_origin, arguments.quick_exit_url]
    for url in urls:
        if url and normal_origin(url) is None:
            return f"{url!r} is not a web address; write it like https://kiosk.example.org/"
    return None


def _forwarded_flags(arguments: argparse.Namespace) -> list[str]:
    """The settings flags `navigator serve` was given, for each tab's process."""
    flags: list[str] = []
    for name in ("kb", "db", "config", "site", "language"):
        value = getattr(arguments, name, None)
        if value:
            flags += [f"--{name}", str(value)]
    return flags


def serve_child(argv: Sequence[str]) -> int:
    """One browser tab: `python -m navigator.commands.app MODE [--kb ..] [--db ..] [--site ..]`."""
    from navigator.cli import build_parser, resolve, settings_for

    if not argv or argv[0] not in {"resident", "kiosk", "advocate"}:
        print("usage: python -m navigator.commands.app resident|kiosk|advocate [FLAGS]")
        return EXIT_UNREADABLE
    mode, rest = argv[0], list(argv[1:])
    parser = build_parser()
    if mode == "kiosk":
        arguments = parser.parse_args(["kiosk", *rest])
        return run_kiosk(settings_for(arguments), restart=False)
    if mode == "advocate":
        arguments = parser.parse_args(["advocate", *rest])
        return resolve(arguments.handler)(arguments, settings_for(arguments))
    arguments = parser.parse_args(rest)
    return run_resident(settings_for(arguments), channel="web")


if __name__ == "__main__":
    sys.exit(serve_child(sys.argv[1:]))
