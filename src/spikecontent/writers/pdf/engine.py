"""HTML to PDF with WeasyPrint: locked-down fetching, warnings as errors, one font config.

WeasyPrint reports problems (a refused URL, an unknown CSS property, a missing glyph
fallback) as log warnings and carries on. Here every warning or error it logs during a
render is collected, and the render fails with all of them, so nothing is lost in a log.
"""

from __future__ import annotations

import atexit
import logging
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from spikecontent.diagnostics import SpikecontentError
from spikecontent.writers.pdf.fetcher import AssetFetcher
from spikecontent.writers.pdf.tagging import complete_tags

__all__ = ["PageCountMismatch", "RenderProblems", "font_configuration", "render_pdf"]


class RenderProblems(SpikecontentError):
    """Everything WeasyPrint complained about while rendering one document."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class PageCountMismatch(SpikecontentError):
    """A fixed fold whose content laid out on another number of pages."""

    def __init__(self, needed: int, allowed: int) -> None:
        super().__init__(f"the layout needs {needed} pages, not {allowed}")
        self.needed = needed
        self.allowed = allowed


@cache
def font_configuration() -> FontConfiguration:
    """The process's one font configuration; its font files are removed at exit."""
    # One per process: a new FontConfiguration per render grows memory without bound.
    return FontConfiguration()


def remove_font_files() -> None:
    """Remove the fonts this process's font configuration copied, if it made one."""
    # WeasyPrint copies each @font-face font into a temporary folder of its own, which it
    # removes in __del__; that does not run for an object still alive at exit, and every
    # export that printed a leaflet left a folder in /tmp (the worker processes' too).
    if font_configuration.cache_info().currsize:
        folder = getattr(font_configuration(), "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


atexit.register(remove_font_files)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collected() -> Iterator[_Collector]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def render_pdf(
    html: str,
    css: str,
    assets: Mapping[str, tuple[bytes, str]],
    *,
    variant: str | None,
    pages: int | None = None,
) -> bytes:
    """The PDF of ``html`` styled by ``css``; only ``assets`` can be loaded.

    With ``pages``, a layout that comes out at another page count is an error (a fixed
    fold cannot take a third page).
    """
    fetcher = AssetFetcher(assets)
    fonts = font_configuration()
    options: dict[str, Any] = {"font_config": fonts, "uncompressed_pdf": False}
    if variant:
        options["pdf_variant"] = variant
    with _collected() as collector:
        document = HTML(string=html, url_fetcher=fetcher, base_url="asset:")
        stylesheet = CSS(string=css, url_fetcher=fetcher, font_config=fonts, base_url="asset:")
        rendered = document.render(stylesheets=[stylesheet], **options)
        pdf_options = {k: v for k, v in options.items() if k != "font_config"}
        data: bytes = rendered.write_pdf(finisher=complete_tags, **pdf_options)
    problems = collector.messages + [f"refused URL {url}" for url in fetcher.refused]
    if problems:
        raise RenderProblems(sorted(set(problems)))
    if pages is not None and len(rendered.pages) != pages:
        raise PageCountMismatch(len(rendered.pages), pages)
    return data
