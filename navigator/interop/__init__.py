"""Exchanging the directory with other systems: Open Referral UK (ORUK 3.0) and HSDS 3.0.

Beside `navigator.records`, not inside a screen: councils publish and read
feeds from the command line and from a small web server, so this package
knows nothing of Textual (import-linter enforces it), and the knowledge base
and engine know nothing of it. `schemas/` holds the standards' own schema
files, vendored with their licences (see `schemas/SOURCES.md`).
"""
