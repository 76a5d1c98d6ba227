"""The editorial integrity linter: no channel ships a disease claim or an overstated study.

Rules come from YAML files (:mod:`.rule_files`): packaged defaults drawn from the FTC's
health-products guidance, FDA's general-wellness policy and ASA rulings, overridden by
the project's ``content/lint/*.yaml``. Each text field is read in its scope
(:mod:`.texts`), matches are filtered for negation, hedges and attribution
(:mod:`.matching`), and the model gets structural checks (:mod:`.structure`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spikecontent._lazy import lazy_names

if TYPE_CHECKING:
    from spikecontent.lint.linter import lint_content, lint_entries, lint_text, project_rules
    from spikecontent.lint.rule_files import RuleFileError, load_rules
    from spikecontent.lint.rules import Level, Rule, Scope
    from spikecontent.lint.texts import Text

__all__ = [
    "Level",
    "Rule",
    "RuleFileError",
    "Scope",
    "Text",
    "lint_content",
    "lint_entries",
    "lint_text",
    "load_rules",
    "project_rules",
]

_ORIGINS: dict[str, str] = {
    "Level": "spikecontent.lint.rules",
    "Rule": "spikecontent.lint.rules",
    "RuleFileError": "spikecontent.lint.rule_files",
    "Scope": "spikecontent.lint.rules",
    "Text": "spikecontent.lint.texts",
    "lint_content": "spikecontent.lint.linter",
    "lint_entries": "spikecontent.lint.linter",
    "lint_text": "spikecontent.lint.linter",
    "load_rules": "spikecontent.lint.rule_files",
    "project_rules": "spikecontent.lint.linter",
}
"""Where each public name lives, imported on first use: a module that needs one part of
lint (the packaged rule files, the vocabulary's digest) does not import the linter, its
matching and the loader (``validate`` of an unchanged project needs only those two)."""

if not TYPE_CHECKING:  # mypy checks the names through the imports above instead
    __getattr__, __dir__ = lazy_names(__name__, _ORIGINS)
