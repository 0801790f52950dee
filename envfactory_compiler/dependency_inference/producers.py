"""Which operations answer which identifiers, and where in their answer.

A producer's documented 2xx answer is walked for *items*: objects that carry
their own identifier (`id`, `uuid`, `slug`, the resource's id field, or
`<noun>Id` where the noun is the object's own). Arrays (`/0`) and envelopes
(`/data/0`, `/results/0`, `/<plural>/0`) are looked through. Responses the
compiler added for the sandbox (`x-envc-added`) are not documentation and
are skipped. What else counts is the `Policy`'s call: reference fields
(`Order.petId`), embedded objects (`repository.owner`), examples standing in
for a schema, and the implied id of a create whose success has no body.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import pointer_join
from ..ir import EndpointDef, Resource, Role
from .catalog import Catalog, schema_nouns
from .examples import ExampleWalker, response_example
from .identity import Identifier, IdField, Item
from .names import ENVELOPES, noun_suffixes, object_nouns, reference
from ..schema_ingestion.example_schemas import MARK as FROM_EXAMPLE
from .policy import EMBEDDED_DEPTH, STRICT, Policy
from .schemas import (
    MAX_DEPTH,
    all_properties,
    branches,
    is_array,
    is_plain_value,
    items,
    resolve,
)

_OWNING_ROLES = (Role.CREATE, Role.READ, Role.UPDATE, Role.LIST)


@dataclass
class ProducerIndex:
    """Items by what they are, so consumers look up candidates instead of scanning all pairs."""

    items: list[Item] = field(default_factory=list)
    by_noun: dict[str, list[Item]] = field(default_factory=dict)
    by_tail: dict[str, list[Item]] = field(
        default_factory=dict
    )  # `spec_activity` under `activity`
    by_schema: dict[str, list[Item]] = field(default_factory=dict)
    by_resource: dict[str, list[Item]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        document: Any,
        endpoints: Iterable[EndpointDef],
        catalog: Catalog,
        policy: Policy = STRICT,
    ) -> ProducerIndex:
        index = cls()
        for endpoint in endpoints:
            for item in produced_items(document, endpoint, catalog, policy):
                index.add(item)
        return index

    def add(self, item: Item) -> None:
        self.items.append(item)
        nouns = list(item.nouns) + [f.noun for f in item.fields if f.foreign]
        for noun in dict.fromkeys(nouns):
            self.by_noun.setdefault(noun, []).append(item)
        for tail in dict.fromkeys(t for n in item.nouns for t in noun_suffixes(n)):
            self.by_tail.setdefault(tail, []).append(item)
        if item.schema_pointer:
            self.by_schema.setdefault(item.schema_pointer, []).append(item)
        if item.resource:
            self.by_resource.setdefault(item.resource, []).append(item)


def produced_items(
    document: Any, endpoint: EndpointDef, catalog: Catalog, policy: Policy = STRICT
) -> list[Item]:
    """Items in the operation's documented 2xx answers (none for deletes: a deleted id feeds nothing)."""
    if endpoint.role is Role.DELETE or endpoint.method == "delete":
        return []
    owner = (
        catalog.resources.get(endpoint.resource or "")
        if endpoint.role in _OWNING_ROLES
        else None
    )
    identify = Identifier(document, policy)
    walker = _SchemaWalker(document, endpoint, catalog, owner, identify, policy)
    successes = [
        r for r in endpoint.responses if r.status.startswith("2") and not r.added
    ]
    for response in successes:
        if response.schema is not None and not _from_example(document, response.schema):
            bare = _listed_bare(document, endpoint, owner, response.schema)
            walker.walk(response.schema, "/0" if bare else "", (), 0)
        elif policy.examples:
            example = response_example(document, endpoint, response)
            if example is not None:
                owner_nouns = catalog.nouns_of(owner.name) if owner else ()
                walker.found.extend(
                    ExampleWalker(identify, endpoint, owner_nouns, policy).walk(example)
                )
    bodiless = successes and all(r.schema is None for r in successes)
    if endpoint.role is Role.CREATE and owner is not None and successes:
        if all(_bare_key(document, r.schema) for r in successes):
            # GoToTraining's `201 {"type": "string"}`: "the response contains a
            # trainingKey", and the sandbox answers the new item's id
            return _implied(endpoint, owner, catalog.nouns_of(owner.name), at="")
    # A schema the compiler read off an example says less than the example (JSON:API `type` values,
    # mixed `included` kinds), so the example itself is walked.
    if (
        policy.implied_creates
        and bodiless
        and endpoint.role is Role.CREATE
        and owner is not None
    ):
        walker.found.extend(_implied(endpoint, owner, catalog.nouns_of(owner.name)))
    return _unique(walker.found)


def _listed_bare(
    document: Any, endpoint: EndpointDef, owner: Resource | None, schema: Any
) -> bool:
    """A list whose documented answer is a typeless object schema (properties, no `type`) with no array
    (nor the resource's envelope) in it: an array validates against it and the sandbox answers the
    entries in a bare one, so the object is read as one entry (`/0`)."""
    if endpoint.role is not Role.LIST or owner is None or is_array(document, schema):
        return False
    props = all_properties(document, schema)
    if not props or any(
        "type" in resolve(document, option)[0]
        for option in [schema, *branches(document, schema)]
    ):
        return False
    outer = owner.envelope.split("/")[0] if owner.envelope else None
    return outer not in props and not any(
        is_array(document, value) for value in props.values()
    )


