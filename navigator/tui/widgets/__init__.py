"""Reusable pieces of the resident app, shared with advocate mode.

Each widget lives in its own module with its styles in a `.tcss` file beside
it. They take data as attributes (engine views, plain strings) and report
what the person did as messages, so any screen can host them.
"""
