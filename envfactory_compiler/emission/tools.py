"""Tool schemas for LLM function calling (OpenAI `tools` format).

One function per operation; its parameters object holds the path, query
and header parameters by name and the request body under `body`. Schemas
are self-contained: `$ref`s are inlined (recursion cut at a fixed depth),
read-only fields are dropped because a caller never sends them.
"""

from __future__ import annotations

from typing import Any

from envfactory_runtime.tasks.prose import plain

from ..frozen import thaw
from ..ir import EndpointDef, NormalizedSpec
from ..schema_ingestion.normalization import deref, described

MAX_DEPTH = 6
DESCRIPTION_LIMIT = 1024
_KEEP = (
    "type",
    "format",
    "enum",
    "description",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "title",
)


def tools(spec: NormalizedSpec) -> list[dict[str, Any]]:
    return [tool(spec, e) for e in spec.endpoints]


def body_key(endpoint: EndpointDef) -> str:
    """Where the request body goes among the tool's arguments."""
    names = {p.name for p in endpoint.parameters}
    key = "body"
    while key in names:
        key = "request_" + key
    return key


def tool(spec: NormalizedSpec, endpoint: EndpointDef) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for param in endpoint.parameters:
        schema = inline(spec.document, param.schema)
        if param.description and "description" not in schema:
            schema["description"] = param.description
        properties[param.name] = schema
        if param.required:
            required.append(param.name)
    if endpoint.body is not None:
        key = body_key(endpoint)
        properties[key] = inline(spec.document, endpoint.body.schema)
        if endpoint.body.required:
            required.append(key)
    parameters: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        parameters["required"] = required
    return {
        "type": "function",
        "function": {
            "name": endpoint.name,
            "description": describe(endpoint),
            "parameters": parameters,
        },
    }


def describe(endpoint: EndpointDef) -> str:
    text = " ".join(
        plain(part) for part in (endpoint.summary, endpoint.description) if part
    )
    text = " ".join(text.split()) or f"{endpoint.method.upper()} {endpoint.path}"
    return text[:DESCRIPTION_LIMIT]


def inline(document: Any, schema: Any, depth: int = 0) -> dict[str, Any]:
    """A self-contained JSON Schema for one OpenAPI 3.0 schema, its prose as
    plain text."""
    notes = described(schema)  # AWS's `allOf: [{$ref}, {description}]`
    schema, _ = deref(document, schema, "")
    if not isinstance(schema, dict):
        return {}
    result: dict[str, Any] = {k: thaw(schema[k]) for k in _KEEP if k in schema}
    result.update({k: thaw(v) for k, v in notes.items() if k in _KEEP})
    if isinstance(result.get("description"), str):
        result["description"] = plain(result["description"]).replace("\n", " ")
    if schema.get("nullable") and isinstance(result.get("type"), str):
        result["type"] = [result["type"], "null"]
    if depth >= MAX_DEPTH:
        result.pop("type", None) if result.get("type") in ("object", "array") else None
        return result
    for key in ("allOf", "oneOf", "anyOf"):
        if key in schema:
            result[key] = [inline(document, s, depth + 1) for s in schema[key]]
    if isinstance(schema.get("items"), dict):
        result["items"] = inline(document, schema["items"], depth + 1)
    props = {
        name: inline(document, value, depth + 1)
        for name, value in (schema.get("properties") or {}).items()
        if not deref(document, value, "")[0].get("readOnly")
    }
    if props:
        result["properties"] = props
        required = [name for name in schema.get("required") or () if name in props]
        if required:
            result["required"] = required
    extra = schema.get("additionalProperties")
    if isinstance(extra, bool):
        result["additionalProperties"] = extra
    elif isinstance(extra, dict):
        result["additionalProperties"] = inline(document, extra, depth + 1)
    return result
