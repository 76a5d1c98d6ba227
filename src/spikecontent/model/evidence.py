"""Studies: what each cited piece of research did, found, and cannot show."""

from __future__ import annotations

import datetime
import enum
import re
from typing import Any, Final

import attrs

from spikecontent.model.fields import (
    CrossChecked,
    FieldError,
    Validator,
    href,
    identifier,
    must_be,
    non_empty,
    non_empty_text,
    positive,
    ref,
    refuse,
)
from spikecontent.model.media import MEASURED

__all__ = [
    "DOI",
    "MeasureKind",
    "Outcome",
    "Sample",
    "SampleGroup",
    "Study",
    "StudyDesign",
    "StudyRecord",
    "UpdateKind",
    "UpdateNotice",
    "Verification",
    "valid_doi",
]

DOI: Final = re.compile(r"^10\.\d{4,9}/\S+$")
"""A bare DOI (``10.<registrant>/<suffix>``), without ``https://doi.org/``."""


class StudyDesign(enum.Enum):
    """How a study was designed; the label is what readers see."""

    EXPLORATORY = "exploratory"
    PILOT_STUDY = "pilot-study"
    PILOT_RANDOMIZED_TRIAL = "pilot-randomized-trial"
    RANDOMIZED_CONTROLLED_TRIAL = "randomized-controlled-trial"
    TRAINING_STUDY = "training-study"
    OBSERVATIONAL = "observational"
    SYSTEMATIC_REVIEW = "systematic-review"
    META_ANALYSIS = "meta-analysis"

    @property
    def label(self) -> str:
        """Reader-facing name, e.g. "randomized pilot study"."""
        return _DESIGN_LABELS[self]

    @property
    def is_pilot(self) -> bool:
        """True for designs the authors present as pilots: say "pilot" wherever cited."""
        return self in (StudyDesign.PILOT_STUDY, StudyDesign.PILOT_RANDOMIZED_TRIAL)

    @property
    def is_preliminary(self) -> bool:
        """True for pilot and exploratory designs, which point a direction, not prove it."""
        return self.is_pilot or self is StudyDesign.EXPLORATORY


_DESIGN_LABELS: Final = {
    StudyDesign.EXPLORATORY: "exploratory study",
    StudyDesign.PILOT_STUDY: "pilot study",
    StudyDesign.PILOT_RANDOMIZED_TRIAL: "randomized pilot study",
    StudyDesign.RANDOMIZED_CONTROLLED_TRIAL: "randomized controlled study",
    StudyDesign.TRAINING_STUDY: "training study",
    StudyDesign.OBSERVATIONAL: "observational study",
    StudyDesign.SYSTEMATIC_REVIEW: "systematic review",
    StudyDesign.META_ANALYSIS: "meta-analysis",
}


class MeasureKind(enum.Enum):
    """Whether an outcome is what participants report or what an instrument measures."""

    SELF_REPORTED = "self-reported"
    PHYSIOLOGICAL = "physiological"


def _several(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or value < 2):
        raise FieldError(
            attribute.name,
            f"{value} is not several studies",
            "give 2 or more when the source reports several studies together; leave it out for one",
        )


@attrs.frozen(kw_only=True)
class Outcome:
    """One thing a study measured and what happened to it."""

    measure: str = attrs.field(validator=non_empty_text)
    kind: MeasureKind
    result: str = attrs.field(validator=non_empty_text)


@attrs.frozen(kw_only=True)
class SampleGroup:
    """One arm or sub-study of a sample; ``n`` stays empty when the source does not give it."""

    label: str = attrs.field(validator=non_empty_text)
    n: int | None = attrs.field(default=None, validator=positive)


@attrs.frozen(kw_only=True)
class Sample:
    """How many took part (``n``) and how they split into groups.

    ``n`` is optional only because a source may not report it; a study cited without its
    sample size is something the editorial checks flag.
    """

    n: int | None = attrs.field(default=None, validator=positive)
    groups: tuple[SampleGroup, ...] = ()
    note: str | None = attrs.field(default=None, validator=non_empty_text)
    """How the total is made up when groups cannot say it, e.g. "two pilot studies"."""
    studies: int | None = attrs.field(default=None, validator=_several)
    """How many studies the source reports together under this one record (a pair of
    pilot studies: 2), when more than one; ``n`` is then their total. Channels then name
    them as studies ("pair of randomized pilot studies", "total n = 42"), not one."""

    def __attrs_post_init__(self) -> None:
        sizes = [group.n for group in self.groups]
        if self.n is not None and sizes and None not in sizes and sum(sizes) != self.n:  # type: ignore[arg-type]
            raise FieldError(
                "groups",
                f"group sizes add up to {sum(sizes)}, but n is {self.n}",  # type: ignore[arg-type]
                "correct n or the group sizes so that they agree",
            )


