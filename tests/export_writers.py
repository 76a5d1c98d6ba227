"""Small writers for pipeline tests, importable by export worker processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence

import attrs

from spikecontent.model import ARTICLES
from spikecontent.sdk import Artifact, NoOptions, Part, PartBytes, Writer


@attrs.frozen(kw_only=True)
class EchoOptions:
    declare: bool = True
    """False reads the frame template without declaring it, which the pipeline refuses."""


class EchoWriter(Writer[EchoOptions]):
    """``<slug>.txt``: the article title inside the ``frame.txt`` template."""

    name = "echo"
    version = "1"
    description = "Article titles in a frame, for tests"
    options = EchoOptions
    templates = "tests.echo_templates"

    def plan(self) -> Iterator[Artifact]:
        context = self.context
        declared = ("frame.txt",) if context.options.declare else ()
        for article in context.articles:
            yield Artifact(
                path=f"{article.slug}.txt",
                entries=(ARTICLES.key(article.slug),),
                templates=declared,
                subject=article.slug,
            )

    def render(self, artifact: Artifact) -> bytes:
        context = self.context
        title = context.library.article(artifact.subject).title
        frame = context.templates.read_text("frame.txt")
        return frame.replace("{{title}}", title).encode()


@attrs.frozen(kw_only=True)
class BoomOptions:
    fail_on: str = ""
    """The slug whose artifact raises."""
    interrupt: bool = False
    """Raise KeyboardInterrupt instead, as Ctrl-C in the middle of a run would."""
    die: bool = False
    """In a worker process, end it instead, as the kernel's out-of-memory killer would."""


class BoomWriter(Writer[BoomOptions]):
    """``<slug>.boom``, raising for the slug named in its options."""

    name = "boom"
    version = "1"
    description = "Fails on purpose, for tests"
    options = BoomOptions

    def plan(self) -> Iterator[Artifact]:
        context = self.context
        for article in context.articles:
            yield Artifact(
                path=f"{article.slug}.boom",
                entries=(ARTICLES.key(article.slug),),
                subject=article.slug,
            )

    def render(self, artifact: Artifact) -> bytes:
        context = self.context
        if artifact.subject == context.options.fail_on:
            if context.options.die and multiprocessing.parent_process() is not None:
                os._exit(137)
            if context.options.interrupt:
                raise KeyboardInterrupt
            raise RuntimeError(f"cannot render {artifact.subject}")
        return f"{artifact.subject}\n".encode()


class EscapeWriter(Writer[NoOptions]):
    """Plans a path outside its output folder, which the pipeline must refuse."""

    name = "escape"
    version = "1"
    description = "Plans ../outside, for tests"

    def plan(self) -> Iterator[Artifact]:
        yield Artifact(path="../outside.txt")

    def render(self, artifact: Artifact) -> bytes:
        return b"outside\n"


class TwiceWriter(Writer[NoOptions]):
    """Plans one path twice, which the pipeline must refuse with a clear message."""

    name = "twice"
    version = "1"
    description = "Plans same.txt twice, for tests"

    def plan(self) -> Iterator[Artifact]:
        yield Artifact(path="same.txt")
        yield Artifact(path="same.txt", subject="again")

    def render(self, artifact: Artifact) -> bytes:
        return b"same\n"


RENDERED_PARTS: list[str] = []
"""Every part the ``roster`` writer rendered in this process, in order."""
JOINED: list[list[type]] = []
"""The type of each part the ``roster`` writer joined, per join, in order."""


class RosterWriter(Writer[NoOptions]):
    """``roster.txt``: one line per article (its slug and title), one part each."""

    name = "roster"
    version = "1"
    description = "Every article's title in one file, for tests of composed artifacts"

    def plan(self) -> Iterator[Artifact]:
        articles = self.context.articles
        parts = tuple(Part(key=a.slug, entries=(ARTICLES.key(a.slug),)) for a in articles)
        everything = tuple(ARTICLES.key(a.slug) for a in articles)
        yield Artifact(path="roster.txt", entries=everything, parts=parts)

    def render(self, artifact: Artifact) -> bytes:
        raise AssertionError("a composed artifact is never rendered whole")

    def render_part(self, artifact: Artifact, part: Part) -> bytes:
        RENDERED_PARTS.append(part.key)
        return f"{part.key}: {self.context.library.article(part.key).title}\n".encode()

    def join(self, artifact: Artifact, parts: Sequence[PartBytes]) -> bytes:
        JOINED.append([type(part) for part in parts])
        return b"".join(parts)


class LongRosterWriter(RosterWriter):
    """The roster with a footer of 1.5 MB: a file as large as a helpdesk import."""

    name = "long-roster"

    def join(self, artifact: Artifact, parts: Sequence[PartBytes]) -> bytes:
        return b"".join([*parts, b"-" * 1_500_000, b"\n"])


class ChunkedRosterWriter(RosterWriter):
    """The long roster under a header, as chunks with its parts among them as they are."""

    name = "chunked-roster"

    def join(self, artifact: Artifact, parts: Sequence[PartBytes]) -> bytes:
        JOINED.append([type(part) for part in parts])
        return b"".join(self.join_chunks(artifact, parts))

    def join_chunks(self, artifact: Artifact, parts: Sequence[PartBytes]) -> list[PartBytes]:
        return [f"{len(parts)} articles\n".encode(), *parts, b"-" * 1_500_000, b"\n"]


class ShoutedRosterWriter(RosterWriter):
    """The roster in capitals: its file does not hold its parts' bytes as they are."""

    name = "shouted-roster"

    def join(self, artifact: Artifact, parts: Sequence[PartBytes]) -> bytes:
        return b"".join(parts).upper()
