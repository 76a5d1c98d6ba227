"""JSON Schemas for every file an editor writes: content kinds, ``site.yaml`` and each
writer's export profile, generated from the attrs model and the writers' option classes
(``spikecontent schema``), for editors such as VS Code with yaml-language-server."""

from spikecontent.schemas.files import SCHEMA_FILES, content_schemas, profile_schema, write_schemas
from spikecontent.schemas.generate import DIALECT, SchemaBuilder

__all__ = [
    "DIALECT",
    "SCHEMA_FILES",
    "SchemaBuilder",
    "content_schemas",
    "profile_schema",
    "write_schemas",
]
