"""Serving the app in a browser with textual-serve, working with no internet access."""
