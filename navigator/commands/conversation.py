"""`navigator chat --plain` and `navigator check-transcripts`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from navigator.commands.loading import language_refused, limits_for, load_knowledge
from navigator.config import Settings
from navigator.records.relay import RecordsRelay, SessionGate, default_opener

if TYPE_CHECKING:
    from navigator.engine.followup import CodeBook

EXIT_OK, EXIT_DIVERGED, EXIT_UNREADABLE = 0, 1, 2


def chat(arguments: argparse.Namespace, settings: Settings) -> int:
    """Talk to Navigator as numbered lines on standard input and output."""
    from navigator.commands.matching import understanding_for
    from navigator.engine.conversation import Conversation
    from navigator.plain.chat import read_lines, records_problem_lines, run_plain

    allow_broken = bool(getattr(arguments, "allow_broken_knowledge", False))
    knowledge = load_knowledge(
        settings.knowledge, "chat", allow_broken=allow_broken, limits=limits_for(settings)
    )
    if knowledge is None or language_refused(knowledge, settings, "chat"):
        return EXIT_UNREADABLE
    as_of = getattr(arguments, "as_of", None)
    relay = open_records(settings) if as_of is None else None
    conversation = Conversation(
        knowledge,
        channel="plain",
        site=settings.site,
        language=settings.language,
        language_order=settings.language_order,
        listeners=[SessionGate(relay.submit)] if relay is not None else [],
        as_of=as_of,
        # Loaded on the first text that needs it, not at once: a run of numbers never
        # loads it, and the records store's threads are not kept waiting by it.
        understanding=understanding_for(knowledge, settings, early=False),
    )
    if as_of is not None:  # a preview of another day is not a resident's session
        preview = knowledge.message("plain_preview_as_of", settings.language)
        print(preview.replace("{date}", as_of.isoformat()), file=sys.stderr)
    told = relay is not None and relay.problem is not None
    if told:
        print(knowledge.message("plain_store_problem", settings.language), file=sys.stderr)
    interactive = sys.stdin.isatty()
    try:
        run_plain(
            conversation,
            read_lines(sys.stdin.buffer),
            sys.stdout,
            prompt="> " if interactive else "",
            codes=open_codes(settings) if relay is not None and relay.problem is None else None,
        )
    except KeyboardInterrupt:
        conversation.abandon()
        print()
    finally:
        problem = close_records(relay) if relay is not None else None
        if problem is not None:
            lines = records_problem_lines(conversation.wording, problem, told=told)
            print("\n".join(lines), file=sys.stderr)
    return EXIT_OK


def open_records(settings: Settings) -> RecordsRelay:
    """The same relay the app uses, opened before the first line is read.

    The store is optional here: a person using the plain front end must never
    lose their conversation because the database is down. If it cannot open,
    the relay says why and the conversation carries on. The `SessionGate` in
    front of it means a run that ends before any answer stores nothing.
    """
    relay = RecordsRelay()
    try:
        writer = default_opener(settings)
    except Exception as problem:  # the store is optional for a conversation
        relay.fail(f"the records store could not be opened: {type(problem).__name__}: {problem}")
    else:
        relay.attach(writer)
    return relay


def open_codes(settings: Settings) -> CodeBook:
    """Follow-up codes, looked up in the main database when a code is first typed."""
    from navigator.records.followup import RecordedCodes

    return RecordedCodes(settings.resolved_database_url)


def close_records(relay: RecordsRelay) -> str | None:
    """Flush the store; why any record did not reach it (for staff), or None."""
    problem = relay.store_problem()
    relay.close()
    return relay.problem or problem


def check_transcripts(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run every scripted conversation in DIR; report each that diverges; exit 1 if any do."""
    from navigator.engine.transcripts import TranscriptError, TranscriptRunner, load_transcripts

    knowledge = load_knowledge(settings.knowledge, "check-transcripts", limits=limits_for(settings))
    if knowledge is None:
        return EXIT_UNREADABLE
    directory: Path = arguments.directory or settings.knowledge / "transcripts"
    try:
        transcripts = load_transcripts(directory)
    except TranscriptError as problem:
        print(f"navigator check-transcripts: {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    runner = TranscriptRunner(knowledge)
    diverged = 0
    for transcript in transcripts:
        differences = runner.run(transcript)
        if differences:
            diverged += 1
            for difference in differences:
                print(difference)
    print(
        f"{directory}: {len(transcripts)} transcripts, {len(transcripts) - diverged} as expected, "
        f"{diverged} diverged"
    )
    return EXIT_DIVERGED if diverged else EXIT_OK
