"""The publisher: site settings, the pages content may link to, and the people credited."""

from __future__ import annotations

import datetime
import enum
import re
from typing import Final
from zoneinfo import ZoneInfo, available_timezones

import attrs

from spikecontent.model.fields import FieldError, href, identifier, must_be, non_empty_text
from spikecontent.model.media import Icon

__all__ = ["Page", "Person", "Role", "Site"]


@attrs.frozen(kw_only=True)
class Page:
    """A page of the website that prose may link to as ``page:<id>``."""

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=non_empty_text)
    path: str = attrs.field(validator=href)
    """Site-relative path (``/reviews``) or absolute URL."""


_base_url = must_be(
    "an https:// URL ending in '/'",
    lambda value: value.startswith("https://") and value.endswith("/"),
    "write the site's root URL, e.g. 'https://www.example.com/'",
)


_LANGUAGE_TAG: Final = re.compile(
    r"[a-z]{2,3}"  # language: en, zh, haw
    r"(?:-[A-Za-z]{4})?"  # script: Hant, Latn
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region: US, TW, 419
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants: 1901, valencia
)
"""A BCP 47 language tag without extensions or private use: language, then optionally
script, region and variants (RFC 5646's langtag with no extlang). Every channel publishes
it as it is: html lang, JSON-LD inLanguage, the feeds' language and xml:lang."""

_language = must_be(
    "a BCP 47 language tag (a language, then optionally a script, a region and variants)",
    lambda value: _LANGUAGE_TAG.fullmatch(value) is not None,
    "use a tag such as 'en', 'en-US', 'es-419', 'sr-Latn' or 'zh-Hant-TW'",
)
_timezone = must_be(
    "an IANA time zone",
    lambda value: value == "UTC" or value in available_timezones(),
    "use a name such as 'UTC', 'Europe/London' or 'America/New_York'",
)


@attrs.frozen(kw_only=True)
class Site:
    """The publisher and its website."""

    name: str = attrs.field(validator=non_empty_text)
    base_url: str = attrs.field(validator=_base_url)
    """Absolute root URL ending in ``/``; site paths resolve against it."""
    language: str = attrs.field(validator=_language)
    """BCP 47 tag of the content, e.g. ``en-US``."""
    timezone: str = attrs.field(default="UTC", validator=_timezone)
    """IANA zone in which content dates (calendar days) begin; feeds need an offset."""
    logo: str | None = attrs.field(default=None, validator=href)
    media_url: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_base_url)
    )
    """Absolute URL ending in ``/`` where the content folder's pictures are published
    (``images/mat.jpg`` is then at ``<media_url>images/mat.jpg``); needed once content
    shows a picture."""
    icon: Icon | None = attrs.field(default=None)
    """The site's icon (favicon), linked from every page's head: an ``.ico`` is also
    served as ``/favicon.ico``; a ``.png`` is linked at ``media_url`` (needed then)."""
    pages: tuple[Page, ...] = ()

    @icon.validator
    def _icon_published(self, attribute: attrs.Attribute[Icon | None], value: Icon | None) -> None:
        if value is not None and value.media_type == "image/png" and self.media_url is None:
            raise FieldError(
                attribute.name,
                f"the icon {value.file!r} is a PNG, which pages link at media_url, and"
                " site.yaml has no media_url",
                "add media_url to site.yaml (where the content folder's pictures are"
                " published), or give an .ico icon (served as /favicon.ico)",
            )

    def media(self, file: str) -> str | None:
        """The published URL of the content file ``file``; None without ``media_url``."""
        return self.media_url + file if self.media_url else None

    def day_start(self, day: datetime.date) -> datetime.datetime:
        """The timezone-aware instant at which the calendar day ``day`` begins on this site.

        Content dates are calendar days; channels that need an instant (JSON-LD dates,
        feed entries) take the start of the day in :attr:`timezone`.
        """
        zone = datetime.UTC if self.timezone == "UTC" else ZoneInfo(self.timezone)
        return datetime.datetime.combine(day, datetime.time(), zone)


class Role(enum.Enum):
    """What a person does for the content."""

    AUTHOR = "author"
    CURATOR = "curator"
    REVIEWER = "reviewer"
    EDITOR = "editor"


@attrs.frozen(kw_only=True)
class Person:
    """Someone credited on content."""

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=non_empty_text)
    role: Role
    """Their usual role; an article credit may give another."""
    url: str | None = attrs.field(default=None, validator=href)
