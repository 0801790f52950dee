"""Lower the IR to the sandbox's lookup tables (`operations.json`).

Everything decidable from the spec is decided here, once: which documented
status answers success, a missing item, a bad request or a missing
credential; which parameters filter, paginate or update fields; which
resource an action's answer belongs to. The runtime only reads the result.
"""

from __future__ import annotations

from typing import Any

from envfactory_runtime.sandbox.store import DIGITS

from ..dependency_inference.catalog import schema_nouns
from ..dependency_inference.examples import response_example
from ..dependency_inference.names import noun_suffixes
from ..dependency_inference.references import body_references
from ..frozen import thaw
from .action_flags import flag_changes
from ..ir import EndpointDef, NormalizedSpec, Resource, Role
from ..schema_ingestion.normalization import deref
from ..schema_ingestion.references import resolve_pointer
from ..schema_ingestion.resources import (
    acted_on,
    VERSION_ROOT,
    normalise_name,
    normalise_path,
    param_name,
    path_params,
    properties,
)

_SUCCESS_ORDER = {
    Role.CREATE: ("201", "200", "202"),
    Role.DELETE: ("204", "200", "202"),
}
_DEFAULT_SUCCESS = ("200", "201", "202", "204")
_PAGING = {
    "limit": (
        "limit",
        "per_page",
        "perpage",
        "page_size",
        "pagesize",
        "size",
        "count",
        "max",
        "max_results",
        "maxresults",
        "top",
    ),
    "offset": ("offset", "skip", "start"),
    "page": ("page", "page_number", "pagenumber"),
}
_ITEM_ROLES = (Role.CREATE, Role.READ, Role.UPDATE, Role.DELETE)
_KIND_STATUS = {"not_found": "404", "invalid": "400", "unauthorized": "401"}


def record(**fields: Any) -> dict[str, Any]:
    """A table row: its fields, defaults (None or empty) omitted."""
    return {
        k: v
        for k, v in fields.items()
        if v is not None and v != () and v != {} and v != ""
    }


def tables(spec: NormalizedSpec) -> dict[str, Any]:
    """Everything `operations.json` holds."""
    references = body_references(spec.document, spec.endpoints, spec.resources)
    return {
        "resources": resources(spec, references),
        "operations": operations(spec, references),
        "credentials": credentials(spec),
    }


def operations(spec: NormalizedSpec, references: dict[str, tuple]) -> dict[str, dict]:
    resources = {r.name: r for r in spec.resources}
    kinds = _kinds(spec)
    return {
        e.name: {
            **_operation(spec, e, resources, references.get(e.name, ())),
            **_included(spec, e, kinds),
        }
        for e in spec.endpoints
    }


def resources(spec: NormalizedSpec, references: dict[str, tuple]) -> dict[str, dict]:
    return {r.name: _resource(spec, r, references) for r in spec.resources}


def _item_param_schema(spec: NormalizedSpec, resource: Resource) -> dict:
    """The schema of the path parameter that names one item (its last one)."""
    for endpoint in spec.endpoints:
        if endpoint.resource == resource.name and endpoint.role in (
            Role.READ,
            Role.UPDATE,
            Role.DELETE,
        ):
            path_params = endpoint.params_in("path")
            if path_params and endpoint.path.endswith("{" + path_params[-1].name + "}"):
                return deref(spec.document, path_params[-1].schema, "")[0] or {}
    return {}


def credentials(spec: NormalizedSpec) -> dict[str, dict]:
    table = {}
    for scheme in spec.security_schemes:
        if scheme.kind == "apiKey":
            table[scheme.name] = record(location=scheme.location, name=scheme.key)
        elif scheme.kind == "http" and scheme.key == "basic":
            table[scheme.name] = record(
                location="header", name="Authorization", prefix="Basic "
            )
        else:
            table[scheme.name] = record(
                location="header", name="Authorization", prefix="Bearer "
            )
    return table


