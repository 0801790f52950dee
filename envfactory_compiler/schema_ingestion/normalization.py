"""An OpenAPI 3.0 document to `EndpointDef`s (before resource roles are known).

Path-level and operation-level parameters are merged, `$ref`ed parameters,
bodies and responses are followed, one content type is chosen per body and
response (JSON first), and every operation gets a unique, tool-safe `name`.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostic, pointer_join, pointer_split, warning
from ..ir import Body, EndpointDef, Parameter, Response
from .references import resolve_pointer

GENERATED_ID = "x-envc-generated-operation-id"
ORIGINAL_ID = "x-envc-original-operation-id"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_NAME_LIMIT = 64


def deref(document: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow a `$ref` chain (through described references, `_described`);
    returns the target and its pointer."""
    seen = 0
    while isinstance(node, dict) and seen < 64:
        ref = node.get("$ref")
        if not isinstance(ref, str):
            ref = _described(node)
            if ref is None:
                break
        pointer = ref[1:]
        node = resolve_pointer(document, pointer)
        seen += 1
    return node, pointer


# what a schema may say of a value without constraining it
_ANNOTATIONS = frozenset(
    "description title example examples deprecated externalDocs xml allOf".split()
)


def _described(node: dict) -> str | None:
    """The reference of `{"allOf": [{"$ref": X}, {"description": ...}]}`, OpenAPI
    3.0's way to describe a reference (every property of AWS's 354 specs):
    it is X, with words. Anything that constrains the value is no longer X."""
    parts = node.get("allOf")
    if not isinstance(parts, (list, tuple)) or not _annotations_only(node):
        return None
    refs = [p for p in parts if isinstance(p, dict) and "$ref" in p]
    if len(refs) != 1 or len(refs[0]) != 1 or not isinstance(refs[0]["$ref"], str):
        return None
    others = [p for p in parts if p is not refs[0]]
    if not all(isinstance(p, dict) and _annotations_only(p) for p in others):
        return None
    return refs[0]["$ref"]


def described(node: Any) -> dict:
    """What a described reference says of its value (`description`, `title`,
    `example`), which following the reference leaves behind; {} for any
    other node."""
    if not isinstance(node, dict) or _described(node) is None:
        return {}
    found: dict = {}
    for part in [node, *node["allOf"]]:
        found.update(
            {k: v for k, v in part.items() if k in ("description", "title", "example")}
        )
    return found


def _annotations_only(node: dict) -> bool:
    return all(k in _ANNOTATIONS or str(k).startswith("x-") for k in node)


def preferred_media(content: dict) -> str | None:
    """JSON first, then other structured types, then whatever is first."""
    if not content:
        return None
    types = list(content)
    for predicate in (
        lambda t: t.split(";")[0].strip() == "application/json",
        lambda t: t.endswith("+json") or "/json" in t,
        lambda t: t == "application/x-www-form-urlencoded",
        lambda t: t == "multipart/form-data",
        lambda t: t.startswith("text/"),
    ):
        match = next((t for t in types if predicate(t)), None)
        if match:
            return match
    return types[0]


def read_endpoints(
    document: dict, file: str
) -> tuple[list[EndpointDef], list[Diagnostic]]:
    """Every operation of the document, in document order."""
    endpoints: list[EndpointDef] = []
    notes: list[Diagnostic] = []
    taken: set[str] = set()
    for path, item in (document.get("paths") or {}).items():
        item_pointer = pointer_join("paths", path)
        item, _ = deref(document, item, item_pointer)
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            pointer = f"{item_pointer}/{method}"
            name, note = _unique_name(
                operation.get("operationId"), method, path, taken, file, pointer
            )
            notes.extend(note)
            endpoints.append(
                _endpoint(document, path, method, item, operation, name, pointer)
            )
    return endpoints, notes


