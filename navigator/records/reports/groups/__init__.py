"""Groups of figures, one module each: a group's queries, its protection and its tables.

A group is the unit of protection (one `Ledger`); `sections.SECTIONS` says which
section (dashboard tab) shows which of its tables. Each module has
`build(review, filters, pinned)` (requests: `build(review, filters)`) returning its
tables and the cells it published; `review.Review` computes them in
`sections.GROUP_ORDER` and caches them, and `common.py` holds what they share
(pinning the overview, withholding, ordering by published figures only).
`costs.py` and `referrals.py` are parts of the unmet and services groups.
"""
