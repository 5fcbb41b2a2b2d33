"""Scripted conversations that check the knowledge base still leads where it should.

Content staff write what a person would type and where they expect to end
up; `navigator check-transcripts` plays each one through the real engine and
reports every one that diverges, with the file and line of what differed. It
is the regression test of a guided-answers service: run it after any edit.

A transcript file holds one transcript, or a list under `transcripts:`::

    transcripts:
      - name: Adult carer of working age is offered Carer's Allowance
        inputs:              # what the person types, one line each
          - carers allowance # words are read as free text
          - 1                # a number picks a choice on the screen
          - 18 to 64         # an answer's words work too
          - back             # and so do commands
        expect:              # every key is optional; give the ones that matter
          topic: carers                  # the topic they ended in
          view: outcome                  # outcome, unmet, safeguarding, no_match, ...
          node: carers-outcome           # the node they ended at
          offered: [carers-allowance]    # exactly the services offered (open now)
          waiting_list: [carers-hub]     # exactly the services with a waiting list
          not_offered: [young-carers]    # none of these may be offered
          unmet: {need: carers-support, reason: ineligible}   # recorded on the way
          unmet: none                    # ...or: no unmet need recorded at all
          safeguarding: suicide          # this crisis message was shown on the way
          ended: abandoned               # how the session ends when the input runs out
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from navigator.engine.conversation import Conversation, clean_text
from navigator.engine.events import (
    Channel,
    Event,
    SafeguardingShown,
    SessionEnded,
    UnmetNeed,
)
from navigator.engine.matching import TopicMatcher
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.pipeline import Understanding
from navigator.engine.views import OutcomeView, View, as_number
from navigator.kb.diagnostics import Location
from navigator.kb.knowledge import KnowledgeBase
from navigator.kb.yamlsource import PathKey, YamlDocument, YamlReadError, read_yaml

EXPECT_KEYS = (
    "topic",
    "view",
    "node",
    "offered",
    "waiting_list",
    "not_offered",
    "unmet",
    "safeguarding",
    "ended",
)
TRANSCRIPT_KEYS = ("name", "channel", "context", "inputs", "expect")
CONTEXT_KEYS = ("postcode_district", "age_band", "household")
CHANNELS: tuple[Channel, ...] = ("kiosk", "advocate", "plain", "web", "resident")
ENDINGS = ("finished", "abandoned", "timed_out")


class TranscriptError(Exception):
    """There are no transcripts to read at all (a missing folder, no files)."""


@dataclass(frozen=True)
class Difference:
    """One way a transcript did not go as written, and where it was written."""

    location: Location
    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.name}: {self.message}"


@dataclass
class Transcript:
    """One scripted conversation, with where each part of it was written."""

    name: str
    inputs: list[str]
    expect: dict[str, Any]
    channel: Channel = "plain"
    context: dict[str, str] = field(default_factory=dict)
    document: YamlDocument | None = None
    path: PathKey = ()
    problems: list[Difference] = field(default_factory=list)
    """Mistakes in the transcript itself: it is reported, not run."""

    def where(self, *key: str | int) -> Location:
        """File and line of a part of this transcript, for messages."""
        if self.document is None:
            return Location(Path("<transcript>"))
        position = self.document.position_of((*self.path, *key))
        if position is None:
            return Location(self.document.path)
        return Location(self.document.path, position.line)


def load_transcripts(directory: Path) -> list[Transcript]:
    """Every transcript in the `.yaml` files under `directory`, in a stable order.

    A file that cannot be read, or a transcript written wrongly, comes back as a
    transcript with `problems`, so one typo never hides every other check.
    """
    if not directory.is_dir():
        raise TranscriptError(f"{directory}: there is no such folder of transcripts")
    files = sorted(path for path in directory.rglob("*.yaml") if path.is_file())
    if not files:
        raise TranscriptError(f"{directory}: there are no .yaml transcript files in this folder")
    transcripts: list[Transcript] = []
    for path in files:
        transcripts.extend(_read_file(path))
    return transcripts


def _read_file(path: Path) -> list[Transcript]:
    try:
        document = read_yaml(path)
    except YamlReadError as problem:
        line = problem.position.line if problem.position else None
        return [_broken(path.name, Location(path, line), problem.message)]
    data = document.data
    if isinstance(data, dict) and "transcripts" in data:
        entries = data["transcripts"]
        if not isinstance(entries, list) or not entries:
            where = document.position_of(("transcripts",))
            return [
                _broken(
                    path.name,
                    Location(path, where.line if where else None),
                    "'transcripts' must be a list of transcripts, each starting with '- name:'",
                )
            ]
        return [
            _parse(document, ("transcripts", index), entry) for index, entry in enumerate(entries)
        ]
    return [_parse(document, (), data)]


def _broken(name: str, location: Location, message: str) -> Transcript:
    return Transcript(
        name=name, inputs=[], expect={}, problems=[Difference(location, name, message)]
    )


def _parse(document: YamlDocument, path: PathKey, data: Any) -> Transcript:
    name = document.path.stem
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        name = data["name"]
    transcript = Transcript(name=name, inputs=[], expect={}, document=document, path=path)
    if not isinstance(data, dict):
        transcript.problems.append(
            Difference(
                transcript.where(),
                name,
                "a transcript is a mapping with 'name', 'inputs' and 'expect'",
            )
        )
        return transcript
    problems = transcript.problems
    for key in data:
        if key not in TRANSCRIPT_KEYS:
            allowed = ", ".join(TRANSCRIPT_KEYS)
            problems.append(
                Difference(
                    transcript.where(key), name, f"'{key}' is not a transcript field ({allowed})"
                )
            )
    inputs = data.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        problems.append(
            Difference(transcript.where("inputs"), name, "give 'inputs': a list of lines typed")
        )
    else:
        for index, line in enumerate(inputs):
            if isinstance(line, bool) or not isinstance(line, str | int):
                problems.append(
                    Difference(
                        transcript.where("inputs", index),
                        name,
                        f"input {index + 1} must be a line of text or a number; "
                        "quote words such as 'yes' and 'no'",
                    )
                )
            else:
                transcript.inputs.append(str(line))
    channel = data.get("channel", "plain")
    if channel not in CHANNELS:
        problems.append(
            Difference(
                transcript.where("channel"), name, f"'channel' must be one of {', '.join(CHANNELS)}"
            )
        )
    else:
        transcript.channel = channel
    context = data.get("context", {})
    if not isinstance(context, dict) or any(key not in CONTEXT_KEYS for key in context):
        problems.append(
            Difference(
                transcript.where("context"),
                name,
                f"'context' is a mapping of {', '.join(CONTEXT_KEYS)}",
            )
        )
    else:
        transcript.context = {key: str(value) for key, value in context.items()}
    expect = data.get("expect")
    if not isinstance(expect, dict) or not expect:
        problems.append(
            Difference(transcript.where("expect"), name, "give 'expect': what should happen")
        )
    else:
        for key in expect:
            if key not in EXPECT_KEYS:
                problems.append(
                    Difference(
                        transcript.where("expect", key),
                        name,
                        f"'{key}' is not something a transcript can expect "
                        f"({', '.join(EXPECT_KEYS)})",
                    )
                )
        transcript.expect = dict(expect)
    return transcript


class TranscriptRunner:
    """Plays transcripts through the engine, sharing the matcher between them."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.matcher = TopicMatcher(knowledge)
        self.detector = SafeguardingDetector.for_knowledge(knowledge)
        self.understanding = Understanding(
            knowledge, topics=self.matcher, safeguarding=self.detector
        )

    def run(self, transcript: Transcript) -> list[Difference]:
        """Every way `transcript` diverged from what it expects (empty when it went as written)."""
        if transcript.problems:
            return list(transcript.problems)
        events: list[Event] = []
        conversation = Conversation(
            self.knowledge,
            channel=transcript.channel,
            site="transcripts",
            listeners=[events.append],
            understanding=self.understanding,
        )
        if transcript.context:
            conversation.give_context(**transcript.context)
        surprises: list[Difference] = []
        differences = self._play(conversation, transcript, surprises)
        final = conversation.view
        if not conversation.ended:
            conversation.abandon()
        differences += _Check(self.knowledge, transcript, final, conversation, events).all()
        # Where a line was not understood, say so first: it is usually why the rest differs.
        return [*surprises, *differences] if differences else []

    def _play(
        self, conversation: Conversation, transcript: Transcript, surprises: list[Difference]
    ) -> list[Difference]:
        for index, raw in enumerate(transcript.inputs):
            if conversation.ended:
                return [
                    Difference(
                        transcript.where("inputs", index),
                        transcript.name,
                        f"input {index + 1} ({raw!r}) came after the conversation had ended",
                    )
                ]
            line = clean_text(raw)
            view = conversation.view
            if as_number(line) is not None:
                if view.choice(line) is None:
                    return [
                        Difference(
                            transcript.where("inputs", index),
                            transcript.name,
                            f"input {index + 1}: there is no choice {line} on the "
                            f"{_describe(view)} (it has {len(view.choices)})",
                        )
                    ]
                conversation.choose(line)
            else:
                conversation.say(line)
            after = conversation.view
            puzzled = {"no_match", "reask"}
            if after.kind in puzzled and view.kind not in puzzled:
                surprises.append(
                    Difference(
                        transcript.where("inputs", index),
                        transcript.name,
                        f"input {index + 1} ({line!r}) was not understood on the {_describe(view)}",
                    )
                )
        return []


