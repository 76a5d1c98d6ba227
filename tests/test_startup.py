"""Start-up pays for what it uses: `validate` imports only the core dependencies, never a
writer's; --version and --help import no model; validate of an unchanged project, answered
from its last report, imports no loader and no linter (docs/performance.md, Issue 44)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import CONTENT, REPO


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def core_distributions() -> set[str]:
    """spikecontent's runtime requirements (no extras), followed transitively."""
    seen: set[str] = set()
    pending = ["spikecontent"]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in distribution(name).requires or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(normalized(requirement.name))
    return seen


def loaded_top_level_modules(*args: str) -> set[str]:
    """Top-level modules in sys.modules after running the CLI in a fresh interpreter."""
    modules, _out = loaded_modules(*args)
    return {module.split(".")[0] for module in modules}


def importtime_modules(*args: str) -> set[str]:
    """Every module `python -X importtime -m spikecontent ...` reports (tried or loaded)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "spikecontent", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S.*)$", result.stderr, re.MULTILINE)
    return {name.strip().split(".")[0] for name in names}


def test_validate_imports_only_the_core_dependency_closure() -> None:
    modules = loaded_top_level_modules("validate", str(CONTENT))
    core = core_distributions()
    owners = packages_distributions()
    outside = {
        module
        for module in modules - set(sys.stdlib_module_names) - {"spikecontent"}
        if not any(normalized(d) in core for d in owners.get(module, []))
        and not module.startswith("_")
        and module != "cython_runtime"  # created by ruamel.yaml.clib's Cython extension
    }
    assert "spikecontent" in modules
    assert outside == set()


def test_validate_imports_no_known_writer_dependency() -> None:
    modules = importtime_modules("validate", str(CONTENT))
    writers = {"weasyprint", "feedgen", "jinja2", "lxml", "segno", "pikepdf", "litestar", "uvicorn"}
    assert modules.isdisjoint(writers)


def loaded_modules(*args: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Every module in sys.modules after running the CLI in a fresh interpreter, and what
    the command printed on stdout."""
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['spikecontent', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('spikecontent', run_name='__main__')\n"
        "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "print('\\n'.join('module ' + m for m in sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        env=env,
    )
    modules = {
        line.removeprefix("module ")
        for line in result.stderr.splitlines()
        if line.startswith("module ")
    }
    return modules, result.stdout


# What no command that only answers (--version, --help, validate from its last report)
# has any use for: writers' libraries, the API and its server, the export.
NEVER_FOR_AN_ANSWER = {
    "weasyprint",
    "feedgen",
    "jinja2",
    "lxml",
    "segno",
    "pikepdf",
    "uvicorn",
    "watchfiles",
    "rich.progress",
    "spikecontent.api",
    "spikecontent.server",
    "spikecontent.delivery",
    "spikecontent.preview",
    "spikecontent.pipeline.run",
    "spikecontent.pipeline.rendering",
    "spikecontent.pipeline.planning",
}
# Nor do --version and --help need the content model or anything that reads content.
NOT_FOR_VERSION_OR_HELP = NEVER_FOR_AN_ANSWER | {
    "attrs",
    "cattrs",
    "markdown_it",
    "ruamel.yaml",
    "msgspec",
    "spikecontent.model",
    "spikecontent.loading",
    "spikecontent.lint",
    "spikecontent.pipeline",
    "spikecontent.richtext",
    "spikecontent.sdk",
    "spikecontent.store",
    "spikecontent.writers",
}


def test_version_and_help_import_no_model_and_no_writer() -> None:
    for args in (["--version"], ["--help"], ["export", "--help"]):
        modules, out = loaded_modules(*args)
        assert out.strip(), args
        assert modules & NOT_FOR_VERSION_OR_HELP == set(), args


def test_validate_of_an_unchanged_project_imports_no_check(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    checked, first = loaded_modules("validate", str(content), env=env)
    # The first run checks: loader, linter and the project's check are imported.
    assert {"spikecontent.loading.loader", "spikecontent.lint.linter"} <= checked
    answered, second = loaded_modules("validate", str(content), env=env)
    assert second == first
    assert "OK" in second
    # The second answers from the dependency graph's last report: no loading, no lint,
    # no Markdown parser, no picture reader, no evidence lock.
    assert answered & NEVER_FOR_AN_ANSWER == set()
    assert (
        answered
        & {
            "spikecontent.loading.loader",
            "spikecontent.loading.evidence_lock",
            "spikecontent.lint.linter",
            "spikecontent.lint.findings_cache",
            "spikecontent.pipeline.project",
            "markdown_it",
            "imagesize",
        }
        == set()
    )


def test_an_export_whose_output_is_no_terminal_imports_no_rich(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):  # either would make rich decide
        env.pop(name, None)
    out = tmp_path / "out"
    exporters = str(REPO / "exporters")
    arguments = ("export", "-c", str(CONTENT), "-e", exporters, "-o", str(out), "--only", "json")
    modules, _ = loaded_modules(*arguments, env=env)
    assert (out / "manifest.json").is_file()
    # Progress goes to a pipe, as lines: rich's console and bar are never imported.
    assert {module for module in modules if module.split(".")[0] == "rich"} == set()
    # Its few artifacts render here: no process pool, so no multiprocessing either.
    assert {"multiprocessing", "concurrent.futures.process"} & modules == set()


PACKAGES_WITH_LAZY_NAMES = ("spikecontent", "spikecontent.pipeline", "spikecontent.lint")


def test_import_spikecontent_imports_none_of_its_modules() -> None:
    script = (
        "import sys, spikecontent\n"
        "print(sorted(m for m in sys.modules if m.startswith('spikecontent')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "['spikecontent', 'spikecontent._lazy']"


@pytest.mark.parametrize("name", PACKAGES_WITH_LAZY_NAMES)
def test_every_lazy_name_is_the_object_where_it_lives(name: str) -> None:
    package = importlib.import_module(name)
    origins: dict[str, str] = vars(package)["_ORIGINS"]
    assert set(origins) <= set(package.__all__)
    assert set(package.__all__) <= set(dir(package))
    submodules = {module.name for module in pkgutil.iter_modules(package.__path__)}
    # A lazy name that is also a submodule's would turn into the module once imported.
    assert set(origins).isdisjoint(submodules)
    for public, origin in origins.items():
        assert getattr(package, public) is getattr(importlib.import_module(origin), public)
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        _ = package.no_such_name


def test_a_submodule_is_an_attribute_of_its_package_after_import_alone() -> None:
    # An eager package made `spikecontent.pipeline` work after `import spikecontent`;
    # code written against that keeps working.
    script = (
        "import spikecontent\n"
        "print(spikecontent.pipeline.export is spikecontent.export,"
        " spikecontent.diagnostics.format_path.__module__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.split() == ["True", "spikecontent.diagnostics"]
