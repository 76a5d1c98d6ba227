"""The writer interface: what a channel implements to plug into ``spikecontent export``.

A writer is two pure steps. :meth:`Writer.plan` names the artifacts it makes, each with the
content entries and template files it depends on; :meth:`Writer.render` returns the bytes
of one artifact. Writers never touch the file system: the pipeline reads templates for
them, decides what is up to date, renders in parallel and writes every file atomically.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from spikecontent.model import Article, Library
from spikecontent.pipeline.templates import Templates

__all__ = ["SITE", "Artifact", "HealthText", "NoOptions", "Writer", "WriterContext", "entry"]

SITE = "site"
"""The entry key of ``site.yaml``; every artifact depends on it."""


def entry(collection: str, ident: str) -> str:
    """The key of one content entry, e.g. ``entry("articles", slug)`` is ``articles/<slug>``."""
    return f"{collection}/{ident}"


@attrs.frozen(kw_only=True)
class Artifact:
    """One output file a writer will make."""

    path: str
    """Where, relative to the profile's output folder, with ``/`` separators."""
    sources: tuple[str, ...] = ()
    """Content entries it is made from (see :func:`entry`). Entries they reference, and the
    site, are added by the pipeline."""
    templates: tuple[str, ...] = ()
    """Template or style files it reads through :attr:`WriterContext.templates`."""
    subject: str = ""
    """What :meth:`Writer.render` needs to tell artifacts apart, e.g. an article slug."""


@attrs.frozen(kw_only=True)
class HealthText:
    """A health-related part of a rendered artifact, as its readers get it."""

    part: str
    """Which part, for the error message: ``"leaflet"``, ``"entry <id>"``, a macro id."""
    article: str
    """The slug of the article whose disclaimer the part must carry."""
    text: str


@attrs.frozen(kw_only=True)
class NoOptions:
    """For writers that take no options: any option in a profile is an error."""


@attrs.frozen(kw_only=True)
class WriterContext:
    """Everything a writer may read: the content, its profile's options and templates."""

    library: Library
    articles: tuple[Article, ...]
    """The articles this profile exports, in library order."""
    options: Any
    """An instance of the writer's :attr:`Writer.options`, from the profile's ``[options]``."""
    templates: Templates
    profile: str
    """The profile's name (its file name without ``.toml``)."""


class Writer(abc.ABC):
    """Base class of every channel writer, built in or installed from another package.

    Register a subclass under the ``spikecontent.writers`` entry-point group, with the
    entry-point name equal to :attr:`name`.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    """Bump it whenever the same content would give different bytes."""
    description: ClassVar[str]
    """One line, shown by ``spikecontent writers``."""
    options: ClassVar[type] = NoOptions
    """A frozen attrs class; a profile's ``[options]`` table is checked against it."""
    templates: ClassVar[str | None] = None
    """The package holding the writer's default templates, if it has any."""

    @abc.abstractmethod
    def plan(self, context: WriterContext) -> Iterable[Artifact]:
        """Every artifact this writer makes for ``context``, without rendering any."""

    @abc.abstractmethod
    def render(self, artifact: Artifact, context: WriterContext) -> bytes:
        """The complete bytes of ``artifact``. Must not depend on anything but ``context``."""

    def health_texts(
        self, artifact: Artifact, data: bytes, context: WriterContext
    ) -> Iterable[HealthText]:
        """The health-related parts of ``data``, read back from the rendered bytes.

        Export checks that each carries its article's disclaimer, word for word, before
        anything is written. Writers of health content must implement it; the default,
        no parts, is for channels that carry none.
        """
        return ()

    def warnings(self, context: WriterContext) -> Iterable[str]:
        """Problems worth a look that do not stop the export, each naming the artifact
        path it concerns first (``"faq.txt: 212 words, ..."``). None by default."""
        return ()
