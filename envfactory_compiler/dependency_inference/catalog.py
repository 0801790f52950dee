"""The resources of a spec, indexed the ways inference looks them up.

The IR's endpoints name their resource but the `Resource` records (collection
path, id field, representation schema) live on `NormalizedSpec`; the
inferencer takes only the document and endpoints, so it recomputes them with
stage 1's own `infer_resources` rather than guessing them a second way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..ir import EndpointDef, Resource
from ..schema_ingestion.resources import infer_resources
from .names import object_nouns


@dataclass
class Catalog:
    """Resources by name, by collection path and by the nouns they go by."""

    resources: dict[str, Resource]
    by_collection: dict[str, Resource] = field(default_factory=dict)
    by_noun: dict[str, list[Resource]] = field(default_factory=dict)
    by_schema: dict[str, list[Resource]] = field(default_factory=dict)
    nouns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        document: Any,
        endpoints: Iterable[EndpointDef],
        resources: Iterable[Resource] | None = None,
    ) -> Catalog:
        if resources is None:
            resources, _ = infer_resources(document, list(endpoints))
        catalog = cls({r.name: r for r in resources})
        for resource in catalog.resources.values():
            catalog.by_collection[resource.collection_path] = resource
            catalog.nouns[resource.name] = resource_nouns(resource)
            for noun in catalog.nouns[resource.name]:
                catalog.by_noun.setdefault(noun, []).append(resource)
            if resource.schema_pointer:
                catalog.by_schema.setdefault(resource.schema_pointer, []).append(
                    resource
                )
        return catalog

    def nouns_of(self, name: str | None) -> tuple[str, ...]:
        return self.nouns.get(name or "", ())


def schema_nouns(pointer: str | None) -> tuple[str, ...]:
    """Nouns of a named schema (`/components/schemas/PetResponse` -> pet_response, pet)."""
    prefix = "/components/schemas/"
    if not pointer or not pointer.startswith(prefix) or "/" in pointer[len(prefix) :]:
        return ()
    return object_nouns(pointer[len(prefix) :].replace("~1", "/").replace("~0", "~"))


def resource_nouns(resource: Resource) -> tuple[str, ...]:
    """`dns_records` -> dns_record; `sites_builds` at /sites/{}/builds -> sites_build, build."""
    last = next(
        (s for s in reversed(resource.collection_path.split("/")) if s and s != "{}"),
        "",
    )
    found = object_nouns(resource.name) + object_nouns(last)
    found += schema_nouns(resource.schema_pointer)
    return tuple(dict.fromkeys(found))
