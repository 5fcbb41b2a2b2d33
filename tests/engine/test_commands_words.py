"""Commands typed in words: back, start again, help, talk to a person, finish.

The words come from the knowledge base's vocabulary; these tests load a real
vocabulary file so the format and the reader are checked together.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from navigator.engine.commands import Command, parse_command
from navigator.kb import load
from navigator.kb.schema import Vocabulary

VOCABULARY_YAML = """\
vocabulary:
  filler: [please, can, i, you, the, a, to, now, help]
  commands:
    back: [back, go back, previous]
    start_again: [start again, start over, restart]
    help: [help, what do i do, "?"]
    talk_to_person: [talk to a person, speak to someone, real person]
    finish: [finish, done, bye, exit]
    shout: [shout]
"""


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    root = tmp_path_factory.mktemp("kb")
    (root / "vocabulary.yaml").write_text(VOCABULARY_YAML, encoding="utf-8")
    result = load(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.knowledge.vocabulary


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("back", Command.BACK),
        ("BACK!", Command.BACK),
        ("go back please", Command.BACK),
        ("can i go back", Command.BACK),
        ("start again", Command.START_AGAIN),
        ("Start over.", Command.START_AGAIN),
        ("strat again", Command.START_AGAIN),
        ("help", Command.HELP),
        ("help please", Command.HELP),
        ("what do i do?", Command.HELP),
        ("?", Command.HELP),
        (" ? ", Command.HELP),
        ("can i talk to a person", Command.TALK_TO_PERSON),
        ("speak to someone please", Command.TALK_TO_PERSON),
        ("real persn", Command.TALK_TO_PERSON),
        ("bye", Command.FINISH),
        ("done", Command.FINISH),
    ],
)
def test_command_words_are_understood(vocabulary: Vocabulary, typed: str, command: Command) -> None:
    assert parse_command(typed, vocabulary) is command


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "bank",
        "bak",
        "i want to go back to work",
        "help with my rent",
        "my back hurts",
        "carers allowance",
        "shout",
        "please",
        "!",
        "??",
    ],
)
def test_other_text_is_not_a_command(vocabulary: Vocabulary, typed: str) -> None:
    assert parse_command(typed, vocabulary) is None


def test_no_command_words_means_no_commands() -> None:
    assert parse_command("back", Vocabulary()) is None


def test_command_values_are_vocabulary_ids() -> None:
    assert [command.value for command in Command] == [
        "back",
        "start_again",
        "help",
        "talk_to_person",
        "finish",
    ]


def test_the_demo_vocabulary_names_every_command() -> None:
    knowledge = load(Path(__file__).resolve().parents[2] / "knowledge").knowledge
    for command in Command:
        words = knowledge.vocabulary.commands.get(command.value, [])
        assert words, f"the demo vocabulary has no words for '{command.value}'"
        assert parse_command(words[0], knowledge.vocabulary) is command


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300) | st.text(alphabet="backstrgiohelp \n!", max_size=40))
def test_parse_command_never_crashes(vocabulary: Vocabulary, text: str) -> None:
    assert parse_command(text, vocabulary) in {None, *Command}
