"""A deny-all URL fetcher: the leaflet may load its own assets and nothing else.

WeasyPrint fetches stylesheets, fonts and images through this fetcher (it is passed to
``HTML`` and to every ``CSS``). Only ``asset:<name>`` URLs are served, from a fixed map
built by the writer (packaged or overridden templates, the font files, the QR code). Any
other URL, ``http:``, ``file:``, ``data:`` or otherwise, is refused and recorded, never
opened; the writer turns a refusal into an export error.
"""

from __future__ import annotations

from collections.abc import Mapping

from weasyprint.urls import URLFetcher, URLFetcherResponse

from spikecontent.diagnostics import SpikecontentError

__all__ = ["ASSET_SCHEME", "AssetFetcher", "RefusedURL"]

ASSET_SCHEME = "asset:"


class RefusedURL(SpikecontentError, ValueError):
    """A URL outside the leaflet's own assets."""


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves ``asset:`` URLs from ``assets`` (name to bytes and media type)."""

    def __init__(self, assets: Mapping[str, tuple[bytes, str]]) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.assets = dict(assets)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """The asset named by ``url``, or :class:`RefusedURL`."""
        name = url.removeprefix(ASSET_SCHEME) if url.startswith(ASSET_SCHEME) else None
        if name is None or name not in self.assets:
            self.refused.append(url)
            raise RefusedURL(f"refused to fetch {url!r}: leaflets load only their own assets")
        self.served.append(url)
        body, media_type = self.assets[name]
        return URLFetcherResponse(url, body, headers={"Content-Type": media_type})
