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
from collections.abc import Iterable
from typing import Any

from envfactory_runtime.tasks.wording import READING

from ..ir import EndpointDef, Resource, Role
from .normalization import deref
from .object_schemas import properties, singular
from .references import resolve_pointer
from .rpc_resources import infer_rpc_resources

# A format suffix on the last segment names a representation, not another resource:
# `/accounts.json` is `/accounts`, `/accounts/{id}.json` is `/accounts/{id}`.
_FORMAT_SUFFIX = re.compile(
    r"\.(?:json|xml|yaml|yml|csv|txt|html|atom|rss)$", re.IGNORECASE
)
_PARAM = re.compile(r"^\{([^}]*)\}$")
_CUSTOM_METHOD = re.compile(r"\}:[A-Za-z][A-Za-z0-9]*$")


def acted_on(path: str) -> str:
    """The path of the item a Google custom method acts on
    (`/watches/{watchId}:renew` -> `/watches/{watchId}`), without a trailing
    slash (`_segments`); other paths as they are."""
    return _unslashed(_CUSTOM_METHOD.sub("}", path))


def _unslashed(path: str) -> str:
    """A trailing slash says nothing of the resource: Django REST's
    `/dcim/devices/{id}/` is `/dcim/devices/{id}` (NetBox's 844 operations
    had no resource at all), and nor do two (TomTom's `/wms//`)."""
    return path.rstrip("/") or path[:1]


def _segments(path: str) -> list[str]:
    segments = _unslashed(path).split("/")
    segments[-1] = _FORMAT_SUFFIX.sub("", segments[-1])
    return segments


def normalise_path(path: str) -> str:
    return "/".join("{}" if _PARAM.match(s) else s for s in _segments(path))


def param_name(segment: str) -> str | None:
    """The parameter a path segment holds (`{id}`, `{id}.json`), else None."""
    match = _PARAM.match(_FORMAT_SUFFIX.sub("", segment))
    return match.group(1) if match else None


def path_params(path: str) -> list[str]:
    return [m.group(1) for s in _segments(path) if (m := _PARAM.match(s))]


def infer_resources(
    document: dict, endpoints: list[EndpointDef]
) -> tuple[list[Resource], list[EndpointDef]]:
    """Resources and the endpoints with `resource` and `role` filled in."""
    by_path: dict[str, list[EndpointDef]] = {}
    for endpoint in endpoints:
        by_path.setdefault(normalise_path(endpoint.path), []).append(endpoint)
    collections = _collections(by_path)
    names = _names(collections)
    id_params = {
        c: next((path_params(e.path)[-1] for e in by_path.get(c + "/{}", [])), None)
        for c in collections
    }
    resources = _borrowed_ids(
        [_resource(document, c, names, by_path, id_params) for c in collections]
    )
    index = {r.collection_path: r for r in resources}
    typed = [_with_role(document, e, index) for e in endpoints]
    typed = [
        _as_list(document, e, resources) if e.role is Role.ACTION else e for e in typed
    ]
    return infer_rpc_resources(document, typed, resources)


def _borrowed_ids(resources: list[Resource]) -> list[Resource]:
    """A collection with no item path of its own (Google's `/v1/{parent}/connections`)
    whose items are read elsewhere in the same representation (`/v1/{name}`, a
    `Connection`) is keyed by that resource's id field: what it creates is what
    the other path reads."""
    keyed = {
        r.schema_pointer: r
        for r in reversed(resources)
        if r.item_path and r.id_field and r.schema_pointer
    }
    return [
        (
            dataclasses.replace(
                r,
                id_field=keyed[r.schema_pointer].id_field,
                id_schema=keyed[r.schema_pointer].id_schema,
            )
            if r.item_path is None and r.id_field is None and r.schema_pointer in keyed
            else r
        )
        for r in resources
    ]


