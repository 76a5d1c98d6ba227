"""spikecontent: honest health-adjacent product content, typed once, exported everywhere.

>>> import spikecontent
>>> library = spikecontent.load("content")
>>> article = library.resolve("acupressure-mat-benefits")
>>> report = spikecontent.export("content", out="dist")
"""

from importlib.metadata import PackageNotFoundError, version

from spikecontent.diagnostics import ContentError, Diagnostic
from spikecontent.document import article_document
from spikecontent.loading.converter import structure, unstructure
from spikecontent.loading.loader import load
from spikecontent.model import (
    COLLECTIONS,
    Article,
    Byline,
    Caution,
    CautionList,
    Citation,
    Credit,
    Disclaimer,
    EvidenceTable,
    Faq,
    FaqEntry,
    FieldError,
    Library,
    LibraryError,
    MeasureKind,
    Offer,
    Outcome,
    Page,
    Person,
    PriceBasis,
    Problem,
    Product,
    Research,
    ResolvedArticle,
    ResolvedCitation,
    ResolvedCredit,
    Revision,
    Role,
    Sample,
    SampleGroup,
    Section,
    Site,
    Status,
    Study,
    StudyDesign,
    Tip,
    Tips,
    Verification,
)
from spikecontent.pipeline import ExportReport, Writer, export
from spikecontent.richtext import RichText, parse_prose, to_html, to_plain_text

try:
    __version__ = version("spikecontent")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "COLLECTIONS",
    "Article",
    "Byline",
    "Caution",
    "CautionList",
    "Citation",
    "ContentError",
    "Credit",
    "Diagnostic",
    "Disclaimer",
    "EvidenceTable",
    "ExportReport",
    "Faq",
    "FaqEntry",
    "FieldError",
    "Library",
    "LibraryError",
    "MeasureKind",
    "Offer",
    "Outcome",
    "Page",
    "Person",
    "PriceBasis",
    "Problem",
    "Product",
    "Research",
    "ResolvedArticle",
    "ResolvedCitation",
    "ResolvedCredit",
    "Revision",
    "RichText",
    "Role",
    "Sample",
    "SampleGroup",
    "Section",
    "Site",
    "Status",
    "Study",
    "StudyDesign",
    "Tip",
    "Tips",
    "Verification",
    "Writer",
    "__version__",
    "article_document",
    "export",
    "load",
    "parse_prose",
    "structure",
    "to_html",
    "to_plain_text",
    "unstructure",
]
