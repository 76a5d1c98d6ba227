"""Which schema describes which file, and writing them all into one folder."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final

from spikecontent.model import COLLECTIONS, Library, Site
from spikecontent.pipeline import Registry
from spikecontent.pipeline.output import write_atomically
from spikecontent.pipeline.profiles import ProfileFields
from spikecontent.schemas.generate import DIALECT, SchemaBuilder

__all__ = ["SCHEMA_FILES", "content_schemas", "profile_schema", "write_schemas"]

SCHEMA_FILES: Final = {
    "site.schema.json": "site.yaml",
    **{f"{kind.name}.schema.json": f"{kind.name}/*.yaml" for kind in COLLECTIONS},
    "profile.schema.json": "exporters/*.toml",
}
"""Each schema file and the files (relative to content/, or the project) it describes."""


def content_schemas(library: Library | None) -> dict[str, dict[str, Any]]:
    """The schema of site.yaml and of each content kind's files, by schema file name. With
    ``library``, references offer the ids that exist."""
    ids = {kind.name: library.ids(kind) for kind in COLLECTIONS} if library else {}
    if library is not None:
        ids["pages"] = tuple(page.id for page in library.site.pages)
    schemas = {"site.schema.json": SchemaBuilder(ids).document(Site, title="content/site.yaml")}
    for kind in COLLECTIONS:
        title = f"content/{kind.name}/*.yaml: one {kind.singular}"
        schemas[f"{kind.name}.schema.json"] = SchemaBuilder(ids).document(kind.cls, title=title)
    return schemas


def profile_schema(registry: Registry) -> dict[str, Any]:
    """The schema of an export profile: its own keys, and ``[options]`` as the chosen
    writer's options class takes them."""
    builder = SchemaBuilder()
    root = builder.object(ProfileFields)
    names = sorted(entry.name for entry in registry)
    root["properties"]["writer"] = {
        "enum": names,
        "description": "The writer that makes this channel's files.",
    }
    root["properties"]["options"] = {"type": "object", "description": "The writer's options."}
    cases = []
    for name in names:
        options = builder.object(registry.get(name).options)
        cases.append(
            {
                "if": {"properties": {"writer": {"const": name}}, "required": ["writer"]},
                "then": {"properties": {"options": options}},
            }
        )
    return {
        "$schema": DIALECT,
        "title": "exporters/*.toml: an export profile",
        **root,
        "allOf": cases,
        "$defs": dict(sorted(builder.defs.items())),
    }


def write_schemas(
    folder: str | os.PathLike[str], library: Library | None, registry: Registry
) -> list[Path]:
    """Write every schema into ``folder``; the files written, in name order."""
    out = Path(folder)
    schemas = {**content_schemas(library), "profile.schema.json": profile_schema(registry)}
    written = []
    for name, schema in sorted(schemas.items()):
        data = (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode()
        write_atomically(out / name, data)
        written.append(out / name)
    return written
