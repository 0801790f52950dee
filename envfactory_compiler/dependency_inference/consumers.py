"""Which parameters of an operation need a value some other operation made.

Every path parameter identifies something. Query, header and body fields do
only when their name reads as a reference (`petId`, `author_id`, `petIds`,
`AccountSid`, `username`); paging, credentials, free text, enums and
booleans never do. A body field naming the operation's own resource id is
the new item's key on a create (not a dependency) but the target's key on an
update addressed by body (`PUT /pet` with `{"id": ...}`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import pointer_join
from ..ir import EndpointDef, Parameter, Role
from ..schema_ingestion.resources import acted_on, normalise_path, param_name
from .catalog import Catalog
from .names import Reference, object_nouns, reference
from .schemas import all_properties, is_array, is_plain_value, items, resolve

_LOCATIONS = ("path", "query", "header")
_ADDRESSING_ROLES = (Role.READ, Role.UPDATE, Role.DELETE)
_PASSWORDS = frozenset({"password", "passwd", "pass", "secret", "pin"})


@dataclass(frozen=True)
class Slot:
    """One value an operation needs: where it goes and what it refers to."""

    consumer: str
    location: str  # path | query | header | body
    name: str
    field: str | None  # JSON pointer into the request body (body only)
    schema: Any  # the schema one value must fit (an array's items for `petIds`)
    ref: Reference | None  # the name read as a reference; None for e.g. `{pid}`
    nouns: tuple[str, ...]  # what it refers to, from its name or else its context
    resource: str | None = (
        None  # path parameters: the collection whose items sit at this position
    )

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.location, self.name, self.field or "")


def consumer_slots(
    document: Any,
    endpoint: EndpointDef,
    catalog: Catalog,
    secured: frozenset[tuple[str, str]],
) -> list[Slot]:
    """Every slot of an operation that a produced value should fill."""
    slots = _path_slots(endpoint, catalog)
    for location in _LOCATIONS[1:]:
        for param in endpoint.params_in(location):
            if (location, param.name.lower()) not in secured:
                slots.extend(
                    _value_slot(
                        document,
                        endpoint,
                        catalog,
                        location,
                        param.name,
                        param.schema,
                        None,
                    )
                )
    slots.extend(_body_slots(document, endpoint, catalog))
    if _logs_in(document, endpoint):  # a username next to a password is a credential
        slots = [
            s
            for s in slots
            if s.location == "path" or s.ref is None or s.ref.kind != "name"
        ]
    return slots


def _path_slots(endpoint: EndpointDef, catalog: Catalog) -> list[Slot]:
    """Path parameters, each with the collection whose items its position holds, if any."""
    declared = {p.name: p for p in endpoint.params_in("path")}
    path = acted_on(endpoint.path)  # a custom method's item is a slot too
    segments = path.split("/")
    normalised = normalise_path(path).split("/")
    slots = []
    for position, segment in enumerate(segments):
        param: Parameter | None = (
            declared.get(param_name(segment) or "")
            if normalised[position] == "{}"
            else None
        )
        if param is None:
            continue
        prefix = "/".join(normalised[:position])
        resource = catalog.by_collection.get(prefix)
        if (
            resource is None
        ):  # an item named by its collection's parameter (`/collections/fork/{collection_uid}`)
            owners = [
                r
                for r in catalog.resources.values()
                if r.item_path and r.id_param == param.name
            ]
            resource = owners[0] if len(owners) == 1 else None
        literal = next(
            (s for s in reversed(normalised[:position]) if s and s != "{}"), ""
        )
        context = object_nouns(literal) + catalog.nouns_of(
            resource.name if resource else None
        )
        ref = reference(param.name)
        nouns = (ref.noun,) if ref and ref.noun else tuple(dict.fromkeys(context))
        slots.append(
            Slot(
                endpoint.name,
                "path",
                param.name,
                None,
                param.schema,
                ref,
                nouns,
                resource.name if resource else None,
            )
        )
    return slots


def _value_slot(
    document: Any,
    endpoint: EndpointDef,
    catalog: Catalog,
    location: str,
    name: str,
    schema: Any,
    field: str | None,
) -> list[Slot]:
    """A query, header or body value, if its name and type say it refers to an item."""
    ref = reference(name)
    if ref is None or (ref.plural and not is_array(document, schema)):
        return []
    value_schema = items(document, schema) if is_array(document, schema) else schema
    if not is_plain_value(document, value_schema):
        return []
    own = catalog.resources.get(endpoint.resource or "")
    if (
        ref.kind == "name"
        and name not in endpoint.body_keys  # RPC: `{"TableName": ...}` names the table
        and not _names_an_id(catalog, name, own.name if own else None)
    ):
        return []
    if own is not None and _is_own_key(catalog, own.name, own.id_field, name, ref):
        # The operation's own item: a create's new key, or the target named by a path already;
        # only an update (or a lookup) addressed by body or query really consumes it.
        if name not in endpoint.body_keys and (
            endpoint.params_in("path") or endpoint.role not in _ADDRESSING_ROLES
        ):
            return []
        return [
            Slot(
                endpoint.name,
                location,
                name,
                field,
                value_schema,
                ref,
                catalog.nouns_of(own.name),
            )
        ]
    if not ref.noun:
        return []
    return [Slot(endpoint.name, location, name, field, value_schema, ref, (ref.noun,))]


def _is_own_key(
    catalog: Catalog, resource: str, id_field: str | None, name: str, ref: Reference
) -> bool:
    """Whether the name is the operation's own resource's key (`id`, its id field, `petId` on pets)."""
    return name == id_field or not ref.noun or ref.noun in catalog.nouns_of(resource)


def _names_an_id(catalog: Catalog, name: str, own: str | None) -> bool:
    """`username` outside a path counts only when it is another resource's id field."""
    return any(r.id_field == name and r.name != own for r in catalog.resources.values())


def _body_slots(document: Any, endpoint: EndpointDef, catalog: Catalog) -> list[Slot]:
    """Top-level fields of an object body the client writes (readOnly ones it never sends)."""
    if endpoint.body is None or is_array(document, endpoint.body.schema):
        return []
    slots = []
    for name, schema in all_properties(document, endpoint.body.schema).items():
        if resolve(document, schema)[0].get("readOnly"):
            continue
        slots.extend(
            _value_slot(
                document, endpoint, catalog, "body", name, schema, pointer_join(name)
            )
        )
    return slots


def _logs_in(document: Any, endpoint: EndpointDef) -> bool:
    """Whether the operation takes a password (its `username` is then a credential, not a reference)."""
    names = [p.name for p in endpoint.parameters]
    if endpoint.body is not None and not is_array(document, endpoint.body.schema):
        names += list(all_properties(document, endpoint.body.schema))
    return any(name.lower() in _PASSWORDS for name in names)


def secured_parameters(document: Any) -> frozenset[tuple[str, str]]:
    """(location, lower-case name) of API-key credentials: never dependencies."""
    schemes = (
        ((document.get("components") or {}).get("securitySchemes") or {})
        if isinstance(document, dict)
        else {}
    )
    found = set()
    for scheme in schemes.values():
        scheme, _ = resolve(document, scheme)
        if scheme.get("type") == "apiKey" and scheme.get("in") and scheme.get("name"):
            found.add((str(scheme["in"]), str(scheme["name"]).lower()))
    found.add(("header", "authorization"))
    return frozenset(found)