def run_transcript(knowledge: KnowledgeBase, transcript: Transcript) -> list[Difference]:
    """Play one transcript (build a `TranscriptRunner` to play many)."""
    return TranscriptRunner(knowledge).run(transcript)


def _describe(view: View) -> str:
    where = f" at node '{view.node_id}'" if view.node_id else ""
    return f"{view.kind.replace('_', ' ')} screen{where}"


class _Check:
    """Compares what happened with each expectation of a transcript."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        transcript: Transcript,
        final: View,
        conversation: Conversation,
        events: Sequence[Event],
    ) -> None:
        self.knowledge = knowledge
        self.transcript = transcript
        self.final = final
        self.conversation = conversation
        self.events = events
        self.differences: list[Difference] = []

    def differ(self, key: str, message: str) -> None:
        self.differences.append(
            Difference(self.transcript.where("expect", key), self.transcript.name, message)
        )

    def all(self) -> list[Difference]:
        expect = self.transcript.expect
        final = self.final
        for key, actual in (
            ("topic", final.topic_id),
            ("view", final.kind),
            ("node", final.node_id),
        ):
            if key in expect and str(expect[key]) != str(actual):
                self.differ(
                    key, f"expected {key} '{expect[key]}', but it ended at {_describe(final)}"
                )
        self.services()
        self.unmet()
        self.safeguarding()
        if "ended" in expect:
            ended = next((e for e in self.events if isinstance(e, SessionEnded)), None)
            how = ended.how if ended else None
            if expect["ended"] != how:
                self.differ(
                    "ended", f"expected the session to end '{expect['ended']}', it ended '{how}'"
                )
        return self.differences

    def services(self) -> None:
        expect = self.transcript.expect
        wanted_keys = [key for key in ("offered", "waiting_list", "not_offered") if key in expect]
        if not wanted_keys:
            return
        final = self.final
        if not isinstance(final, OutcomeView):
            self.differ(wanted_keys[0], f"expected an outcome, but it ended at {_describe(final)}")
            return
        fits = {service.service_id: service.fit for service in (*final.services, *final.ruled_out)}
        for key, fit in (("offered", "offered"), ("waiting_list", "waiting_list")):
            if key not in expect:
                continue
            wanted = set(_as_list(expect[key]))
            actual = {service for service, found in fits.items() if found == fit}
            if wanted != actual:
                self.differ(key, _set_difference(key.replace("_", " "), wanted, actual, fits))
        if "not_offered" in expect:
            offered = {s for s, found in fits.items() if found in {"offered", "waiting_list"}}
            wrongly = sorted(set(_as_list(expect["not_offered"])) & offered)
            if wrongly:
                self.differ("not_offered", f"these were offered after all: {', '.join(wrongly)}")

    def unmet(self) -> None:
        expect = self.transcript.expect
        if "unmet" not in expect:
            return
        recorded = [e for e in self.events if isinstance(e, UnmetNeed)]
        seen = ", ".join(f"{e.need_id} ({e.reason})" for e in recorded) or "none"
        wanted = expect["unmet"]
        if wanted in (None, "none", False):
            if recorded:
                self.differ("unmet", f"expected no unmet need, but recorded: {seen}")
            return
        if not isinstance(wanted, dict):
            self.differ("unmet", "write 'unmet' as {need: ..., reason: ...}, or 'none'")
            return
        for event in recorded:
            need_ok = "need" not in wanted or str(wanted["need"]) == str(event.need_id)
            reason_ok = "reason" not in wanted or str(wanted["reason"]) == event.reason
            if need_ok and reason_ok:
                return
        described = ", ".join(f"{key} {value}" for key, value in wanted.items())
        self.differ("unmet", f"expected an unmet need with {described}; recorded: {seen}")

    def safeguarding(self) -> None:
        expect = self.transcript.expect
        if "safeguarding" not in expect:
            return
        shown = [e.crisis_kind for e in self.events if isinstance(e, SafeguardingShown)]
        wanted = expect["safeguarding"]
        if wanted in (None, "none", False):
            if shown:
                self.differ(
                    "safeguarding", f"expected no crisis message, but showed: {', '.join(shown)}"
                )
        elif str(wanted) not in shown:
            self.differ(
                "safeguarding",
                f"expected the '{wanted}' crisis message; shown: {', '.join(shown) or 'none'}",
            )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def _set_difference(what: str, wanted: set[str], actual: set[str], fits: Mapping[str, str]) -> str:
    parts = []
    missing = sorted(wanted - actual)
    extra = sorted(actual - wanted)
    if missing:
        found = ", ".join(f"{s} ({fits.get(s, 'not at this outcome')})" for s in missing)
        parts.append(f"expected but not {what}: {found}")
    if extra:
        parts.append(f"{what} but not expected: {', '.join(extra)}")
    return "; ".join(parts)
