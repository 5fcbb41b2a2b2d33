"""Kiosk mode: the lock-down checks, the staff PIN and the idle guard."""
