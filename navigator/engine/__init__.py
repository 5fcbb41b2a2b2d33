"""The conversation: session state, eligibility rules, free-text matching, safeguarding.

Pure Python: no Textual, no database. It emits events (`navigator.engine.events`).
"""