def _collections(by_path: dict[str, list[EndpointDef]]) -> list[str]:
    found = []
    for path in by_path:
        segments = path.split("/")
        if (
            segments[-1] == "{}"
            and len(segments) > 2
            and segments[-2] not in ("{}", "")
        ):
            if not _verb_on_other(by_path, path):
                found.append("/".join(segments[:-1]))
        elif segments[-1] not in ("{}", ""):
            methods = {e.method for e in by_path[path]}
            if {"post", "get"} <= methods:
                found.append(path)
    # CORE's `POST /journals/get` (a batch read) beside `GET /journals/get/{issn}`:
    # a way of reading, not a set of items ("add a new journal get")
    found = {p for p in found if p.rsplit("/", 1)[-1].lower() not in READING}
    found = _owner_scoped(by_path, found)
    return sorted(found, key=lambda p: (p.count("/"), p))


def _verb_on_other(by_path: dict[str, list[EndpointDef]], path: str) -> bool:
    """`POST /collections/fork/{collection_uid}`: a path that only POSTs to an item named by another
    collection's item parameter (`/collections/{collection_uid}`), with nothing at its own collection
    path, is an action on that item, not a collection of its own."""
    endpoints = by_path[path]
    if "/".join(path.split("/")[:-1]) in by_path or any(
        e.method != "post" for e in endpoints
    ):
        return False
    param = path_params(endpoints[0].path)[-1]
    return any(
        other != path
        and other.endswith("/{}")
        and path_params(e.path)[-1] == param
        and e.method == "get"
        for other, others in by_path.items()
        for e in others
    )


def _owner_scoped(by_path: dict[str, list[EndpointDef]], found: set[str]) -> set[str]:
    """`/repositories/{username}/{slug}`: when the first parameter is another collection's item
    id (`/users/{username}`), `/repositories/{username}` lists a user's repositories and the
    items are one level down, keyed by owner and slug."""
    item_params = {
        c: {path_params(e.path)[-1] for e in by_path.get(c + "/{}", [])} for c in found
    }
    for path, endpoints in by_path.items():
        segments = path.split("/")
        if (
            len(segments) < 4
            or segments[-1] != "{}"
            or segments[-2] != "{}"
            or segments[-3] in ("{}", "")
        ):
            continue
        outer = "/".join(segments[:-2])
        param = path_params(endpoints[0].path)[-2]
        owners = [
            c
            for c, params in item_params.items()
            if param in params and c != outer and "{}" not in c
        ]
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


def _resource(
    document: dict,
    collection: str,
    names: dict[str, str],
    by_path,
    id_params: dict[str, str | None],
) -> Resource:
    item = collection + "/{}"
    item_ops = by_path.get(item, [])
    found = _representation(document, by_path.get(collection, []), item_ops)
    schema_pointer, envelope = (
        _unwrap(document, found, collection) if found else (None, None)
    )
    id_param = id_params[collection]
    id_field, id_schema = _id_field(
        document, schema_pointer, id_param, names[collection], others=names.values()
    )
    if id_field is None and schema_pointer is not None and id_param:
        for other in _other_representations(
            document, collection, by_path.get(collection, [])
        ):
            id_field, id_schema = _id_field(
                document, other, id_param, names[collection], generic=False
            )
            if id_field is not None:
                break
    if id_schema is None and item_ops:
        id_schema = next(
            (p.schema for p in item_ops[0].params_in("path") if p.name == id_param),
            None,
        )
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


def _other_representations(
    document: dict, collection: str, collection_ops: list[EndpointDef]
) -> list[str]:
    """Where else the items appear, for an id field the read answer leaves out (Postman's collection is
    read as `{info, item}` but created and listed as `{id, uid, name}`): a create's answer, a list's entries.
    """
    found = []
    for endpoint in collection_ops:
        response = next(
            (
                r
                for r in endpoint.responses
                if r.status.startswith("2") and r.schema_pointer
            ),
            None,
        )
        if response is None or endpoint.method not in ("post", "get"):
            continue
        schema, pointer = deref(document, response.schema, response.schema_pointer)
        if endpoint.method == "post":
            found.append(_unwrap(document, (schema, pointer), collection)[0])
            continue
        arrays = [
            (name, value)
            for name, value in properties(document, schema).items()
            if (deref(document, value, "")[0] or {}).get("type") == "array"
        ]
        if isinstance(schema, dict) and schema.get("type") == "array":
            arrays = [("", schema)]
        if len(arrays) == 1:
            name = arrays[0][0]
            array, where = deref(
                document,
                arrays[0][1],
                f"{pointer}/properties/{name}" if name else pointer,
            )
            if isinstance(array.get("items"), dict):
                found.append(deref(document, array["items"], where + "/items")[1])
    return found


