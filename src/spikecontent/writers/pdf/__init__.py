"""The ``pdf`` writer: a printable, accessible leaflet per article (WeasyPrint).

The leaflet is HTML from a Jinja2 template (autoescaped) and a stylesheet, both packaged
here and overridable per profile; fonts are named files; the only URLs it may load are
its own assets (see :mod:`.fetcher`). The default output is tagged PDF/UA-1.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterator
from typing import Any

import attrs

from spikecontent.model import ARTICLES
from spikecontent.model.fields import FieldError
from spikecontent.sdk import Artifact, ContentFailure, HealthText, Writer
from spikecontent.writers.pdf.sections import SECTIONS

__all__ = ["LeafletInput", "PdfOptions", "PdfWriter"]

PAGE_SIZES = {"a5": "A5", "a4": "A4", "letter": "letter"}
TRIFOLD = "trifold"
VARIANTS = ("pdf/ua-1", "pdf/a-3b")
# What each preset carries unless its profile chooses: every section a page preset can
# flow onto more pages; the tri-fold's two sides leave the FAQ to the page it links to.
PRESET_SECTIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(PAGE_SIZES, SECTIONS),
    TRIFOLD: tuple(s for s in SECTIONS if s != "faq"),
}


def _templates(preset: str) -> tuple[str, str, str]:
    """The template, stylesheet and shared blocks of a preset (the tri-fold has its own)."""
    stem = TRIFOLD if preset == TRIFOLD else "leaflet"
    return (f"{stem}.html", f"{stem}.css", "parts.html")


def _one_of(what: str, choices: tuple[str, ...]) -> Any:
    """A validator: the value is one of ``choices`` (``what`` names them, e.g. "presets");
    another is refused naming them all and, when one is close, the closest."""

    def check(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
        if value in choices:
            return
        close = difflib.get_close_matches(value.lower(), choices, n=1, cutoff=0.5)
        raise FieldError(
            attribute.name,
            f"{value!r} is not one of the {what}: {', '.join(choices)}",
            f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(choices)}",
        )

    return check


def _sections(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...] | None) -> None:
    for index, name in enumerate(value or ()):
        if name not in SECTIONS:
            raise FieldError(
                (attribute.name, index),
                f"{name!r} is not a leaflet section",
                f"use some of {', '.join(SECTIONS)}",
            )
        if name in value[:index]:  # type: ignore[index]
            raise FieldError((attribute.name, index), f"{name!r} is listed twice", "list it once")


@attrs.frozen(kw_only=True)
class PdfOptions:
    """Options of the ``pdf`` writer."""

    preset: str = attrs.field(default="a5", validator=_one_of("presets", (*PAGE_SIZES, TRIFOLD)))
    """Page size: a5, a4 or letter; or trifold, an A4-landscape sheet folded in three."""
    variant: str = attrs.field(default="pdf/ua-1", validator=_one_of("variants", VARIANTS))
    """pdf/ua-1 (tagged, accessible) or pdf/a-3b (archiving)."""
    print_marks: bool = False
    """For a print shop: 3 mm bleed and crop marks."""
    sections: tuple[str, ...] | None = attrs.field(default=None, validator=_sections)
    """The optional sections to print (see ``SECTIONS``); unset: all the preset carries."""

    @property
    def chosen_sections(self) -> frozenset[str]:
        """The sections this leaflet prints."""
        return frozenset(PRESET_SECTIONS[self.preset] if self.sections is None else self.sections)


class PdfWriter(Writer[PdfOptions]):
    """A leaflet per article."""

    on_demand = True  # a leaflet takes most of a second to render

    name = "pdf"
    # 3: pictures without metadata; 4: a DOI only when the lock confirms it; 5: each study
    # row says what was tested and how its sample adds up; 6: the byline (its note's links
    # printed with their addresses) and the product's reviews link with its QR code
    version = "6"
    description = "Printable PDF leaflet per article (tagged PDF/UA-1 by default)"
    options = PdfOptions
    templates = "spikecontent.writers.pdf.templates"

    def plan(self) -> Iterator[Artifact]:
        """``<slug>.pdf`` for each article."""
        context = self.context
        templates = _templates(context.options.preset)
        for article in context.articles:
            yield Artifact.of_article(article, f"{article.slug}.pdf", templates)

    def render(self, artifact: Artifact) -> bytes:
        """The leaflet's PDF bytes."""
        context = self.context
        # Imported here: WeasyPrint is heavy, and only rendering needs it.
        from spikecontent.writers.pdf.engine import PageCountMismatch, render_pdf

        leaflet = self.leaflet_input(artifact)
        pages = 2 if context.options.preset == TRIFOLD else None
        try:
            return render_pdf(
                leaflet.html, leaflet.css, leaflet.assets, variant=leaflet.variant, pages=pages
            )
        except PageCountMismatch as overflow:
            # The sum of the sections overflows, not one field: the place is the article.
            raise ContentFailure(
                ARTICLES.key(artifact.subject),
                (),
                f"the article does not fit the tri-fold's two sides: {overflow}",
                fix="shorten the sections the tri-fold carries, or use the a5 or a4 preset",
            ) from None

    def health_texts(self, artifact: Artifact, data: bytes) -> Iterator[HealthText]:
        """The leaflet's text, extracted from the PDF as a reader's copy-paste gets it."""
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() for page in reader.pages)
        yield HealthText(part="leaflet", article=artifact.subject, text=text)

    def leaflet_input(self, artifact: Artifact) -> LeafletInput:
        """The final HTML, CSS and assets that WeasyPrint turns into the leaflet."""
        from spikecontent.sdk import environment
        from spikecontent.writers.pdf.fonts import font_assets, font_face_css
        from spikecontent.writers.pdf.leaflet import leaflet_values, picture_assets
        from spikecontent.writers.pictures import without_metadata

        context = self.context
        library = context.library
        resolved = library.resolve(artifact.subject)
        options: PdfOptions = context.options
        values = leaflet_values(library, resolved, options.chosen_sections)
        template, stylesheet, _parts = _templates(options.preset)
        html = (
            environment(context.templates)
            .get_template(template)
            .render(preset=options.preset, **values)
        )
        # The stylesheet comes first, so that any @import in it is where CSS allows one.
        css = context.templates.read_text(stylesheet) + font_face_css() + _page_css(options)
        offer = values["offer"]
        reviews = {"reviews-qr.svg": _qr(offer.reviews_url)} if offer and offer.reviews_url else {}
        assets = {
            **font_assets(),
            # Embedded without their metadata, as the media writer publishes them.
            **{
                name: (without_metadata(data, kind), kind)
                for name, (data, kind) in picture_assets(library, resolved).items()
            },
            "qr.svg": _qr(resolved.url),
            **reviews,
        }
        return LeafletInput(html=html, css=css, assets=assets, variant=options.variant)


@attrs.frozen(kw_only=True)
class LeafletInput:
    """What the writer hands to WeasyPrint for one leaflet."""

    html: str
    css: str
    assets: dict[str, tuple[bytes, str]]
    variant: str


def _qr(url: str) -> tuple[bytes, str]:
    """A QR code of ``url`` as an SVG asset (segno's output is the same for the same URL)."""
    import segno

    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", xmldecl=False, border=2)
    return svg.getvalue(), "image/svg+xml"


def _page_css(options: PdfOptions) -> str:
    rules = [] if options.preset == TRIFOLD else [f"size: {PAGE_SIZES[options.preset]};"]
    if options.print_marks:
        rules.append("bleed: 3mm; marks: crop;")
    return "\n@page { " + " ".join(rules) + " }\n"
