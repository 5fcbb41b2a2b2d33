"""`navigator chat --plain`: the real command, fed real bytes on standard input."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from navigator.config import Settings
from navigator.engine.conversation import Conversation
from navigator.engine.events import ContextGiven, Event, SessionEnded
from navigator.plain.chat import PlainChat, read_lines, records_problem_lines, run_plain
from tests.engine.conversation_kb import REPO, load_ok, write_conversation_kb
from tests.support.waiting import records_copied


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_conversation_kb(tmp_path_factory.mktemp("kb"))


CHAT_DEADLINE_SECONDS = 180
"""A deadline, not a wait: a run takes a few seconds, but on a machine with several test
workers and other jobs the meaning model and records can take a minute (seen in CI)."""


def chat(
    kb_dir: Path, stdin: bytes, tmp_path: Path, *options: str, data_dir: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command in a child process, as a script or screen reader would."""
    environment = {
        **os.environ,
        "NAVIGATOR_DATA_DIR": str(data_dir or tmp_path / "data"),
        "NAVIGATOR_CONFIG": str(tmp_path / "none.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "chat", "--plain", "--kb", str(kb_dir), *options],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=CHAT_DEADLINE_SECONDS,
        check=False,
    )
    return _decoded(done)


def _decoded(done: subprocess.CompletedProcess[bytes]) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def test_a_whole_conversation_by_numbers_and_words(kb_dir: Path, tmp_path: Path) -> None:
    done = chat(kb_dir, b"1\nan adult\n2\nyes\n", tmp_path)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "Welcome to Navigator" in lines
    assert "1. Looking after someone" in lines
    assert "Looking after someone, step 2" in lines
    assert "How old are you?" in lines
    assert "Carer's Allowance" in lines
    assert "This may suit you because you look after someone and you are aged 18 to 64." in lines
    assert "There is a waiting list of about 6 weeks." in lines
    assert "Young Carers Club: This one is not open to you because it is for carers under 18." in (
        lines
    )
    assert "Thank you for telling us." in lines
    assert lines[-1] == "Goodbye."
    assert "Traceback" not in done.stderr


def test_junk_control_characters_and_empty_lines_are_handled_calmly(
    kb_dir: Path, tmp_path: Path
) -> None:
    junk = b"\n   \n\x1b[2J\x07\n\xff\xfe\xfd\n99\n0\n" + b"x" * 100_000 + b"\n1\n"

    done = chat(kb_dir, junk, tmp_path)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "There is no number 99 here. Choose a number from the list." in done.stdout
    assert "Who do you look after?" in done.stdout, "the last line still chose topic 1"
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout


def test_end_of_input_at_once_ends_cleanly(kb_dir: Path, tmp_path: Path) -> None:
    done = chat(kb_dir, b"", tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "Goodbye."


def test_a_crisis_message_shows_contacts_then_carries_on(kb_dir: Path, tmp_path: Path) -> None:
    done = chat(kb_dir, b"1\ni want to kil myself\n1\n", tmp_path)

    lines = done.stdout.splitlines()
    crisis = lines.index("You matter")
    assert lines[crisis + 3 : crisis + 6] == ["Samaritans", "Phone: 116 123", "Free, day or night."]
    assert lines.count("Who do you look after?") == 2, "after carrying on, the question is back"


def test_a_broken_knowledge_base_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "k.yaml").write_text("topics:\n  - id: x\n    nonsense: [\n", encoding="utf-8")

    done = chat(broken, b"1\n", tmp_path)

    assert done.returncode == 2
    assert "k.yaml:" in done.stderr
    assert "Traceback" not in done.stderr


def test_finish_ends_the_session_as_finished_after_an_outcome(kb_dir: Path) -> None:
    knowledge = load_ok(kb_dir)
    heard: list[Event] = []
    conversation = Conversation(knowledge, channel="plain", site="t", listeners=[heard.append])
    output = io.StringIO()

    run_plain(conversation, ["1", "2", "finish", "1", "these lines are never read"], output)

    ended = [e for e in heard if isinstance(e, SessionEnded)]
    assert [(e.how, e.reached_outcome) for e in ended] == [("finished", True)]
    assert "Thank you for using Navigator. Your answers have been cleared." in output.getvalue()
    assert "Goodbye." not in output.getvalue()


def test_read_lines_cuts_over_long_lines_and_replaces_bad_bytes() -> None:
    raw = io.BytesIO(b"first\n" + b"a" * 50_000 + b"\n\xc3\x28 bad\nlast")

    lines = list(read_lines(raw))

    assert lines[0] == "first\n"
    assert len(lines[1]) < 5_000 and lines[1].startswith("aaa")
    assert lines[2] == "\ufffd( bad\n"
    assert lines[3] == "last"
    assert len(lines) == 4


def test_events_reach_the_records_database(kb_dir: Path, tmp_path: Path) -> None:
    database = tmp_path / "records.sqlite3"

    done = chat(
        kb_dir,
        b"2\n1\nmy email is jo@example.com and i need a bus pass\n",
        tmp_path,
        *("--db", str(database), "--site", "library"),
    )

    assert done.returncode == 0, done.stderr
    _copied(database, tmp_path)
    with sqlite3.connect(database) as connection:
        sessions = connection.execute(
            "SELECT channel, site, end_how, reached_outcome, topic_id FROM sessions"
        ).fetchall()
        unmet = connection.execute(
            "SELECT need_id, reason, recorded_by, text FROM unmet_needs ORDER BY sequence"
        ).fetchall()
    assert sessions == [("plain", "library", "finished", 1, "food")]
    assert [row[:3] for row in unmet] == [
        ("food-essentials", "ineligible", "engine"),
        (None, "unmatched", "engine"),
    ]
    assert "jo@example.com" not in (unmet[1][3] or ""), "free text is scrubbed before storing"


def test_a_store_that_cannot_open_does_not_stop_the_conversation(
    kb_dir: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    done = chat(
        kb_dir,
        b"1\n2\n",
        tmp_path,
        *("--db", str(blocked / "records.sqlite3")),
        data_dir=blocked / "data",
    )

    assert done.returncode == 0, done.stderr
    assert "There is no group for parent carers here yet." in done.stdout
    assert "Traceback" not in done.stderr
    assert "not every record reached the database" in done.stderr, "told records are not saved"
    engine_messages = (REPO / "knowledge" / "messages" / "engine.yaml").read_text(encoding="utf-8")
    note = done.stderr.splitlines()[0]
    assert note.startswith("Note: ") and " ".join(note.split()[:4]) in engine_messages


def _chat_into(database: Path, kb_dir: Path, tmp_path: Path, stdin: bytes) -> None:
    done = chat(kb_dir, stdin, tmp_path, "--db", str(database))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def _copied(database: Path, tmp_path: Path) -> None:
    """Wait until what the run left in its outbox is in `database`: leaving, a run copies
    for at most 5 s and keeps the rest for the next run, which on a loaded machine can be
    everything. The next writer is opened here, as the next run would."""
    records_copied(Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{database}"))


def _stored_sessions(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT channel, end_how FROM sessions").fetchall()
    return [(str(channel), str(end_how)) for channel, end_how in rows]


def test_a_piped_run_with_no_input_stores_no_session(kb_dir: Path, tmp_path: Path) -> None:
    """Nobody answered anything: there is no "abandoned at the welcome" session to keep."""
    database = tmp_path / "records.sqlite3"

    _chat_into(database, kb_dir, tmp_path, b"")
    _chat_into(database, kb_dir, tmp_path, b"\n\n")

    # The writer makes the file only when it has something to write.
    assert not database.exists() or _stored_sessions(database) == []


def test_a_piped_run_with_answers_stores_its_session_once(kb_dir: Path, tmp_path: Path) -> None:
    database = tmp_path / "records.sqlite3"

    _chat_into(database, kb_dir, tmp_path, b"")
    _chat_into(database, kb_dir, tmp_path, b"1\nan adult\n2\nyes\n")
    _copied(database, tmp_path)

    sessions = _stored_sessions(database)
    assert len(sessions) == 1, sessions
    assert sessions[0][0] == "plain"


def _demo_with_plain_words_marked(tmp_path: Path) -> Path:
    """A copy of the demo knowledge base whose every `plain_` message starts with its key."""
    import shutil

    import yaml

    copy = tmp_path / "marked"
    shutil.copytree(REPO / "knowledge", copy, ignore=shutil.ignore_patterns("transcripts"))
    messages_file = copy / "messages" / "engine.yaml"
    document = yaml.safe_load(messages_file.read_text(encoding="utf-8"))
    for key, words in document["messages"].items():
        if key.startswith("plain_") and isinstance(words, dict):  # {en: ..., cy: ...}
            document["messages"][key] = {
                language: f"<{key}> {text}"
                for language, text in words.items()
                if language != "made_from"
            }
        elif key.startswith("plain_"):
            document["messages"][key] = f"<{key}> {words}"
    messages_file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return copy


def test_every_line_plain_chat_adds_comes_from_plain_messages(tmp_path: Path) -> None:
    """Rewording a `plain_` message rewords the chat: no sentence of its own lives in Python."""
    from navigator.engine.eligibility import assess
    from navigator.engine.render import service_view

    knowledge = load_ok(_demo_with_plain_words_marked(tmp_path))
    conversation = Conversation(knowledge, channel="plain", site="t")
    housing = knowledge.services["housing-options"]
    view = service_view(conversation, assess(housing, conversation.facts, conversation.wording))
    output = io.StringIO()

    PlainChat(conversation, output).show_service(view)

    lines = output.getvalue().splitlines()
    assert lines[:4] == ["", view.name, view.description, view.reason]
    assert view.reason == "Anyone can use it."
    assert lines[4:] and all(line.startswith("<plain_") for line in lines[4:]), lines
    assert lines[4:] == [
        "<plain_provider> From: Northbrook Council",
        "<plain_phone_for> Phone: 03069 990310 (Monday to Friday, 9am to 5pm)",
        "<plain_phone_for> Phone: 03069 990199 "
        "(Out of hours, evenings, weekends and bank holidays)",
        "<plain_website> Website: https://www.northbrook.gov.uk/homeless",
        "<plain_email> Email: housingoptions@northbrook.gov.uk",
        "<plain_address> Address: Northbrook Customer Centre, 1 Market Square, Northbrook NB1 1AA",
        "<plain_how_to_start> How to start: Phone and say you are homeless or may lose your "
        "home. Have any letters from your landlord ready.",
        "<plain_hours> Open: Monday to Friday, 9am to 5pm. Emergency line at all other times.",
        "<plain_cost> Cost: Free",
    ]


def test_the_records_note_on_stderr_comes_from_plain_messages(tmp_path: Path) -> None:
    knowledge = load_ok(_demo_with_plain_words_marked(tmp_path))
    wording = Conversation(knowledge, channel="plain", site="t").wording

    untold = records_problem_lines(wording, "the store is full", told=False)
    told = records_problem_lines(wording, "the store is full", told=True)

    assert untold[0].startswith("<plain_store_not_saved> Note:")
    assert told == ["navigator chat: the store is full"], "said once, not twice"


def test_plain_python_holds_no_resident_sentences() -> None:
    """String literals in navigator/plain that read like sentences belong in `plain_` messages."""
    import ast

    sentence = re.compile(r"^[A-Z][a-z']+(?: [a-z']+){3,}[.?!]?$")
    offenders = []
    for path in (REPO / "navigator" / "plain").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        documentation = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        offenders += [
            f"{path.name}:{node.lineno}: {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in documentation
            and sentence.match(node.value.strip())
        ]
    assert offenders == []


# --- Asking before keeping anything --------------------------------------------------

AREA_TOPIC = """\
topics:
  - id: area
    need: food-essentials
    title: Where you live
    summary: Help near you.
    keywords: [near me, local]
    examples: [help near me]
    start: area-where
nodes:
  - id: area-where
    type: question
    text: Where do you live?
    options:
      - {id: north, label: The north, set: {district: "mt1 2ab"}, next: area-end}
  - id: area-end
    type: unmet
    need: food-essentials
    reason: no_service
    text: There is nothing near you yet.
"""


def test_yes_to_consent_keeps_the_age_band_in_the_records_database(
    kb_dir: Path, tmp_path: Path
) -> None:
    database = tmp_path / "records.sqlite3"

    done = chat(kb_dir, b"1\n1\n2\n1\ny\nfinish\n", tmp_path, "--db", str(database))

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    question = next(n for n, line in enumerate(lines) if line.startswith("Can we keep your age"))
    assert lines[question].startswith("Can we keep your age group (18-64)? It helps the council")
    assert lines[question + 2 : question + 5] == [
        "1. Yes, you can keep it",
        "2. No, thank you",
        "Type 1 for yes or 2 for no.",
    ]
    assert "Thank you." in lines[question:]
    _copied(database, tmp_path)
    with sqlite3.connect(database) as connection:
        contexts = connection.execute("SELECT postcode_district, age_band FROM contexts").fetchall()
        sessions = connection.execute("SELECT end_how FROM sessions").fetchall()
    assert contexts == [(None, "18-64")]
    assert sessions == [("finished",)]


@pytest.mark.parametrize("no", ["2", "n", "Nope!"])
def test_no_to_consent_keeps_nothing_and_the_choices_come_back(kb_dir: Path, no: str) -> None:
    conversation = Conversation(load_ok(kb_dir), channel="plain", site="t")
    output = io.StringIO()

    run_plain(conversation, ["1", "1", "2", "1", no], output)

    assert not [e for e in conversation.events if isinstance(e, ContextGiven)]
    lines = output.getvalue().splitlines()
    asked = next(n for n, line in enumerate(lines) if "age group (18-64)?" in line)
    assert lines[asked:].count("Thank you.") == 1
    assert lines[-5:-2] == ["1. Start again", "2. Talk to a person", "3. I have finished"]


def test_a_postcode_is_asked_about_and_kept_only_as_its_district(tmp_path: Path) -> None:
    kb_dir = write_conversation_kb(tmp_path / "kb")
    (kb_dir / "area.yaml").write_text(AREA_TOPIC, encoding="utf-8")
    conversation = Conversation(load_ok(kb_dir), channel="plain", site="t")
    conversation.start_topic("area")
    output = io.StringIO()

    run_plain(conversation, ["1", "9", "yes"], output)

    shown = output.getvalue()
    assert "Can we keep the first part of your postcode (MT1)?" in shown
    assert "There is no number 9 here. Choose a number from the list." in shown
    given = [e for e in conversation.events if isinstance(e, ContextGiven)]
    assert [(e.postcode_district, e.age_band) for e in given] == [("MT1", None)]
    assert "2AB" not in shown


def test_words_that_are_not_an_answer_keep_nothing_and_are_read_as_usual(kb_dir: Path) -> None:
    conversation = Conversation(load_ok(kb_dir), channel="plain", site="t")
    output = io.StringIO()

    run_plain(conversation, ["1", "1", "2", "1", "i want to die", "1", "1"], output)

    kinds = [type(e).__name__ for e in conversation.events]
    assert "SafeguardingShown" in kinds, "a crisis sign is never taken as a consent answer"
    assert "ContextGiven" not in kinds
    assert output.getvalue().count("Can we keep your age group (18-64)?") == 1
    assert "You matter" in output.getvalue()


def test_starting_again_asks_again_after_the_next_results(kb_dir: Path) -> None:
    conversation = Conversation(load_ok(kb_dir), channel="plain", site="t")
    output = io.StringIO()

    run_plain(conversation, ["1", "1", "2", "1", "2", "1", "1", "1", "3", "1", "1"], output)

    assert output.getvalue().count("Can we keep your age group") == 2
    given = [e for e in conversation.events if isinstance(e, ContextGiven)]
    assert [e.age_band for e in given] == ["65+"]
