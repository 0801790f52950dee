"""Make the sandbox's error answers part of the served contract.

A stateful sandbox must answer 404 for a missing item, 400 for an invalid
request and 401 for a missing credential, but many specs document none of
these. Rather than answer with undocumented statuses, the bundled document
gains the responses the sandbox will use (marked `x-envc-added: true`), so
every answer is conformant and a user can see exactly what was added.
Nothing is added where the spec already documents the status, a matching
range (`4XX`) or a `default` response.

Likewise a request body offered in media types the sandbox cannot parse and
validate (XML, say) next to ones it can (JSON, forms) keeps only the latter,
so the contract never promises validation the sandbox cannot perform.

A parameter schema without a `type` (a `oneOf` of an integer and a uuid,
say) is given one, since the sandbox must know how to read the text of a
URL: the branches' common type, or `string` when they differ.
"""

from __future__ import annotations

import re

from ..diagnostics import pointer_join
from ..ir import EndpointDef, Resource, Role
from .normalization import deref
from .resources import properties

PROBLEM_SCHEMA = "EnvcProblem"
_PROBLEM = {
    "type": "object",
    "description": "An error answered by the envfactory sandbox (RFC 7807 problem details).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "required": ["title", "status"],
}
_REASONS = {
    "400": "Invalid request",
    "401": "Missing credentials",
    "404": "Not found",
    "405": "Method not allowed on the bare URL, which a request without what the path key names reaches",
}


def needed_statuses(
    operation: dict, item: dict, path: str, security: list
) -> list[str]:
    """Error statuses the sandbox may answer this operation with."""
    needed = []
    if (
        operation.get("parameters")
        or item.get("parameters")
        or operation.get("requestBody")
        or "{" in path
    ):
        needed.append("400")
    if security and all(requirement for requirement in security):
        needed.append("401")
    if "{" in path or operation.get(
        "requestBody"
    ):  # a body may name an item that does not exist
        needed.append("404")
    return needed


def add_sandbox_responses(
    document: dict, endpoints: list[EndpointDef], resources: list[Resource]
) -> list[str]:
    """Add undocumented sandbox statuses in place; returns pointers of what was added."""
    by_name = {r.name: r for r in resources}
    added = []
    for endpoint in endpoints:
        item = document["paths"][endpoint.path]
        operation = item[endpoint.method]
        responses = operation.setdefault("responses", {})
        security = operation.get("security", document.get("security")) or []
        if (
            not any(str(s).startswith("2") for s in responses)
            and "default" not in responses
        ):
            responses["200"] = _success(endpoint, by_name.get(endpoint.resource or ""))
            added.append(
                pointer_join(
                    "paths", endpoint.path, endpoint.method, "responses", "200"
                )
            )
        statuses = needed_statuses(operation, item, endpoint.path, security)
        if _reaches_bare_url(document, endpoint):
            statuses.append("405")
        for status in statuses:
            if _documented(responses, status):
                continue
            responses[status] = {
                "description": _REASONS[status]
                + " (answered by the envfactory sandbox)",
                "content": {
                    "application/problem+json": {
                        "schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}
                    }
                },
                "x-envc-added": True,
            }
            added.append(
                pointer_join(
                    "paths", endpoint.path, endpoint.method, "responses", status
                )
            )
    if any(not p.endswith("/200") for p in added):
        document.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            PROBLEM_SCHEMA, _PROBLEM
        )
    return added


def _reaches_bare_url(document: dict, endpoint: EndpointDef) -> bool:
    """Whether a request that misses the path key's `#...`/`?...` conditions reaches
    a bare path key without this method (the sandbox's routes.py answers it 405)."""
    route = re.split(r"[#?]", endpoint.path)[0]
    bare = document["paths"].get(route)
    return (
        route != endpoint.path
        and isinstance(bare, dict)
        and endpoint.method not in bare
    )


def _success(endpoint: EndpointDef, resource: Resource | None) -> dict:
    """A success answer: the item for CRUD on a known representation, else empty."""
    response: dict = {
        "description": "Success (answered by the envfactory sandbox)",
        "x-envc-added": True,
    }
    if (
        resource is None
        or resource.schema_pointer is None
        or endpoint.role is Role.DELETE
    ):
        return response
    schema: dict = {"$ref": "#" + resource.schema_pointer}
    if endpoint.role is Role.LIST:
        schema = {"type": "array", "items": schema}
    response["content"] = {"application/json": {"schema": schema}}
    return response


