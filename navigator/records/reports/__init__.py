"""Figures for service managers and commissioners: SQL aggregates, protected before they leave.

Queries (`queries`) count in the database, never in Python; a `Ledger`
(`suppression`) hides small numbers and whatever would give them away; the
builders (`figures`) turn both into `Table`s that the dashboard and every
export (`export`) can show as they are. No Textual here: the dashboard lives
in `navigator.tui.manager`.
"""
