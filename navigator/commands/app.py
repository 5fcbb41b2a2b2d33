"""The Textual front ends: resident app, kiosk, advocate, and serving them in a browser."""

from __future__ import annotations

import argparse

from navigator.config import Settings


def resident(arguments: argparse.Namespace, settings: Settings) -> int:
    """Until the resident app exists, check the knowledge base it would open."""
    from navigator.commands.knowledge import validate

    arguments.directory = None
    arguments.format = "text"
    return validate(arguments, settings)
