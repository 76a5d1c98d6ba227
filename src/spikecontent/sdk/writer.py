"""The writer interface: what a channel implements to plug into ``spikecontent export``.

A writer is made once per export profile, with that profile's :class:`WriterContext`, and
serves every step of it: an optional :meth:`Writer.prepare`, then :meth:`Writer.plan`,
which names the artifacts with the content entries and template files each depends on, and
:meth:`Writer.render`, which returns the bytes of one. Writers never touch the file system:
the pipeline reads templates for them, decides what is up to date, renders in parallel and
writes every file atomically.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.model import ARTICLES, Article, EntryKey, Library
from spikecontent.model.fields import FieldPath
from spikecontent.sdk.templates import Templates

__all__ = [
    "Artifact",
    "ContentFailure",
    "HealthText",
    "NoOptions",
    "Part",
    "PartBytes",
    "Remember",
    "Wording",
    "Writer",
    "WriterContext",
    "WriterWarning",
]

OptionsT = TypeVar("OptionsT")
PartBytes = bytes | memoryview
"""What :meth:`Writer.join` gets for each part: its bytes, or, for a part kept from the
last export, a view of them in the file that holds them (no copy)."""
T = TypeVar("T")


class Remember(Protocol):
    """How a writer keeps what it derives from content between exports (see
    :attr:`WriterContext.remember`)."""

    def __call__(self, name: str, entries: tuple[EntryKey, ...], make: Callable[[], T]) -> T:
        """``make()``, or what it gave before for the same name and content."""
        ...


def make_afresh(name: str, entries: tuple[EntryKey, ...], make: Callable[[], T]) -> T:
    """A :class:`Remember` that keeps nothing."""
    return make()


@attrs.frozen(kw_only=True)
class Part:
    """One piece of a composed artifact (see :attr:`Artifact.parts`)."""

    key: str
    """What :meth:`Writer.render_part` needs to tell the parts apart, e.g. a macro id;
    unique within its artifact."""
    entries: tuple[EntryKey, ...]
    """Content entries the part is made from; the pipeline adds what they reference and
    the site."""


@attrs.frozen(kw_only=True)
class Artifact:
    """One output file a writer will make."""

    path: str
    """Where, relative to the profile's output folder, with ``/`` separators."""
    entries: tuple[EntryKey, ...] = ()
    """Content entries it is made from (e.g. ``ARTICLES.key(slug)``). Entries they
    reference, and the site, are added by the pipeline."""
    templates: tuple[str, ...] = ()
    """Template or style files it reads through :attr:`WriterContext.templates`."""
    subject: str = ""
    """What :meth:`Writer.render` needs to tell artifacts apart, e.g. an article slug."""
    parts: tuple[Part, ...] | None = None
    """Set (to a tuple, empty when there is nothing to hold) for a file made of many
    independent pieces (every reply in one import file):
    the pipeline renders each with :meth:`Writer.render_part`, reads back each with
    :meth:`Writer.health_texts` and puts them together with :meth:`Writer.join`; it never
    calls :meth:`Writer.render` for it. An export renders again only the parts whose
    inputs changed and reuses the bytes of the others. ``entries`` still names every
    entry of the whole file."""

    @classmethod
    def of_article(cls, article: Article, path: str, templates: tuple[str, ...] = ()) -> Artifact:
        """The artifact at ``path`` made from ``article`` alone (a page, a leaflet, a
        document per article), told apart by its slug."""
        return cls(
            path=path,
            entries=(ARTICLES.key(article.slug),),
            templates=templates,
            subject=article.slug,
        )


@attrs.frozen(kw_only=True)
class HealthText:
    """A health-related part of a rendered artifact, as its readers get it."""

    part: str
    """Which part, for the error message: ``"leaflet"``, ``"entry <id>"``, a macro id."""
    article: str
    """The slug of the article whose disclaimer the part must carry."""
    text: str
    brief: bool = False
    """A part with little room (a support reply): the disclaimer's ``short_text`` is
    enough, when the content gives one."""


@attrs.frozen(kw_only=True)
class Wording:
    """Words a writer adds around the content, taken from its profile's options (a
    greeting, a closing line, a title): the lint gate reads them like content."""

    path: FieldPath
    """Where in the options, e.g. ``("greeting",)`` or ``("macros", 2, "title")``."""
    text: str


@attrs.frozen(kw_only=True)
class WriterWarning:
    """A problem worth a look in one artifact, that does not stop the export."""

    path: str
    """The artifact's path, as in its :class:`Artifact`."""
    message: str


