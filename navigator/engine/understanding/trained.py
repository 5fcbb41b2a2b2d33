"""A trained view of crisis: a classifier learnt at load time from the knowledge base.

The meaning line's margins compare a text with its two nearest examples of each
kind and its two nearest ordinary phrases. That reads each example on its own: a
disclosure worded unlike any one example, though like many together, is missed,
and an ordinary request that happens to sit near one example is asked the
check-in question. A classifier weighs every example at once, so it learns which
directions of the sentence vectors mean crisis and which only mean "talks about
the family" (session 8, docs/performance.md, "Session 8: a trained view").

What it is: multinomial logistic regression, one class for "not a crisis" and
one per kind, over a text's contextual vector and static vector side by side
(384 + 256 numbers). Trained from the knowledge base alone, never from
tests/data: each kind's `examples` are its class, and everything the meaning line
already counts as ordinary (the near misses, `not_crisis`, the topics' examples,
keywords and titles, the questions' answers) is "not a crisis". So content staff
stay in control: an example they add changes what is learnt at the next start,
and the labelled sets in tests/data stay an honest measure of it.

L2-regularised and class-weighted (each class weighs the same in total, as a
kind has tens of examples and "not a crisis" well over a thousand). Within "not a
crisis", the near misses and `not_crisis` guards content staff wrote weigh
HARD_WEIGHT times a topic's phrase (session 9): they are the ordinary texts that sound
most like a crisis, the ones the line must learn to tell apart. Training
takes about a second; the weights are kept beside the contextual vectors
(`vector_cache`), filed under a hash of everything they were learnt from (the
rows' vectors, their classes and the settings below), so a changed example or
model trains afresh and an unchanged one loads at once. A cache file that cannot
be read is ignored and written again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from navigator.engine.understanding.loading import one_blas_thread

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]

log = logging.getLogger(__name__)

NOT_CRISIS = "not-a-crisis"
"""The class of everything ordinary; the others are the kinds' ids."""
L2 = 1e-5
"""The weights' penalty. Chosen on the tuned crisis sets among 1e-4, 1e-5 and 1e-6
(tests/bench/bench_safeguarding_trained.py): at 1e-4 the classifier is too timid to
add catches; 1e-6 fits the examples too closely."""
MAX_STEPS = 500
"""L-BFGS iterations: training converges in about 200 on the demo knowledge base."""
KEPT = 8
"""Trained files kept in the cache folder (the newest): one per knowledge base and model
in use, so a folder shared by a few knowledge bases does not grow with every edit."""
HARD_WEIGHT = 4.0
"""How much more a near miss or `not_crisis` guard weighs in training than another ordinary
row (a topic's example, keyword or title, or a question's answer). Session 9 (branch
trainedcal): chosen among 1 (session 8), 2, 3, 4 and 5 on the seven tuned crisis sets and
the needs sets' ordinary requests, with the thresholds chosen by leave-one-set-out
cross-validation (tests/bench/bench_safeguarding_trained.py): 4 asks fewer near misses and
ordinary requests at every fold without losing a catch (docs/performance.md, "Session 9:
trainedcal"); 5 adds interruptions again."""
VERSION = 2
"""Part of the cache key: raise it when training changes in a way the key does not see."""


class TrainedView(msgspec.Struct, frozen=True):
    """The learnt weights: `probabilities` of each class for a text's vectors."""

    classes: tuple[str, ...]
    """NOT_CRISIS, then the kinds, in the order of the weights' columns."""
    weights: Matrix
    """(384 + 256) x classes."""
    bias: Matrix

    def probabilities(self, context: Matrix, static: Matrix) -> Matrix:
        """Each class's probability for one text, from its two unit-length vectors."""
        import numpy as np

        scores = np.concatenate([context, static]) @ self.weights + self.bias
        scores = np.exp(scores - scores.max())
        found: Matrix = (scores / scores.sum()).astype(np.float32)
        return found


