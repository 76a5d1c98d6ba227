"""Field helpers shared by the model: validators that name the fix, and reference fields.

Validators raise :class:`FieldError`, which carries the attribute name. cattrs reports an
exception raised inside ``__init__`` without the field it came from; carrying the name here
lets the loader point at the exact key in the YAML file.
"""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import Any, ClassVar, Final

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.links import ARTICLE_SCHEME, PAGE_SCHEME, check_href, check_id

__all__ = [
    "CrossChecked",
    "FieldError",
    "FieldPath",
    "Validator",
    "href",
    "identifier",
    "identifiers",
    "is_link",
    "must_be",
    "non_empty",
    "non_empty_text",
    "positive",
    "ref",
    "refs",
    "refuse",
    "site_folder",
    "site_path",
]

REF_KIND: Final = "spikecontent.ref"
"""attrs metadata key: the library collection a field's id (or ids) must exist in."""


FieldPath = tuple[str | int, ...]


class FieldError(SpikecontentError, ValueError):
    """A field value that failed validation, with the field it belongs to and the fix.

    ``field`` is an attribute name, or a path such as ``("limitations", 2)``.
    """

    def __init__(
        self,
        field: str | FieldPath,
        message: str,
        fix: str,
        *,
        first_at: FieldPath | None = None,
    ) -> None:
        self.path: FieldPath = (field,) if isinstance(field, str) else field
        super().__init__(f"{'.'.join(map(str, self.path))}: {message}")
        self.message = message
        self.fix = fix
        self.first_at = first_at
        """For a duplicate: the path (from the same object) of the first copy."""
        self.also: tuple[FieldError, ...] = ()
        """The problems one check found after this one (a second bad id in the same
        list): the loader reports them all; a model built by hand stops at this one."""


def refuse(problems: list[FieldError]) -> None:
    """Raise the first of ``problems``, carrying the others in :attr:`FieldError.also`;
    nothing when there are none. For a check that goes on after its first problem."""
    if problems:
        first, *others = problems
        first.also = tuple(others)
        raise first


class CrossChecked:
    """A model whose checks across fields are its methods named in :attr:`CROSS_CHECKS`,
    each run on its own. Built by hand, it refuses the first problem of all of them
    (carrying the rest); the loader, given a file in which some fields failed, runs each
    check that does not read one of those, so no check's problem waits for another's fix."""

    __slots__ = ()
    CROSS_CHECKS: ClassVar[tuple[str, ...]] = ()

    def __attrs_post_init__(self) -> None:
        problems: list[FieldError] = []
        for name in self.CROSS_CHECKS:
            try:
                getattr(self, name)()
            except FieldError as problem:
                problems.extend((problem, *problem.also))
        refuse(problems)


Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def must_be(what: str, test: Callable[[Any], object], fix: str) -> Validator:
    """An attrs validator: a value ``test`` refuses fails as "``<value>`` is not
    ``<what>``", with ``fix``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not test(value):
            raise FieldError(attribute.name, f"{value!r} is not {what}", fix)

    return check


def site_folder(value: str) -> bool:
    """Whether ``value`` is a folder of the site: ``/feeds/``, starting and ending with
    ``/``, with no empty segment."""
    return value.startswith("/") and value.endswith("/") and "//" not in value


def _identifier(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    problem = check_id(value)
    if problem:
        raise FieldError(attribute.name, f"{value!r} is not a valid id", problem)


MAX_COUNT: Final = 10_000_000
"""The largest count (of participants, say) the model believes: a larger one is a typo."""


def _positive(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < 1:
        raise FieldError(
            attribute.name, f"must be at least 1, got {value}", "use a count of 1 or more"
        )
    if value is not None and value > MAX_COUNT:
        raise FieldError(
            attribute.name,
            f"must be at most {MAX_COUNT:,}, got {value:,}",
            "check the number against the source",
        )


def _non_empty(_: object, attribute: attrs.Attribute[Any], value: Sized) -> None:
    if len(value) == 0:
        raise FieldError(attribute.name, "must not be empty", "add at least one entry")


def _non_empty_text(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not value.strip():
        raise FieldError(attribute.name, "must not be blank", "write the text, or remove the field")


def _href(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    problem = check_href(value)
    if problem:
        raise FieldError(
            attribute.name,
            f"{value!r} is not an allowed link",
            f"{problem}; for example 'page:reviews' or '/reviews'",
        )


identifier: Final[Validator] = _identifier
positive: Final[Validator] = _positive
non_empty: Final[Validator] = _non_empty
non_empty_text: Final[Validator] = _non_empty_text
href: Final[Validator] = _href


def _site_path(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Where an entry lives: a site path or an http(s) URL the link policy allows. A link
    that is no place (a page's, an article's, a mailto:) is refused with its own words:
    the entry would take that page's URL (its canonical link, the sitemap, the feeds)
    while its own page is written at ``<slug>/index.html``."""
    if value is None or (not check_href(value) and value.startswith(("/", "https://", "http://"))):
        return
    if value.startswith((PAGE_SCHEME, ARTICLE_SCHEME)):
        what = "a page" if value.startswith(PAGE_SCHEME) else "an article"
        message = f"{value!r} is a link to {what}, not where this article lives"
    else:
        message = f"{value!r} is not a site path or URL"
    slug = getattr(instance, "slug", None) or "<slug>"
    raise FieldError(
        attribute.name,
        message,
        f"write the site path the article is published at, such as '/guides/{slug}/', or its"
        f" https:// URL; or remove the field for the default '/{slug}/'",
    )


site_path: Final[Validator] = _site_path
"""A place on the site (``Article.path``): a site path or an http(s) URL, no other link."""


def is_link(field: attrs.Attribute[Any]) -> bool:
    """Whether ``field`` holds a link (:data:`href` or :data:`site_path`): channels make
    it absolute, and the library checks where it points."""
    return field.validator is href or field.validator is site_path


def ref(kind: str, **kwargs: Any) -> Any:
    """An attrs field holding the id of an entity in the library collection ``kind``."""
    validators: list[Validator] = [_identifier]
    if kwargs.get("default", attrs.NOTHING) is None:
        validators = [attrs.validators.optional(_identifier)]
    return attrs.field(metadata={REF_KIND: kind}, validator=validators, **kwargs)


def _identifiers(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    problems: list[FieldError] = []
    for index, item in enumerate(value):
        problem = check_id(item)
        if problem:
            # Point at the item, not the whole list.
            problems.append(
                FieldError((attribute.name, index), f"{item!r} is not a valid id", problem)
            )
    refuse(problems)


identifiers: Final[Validator] = _identifiers
"""Every item of a tuple is a valid id; an error names the item's index."""


def refs(kind: str, *, required: bool = False, **kwargs: Any) -> Any:
    """An attrs field holding a tuple of ids in the library collection ``kind``."""
    validators: list[Validator] = [_identifiers]
    if required:
        validators.append(_non_empty)
    else:
        kwargs.setdefault("default", ())
    return attrs.field(metadata={REF_KIND: kind}, validator=validators, **kwargs)