def _endpoint(
    document: dict,
    path: str,
    method: str,
    item: dict,
    operation: dict,
    name: str,
    pointer: str,
) -> EndpointDef:
    security = operation.get("security", document.get("security")) or []
    return EndpointDef(
        name=name,
        operation_id=(
            None
            if operation.get(GENERATED_ID)
            else operation.get(ORIGINAL_ID, operation.get("operationId"))
        ),
        method=method,
        path=path,
        pointer=pointer,
        summary=str(operation.get("summary") or ""),
        description=str(operation.get("description") or ""),
        tags=tuple(str(t) for t in operation.get("tags") or ()),
        parameters=_parameters(document, item, operation, pointer),
        body=_body(document, operation.get("requestBody"), f"{pointer}/requestBody"),
        responses=_responses(
            document, operation.get("responses") or {}, f"{pointer}/responses"
        ),
        security=tuple(tuple(req) for req in security if isinstance(req, dict)),
        deprecated=bool(operation.get("deprecated")),
    )


def _parameters(
    document: dict, item: dict, operation: dict, pointer: str
) -> tuple[Parameter, ...]:
    merged: dict[tuple[str, str], Parameter] = {}
    item_pointer = pointer.rsplit("/", 1)[0]
    for base, raw_list in (
        (item_pointer, item.get("parameters")),
        (pointer, operation.get("parameters")),
    ):
        for index, raw in enumerate(raw_list or ()):
            param, where = deref(document, raw, f"{base}/parameters/{index}")
            schema = param.get("schema")
            if (
                schema is None
            ):  # content-based parameter: take its first media type's schema
                media = preferred_media(param.get("content") or {})
                schema = (
                    (param.get("content") or {}).get(media, {}).get("schema", {})
                    if media
                    else {}
                )
            key = (param["name"], param["in"])
            merged[key] = Parameter(
                name=param["name"],
                location=param["in"],
                required=bool(param.get("required")) or param["in"] == "path",
                schema=schema if schema is not None else {},
                pointer=where,
                style=str(param.get("style") or ""),
                explode=param.get("explode"),
                description=str(param.get("description") or ""),
            )
    return tuple(merged.values())


def _body(document: dict, raw: Any, pointer: str) -> Body | None:
    if raw is None:
        return None
    body, where = deref(document, raw, pointer)
    content = body.get("content") or {}
    media = preferred_media(content)
    if media is None:
        return None
    schema = (content[media] or {}).get("schema")
    return Body(
        content_type=media,
        content_types=tuple(content),
        required=bool(body.get("required")),
        schema=schema if schema is not None else {},
        schema_pointer=pointer_join(*pointer_split(where), "content", media, "schema"),
        description=str(body.get("description") or ""),
    )


def _responses(document: dict, raw: dict, pointer: str) -> tuple[Response, ...]:
    responses = []
    for status, value in raw.items():
        response, where = deref(
            document, value, pointer_join(*pointer_split(pointer), status)
        )
        content = response.get("content") or {}
        media = preferred_media(content)
        schema = (content.get(media) or {}).get("schema") if media else None
        responses.append(
            Response(
                status=str(status),
                description=str(response.get("description") or ""),
                content_type=media,
                schema=schema,
                schema_pointer=(
                    pointer_join(*pointer_split(where), "content", media, "schema")
                    if schema is not None
                    else None
                ),
                links=response.get("links"),
                added=bool(response.get("x-envc-added")),
            )
        )
    return tuple(responses)


def _unique_name(
    operation_id: Any, method: str, path: str, taken: set[str], file: str, pointer: str
):
    notes: list[Diagnostic] = []
    base = _safe(str(operation_id)) if operation_id else _safe(f"{method}_{path}")
    if operation_id and base != operation_id:
        notes.append(
            warning(
                file,
                f"{pointer}/operationId",
                f"operationId {operation_id!r} is not a valid tool name; using {base!r}",
                "use letters, digits, '_' and '-' only (64 at most)",
            )
        )
    name, counter = base, 2
    while name in taken:
        suffix = f"_{counter}"
        name, counter = base[: _NAME_LIMIT - len(suffix)] + suffix, counter + 1
    if operation_id and name != base:
        notes.append(
            warning(
                file,
                f"{pointer}/operationId",
                f"duplicate operationId {operation_id!r}; this one is named {name!r}",
                "give every operation a unique operationId",
            )
        )
    taken.add(name)
    return name, notes


def _safe(text: str) -> str:
    """A tool-safe name: `[A-Za-z0-9_-]{1,64}`."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", text.replace("{", "").replace("}", ""))
    # Cut, then strip: a name cut before a '-' would lose it when read again, so
    # the spec's operationId and the engine's table key would differ.
    return cleaned[:_NAME_LIMIT].strip("_-") or "operation"