def _resource(
    spec: NormalizedSpec, resource: Resource, references: dict[str, tuple]
) -> dict:
    """Ids must be valid both as the item's field and as its path parameter; seeded items
    get their parent's id and real references in the fields that hold them."""
    id_schema = _through_all_of(spec.document, resource.id_schema)
    merged = _plain_id_schema(id_schema)
    param = _plain_id_schema(_item_param_schema(spec, resource), default=False)
    if param.get("type", merged["type"]) == merged.get(
        "type"
    ):  # the field decides the type
        merged.update({k: v for k, v in param.items() if k not in ("type", "format")})
    elif param.get("type") in ("integer", "number") and merged.get("type") == "string":
        # a text field named by a number in the path (GoToTraining's `trainingKey`):
        # ids the path reads back as the same number, `"7"` and not `"000007"`
        merged[DIGITS] = True
    return record(
        name=resource.name,
        schema=resource.schema_pointer,
        id_field=resource.id_field,
        id_schema=merged,
        parent=resource.parent,
        depth=resource.collection_path.count("{}"),
        parent_field=_resource_parent_field(spec, resource),
        aliases=_aliases(spec, resource),
        strict=resource.strict or None,
        references=tuple(
            sorted(
                {
                    pair
                    for e in spec.endpoints
                    if e.resource == resource.name
                    and e.role in (Role.CREATE, Role.UPDATE)
                    for pair in references.get(e.name, ())
                }
                | set(_embedded_references(spec, resource))
            )
        ),
    )


def _aliases(spec: NormalizedSpec, resource: Resource) -> tuple[str, ...]:
    """Resources holding the same items at another path: the same representation, or the same
    collection name and item parameter (`/{ws}/activities/{id}` and `/{ws}/members/{m}/activities/{id}`).
    """

    def same(other: Resource) -> bool:
        if (other.schema_pointer, other.id_field) == (
            resource.schema_pointer,
            resource.id_field,
        ):
            return True
        return (_segments(other.collection_path)[-1], other.id_param) == (
            _segments(resource.collection_path)[-1],
            resource.id_param,
        )

    return tuple(
        sorted(
            r.name
            for r in spec.resources
            if r.name != resource.name
            and r.id_field
            and resource.item_path
            and resource.id_field
            and same(r)
        )
    )


def _embedded_references(
    spec: NormalizedSpec, resource: Resource
) -> list[tuple[str, str]]:
    """Embedded objects that are another resource's items (`PullRequest.author` is a `User`), by
    that resource's id field: (`author/username`, users)."""
    if not resource.schema_pointer:
        return []
    found = []
    for name, value in properties(
        spec.document, resolve_pointer(spec.document, resource.schema_pointer)
    ).items():
        pointer = deref(spec.document, value, "")[1]
        targets = [
            r
            for r in spec.resources
            if pointer
            and r.schema_pointer == pointer
            and r.id_field
            and r.name != resource.name
        ]
        if len(targets) == 1:
            found.append((f"{name}/{targets[0].id_field}", targets[0].name))
    return found


def _resource_parent_field(spec: NormalizedSpec, resource: Resource) -> str | None:
    """The item field holding its immediate parent's id (`Book.authorId` under /authors/{authorId})."""
    if resource.parent is None or not resource.schema_pointer:
        return None
    fields = _field_paths(
        spec.document, resolve_pointer(spec.document, resource.schema_pointer)
    )
    for endpoint in spec.endpoints:
        pairs = (
            _parent_fields(endpoint, resource, fields)
            if endpoint.resource == resource.name
            else ()
        )
        params = _parent_params(endpoint, resource) if pairs else ()
        if params and pairs[-1][0] == params[-1]:
            return pairs[-1][1]
    return None


