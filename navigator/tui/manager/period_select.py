"""A Select for the filter bar that opens only when asked (Enter, Space or a click).

Textual's Select opens its menu on Down and Up as well. In a row of filters a
manager presses Down to move on, and an open menu then takes the next Enter as
a choice of period. Here Down and Up move focus instead, so the period changes
only when someone opens the menu and picks one.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Select


class FilterSelect(Select[str]):
    BINDINGS = [
        Binding("enter,space", "show_overlay", "Choose", show=False),
        Binding("down", "app.focus_next", "Next", show=False),
        Binding("up", "app.focus_previous", "Previous", show=False),
    ]
