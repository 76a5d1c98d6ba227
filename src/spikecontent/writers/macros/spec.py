"""What a macros profile declares: which content becomes which macro, and the wording.

Nothing here names a FAQ entry or a caution: a profile lists *parts* of the article
(``faq`` makes one macro per FAQ entry), so new content becomes new macros without a code change.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from spikecontent.links import check_id
from spikecontent.model.fields import FieldError, non_empty_text
from spikecontent.writers.macros.targets import HELPDESKS

__all__ = ["DEFAULT_MACROS", "TARGETS", "ArticlePart", "MacroOptions", "MacroSpec"]


class ArticlePart(enum.Enum):
    """The part of an article a macro is made from."""

    FAQ = "faq"
    """One macro per FAQ entry: the question is the title, the answer the reply."""
    CAUTIONS = "cautions"
    """Who should not use the product: the caution list, word for word."""
    RESEARCH = "research"
    """What the research says: each cited study's key finding with what was tested and the
    sample's note, then the evidence takeaway."""
    USER_REPORTS = "user_reports"
    """What users describe (e.g. the first session)."""
    SLEEP = "sleep"
    """The article's sleep section."""
    TIPS = "tips"
    """The practical tips."""
    OFFER = "offer"
    """Price, shipping and guarantee."""

    @property
    def per_entry(self) -> bool:
        """Whether the part makes one macro per entry (its id needs ``{entry}``)."""
        return self is ArticlePart.FAQ


def _id_pattern(instance: MacroSpec, attribute: attrs.Attribute[Any], value: str) -> None:
    has_entry = "{entry}" in value
    if instance.part.per_entry and not has_entry:
        raise FieldError(
            attribute.name,
            f"{value!r} would give every {instance.part.value} entry the same id",
            "put {entry} in it, e.g. 'faq-{entry}'",
        )
    if not instance.part.per_entry and has_entry:
        raise FieldError(attribute.name, f"{instance.part.value} makes one macro", "remove {entry}")
    if value == "all":
        raise FieldError(
            attribute.name,
            "'all' is the file that holds every macro (all.txt)",
            "choose another id",
        )
    problem = check_id(value.replace("{entry}", "x").replace("{article}", "x"))
    if problem:
        raise FieldError(attribute.name, f"{value!r} is not a valid id pattern", problem)


@attrs.frozen(kw_only=True)
class MacroSpec:
    """One ``[[options.macros]]`` table."""

    part: ArticlePart
    id: str = attrs.field(validator=_id_pattern)
    """The macro id, also its file name; ``{entry}`` is the FAQ entry id, ``{article}`` the
    article slug (needed when a profile exports several articles)."""
    title: str | None = attrs.field(default=None, validator=non_empty_text)
    """The macro title; per-entry parts use the entry's question, others the section
    heading, when empty."""
    health: bool = attrs.field(default=True)
    """Health-related topics carry the cautions line and the disclaimer; only the offer may
    go without them."""

    @health.validator
    def _only_the_offer_is_no_health_topic(
        self, attribute: attrs.Attribute[bool], value: bool
    ) -> None:
        # Every other part speaks of the mat's effects or of who should not use it, and a
        # reply without the disclaimer would pass the export's read-back unseen (it reads
        # back the replies this flag names).
        if not value and self.part is not ArticlePart.OFFER:
            raise FieldError(
                attribute.name,
                f"the {self.part.value} replies are health topics, which carry the cautions"
                " line and the disclaimer",
                "remove 'health = false'; only the offer may go without them",
            )


TARGETS = tuple(HELPDESKS)
"""The helpdesks a profile may write import files for (``targets``)."""


def _visibility(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value not in (0, 1, 2):
        raise FieldError(
            attribute.name, f"must be 0, 1 or 2, got {value}", "0 all agents, 1 personal, 2 groups"
        )


def _targets(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for index, name in enumerate(value):
        if name not in TARGETS:
            raise FieldError(
                (attribute.name, index), f"{name!r} is not a target", f"use {', '.join(TARGETS)}"
            )


def _positive(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise FieldError(attribute.name, f"must be at least 1, got {value}", "use e.g. 150")


DEFAULT_MACROS = (
    MacroSpec(part=ArticlePart.FAQ, id="{article}-faq-{entry}"),
    MacroSpec(part=ArticlePart.CAUTIONS, id="{article}-who-should-not-use-it"),
    MacroSpec(part=ArticlePart.RESEARCH, id="{article}-what-the-research-says"),
    MacroSpec(
        part=ArticlePart.USER_REPORTS,
        id="{article}-first-session",
        title="First session: what to expect",
    ),
    MacroSpec(part=ArticlePart.OFFER, id="{article}-offer", health=False),
)


@attrs.frozen(kw_only=True)
class MacroOptions:
    """Options of the ``macros`` writer."""

    macros: tuple[MacroSpec, ...] = DEFAULT_MACROS
    """Which content becomes which macro, in board order."""
    targets: tuple[str, ...] = attrs.field(default=TARGETS, validator=_targets)
    """Helpdesk import files to write."""
    greeting: str = attrs.field(default="Hi", validator=non_empty_text)
    """Put before the customer's first name."""
    fallback_name: str = attrs.field(default="there", validator=non_empty_text)
    """Greets the customer where the helpdesk has no first name to fill in."""
    closing: str = attrs.field(default="Best wishes,", validator=non_empty_text)
    """The line above the agent's name."""
    read_more: str = attrs.field(default="Read more:", validator=non_empty_text)
    """Introduces the link to the source article."""
    max_words: int = attrs.field(default=150, validator=_positive)
    """Longer replies are reported as warnings."""
    espanso_prefix: str = attrs.field(default=":sr-", validator=non_empty_text)
    """espanso triggers are this prefix and the macro id."""
    freshdesk_folder_id: int | None = None
    """The Freshdesk canned-response folder to import into (account-specific; without it
    freshdesk.json is not written)."""
    freshdesk_folders: dict[str, int] = attrs.field(factory=dict)
    """A canned-response folder per article (slug to folder id), so that Freshdesk lists
    each article's replies in a folder of its own; other articles go to
    ``freshdesk_folder_id``."""
    zendesk_groups: dict[str, tuple[int, ...]] = attrs.field(factory=dict)
    """The Zendesk groups whose agents may use an article's macros (slug to group ids),
    as each macro's ``restriction``; an article not named here is open to every agent."""
    freshdesk_visibility: int = attrs.field(default=0, validator=_visibility)
    """Who sees the canned responses in Freshdesk: 0 all agents, 1 personal, 2 groups."""
    language: str = attrs.field(default="en", validator=non_empty_text)
    """ISO 639-1 code of the replies' language (Gorgias keeps it on each macro)."""
