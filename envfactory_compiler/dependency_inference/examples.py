"""Items in a response documented only by an example (policy `examples`).

Some specs (orbit-love) give no response schemas, only examples; those are
then the documentation of the answer's shape. Examples are concrete, so
arrays are walked element by element (a JSON:API `included` list mixes
kinds) and a JSON:API resource object (`{"id", "type", "attributes"}`) is
one item whose noun is its `type` and whose fields include its attributes.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import pointer_join, pointer_split
from ..ir import EndpointDef, Response
from ..schema_ingestion.normalization import deref
from ..schema_ingestion.references import resolve_pointer
from .identity import Identifier, IdField, Item
from .names import ENVELOPES, object_nouns
from .policy import EMBEDDED_DEPTH, Policy
from .schemas import MAX_DEPTH

MAX_ELEMENTS = 20
_OBJECT = {"type": "object"}
_SCALARS = (
    (bool, {"type": "boolean"}),
    (int, {"type": "integer"}),
    (float, {"type": "number"}),
    (str, {"type": "string"}),
)


def response_example(document: Any, endpoint: EndpointDef, response: Response) -> Any:
    """The example of a response's chosen media type (`example`, else the first `examples` entry)."""
    pointer = pointer_join(
        *pointer_split(endpoint.pointer), "responses", response.status
    )
    raw, _ = deref(document, resolve_pointer(document, pointer), pointer)
    media = ((raw or {}).get("content") or {}).get(response.content_type or "") or {}
    if "example" in media:
        return media["example"]
    for value in (media.get("examples") or {}).values():
        value, _ = deref(document, value, "")
        if isinstance(value, dict) and "value" in value:
            return value["value"]
    return None


class ExampleWalker:
    """Collects the items of one example value."""

    def __init__(
        self,
        identify: Identifier,
        endpoint: EndpointDef,
        owner_nouns: tuple[str, ...],
        policy: Policy,
    ) -> None:
        self.identify = identify
        self.endpoint = endpoint
        self.owner_nouns = owner_nouns
        self.policy = policy
        self.found: list[Item] = []

    def walk(self, example: Any) -> list[Item]:
        self.found = []
        self._walk(example, "", self.owner_nouns, 0, 0)
        return self.found

    def _walk(
        self,
        value: Any,
        pointer: str,
        hints: tuple[str, ...],
        depth: int,
        embedded: int,
    ) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(value, (list, tuple)):
            for position, element in enumerate(value[:MAX_ELEMENTS]):
                self._walk(element, f"{pointer}/{position}", hints, depth + 1, embedded)
            return
        if not isinstance(value, dict):
            return
        typed = (
            object_nouns(value["type"])
            if isinstance(value.get("type"), str) and "id" in value
            else ()
        )
        nouns = typed or hints
        fields = self._fields(value, pointer, nouns)
        if fields:
            self.found.append(
                Item(
                    self.endpoint.name,
                    self.endpoint.resource,
                    pointer,
                    None,
                    nouns,
                    fields,
                )
            )
            if not (self.policy.embedded_objects and embedded < EMBEDDED_DEPTH):
                return
        for name, member in value.items():
            if name == "attributes" and fields:
                continue
            generic = name.lower() in ENVELOPES
            if fields or embedded or generic or isinstance(member, (list, tuple)):
                inner = embedded + 1 if fields else embedded
                self._walk(
                    member,
                    pointer + pointer_join(name),
                    hints if generic and not fields else object_nouns(name),
                    depth + 1,
                    inner,
                )

    def _fields(
        self, value: dict, pointer: str, nouns: tuple[str, ...]
    ) -> tuple[IdField, ...]:
        fields = self.identify.fields(_schemas(value), pointer, nouns, set())
        attributes = value.get("attributes")
        if isinstance(attributes, dict) and "id" in value:
            fields += self.identify.fields(
                _schemas(attributes), pointer + "/attributes", nouns, set()
            )
        return fields


def _schemas(value: dict) -> dict[str, Any]:
    """A schema per member, from the example value's JSON type."""
    found = {}
    for name, member in value.items():
        schema = next((s for kind, s in _SCALARS if isinstance(member, kind)), None)
        found[name] = (
            schema if schema is not None else _OBJECT
        )  # null, objects, arrays: no id here
    return found