def _through_all_of(document: Any, schema: Any, depth: int = 0) -> Any:
    """The schema behind `$ref`s, with the keywords of its `allOf` parts (`{"allOf": [{"$ref":
    "#/components/schemas/id"}], "description": ...}` is an integer id) where it sets no type.
    """
    target, _ = deref(document, schema, "")
    if (
        not isinstance(target, dict)
        or "type" in target
        or not target.get("allOf")
        or depth > 8
    ):
        return target
    merged: dict = {}
    for part in target["allOf"]:
        inner = _through_all_of(document, part, depth + 1)
        if isinstance(inner, dict):
            merged.update({k: v for k, v in inner.items() if k not in merged})
    merged.update({k: v for k, v in target.items() if k != "allOf"})
    return merged


def _plain_id_schema(schema: Any, *, default: bool = True) -> dict:
    keep = (
        "type",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "pattern",
        "minLength",
        "maxLength",
    )
    plain = {k: thaw(v) for k, v in (schema or {}).items() if k in keep}
    return plain or ({"type": "string"} if default else {})


def _operation(
    spec: NormalizedSpec,
    endpoint: EndpointDef,
    resources: dict[str, Resource],
    references: tuple,
) -> dict:
    resource = resources.get(endpoint.resource or "")
    fields = (
        set(
            properties(
                spec.document, resolve_pointer(spec.document, resource.schema_pointer)
            )
        )
        if resource and resource.schema_pointer
        else set()
    )
    paging = _paging(endpoint) if endpoint.role is Role.LIST else {}
    produced = (
        _produces(spec, endpoint, resources) if endpoint.role is Role.ACTION else None
    )
    return record(
        name=endpoint.name,
        method=endpoint.method,
        path=endpoint.path,
        role=endpoint.role.value,
        resource=endpoint.resource,
        params=tuple(_param(spec, p) for p in endpoint.parameters),
        body=_body_schema(spec, endpoint),
        body_type=endpoint.body.content_type if endpoint.body else None,
        replies={
            r.status: record(content_type=r.content_type, schema=r.schema_pointer)
            for r in endpoint.responses
        },
        outcomes=_outcomes(endpoint),
        security=tuple(tuple(alternative) for alternative in endpoint.security),
        scopes=(
            ((endpoint.resource, endpoint.body_keys),)
            if endpoint.body_keys
            else _scopes(endpoint, resources)
        ),
        body_keys=endpoint.body_keys,
        parent_params=_parent_params(endpoint, resource),
        parent_fields=(
            _parent_fields(
                endpoint,
                resource,
                _field_paths(
                    spec.document,
                    resolve_pointer(spec.document, resource.schema_pointer),
                ),
            )
            if resource
            and resource.schema_pointer
            and endpoint.role in (Role.CREATE, Role.UPDATE)
            else ()
        ),
        references=references,
        field_params=(
            _field_params(endpoint, fields) if endpoint.role is Role.UPDATE else ()
        ),
        filters=(
            _filters(endpoint, fields, paging) if endpoint.role is Role.LIST else ()
        ),
        paging=paging,
        envelope=(
            _envelope(spec, endpoint, resource) if endpoint.role is Role.LIST else None
        ),
        item_envelope=(
            _item_envelope(spec, endpoint, resource)
            if endpoint.role in _ITEM_ROLES
            else _item_envelope(spec, endpoint, resources.get(produced or ""))
        ),
        body_envelope=(
            _body_envelope(spec, endpoint, resource)
            if endpoint.role in (Role.CREATE, Role.UPDATE)
            else None
        ),
        upsert=_upserts(spec, endpoint) or None,
        produces=produced,
        sets=_sets(spec, endpoint, resources.get(produced or "")),
    )


def _sets(
    spec: NormalizedSpec, endpoint: EndpointDef, produced: Resource | None
) -> dict[str, bool]:
    """The flags an action on one item sets on it (`action_flags`)."""
    if produced is None or not produced.schema_pointer or not produced.item_path:
        return {}
    if not any(
        name == produced.name
        for name, _ in _scopes(endpoint, {produced.name: produced})
    ):
        return {}
    return flag_changes(spec.document, endpoint.path, produced.schema_pointer)


