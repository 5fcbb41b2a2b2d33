"""A cache of the loaded and validated knowledge base, so the app starts without re-reading YAML.

Loading the demo knowledge base (read every YAML file, validate it against
the schema, hash the content) and running every check on it (`navigator
validate`'s) takes a noticeable share of the app's start. Its result only
changes when a knowledge file or Navigator's knowledge code changes (or the
day, which decides which review dates are overdue), so `load_cached` keeps a
pickled, `checked` `LoadResult` in the data folder, keyed by a fingerprint of
all of them: each knowledge file's path, size and modification time (in
nanoseconds), the `navigator/kb` source files' size and modification time, the
Python and pydantic versions, and the date. The validator's findings are
stored with the knowledge, so a start served from the cache refuses a broken
knowledge base exactly as a full check would.

The knowledge base is stored as the plain classes of `navigator/kb/model.py`
(the pydantic schema classes derive from them), so unpickling it imports
neither pydantic nor the schema: that is most of what a cached start saves.
The sections the first question never reads (`LATER_SECTIONS`: services, questions,
facts, where each entity was written; more than half the file) are each
pickled on their own, with a digest, and decoded the first time they are read
(`KnowledgeBase.__getattr__`): the start checks their digests but decodes only
what the welcome needs.

The cache is only ever a shortcut. Any problem with it (missing, corrupt,
written by another version, owned by another user, a read-only folder) falls
back to a full `load`, and a fingerprint that differs in any way is a miss, so
an edited file is never served stale. A file that cannot be read, or whose
sections do not match their digests, is also reported in one line of the log
(a warning: damage is worth knowing about), never with a traceback; it is then
written again. Only files this user wrote in their own data folder are unpickled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import io
import logging
import os
import pickle
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from navigator.kb.knowledge import KnowledgeBase, Limits, LoadResult, gc_paused, scan
from navigator.kb.model import Record, plain_class, rebuild

CACHE_FORMAT = 6
"""Bump when the layout of the cache file changes."""

LATER_SECTIONS = ("services", "facts", "locations", "nodes")
"""Knowledge base sections kept encoded until first read: nothing reads them before the
first question (`tests/tui/test_first_screen_imports.py` checks), and decoding them was
more than half of loading the cache (services alone 40%)."""

log = logging.getLogger(__name__)

_KB_SOURCES = Path(__file__).resolve().parent


def cache_path(root: Path, cache_dir: Path) -> Path:
    """Where the cache of the knowledge base at `root` lives: one file per knowledge folder."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_dir / f"knowledge-{name}.pickle"