@attrs.frozen(kw_only=True)
class Verification:
    """When and by whom a study's details were checked against the paper."""

    date: datetime.date
    by: str = ref("people")


class UpdateKind(enum.Enum):
    """A notice a registry holds about a published study (Crossmark update types, the
    Retraction Watch data Crossref distributes, PubMed's publication types)."""

    RETRACTION = "retraction"
    CORRECTION = "correction"
    EXPRESSION_OF_CONCERN = "expression-of-concern"
    WITHDRAWAL = "withdrawal"

    @property
    def undermines(self) -> bool:
        """True when the study can no longer back a finding: retracted, withdrawn, or
        under an expression of concern."""
        return self is not UpdateKind.CORRECTION


@attrs.frozen(kw_only=True)
class UpdateNotice:
    """One update notice about a study, as the evidence lock records it."""

    kind: UpdateKind
    date: datetime.date | None = None
    """When the notice was issued, when the registry says."""


@attrs.frozen(kw_only=True)
class StudyRecord:
    """What the registries hold for a study, as ``spikecontent evidence check --refresh``
    recorded it in ``content/evidence.lock.yaml``: only set when the lock's record is for
    the study's own DOI. Read from the lock by the loader, never written in a study file."""

    checked: datetime.date
    """When the record was fetched."""
    pmid: int | None = None
    """The PubMed identifier, when PubMed holds the study."""
    updates: tuple[UpdateNotice, ...] = ()
    """Retractions, corrections, expressions of concern and withdrawals, oldest first."""


valid_doi: Final[Validator] = must_be(
    "a DOI",
    lambda value: value is None or DOI.fullmatch(value),
    "write the bare DOI such as '10.1155/2012/123456', without 'https://doi.org/'",
)
"""attrs validator: ``value`` is None or a bare :data:`DOI`."""


def _year(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    # The schema (schemas/generate.py) gives the same range to a field with this validator.
    if not 1900 <= value <= 2100:
        raise FieldError(
            attribute.name,
            f"{value} is not a plausible year",
            "check it against the paper: a study's year is from 1900 to 2100",
        )


@attrs.frozen(kw_only=True)
class Study(CrossChecked):
    """A piece of research the content cites, with its size and its own limits."""

    id: str = attrs.field(validator=identifier)
    year: int = attrs.field(validator=_year)
    design: StudyDesign
    sample: Sample
    population: str | None = attrs.field(default=None, validator=non_empty_text)
    intervention: str = attrs.field(validator=non_empty_text)
    comparator: str | None = attrs.field(default=None, validator=non_empty_text)
    duration: str | None = attrs.field(default=None, validator=non_empty_text)
    outcomes: tuple[Outcome, ...] = attrs.field(validator=non_empty)
    finding: str = attrs.field(validator=non_empty_text)
    """What it found, in plain language."""
    limitations: tuple[str, ...] = attrs.field(validator=non_empty)
    """Its limits, including those its authors state. Never empty."""
    venue: str | None = attrs.field(default=None, validator=non_empty_text)
    """Journal or publisher."""
    authors: tuple[str, ...] = ()
    """Authors as the source cites them; with ``et_al`` when the list is cut short."""
    et_al: bool = False
    title: str | None = attrs.field(default=None, validator=non_empty_text)
    doi: str | None = attrs.field(default=None, validator=valid_doi)
    url: str | None = attrs.field(default=None, validator=href)
    verified: Verification | None = None
    record: StudyRecord | None = attrs.field(default=None, metadata={MEASURED: True})
    """What the registries hold for the study's DOI, from ``content/evidence.lock.yaml``
    (set by the loader, never written in the study's file)."""

    CROSS_CHECKS = ("_check_limitations", "_check_et_al")

    def _check_limitations(self) -> None:
        refuse(
            [
                FieldError(
                    ("limitations", index),
                    "must not be blank",
                    "write the limitation or remove it",
                )
                for index, limitation in enumerate(self.limitations)
                if not limitation.strip()
            ]
        )

    def _check_et_al(self) -> None:
        if self.et_al and not self.authors:
            raise FieldError("et_al", "is set but no authors are listed", "list the first author")

    @property
    def is_pilot(self) -> bool:
        """True when the design is a pilot (see :attr:`StudyDesign.is_pilot`)."""
        return self.design.is_pilot

    @property
    def confirmed_doi(self) -> str | None:
        """The DOI when the evidence lock holds the registries' record for it (channels
        show only what the lock confirms); None for a DOI not checked yet."""
        return self.doi if self.record is not None else None

    @property
    def author_credit(self) -> str | None:
        """Authors as cited, e.g. "Hohmann et al.", or None when the source names nobody."""
        if not self.authors:
            return None
        names = ", ".join(self.authors)
        return f"{names} et al." if self.et_al else names
