"""Handlers for the `navigator` subcommands: thin front ends over the layers below."""
