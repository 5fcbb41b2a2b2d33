"""Helpers the test folders share: the test borough on disk and a hand-moved clock."""
