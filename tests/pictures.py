"""Real picture files for tests, made with Pillow (WeasyPrint's own dependency)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

__all__ = ["MERCHANT_OFFER", "MERCHANT_PRODUCT", "picture", "with_merchant_listing"]


def picture(width: int, height: int, kind: str = "PNG", colour: str = "#3f8f76") -> bytes:
    """A ``width`` x ``height`` picture in ``kind`` (PNG, JPEG or WEBP)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format=kind)
    return out.getvalue()


# Test data only: a shop that publishes its pictures, shipping and return policy (the
# seed's content gives none of them, and content/ stays without them). The GTIN is made
# on GS1's example company prefix, 0614141; the return fees are left out on purpose, so
# that the export warns about them.
MERCHANT_PRODUCT = """
description: A cotton mat with plastic acupressure points, and a matching pillow.
brand: SpikeRest
sku: SR-MAT-01
gtin: "0614141000012"
image:
  file: images/spikerest-mat.png
  alt: A rolled-out SpikeRest mat with its pillow, seen from above
"""
MERCHANT_OFFER = """
condition: new
availability: in-stock
return_countries: [US]
return_method: by-mail
shipping:
  countries: [US]
  handling_days: {min: 0, max: 1}
  transit_days: {min: 2, max: 5}
"""


def with_merchant_listing(content: Path) -> Path:
    """``content`` (a copy) with pictures, a media URL, and a complete product and offer."""
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "spikerest-mat.png").write_bytes(picture(640, 480))
    (content / "images" / "lead.jpg").write_bytes(picture(1200, 675, "JPEG", "#d8e8e1"))
    site = content / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace(
            "\nlanguage:", "\nmedia_url: https://media.spikerest.example/content/\nlanguage:", 1
        ),
        encoding="utf-8",
    )
    for relative, extra in (
        ("products/spikerest-mat.yaml", MERCHANT_PRODUCT),
        ("offers/spikerest-mat-standard.yaml", MERCHANT_OFFER),
    ):
        path = content / relative
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    article = content / "articles" / "acupressure-mat-benefits.yaml"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "\nmodified: 2026-07-04",
            "\nimage:\n  file: images/lead.jpg\n  alt: A mat on a wooden floor beside a pillow"
            "\npublished: 2025-11-02\nmodified: 2026-07-04",
            1,
        ),
        encoding="utf-8",
    )
    return content
