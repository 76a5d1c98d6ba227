"""Template and style files, looked up in a profile's override folder first.

A designer restyles a channel by placing a file with the same name under
``exporters/<profile>/``; it takes precedence over the default packaged with the writer (as
Sphinx's ``templates_path`` does over a theme). Writers read templates only through this
class, so the pipeline knows which files each artifact depends on.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

import attrs

from spikecontent.diagnostics import Diagnostic, Level, SpikecontentError, unreadable

__all__ = ["TEMPLATE_FILE_PREFIX", "TemplateNotFound", "Templates", "unread_overrides"]

TEMPLATE_FILE_PREFIX = "template:"
"""How a writer names a template as the file of its compiled code (so that an error
raised inside it can be reported at the template's line)."""


class TemplateNotFound(SpikecontentError, LookupError):
    """No override and no packaged default has this name."""


@attrs.define(kw_only=True)
class Templates:
    """The template files one profile sees."""

    overrides: Path | None = None
    """``exporters/<profile>/``, when it exists."""
    package: str | None = None
    """The writer's package of default templates."""
    read_names: set[str] = attrs.field(factory=set, eq=False, repr=False)
    """Names read since the last :meth:`forget_reads`; the pipeline checks them."""

    def read_bytes(self, name: str) -> bytes:
        """The bytes of template ``name`` (a ``/``-separated relative path)."""
        data = self._find(name).read_bytes()
        self.read_names.add(name)
        return data

    def read_text(self, name: str) -> str:
        """Template ``name`` decoded as UTF-8."""
        return self.read_bytes(name).decode("utf-8")

    def digest(self, name: str) -> str:
        """SHA-256 of template ``name``, or of its absence."""
        try:
            return hashlib.sha256(self._find(name).read_bytes()).hexdigest()
        except TemplateNotFound:
            return "missing"

    def forget_reads(self) -> None:
        """Start recording reads afresh (once per rendered artifact)."""
        self.read_names.clear()

    def all_files(self) -> Iterator[tuple[str, bytes]]:
        """Every override and packaged file as ``(origin, bytes)``, for change detection."""
        if self.overrides is not None and self.overrides.is_dir():
            for path in sorted(self.overrides.rglob("*")):
                if path.is_file():
                    yield str(path), path.read_bytes()
        if self.package is not None:
            for origin, file in _packaged(resources.files(self.package), self.package):
                yield origin, file.read_bytes()

    def _find(self, name: str) -> Traversable:
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise TemplateNotFound(f"template name {name!r} must be a relative path")
        if self.overrides is not None:
            candidate = self.overrides.joinpath(*relative.parts)
            if candidate.is_file():
                if not candidate.resolve().is_relative_to(self.overrides.resolve()):
                    raise TemplateNotFound(
                        f"the override {name!r} links outside {self.overrides}; copy it in"
                    )
                return candidate
        if self.package is not None:
            packaged = resources.files(self.package).joinpath(*relative.parts)
            if packaged.is_file():
                return packaged
        raise TemplateNotFound(f"no template {name!r} in {self._places()}")

    def _places(self) -> str:
        places = [str(p) for p in (self.overrides,) if p is not None]
        places += [f"package {self.package}"] if self.package else []
        return " or ".join(places) or "no template folder"


JINJA_SUFFIX = ".html"
"""The suffix of the templates writers render with Jinja (``sdk.templating``), whose
overrides :func:`override_syntax_errors` parses."""


def override_syntax_errors(folder: Path) -> Iterator[Diagnostic]:
    """Every override in ``folder`` (``exporters/<profile>/``) that Jinja could not parse
    (each ``*.html``: the writers' Jinja templates), at its line, so that validate, and
    export before it renders anything, report it with every other problem. Parsing only:
    the writers' environments hold no filters or tests of their own, and no writer's
    libraries are imported (Jinja only, and only when such a file exists)."""
    paths = [folder / name for name in _override_names(folder) if name.endswith(JINJA_SUFFIX)]
    if not paths:
        return
    import jinja2  # here: a project without overrides never imports it

    environment = jinja2.Environment()
    for path in paths:
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            yield Diagnostic(
                file=str(path),
                message=f"the template is not UTF-8 (byte {error.start + 1})",
                fix="save it as UTF-8",
            )
            continue
        except OSError as error:
            message, fix = unreadable(error, str(path))
            yield Diagnostic(file=str(path), message=message, fix=fix)
            continue
        try:
            environment.parse(source, path.name, str(path))
        except jinja2.TemplateSyntaxError as error:
            message = " ".join(str(error.message or "").split())
            yield Diagnostic(
                file=str(path),
                line=error.lineno,
                message=f"template syntax error: {message}",
                fix=_syntax_fix(message),
            )


def unread_overrides(folder: Path, package: str | None, writer: str) -> Iterator[Diagnostic]:
    """A warning for each file in ``folder`` (``exporters/<profile>/``) that no template
    of the ``writer`` reads: neither the name of one of its defaults (in ``package``) nor
    included, imported or extended by an override. A designer's misspelt ``leaflte.css``
    would otherwise change nothing, without a word."""
    files = _override_names(folder)
    defaults = {name for name, _ in _packaged(resources.files(package))} if package else set()
    read = defaults | _referenced(folder, [name for name in files if name.endswith(JINJA_SUFFIX)])
    for name in files:
        if name in read:
            continue
        close = difflib.get_close_matches(name, sorted(defaults), n=1)
        message = f"no template of the {writer} writer has this name, so nothing reads it"
        if close:
            fix = f"did you mean {close[0]!r}? rename it, or remove it"
        elif defaults:
            fix = f"name it as one of the writer's templates ({', '.join(sorted(defaults))})"
        else:
            message = f"the {writer} writer reads no templates, so nothing reads this file"
            fix = "remove it"
        yield Diagnostic(file=str(folder / name), message=message, fix=fix, level=Level.WARNING)


def _referenced(folder: Path, names: list[str]) -> set[str]:
    """The templates the Jinja overrides ``names`` include, import or extend by name."""
    if not names:
        return set()
    import jinja2  # here: a project without overrides never imports it
    import jinja2.meta

    environment = jinja2.Environment()
    found: set[str] = set()
    for name in names:
        try:
            tree = environment.parse((folder / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
            continue  # said by override_syntax_errors
        found.update(n for n in jinja2.meta.find_referenced_templates(tree) if n is not None)
    return found


def _syntax_fix(message: str) -> str:
    if "Unexpected end of template" in message:
        return (
            "close the block the template opens ({% endfor %}, {% endif %}, {% endblock %}), "
            "as Jinja names it, or compare with the packaged template of the same name"
        )
    return (
        "correct the Jinja syntax on this line: complete its {% ... %} or {{ ... }} "
        "(e.g. {% for item in items %}), or compare with the packaged template of the "
        "same name"
    )


def _override_names(folder: Path) -> list[str]:
    """The files of an override folder, as relative ``/``-separated names, sorted; hidden
    ones (an editor's ``.swp``, a ``.git``) left out."""
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def _packaged(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    """A writer package's template files, as ``prefix/name`` (the name alone without a
    prefix), sorted, its Python left out."""
    for child in sorted(folder.iterdir(), key=lambda item: item.name):
        if child.name == "__pycache__" or child.name.endswith(".py"):
            continue
        origin = f"{prefix}/{child.name}" if prefix else child.name
        if child.is_dir():
            yield from _packaged(child, origin)
        elif child.is_file():
            yield origin, child
