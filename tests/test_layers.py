"""The layers of the code, checked from its imports (lazy ones inside functions included).

From the bottom: ``_version``, ``_lazy`` (a package's names imported on first use),
``diagnostics``, ``links``, ``tempfiles``, ``saves``, ``readable`` and ``render_cache``;
``store`` (the incremental engine's machinery: blobs, stamps, generations); ``richtext``; ``model``;
``loading`` and the model's helpers (``document``, ``wording``); ``lint``; ``sdk`` (the
writer SDK); ``pipeline``; ``writers``; ``delivery``; ``api``; ``server`` (running the
API: the app never imports it); ``cli``. docs/architecture.md
draws the same picture.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

import spikecontent.api
import spikecontent.model
import spikecontent.pipeline
import spikecontent.sdk
from tests.conftest import REPO

SRC = REPO / "src" / "spikecontent"
BASE = {
    "_version",
    "_lazy",
    "diagnostics",
    "links",
    "tempfiles",
    "saves",
    "readable",
    "render_cache",
    "picture_files",
}
# The store sits on the base alone; the layers above use it, but writers and the API,
# which never see a file of the store, do not.
STORE = BASE | {"store"}
# What each layer may import, besides itself. A layer missing here may import anything.
ALLOWED: dict[str, set[str]] = {
    "_version": set(),
    "_lazy": set(),
    "diagnostics": set(),
    "links": set(),
    "tempfiles": set(),
    "saves": set(),
    "readable": set(),
    "render_cache": set(),
    "picture_files": set(),
    "store": BASE,
    "richtext": STORE,
    "model": STORE | {"richtext"},
    "loading": STORE | {"richtext", "model"},
    "document": STORE | {"richtext", "model", "loading"},
    "wording": STORE | {"model"},
    "lint": STORE | {"richtext", "model", "loading"},
    "sdk": BASE | {"richtext", "model"},
    "pipeline": STORE | {"richtext", "model", "loading", "lint", "sdk"},
    "article_view": BASE | {"richtext", "model", "wording"},
    "writers": BASE | {"richtext", "model", "sdk", "document", "wording", "article_view"},
    "api": BASE | {"model", "pipeline", "sdk", "schemas", "delivery"},
    # Running the app (uvicorn, workers, logs, watching): above it, through its public names.
    "server": BASE | {"api", "delivery"},
    "delivery": BASE | {"richtext", "model", "loading", "pipeline", "sdk", "document", "writers"},
    "push": STORE | {"writers", "pipeline", "sdk"},
    "evidence": STORE | {"richtext", "model", "loading"},
    "schemas": STORE | {"richtext", "model", "loading", "pipeline", "sdk"},
    "scaffold": STORE | {"richtext", "model", "loading"},
    "preview": STORE | {"richtext", "model", "loading", "lint", "pipeline", "sdk"},
}
# Packages whose other packages may use only the names they export.
PUBLIC_ONLY = {
    "api": {
        "pipeline": set(spikecontent.pipeline.__all__),
        "model": set(spikecontent.model.__all__),
    },
    "writers": {"sdk": set(spikecontent.sdk.__all__)},
    "server": {"api": set(spikecontent.api.__all__)},
}


def layer(path: Path) -> str:
    relative = path.relative_to(SRC)
    return relative.parts[0].removesuffix(".py")


def package_of(path: Path) -> str:
    return ".".join(("spikecontent", *path.relative_to(SRC).with_suffix("").parts[:-1]))


def imports(path: Path, package: str) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """``(module, names, line)`` for every import of a spikecontent module in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against the package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            names = tuple(alias.name for alias in node.names)
            if module == "spikecontent" or module.startswith("spikecontent."):
                yield module, names, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("spikecontent"):
                    yield alias.name, (), node.lineno


def target_layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


SOURCES = sorted(p for p in SRC.rglob("*.py") if layer(p) not in {"__init__", "__main__"})


def test_every_module_is_in_a_known_layer() -> None:
    layers = {layer(p) for p in SOURCES}
    assert layers - set(ALLOWED) == {"cli"}, "give a new package its place in ALLOWED"


def violations(here: str, path: Path, package: str) -> list[str]:
    """Each import in ``path`` (of layer ``here``) that crosses the layers."""
    allowed = ALLOWED.get(here)
    wrong = []
    for module, names, line in imports(path, package):
        there = target_layer(module)
        if there is None:
            if here != "cli" or set(names) - {"__version__"}:
                wrong.append(f"line {line}: the package itself ({module})")
            continue
        if there == here:
            continue
        if allowed is not None and there not in allowed:
            wrong.append(f"line {line}: {module}")
        public = PUBLIC_ONLY.get(here, {}).get(there)
        if public is not None:
            if module != f"spikecontent.{there}":
                wrong.append(f"line {line}: {module} is not {there}'s public interface")
            elif set(names) - public:
                wrong.append(f"line {line}: {sorted(set(names) - public)} not in {there}.__all__")
    return wrong


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_stay_within_the_layers_below(path: Path) -> None:
    assert violations(layer(path), path, package_of(path)) == []


def test_no_cycle_between_packages() -> None:
    edges: dict[str, set[str]] = {}
    for path in SOURCES:
        for module, _names, _line in imports(path, package_of(path)):
            there = target_layer(module)
            if there is not None and there != layer(path):
                edges.setdefault(layer(path), set()).add(there)
    for first, second in itertools.permutations(edges, 2):
        assert not (_reaches(edges, first, second) and _reaches(edges, second, first)), (
            f"{first} and {second} import each other"
        )


def _reaches(edges: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return False


def test_the_checker_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    # Start-up work hides imports inside functions; relative imports name a package too.
    module = tmp_path / "bad.py"
    module.write_text(
        "from .. import pipeline\n"
        "def f():\n"
        "    from spikecontent.pipeline.run import export\n"
        "    from spikecontent.lint import lint_content\n"
        "    from spikecontent.model import Study\n"
    )
    assert violations("api", module, "spikecontent.api") == [
        "line 1: the package itself (spikecontent)",
        "line 3: spikecontent.pipeline.run is not pipeline's public interface",
        "line 4: spikecontent.lint",
    ]
