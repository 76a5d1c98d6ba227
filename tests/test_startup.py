"""`validate` stays light: it imports only the core dependencies, never a writer's."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import distribution, packages_distributions

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
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['spikecontent', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('spikecontent', run_name='__main__')\n"
        "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "print('\\n'.join('module ' + m for m in sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    # Lines of their own: the command prints its warnings on stderr too.
    return {
        line.removeprefix("module ").split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("module ")
    }


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
