"""Screens of the resident app: the conversation, and what is shown over it."""