def _body_schema(spec: NormalizedSpec, endpoint: EndpointDef) -> str | None:
    """The body schema's pointer, when the spec has one (`application/octet-stream: {}` documents none)."""
    if endpoint.body is None:
        return None
    try:
        resolve_pointer(spec.document, endpoint.body.schema_pointer)
    except (KeyError, IndexError, ValueError, TypeError):
        return None
    return endpoint.body.schema_pointer


def _param(spec: NormalizedSpec, param: Any) -> dict:
    schema, _ = deref(spec.document, param.schema, "")
    kind = _type_of(schema)
    items = (
        _type_of(deref(spec.document, schema.get("items") or {}, "")[0])
        if kind == "array"
        else "string"
    )
    explode = (
        param.explode if param.explode is not None else param.style in ("", "form")
    )
    return record(
        name=param.name,
        location=param.location,
        type=kind if kind != "string" else None,
        items=items if items != "string" else None,
        explode=None if explode else False,
        required=param.required or None,
    )


def _type_of(schema: Any) -> str:
    kind = schema.get("type") if isinstance(schema, dict) else None
    return kind if isinstance(kind, str) else "string"


def _outcomes(endpoint: EndpointDef) -> dict[str, str]:
    statuses = [r.status for r in endpoint.responses]
    outcomes = {"ok": _success(endpoint, statuses)}
    for kind, status in _KIND_STATUS.items():
        found = _documented(statuses, status)
        if found:
            outcomes[kind] = found
    return outcomes


def _success(endpoint: EndpointDef, statuses: list[str]) -> str:
    for status in _SUCCESS_ORDER.get(endpoint.role, _DEFAULT_SUCCESS):
        if status in statuses:
            return status
    documented = sorted(s for s in statuses if s.startswith("2"))
    return documented[0] if documented else "default"


def _documented(statuses: list[str], status: str) -> str | None:
    for candidate in (status, f"{status[0]}XX", f"{status[0]}xx", "default"):
        if candidate in statuses:
            return candidate
    client_errors = sorted(s for s in statuses if s.startswith("4"))
    return client_errors[0] if client_errors else None


def _segments(path: str) -> list[str]:
    return normalise_path(path).split("/")


def _scopes(endpoint: EndpointDef, resources: dict[str, Resource]) -> tuple:
    """Every resource item this path names, with the params of its key: by position
    (`/users/{}/orders/{}`), and top-level items by parameter name (`/{workspace_id}/members`
    names a workspace when workspaces are `/workspaces/{workspace_id}`; `/books/{bookId}/checkout`
    names a book of any author when books are `/authors/{}/books/{bookId}`). A Google custom
    method names the item it acts on (`.../watches/{watchId}:renew`: renewing a watch no one
    made is a 404, not a new watch)."""
    path = acted_on(endpoint.path)
    segments = _segments(path)
    raw = path.split("/")
    scopes = []
    for resource in sorted(
        resources.values(), key=lambda r: r.collection_path.count("/")
    ):
        if resource.item_path is None:
            continue
        prefix = resource.item_path.split("/")
        if segments[: len(prefix)] != prefix:
            continue
        if (
            VERSION_ROOT.fullmatch(resource.collection_path)
            and param_name(raw[len(prefix) - 1]) != resource.id_param
        ):
            continue  # `/v1/{parent}/connections` names no item of `/v1/{name}`
        params = tuple(param_name(raw[i]) for i, s in enumerate(prefix) if s == "{}")
        scopes.append((resource.name, params))
    scoped = {param for _, params in scopes for param in params}
    for param in path_params(path):
        owners = [r for r in resources.values() if r.item_path and r.id_param == param]
        if (
            param not in scoped and len(owners) == 1
        ):  # a nested item named by its own id alone: any parent
            scopes.insert(0, (owners[0].name, (param,)))
    named = {name for name, _ in scopes}
    for name, params in list(scopes):
        if (
            params and resources[name].schema_pointer is None
        ):  # a set of other items (`/likes/tracks/{track_id}`)
            others = [
                r
                for r in resources.values()
                if r.item_path
                and r.id_param == params[-1]
                and r.schema_pointer
                and r.name not in named
            ]
            if len(others) == 1:
                scopes.insert(0, (others[0].name, (params[-1],)))
    return tuple(scopes)


