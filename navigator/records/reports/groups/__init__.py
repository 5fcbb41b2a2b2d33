"""Groups of figures, one module each: a group's queries, its protection and its tables.

A group is the unit of protection (one `Ledger`); `sections.SECTIONS` says which
section (dashboard tab) shows which of its tables. Each module has
`build(review, filters, ...)` returning its tables and the cells it published.
The content, requests and side-by-side groups live here; the others are still methods of
`review.Review`, to be moved the same way (issue 16).
"""
