"""Environment settings that would undo kiosk lock-down, and the check that refuses them.

Textual's Linux driver turns off terminal signals (so Ctrl+C, Ctrl+Z and
Ctrl+\\ reach the app as keys) unless `TEXTUAL_ALLOW_SIGNALS` is set;
`TEXTUAL_SCREENSHOT` saves the screen to disk; `TEXTUAL_LOG` and the debug
switches write what is on screen to files or a console; `TEXTUAL_PRESS`
types keys at start. Any of these at a kiosk could quit the app or leak a
resident's answers, so kiosk mode will not start with them.
"""

from __future__ import annotations

from collections.abc import Mapping

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""The driver textual-serve sets: allowed, since the browser kiosk runs through it."""

UNSAFE_VARIABLES: dict[str, str] = {
    "TEXTUAL_ALLOW_SIGNALS": "lets Ctrl+C and Ctrl+Z stop the kiosk",
    "TEXTUAL_SCREENSHOT": "saves pictures of the screen to disk",
    "TEXTUAL_SCREENSHOT_LOCATION": "saves pictures of the screen to disk",
    "TEXTUAL_SCREENSHOT_FILENAME": "saves pictures of the screen to disk",
    "TEXTUAL_LOG": "writes what happens on screen to a log file",
    "TEXTUAL_DEBUG": "turns on debugging",
    "TEXTUAL_PRESS": "types keys into the kiosk when it starts",
    "TEXTUAL_DEVTOOLS_HOST": "connects to the developer console",
    "TEXTUAL_DEVTOOLS_PORT": "connects to the developer console",
    "NAVIGATOR_DEBUG": "shows program errors in full on screen",
    "PYTHONINSPECT": "opens a Python prompt when the kiosk stops",
    "PYTHONBREAKPOINT": "can open a debugger",
}


_HARMLESS: dict[str, set[str]] = {"PYTHONBREAKPOINT": {"", "0"}}
"""Values that leave lock-down intact (PYTHONBREAKPOINT=0 turns breakpoints off)."""


def lockdown_problems(environ: Mapping[str, str]) -> list[str]:
    """One sentence per environment setting that would undo lock-down; empty when safe."""
    problems = [
        f"{name} is set: it {effect}. Unset it to run the kiosk."
        for name, effect in UNSAFE_VARIABLES.items()
        if environ.get(name, "") not in _HARMLESS.get(name, {""})
    ]
    features = {part.strip() for part in environ.get("TEXTUAL", "").split(",")}
    for feature in sorted(features & {"debug", "devtools"}):
        problems.append(f"TEXTUAL includes '{feature}': it turns on developer tools. Unset it.")
    driver = environ.get("TEXTUAL_DRIVER", "")
    if driver and driver != WEB_DRIVER:
        problems.append(f"TEXTUAL_DRIVER is set to '{driver}': kiosk mode uses its own. Unset it.")
    return problems