def _parent_params(endpoint: EndpointDef, resource: Resource | None) -> tuple[str, ...]:
    if resource is None:
        return ()
    prefix = resource.collection_path.split("/")
    segments = _segments(endpoint.path)
    if segments[: len(prefix)] != prefix:
        return ()
    raw = endpoint.path.split("/")
    return tuple(param_name(raw[i]) for i, s in enumerate(prefix) if s == "{}")


def _parent_fields(
    endpoint: EndpointDef, resource: Resource | None, fields: set[str]
) -> tuple[tuple[str, str], ...]:
    """(parent param, item field) pairs: a book under /authors/{authorId} has its `authorId` set from
    the path. The immediate parent may also sit in an embedded object (`repository/slug` of a pull
    request under `/repositories/{username}/{slug}`)."""
    params = _parent_params(endpoint, resource)
    own = resource.id_field if resource is not None else None
    pairs = []
    for param in params:
        nested = param == params[-1]
        # the item's own id is never its parent's (`/users/{id}/accounts` makes accounts with ids of their own)
        matches = sorted(
            (
                f
                for f in fields
                if ("/" not in f or nested)
                and f != own
                and normalise_name(f.rsplit("/", 1)[-1]) == normalise_name(param)
            ),
            key=lambda f: (f.count("/"), f),
        )
        if matches:
            pairs.append((param, matches[0]))
    return tuple(pairs)


def _field_paths(document: Any, schema: Any) -> set[str]:
    """Top-level properties, and `object/property` for properties of embedded objects."""
    found = set()
    for name, value in properties(document, schema).items():
        found.add(name)
        found.update(f"{name}/{inner}" for inner in properties(document, value))
    return found


def _paging(endpoint: EndpointDef) -> dict[str, str]:
    paging = {}
    for param in endpoint.params_in("query"):
        for purpose, names in _PAGING.items():
            if (
                normalise_name(param.name) in {normalise_name(n) for n in names}
                and purpose not in paging
            ):
                paging[purpose] = param.name
    return paging


def _filters(endpoint: EndpointDef, fields: set[str], paging: dict[str, str]) -> tuple:
    by_norm = {normalise_name(f): f for f in sorted(fields)}
    return tuple(
        (p.name, by_norm[normalise_name(p.name)])
        for p in endpoint.params_in("query")
        if p.name not in paging.values() and normalise_name(p.name) in by_norm
    )


def _field_params(endpoint: EndpointDef, fields: set[str]) -> tuple[str, ...]:
    return tuple(p.name for p in endpoint.params_in("query") if p.name in fields)


def _ok_schema(spec: NormalizedSpec, endpoint: EndpointDef) -> tuple[Any, str] | None:
    status = _success(endpoint, [r.status for r in endpoint.responses])
    response = endpoint.response(status)
    if response is None or response.schema_pointer is None:
        return None
    return deref(spec.document, response.schema, response.schema_pointer)


