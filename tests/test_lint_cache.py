"""Lint's findings cache: unchanged articles keep their findings, any change relints them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spikecontent import ContentError, Diagnostic
from spikecontent.lint import lint_content, load_rules
from spikecontent.lint.findings_cache import FINDINGS, FindingsCache, rules_digest
from spikecontent.loading.loader import LINT_FOLDER, load_with_sources
from spikecontent.pipeline.manifest import LOAD_CACHE
from spikecontent.store import Blobs
from spikecontent.store.generations import private_folder
from tests.conftest import SLUG, Edit, Project

SAFE_FOR_PREGNANCY = (
    "    The mat is perfectly fine and safe for pregnant women.\n\n    Every study cited above"
)


def cache_of(content: Path, store: Path) -> FindingsCache:
    return FindingsCache(store, rules_digest(content / LINT_FOLDER))


def kept_findings(store: Path) -> Path:
    """The one blob of findings in the store under ``store``."""
    (found,) = (store / FINDINGS).iterdir()
    return found


def test_cached_findings_are_the_findings(content_copy: Path, edit: Edit, tmp_path: Path) -> None:
    edit(f"articles/{SLUG}.yaml", "    Every study cited above", SAFE_FOR_PREGNANCY)
    rules = load_rules(content_copy / LINT_FOLDER)
    loaded = load_with_sources(content_copy)
    store = tmp_path / "store"
    fresh = lint_content(loaded, rules)
    first = lint_content(loaded, rules, cache=cache_of(content_copy, store))
    assert kept_findings(store).is_file()
    second = lint_content(loaded, rules, cache=cache_of(content_copy, store))
    assert fresh == first == second
    assert any(f.rule == "structure.safe-for-caution" for f in second)


def linted_and_kept(content: Path, store: Path) -> dict[str, Any]:
    """Lint ``content`` once with a findings cache in ``store``: the blob kept there."""
    rules = load_rules(content / LINT_FOLDER)
    lint_content(load_with_sources(content), rules, cache=cache_of(content, store))
    return json.loads(bytes(Blobs(store).get(FINDINGS, rules_digest(content / LINT_FOLDER)) or b""))


def key_holding(data: dict[str, Any], path: str) -> str:
    """The one key whose kept findings are in a file whose path holds ``path``: findings
    are kept per article and per other file (studies, cautions, the site)."""
    [key] = [k for k, found in data["findings"].items() if any(path in f["path"] for f in found)]
    return key


def keep(content: Path, store: Path, data: dict[str, Any]) -> None:
    Blobs(store).put(FINDINGS, rules_digest(content / LINT_FOLDER), json.dumps(data).encode())


def linted_again(content: Path, store: Path) -> list[Diagnostic]:
    rules = load_rules(content / LINT_FOLDER)
    return lint_content(load_with_sources(content), rules, cache=cache_of(content, store))


def test_a_stored_finding_is_served_until_an_input_changes(
    content_copy: Path, edit: Edit, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    # Plant a finding in the store: served as long as the article's inputs are unchanged.
    data = linted_and_kept(content_copy, store)
    planted = {
        "path": "planted.yaml",
        "line": 1,
        "col": 1,
        "rule": "planted",
        "level": "warning",
        "message": "from the store",
        "suggestion": "",
        "link": None,
        "field": "",
        "reason": "",
        "excerpt": "",
    }
    data["findings"][key_holding(data, "/articles/")].append(planted)
    keep(content_copy, store, data)

    def planted_served() -> bool:
        return any(f.rule == "planted" for f in linted_again(content_copy, store))

    assert planted_served()
    # A caution the article lists is one of its inputs (cross-checks point into it).
    edit("cautions/pregnancy.yaml", "id: pregnancy", "# reviewed\nid: pregnancy")
    assert not planted_served()


def test_a_files_findings_outside_articles_are_kept_until_it_changes(
    content_copy: Path, edit: Edit, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    data = linted_and_kept(content_copy, store)
    # The study's own file (its intervention gets the second opinion's warning).
    for finding in data["findings"][key_holding(data, "/studies/bed-of-nails-2011.yaml")]:
        finding["message"] = "from the store"
    keep(content_copy, store, data)

    def served() -> bool:
        return any(f.message == "from the store" for f in linted_again(content_copy, store))

    assert served()
    edit(
        "studies/bed-of-nails-2011.yaml",
        "id: bed-of-nails-2011",
        "# reviewed\nid: bed-of-nails-2011",
    )
    assert not served()


def test_a_new_project_rule_relints_cached_articles(content_copy: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    lint_content(load_with_sources(content_copy), load_rules(), cache=cache_of(content_copy, store))
    (content_copy / LINT_FOLDER).mkdir()
    (content_copy / LINT_FOLDER / "house.yaml").write_text(
        "rules:\n"
        "  - id: no-bed-of-nails\n"
        "    extends: existence\n"
        "    level: warning\n"
        "    message: \"say 'acupressure mat', not '{match}'\"\n"
        "    scope: [research]\n"
        "    tokens: [bed of nails]\n",
        encoding="utf-8",
    )
    rules = load_rules(content_copy / LINT_FOLDER)
    findings = lint_content(
        load_with_sources(content_copy), rules, cache=cache_of(content_copy, store)
    )
    assert any(f.rule == "no-bed-of-nails" for f in findings)


def test_an_export_relints_the_changed_article(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["json"]).ok
    assert kept_findings(private_folder(project.out) / LOAD_CACHE).is_file()
    project.edit(f"articles/{SLUG}.yaml", "    Every study cited above", SAFE_FOR_PREGNANCY)
    with pytest.raises(ContentError) as raised:
        project.export(only=["json"])
    assert any(d.rule == "structure.safe-for-caution" for d in raised.value.diagnostics)
    # Put back, the article exports again with the warnings of before.
    project.edit(f"articles/{SLUG}.yaml", SAFE_FOR_PREGNANCY, "    Every study cited above")
    assert project.export(only=["json"]).ok