def _parent(
    collection: str,
    sample: EndpointDef,
    names: dict[str, str],
    id_params: dict[str, str | None],
) -> str | None:
    """The collection whose item the path's last parameter before the items names: by position
    (`/users/{}/orders`), else by that parameter's name (`/{workspace_id}/members` under
    `/workspaces/{workspace_id}`, `/repositories/{username}` under `/users/{username}`).
    """
    scope = collection if collection.endswith("/{}") else collection.rsplit("/", 1)[0]
    if not scope.endswith("/{}"):
        return None
    if VERSION_ROOT.fullmatch(scope.rsplit("/", 1)[0]):
        return (
            None  # `/v1/{parent}/connections`: `/v1/{name}` reads any resource by name
        )
    if scope.rsplit("/", 1)[0] in names:
        return names[scope.rsplit("/", 1)[0]]
    param = path_params(sample.path)[scope.count("{}") - 1]
    owners = [
        c
        for c, name in id_params.items()
        if name == param and c != collection and c.count("{}") == 0
    ]
    if (
        len(owners) > 1
    ):  # `/repositories-v1/browse/{repository}` is under `/repositories-v1/{repository}`
        owners = [c for c in owners if collection.startswith(c + "/")]
    return names[owners[0]] if len(owners) == 1 else None


# a path of one version segment (`/v1`, `/v1beta2`): Google's resource-name routes
VERSION_ROOT = re.compile(r"/v\d+(?:(?:alpha|beta|p)\d*)*")

_ITEM_ENVELOPES = ("data", "item", "result", "resource")


def _unwrap(
    document: dict, found: tuple[Any, str], collection: str = ""
) -> tuple[str, str | None]:
    """An item answered inside an envelope (`{"data": {"id": ...}}`, JSON:API) is represented by
    the inner object; returns its pointer and the envelope's path (`data`). Envelopes nest: YNAB
    answers `{"data": {"account": {...}}}`, where the inner property is named for the item (the
    collection's last segment, singular), so the envelope is `data/account`."""
    schema, pointer = found
    item_name = (
        normalise_name(singular(collection.removesuffix("/{}").rsplit("/", 1)[-1]))
        if collection
        else ""
    )
    path: list[str] = []
    while len(path) < 3:
        direct = schema.get("properties") if isinstance(schema, dict) else None
        if not direct or "id" in direct:
            break
        names = [n for n in _ITEM_ENVELOPES if n in direct]
        names += [n for n in direct if item_name and normalise_name(n) == item_name]
        step = None
        for name in names:
            inner, inner_pointer = deref(
                document, direct[name], f"{pointer}/properties/{name}"
            )
            if (
                isinstance(inner, dict)
                and inner.get("type") != "array"
                and properties(document, inner)
            ):
                step = name, inner, inner_pointer
                break
        if step is None:
            break
        path.append(step[0])
        schema, pointer = step[1], step[2]
    return pointer, "/".join(path) or None


