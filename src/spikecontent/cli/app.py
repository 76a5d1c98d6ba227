"""Commands: ``validate``, ``list``, ``show``.

Exit codes: 0 success, 1 content errors (listed on stderr, no traceback), 2 usage errors.
Only the core model is imported here; writer dependencies are never loaded by these commands.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Annotated

import typer

from spikecontent import __version__
from spikecontent.cli.article_text import article_text
from spikecontent.diagnostics import ContentError
from spikecontent.document import article_document
from spikecontent.loading.loader import load
from spikecontent.model import Library

__all__ = ["app", "main"]

app = typer.Typer(
    name="spikecontent",
    help="Typed, honest product content exported to every channel.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

ContentDir = Annotated[
    Path,
    typer.Option("--content", "-c", help="Content folder (holds site.yaml).", show_default=True),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spikecontent {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Typed, honest product content exported to every channel."""


def _load_or_exit(content: Path) -> Library:
    try:
        return load(content)
    except ContentError as error:
        typer.echo(error.report(), err=True)
        raise typer.Exit(1) from None


@app.command()
def validate(
    content: Annotated[
        Path, typer.Argument(help="Content folder (holds site.yaml).", show_default=True)
    ] = Path("content"),
) -> None:
    """Check every content file; list all problems as file:line:col."""
    library = _load_or_exit(content)
    counts = ", ".join(
        f"{len(items)} {noun if len(items) == 1 else plural}"
        for items, noun, plural in (
            (library.articles, "article", "articles"),
            (library.studies, "study", "studies"),
            (library.cautions, "caution", "cautions"),
        )
    )
    typer.echo(f"{content}: OK ({counts})")


@app.command("list")
def list_entities(content: ContentDir = Path("content")) -> None:
    """List articles with their status, then studies and cautions."""
    library = _load_or_exit(content)
    typer.echo("Articles")
    for article in library.articles:
        typer.echo(f"  {article.slug}  [{article.status.value}]  {article.title}")
    typer.echo("Studies")
    for study in library.studies:
        size = f"n = {study.sample.n}" if study.sample.n else "n not given"
        typer.echo(f"  {study.id}  {study.year}  {study.design.label}, {size}")
    typer.echo("Cautions")
    for caution in library.cautions:
        typer.echo(f"  {caution.id}  {caution.applies_to}")


@app.command()
def show(
    slug: Annotated[str, typer.Argument(help="The article's slug.")],
    content: ContentDir = Path("content"),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the resolved article as JSON.")
    ] = False,
) -> None:
    """Show one article, with its studies, cautions, disclaimer and offer."""
    library = _load_or_exit(content)
    slugs = library.ids("articles")
    if slug not in slugs:
        close = difflib.get_close_matches(slug, slugs, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else f" Known: {', '.join(slugs) or 'none'}."
        raise typer.BadParameter(f"no article {slug!r}.{hint}", param_hint="'SLUG'")
    if as_json:
        document = article_document(library, slug)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        typer.echo(article_text(library.resolve(slug), library.resolve_href))


def main() -> None:
    """Console entry point."""
    app()
