"""The validated-knowledge cache: real YAML and real cache files on disk.

Each test checks what a resident would get: the same knowledge as a full
load, never a stale copy, and a working start whatever state the cache is in.
"""

from __future__ import annotations

import logging
import os
import pickle
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from navigator.kb import KnowledgeBaseUnreadable, load
from navigator.kb.cache import LATER_SECTIONS, cache_path, load_cached
from navigator.kb.validate import load_validated

from .kbfiles import write_kb


@pytest.fixture
def knowledge_root(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    write_kb(root)
    return root


def _mtime_ns(path: Path) -> int:
    return path.stat().st_mtime_ns


def test_the_second_load_comes_from_the_cache_and_equals_a_full_load(
    knowledge_root: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    first = load_cached(knowledge_root, cache_dir)
    stored = cache_path(knowledge_root, cache_dir)
    assert stored.is_file()
    written_at = _mtime_ns(stored)

    second = load_cached(knowledge_root, cache_dir)

    full = load_validated(knowledge_root)
    assert second.checked and full.checked
    assert _mtime_ns(stored) == written_at  # a hit does not rewrite the cache
    assert second is not first
    assert second.knowledge.content_hash == full.knowledge.content_hash
    assert second.knowledge.nodes == full.knowledge.nodes
    assert second.knowledge.services == full.knowledge.services
    assert second.knowledge.messages == full.knowledge.messages
    assert [str(d) for d in second.diagnostics] == [str(d) for d in full.diagnostics]


def test_an_edited_file_is_never_served_from_a_stale_cache(
    knowledge_root: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    before = load_cached(knowledge_root, cache_dir)
    edited = next(
        path for path in knowledge_root.rglob("*.yaml") if "Testborough" in path.read_text()
    )
    previous = edited.stat()
    edited.write_text(edited.read_text().replace("Testborough", "Bestborough"))
    # The same size, and a modification time only a microsecond later: the
    # smallest difference a real edit makes, on a file system with coarse clocks.
    assert edited.stat().st_size == previous.st_size
    os.utime(edited, ns=(previous.st_atime_ns, previous.st_mtime_ns + 1_000))

    after = load_cached(knowledge_root, cache_dir)

    assert (
        before.knowledge.place is not None
        and before.knowledge.place.name.get("en") == "Testborough"
    )
    assert (
        after.knowledge.place is not None and after.knowledge.place.name.get("en") == "Bestborough"
    )
    assert after.knowledge.content_hash != before.knowledge.content_hash
    assert load_cached(knowledge_root, cache_dir).knowledge.content_hash == (
        after.knowledge.content_hash
    )


def test_a_new_or_removed_file_is_a_cache_miss(knowledge_root: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    before = load_cached(knowledge_root, cache_dir)
    extra = knowledge_root / "extra.yaml"
    extra.write_text("needs:\n  - id: food\n    title: Food\n    description: Help with food.\n")

    with_extra = load_cached(knowledge_root, cache_dir)
    extra.unlink()
    without = load_cached(knowledge_root, cache_dir)

    assert "food" not in before.knowledge.needs
    assert "food" in with_extra.knowledge.needs
    assert "food" not in without.knowledge.needs


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle at all", b"\x80\x05\x95garbage"],
    ids=["empty", "text", "truncated"],
)
def test_a_corrupt_cache_file_falls_back_to_a_full_load_and_is_replaced(
    knowledge_root: Path, tmp_path: Path, damage: bytes
) -> None:
    cache_dir = tmp_path / "cache"
    expected = load_cached(knowledge_root, cache_dir).knowledge.content_hash
    stored = cache_path(knowledge_root, cache_dir)
    stored.write_bytes(damage)

    result = load_cached(knowledge_root, cache_dir)

    assert result.knowledge.content_hash == expected
    assert len(result.knowledge.nodes) == len(load(knowledge_root).knowledge.nodes)
    with stored.open("rb") as stream:  # the broken file was replaced by a good one
        assert isinstance(pickle.load(stream), str)


def test_a_cache_of_the_right_key_but_the_wrong_content_is_not_used(
    knowledge_root: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    load_cached(knowledge_root, cache_dir)
    stored = cache_path(knowledge_root, cache_dir)
    with stored.open("rb") as stream:
        key = pickle.load(stream)
    with stored.open("wb") as stream:
        pickle.dump(key, stream)
        pickle.dump({"not": "a load result"}, stream)

    result = load_cached(knowledge_root, cache_dir)

    assert result.knowledge.content_hash == load(knowledge_root).knowledge.content_hash


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only folder")
def test_a_read_only_cache_folder_still_loads(knowledge_root: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    cache_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = load_cached(knowledge_root, cache_dir)
        again = load_cached(knowledge_root, cache_dir)
    finally:
        cache_dir.chmod(stat.S_IRWXU)
    assert result.ok and again.ok
    assert not cache_path(knowledge_root, cache_dir).exists()
    assert list(cache_dir.iterdir()) == []  # no half-written temporary files left behind


def test_a_cache_folder_that_is_a_file_still_loads(knowledge_root: Path, tmp_path: Path) -> None:
    """Covers an unwritable cache even when the tests run as root (chmod does not stop root)."""
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")

    result = load_cached(knowledge_root, blocker)

    assert result.ok
    assert result.knowledge.content_hash == load(knowledge_root).knowledge.content_hash
    assert blocker.read_text() == "a file where the cache folder should be"


def test_a_missing_knowledge_folder_is_still_reported(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseUnreadable, match="no such folder"):
        load_cached(tmp_path / "nowhere", tmp_path / "cache")


def test_a_knowledge_base_with_errors_keeps_its_findings_through_the_cache(
    tmp_path: Path,
) -> None:
    root = tmp_path / "kb"
    write_kb(root)
    (root / "broken.yaml").write_text("nodes:\n  - id: lonely\n    type: question\n")
    cache_dir = tmp_path / "cache"

    first = load_cached(root, cache_dir)
    second = load_cached(root, cache_dir)

    assert not first.ok
    assert [str(d) for d in second.diagnostics] == [str(d) for d in first.diagnostics]


def test_a_start_from_the_cache_does_not_import_pyyaml(
    knowledge_root: Path, tmp_path: Path
) -> None:
    """The point of the cache: no YAML parsing (nor PyYAML's import) on a warm start.

    Run in a fresh interpreter, since this test process has imported PyYAML already.
    """
    cache_dir = tmp_path / "cache"
    load_cached(knowledge_root, cache_dir)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from navigator.kb.cache import load_cached\n"
        f"result = load_cached(Path({str(knowledge_root)!r}), Path({str(cache_dir)!r}))\n"
        "print(len(result.knowledge.nodes), 'yaml' in sys.modules)\n"
    )
    warm = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    cold = subprocess.run(
        [sys.executable, "-c", script.replace(str(cache_dir), str(tmp_path / "empty"))],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    nodes = str(len(load(knowledge_root).knowledge.nodes))
    assert warm.stdout.split() == [nodes, "False"]
    assert cold.stdout.split() == [nodes, "True"]  # the check can fail: a miss does parse


def test_the_cache_keeps_the_validators_errors(tmp_path: Path) -> None:
    """A knowledge base that loads but `validate` rejects: the cache must say so on every hit."""
    root = tmp_path / "kb"
    write_kb(root)
    topics = root / "topics" / "carers.yaml"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace("next: carers-none", "next: carers-gone"),
        encoding="utf-8",
    )
    cache_dir = tmp_path / "cache"

    first = load_cached(root, cache_dir)
    second = load_cached(root, cache_dir)  # a hit: nothing is parsed or checked again

    assert load(root).ok  # loading alone sees nothing wrong
    for result in (first, second):
        assert result.checked
        assert any("carers-gone" in finding.message for finding in result.errors), (
            result.diagnostics
        )
    assert second.knowledge.from_cache


def test_later_sections_are_decoded_when_first_read_and_equal_a_full_load(
    knowledge_root: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    load_cached(knowledge_root, cache_dir)
    cached = load_cached(knowledge_root, cache_dir).knowledge
    full = load_validated(knowledge_root).knowledge

    assert not set(LATER_SECTIONS) & set(vars(cached))  # not decoded by loading
    for name in LATER_SECTIONS:
        assert getattr(cached, name) == getattr(full, name), name
    assert set(LATER_SECTIONS) <= set(vars(cached))  # decoded once, then plain attributes
    assert cached.services is cached.services
    misspelt = "servises"
    with pytest.raises(AttributeError, match="no attribute 'servises'"):
        getattr(cached, misspelt)


def test_threads_reading_a_later_section_first_get_the_same_objects(
    knowledge_root: Path, tmp_path: Path
) -> None:
    """The app's background thread and the screen may both read `services` first."""
    cache_dir = tmp_path / "cache"
    load_cached(knowledge_root, cache_dir)
    cached = load_cached(knowledge_root, cache_dir).knowledge
    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = list(pool.map(lambda _: cached.services, range(8)))
    assert all(services is seen[0] for services in seen)


def _damage_services(stored: Path) -> None:
    """Change one byte inside the encoded services, leaving the file a valid pickle."""
    with stored.open("rb") as stream:
        pickle.load(stream)
        result = pickle.load(stream)
    data = vars(result.knowledge)["_encoded"]["services"].data
    raw = stored.read_bytes()
    at = raw.index(data) + len(data) // 2
    stored.write_bytes(raw[:at] + bytes([raw[at] ^ 0x20]) + raw[at + 1 :])


def test_a_damaged_later_section_is_caught_at_the_start_said_in_the_log_and_rewritten(
    knowledge_root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged section must be a miss at the start, never an error in a conversation."""
    cache_dir = tmp_path / "cache"
    load_cached(knowledge_root, cache_dir)
    stored = cache_path(knowledge_root, cache_dir)
    _damage_services(stored)

    with caplog.at_level(logging.WARNING, logger="navigator.kb.cache"):
        result = load_cached(knowledge_root, cache_dir)

    assert result.knowledge.services == load_validated(knowledge_root).knowledge.services
    (warning,) = caplog.records
    assert str(stored) in warning.getMessage()
    assert "does not match its digest" in warning.getMessage()
    assert "written again" in warning.getMessage()
    caplog.clear()
    again = load_cached(knowledge_root, cache_dir)  # the rewritten cache is good
    assert caplog.records == []
    assert "services" not in vars(again.knowledge)
    assert again.knowledge.services == result.knowledge.services


def test_a_corrupt_cache_file_is_said_in_one_line_of_the_log_without_a_traceback(
    knowledge_root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache_dir = tmp_path / "cache"
    load_cached(knowledge_root, cache_dir)
    stored = cache_path(knowledge_root, cache_dir)
    stored.write_bytes(stored.read_bytes()[: stored.stat().st_size // 2])  # cut short

    with caplog.at_level(logging.WARNING, logger="navigator.kb.cache"):
        load_cached(knowledge_root, cache_dir)

    (warning,) = caplog.records
    assert warning.exc_info is None  # one line, no traceback
    assert str(stored) in warning.getMessage() and "\n" not in warning.getMessage()


def test_a_cache_in_the_previous_format_is_rebuilt_without_a_warning(
    knowledge_root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Format 4 kept every section decoded; its key names its format, so it is a plain miss."""
    cache_dir = tmp_path / "cache"
    load_cached(knowledge_root, cache_dir)
    stored = cache_path(knowledge_root, cache_dir)
    with stored.open("wb") as stream:
        pickle.dump("an older format's key", stream)
        pickle.dump(load_validated(knowledge_root), stream)

    with caplog.at_level(logging.WARNING, logger="navigator.kb.cache"):
        result = load_cached(knowledge_root, cache_dir)

    assert caplog.records == []
    assert result.knowledge.content_hash == load(knowledge_root).knowledge.content_hash
    with stored.open("rb") as stream:
        assert pickle.load(stream) != "an older format's key"  # written again
