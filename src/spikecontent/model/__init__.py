"""The typed content model: frozen, slotted, keyword-only attrs classes.

The model knows nothing about files or channels; :mod:`spikecontent.loading` builds it from
``content/`` and writers render from it.
"""

from spikecontent.model.article import (
    Article,
    Byline,
    CautionList,
    Citation,
    Credit,
    EvidenceTable,
    Faq,
    FaqEntry,
    Research,
    Revision,
    Section,
    Status,
    Tip,
    Tips,
)
from spikecontent.model.commerce import Availability, Offer, PriceBasis, Product
from spikecontent.model.evidence import (
    MeasureKind,
    Outcome,
    Sample,
    SampleGroup,
    Study,
    StudyDesign,
    Verification,
)
from spikecontent.model.fields import FieldError
from spikecontent.model.library import (
    COLLECTIONS,
    Library,
    LibraryError,
    Problem,
    ResolvedArticle,
    ResolvedCitation,
    ResolvedCredit,
)
from spikecontent.model.safety import Caution, Disclaimer
from spikecontent.model.site import Page, Person, Role, Site

__all__ = [
    "COLLECTIONS",
    "Article",
    "Availability",
    "Byline",
    "Caution",
    "CautionList",
    "Citation",
    "Credit",
    "Disclaimer",
    "EvidenceTable",
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
]
