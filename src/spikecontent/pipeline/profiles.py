"""Export profiles: one TOML file per channel in ``exporters/``.

::

    # exporters/json.toml
    writer = "json"            # a registered writer (see `spikecontent writers`)
    output = "json"            # folder under dist/; defaults to the profile's name
    articles = ["acupressure-mat-benefits"]   # default: every article
    drafts = false             # true exports drafts and articles in review too
    [options]                  # checked against the writer's options
    indent = 2

A profile's name is its file name. ``exporters/<name>/`` holds its template overrides. A
registered writer that no profile names gets a default profile called after it, so every
installed writer exports; ``enabled = false`` in a profile turns a channel off.
Profiles are checked like content: every problem at ``file:line:col``, all at once.

Only the default folder, ``exporters`` (relative to the working folder), may be missing:
then every writer exports with its default profile. Any other folder named is the user's
statement that the profiles are there, so a missing one is an error (a mistyped path
would otherwise export the defaults, and an export would then remove the channels the
real profiles put under other names).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, Final

import attrs
from cattrs.errors import ClassValidationError

from spikecontent.diagnostics import Diagnostic
from spikecontent.links import check_id
from spikecontent.loading.converter import StrictTypeError, structure
from spikecontent.loading.findings import Anchor, Finding, findings_from, place
from spikecontent.loading.source_map import SourceMap, SourceSyntaxError
from spikecontent.loading.toml_source import read_toml
from spikecontent.model import ARTICLES, Article, Library, Status
from spikecontent.model.fields import FieldError, identifiers, non_empty_text
from spikecontent.pipeline.manifest import MANIFEST
from spikecontent.pipeline.registry import Registry, UnknownWriterError, WriterLoadError
from spikecontent.sdk.templates import override_syntax_errors
from spikecontent.sdk.writer import Writer

__all__ = [
    "DEFAULT_FOLDER",
    "PROFILE_SUFFIX",
    "Profile",
    "check_selections",
    "folder_problem",
    "load_profiles",
]

DEFAULT_FOLDER: Final = Path("exporters")
"""The profiles' folder when none is named; the only one that may be missing."""
PROFILE_SUFFIX: Final = ".toml"
_NOTES: Final = (".md", ".txt")
"""Files in ``exporters/`` that are notes for people, not profiles."""


