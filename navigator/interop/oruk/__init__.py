"""Open Referral UK 3.0: writing Navigator's services as a feed, and checking the feed.

`to_oruk` builds the feed in memory from a knowledge base (ids from `ids`,
private details withheld by `privacy`); `export` writes it as files,
`datapackage` as a Tabular Data Package, `feed` serves it over HTTP, and
`conformance` checks any of them against the vendored schemas and the
ORUK validator's rules.
"""
