"""Opening the knowledge base for a command, saying plainly what is wrong with it.

Every command that needs the knowledge base goes through here, so a content
error reads the same from `navigator chat` as from `navigator kiosk`, and the
same as from `navigator validate`: the knowledge base is loaded and checked
as `validate` checks it (`load_validated`), and each error is printed exactly
as `validate` prints it. A knowledge base `validate` rejects never reaches a
resident: a dangling reference would drop them silently back to the welcome.

Only the resident app and plain chat may start on one anyway, when content
staff previewing work in progress ask for it (`--allow-broken-knowledge`);
they then show `preview_banner` the whole time.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from navigator.config import Settings
from navigator.kb import KnowledgeBase, KnowledgeBaseUnreadable, Limits, LoadResult
from navigator.kb.knowledge import MEGABYTE

ALLOW_BROKEN_FLAG = "--allow-broken-knowledge"


@dataclass(frozen=True)
class Opened:
    """A knowledge base a command may start on, and the preview banner to show, if any."""

    knowledge: KnowledgeBase
    banner: str | None = None


def limits_for(settings: Settings) -> Limits:
    """The knowledge size limits the settings give (`knowledge_max_file_mb`, `..._total_mb`)."""
    return Limits(
        file_bytes=int(settings.knowledge_max_file_mb * MEGABYTE),
        total_bytes=int(settings.knowledge_max_total_mb * MEGABYTE),
    )


def load_knowledge(
    root: Path,
    command: str,
    *,
    allow_broken: bool = False,
    cache_dir: Path | None = None,
    limits: Limits | None = None,
) -> KnowledgeBase | None:
    """The checked knowledge base at `root`, or None after saying on stderr why not."""
    opened = open_knowledge(
        root, command, allow_broken=allow_broken, cache_dir=cache_dir, limits=limits
    )
    return None if opened is None else opened.knowledge


def open_knowledge(
    root: Path,
    command: str,
    *,
    allow_broken: bool = False,
    cache_dir: Path | None = None,
    limits: Limits | None = None,
) -> Opened | None:
    """The checked knowledge base at `root`, or None after saying on stderr why not.

    With `allow_broken` (content staff previewing), a knowledge base with
    errors is returned after the same list; one that cannot be read at all
    never is. `cache_dir`: serve the checked result from the validated-knowledge
    cache there (`navigator.kb.cache`) while no knowledge file has changed.
    """
    result = check_knowledge(root, command, cache_dir=cache_dir, limits=limits)
    if result is None:
        return None
    errors = result.errors
    if not errors:
        return Opened(result.knowledge)
    for finding in errors:
        print(finding, file=sys.stderr)
    prefix = f"navigator {command}".strip()
    count = f"{len(errors)} error{'' if len(errors) == 1 else 's'}"
    if allow_broken and not result.unreadable_files:
        banner = preview_banner(root, len(errors))
        print(f"{prefix}: {banner}", file=sys.stderr)
        return Opened(result.knowledge, banner)
    print(
        f"{prefix}: the knowledge base in {root} has {count}, so it will not start. "
        f"Fix them, then try again; 'navigator validate {root}' checks it.",
        file=sys.stderr,
    )
    return None


def check_knowledge(
    root: Path, command: str, *, cache_dir: Path | None, limits: Limits | None = None
) -> LoadResult | None:
    """Load and check `root` (from the cache when given); None after saying it cannot be read."""
    try:
        if cache_dir is not None:
            from navigator.kb.cache import load_cached

            return load_cached(root, cache_dir, limits)
        from navigator.kb.validate import load_validated

        return load_validated(root, limits=limits)
    except KnowledgeBaseUnreadable as problem:
        print(f"{f'navigator {command}'.strip()}: {problem}", file=sys.stderr)
        return None


def preview_banner(root: Path, errors: int) -> str:
    """What a preview on a broken knowledge base says for as long as it runs (staff only)."""
    count = f"{errors} error{'' if errors == 1 else 's'}"
    return (
        f"PREVIEW ONLY: the knowledge base in {root} has {count}, so some answers may "
        f"lead nowhere. Not for residents. 'navigator validate {root}' lists them."
    )


def language_refused(knowledge: KnowledgeBase, settings: Settings, command: str) -> bool:
    """True after saying why, when sessions cannot start in `settings.language`.

    A language the knowledge base is not written in (`served: true`) would show
    every text in English while the records said otherwise (branch welsh).
    """
    from navigator.engine.conversation import served_languages

    served = served_languages(knowledge)
    if settings.language in served:
        return False
    print(
        f"{f'navigator {command}'.strip()}: the language '{settings.language}' cannot be used: "
        f"this knowledge base is written in {', '.join(served)}. Give one of those "
        "(--language, or the `language` setting), or mark the language `served: true` "
        "in languages.yaml once its texts are translated.",
        file=sys.stderr,
    )
    return True