def _from_example(document: Any, schema: Any) -> bool:
    return bool(resolve(document, schema)[0].get(FROM_EXAMPLE))


class _SchemaWalker:
    """Walks one producer's answer schemas, collecting items."""

    def __init__(
        self,
        document: Any,
        endpoint: EndpointDef,
        catalog: Catalog,
        owner: Resource | None,
        identify: Identifier,
        policy: Policy,
    ) -> None:
        self.document = document
        self.endpoint = endpoint
        self.catalog = catalog
        self.owner = owner
        self.identify = identify
        self.policy = policy
        self.found: list[Item] = []

    def walk(
        self,
        schema: Any,
        pointer: str,
        hints: tuple[str, ...],
        depth: int,
        embedded: int = 0,
    ) -> None:
        if depth > MAX_DEPTH:
            return
        if is_array(self.document, schema):
            self.walk(
                items(self.document, schema), pointer + "/0", hints, depth + 1, embedded
            )
            return
        props = all_properties(self.document, schema)
        if not props:
            return
        _, schema_pointer = resolve(self.document, schema)
        resources = self._resources(schema_pointer, embedded, props, pointer)
        nouns = self._nouns(schema, schema_pointer, hints, resources)
        fields = self.identify.fields(
            props, pointer, nouns, {r.id_field for r in resources if r.id_field}
        )
        if fields:
            self.found.append(
                Item(
                    self.endpoint.name,
                    self.endpoint.resource,
                    pointer,
                    schema_pointer,
                    nouns,
                    fields,
                    embedded=embedded > 0,
                )
            )
            if self.policy.embedded_objects and embedded < EMBEDDED_DEPTH:
                for name, value in props.items():
                    self.walk(
                        value,
                        pointer + pointer_join(name),
                        object_nouns(name),
                        depth + 1,
                        embedded + 1,
                    )
            return
        wrappers = (
            set(self.owner.envelope.split("/"))
            if self.owner is not None and self.owner.envelope
            else set()
        )
        # a strict (RPC) resource's answers hold its item under names of their own
        own = self.owner.schema_pointer if self.owner and self.owner.strict else None
        for name, value in props.items():  # no identity of its own: an envelope
            generic = name.lower() in ENVELOPES
            if (
                generic
                or embedded
                or name in wrappers
                or is_array(self.document, value)
                or (own and resolve(self.document, value)[1] == own)
            ):  # `{"TableDescription": ...}`
                self.walk(
                    value,
                    pointer + pointer_join(name),
                    hints if generic else object_nouns(name),
                    depth + 1,
                    embedded,
                )

    def _resources(
        self,
        schema_pointer: str | None,
        embedded: int,
        props: dict[str, Any],
        pointer: str,
    ) -> list[Resource]:
        """Resources this object represents: by schema identity, else the producer's own (inline answers,
        a create's receipt: an answer of its own schema that carries the new item's key field, or a
        list's entries: a summary schema of the items that carries their key field, YNAB's `MonthSummary.month`).
        """
        found = list(self.catalog.by_schema.get(schema_pointer or "", ()))
        inline = schema_pointer is None or (
            self.owner is not None and self.owner.schema_pointer is None
        )
        keyed = (
            self.owner is not None
            and bool(self.owner.id_field)
            and self.owner.id_field in props
        )
        receipt = keyed and self.endpoint.role is Role.CREATE and not pointer
        listed = (
            keyed
            and self.endpoint.role is Role.LIST
            and pointer.endswith("/0")
            and pointer.count("/0") == 1
        )
        if (
            self.owner is not None
            and (inline or receipt or listed)
            and not found
            and not embedded
        ):
            found.append(self.owner)
        return found

    def _nouns(
        self,
        schema: Any,
        schema_pointer: str | None,
        hints: tuple[str, ...],
        resources: list[Resource],
    ) -> tuple[str, ...]:
        found = list(hints) + list(schema_nouns(schema_pointer))
        for option in branches(self.document, schema):
            found += schema_nouns(resolve(self.document, option)[1])
        for resource in resources:
            found += self.catalog.nouns_of(resource.name)
        return tuple(dict.fromkeys(found))


def _bare_key(document: Any, schema: Any) -> bool:
    """An answer that is one string or integer, no object: what a create answers
    when it answers only the new item's key."""
    target, _ = resolve(document, schema)
    return target.get("type") in ("string", "integer") and is_plain_value(
        document, schema
    )


def _implied(
    endpoint: EndpointDef,
    owner: Resource,
    nouns: tuple[str, ...],
    *,
    at: str | None = None,
) -> list[Item]:
    """The item a create made although its answer documents no body (or, `at`
    "", only its key): its id is the resource's id field."""
    if not owner.id_field:
        return []
    ref = reference(owner.id_field)
    field_ = IdField(
        owner.id_field,
        pointer_join(owner.id_field) if at is None else at,
        owner.id_schema,
        ref.kind if ref else "",
        ref.noun if ref else "",
    )
    return [
        Item(
            endpoint.name,
            endpoint.resource,
            "",
            owner.schema_pointer,
            nouns,
            (field_,),
            implied=True,
        )
    ]


def _unique(found: list[Item]) -> list[Item]:
    """One item per place in the answer (several 2xx answers may describe the same one)."""
    seen: dict[str, Item] = {}
    for item in found:
        seen.setdefault(item.pointer, item)
    return list(seen.values())