def _output_folder(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    path = PurePosixPath(value)
    if (
        not value
        or "\\" in value
        or path.is_absolute()
        or any(part in ("", ".", "..") or part.startswith(".") for part in path.parts)
    ):
        raise FieldError(
            attribute.name,
            f"{value!r} is not a folder name inside the output folder",
            "use a relative folder such as 'json' or 'feeds/rss', without '..' or a leading '/'",
        )
    if path.parts[0] == MANIFEST:
        raise FieldError(
            attribute.name,
            f"{value!r} is where the export writes its manifest",
            "choose another folder name",
        )


@attrs.frozen(kw_only=True)
class ProfileFields:
    """The keys a profile file may hold, besides its ``[options]`` table."""

    writer: str = attrs.field(validator=non_empty_text)
    output: str | None = attrs.field(default=None, validator=_output_folder)
    articles: tuple[str, ...] = attrs.field(default=(), validator=identifiers)
    drafts: bool = False
    enabled: bool = True
    description: str = ""


@attrs.frozen(kw_only=True)
class Profile:
    """One channel's export settings, checked against its writer."""

    name: str
    writer: type[Writer[Any]]
    output: str
    """Folder under the output folder, ``/``-separated."""
    articles: tuple[str, ...] = ()
    """Slugs to export; empty means every article."""
    drafts: bool = False
    enabled: bool = True
    options: Any
    """An instance of the writer's options class."""
    overrides: Path | None = None
    """The folder of template overrides, when it exists."""
    file: str | None = None
    """The profile file, or None for a writer's default profile."""
    source_map: SourceMap | None = attrs.field(default=None, eq=False, repr=False)
    """Where the profile file wrote each key, for messages about its values."""

    def select(self, library: Library, *, include_drafts: bool = False) -> tuple[Article, ...]:
        """The articles this profile exports, in library order."""
        wanted = set(self.articles)
        drafts = include_drafts or self.drafts
        return tuple(
            article
            for article in library.articles
            if (not wanted or article.slug in wanted)
            and (drafts or article.status is Status.PUBLISHED)
        )


def load_profiles(folder: Path, registry: Registry) -> tuple[tuple[Profile, ...], list[Diagnostic]]:
    """Every profile in ``folder`` plus default profiles, and every problem found."""
    diagnostics: list[Diagnostic] = []
    profiles: list[Profile] = []
    claimed: set[str] = set()
    missing = folder_problem(folder)
    if missing is not None:
        diagnostics.append(missing)
    files = _profile_files(folder)
    for path in files:
        profile = _load_profile(path, registry, diagnostics, claimed)
        if profile is not None:
            profiles.append(profile)
    names = {path.stem for path in files}
    diagnostics.extend(_stray_entries(folder, names))
    for entry in registry:
        if entry.name in claimed or entry.name in names:
            continue
        try:
            writer = registry.get(entry.name)
        except WriterLoadError as error:
            diagnostics.append(
                Diagnostic(
                    file=f"entry point {entry.name!r} of {entry.distribution}",
                    message=str(error),
                    fix="fix or uninstall that distribution",
                )
            )
            continue
        profiles.append(
            Profile(name=entry.name, writer=writer, output=entry.name, options=writer.options())
        )
    return tuple(sorted(profiles, key=lambda p: p.name)), diagnostics


def check_selections(profiles: tuple[Profile, ...], library: Library) -> Iterator[Diagnostic]:
    """Problems with the article slugs profiles name: each must be an article."""
    slugs = library.ids(ARTICLES)
    for profile in profiles:
        if profile.source_map is None:
            continue
        for index, slug in enumerate(profile.articles):
            if slug in slugs:
                continue
            close = difflib.get_close_matches(slug, slugs, n=1)
            fix = f"did you mean '{close[0]}'?" if close else "name an article's slug"
            finding = Finding(
                path=("articles", index), message=f"no article {slug!r}", fix=fix, needle=slug
            )
            yield place(finding, profile.source_map)


def folder_problem(folder: Path) -> Diagnostic | None:
    """Why ``folder`` cannot be the profiles' folder: it is not a folder, or it is missing
    and is not :data:`DEFAULT_FOLDER` (whose absence means the writers' defaults)."""
    if folder.is_dir():
        return None
    if folder.is_symlink() and not folder.exists():
        return Diagnostic(
            file=str(folder),
            message="the export profiles' folder is a link to nothing",
            fix="point the link at the folder that holds the profiles (*.toml), or remove it",
        )
    if folder.exists():
        return Diagnostic(
            file=str(folder),
            message="the export profiles' folder is a file, not a folder",
            fix="name the folder that holds the profiles (*.toml)",
        )
    if folder == DEFAULT_FOLDER:
        return None
    return Diagnostic(
        file=str(folder),
        message="no such folder of export profiles",
        fix=_missing_folder_fix(folder),
    )


def _missing_folder_fix(folder: Path) -> str:
    parent = folder.parent
    try:
        siblings = sorted(
            entry.name
            for entry in parent.iterdir()
            if entry.is_dir() and not entry.name.startswith(".")
        )
    except OSError:
        siblings = []
    close = difflib.get_close_matches(folder.name, siblings, n=1)
    if close:
        return f"did you mean '{parent / close[0]}'?"
    return (
        "name the folder that holds the profiles (*.toml), or create it; only the default "
        f"'{DEFAULT_FOLDER}' may be missing (every writer then exports with its defaults)"
    )


def _profile_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == PROFILE_SUFFIX and p.is_file())


def _writer_and_options(
    name: object, raw_options: object, registry: Registry, findings: list[Finding]
) -> tuple[type[Writer[Any]] | None, Any]:
    """The writer a profile names and its options structured for it (None for either it
    cannot give), each problem added to ``findings``."""
    writer: type[Writer[Any]] | None = None
    if isinstance(name, str) and name.strip():
        try:
            writer = registry.get(name)
        except UnknownWriterError as error:
            findings.append(Finding(path=("writer",), message=str(error), fix=error.fix))
        except WriterLoadError as error:
            findings.append(
                Finding(path=("writer",), message=str(error), fix="fix or uninstall its package")
            )
    options: Any = None
    if not isinstance(raw_options, dict):
        findings.append(
            Finding(
                path=("options",),
                message="options must be a table",
                fix="write them under an [options] header",
                anchor=Anchor.KEY,
            )
        )
    elif writer is not None:
        try:
            options = structure(raw_options, writer.options)
        except (ClassValidationError, StrictTypeError) as error:
            findings.extend(findings_from(error, ("options",)))
    return writer, options


