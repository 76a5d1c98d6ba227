"""``spikecontent preview``: each article as a reader sees it, in a local browser page, with
its lint findings marked in place, its other channels beside it, and updates on save."""

from spikecontent.preview.server import PreviewServer
from spikecontent.preview.state import PreviewState

__all__ = ["PreviewServer", "PreviewState"]
