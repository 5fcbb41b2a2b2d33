"""Drill-down: the anonymous node-by-node pathways behind one figure, grouped.

Only groups that at least the suppression threshold of people followed are
shown: a pathway taken by one or two people could describe them. Pages come
from the database (LIMIT/OFFSET over the grouped pathways), so a figure with
thousands of distinct pathways opens as fast as one with ten.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from navigator.records.reports.review import Review
from navigator.records.reports.tables import Drill, Filters
from navigator.tui.manager.figures import PagedFigure


class PathwaysScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("pathways.tcss")
    BINDINGS = [Binding("escape", "close", "Back to the review")]

    def __init__(self, review: Review, drill: Drill, filters: Filters) -> None:
        super().__init__()
        self.review = review
        self.drill = drill
        self.filters = filters

    def compose(self) -> ComposeResult:
        yield Header()
        threshold = self.review.threshold
        yield Static(
            f"Pathways behind: {self.drill.title}. {self.filters.describe()}. "
            f"Only pathways that {threshold} or more people followed are shown.",
            id="pathways-intro",
        )
        yield PagedFigure(
            "Pathways, most common first",
            lambda page: self.review.pathways(self.drill, self.filters, page),
            id="pathways",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Pathways"

    def action_close(self) -> None:
        self.dismiss(None)
