"""Importing Open Referral UK (ORUK 1.0 and 3.0) and HSDS 3.0 services as review candidates.

`navigator import oruk SOURCE --into knowledge/` reads a feed's API, a JSON
file or a Tabular Data Package, cleans and maps each service, and writes
`knowledge/candidates/<feed>/` in one swap. Candidates are checked
by the knowledge loader but never reach a conversation until a person accepts
one as a service and names it in an outcome (see docs/knowledge-format.md,
"Importing a neighbour's feed").
"""

from __future__ import annotations

from navigator.interop.oruk_import.errors import ImportRefused

__all__ = ["ImportRefused"]