def _representation(
    document: dict, collection_ops: list[EndpointDef], item_ops: list[EndpointDef]
) -> tuple[Any, str] | None:
    """The schema an item is returned as, and its pointer."""

    def ok_schema(endpoint: EndpointDef) -> tuple[Any, str] | None:
        for response in endpoint.responses:
            if response.status.startswith("2") and response.schema_pointer:
                return deref(document, response.schema, response.schema_pointer)
        return None

    candidates = [e for e in item_ops if e.method == "get"] + [
        e for e in collection_ops if e.method == "post"
    ]
    for endpoint in candidates:
        found = ok_schema(endpoint)
        if found and _is_object(document, found[0]):
            return found
    for endpoint in item_ops + collection_ops:
        if (
            endpoint.method in ("put", "post", "patch")
            and endpoint.body
            and _is_object(document, endpoint.body.schema)
        ):
            return deref(document, endpoint.body.schema, endpoint.body.schema_pointer)
    # A collection only ever listed (or an item GET answering a list, as Netlify's
    # `/submissions/{id}` does): the items of its array.
    for endpoint in collection_ops + [e for e in item_ops if e.method == "get"]:
        found = ok_schema(endpoint) if endpoint.method == "get" else None
        if (
            found
            and isinstance(found[0], dict)
            and found[0].get("type") == "array"
            and isinstance(found[0].get("items"), dict)
        ):
            item, pointer = deref(document, found[0]["items"], found[1] + "/items")
            if _is_object(document, item):
                return item, pointer
    return None


def _is_object(document: dict, schema: Any) -> bool:
    schema, _ = deref(document, schema, "")
    return isinstance(schema, dict) and (
        schema.get("type") == "object" or bool(properties(document, schema))
    )


