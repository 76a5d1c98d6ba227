"""Commands: ``validate``, ``list``, ``show``, ``lint``, ``export``, ``serve``, ``writers``,
``schema``, ``macros push``.

Exit codes: 0 success, 1 content errors (listed on stderr, no traceback), 2 usage errors.
``validate``, ``list`` and ``show`` import only the core model: the export pipeline, rich and
every writer are imported inside the commands that use them.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import json
import signal
import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from spikecontent import __version__
from spikecontent.cli.article_text import article_text
from spikecontent.cli.errors import ReportingGroup
from spikecontent.cli.evidence_command import evidence_app
from spikecontent.cli.lint_command import lint_command
from spikecontent.cli.macros_command import macros_app
from spikecontent.cli.options import ContentDir, ExportersDir
from spikecontent.cli.serve_command import serve_command
from spikecontent.diagnostics import ContentError
from spikecontent.document import article_document
from spikecontent.loading.evidence_lock import lock_warnings
from spikecontent.loading.loader import load
from spikecontent.model import ARTICLES, Library
from spikecontent.saves import saved_files

if TYPE_CHECKING:
    from spikecontent.pipeline.dask_executor import DaskCluster

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
    library = _checked_project(content, exporters) if lint else load(content)
    for warning in lock_warnings(content, library):  # the evidence lock's (issue 43)
        typer.echo(str(warning), err=True)
    counts = ", ".join(
        f"{len(items)} {noun if len(items) == 1 else plural}"
        for items, noun, plural in (
            (library.articles, "article", "articles"),
            (library.studies, "study", "studies"),
            (library.cautions, "caution", "cautions"),
        )
    )
    typer.echo(f"{content}: OK ({counts})")


@app.command()
def schema(
    content: ContentDir = Path("content"),
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the schemas into.")
    ] = Path(".vscode/schemas"),
) -> None:
    """Write JSON Schemas (2020-12) for site.yaml, every content kind and the export
    profiles, for editors (VS Code with yaml-language-server and Even Better TOML)."""
    from spikecontent.pipeline import Registry
    from spikecontent.schemas import SCHEMA_FILES, write_schemas

    try:
        library: Library | None = load(content)
    except ContentError as error:
        # Schemas help most while content is broken: write them, without the id lists.
        typer.echo(error.report(), err=True)
        typer.echo("warning: references are checked as ids, not against the content", err=True)
        library = None
    for path in write_schemas(out, library, Registry.installed()):
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


def _checked_project(content: Path, exporters: Path) -> Library:
    # The pipeline's checks without its writers' libraries: profiles load every writer
    # class, whose heavy imports wait for rendering (tests/test_startup.py holds it).
    from spikecontent.pipeline import check_folders

    project = check_folders(content, exporters)
    for warning in project.lint_warnings:
        typer.echo(str(warning), err=True)
    return project.library


@app.command("list")
def list_entities(content: ContentDir = Path("content")) -> None:
    """List articles with their status, then studies and cautions."""
    library = load(content)
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
app.command("serve")(serve_command)
app.add_typer(macros_app, name="macros")
app.add_typer(evidence_app, name="evidence")
for _group in app.registered_groups:  # the subcommands' help, formatted as the rest
    if _group.typer_instance is not None:
        _group.typer_instance.rich_markup_mode = None


@app.command("export")
def export_command(
    content: ContentDir = Path("content"),
    exporters: ExportersDir = Path("exporters"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("dist"),
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Export only this profile (repeat for more).", metavar="NAME"),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Render in N processes [default: CPU count]."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild every artifact, changed or not.")
    ] = False,
    include_drafts: Annotated[
        bool, typer.Option("--include-drafts", help="Export drafts and articles in review too.")
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait", help="If another export is writing into --out, wait for it."),
    ] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Export again on every save, until Ctrl-C.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List every warning, also those said before."),
    ] = False,
    executor: Annotated[
        str | None,
        typer.Option(
            "--executor",
            help="Render on a Dask cluster: dask://HOST:PORT (plain TCP) or tls://HOST:PORT"
            " (needs spikecontent[dask]).",
            metavar="URL",
        ),
    ] = None,
    tls_ca_file: Annotated[
        Path | None,
        typer.Option(
            "--tls-ca-file",
            help="For tls://: the certificate authority's certificate (PEM)"
            " [default: Dask's distributed.comm.tls.ca-file].",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    tls_cert: Annotated[
        Path | None,
        typer.Option(
            "--tls-cert",
            help="For tls://: this client's certificate (PEM, its key may follow)"
            " [default: Dask's distributed.comm.tls.client.cert].",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    tls_key: Annotated[
        Path | None,
        typer.Option(
            "--tls-key",
            help="For tls://: this client's private key (PEM)"
            " [default: Dask's distributed.comm.tls.client.key].",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Export the content through every profile in exporters/ into the output folder.

    With --watch, export again on every save under the content and profile folders, one
    line per run, until Ctrl-C; a save that makes the content invalid prints what is wrong
    and leaves the last good output as it was."""
    options = {
        "exporters": exporters,
        "out": out,
        "only": only or (),
        "jobs": jobs,
        "force": force,
        "include_drafts": include_drafts,
        "wait": wait,
        "executor": _executor(executor, tls_ca_file, tls_cert, tls_key),
    }
    if not watch:
        code = _export_once(content, options, progress=True, verbose=verbose)
        if code:
            raise typer.Exit(code)
        return
    try:
        from watchfiles import watch as watch_files
    except ImportError as error:
        typer.echo(
            f"--watch needs its extra: pip install 'spikecontent[watch]' ({error})", err=True
        )
        raise typer.Exit(2) from None
    # Ctrl-C also sets ``stop``, which watchfiles polls: the watch ends even when the
    # KeyboardInterrupt itself is swallowed (raised inside a finalizer, say), and the
    # watcher is closed here rather than left to the interpreter's exit.
    stop = threading.Event()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, _stopper(stop)) if main else None
    try:
        _watch(watch_files, content, exporters, options, stop)
    except KeyboardInterrupt:
        pass
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    typer.echo("stopped watching")


