"""``spikecontent export``: the command, ``--watch``, and how a run is reported.

The command builds one :class:`~spikecontent.pipeline.ExportOptions` from its options and
hands it to the library's export; the pipeline is imported only when it runs (``validate``
stays light).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from spikecontent.cli.options import (
    ContentDir,
    ExecutorUrl,
    ExportersDir,
    Force,
    IncludeDrafts,
    Jobs,
    Only,
    OutDir,
    TlsCaFile,
    TlsCert,
    TlsKey,
    Verbose,
    Wait,
    Watch,
)
from spikecontent.saves import saved_files

if TYPE_CHECKING:
    from spikecontent.diagnostics import Diagnostic
    from spikecontent.pipeline import ExportOptions
    from spikecontent.pipeline.dask_executor import DaskCluster

__all__ = ["export_command"]


def export_command(
    content: ContentDir = Path("content"),
    exporters: ExportersDir = Path("exporters"),
    out: OutDir = Path("dist"),
    only: Only = None,
    jobs: Jobs = None,
    force: Force = False,
    include_drafts: IncludeDrafts = False,
    wait: Wait = False,
    watch: Watch = False,
    verbose: Verbose = False,
    executor: ExecutorUrl = None,
    tls_ca_file: TlsCaFile = None,
    tls_cert: TlsCert = None,
    tls_key: TlsKey = None,
) -> None:
    """Export the content through every profile in exporters/ into the output folder.

    With --watch, export again on every save under the content and profile folders, one
    line per run, until Ctrl-C; a save that makes the content invalid prints what is wrong
    and leaves the last good output as it was."""
    from spikecontent.pipeline import ExportOptions

    options = ExportOptions(
        exporters=exporters,
        out=out,
        only=tuple(only or ()),
        jobs=jobs,
        force=force,
        include_drafts=include_drafts,
        wait=wait,
        executor=_executor(executor, tls_ca_file, tls_cert, tls_key),
    )
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
        _watch(watch_files, content, options, stop)
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
    options: ExportOptions,
    stop: threading.Event,
) -> None:
    """Export, then again after each batch of saves, until ``stop`` is set or an export
    is interrupted."""
    # Each run's warnings are said once: a save that leaves 2,000 of them as they were
    # should show what it changed, not bury it.
    warned: set[str] = set()
    if _export_once(content, options, progress=False, warned=warned) == _INTERRUPTED:
        return
    folders = [str(p) for p in (content, options.exporters) if p.exists()]
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
    if url is None:
        if any(tls):
            raise typer.BadParameter("the --tls-* files go with --executor tls://HOST:PORT")
        return None
    from spikecontent.pipeline.dask_executor import DaskCluster

    ca_file, cert, key = (None if path is None else str(path) for path in tls)
    try:
        return DaskCluster.parse(url, tls_ca_file=ca_file, tls_cert=cert, tls_key=key)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="'--executor'") from None


def _export_once(
    content: Path,
    options: ExportOptions,
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
    from spikecontent.cli.progress import progress_for
    from spikecontent.diagnostics import ContentError
    from spikecontent.pipeline import (
        ExecutorError,
        NotOurLink,
        OutputBusy,
        UnknownProfileError,
        export,
    )
    from spikecontent.pipeline.output import OutputUnwritable
    from spikecontent.store.collector import collector_paused

    out = options.out
    lead = f"{changed}: " if changed else ""
    # SIGTERM (a service manager stopping us) ends the export as Ctrl-C does: nothing is
    # committed, every temporary file is removed.
    main = threading.current_thread() is threading.main_thread()  # where signals go
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        if progress:
            with progress_for() as shown:
                report = export(content, options, progress=shown)
        else:
            report = export(content, options)
    except ContentError as error:
        # Its warnings as a successful export says them: new ones, the others counted.
        _say_warnings(error.warnings, out, warned=warned, verbose=verbose)
        typer.echo(error.report(warnings=False), err=True)
        done = (
            f"{lead}nothing was exported; {out} is as it was." if lead else "Nothing was exported."
        )
        typer.echo(done, err=True)
        return 1
    except UnknownProfileError as error:
        raise typer.BadParameter(str(error), param_hint="'--only'") from None
    except (OutputBusy, OutputUnwritable, NotOurLink, ExecutorError) as error:
        typer.echo(str(error), err=True)
        return 1
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: nothing was written, {out} is as it was.", err=True)
        return _INTERRUPTED
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    # What the export loaded outlives it (the load cache keeps it for the next load):
    # saying 12,000 warnings made a full collection walk it all, 0.15-0.4 s at 1,000
    # articles, to find nothing.
    with collector_paused():
        _say_warnings(report.warnings, out, warned=warned, verbose=verbose)
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


def _say_warnings(
    warnings: Sequence[Diagnostic], out: Path, *, warned: set[str] | None, verbose: bool
) -> None:
    """Print the run's new ``warnings`` and count the others. With ``warned`` (the
    warnings the last run printed, updated here), new means not printed last time;
    without it, not printed by the last export into ``out`` for the same file (all of
    them with ``verbose``)."""
    from spikecontent.cli.progress import plural
    from spikecontent.cli.said_warnings import SaidWarnings

    said = [str(warning) for warning in warnings]
    if warned is None:
        # Said once per changed file: a run with nothing new to say does not bury its
        # summary under the same warnings again.
        new = SaidWarnings(out).new(warnings, said)
        if verbose:
            new = said
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


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _stopper(stop: threading.Event) -> Callable[[int, object], None]:
    """A SIGINT handler that sets ``stop`` before interrupting, as Ctrl-C does."""

    def handler(_signum: int, _frame: object) -> None:
        stop.set()
        raise KeyboardInterrupt

    return handler