def _load_profile(
    path: Path, registry: Registry, diagnostics: list[Diagnostic], claimed: set[str]
) -> Profile | None:
    display = str(path)
    if not path.resolve().is_relative_to(path.parent.resolve()):
        diagnostics.append(
            Diagnostic(
                file=display,
                message="a link to a file outside the profiles folder",
                fix="copy the profile into the folder instead of linking to it",
            )
        )
        return None
    try:
        document = read_toml(path, display)
    except SourceSyntaxError as error:
        fix = "correct the TOML syntax at this position (quotes, '=', brackets)"
        diagnostics.append(error.diagnostic(fix))
        return None
    source = document.source
    findings: list[Finding] = []
    problem = check_id(path.stem)
    if problem:
        diagnostics.append(
            Diagnostic(
                file=display, message=f"profile name {path.stem!r} is not valid", fix=problem
            )
        )
    data = dict(document.data)
    if isinstance(data.get("writer"), str):
        # A profile with errors still claims its writer: no default profile runs instead.
        claimed.add(data["writer"])
    raw_options = data.pop("options", {})
    fields: ProfileFields | None = None
    try:
        fields = structure(data, ProfileFields)
    except (ClassValidationError, StrictTypeError) as error:
        findings.extend(findings_from(error))
    writer, options = _writer_and_options(data.get("writer"), raw_options, registry, findings)
    diagnostics.extend(place(finding, source) for finding in findings)
    if findings or problem or fields is None or writer is None or options is None:
        return None
    overrides = path.with_suffix("")
    if overrides.is_dir():
        # Checked here, with the profile: a template that does not parse would otherwise
        # pass validate and fail the export's render.
        syntax = list(override_syntax_errors(overrides))
        if syntax:
            diagnostics.extend(syntax)
            return None
    return Profile(
        name=path.stem,
        writer=writer,
        output=fields.output or path.stem,
        articles=fields.articles,
        drafts=fields.drafts,
        enabled=fields.enabled,
        options=options,
        overrides=overrides if overrides.is_dir() else None,
        file=display,
        source_map=source,
    )


def _stray_entries(folder: Path, names: set[str]) -> Iterator[Diagnostic]:
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or (entry.suffix == PROFILE_SUFFIX and entry.is_file()):
            continue
        if entry.suffix == PROFILE_SUFFIX:
            yield _not_a_profile_file(entry)
            continue
        if entry.is_file() and entry.suffix in _NOTES:
            continue
        if entry.is_dir() and entry.name in names:
            continue
        close = difflib.get_close_matches(entry.stem, sorted(names), n=1)
        if entry.is_dir():
            message = "template folder without a profile of the same name"
            fix = f"rename it to '{close[0]}'" if close else f"add {entry.name}{PROFILE_SUFFIX}"
        else:
            message = "not a profile"
            fix = f"profiles end in {PROFILE_SUFFIX}; notes may be .md or .txt"
        yield Diagnostic(file=str(entry), message=message, fix=fix)


def _not_a_profile_file(entry: Path) -> Diagnostic:
    """``entry`` is named like a profile but is no file: it would be skipped, and its
    writer's default profile would run in its place."""
    if entry.is_dir():
        return Diagnostic(
            file=str(entry),
            message="a folder named like a profile; profiles are files, so it is not read "
            f"and the {entry.stem!r} channel would export with its writer's defaults",
            fix=f"write the profile as the file {entry.name}; template overrides go in a "
            f"folder named {entry.stem!r} (without {PROFILE_SUFFIX})",
        )
    return Diagnostic(
        file=str(entry),
        message="named like a profile but not a file (a link to nothing?)",
        fix=f"replace it with the profile file {entry.name}, or remove it",
    )
