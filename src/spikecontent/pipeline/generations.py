"""An output folder that changes whole: the old export or the new one, never a mix.

The output folder (``dist``) is a symbolic link to one *generation*, a complete export
kept in the export's own folder beside it (``.dist.spikecontent/generations/000042``). An
export builds the next generation privately: a hard link to every file of the current one
(no bytes copied, so unchanged files cost a directory entry each), then its new files, its
manifest, and its pruning. Then one ``rename`` of a new link over ``dist``
switches every reader at once: a web server that resolves ``dist/`` per request, or
anyone who opens ``dist/manifest.json``, sees the old generation or the new one, each
with its matching manifest. The previous generation is kept until the next export, for a
reader that resolved the old link and is still reading; the one before it is kept as the
spare that the next export's generation is made from (only the files that changed are
linked anew).

The build state of a generation (which names every artifact's inputs and the run's
warnings, drafts' included) is not in it: it is kept beside it, in
``.dist.spikecontent/states/000042.json``, written before the switch and removed with its
generation, so the state always describes the generation ``dist`` shows.

Files are never changed in place (every write is a new file renamed over the old name),
so a file shared by two generations through a hard link never changes under either.

A failed, interrupted or killed export leaves its unfinished generation (and perhaps its
state) behind at worst; the next export removes them under the lock. An output folder
that is a plain directory (an export by an older version, or by hand) becomes the first
generation: it is moved into the generations folder and replaced by the link, the one
moment at which the path is briefly missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Final

from spikecontent.diagnostics import SpikecontentError

__all__ = ["GENERATIONS", "STATES", "Generations", "NotOurLink", "private_folder"]

_PRIVATE: Final = ".spikecontent"
GENERATIONS: Final = "generations"
"""The folder, in the private folder, that holds the generations."""
STATES: Final = "states"
"""The folder, in the private folder, that holds each generation's build state."""
_WIDTH: Final = 6


def private_folder(out: Path) -> Path:
    """The export's own folder beside the output folder ``out``: the lock, the load cache,
    the build states, the push ledgers and the generations. It is outside ``out``, so
    nothing a web server serves from ``out`` (or a copy that follows its links) can reach
    it."""
    out = Path(os.path.abspath(out))
    return out.parent / f".{out.name}{_PRIVATE}"


class NotOurLink(SpikecontentError):
    """The output folder is a symbolic link that an export did not make."""


