"""`navigator advocate --site SITE`: the drop-in session tool.

It refuses to start without a site, because managers compare unmet need by
site and channel and a session recorded at "unknown" cannot be compared. It
refuses a knowledge base that `navigator validate` rejects, with the same
message, as the kiosk does: an advocate is helping a real person, who must
never follow an option that leads nowhere.

`navigator serve --mode advocate` runs this same handler in each browser tab;
nothing here assumes a terminal beyond what Textual needs.
"""

from __future__ import annotations

import argparse
import sys

from navigator.commands.loading import limits_for, load_knowledge
from navigator.config import Settings

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def advocate(arguments: argparse.Namespace, settings: Settings) -> int:
    """Open advocate mode for the site in the settings (`--site`, or `site` in the config)."""
    if settings.site == "unknown":
        print(
            "navigator advocate: no site is set. Give the site where this drop-in runs, "
            "such as: navigator advocate --site market-hall",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    knowledge = load_knowledge(
        settings.knowledge,
        "advocate",
        cache_dir=settings.data_dir / "cache",
        limits=limits_for(settings),
    )
    if knowledge is None:
        return EXIT_UNREADABLE
    from navigator.tui.advocate.app import AdvocateApp
    from navigator.tui.app import AppConfig
    from navigator.tui.theme import CALM

    app = AdvocateApp(
        AppConfig(
            settings=settings,
            knowledge=knowledge,
            channel="advocate",
            theme=CALM,
            style_cache=settings.data_dir / "cache",
        )
    )
    app.run()
    return app.return_code or EXIT_OK
