"""Lint's findings cache: unchanged articles keep their findings, any change relints them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spikecontent import ContentError
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


def test_a_stored_finding_is_served_until_an_input_changes(
    content_copy: Path, edit: Edit, tmp_path: Path
) -> None:
    rules = load_rules(content_copy / LINT_FOLDER)
    store = tmp_path / "store"
    lint_content(load_with_sources(content_copy), rules, cache=cache_of(content_copy, store))
    # Plant a finding in the store: served as long as the article's inputs are unchanged.
    digest = rules_digest(content_copy / LINT_FOLDER)
    data = json.loads(bytes(Blobs(store).get(FINDINGS, digest) or b""))
    # Kept per article and per other file (studies, cautions, the site): the article's
    # key is the one whose findings are in the article's file.
    [key] = [
        k for k, found in data["findings"].items() if any("/articles/" in f["path"] for f in found)
    ]
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
    data["findings"][key].append(planted)
    Blobs(store).put(FINDINGS, digest, json.dumps(data).encode())

    def planted_served() -> bool:
        findings = lint_content(
            load_with_sources(content_copy), rules, cache=cache_of(content_copy, store)
        )
        return any(f.rule == "planted" for f in findings)

    assert planted_served()
    # A caution the article lists is one of its inputs (cross-checks point into it).
    edit("cautions/pregnancy.yaml", "id: pregnancy", "# reviewed\nid: pregnancy")
    assert not planted_served()


def test_a_files_findings_outside_articles_are_kept_until_it_changes(
    content_copy: Path, edit: Edit, tmp_path: Path
) -> None:
    rules = load_rules(content_copy / LINT_FOLDER)
    store = tmp_path / "store"
    lint_content(load_with_sources(content_copy), rules, cache=cache_of(content_copy, store))
    digest = rules_digest(content_copy / LINT_FOLDER)
    data = json.loads(bytes(Blobs(store).get(FINDINGS, digest) or b""))
    # The study's own file (its intervention gets the second opinion's warning).
    [key] = [
        k
        for k, found in data["findings"].items()
        if any(f["path"].endswith("/studies/bed-of-nails-2011.yaml") for f in found)
    ]
    for finding in data["findings"][key]:
        finding["message"] = "from the store"
    Blobs(store).put(FINDINGS, digest, json.dumps(data).encode())

    def served() -> bool:
        findings = lint_content(
            load_with_sources(content_copy), rules, cache=cache_of(content_copy, store)
        )
        return any(f.message == "from the store" for f in findings)

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
