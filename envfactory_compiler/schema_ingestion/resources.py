"""Which collections hold state, and what each operation does to them.

A collection is a path ending in a literal segment (`/pets`,
`/users/{}/orders`) that either has an item path below it
(`/pets/{petId}`) or is both created into (POST) and listed (GET). Roles
follow REST conventions; a GET elsewhere whose response is an array (or an
envelope around one) of a resource's representation lists that resource,
which is how `/pet/findByStatus` becomes a filtered list.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..ir import EndpointDef, Resource, Role
from .normalization import deref
from .references import resolve_pointer

_PARAM = re.compile(r"^\{[^}]*\}$")


def normalise_path(path: str) -> str:
    return "/".join("{}" if _PARAM.match(s) else s for s in path.split("/"))


def path_params(path: str) -> list[str]:
    return [s[1:-1] for s in path.split("/") if _PARAM.match(s)]


def infer_resources(document: dict, endpoints: list[EndpointDef]) -> tuple[list[Resource], list[EndpointDef]]:
    """Resources and the endpoints with `resource` and `role` filled in."""
    by_path: dict[str, list[EndpointDef]] = {}
    for endpoint in endpoints:
        by_path.setdefault(normalise_path(endpoint.path), []).append(endpoint)
    collections = _collections(by_path)
    names = _names(collections)
    id_params = {c: next((path_params(e.path)[-1] for e in by_path.get(c + "/{}", [])), None) for c in collections}
    resources = [_resource(document, c, names, by_path, id_params) for c in collections]
    index = {r.collection_path: r for r in resources}
    typed = [_with_role(document, e, index) for e in endpoints]
    typed = [_as_list(document, e, resources) if e.role is Role.ACTION else e for e in typed]
    return resources, typed


def _collections(by_path: dict[str, list[EndpointDef]]) -> list[str]:
    found = []
    for path in by_path:
        segments = path.split("/")
        if segments[-1] == "{}" and len(segments) > 2 and segments[-2] not in ("{}", ""):
            found.append("/".join(segments[:-1]))
        elif segments[-1] not in ("{}", ""):
            methods = {e.method for e in by_path[path]}
            if {"post", "get"} <= methods:
                found.append(path)
    found = _owner_scoped(by_path, set(found))
    return sorted(found, key=lambda p: (p.count("/"), p))


def _owner_scoped(by_path: dict[str, list[EndpointDef]], found: set[str]) -> set[str]:
    """`/repositories/{username}/{slug}`: when the first parameter is another collection's item
    id (`/users/{username}`), `/repositories/{username}` lists a user's repositories and the
    items are one level down, keyed by owner and slug."""
    item_params = {c: {path_params(e.path)[-1] for e in by_path.get(c + "/{}", [])} for c in found}
    for path, endpoints in by_path.items():
        segments = path.split("/")
        if len(segments) < 4 or segments[-1] != "{}" or segments[-2] != "{}" or segments[-3] in ("{}", ""):
            continue
        outer = "/".join(segments[:-2])
        param = path_params(endpoints[0].path)[-2]
        owners = [c for c, params in item_params.items() if param in params and c != outer and "{}" not in c]
        if owners and param in item_params.get(outer, {param}):
            found.discard(outer)
            found.add(outer + "/{}")
    return found


def _names(collections: list[str]) -> dict[str, str]:
    """Short unique names: the last literal segment, qualified on collision."""
    def literals(path: str) -> list[str]:
        return [s for s in path.split("/") if s and s != "{}"]

    names: dict[str, str] = {}
    for path in collections:
        parts = literals(path)
        depth = 1
        while True:
            name = _slug("_".join(parts[-depth:]))
            if name not in names.values() or depth >= len(parts):
                break
            depth += 1
        while name in names.values():
            name += "_"
        names[path] = name
    return names


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "resource"


def _resource(document: dict, collection: str, names: dict[str, str], by_path, id_params: dict[str, str | None]) -> Resource:
    item = collection + "/{}"
    item_ops = by_path.get(item, [])
    found = _representation(document, by_path.get(collection, []), item_ops)
    schema_pointer, envelope = _unwrap(document, found) if found else (None, None)
    id_param = id_params[collection]
    id_field, id_schema = _id_field(document, schema_pointer, id_param, names[collection])
    if id_schema is None and item_ops:
        id_schema = next((p.schema for p in item_ops[0].params_in("path") if p.name == id_param), None)
    sample = (by_path.get(collection) or item_ops)[0]
    return Resource(
        name=names[collection],
        collection_path=collection,
        item_path=item if item_ops else None,
        id_field=id_field,
        id_schema=id_schema if id_schema is not None else {"type": "string"},
        schema_pointer=schema_pointer,
        parent=_parent(collection, sample, names, id_params),
        parent_params=tuple(path_params(sample.path)[: collection.count("{}")]),
        envelope=envelope,
        id_param=id_param,
    )


def _parent(collection: str, sample: EndpointDef, names: dict[str, str], id_params: dict[str, str | None]) -> str | None:
    """The collection whose item the path's last parameter before the items names: by position
    (`/users/{}/orders`), else by that parameter's name (`/{workspace_id}/members` under
    `/workspaces/{workspace_id}`, `/repositories/{username}` under `/users/{username}`)."""
    scope = collection if collection.endswith("/{}") else collection.rsplit("/", 1)[0]
    if not scope.endswith("/{}"):
        return None
    if scope.rsplit("/", 1)[0] in names:
        return names[scope.rsplit("/", 1)[0]]
    param = path_params(sample.path)[scope.count("{}") - 1]
    owners = [c for c, name in id_params.items() if name == param and c != collection and c.count("{}") == 0]
    return names[owners[0]] if len(owners) == 1 else None


_ITEM_ENVELOPES = ("data", "item", "result", "resource")


def _unwrap(document: dict, found: tuple[Any, str]) -> tuple[str, str | None]:
    """An item answered inside an envelope (`{"data": {"id": ...}}`, JSON:API) is represented by
    the inner object; returns its pointer and the envelope's name."""
    schema, pointer = found
    direct = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(direct, dict) or "id" in direct:
        return pointer, None
    for name in _ITEM_ENVELOPES:
        if name in direct:
            inner, inner_pointer = deref(document, direct[name], f"{pointer}/properties/{name}")
            if isinstance(inner, dict) and inner.get("type") != "array" and properties(document, inner):
                return inner_pointer, name
    return pointer, None


