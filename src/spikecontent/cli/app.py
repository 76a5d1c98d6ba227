"""Commands: ``validate``, ``list``, ``show``, ``lint``, ``export``, ``serve``, ``writers``,
``schema``, ``macros push``.

Exit codes: 0 success, 1 content errors (listed on stderr, no traceback), 2 usage errors.
Each command imports what it runs inside itself, so ``--version`` and ``--help`` import no
model, loader or pipeline, and ``validate``, ``list`` and ``show`` no writer, rich or API
(tests/test_startup.py holds it).
"""

from __future__ import annotations

import difflib
import gc
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from spikecontent.cli.errors import ReportingGroup
from spikecontent.cli.evidence_command import evidence_app
from spikecontent.cli.export_command import export_command
from spikecontent.cli.lint_command import lint_command
from spikecontent.cli.macros_command import macros_app
from spikecontent.cli.options import ContentDir, ExportersDir
from spikecontent.cli.serve_command import serve_command

__all__ = ["app", "main"]

app = typer.Typer(
    name="spikecontent",
    # Every command's spikecontent errors are shown and exit with their code here, once.
    cls=ReportingGroup,
    help="Typed, honest product content exported to every channel.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    # Help as click formats it: paragraphs rewrapped to the terminal and option names
    # never cut (rich's tables cut '--max-connections-per-client' at 80 columns).
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from spikecontent import __version__

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


@app.command()
def validate(
    content: Annotated[
        Path, typer.Argument(help="Content folder (holds site.yaml).", show_default=True)
    ] = Path("content"),
    exporters: ExportersDir = Path("exporters"),
    lint: Annotated[
        bool,
        typer.Option("--lint/--no-lint", help="Run the export's lint gate too (the default)."),
    ] = True,
) -> None:
    """Check every content file and profile, and lint them as export does; list all
    problems as file:line:col. "OK" means export will pass its checks."""
    # The pipeline's checks without its writers' libraries: profiles load every writer
    # class, whose heavy imports wait for rendering (tests/test_startup.py holds it).
    from spikecontent.pipeline.validation import validate_folders

    report = validate_folders(content, exporters, lint=lint)
    for warning in report.warnings:
        typer.echo(warning, err=True)
    typer.echo(report.summary)


@app.command()
def schema(
    content: ContentDir = Path("content"),
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the schemas into.")
    ] = Path(".vscode/schemas"),
) -> None:
    """Write JSON Schemas (2020-12) for site.yaml, every content kind and the export
    profiles, for editors (VS Code with yaml-language-server and Even Better TOML)."""
    from spikecontent.diagnostics import ContentError, SpikecontentError, os_reason
    from spikecontent.loading.loader import load
    from spikecontent.model import Library
    from spikecontent.pipeline import Registry
    from spikecontent.pipeline.output import UnsafeOutput
    from spikecontent.schemas import SCHEMA_FILES, write_schemas

    # A file where the folder (or a folder above it) should be: a usage error, as export's
    # --out is, not the traceback of the folder that cannot be made.
    taken = next((p for p in (out, *out.parents) if p.exists() or p.is_symlink()), None)
    if taken is not None and not taken.is_dir():
        what = "a file" if taken.exists() else "a link to nothing"
        raise UnsafeOutput(
            f"{taken} is {what}, not a folder: the schemas are written into a folder"
            " (fix: name a folder for --out, such as .vscode/schemas, or move the file away)"
        )
    try:
        library: Library | None = load(content)
    except ContentError as error:
        # Schemas help most while content is broken: write them, without the id lists.
        typer.echo(error.report(), err=True)
        typer.echo("warning: references are checked as ids, not against the content", err=True)
        library = None
    try:
        written = write_schemas(out, library, Registry.installed())
    except OSError as error:  # a folder this user may not write in, say
        raise SpikecontentError(
            f"cannot write the schemas into {out}: {os_reason(error)}"
            " (fix: name a folder you can write in for --out)"
        ) from None
    for path in written:
        typer.echo(f"{path}  ({SCHEMA_FILES[path.name]})")


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="article, study, caution or person.")],
    ident: Annotated[str, typer.Argument(metavar="ID", help="Its id (an article's slug).")],
    title: Annotated[str | None, typer.Option("--title", help="An article's title.")] = None,
    content: ContentDir = Path("content"),
) -> None:
    """Write a skeleton for a new entry that validates as it is; fill in its TODOs."""
    from spikecontent.scaffold import KINDS, new_entry

    if kind not in KINDS:
        raise typer.BadParameter(f"use one of {', '.join(KINDS)}", param_hint="'KIND'")
    made = new_entry(content, kind, ident, title=title)
    typer.echo(f"wrote {made.path}")
    typer.echo("fill in:")
    for line in made.todo:
        typer.echo(f"  {made.path}:{line}")