class ContentFailure(SpikecontentError):
    """Content that a writer cannot render, raised from ``prepare()``, ``plan()`` or
    ``render()`` with the place that caused it: the export reports it at that entry's
    ``file:line:col`` and field, like a content error, instead of as a writer failure.

    ``ContentFailure(ARTICLES.key(slug), ("faq", "items", 2, "answer"), "the reply is
    25,000 bytes, over the 20,480-byte limit", fix="shorten this answer")``
    """

    def __init__(self, entry: EntryKey, path: FieldPath, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.entry = entry
        self.path = path
        self.message = message
        self.fix = fix

    def __reduce__(self) -> tuple[Any, ...]:
        # It travels back from rendering processes.
        return (ContentFailure, (self.entry, self.path, self.message, self.fix))


@attrs.frozen(kw_only=True)
class NoOptions:
    """For writers that take no options: any option in a profile is an error."""


@attrs.frozen(kw_only=True)
class WriterContext(Generic[OptionsT]):
    """Everything a writer may read: the content, its profile's options and templates."""

    library: Library
    articles: tuple[Article, ...]
    """The articles this profile exports, in library order."""
    options: OptionsT
    """An instance of the writer's :attr:`Writer.options`, from the profile's ``[options]``."""
    templates: Templates
    profile: str
    """The profile's name (its file name without ``.toml``)."""
    remember: Remember = attrs.field(default=make_afresh, eq=False, repr=False)
    """``remember(name, entries, make)`` is ``make()``, or the value it gave in this
    process's last export for the same ``name``, writer version and options, when
    ``entries``, everything they reference and the site are unchanged: what a writer derives
    from one article (its replies, its warnings) is made again only for the articles that
    changed. ``make`` must depend on nothing else; its value must not be changed after."""


class Writer(abc.ABC, Generic[OptionsT]):
    """Base class of every channel writer, built in or installed from another package.

    Subclass it as ``Writer[MyOptions]`` and set :attr:`options` to ``MyOptions``; register
    the subclass under the ``spikecontent.writers`` entry-point group, with the entry-point
    name equal to :attr:`name`. One instance serves one profile: ``self.context`` holds
    what it may read, typed by its options class.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    """Bump it whenever the same content would give different bytes."""
    description: ClassVar[str]
    """One line, shown by ``spikecontent writers``."""
    options: ClassVar[type[Any]] = NoOptions
    """A frozen attrs class; a profile's ``[options]`` table is checked against it."""
    templates: ClassVar[str | None] = None
    """The package holding the writer's default templates, if it has any."""
    on_demand: ClassVar[bool] = False
    """Whether a server should render its artifacts on first request rather than at
    start-up (set it when one render takes long, as a PDF leaflet does)."""

    def __init__(self, context: WriterContext[OptionsT]) -> None:
        self.context = context

    def prepare(self) -> None:
        """Build once what several artifacts share, before :meth:`plan`. Nothing by
        default. Whatever it keeps on ``self`` must be picklable: rendering may happen in
        worker processes."""

    @abc.abstractmethod
    def plan(self) -> Iterable[Artifact]:
        """Every artifact this writer makes, without rendering any."""

    @abc.abstractmethod
    def render(self, artifact: Artifact) -> bytes:
        """The complete bytes of ``artifact``. Must not depend on anything but the context."""

    def render_part(self, artifact: Artifact, part: Part) -> bytes:
        """The bytes of one of a composed artifact's :attr:`~Artifact.parts`. Must not
        depend on anything but the context and the part's entries."""
        raise NotImplementedError(f"{self.name} plans parts but does not render them")

    def join(self, artifact: Artifact, parts: Sequence[PartBytes]) -> bytes:
        """The complete bytes of a composed artifact from its parts' bytes, in order.
        Parts may be memory views: ``bytes.join`` takes them as they are; anything else
        should take ``bytes(part)``."""
        raise NotImplementedError(f"{self.name} plans parts but does not join them")

    def join_chunks(self, artifact: Artifact, parts: Sequence[PartBytes]) -> Iterable[PartBytes]:
        """What :meth:`join` returns, as chunks the export writes in turn, so that a large
        composed file is never held whole. Override it (and make :meth:`join` their
        ``b"".join``) when the file is its parts, as given, with bytes between them: each
        part yielded as the very object it came as is written without a copy. The
        default is :meth:`join`'s bytes, one chunk."""
        return (self.join(artifact, parts),)

    def health_texts(self, artifact: Artifact, data: bytes) -> Iterable[HealthText]:
        """The health-related parts of ``data``, read back from the rendered bytes (for a
        composed artifact, ``data`` is one part's).

        Export checks that each carries its article's disclaimer, word for word, before
        anything is written. Writers of health content must implement it; the default,
        no parts, is for channels that carry none.
        """
        return ()

    def warnings(self) -> Iterable[WriterWarning]:
        """Problems worth a look that do not stop the export. None by default."""
        return ()

    def wording(self) -> Iterable[Wording]:
        """The words this profile's options add to what readers get; the lint gate checks
        them with the content. None by default."""
        return ()
