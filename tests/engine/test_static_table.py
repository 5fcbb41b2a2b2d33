"""The static meaning model's token table is mapped from its file, and reads as before.

Issue 12's memory budget: the table (32,000 tokens x 256 numbers) is stored as float16 in
the `wordllama` wheel. It used to be read whole and copied to float32 (32 MB, and 16 MB
more while reading); it is now mapped as stored, and each text's rows are widened after
they are picked. float16 to float32 is exact, so every vector must be bitwise the one the
float32 copy gives: checked here on every text of the labelled sets and the knowledge base.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from safetensors.numpy import load_file

from navigator.engine.understanding import embedding

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(300)


def _texts() -> list[str]:
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in (*(REPO / "tests" / "data").glob("*.yaml"), *(REPO / "knowledge").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(found)


def test_the_token_table_is_mapped_as_stored_and_every_text_reads_as_from_a_float32_copy() -> None:
    model = embedding.EmbeddingModel()
    assert model.load()
    assert model.weights_path is not None
    table, _ = embedding._read(model.weights_path, model.tokenizer_path)
    assert isinstance(table, np.memmap) and table.dtype == np.float16
    texts = _texts()
    assert len(texts) > 10_000
    mapped = model._embed(texts)
    widened = load_file(str(model.weights_path))[embedding._TENSOR].astype(np.float32)
    model._table = widened  # this object's own copy: the shared, cached table is untouched
    assert np.array_equal(model._embed(texts), mapped)