def trained_view(
    context: Matrix,
    static: Matrix,
    labels: Sequence[str],
    kinds: Sequence[str],
    cache_dir: Path | None,
    hard: Sequence[bool] = (),
) -> TrainedView:
    """The view learnt from rows (each row's contextual and static vector and its class:
    a kind's id or NOT_CRISIS), from the cache in `cache_dir` when it was learnt before.
    `hard`: per row, True for a near miss or guard (weighs HARD_WEIGHT); none when empty."""
    import numpy as np

    classes = (NOT_CRISIS, *kinds)
    features = np.concatenate([context, static], axis=1).astype(np.float32)
    targets = np.array([classes.index(label) for label in labels], dtype=np.intp)
    emphasis = np.ones(len(targets))
    if len(hard):
        emphasis[np.asarray(hard, dtype=bool)] = HARD_WEIGHT
    key = _key(features, targets, classes, emphasis)
    path = cache_dir / f"trained-{key[:24]}.npz" if cache_dir is not None else None
    if path is not None:
        known = _read(path, features.shape[1], len(classes))
        if known is not None:
            return TrainedView(classes, *known)
    learnt, bias = train(features, targets, len(classes), emphasis)
    if path is not None:
        _write(path, learnt, bias)
    return TrainedView(classes, learnt, bias)


def train(
    features: Matrix,
    targets: npt.NDArray[np.intp],
    classes: int,
    emphasis: npt.NDArray[np.float64] | None = None,
) -> tuple[Matrix, Matrix]:
    """Class-weighted, L2-regularised multinomial logistic regression (L-BFGS); `emphasis`
    multiplies each row's share (the hard rows' HARD_WEIGHT) on top of its class's."""
    import numpy as np
    from scipy.optimize import minimize  # here: only a build trains, in a thread

    x = features.astype(np.float64)
    rows, width = x.shape
    counts = np.maximum(np.bincount(targets, minlength=classes), 1).astype(np.float64)
    row_weight = (rows / (classes * counts))[targets]
    if emphasis is not None:
        row_weight = row_weight * emphasis
    row_weight /= row_weight.mean()
    onehot = np.eye(classes)[targets]

    def loss(theta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        weights = theta[: width * classes].reshape(width, classes)
        scores = x @ weights + theta[width * classes :]
        scores -= scores.max(axis=1, keepdims=True)
        chances = np.exp(scores)
        chances /= chances.sum(axis=1, keepdims=True)
        picked = np.log(chances[np.arange(rows), targets] + 1e-12)
        value = -float((row_weight * picked).sum()) / rows + L2 * float((weights**2).sum())
        error = (chances - onehot) * row_weight[:, None] / rows
        gradient = np.concatenate([(x.T @ error + 2 * L2 * weights).ravel(), error.sum(axis=0)])
        return value, gradient

    start = np.zeros(width * classes + classes)
    with one_blas_thread():  # two BLAS threads on a busy 2-core kiosk wait on each other
        found = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": MAX_STEPS})
    theta = found.x
    weights = theta[: width * classes].reshape(width, classes).astype(np.float32)
    return weights, theta[width * classes :].astype(np.float32)


def _key(
    features: Matrix,
    targets: npt.NDArray[np.intp],
    classes: Sequence[str],
    emphasis: npt.NDArray[np.float64],
) -> str:
    """What the weights depend on: every row's vectors, class and weight, and the settings."""
    digest = hashlib.sha256(f"{VERSION} {L2} {MAX_STEPS} {' '.join(classes)}".encode())
    digest.update(features.tobytes())
    digest.update(targets.astype("<i8").tobytes())
    digest.update(emphasis.astype("<f8").tobytes())
    return digest.hexdigest()


def _read(path: Path, width: int, classes: int) -> tuple[Matrix, Matrix] | None:
    import numpy as np

    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            weights, bias = stored["weights"], stored["bias"]
        if weights.shape != (width, classes) or bias.shape != (classes,):
            raise ValueError(f"unexpected shapes {weights.shape}, {bias.shape}")
        if weights.dtype != np.float32 or bias.dtype != np.float32:
            raise ValueError(f"unexpected types {weights.dtype}, {bias.dtype}")
        if not (np.isfinite(weights).all() and np.isfinite(bias).all()):
            raise ValueError("not finite numbers")
        return weights, bias
    except Exception as error:  # a corrupt cache only costs a second's training
        log.info("Ignoring the trained view's cache %s: %s", path, error)
        return None


def _write(path: Path, weights: Matrix, bias: Matrix) -> None:
    import tempfile

    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            np.savez(file, weights=weights, bias=bias)
        Path(temporary).replace(path)
        older = sorted(path.parent.glob("trained-*.npz"), key=lambda file: file.stat().st_mtime)
        for stale in older[:-KEPT]:
            stale.unlink(missing_ok=True)
    except OSError as error:
        log.info("Cannot keep the trained view's cache %s: %s", path, error)
