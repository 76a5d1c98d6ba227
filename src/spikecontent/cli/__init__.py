"""The ``spikecontent`` command line: a thin layer over the library."""

from spikecontent.cli.app import app, main

__all__ = ["app", "main"]
