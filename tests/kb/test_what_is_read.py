"""Only regular files inside the knowledge folder are read; anything else is refused by name.

Real folders, links, pipes and permissions on disk, and the real commands in
subprocesses: `navigator validate` (which says what is wrong) and the kiosk's
and chat's starts (which must refuse, never start on what was left).
An unreadable folder needs a user permissions apply to: when the tests run
as root, the commands run as `nobody` (setpriv) on a folder it can read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kb.kbfiles import write_kb

pytestmark = pytest.mark.timeout(120)

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder everyone may read, so a command run as `nobody` can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="navigator-kb-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


@pytest.fixture
def kb(shared_dir: Path) -> Path:
    root = write_kb(shared_dir / "kb")
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


def navigator(
    *arguments: str, home: Path, stdin: str = "", as_nobody: bool = False
) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "NAVIGATOR_CONFIG": str(home / "none.toml"),
        "NAVIGATOR_CONFIG_DIR": str(home / "config"),
        "NAVIGATOR_DATA_DIR": str(home / "data"),
    }
    prefix: list[str] = []
    if as_nobody and AS_ROOT:
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        home.mkdir(exist_ok=True)
        os.chown(home, NOBODY, NOBODY)
    try:
        return subprocess.run(
            [*prefix, sys.executable, "-m", "navigator.cli", *arguments],
            capture_output=True,
            text=True,
            env=environment,
            input=stdin,
            timeout=60,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
    except subprocess.TimeoutExpired as stuck:
        pytest.fail(f"navigator {' '.join(arguments)} hung: {stuck}")


# --- An unreadable folder or file ---------------------------------------------------------


def test_an_unreadable_topics_folder_is_named_and_nothing_starts(
    kb: Path, shared_dir: Path
) -> None:
    topics = kb / "topics"
    topics.chmod(0o000)
    home = shared_dir / "home"

    checked = navigator("validate", str(kb), home=home, as_nobody=True)
    chat = navigator("chat", "--plain", "--kb", str(kb), home=home, as_nobody=True)

    assert checked.returncode == 2, checked.stdout + checked.stderr
    said = checked.stdout + checked.stderr
    assert f"{topics}: this folder cannot be read (Permission denied)" in said
    assert len(said.strip().splitlines()) == 1  # no cascade of misleading errors
    assert chat.returncode == 2 and chat.stdout == ""
    assert f"{topics}: this folder cannot be read" in chat.stderr


def test_an_unreadable_file_is_named_and_the_checks_that_would_mislead_do_not_run(
    kb: Path, shared_dir: Path
) -> None:
    carers = kb / "topics" / "carers.yaml"
    carers.chmod(0o000)

    checked = navigator("validate", str(kb), home=shared_dir / "home", as_nobody=True)

    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert checked.returncode == 1
    assert errors == [
        f"{carers}: error: the file cannot be read: Permission denied (unreadable-file)"
    ]


# --- Links, pipes and devices ------------------------------------------------------------


def refused(kb: Path, shared_dir: Path) -> list[str]:
    checked = navigator("validate", str(kb), home=shared_dir / "home")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    return [line for line in checked.stdout.splitlines() if "(unreadable-file)" in line]


def test_a_link_loop_is_refused_by_name(kb: Path, shared_dir: Path) -> None:
    (kb / "a.yaml").symlink_to("b.yaml")
    (kb / "b.yaml").symlink_to("a.yaml")
    lines = refused(kb, shared_dir)
    assert any(line.startswith(f"{kb / 'a.yaml'}: error:") and "loop" in line for line in lines)
    assert any(line.startswith(f"{kb / 'b.yaml'}: error:") for line in lines)


def test_a_dangling_link_is_refused_by_name(kb: Path, shared_dir: Path) -> None:
    (kb / "gone.yaml").symlink_to("nowhere.yaml")
    (line,) = refused(kb, shared_dir)
    assert line.startswith(f"{kb / 'gone.yaml'}: error:")
    assert "'nowhere.yaml', which does not exist" in line


def test_a_link_to_a_device_is_refused_not_read(kb: Path, shared_dir: Path) -> None:
    (kb / "zero.yaml").symlink_to("/dev/zero")
    (line,) = refused(kb, shared_dir)
    assert line.startswith(f"{kb / 'zero.yaml'}: error:")
    assert "outside the knowledge folder" in line


def test_a_named_pipe_is_refused_not_waited_on(kb: Path, shared_dir: Path) -> None:
    os.mkfifo(kb / "topics" / "pipe.yaml")
    (line,) = refused(kb, shared_dir)
    assert line.startswith(f"{kb / 'topics' / 'pipe.yaml'}: error:")
    assert "a named pipe" in line


def test_a_folder_link_outside_is_refused_and_one_inside_is_followed(
    kb: Path, shared_dir: Path
) -> None:
    outside = shared_dir / "elsewhere"
    outside.mkdir()
    (outside / "extra.yaml").write_text("messages: {extra: Hello.}\n", encoding="utf-8")
    (kb / "borrowed").symlink_to(outside)
    (line,) = refused(kb, shared_dir)
    assert line.startswith(f"{kb / 'borrowed'}: error:") and "outside" in line

    (kb / "borrowed").unlink()
    inside = kb / "shared-words"
    inside.mkdir()
    (inside / "extra.yaml").write_text("messages: {extra: Hello.}\n", encoding="utf-8")
    (kb / "words").symlink_to(inside)  # a second way in to the same folder: refused once
    lines = refused(kb, shared_dir)
    assert [line.split(":")[0] for line in lines] == [str(kb / "words")]


def test_the_kiosk_and_chat_refuse_what_validate_refuses(kb: Path, shared_dir: Path) -> None:
    os.mkfifo(kb / "pipe.yaml")
    home = shared_dir / "home"
    assert navigator("kiosk", "set-pin", home=home, stdin="482913\n").returncode == 0

    kiosk = navigator("kiosk", "--site", "library", "--kb", str(kb), home=home)
    chat = navigator("chat", "--plain", "--kb", str(kb), home=home)

    for finished in (kiosk, chat):
        assert finished.returncode == 2, finished.stderr
        assert f"{kb / 'pipe.yaml'}: error: this is not read: it is a named pipe" in (
            finished.stderr
        )


# --- Size limits, checked before parsing ----------------------------------------------------


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(kb: Path, shared_dir: Path) -> None:
    big = kb / "big.yaml"
    big.write_bytes(b"\x00" * (5 * 1024 * 1024 + 1))  # parsed, it would say "binary"
    (line,) = refused(kb, shared_dir)
    assert line.startswith(f"{big}: error: this is not read: the file is 5.0 MB")
    assert "knowledge_max_file_mb" in line


def test_the_whole_knowledge_base_has_a_limit_too(kb: Path, shared_dir: Path) -> None:
    for number in range(3):
        (kb / f"notes-{number}.yaml").write_bytes(b"# " + b"x" * (400 * 1024) + b"\n")
    home = shared_dir / "home"
    home.mkdir()
    (home / "none.toml").write_text(
        "knowledge_max_total_mb = 1\nknowledge_max_file_mb = 0.5\n", encoding="utf-8"
    )

    checked = navigator("validate", str(kb), home=home)

    assert checked.returncode == 2
    assert "come to 1.2 MB in all" in checked.stderr
    assert "at most 1 MB (setting knowledge_max_total_mb)" in checked.stderr


def test_a_file_of_keys_is_refused_at_the_block_not_explained_key_by_key(
    kb: Path, shared_dir: Path
) -> None:
    """Timed in tests/bench/bench_hostile_kb.py; here: one message, naming the block's line."""
    keys = "".join(f"k{number:06d}: v\n" for number in range(25_000))
    (kb / "keys.yaml").write_text("messages:\n" + "".join(f"  {k}" for k in keys.splitlines(True)))
    (line,) = refused(kb, shared_dir)
    assert line.startswith(f"{kb / 'keys.yaml'}:1:1: error:")  # at 'messages:'
    assert "more than 20,000 keys" in line


def test_a_file_with_hundreds_of_schema_errors_lists_a_hundred_and_is_not_used(
    kb: Path, shared_dir: Path
) -> None:
    nodes = "".join(f"  - {{id: junk-{n}, type: info, text: x, zz: 1}}\n" for n in range(300))
    (kb / "junk.yaml").write_text("nodes:\n" + nodes, encoding="utf-8")
    checked = navigator("validate", str(kb), home=shared_dir / "home")
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert checked.returncode == 1
    assert sum("(too-many-errors)" in line for line in errors) == 1
    assert len(errors) == 101  # the summary and the first hundred, nothing from other checks
    assert "graph and content checks did not run" in checked.stdout
