"""The meaning model cannot load for lack of memory: Navigator carries on with its word lines.

Issue 12: "If the model cannot load (missing file, corrupt file, too little
memory), Navigator ... keeps working on the lexical lines, and the safeguarding
lexicon is never skipped." Memory is really taken away: a child process loads
the demo knowledge base and warms the word lines, then lowers its own address
space limit (`resource.setrlimit(RLIMIT_AS)`) to a little above what it uses,
so reading the model's 16 MB file fails as it would on a kiosk short of memory.
Nothing of ours is mocked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/statm")

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, os, resource, sys
from pathlib import Path

from navigator.engine.conversation import Conversation
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.embedding import EmbeddingModel
from navigator.engine.understanding.pipeline import Understanding
from navigator.kb import load

knowledge = load(Path("knowledge")).knowledge
# Warm the word lines (and the libraries the model needs) without loading the model.
warm = Conversation(
    knowledge, channel="plain", site="test",
    understanding=Understanding(
        knowledge, safeguarding=SafeguardingDetector.for_knowledge(knowledge, meaning=False)
    ),
)
warm.say("help with my rent please")
warm.say("i want to kill myself")
import numpy, safetensors.numpy, tokenizers  # noqa: E401,F401

model = EmbeddingModel()
conversation = Conversation(
    knowledge, channel="plain", site="test",
    understanding=Understanding.with_meaning(knowledge, model, early=False),
)
with open("/proc/self/statm") as statm:
    used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
resource.setrlimit(resource.RLIMIT_AS, (used + int(sys.argv[1]) * 2**20, resource.RLIM_INFINITY))
topic = conversation.say("help with my rent please")
crisis = conversation.say("i want to kill myself")
print(json.dumps({
    "state": model.state.name,
    "reason": model.unavailable_reason,
    "topic": topic.kind,
    "topic_id": topic.topic_id if hasattr(topic, "topic_id") else None,
    "crisis": crisis.kind,
    "events": [type(event).__name__ for event in conversation.events],
}))
"""


def run_short_of_memory(tmp_path: Path, headroom_mb: int) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "short_of_memory.py"
    script.write_text(SCRIPT, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), str(headroom_mb)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_too_little_memory_for_the_model_leaves_the_word_lines_working(tmp_path: Path) -> None:
    done = run_short_of_memory(tmp_path, 8)
    assert done.returncode == 0, done.stderr[-3000:]
    said = json.loads(done.stdout.splitlines()[-1])
    assert said["state"] == "UNAVAILABLE"
    assert "not enough memory" in said["reason"]
    assert said["topic"] == "question"  # the lexical index found the topic
    assert said["crisis"] == "safeguarding"  # the sign lexicon still fires
    assert said["events"].count("MeaningUnavailable") == 1  # for the managers' Content tab
    assert done.stderr.count("Meaning model unavailable") == 1  # said once in the log


@pytest.mark.parametrize("headroom_mb", [20, 24, 100, 200])
def test_a_load_short_of_memory_is_refused_before_it_can_panic_or_abort(
    tmp_path: Path, headroom_mb: int
) -> None:
    """With more room than the first test, the Rust code that reads the files did not
    raise MemoryError: it panicked (pyo3's PanicException, a BaseException, which
    stopped the conversation), or aborted the process, or hung while aborting. Now the
    room the model needs is asked for first, so each of these limits gives a clear
    "not enough memory", the topic by words and the crisis panel by signs."""
    done = run_short_of_memory(tmp_path, headroom_mb)
    assert done.returncode == 0, done.stderr[-3000:]
    said = json.loads(done.stdout.splitlines()[-1])
    assert said["state"] == "UNAVAILABLE"
    assert "not enough memory" in said["reason"]
    assert said["crisis"] == "safeguarding"
    assert said["topic"] == "question"