def _representation(document: dict, collection_ops: list[EndpointDef], item_ops: list[EndpointDef]) -> tuple[Any, str] | None:
    """The schema an item is returned as, and its pointer."""
    def ok_schema(endpoint: EndpointDef) -> tuple[Any, str] | None:
        for response in endpoint.responses:
            if response.status.startswith("2") and response.schema_pointer:
                return deref(document, response.schema, response.schema_pointer)
        return None

    candidates = [e for e in item_ops if e.method == "get"] + [e for e in collection_ops if e.method == "post"]
    for endpoint in candidates:
        found = ok_schema(endpoint)
        if found and _is_object(document, found[0]):
            return found
    for endpoint in item_ops + collection_ops:
        if endpoint.method in ("put", "post", "patch") and endpoint.body and _is_object(document, endpoint.body.schema):
            return deref(document, endpoint.body.schema, endpoint.body.schema_pointer)
    # A collection only ever listed (or an item GET answering a list, as Netlify's
    # `/submissions/{id}` does): the items of its array.
    for endpoint in collection_ops + [e for e in item_ops if e.method == "get"]:
        found = ok_schema(endpoint) if endpoint.method == "get" else None
        if found and isinstance(found[0], dict) and found[0].get("type") == "array" and isinstance(found[0].get("items"), dict):
            item, pointer = deref(document, found[0]["items"], found[1] + "/items")
            if _is_object(document, item):
                return item, pointer
    return None


