"""`navigator chat --plain` and `navigator check-transcripts`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from navigator.commands.loading import load_knowledge
from navigator.config import Settings

EXIT_OK, EXIT_DIVERGED, EXIT_UNREADABLE = 0, 1, 2


def chat(arguments: argparse.Namespace, settings: Settings) -> int:
    """Talk to Navigator as numbered lines on standard input and output."""
    from navigator.engine.conversation import Conversation
    from navigator.plain.chat import read_lines, run_plain

    knowledge = load_knowledge(settings.knowledge, "chat")
    if knowledge is None:
        return EXIT_UNREADABLE
    records = RecordsLink.open(settings)
    conversation = Conversation(
        knowledge,
        channel="plain",
        site=settings.site,
        language=settings.language,
        listeners=[records.submit],
    )
    if records.problem:
        print(knowledge.message("plain_store_problem", settings.language), file=sys.stderr)
    interactive = sys.stdin.isatty()
    try:
        run_plain(
            conversation,
            read_lines(sys.stdin.buffer),
            sys.stdout,
            prompt="> " if interactive else "",
        )
    except KeyboardInterrupt:
        conversation.abandon()
        print()
    finally:
        records.close()
    return EXIT_OK


class RecordsLink:
    """Sends events to the records store when there is one; the chat goes on when there is not.

    The records layer is optional here: a person using the plain front end
    must never lose their conversation because the database is down. The
    first failure is reported once on stderr, and the conversation carries on.
    """

    def __init__(self, writer: Any | None, problem: str | None = None) -> None:
        self._writer = writer
        self.problem = problem

    @classmethod
    def open(cls, settings: Settings) -> RecordsLink:
        try:
            module = importlib.import_module("navigator.records.writer")
        except ImportError:
            return cls(None)
        opener: Callable[[Settings], Any] | None = getattr(module, "open_writer", None)
        if opener is None:
            return cls(None)
        try:
            return cls(opener(settings))
        except Exception as problem:  # the store is optional for a conversation
            return cls(None, f"{type(problem).__name__}: {problem}")

    def submit(self, event: object) -> None:
        if self._writer is None:
            return
        try:
            self._writer.submit(event)
        except Exception as problem:  # keep talking; say once that records stopped
            self._writer = None
            self.problem = f"{type(problem).__name__}: {problem}"
            print(f"navigator chat: records are not being saved ({self.problem})", file=sys.stderr)

    def close(self) -> None:
        if self._writer is None:
            return
        try:
            status = self._writer.close()
        except Exception as problem:
            print(
                f"navigator chat: records could not be closed cleanly ({problem})", file=sys.stderr
            )
            return
        left = getattr(status, "problem", None)
        if left is not None:
            print(
                f"navigator chat: not every record reached the database: {left}",
                file=sys.stderr,
            )


def check_transcripts(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run every scripted conversation in DIR; report each that diverges; exit 1 if any do."""
    from navigator.engine.transcripts import TranscriptError, TranscriptRunner, load_transcripts

    knowledge = load_knowledge(settings.knowledge, "check-transcripts")
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
