"""Navigator: a guided front door to local support.

Layers, each importable without the ones after it:
`navigator.kb` (knowledge base) -> `navigator.engine` (conversation) ->
`navigator.records` (the store) -> `navigator.tui` and the CLI (front ends).
"""

__version__ = "0.1.0"
