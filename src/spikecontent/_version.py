"""The installed version of spikecontent, read once from its distribution metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("spikecontent")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