def normalise_name(name: str) -> str:
    """`pet_id`, `petId` and `Pet-ID` all become `petid`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _id_field(
    document: dict,
    schema_pointer: str | None,
    id_param: str | None,
    resource: str,
    *,
    generic: bool = True,
    others: Iterable[str] = (),
):
    """The item's id field: named like its path parameter or `id`, `uuid`, ...; without `generic`,
    only a scalar field named for the parameter or the resource counts. Failing names, an item
    keyed by a path parameter whose schema has exactly one scalar `<noun>Id` field, the noun naming
    no other collection (`Invoice.TransactionID`; never `Order.petId`), is keyed by that field.
    """
    if schema_pointer is None:
        return None, None
    props = properties(document, resolve_pointer(document, schema_pointer))
    if not generic:
        props = {
            p: v
            for p, v in props.items()
            if deref(document, v, "")[0].get("type") in ("string", "integer")
        }
    wanted = []
    if id_param:
        wanted.append(normalise_name(id_param))
        singular = normalise_name(resource).rstrip("s")
        stripped = normalise_name(id_param)
        for prefix in (normalise_name(resource), singular):
            if prefix and stripped.startswith(prefix) and len(stripped) > len(prefix):
                wanted.append(stripped[len(prefix) :])
    wanted += ["id", "uuid", "sid", "slug", "key"] if generic else []
    # `{panelistKey}` keys a Panelist by its own `panelistId`; a Section never addressed by path by its `SectionID`
    singular = normalise_name(resource).rstrip("s")
    wanted += [
        noun + kind
        for noun in (singular, normalise_name(resource))
        if noun
        for kind in ("id", "uuid", "sid", "slug", "key")
    ]
    for candidate in wanted:
        for prop, schema in props.items():
            if normalise_name(prop) == candidate:
                return prop, schema
    if generic and id_param:
        taken = {normalise_name(n).rstrip("s") for n in others} - {
            normalise_name(resource).rstrip("s")
        }
        sole = [
            (prop, schema)
            for prop, schema in props.items()
            if normalise_name(prop).endswith("id")
            and len(normalise_name(prop)) > 2
            and normalise_name(prop)[:-2].rstrip("s") not in taken
            and deref(document, schema, "")[0].get("type") in ("string", "integer")
        ]
        if len(sole) == 1:
            return sole[0]
    return None, None


def _with_role(
    document: dict, endpoint: EndpointDef, index: dict[str, Resource]
) -> EndpointDef:
    path = normalise_path(endpoint.path)
    method = endpoint.method
    if path in index:
        resource = index[path]
        role = {"post": Role.CREATE, "get": Role.LIST}.get(method)
        if role is Role.CREATE and _searches(document, endpoint):
            role = Role.LIST
        if (
            role is None
            and method in ("put", "patch")
            and _body_has(document, endpoint, resource.id_field)
        ):
            role = Role.UPDATE
        if role:
            return dataclasses.replace(endpoint, resource=resource.name, role=role)
    parent = path.rsplit("/", 1)[0] if path.endswith("/{}") else None
    if parent in index:
        resource = index[parent]
        role = {
            "get": Role.READ,
            "put": Role.UPDATE,
            "patch": Role.UPDATE,
            "delete": Role.DELETE,
        }.get(method)
        if method == "post" and (
            _body_within(document, endpoint, resource) or _marks(endpoint, resource)
        ):
            role = Role.UPDATE
        if role:
            return dataclasses.replace(endpoint, resource=resource.name, role=role)
    return endpoint


_SEARCH_VERBS = frozenset(
    "retrieve retrieves get gets search searches find finds query queries list lists "
    "filter filters lookup fetch fetches read reads count counts".split()
)


def _searches(document: dict, endpoint: EndpointDef) -> bool:
    """A POST to a collection that says it reads, with a query in its body and
    a list for an answer (The SMS Works' `POST /messages`: "retrieve up to
    1000 messages matching your search criteria"), lists the collection; it
    creates nothing. One that says it adds and answers the list it added to
    (GitHub's "Add status check contexts") creates; so does one sent a list."""
    words = re.findall(
        r"[A-Za-z]+", endpoint.summary or endpoint.description or endpoint.name
    )
    first = re.findall(r"[A-Z]?[a-z]+", words[0])[:1] if words else []
    if endpoint.body is None or not first or first[0].lower() not in _SEARCH_VERBS:
        return False
    sent, _ = deref(document, endpoint.body.schema, "")
    if not isinstance(sent, dict) or sent.get("type") == "array":
        return False
    answer = next((r for r in endpoint.responses if r.status.startswith("2")), None)
    if answer is None or answer.schema is None:
        return False
    schema, _ = deref(document, answer.schema, "")
    return isinstance(schema, dict) and schema.get("type") == "array"


def _marks(endpoint: EndpointDef, resource: Resource) -> bool:
    """A bodiless POST to an item of a collection with no representation of its own puts the item
    in that set (`POST /likes/tracks/{track_id}` likes a track; `DELETE` takes it out again).
    """
    return (
        resource.schema_pointer is None
        and endpoint.body is None
        and bool(endpoint.params_in("path"))
    )


def _body_has(document: dict, endpoint: EndpointDef, field: str | None) -> bool:
    return bool(
        field and endpoint.body and field in properties(document, endpoint.body.schema)
    )


def _body_within(document: dict, endpoint: EndpointDef, resource: Resource) -> bool:
    """A POST on an item whose fields are all fields of the item updates it."""
    if endpoint.body is None or resource.schema_pointer is None:
        return False
    fields = set(properties(document, endpoint.body.schema))
    known = set(
        properties(document, resolve_pointer(document, resource.schema_pointer))
    )
    return bool(fields) and fields <= known


def _as_list(
    document: dict, endpoint: EndpointDef, resources: list[Resource]
) -> EndpointDef:
    """A GET action returning a resource's items (bare or enveloped) lists it."""
    if endpoint.method != "get":
        return endpoint
    for response in endpoint.responses:
        if not (response.status.startswith("2") and response.schema_pointer):
            continue
        items = _array_items_pointer(document, response.schema)
        for resource in resources:
            if items and items == resource.schema_pointer:
                return dataclasses.replace(
                    endpoint, resource=resource.name, role=Role.LIST
                )
    return endpoint


def _array_items_pointer(document: dict, schema: Any) -> str | None:
    schema, _ = deref(document, schema, "")
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return deref(document, schema["items"], "")[1] or None
    for value in properties(document, schema).values():
        value, _ = deref(document, value, "")
        if (
            isinstance(value, dict)
            and value.get("type") == "array"
            and isinstance(value.get("items"), dict)
        ):
            return deref(document, value["items"], "")[1] or None
    return None