def _envelope(
    spec: NormalizedSpec, endpoint: EndpointDef, resource: Resource | None
) -> str | None:
    """The property of a list answer that holds the items; a path (`data/accounts`) when the
    array sits in an object the resource's items are also answered in (`{"data": {"accounts": [...]}}`).
    """
    found = _ok_schema(spec, endpoint)
    if found is None or (
        isinstance(found[0], dict) and found[0].get("type") == "array"
    ):
        return None
    outer = resource.envelope.split("/")[0] if resource and resource.envelope else None
    schema, prefix = found[0], ""
    for _ in range(2):
        arrays = []
        props = properties(spec.document, schema)
        for name, value in props.items():
            value, _ = deref(spec.document, value, "")
            if isinstance(value, dict) and value.get("type") == "array":
                items_pointer = deref(spec.document, value.get("items") or {}, "")[1]
                arrays.append(
                    (
                        items_pointer
                        != (resource.schema_pointer if resource else None),
                        name,
                    )
                )
        if arrays:
            mismatch, name = sorted(arrays)[0]
            grouped = _grouped(spec, props[name], resource) if mismatch else None
            return prefix + name + (f"/*/{grouped}" if grouped else "")
        if outer is None or outer not in props:
            return None
        schema, prefix = deref(spec.document, props[outer], "")[0], outer + "/"
    return None


def _grouped(spec: NormalizedSpec, array: Any, resource: Resource | None) -> str | None:
    """The property of each entry that holds the items, when a list answers them in groups
    (YNAB's `category_groups[].categories[]`)."""
    if resource is None or resource.schema_pointer is None:
        return None
    entry = deref(
        spec.document, deref(spec.document, array, "")[0].get("items") or {}, ""
    )[0]
    for name, value in properties(spec.document, entry).items():
        value, _ = deref(spec.document, value, "")
        if isinstance(value, dict) and value.get("type") == "array":
            if (
                deref(spec.document, value.get("items") or {}, "")[1]
                == resource.schema_pointer
            ):
                return name
    return None


def _kinds(spec: NormalizedSpec) -> dict[str, str]:
    """JSON:API type -> resource, from the `type` each representation documents (`"member"`)."""
    kinds: dict[str, str] = {}
    for resource in spec.resources:
        if resource.schema_pointer:
            kind = properties(
                spec.document, resolve_pointer(spec.document, resource.schema_pointer)
            ).get("type")
            example = (
                deref(spec.document, kind, "")[0].get("example")
                if isinstance(kind, dict)
                else None
            )
            if isinstance(example, str):
                kinds.setdefault(example, resource.name)
    return kinds


