"""textual-serve's terminal script, changed in four places for Navigator's page.

The script builds its xterm.js terminal inside a closure, with no way to
pass options in, and with its screen drawn on a canvas a screen reader
cannot read. Navigator serves a copy with:

- xterm.js's screen-reader mode on, which keeps the screen's text in the
  page as rows of plain text and announces changes (issue 13);
- the terminal and its socket reachable from the page's own script
  (`window.navigatorTerminal`, `window.navigatorSocket`), for links, quick
  exit and the "busy" notice;
- downloads fetched relative to the page, so they work behind a proxy
  that serves Navigator under a path.

Each change must match exactly once; when textual-serve's script changes
shape, the server refuses to start and says so, rather than serving a page
that silently lost its screen reader support.
"""

from __future__ import annotations

from pathlib import Path

PATCHES: tuple[tuple[str, str], ...] = (
    (
        "allowProposedApi:!0,fontSize:i,",
        "allowProposedApi:!0,screenReaderMode:!0,fontSize:i,",
    ),
    (
        "this.terminal.open(e),",
        "this.terminal.open(e),window.navigatorTerminal=this.terminal,",
    ),
    (
        'this.socket.binaryType="arraybuffer",',
        'window.navigatorSocket=this.socket,this.socket.binaryType="arraybuffer",',
    ),
    ("`${window.location.origin}/download/${i}${r}`", "`download/${i}${r}`"),
)


class TerminalScriptChanged(Exception):
    """textual-serve's script no longer has a place Navigator changes."""


def patched_terminal_script(path: Path) -> str:
    """The script at `path` with Navigator's changes, or `TerminalScriptChanged`."""
    script = path.read_text(encoding="utf-8")
    for old, new in PATCHES:
        if script.count(old) != 1:
            raise TerminalScriptChanged(
                f"{path}: textual-serve's terminal script has changed and Navigator cannot "
                f"turn on its screen reader support (looked for {old!r}). "
                "Install the textual-serve version pinned in pyproject.toml."
            )
        script = script.replace(old, new)
    return script