def fingerprint(root: Path, today: dt.date | None = None, limits: Limits | None = None) -> str:
    """A cheap key that changes whenever the checked result could: files stat'ed, not read.

    Raises OSError when the folder holds anything refused (a link outside, a
    pipe...): such a knowledge base is never cached, so the full load says why.
    """
    limits = limits or Limits()
    day = (today or dt.date.today()).isoformat()
    parts = [f"format={CACHE_FORMAT}", sys.version, str(root.resolve()), day, repr(limits)]
    if not root.is_dir():
        raise OSError("no knowledge folder: load says so")
    found = scan(root, limits)
    if found.refused:
        raise OSError("refused entries: not cached")
    for path in (*found.files, *sorted(_KB_SOURCES.glob("*.py")), *_pydantic_files()):
        status = path.stat()
        parts.append(f"{path}|{status.st_size}|{status.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _pydantic_files() -> list[Path]:
    """pydantic's version file, whose stat changes when pydantic does (found, not imported)."""
    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return []
    version = Path(spec.origin).with_name("version.py")
    return [version] if version.exists() else []


def load_cached(root: Path | str, cache_dir: Path, limits: Limits | None = None) -> LoadResult:
    """The same as `load_validated(root)`, from the cache in `cache_dir` while still current.

    Raises `KnowledgeBaseUnreadable` exactly when `load` would. The validator
    (and with it pydantic) is imported only on a miss.
    """
    root = Path(root)
    try:
        key = fingerprint(root, limits=limits)
    except OSError:
        return _load_validated(root, limits)  # let load give its own clear message
    path = cache_path(root, cache_dir)
    cached = _read(path, key)
    if cached is not None:
        return cached
    result = _load_validated(root, limits)
    _write(path, key, result)
    return result


def _load_validated(root: Path, limits: Limits | None) -> LoadResult:
    from navigator.kb.validate import load_validated  # pydantic and the checks: misses only

    return load_validated(root, limits=limits)


def _read(path: Path, key: str) -> LoadResult | None:
    """The cached result if `path` holds one for `key`; None on a miss or any problem.

    A miss (no file, another fingerprint: an edit, another version) is the usual way
    a cache goes out of date and says nothing; a file that is there but cannot be
    used is damaged, and the log says so in one line.
    """
    try:
        with path.open("rb") as stream:
            if hasattr(os, "getuid") and os.fstat(stream.fileno()).st_uid != os.getuid():
                return None  # never unpickle a file someone else could have written
            if pickle.load(stream) != key:
                return None
            with gc_paused():
                result = pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception as problem:  # a broken cache of any kind is a miss, never a traceback
        _damaged(path, f"{type(problem).__name__}: {problem}")
        return None
    if not isinstance(result, LoadResult) or not isinstance(result.knowledge, KnowledgeBase):
        _damaged(path, "it holds something other than a knowledge base")
        return None
    if not _intact(result.knowledge):
        _damaged(path, "a section does not match its digest")
        return None
    return result


def _damaged(path: Path, why: str) -> None:
    log.warning(
        "The knowledge cache %s could not be used (%s): the knowledge files are read in "
        "full instead, and the cache is written again.",
        path,
        why,
    )


class EncodedSection(NamedTuple):
    """One knowledge base section, pickled on its own and decoded when first read."""

    data: bytes
    digest: bytes

    @classmethod
    def of(cls, value: object) -> EncodedSection:
        data = _plain_dumps(value)
        return cls(data, hashlib.sha256(data).digest())

    def intact(self) -> bool:
        """Whether the bytes are those written (checked at the start, so a damaged file
        is a miss then, and never an error later in someone's conversation)."""
        return hashlib.sha256(self.data).digest() == self.digest

    def decode(self) -> object:
        with gc_paused():
            return pickle.loads(self.data)


def _intact(knowledge: KnowledgeBase) -> bool:
    encoded = vars(knowledge).get("_encoded", {})
    return isinstance(encoded, dict) and all(
        isinstance(section, EncodedSection) and section.intact() for section in encoded.values()
    )


def _write(path: Path, key: str, result: LoadResult) -> None:
    """Store `result` under `key`, atomically; silently skip when the folder is not writable."""
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=".knowledge-", dir=path.parent)
        temporary = Path(name)
        with os.fdopen(descriptor, "wb") as stream:
            pickle.dump(key, stream, protocol=pickle.HIGHEST_PROTOCOL)
            stream.write(plain_pickle(result))
        temporary.replace(path)
        temporary = None
    except Exception:  # a cache that cannot be written only makes the next start slower
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


class _PlainPickler(pickle.Pickler):
    """Pickles each knowledge object as its plain `navigator.kb.model` class.

    A validated knowledge base is made of pydantic schema objects; pickled as
    they are, reading them back would import pydantic and the schema. Each
    schema class derives from the model class of the same name, and the
    fields are all the state there is, so the object is stored as that class
    and a copy of its fields.

    The knowledge base itself is stored without its `LATER_SECTIONS`, each of
    which goes in `_encoded` as an `EncodedSection` (see `KnowledgeBase.__getattr__`).
    """

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Record) and type(obj).__module__ != Record.__module__:
            return rebuild, (plain_class(type(obj)), dict(obj.__dict__))
        if type(obj) is KnowledgeBase:
            state = dict(vars(obj))
            later = {name: state.pop(name) for name in LATER_SECTIONS if name in state}
            state["_encoded"] = {name: EncodedSection.of(value) for name, value in later.items()}
            return _knowledge_base, (state,)
        return NotImplemented


def _knowledge_base(state: dict[str, Any]) -> KnowledgeBase:
    """The knowledge base as stored: its fields but the later sections (see `_PlainPickler`)."""
    made = KnowledgeBase.__new__(KnowledgeBase)
    made.__dict__.update(state)
    return made


def _plain_dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    _PlainPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def plain_pickle(result: LoadResult) -> bytes:
    """`result` pickled with its knowledge as plain model objects (see `_PlainPickler`).

    The YAML positions of every field (`KnowledgeBase.sources`, half the file)
    are left out: they serve the checks' messages, which are already in
    `result.diagnostics`. A cached knowledge base still knows where each entity
    was written (`locations`), so `where` falls back to the entity's line.
    """
    lean = replace(result, knowledge=replace(result.knowledge, sources={}, from_cache=True))
    return _plain_dumps(lean)
