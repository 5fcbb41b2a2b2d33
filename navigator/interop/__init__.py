"""Exchanging data with other systems: shared codes, open-data packs, comparisons."""
