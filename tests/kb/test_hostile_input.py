"""Hostile and broken input: each gets a clear error naming the file, fast, in little memory.

Every case is written to disk as a real file and read by the real loader;
memory is measured with tracemalloc, so "no blow-up" is an assertion here.
Time is not asserted (see tests/bench/bench_kb.py); the timeout only stops
a hang from stalling the suite.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator.kb import Diagnostic, KnowledgeBaseUnreadable, load
from navigator.kb.yamlsource import MAX_FILE_BYTES

pytestmark = pytest.mark.timeout(30)

MEMORY_LIMIT = 64 * 1024 * 1024
"""Peak memory a single broken file may cost to reject (the alias bomb would take gigabytes)."""

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def one_error(root: Path) -> Diagnostic:
    """Load `root` (holding one bad file) and return its single finding, checking memory."""
    tracemalloc.start()
    try:
        result = load(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT, f"rejecting the file used {peak / 1e6:.0f} MB"
    assert len(result.diagnostics) == 1, [str(d) for d in result.diagnostics]
    finding = result.diagnostics[0]
    assert finding.location is not None
    assert finding.location.file == root / "bad.yaml"
    assert result.nothing_readable
    return finding


def write_bytes(root: Path, content: bytes) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "bad.yaml").write_bytes(content)
    return root


def write_text(root: Path, content: str) -> Path:
    return write_bytes(root, content.encode("utf-8"))


def test_billion_laughs_is_refused_at_the_alias_that_overflows(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, BILLION_LAUGHS))
    assert finding.code == "unreadable-file"
    assert "anchors and aliases" in finding.message
    assert finding.location is not None and finding.location.line is not None
    assert 5 <= finding.location.line <= 9


def test_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "nodes: &loop [*loop]\n"))
    assert "*loop" in finding.message and "repeat for ever" in finding.message
    assert (finding.location.line, finding.location.column) == (1, 15)  # type: ignore[union-attr]


def test_alias_to_nothing_is_refused(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "nodes: [*missing]\n"))
    assert "*missing" in finding.message


def test_file_of_fifty_megabytes_is_not_read(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    block = b"- id: filler\n  text: some words to fill the file\n" * 20_000
    with (tmp_path / "bad.yaml").open("wb") as stream:
        while stream.tell() < 50 * 1024 * 1024:
            stream.write(block)
        stream.truncate(50 * 1024 * 1024)
    finding = one_error(tmp_path)
    assert "50.0 MB" in finding.message
    assert f"at most {MAX_FILE_BYTES // 1024 // 1024} MB" in finding.message
    assert "Split it" in finding.message


def test_binary_bytes(tmp_path: Path) -> None:
    finding = one_error(write_bytes(tmp_path, b"nodes:\n  - id: a\n\x89PNG\r\n\x1a\n\x00\x00\x00"))
    assert "binary file" in finding.message
    assert finding.location.line == 5  # type: ignore[union-attr]  # where the first NUL byte is


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    latin1 = "topics:\n  - id: cafe\n    title: Café\n".encode("latin-1")
    finding = one_error(write_bytes(tmp_path, latin1))
    assert "not UTF-8" in finding.message and "0xe9" in finding.message
    assert (finding.location.line, finding.location.column) == (3, 15)  # type: ignore[union-attr]


def test_utf16_is_named(tmp_path: Path) -> None:
    finding = one_error(write_bytes(tmp_path, "topics: []\n".encode("utf-16")))
    assert "UTF-16" in finding.message and "UTF-8" in finding.message


def test_tabs_for_indentation(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "topics:\n\t- id: carers\n"))
    assert "tabs" in finding.message and "use spaces" in finding.message
    assert finding.location.line == 2  # type: ignore[union-attr]


def test_empty_file(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, ""))
    assert finding.message.startswith("the file is empty")


def test_file_of_only_comments_is_empty(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "# nothing yet\n# still nothing\n"))
    assert "empty" in finding.message


def test_a_list_where_a_mapping_is_expected(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "- id: carers\n- id: housing\n"))
    assert finding.code == "not-a-mapping"
    assert "holds a list of 2 items" in finding.message
    assert finding.location.line == 1  # type: ignore[union-attr]


def test_a_bare_scalar(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "just some words\n"))
    assert finding.code == "not-a-mapping"
    assert "the text 'just some words'" in finding.message


@pytest.mark.parametrize(
    "content",
    [
        "nodes: !!python/object/apply:os.system ['echo owned']\n",
        "nodes: !!python/object:collections.OrderedDict {a: 1}\n",
        "nodes: !!python/name:os.system\n",
        "nodes: !include other.yaml\n",
        "nodes: !!binary aGVsbG8=\n",
        "nodes: !!set {a, b}\n",
    ],
)
def test_tags_other_than_plain_yaml_types_are_refused(tmp_path: Path, content: str) -> None:
    finding = one_error(write_text(tmp_path, content))
    assert "is not allowed" in finding.message and "remove the tag" in finding.message
    assert (finding.location.line, finding.location.column) == (1, 8)  # type: ignore[union-attr]


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "a: " + "[" * 500 + "]" * 500 + "\n"))
    assert "nested more than" in finding.message


def test_deep_block_nesting_is_refused_without_recursion(tmp_path: Path) -> None:
    deep = (
        "a:\n" + "".join("  " * level + "b:\n" for level in range(1, 900)) + "  " * 900 + "c: 1\n"
    )
    finding = one_error(write_text(tmp_path, deep))
    assert "nested more than" in finding.message


def test_two_documents_in_one_file(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "topics: []\n---\nnodes: []\n"))
    assert "more than one YAML document" in finding.message
    assert finding.location.line == 2  # type: ignore[union-attr]


def test_a_key_given_twice(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "topics: []\nnodes: []\ntopics: []\n"))
    assert "'topics' is given twice" in finding.message
    assert finding.location.line == 3  # type: ignore[union-attr]


def test_a_list_used_as_a_key(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "? [a, b]\n: value\n"))
    assert "a key must be a plain word" in finding.message


def test_a_section_of_the_wrong_shape_is_a_schema_error(tmp_path: Path) -> None:
    write_text(tmp_path, "nodes:\n  id: carers-start\n")
    result = load(tmp_path)
    (finding,) = result.diagnostics
    assert finding.code == "schema"
    assert "'nodes' should be a list" in finding.message and "found a mapping" in finding.message
    assert not result.nothing_readable  # the file was read; its content is wrong


def test_yaml_syntax_error_points_at_the_line(tmp_path: Path) -> None:
    finding = one_error(write_text(tmp_path, "topics:\n  - id: carers\n    title: [unclosed\n"))
    assert finding.message.startswith("this is not valid YAML")
    assert finding.location.line is not None and finding.location.line >= 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda root: root / "missing", "there is no such folder"),
        (lambda root: write_text(root, "topics: []\n") / "bad.yaml", "this is a file"),
        (lambda root: root, "there are no .yaml files"),
    ],
)
def test_nothing_to_read_at_all(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    target = make(tmp_path)
    with pytest.raises(KnowledgeBaseUnreadable, match=expected) as raised:
        load(target)
    assert str(target) in str(raised.value)


def test_yaml_merge_keys_and_anchors_still_work(tmp_path: Path) -> None:
    # Hostile-input rules must not refuse ordinary YAML that staff may use.
    content = (
        "defaults: &defaults {need: housing, title: A home, summary: Help with a home.}\n"
        "topics:\n"
        "  - <<: *defaults\n"
        "    id: housing\n"
        "    start: housing-end\n"
    )
    write_text(tmp_path, content)
    result = load(tmp_path)
    schema = [d for d in result.diagnostics if d.code == "schema"]
    assert [d.field for d in schema] == ["defaults"]  # unknown section; the topic itself is fine
    assert result.knowledge.topics["housing"].need == "housing"


def test_one_bad_file_does_not_hide_the_others(tmp_path: Path) -> None:
    write_text(tmp_path, BILLION_LAUGHS)
    (tmp_path / "good.yaml").write_text(
        "needs:\n  - id: housing\n    title: Housing\n    description: Help with a home.\n",
        encoding="utf-8",
    )
    result = load(tmp_path)
    assert [d.code for d in result.diagnostics] == ["unreadable-file"]
    assert "housing" in result.knowledge.needs
    assert not result.nothing_readable