_INTERRUPTED = 130


def _watch(
    watch_files: Callable[..., Generator[set[tuple[Any, str]], None, None]],
    content: Path,
    exporters: Path,
    options: dict[str, Any],
    stop: threading.Event,
) -> None:
    """Export, then again after each batch of saves, until ``stop`` is set or an export
    is interrupted."""
    # Each run's warnings are said once: a save that leaves 2,000 of them as they were
    # should show what it changed, not bury it.
    warned: set[str] = set()
    if _export_once(content, options, progress=False, warned=warned) == _INTERRUPTED:
        return
    folders = [str(p) for p in (content, exporters) if p.exists()]
    ready = False
    # An empty batch comes once the watcher is in place (and after each quiet second):
    # "watching" is said only when a save can no longer be missed.
    batches = watch_files(
        *folders, debounce=100, step=20, rust_timeout=1000, yield_on_timeout=True, stop_event=stop
    )
    with contextlib.closing(batches):
        for changes in batches:
            if stop.is_set():
                return
            if not changes:
                if not ready:
                    ready = True
                    typer.echo(f"watching {', '.join(folders)} (Ctrl-C to stop)")
                continue
            names = sorted({path.name for path in saved_files(changes)})
            if not names:
                continue  # only temporary files came and went: nothing to export
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            shown = ", ".join(names[:3]) + more
            # Ctrl-C during a re-export ends the watch too, not only that export.
            run = _export_once(content, options, progress=False, changed=shown, warned=warned)
            if run == _INTERRUPTED:
                return


def _executor(url: str | None, *tls: Path | None) -> DaskCluster | None:
    """``--executor`` with the ``--tls-*`` files, checked: a ``DaskCluster`` or None."""
    from spikecontent.pipeline.dask_executor import DaskCluster

    if url is None:
        if any(tls):
            raise typer.BadParameter("the --tls-* files go with --executor tls://HOST:PORT")
        return None
    ca_file, cert, key = (None if path is None else str(path) for path in tls)
    try:
        return DaskCluster.parse(url, tls_ca_file=ca_file, tls_cert=cert, tls_key=key)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="'--executor'") from None


def _export_once(
    content: Path,
    options: dict[str, Any],
    *,
    progress: bool,
    changed: str = "",
    warned: set[str] | None = None,
    verbose: bool = False,
) -> int:
    """One export with ``options``; its exit code (0, 1 or 130), everything reported.
    With ``warned`` (the warnings the last run printed, updated here), only new warnings
    are printed and the others counted; without it, only warnings that the last export
    into the same folder did not print, or whose file changed since (all with
    ``verbose``), and the others counted."""
    from spikecontent.cli.progress import SaidWarnings, plural, progress_for
    from spikecontent.pipeline import NotOurLink, OutputBusy, UnknownProfileError, export
    from spikecontent.pipeline.dask_executor import ExecutorError

    out = options["out"]
    lead = f"{changed}: " if changed else ""
    # SIGTERM (a service manager stopping us) ends the export as Ctrl-C does: nothing is
    # committed, every temporary file is removed.
    main = threading.current_thread() is threading.main_thread()  # where signals go
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        if progress:
            with progress_for() as shown:
                report = export(content, progress=shown, **options)
        else:
            report = export(content, **options)
    except ContentError as error:
        typer.echo(error.report(), err=True)
        done = (
            f"{lead}nothing was exported; {out} is as it was." if lead else "Nothing was exported."
        )
        typer.echo(done, err=True)
        return 1
    except UnknownProfileError as error:
        raise typer.BadParameter(str(error), param_hint="'--only'") from None
    except (OutputBusy, NotOurLink, ExecutorError) as error:
        typer.echo(str(error), err=True)
        return 1
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: nothing was written, {out} is as it was.", err=True)
        return _INTERRUPTED
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    said = [str(warning) for warning in report.warnings]
    if warned is None:
        # Said once per changed file: a run with nothing new to say does not bury its
        # summary under the same warnings again.
        memory = SaidWarnings(out)
        new = [str(w) for w in report.warnings if verbose or not memory.unchanged(w)]
        memory.remember(report.warnings)
    else:
        new = [text for text in said if text not in warned]
    for text in new:
        typer.echo(text, err=True)
    if len(new) < len(said):
        repeated = plural(len(said) - len(new), "warning")
        typer.echo(
            f"{repeated} as before"
            if warned is not None
            else f"{repeated} unchanged; --verbose to list",
            err=True,
        )
    if warned is not None:
        warned.clear()
        warned.update(said)
    for failure in report.failed:
        typer.echo(str(failure), err=True)
    summary = (
        f"{lead}{len(report.written)} written, {len(report.skipped)} unchanged, "
        f"{len(report.failed)} failed, {len(report.pruned)} removed "
        f"in {report.seconds:.2f} s"
    )
    if not report.ok:
        typer.echo(f"{summary}; nothing was written, {out} is as it was.", err=True)
        return 1
    typer.echo(f"{summary} -> {out}")
    return 0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _stopper(stop: threading.Event) -> Callable[[int, object], None]:
    """A SIGINT handler that sets ``stop`` before interrupting, as Ctrl-C does."""

    def handler(_signum: int, _frame: object) -> None:
        stop.set()
        raise KeyboardInterrupt

    return handler


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
        # there is nothing for it to find; objects frozen here are left out of it.
        gc.freeze()
