"""`navigator chat --plain` answers a message in Polish in Polish, with the topic list.

The real command in a child process, fed real UTF-8 bytes, on the test borough
with the real knowledge/messages/ (languages.yaml included).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from navigator.kb import KnowledgeBase


def test_a_polish_message_gets_polish_words_and_the_topic_list(
    test_kb_dir: Path, test_kb: KnowledgeBase, tmp_path: Path
) -> None:
    environment = {
        **os.environ,
        "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
        "NAVIGATOR_CONFIG": str(tmp_path / "none.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "chat", "--plain", "--kb", str(test_kb_dir)],
        input="Potrzebuję pomocy z czynszem\n".encode(),
        capture_output=True,
        env=environment,
        timeout=180,  # a deadline: on a loaded machine a run can take a minute
        check=False,
    )

    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr
    polish = test_kb.languages["pl"]
    lines = out.splitlines()
    after = lines[lines.index(polish.title) :]
    assert " ".join(after).count(polish.text) == 1
    assert any("Staff can arrange an interpreter" in line for line in after)
    first_topic = next(iter(test_kb.topics.values()))
    assert f"1. {first_topic.title.get()}" in after
    assert polish.prompt in out
    assert "Traceback" not in done.stderr.decode("utf-8")
