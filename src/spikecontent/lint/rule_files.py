"""Read rule files: the packaged defaults, then the project's own in ``content/lint/``.

A project rule with the id of a packaged one replaces it (``enabled: false`` turns it
off); new ids add rules. Every problem in every file is reported at once, at its
``file:line:col``, like content errors.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

import attrs
from cattrs.errors import ClassValidationError

from spikecontent.diagnostics import ContentError, Diagnostic, unreadable
from spikecontent.lint.rules import ProjectRule, Rule, packaged_patterns
from spikecontent.loading.converter import StrictTypeError, structure
from spikecontent.loading.findings import findings_from, place
from spikecontent.loading.source_map import (
    MAX_FILE_BYTES,
    SourceSyntaxError,
    decode_text,
)
from spikecontent.loading.yaml_source import parse_yaml

__all__ = ["RuleFileError", "load_rules", "packaged_rule_files"]

PACKAGE = "spikecontent.lint.defaults"


class RuleFileError(ContentError):
    """A rule file that cannot be used (a usage error to the command line: exit code 2)."""

    exit_code = 2


@attrs.frozen(kw_only=True)
class _RuleFile:
    rules: tuple[Rule, ...]


@attrs.frozen(kw_only=True)
class _ProjectRuleFile:
    rules: tuple[ProjectRule, ...]


def load_rules(project: Path | None = None) -> tuple[Rule, ...]:
    """The enabled rules: packaged defaults overridden by ``project``'s ``*.yaml`` files."""
    problems: list[Diagnostic] = []
    layers = [[_read(data, name, problems) for name, data in packaged_rule_files()]]
    if project is not None and project.is_dir():
        files = sorted(p for p in project.iterdir() if p.suffix in (".yaml", ".yml"))
        readable = [(p, data) for p in files if (data := _project_bytes(p, problems)) is not None]
        layers.append([_read(data, str(p), problems, project=True) for p, data in readable])
    if problems:
        raise RuleFileError(problems)
    rules: dict[str, Rule] = {}
    for layer in layers:
        seen: dict[str, str] = {}
        for display, file_rules in layer:
            for rule in file_rules:
                if rule.id in seen:
                    problems.append(
                        Diagnostic(
                            file=display,
                            message=f"rule {rule.id!r} is also defined in {seen[rule.id]}",
                            fix="give one of them another id",
                        )
                    )
                seen[rule.id] = display
                rules[rule.id] = rule
    if problems:
        raise RuleFileError(problems)
    return tuple(rule for rule in rules.values() if rule.enabled)


def packaged_rule_files() -> list[tuple[str, bytes]]:
    """The default rule files as ``(display name, bytes)``, in name order."""
    packaged = importlib.resources.files(PACKAGE)
    return [
        (f"<spikecontent>/lint/{entry.name}", entry.read_bytes())
        for entry in sorted(packaged.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    ]


def _project_bytes(path: Path, problems: list[Diagnostic]) -> bytes | None:
    """A project rule file's bytes, read as content files are: never through a link out
    of the content folder (``content/lint/`` is the content team's), never a device or
    other special file, and never more than the content's size limit."""
    display = str(path)
    content_root = path.parent.parent.resolve()
    if not path.resolve().is_relative_to(content_root):
        problems.append(
            Diagnostic(
                file=display,
                message="a link to a file outside the content folder",
                fix="copy the rule file into content/lint/ instead of linking to it",
            )
        )
        return None
    if not path.is_file():
        problems.append(
            Diagnostic(file=display, message="not a regular file", fix="remove it from lint/")
        )
        return None
    try:
        with path.open("rb") as stream:
            return stream.read(MAX_FILE_BYTES + 1)  # one byte over: decode_text refuses it
    except OSError as error:
        message, fix = unreadable(error, display)
        problems.append(Diagnostic(file=display, message=message, fix=fix))
        return None


def _read(
    data: bytes, display: str, problems: list[Diagnostic], *, project: bool = False
) -> tuple[str, tuple[Rule, ...]]:
    rules, found = _parsed(data, display, project)
    problems.extend(found)
    return display, rules


@functools.lru_cache(maxsize=64)
def _parsed(
    data: bytes, display: str, project: bool
) -> tuple[tuple[Rule, ...], tuple[Diagnostic, ...]]:
    """A rule file's rules, or its problems; kept for the bytes, so a process exporting
    again (``--watch``) does not parse and compile unchanged rule files every time."""
    try:
        document = parse_yaml(decode_text(data, display), display)
    except SourceSyntaxError as error:
        fix = "correct the YAML syntax at this position (indentation, quotes, colons)"
        return (), (error.diagnostic(fix, prefix="invalid YAML: "),)
    try:
        if project:
            return structure(document.data, _ProjectRuleFile).rules, ()
        with packaged_patterns():
            return structure(document.data, _RuleFile).rules, ()
    except (ClassValidationError, StrictTypeError) as error:
        return (), tuple(place(finding, document.source) for finding in findings_from(error))
