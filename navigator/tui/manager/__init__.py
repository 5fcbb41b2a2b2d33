"""The service managers' dashboard: its own App, reachable only through `navigator manager`.

Kept apart from the resident, kiosk and advocate apps (no shared App class,
no route from their screens, not offered by `navigator serve`), and opened
only after the managers' password.
"""
