"""The typed content model: frozen, slotted, keyword-only attrs classes.

The model knows nothing about files or channels; :mod:`spikecontent.loading` builds it from
``content/`` and writers render from it.
"""

import typing

from spikecontent._lazy import imported_names as _imported_names

# Each name is written once: a whole module's __all__ through a star import, a module's
# single names as `Name as Name`; both are re-exports to mypy. The computed __all__ is for
# run time only, since mypy cannot read it and would hide every name it leaves out.
from spikecontent.model.article import Article as Article
from spikecontent.model.article import Byline as Byline
from spikecontent.model.article import CautionList as CautionList
from spikecontent.model.article import Citation as Citation
from spikecontent.model.article import Credit as Credit
from spikecontent.model.article import EvidenceTable as EvidenceTable
from spikecontent.model.article import Faq as Faq
from spikecontent.model.article import FaqEntry as FaqEntry
from spikecontent.model.article import Research as Research
from spikecontent.model.article import Revision as Revision
from spikecontent.model.article import Section as Section
from spikecontent.model.article import Status as Status
from spikecontent.model.article import Tip as Tip
from spikecontent.model.article import Tips as Tips
from spikecontent.model.collections import *  # noqa: F403
from spikecontent.model.commerce import Availability as Availability
from spikecontent.model.commerce import Condition as Condition
from spikecontent.model.commerce import DayRange as DayRange
from spikecontent.model.commerce import Offer as Offer
from spikecontent.model.commerce import PriceBasis as PriceBasis
from spikecontent.model.commerce import Product as Product
from spikecontent.model.commerce import ReturnFees as ReturnFees
from spikecontent.model.commerce import ReturnMethod as ReturnMethod
from spikecontent.model.commerce import Shipping as Shipping
from spikecontent.model.evidence import MeasureKind as MeasureKind
from spikecontent.model.evidence import Outcome as Outcome
from spikecontent.model.evidence import Sample as Sample
from spikecontent.model.evidence import SampleGroup as SampleGroup
from spikecontent.model.evidence import Study as Study
from spikecontent.model.evidence import StudyDesign as StudyDesign
from spikecontent.model.evidence import Verification as Verification
from spikecontent.model.fields import FieldError as FieldError
from spikecontent.model.library import *  # noqa: F403
from spikecontent.model.media import Icon as Icon
from spikecontent.model.media import Image as Image
from spikecontent.model.safety import *  # noqa: F403
from spikecontent.model.site import *  # noqa: F403

if not typing.TYPE_CHECKING:
    __all__ = _imported_names(globals())
