"""The plain-text front end: the whole conversation as numbered lines.

For screen-reader users, SSH sessions and scripts. Nothing is drawn: each
view is printed as short lines, choices are numbered, and a line of input
is read at a time.
"""

from navigator.plain.chat import PlainChat, read_lines, run_plain

__all__ = ["PlainChat", "read_lines", "run_plain"]