def _included(
    spec: NormalizedSpec, endpoint: EndpointDef, kinds: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    """A JSON:API answer's `included` list as documented, by position: the resource whose stored
    item belongs there ("" where none does), so sideloaded ids are real ones."""
    status = _success(endpoint, [r.status for r in endpoint.responses])
    response = endpoint.response(status)
    example = response_example(spec.document, endpoint, response) if response else None
    listed = example.get("included") if isinstance(example, dict) else None
    if not isinstance(listed, (list, tuple)) or "included" not in properties(
        spec.document, response.schema or {}
    ):
        return {}
    positions = tuple(
        kinds.get(str(entry.get("type")), "") if isinstance(entry, dict) else ""
        for entry in listed
    )
    return {"included": positions} if any(positions) else {}


def _upserts(spec: NormalizedSpec, endpoint: EndpointDef) -> bool:
    """A PUT to an item path creates the item when nothing else can (`PUT /deploys/{id}/files/{path}`),
    as does a bodiless POST that puts an item in a set with no representation (`POST /likes/tracks/{track_id}`).
    """
    if endpoint.role is not Role.UPDATE or not endpoint.params_in("path"):
        return False
    marks = (
        endpoint.method == "post" and endpoint.body is None and _in_set(spec, endpoint)
    )
    if endpoint.method != "put" and not marks:
        return False
    return not any(
        e.role is Role.CREATE and e.resource == endpoint.resource
        for e in spec.endpoints
    )


def _in_set(spec: NormalizedSpec, endpoint: EndpointDef) -> bool:
    return any(
        r.name == endpoint.resource and r.schema_pointer is None for r in spec.resources
    )


def _item_envelope(
    spec: NormalizedSpec, endpoint: EndpointDef, resource: Resource | None
) -> str | None:
    """The property (path of properties, `data/account`) this operation's answer wraps the item in,
    when the resource is answered enveloped."""
    found = _ok_schema(spec, endpoint)
    if resource is not None and resource.strict and found is not None:
        return _holding(spec, found, resource)
    if resource is None or resource.envelope is None or found is None:
        return None
    return resource.envelope if _inside(spec, found, resource.envelope) else None


def _holding(
    spec: NormalizedSpec, found: tuple[Any, str], resource: Resource
) -> str | None:
    """The property of an answer that holds the item, by its schema: each RPC
    operation names it its own way (DynamoDB's `CreateTable` answers
    `{"TableDescription": ...}`, `DescribeTable` `{"Table": ...}`)."""
    for name, value in properties(spec.document, found[0]).items():
        if deref(spec.document, value, "")[1] == resource.schema_pointer:
            return name
    return None


def _inside(spec: NormalizedSpec, found: tuple[Any, str], envelope: str) -> str | None:
    """The pointer of what the schema `found` (schema, pointer) holds at the property
    path `envelope` (`data/account`), followed through `$ref`s; None when absent."""
    schema, pointer = found
    for name in envelope.split("/"):
        props = properties(spec.document, schema)
        if name not in props:
            return None
        escaped = name.replace("~", "~0").replace("/", "~1")
        schema, pointer = deref(
            spec.document, props[name], f"{pointer}/properties/{escaped}"
        )
    return pointer


def _body_envelope(
    spec: NormalizedSpec, endpoint: EndpointDef, resource: Resource | None
) -> str | None:
    """The body property a create or update wraps the item's fields in (`{"account": {...}}`): the
    innermost name of the resource's answer envelope, when the body has it as an object and the
    item itself has no field of that name."""
    if (
        resource is None
        or resource.envelope is None
        or endpoint.body is None
        or not resource.schema_pointer
    ):
        return None
    name = resource.envelope.rsplit("/", 1)[-1]
    value = properties(spec.document, endpoint.body.schema).get(name)
    fields = properties(
        spec.document, resolve_pointer(spec.document, resource.schema_pointer)
    )
    if value is None or name in fields or not properties(spec.document, value):
        return None
    return name


def _produces(
    spec: NormalizedSpec, endpoint: EndpointDef, resources: dict[str, Resource]
) -> str | None:
    """The resource whose item an action answers with: by its representation, else (for an action
    that names no item in its path) by a variant of it whose schema name ends in the representation's
    (`GET /me` answers a `current-user-profile`, a `user-profile` of the users)."""
    found = _ok_schema(spec, endpoint)
    if found is None:
        return None
    answered = [  # the item, bare or in its resource's envelope (AWS: `{"crl": {...}}`)
        r
        for r in resources.values()
        if r.id_field
        and r.schema_pointer
        and (
            r.schema_pointer == found[1]
            or (r.envelope and _inside(spec, found, r.envelope) == r.schema_pointer)
        )
    ]
    if answered or endpoint.params_in("path"):
        named = {name for name, _ in _scopes(endpoint, resources)}
        answered = [r for r in answered if r.name in named] or answered
        return answered[0].name if answered else None
    answered = schema_nouns(found[1])
    tails = {tail for noun in answered[:1] for tail in noun_suffixes(noun)}
    variants = [
        r
        for r in resources.values()
        if r.id_field
        and r.schema_pointer
        and _has_field(spec, found[1], r.id_field)
        and set(schema_nouns(r.schema_pointer)[:1]) & tails
    ]
    return variants[0].name if len(variants) == 1 else None


def _has_field(spec: NormalizedSpec, pointer: str | None, name: str) -> bool:
    return bool(pointer) and name in properties(
        spec.document, resolve_pointer(spec.document, pointer)
    )