class Generations:
    """The generations of the output folder ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = Path(os.path.abspath(out))
        self.home = private_folder(self.out) / GENERATIONS
        self.states = private_folder(self.out) / STATES

    def current(self) -> Path | None:
        """The generation ``out`` links to; None when ``out`` is missing or a directory."""
        if not self.out.is_symlink():
            return None
        target = (self.out.parent / os.readlink(self.out)).resolve()
        if target.parent != self.home.resolve():
            raise NotOurLink(
                f"{self.out} is a symbolic link to {target}, which no export made; pass the"
                " folder itself as the output, or remove the link"
            )
        return target

    def state_file(self, generation: Path) -> Path:
        """Where the build state of ``generation`` is kept: beside the output, never in
        it."""
        return self.states / f"{generation.name}.json"

    def clean(self) -> int:
        """Remove unfinished generations and those older than the previous one but the
        spare (see :meth:`begin`), and the build states of all but the current and the
        previous generation; how many generations. Call it only while holding the export
        lock."""
        keep = self._kept()
        states = set(keep)
        spare = self._spare()
        if spare is not None:
            keep.add(spare.name)
        removed = 0
        for _, path in self._numbered():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        if self.states.is_dir():
            for path in self.states.iterdir():
                if path.suffix == ".json" and path.stem not in states:
                    with contextlib.suppress(OSError):
                        path.unlink()
        return removed

    def begin(self) -> Path:
        """A new generation holding every file of the current output (hard links), except
        the build state an older version kept in it.

        The spare (the newest generation older than the previous one, which no reader can
        be in) is renamed into place and brought level with the current one, so only
        the files that differ are linked and unlinked: removing a tree of 14,000 links
        and making another took seconds."""
        self.home.mkdir(parents=True, exist_ok=True)
        numbers = [number for number, _ in self._numbered()]
        new = self.home / f"{max(numbers, default=0) + 1:0{_WIDTH}d}"
        source = self.current() or (self.out if self.out.is_dir() else None)
        spare = self._spare() if source is not None else None
        if spare is not None:
            os.rename(spare, new)
        else:
            new.mkdir()
        if source is not None:
            try:
                _link_tree(source, new)
            except BaseException:
                shutil.rmtree(new, ignore_errors=True)
                raise
        return new

    def switch(self, new: Path) -> None:
        """Make ``out`` show ``new``, in one rename."""
        if self.out.is_dir() and not self.out.is_symlink():
            # A plain folder cannot be renamed over: it becomes a generation of its own.
            os.rename(self.out, self.home / f"legacy-{_number(new):0{_WIDTH}d}")
        link = self.out.parent / f".{self.out.name}.{_number(new)}.link"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        os.symlink(os.path.relpath(new, self.out.parent), link)
        os.replace(link, self.out)

    def discard(self, new: Path) -> None:
        """Remove an unfinished generation, and its build state if it was written."""
        shutil.rmtree(new, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.state_file(new).unlink()

    def _numbered(self) -> list[tuple[int, Path]]:
        if not self.home.is_dir():
            return []
        return sorted((_number(path), path) for path in self.home.iterdir())

    def _kept(self) -> set[str]:
        """The current generation and the previous one (a reader may still be in it)."""
        current = self.current()
        if current is None:
            return set()
        older = [path.name for number, path in self._numbered() if number < _number(current)]
        return {current.name, *older[-1:]}

    def _spare(self) -> Path | None:
        """The newest generation older than the two kept ones, or None."""
        current = self.current()
        if current is None:
            return None
        kept = self._kept()
        older = [
            path
            for number, path in self._numbered()
            if number < _number(current) and path.name not in kept
        ]
        return older[-1] if older else None


def _number(path: Path) -> int:
    digits = path.name.removeprefix("legacy-")
    return int(digits) if digits.isdigit() else -1


def _link_tree(source: Path | str, target: Path | str, *, top: bool = True) -> None:
    """Make ``target`` hold exactly ``source``'s files as hard links (an older version's
    build state left out), touching only what differs: ``target`` may be an older generation.

    A file already linked is told by the inode numbers both directory listings carry,
    without a ``stat`` of either (two entries of one file system with one inode number
    are one file): 14,000 unchanged files cost two directory reads per folder."""
    with os.scandir(source) as entries:
        wanted = {e.name: e for e in entries if not (top and e.name == _PRIVATE)}
    if os.path.islink(target) or (os.path.lexists(target) and not os.path.isdir(target)):
        os.unlink(target)
    os.makedirs(target, exist_ok=True)
    with os.scandir(target) as entries:
        present = {e.name: e for e in entries}
    for name, there in present.items():
        entry = wanted.get(name)
        stays = entry is not None and (
            entry.is_dir(follow_symlinks=False) == there.is_dir(follow_symlinks=False)
        )
        if not stays:
            _remove(there)
    for name, entry in wanted.items():
        destination = os.path.join(target, name)
        if entry.is_dir(follow_symlinks=False):
            _link_tree(entry.path, destination, top=False)
        elif entry.is_symlink() and entry.is_dir():
            continue  # a link to a folder is not the output's own
        else:
            old = present.get(name)
            if old is not None and not old.is_dir(follow_symlinks=False):
                if old.inode() == entry.inode():
                    continue  # already this generation's file
                os.unlink(old.path)
            _link_file(entry.path, destination)


def _remove(entry: os.DirEntry[str]) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def _link_file(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        # A file system without hard links (some network and FAT mounts): copy.
        shutil.copy2(source, target)
