"""The parts of an article a leaflet profile may choose (``sections`` option)."""

from __future__ import annotations

__all__ = ["SECTIONS"]

SECTIONS = ("brief", "research", "evidence", "user_reports", "sleep", "tips", "faq", "honesty")
"""The optional parts of a leaflet, in the order a page leaflet prints them.

The title, introduction, cautions, disclaimer, offer (with the product's reviews link),
reviewed line, byline and QR code are always printed: safety and legal text, and who
stands behind the words, are not a layout choice.
"""