def properties(document: dict, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Properties of an object schema, merged through `allOf`; of a `oneOf`/`anyOf`, those every branch has."""
    schema, _ = deref(document, schema, "")
    if not isinstance(schema, dict) or depth > 8:
        return {}
    merged: dict[str, Any] = {}
    for part in schema.get("allOf") or ():
        merged.update(properties(document, part, depth + 1))
    for keyword in ("oneOf", "anyOf"):
        branches = [properties(document, part, depth + 1) for part in schema.get(keyword) or ()]
        if branches:
            merged.update({name: value for name, value in branches[0].items() if all(name in b for b in branches[1:])})
    merged.update(schema.get("properties") or {})
    return merged


def _is_object(document: dict, schema: Any) -> bool:
    schema, _ = deref(document, schema, "")
    return isinstance(schema, dict) and (schema.get("type") == "object" or bool(properties(document, schema)))


def normalise_name(name: str) -> str:
    """`pet_id`, `petId` and `Pet-ID` all become `petid`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _id_field(document: dict, schema_pointer: str | None, id_param: str | None, resource: str):
    if schema_pointer is None:
        return None, None
    props = properties(document, resolve_pointer(document, schema_pointer))
    wanted = []
    if id_param:
        wanted.append(normalise_name(id_param))
        singular = normalise_name(resource).rstrip("s")
        stripped = normalise_name(id_param)
        for prefix in (normalise_name(resource), singular):
            if prefix and stripped.startswith(prefix) and len(stripped) > len(prefix):
                wanted.append(stripped[len(prefix):])
    wanted += ["id", "uuid", "sid", "slug", "key"]
    for candidate in wanted:
        for prop, schema in props.items():
            if normalise_name(prop) == candidate:
                return prop, schema
    return None, None


def _with_role(document: dict, endpoint: EndpointDef, index: dict[str, Resource]) -> EndpointDef:
    path = normalise_path(endpoint.path)
    method = endpoint.method
    if path in index:
        resource = index[path]
        role = {"post": Role.CREATE, "get": Role.LIST}.get(method)
        if role is None and method in ("put", "patch") and _body_has(document, endpoint, resource.id_field):
            role = Role.UPDATE
        if role:
            return dataclasses.replace(endpoint, resource=resource.name, role=role)
    parent = path.rsplit("/", 1)[0] if path.endswith("/{}") else None
    if parent in index:
        resource = index[parent]
        role = {"get": Role.READ, "put": Role.UPDATE, "patch": Role.UPDATE, "delete": Role.DELETE}.get(method)
        if method == "post" and _body_within(document, endpoint, resource):
            role = Role.UPDATE
        if role:
            return dataclasses.replace(endpoint, resource=resource.name, role=role)
    return endpoint


def _body_has(document: dict, endpoint: EndpointDef, field: str | None) -> bool:
    return bool(field and endpoint.body and field in properties(document, endpoint.body.schema))


def _body_within(document: dict, endpoint: EndpointDef, resource: Resource) -> bool:
    """A POST on an item whose fields are all fields of the item updates it."""
    if endpoint.body is None or resource.schema_pointer is None:
        return False
    fields = set(properties(document, endpoint.body.schema))
    known = set(properties(document, resolve_pointer(document, resource.schema_pointer)))
    return bool(fields) and fields <= known


def _as_list(document: dict, endpoint: EndpointDef, resources: list[Resource]) -> EndpointDef:
    """A GET action returning a resource's items (bare or enveloped) lists it."""
    if endpoint.method != "get":
        return endpoint
    for response in endpoint.responses:
        if not (response.status.startswith("2") and response.schema_pointer):
            continue
        items = _array_items_pointer(document, response.schema)
        for resource in resources:
            if items and items == resource.schema_pointer:
                return dataclasses.replace(endpoint, resource=resource.name, role=Role.LIST)
    return endpoint


def _array_items_pointer(document: dict, schema: Any) -> str | None:
    schema, _ = deref(document, schema, "")
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return deref(document, schema["items"], "")[1] or None
    for value in properties(document, schema).values():
        value, _ = deref(document, value, "")
        if isinstance(value, dict) and value.get("type") == "array" and isinstance(value.get("items"), dict):
            return deref(document, value["items"], "")[1] or None
    return None
