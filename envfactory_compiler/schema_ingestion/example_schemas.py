"""Response schemas read off examples, for responses documented by an example alone.

Many real specs (Orbit's, most hand-written ones) give a response an
`example` and no `schema`. Without a schema the sandbox could only answer
an empty body, the dependency inference would have nothing to walk and the
models nothing to generate. The example is the documentation, so its shape
becomes the schema: objects with their keys (those not null are required),
arrays of their first item's shape, scalars typed, each leaf keeping the
example's value as its own `example` so generated answers look like the
real ones. Every derived schema is marked `x-envc-from-example: true`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..diagnostics import pointer_join
from .normalization import METHODS

MARK = "x-envc-from-example"
_MAX_DEPTH = 32
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$"
)
_JSON = re.compile(r"^application/([\w.+-]+\+)?json")


def derive_example_schemas(document: dict) -> list[str]:
    """Give every JSON response media with an example and no schema a schema; returns their pointers."""
    added = []
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            responses = (
                operation.get("responses") if isinstance(operation, dict) else None
            )
            for status, response in (
                (responses or {}).items() if isinstance(responses, dict) else ()
            ):
                content = (
                    response.get("content") if isinstance(response, dict) else None
                )
                for media_type, media in (
                    (content or {}).items() if isinstance(content, dict) else ()
                ):
                    example = _example(media) if _JSON.match(str(media_type)) else None
                    if example is not None:
                        media["schema"] = {**schema_of(example), MARK: True}
                        added.append(
                            pointer_join(
                                "paths",
                                path,
                                method,
                                "responses",
                                str(status),
                                "content",
                                media_type,
                                "schema",
                            )
                        )
    return added


def _example(media: Any) -> Any:
    """The media's example (or its first inline `examples` value) when it has no schema."""
    if not isinstance(media, dict) or "schema" in media:
        return None
    if "example" in media:
        return _parsed(media["example"])
    for example in (media.get("examples") or {}).values():
        if isinstance(example, dict) and "value" in example:
            return _parsed(example["value"])
    return None


def _parsed(value: Any) -> Any:
    """A JSON media's example written as JSON text (a string holding an object
    or an array, as API Gateway exports have them) is that object."""
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _items_schema(values: list, depth: int) -> dict:
    """The first element's shape; for a mixed list (a JSON:API `included` with several
    `type`s) only the scalar keys every element shares, so each kind stays valid."""
    if not values:
        return {}
    first = schema_of(values[0], depth)
    objects = [v for v in values if isinstance(v, dict)]
    key_sets = {tuple(sorted(o)) for o in objects}
    kinds = {str(o["type"]) for o in objects if "type" in o}
    if len(objects) != len(values) or (len(key_sets) <= 1 and len(kinds) <= 1):
        return first
    shared = [
        k
        for k in objects[0]
        if all(
            k in o and _scalar(o[k]) and type(o[k]) is type(objects[0][k])
            for o in objects
        )
    ]
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {k: schema_of(objects[0][k], depth + 1) for k in shared},
    }
    if shared:
        schema["required"] = shared
    return schema


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def schema_of(value: Any, depth: int = 0) -> dict:
    """The schema an example value documents."""
    if depth > _MAX_DEPTH:
        return {}
    if value is None:
        return {"nullable": True}
    if isinstance(value, bool):
        return {"type": "boolean", "example": value}
    if isinstance(value, int):
        return {"type": "integer", "example": value}
    if isinstance(value, float):
        return {"type": "number", "example": value}
    if isinstance(value, str):
        schema = {"type": "string", "example": value}
        if _DATE_TIME.match(value):
            schema["format"] = "date-time"
        return schema
    if isinstance(value, list):
        return {"type": "array", "items": _items_schema(value, depth + 1)}
    if isinstance(value, dict):
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {str(k): schema_of(v, depth + 1) for k, v in value.items()},
        }
        required = [str(k) for k, v in value.items() if v is not None]
        if required:
            schema["required"] = required
        return schema
    return {}
