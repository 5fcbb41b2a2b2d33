"""Exchanging data with other systems: Open Referral UK feeds, shared codes, open-data packs.

Beside `navigator.records`, not inside a screen: councils read and publish
feeds (ORUK 3.0 / HSDS 3.0, `oruk/`, `oruk_import/`) and publish and compare
evidence packs coded to shared lists (`evidence/`) from the command line and a
small web server, so this package knows nothing of Textual (import-linter
enforces it), and the knowledge base and engine know nothing of it.
`schemas/` holds the standards' own schema files, vendored with their
licences (see `schemas/SOURCES.md`).
"""
