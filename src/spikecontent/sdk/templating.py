"""The Jinja2 environment every HTML-producing writer uses for its templates."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from spikecontent.sdk.templates import TEMPLATE_FILE_PREFIX, Templates

if TYPE_CHECKING:
    import jinja2

__all__ = ["CompiledTemplates", "environment"]


def environment(templates: Templates) -> jinja2.Environment:
    """Templates from the profile's overrides or the writer's package, autoescaped, and
    strict: an undefined variable is an error, never an empty string.

    Sandboxed whenever the profile has a folder of overrides: an override is data a
    designer edits, and must not reach Python (attributes starting with ``_``, and
    changes to objects, are refused). Without that folder only the writer's packaged
    templates can be read, code shipped with the writer as its Python is, and they run
    outside the sandbox, whose check of every attribute read and every call was a fifth
    of rendering an article's page. The folder is known when the profile is read
    (:attr:`Templates.overrides`); one set later makes the loader refuse rather than run
    an override outside the sandbox."""
    import jinja2  # imported here: only rendering needs it, and start-up stays light

    sandboxed = templates.overrides is not None

    def load(name: str) -> tuple[str, str, Callable[[], bool]]:
        if templates.overrides is not None and not sandboxed:
            raise RuntimeError("template overrides appeared after the environment was made")
        # The name as the template's file name: errors inside it then name its line.
        return templates.read_text(name), TEMPLATE_FILE_PREFIX + name, lambda: True

    kind = _sandbox() if sandboxed else jinja2.Environment
    return kind(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_compiled_code(sandboxed),
    )


_SAFE: dict[tuple[type, str], bool] = {}
"""The sandbox's answers, by the kind of object and the attribute's name."""
_SAFE_KEPT: Final = 4096


@functools.cache
def _sandbox() -> type[jinja2.Environment]:
    """Jinja's immutable sandbox, asking its question once per kind of object and name.

    Whether a template may read ``obj.name`` depends, in the sandbox's rules, on the name
    and on what ``obj`` is an instance of (a function, a type, a list, a mapping...),
    never on the object itself. Asked for every attribute a page or a card reads, the
    question (isinstance checks against the abstract collection classes) was a sixth of
    rendering the macro board."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            key = (type(obj), attr)
            safe = _SAFE.get(key)
            if safe is None:
                safe = super().is_safe_attribute(obj, attr, value)
                if len(_SAFE) < _SAFE_KEPT:
                    _SAFE[key] = safe
            return safe

    return Sandbox


@functools.cache
def _compiled_code(sandboxed: bool) -> jinja2.BytecodeCache:
    """Templates compiled once per process, by name and source: an export makes a new
    environment for each writer, and ``export --watch`` a new writer for each run. One
    cache for sandboxed environments and one for the others: Jinja compiles a call
    differently inside the sandbox (through its check)."""
    import jinja2

    class CompiledCode(jinja2.BytecodeCache):
        # Code objects, kept as they are: nothing is written or read back.
        def __init__(self) -> None:
            self._code: dict[tuple[str, str], Any] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            bucket.code = self._code.get((bucket.key, bucket.checksum))

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self._code[bucket.key, bucket.checksum] = bucket.code

    return CompiledCode()


class CompiledTemplates:
    """One writer's templates, each compiled once and kept for the writer's lifetime
    (compiling ``page.html`` took longer than rendering it). Not pickled: a worker
    process compiles its own."""

    def __init__(self, templates: Templates) -> None:
        self._templates = templates
        self._environment: jinja2.Environment | None = None
        # By name: Jinja's own cache asks the loader, for each page, whether it is current.
        self._kept: dict[str, jinja2.Template] = {}

    def get(self, name: str) -> jinja2.Template:
        """Template ``name``, compiled on first use."""
        template = self._kept.get(name)
        if template is None:
            if self._environment is None:
                self._environment = environment(self._templates)
            template = self._kept[name] = self._environment.get_template(name)
        return template

    def __getstate__(self) -> dict[str, object]:
        return {"_templates": self._templates, "_environment": None, "_kept": {}}