def _documented(responses: dict, status: str) -> bool:
    return (
        status in responses
        or f"{status[0]}XX" in responses
        or "default" in responses
        or bool(
            any(
                re.fullmatch(r"[45]XX", str(k), re.I) and str(k)[0] == status[0]
                for k in responses
            )
        )
    )


_PARSED = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
)


def parsed_media(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base in _PARSED or base.endswith("+json") or base == "*/*"


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def drop_unparsed_media(document: dict) -> list[str]:
    """Remove request media types the sandbox cannot validate, where JSON or another one remains.

    Forms count as unvalidatable when their fields are arrays or objects (a
    form cannot tell a one-item array from a string) or when the form as a
    whole is meant to be an array or a scalar. XML, which the sandbox reads
    (`xml_bodies`) but which cannot tell those apart either, is kept only
    where it is all an operation takes (AWS's query protocol).
    """
    dropped = []
    for path, item in (document.get("paths") or {}).items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            body = deref(document, body, "")[0] if isinstance(body, dict) else None
            content = body.get("content") if isinstance(body, dict) else None
            if not content:
                continue
            usable = [
                m
                for m in content
                if parsed_media(m) and not _structured_form(document, m, content[m])
            ]
            if not usable:
                continue
            unparsed = [m for m in content if m not in usable]
            for media in unparsed:
                del content[media]
                dropped.append(
                    pointer_join("paths", path, method, "requestBody", "content", media)
                )
            if unparsed:
                body["x-envc-dropped-media-types"] = unparsed
    return dropped


def _structured_form(document: dict, media_type: str, media: dict) -> bool:
    if media_type.split(";")[0].strip().lower() not in _FORMS:
        return False
    schema = deref(document, (media or {}).get("schema") or {}, "")[0]
    if isinstance(schema, dict) and schema.get("type") not in (None, "object"):
        return True  # an array or a scalar as a whole form: nothing a form can carry
    fields = properties(document, (media or {}).get("schema") or {})
    return any(
        deref(document, f, "")[0].get("type") in ("array", "object")
        for f in fields.values()
        if isinstance(f, dict)
    )


def type_parameter_schemas(document: dict) -> list[str]:
    """Give every parameter schema a `type`; the pointers of the parameters changed."""
    changed = []
    for pointer, parameter in parameter_objects(document):
        schema = parameter.get("schema")
        if not isinstance(schema, dict) or "content" in parameter:
            continue
        resolved = deref(document, schema, "")[0]
        if not isinstance(resolved, dict) or "type" in resolved:
            continue
        branches = [
            deref(document, b, "")[0]
            for b in (resolved.get("oneOf") or resolved.get("anyOf") or [])
        ]
        kinds = {b.get("type") for b in branches if isinstance(b, dict)}
        common = kinds.pop() if len(kinds) == 1 and None not in kinds else None
        parameter["schema"] = (
            {**resolved, "type": common}
            if common
            else {
                "type": "string",
                "x-envc-untyped-schema": schema,
                **(
                    {"description": resolved["description"]}
                    if "description" in resolved
                    else {}
                ),
            }
        )
        changed.append(pointer_join(*pointer, "schema"))
    return changed


def parameter_objects(document: dict):
    """(pointer parts, parameter) for every parameter object defined in the document."""
    for name, parameter in (
        (document.get("components") or {}).get("parameters") or {}
    ).items():
        if isinstance(parameter, dict) and "$ref" not in parameter:
            yield ("components", "parameters", name), parameter
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        owners = [((path,), item)] + [
            ((path, m), op)
            for m, op in item.items()
            if isinstance(op, dict) and m != "parameters"
        ]
        for parts, owner in owners:
            for index, parameter in enumerate(owner.get("parameters") or []):
                if isinstance(parameter, dict) and "$ref" not in parameter:
                    yield ("paths", *parts, "parameters", index), parameter