@app.command()
def preview(
    content: ContentDir = Path("content"),
    exporters: ExportersDir = Path("exporters"),
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to bind.")] = 8001,
) -> None:
    """Show each article as readers will see it, with lint findings marked in the text and
    its other channels beside it; the page updates on every save. Drafts included: for
    local use."""
    from spikecontent.preview import PreviewServer

    server = PreviewServer(content, exporters, host=host, port=port)
    server.watch()
    typer.echo(f"preview: {server.url}/  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@app.command("list")
def list_entities(content: ContentDir = Path("content")) -> None:
    """List articles with their status, then studies and cautions."""
    from spikecontent.loading.loader import load
    from spikecontent.wording import sample_size, study_label

    library = load(content)
    typer.echo("Articles")
    for article in library.articles:
        typer.echo(f"  {article.slug}  [{article.status.value}]  {article.title}")
    typer.echo("Studies")
    for study in library.studies:
        typer.echo(f"  {study.id}  {study.year}  {study_label(study)}, {sample_size(study)}")
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
    from spikecontent.cli.article_text import article_text
    from spikecontent.document import article_document
    from spikecontent.loading.loader import load
    from spikecontent.model import ARTICLES

    library = load(content)
    slugs = library.ids(ARTICLES)
    if slug not in slugs:
        close = difflib.get_close_matches(slug, slugs, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else f" Known: {', '.join(slugs) or 'none'}."
        raise typer.BadParameter(f"no article {slug!r}.{hint}", param_hint="'SLUG'")
    if as_json:
        document = article_document(library, slug)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        typer.echo(article_text(library.resolve(slug), library.resolve_href))


app.command("lint")(lint_command)
app.command("export")(export_command)
app.command("serve")(serve_command)
app.add_typer(macros_app, name="macros")
app.add_typer(evidence_app, name="evidence")
for _group in app.registered_groups:  # the subcommands' help, formatted as the rest
    if _group.typer_instance is not None:
        _group.typer_instance.rich_markup_mode = None


@app.command("writers")
def list_writers() -> None:
    """List the installed writers: name, version, distribution and description."""
    from spikecontent.pipeline import Registry, WriterLoadError

    registry = Registry.installed()
    for entry in registry:
        try:
            writer = registry.get(entry.name)
        except (WriterLoadError, ImportError, AttributeError) as error:
            typer.echo(f"{entry.name}  (broken: {error})  {entry.distribution}", err=True)
            continue
        typer.echo(
            f"{writer.name}  {writer.version}  "
            f"{entry.distribution} {entry.distribution_version}  {writer.description}"
        )


def main() -> None:
    """Console entry point."""
    try:
        app()
    finally:
        # The interpreter's last act is a full garbage collection over every object still
        # alive: with 1,000 articles loaded, most of a second after the command's own
        # work is done (docs/performance.md). The content holds no reference cycles, so
        # there is nothing for it to find; objects frozen here are left out of it. The
        # caches of content are not freed either (0.07-0.1 s of a one-change export at
        # 1,000 articles): the system takes their memory back with the process.
        # Every such cache registers with the collector module, so without it there is
        # none (and --version imports no store for it).
        collector = sys.modules.get("spikecontent.store.collector")
        if collector is None:
            gc.freeze()
        else:
            collector.leave_lasting()
