"""`navigator export oruk` and `navigator serve-feed`: publishing the directory as ORUK 3.0.

Both build the same feed from the checked knowledge base (a knowledge base
`validate` rejects is never published), with the council's namespace and
mailbox from the settings (`oruk_namespace`, `oruk_assurer_email`) or flags.
Exit status: 0 done, 2 nothing written (unreadable knowledge, bad setting,
unwritable folder), with a message saying which and what to do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from navigator.commands.loading import limits_for, load_knowledge
from navigator.config import Settings

EXIT_OK, EXIT_UNREADABLE = 0, 2


def _feed(arguments: argparse.Namespace, settings: Settings, command: str) -> object | None:
    """The feed for this command's knowledge base and options, or None after saying why not."""
    from navigator.interop.oruk.ids import NamespaceError
    from navigator.interop.oruk.privacy import PrivacyRules, is_personal_email
    from navigator.interop.oruk.to_oruk import FeedOptions, build_feed

    assurer = arguments.assurer_email or settings.oruk_assurer_email
    if assurer and is_personal_email(assurer):
        print(
            f"navigator {command}: '{assurer}' looks like a person's email. A feed is "
            "public: give the content team's shared mailbox (--assurer-email).",
            file=sys.stderr,
        )
        return None
    knowledge = load_knowledge(Path(settings.knowledge), command, limits=limits_for(settings))
    if knowledge is None:
        return None
    options = FeedOptions(
        namespace=arguments.namespace or settings.oruk_namespace,
        assurer_email=assurer,
        base_url=arguments.base_url,
        privacy=PrivacyRules.with_withheld(arguments.withhold_address),
    )
    try:
        return build_feed(knowledge, options)
    except NamespaceError as problem:
        print(f"navigator {command}: {problem}", file=sys.stderr)
        return None


def export_oruk(arguments: argparse.Namespace, settings: Settings) -> int:
    """Write the ORUK 3.0 JSON files and the Tabular Data Package to `--out`."""
    from navigator.interop.oruk.export import ExportError, export
    from navigator.interop.oruk.to_oruk import Feed

    feed = _feed(arguments, settings, "export oruk")
    if not isinstance(feed, Feed):
        return EXIT_UNREADABLE
    title = feed.taxonomies and next(iter(feed.taxonomies.values()))["name"]
    try:
        written = export(feed, Path(arguments.out), f"Services ({title})")
    except ExportError as problem:
        print(f"navigator export oruk: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(
        f"navigator export oruk: wrote {written.services} services in {written.files} files "
        f"to {written.folder}",
        file=sys.stderr,
    )
    return EXIT_OK


def serve_feed(arguments: argparse.Namespace, settings: Settings) -> int:
    """Serve the feed as a read-only ORUK 3.0 API until interrupted."""
    from navigator.interop.oruk.feed import serve
    from navigator.interop.oruk.to_oruk import Feed

    problem = _cannot_listen(arguments.host, arguments.port)
    if problem:
        print(
            f"navigator serve-feed: cannot listen on {arguments.host}:{arguments.port}: "
            f"{problem}. Choose another --port or --host.",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    feed = _feed(arguments, settings, "serve-feed")
    if not isinstance(feed, Feed):
        return EXIT_UNREADABLE
    print(
        f"navigator serve-feed: {len(feed.services)} services on "
        f"http://{arguments.host}:{arguments.port}/",
        file=sys.stderr,
        flush=True,
    )
    serve(feed, arguments.host, arguments.port)
    return EXIT_OK


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen there (in use, no such address), before loading anything.

    uvicorn would say so too, but only after the feed is built, in its own words,
    and with an exit status of its own.
    """
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as problem:
        return str(problem.strerror or problem)
    return None
