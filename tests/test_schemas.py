"""JSON Schemas for every editable file: what the files in the repository are validates,
and the mistakes editors make fail at the right path (checked with jsonschema_rs, a
Draft 2020-12 validator)."""

from __future__ import annotations

import copy
import json
import os
import tomllib
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from typer.testing import CliRunner

import spikecontent
from spikecontent.cli import app
from spikecontent.loading.yaml_source import parse_yaml
from spikecontent.model import STUDIES
from spikecontent.pipeline import Registry
from spikecontent.schemas import DIALECT, SCHEMA_FILES, content_schemas, profile_schema
from tests.conftest import CONTENT, REPO

runner = CliRunner()


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    return {
        **content_schemas(spikecontent.load(CONTENT)),
        "profile.schema.json": profile_schema(Registry.installed()),
    }


def yaml_data(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8"), str(path)).data


def errors(schema: dict[str, Any], instance: Any) -> list[tuple[str, str]]:
    """Each error as (JSON pointer of the instance path, message)."""
    found = jsonschema_rs.validator_for(schema).iter_errors(instance)
    return [("/" + "/".join(map(str, e.instance_path)), e.message) for e in found]


def test_every_schema_is_a_draft_2020_12_schema(schemas: dict[str, dict[str, Any]]) -> None:
    assert set(schemas) == set(SCHEMA_FILES)
    for name, schema in schemas.items():
        assert schema["$schema"] == DIALECT, name
        assert jsonschema_rs.meta.is_valid(schema), name


def test_every_file_in_the_repository_validates(schemas: dict[str, dict[str, Any]]) -> None:
    assert errors(schemas["site.schema.json"], yaml_data(CONTENT / "site.yaml")) == []
    checked = 0
    for kind in spikecontent.COLLECTIONS:
        for path in sorted((CONTENT / kind.name).glob("*.yaml")):
            assert errors(schemas[f"{kind.name}.schema.json"], yaml_data(path)) == [], path
            checked += 1
    for path in sorted((REPO / "exporters").glob("*.toml")):
        profile = tomllib.loads(path.read_text(encoding="utf-8"))
        assert errors(schemas["profile.schema.json"], profile) == [], path
        checked += 1
    assert checked >= 18


STUDY = CONTENT / "studies" / "hohmann-2012.yaml"
ARTICLE = CONTENT / "articles" / "acupressure-mat-benefits.yaml"


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


DELETE = object()
MISTAKES = [
    # (file, where, the mistake, the path the error names, words in its message)
    (STUDY, ("finding_text",), "a key that does not exist", "/", "finding_text"),
    (STUDY, ("year",), "2012", "/year", "integer"),
    (STUDY, ("finding",), DELETE, "/", "finding"),
    (STUDY, ("design",), "pilot", "/design", "pilot"),
    (STUDY, ("sample", "n"), 0, "/sample/n", "minimum"),
    (STUDY, ("limitations",), [], "/limitations", "less than 1 item"),
    (STUDY, ("url",), "javascript:alert(1)", "/url", "does not match"),
    (ARTICLE, ("slug",), "Acupressure Mat", "/slug", "does not match"),
    (ARTICLE, ("modified",), "July 4, 2026", "/modified", "does not match"),
    (ARTICLE, ("disclaimer",), "wellnes", "/disclaimer", "wellness"),
    (ARTICLE, ("credits", 0, "person"), "maya-elison", "/credits/0/person", "maya-ellison"),
    (ARTICLE, ("lint_allow",), [{"rule": "x", "field": "intro"}], "/lint_allow/0", "reason"),
    # Where the article lives: a link to a page is no place (the loader refuses it too).
    (ARTICLE, ("path",), "page:reviews", "/path", "does not match"),
]


@pytest.mark.parametrize(("file", "where", "value", "pointer", "words"), MISTAKES)
def test_a_typical_mistake_fails_at_its_path(
    schemas: dict[str, dict[str, Any]],
    file: Path,
    where: tuple[Any, ...],
    value: Any,
    pointer: str,
    words: str,
) -> None:
    schema = schemas[f"{file.parent.name}.schema.json"]
    found = errors(schema, set_at(yaml_data(file), where, value))
    assert found, "the mistake went unnoticed"
    assert any(path == pointer and words in message for path, message in found), found


@pytest.mark.parametrize(
    ("change", "pointer", "words"),
    [
        ({"writer": "jsn"}, "/writer", "jsn"),
        ({"options": {"indnet": 2}}, "/options", "indnet"),
        ({"options": {"indent": "two"}}, "/options/indent", "integer"),
        ({"enabled": "yes"}, "/enabled", "boolean"),
    ],
)
def test_a_profile_mistake_fails_at_its_path(
    schemas: dict[str, dict[str, Any]], change: dict[str, Any], pointer: str, words: str
) -> None:
    profile = tomllib.loads((REPO / "exporters" / "json.toml").read_text(encoding="utf-8"))
    found = errors(schemas["profile.schema.json"], {**profile, **change})
    assert any(path == pointer and words in message for path, message in found), found


def test_references_offer_the_ids_that_exist(schemas: dict[str, dict[str, Any]]) -> None:
    citation = schemas["articles.schema.json"]["$defs"]["Citation"]["properties"]["study"]
    assert sorted(citation["enum"]) == sorted(spikecontent.load(CONTENT).ids(STUDIES))
    finding = schemas["studies.schema.json"]["properties"]["finding"]
    assert finding["description"] == "What it found, in plain language."


@pytest.mark.parametrize("under", ["", "sub/folder"])
def test_the_command_refuses_a_file_as_its_folder(tmp_path: Path, under: str) -> None:
    # It ended in a FileExistsError's traceback.
    taken = tmp_path / "afile"
    taken.write_text("kept\n", encoding="utf-8")
    out = taken / under if under else taken
    result = runner.invoke(app, ["schema", "-c", str(CONTENT), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.endswith(
        f"{taken} is a file, not a folder: the schemas are written into a folder (fix: name a"
        " folder for --out, such as .vscode/schemas, or move the file away)\n"
    )
    assert taken.read_text(encoding="utf-8") == "kept\n"


def test_the_command_says_why_it_cannot_write(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):  # as root: every folder is writable
        locked = Path("/proc/schemas")
    result = runner.invoke(app, ["schema", "-c", str(CONTENT), "--out", str(locked / "s")])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"cannot write the schemas into {locked / 's'}: " in result.stderr
    assert result.stderr.endswith(" (fix: name a folder you can write in for --out)\n")


def test_the_command_writes_every_schema_where_vscode_looks(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "-c", str(CONTENT), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SCHEMA_FILES)
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {Path(target).name for target in settings["yaml.schemas"]}
    assert mapped == set(SCHEMA_FILES) - {"profile.schema.json"}
    taplo = tomllib.loads((REPO / ".taplo.toml").read_text(encoding="utf-8"))
    assert taplo["rule"][0]["schema"]["path"].endswith("profile.schema.json")
