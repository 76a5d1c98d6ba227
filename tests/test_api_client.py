"""The OpenAPI document types every field of the delivery documents: a client generated
from it (datamodel-code-generator, as a frontend team would) parses what the API serves."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import jsonschema_rs
import pytest

from spikecontent.api import create_api
from tests.conftest import CONTENT, REPO, SLUG
from tests.servers import Server


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with Server(create_api(CONTENT, REPO / "exporters")) as served:
        yield served


@pytest.fixture(scope="module")
def openapi(client: httpx.Client) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def component(openapi: dict[str, Any], name: str, *, array: bool = False) -> dict[str, Any]:
    """One component schema (or a list of it), standalone: the components as its $defs."""
    text = json.dumps(openapi["components"]["schemas"])
    defs = json.loads(text.replace("#/components/schemas/", "#/$defs/"))
    one = {"$ref": f"#/$defs/{name}"}
    return {**({"type": "array", "items": one} if array else one), "$defs": defs}


def test_no_body_of_the_api_is_a_free_form_object(openapi: dict[str, Any]) -> None:
    article = openapi["paths"]["/articles/{slug}"]["get"]["responses"]["200"]
    schema = article["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ArticleDocument"}
    document = openapi["components"]["schemas"]["ArticleDocument"]
    assert document["additionalProperties"] is False
    assert document["properties"]["status"]["enum"] == ["draft", "review", "published"]
    assert document["properties"]["modified"]["format"] == "date"
    assert document["properties"]["intro"] == {"$ref": "#/components/schemas/RichText"}
    # The tree's schema is the one docs/ publishes.
    published = json.loads((REPO / "docs" / "richtext-tree.schema.json").read_text("utf-8"))
    tree = openapi["components"]["schemas"]["RichTextTree"]
    assert tree["items"] == {"$ref": "#/components/schemas/RichTextTreeBlock"}
    assert published["items"] == {"$ref": "#/$defs/block"}
    packaged = REPO / "src" / "spikecontent" / "schemas" / "richtext-tree.json"
    assert json.loads(packaged.read_text("utf-8")) == published


def test_every_served_document_matches_its_schema(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    checks = [
        (f"/articles/{SLUG}", component(openapi, "ArticleDocument")),
        ("/studies/hohmann-2012", component(openapi, "Study")),
        ("/studies", component(openapi, "Study", array=True)),
        ("/cautions", component(openapi, "Caution", array=True)),
    ]
    for path, schema in checks:
        body = client.get(path).json()
        errors = [
            f"{e.instance_path}: {e.message}"
            for e in jsonschema_rs.validator_for(schema).iter_errors(body)
        ]
        assert errors == [], (path, errors[:5])


def generated_client(openapi: dict[str, Any], folder: Path) -> ModuleType:
    source = folder / "openapi.json"
    source.write_text(json.dumps(openapi), encoding="utf-8")
    target = folder / "spikerest_client.py"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(source),
            "--input-file-type",
            "openapi",
            "--output",
            str(target),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--disable-timestamp",
        ],
        check=True,
        capture_output=True,
    )
    spec = importlib.util.spec_from_file_location("spikerest_client", target)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["spikerest_client"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_generated_client_parses_the_article(
    client: httpx.Client, openapi: dict[str, Any], tmp_path: Path
) -> None:
    models = generated_client(openapi, tmp_path)
    document = client.get(f"/articles/{SLUG}").json()
    article = models.ArticleDocument.model_validate(document)
    # Typed down to the rich-text tree and the inlined study.
    assert article.intro.tree.root[0].children[0].text.startswith("Search ")
    assert str(article.status.value) == "published"
    study = article.research.citations[1].study
    assert (study.id, study.year, study.sample.n) == ("hohmann-2012", 2012, 42)
    links = [d for block in article.intro.tree.root for d in block.markDefs]
    assert {link.kind.value for link in links} == {"page"}
    page = models.ArticlePage.model_validate(client.get("/articles").json())
    assert page.items[0].api == f"/articles/{SLUG}"
    # The entry metadata, reference links and the sync feed (issue 41, item 2).
    assert article.sys.id == SLUG
    assert article.sys.revision == page.items[0].sys.revision
    assert page.items[0].sys.content_version
    shallow = client.get(f"/articles/{SLUG}", params={"include": 0}).json()
    linked = models.ArticleDocument.model_validate(shallow).research.citations[1].study
    assert (linked.sys.type, linked.sys.link_type, linked.sys.id) == (
        "Link",
        "Study",
        "hohmann-2012",
    )
    sync = models.SyncPage.model_validate(client.get("/sync").json())
    assert {(entry["sys"]["type"], entry["sys"]["id"]) for entry in sync.created} >= {
        ("Article", SLUG),
        ("Study", "hohmann-2012"),
    }
    assert sync.next_sync_token
