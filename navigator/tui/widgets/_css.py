"""Styles kept in a `.tcss` file beside each widget's module.

Textual reads `CSS_PATH` for apps and screens only; widgets carry
`DEFAULT_CSS`. Reading the file beside the module gives widgets the same
"styles next to the code" layout, and keeps their styles with them when
another screen (advocate mode) reuses them.
"""

from __future__ import annotations

from pathlib import Path


def css_beside(module_file: str) -> str:
    """The text of the `.tcss` file with the same name as `module_file`."""
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")
