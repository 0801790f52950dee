"""Just enough schema reading to compare ids: properties through compositions, and types.

Producers and consumers are compared by what their values look like, so an
integer order id never feeds a uuid book parameter. Unknown types are given
the benefit of the doubt (they are compatible, but never an exact match).
"""

from __future__ import annotations

from typing import Any

from ..schema_ingestion.normalization import deref
from ..schema_ingestion.resources import properties

MAX_DEPTH = 8
_NUMERIC = ("integer", "number")


def resolve(document: Any, schema: Any) -> tuple[Any, str | None]:
    """The schema behind `$ref`s, and the pointer it lives at (None when inline)."""
    target, pointer = deref(document, schema, "")
    return (target if isinstance(target, dict) else {}), (pointer or None)


def branches(document: Any, schema: Any, depth: int = 0) -> list[Any]:
    """The alternatives a value may take: `oneOf`/`anyOf` branches, flattened; else the schema."""
    target, _ = resolve(document, schema)
    options = list(target.get("oneOf") or ()) + list(target.get("anyOf") or ())
    if not options or depth > MAX_DEPTH:
        return [schema]
    found: list[Any] = []
    for option in options:
        found.extend(branches(document, option, depth + 1))
    return found


def all_properties(document: Any, schema: Any) -> dict[str, Any]:
    """Properties of an object schema, merged through `allOf` and over every `oneOf`/`anyOf` branch."""
    merged: dict[str, Any] = {}
    for option in branches(document, schema):
        for name, value in properties(document, option).items():
            merged.setdefault(name, value)
    for name, value in properties(document, schema).items():
        merged.setdefault(name, value)
    return merged


def is_array(document: Any, schema: Any) -> bool:
    target, _ = resolve(document, schema)
    return target.get("type") == "array" or (
        isinstance(target.get("items"), dict) and "properties" not in target
    )


def items(document: Any, schema: Any) -> Any:
    target, _ = resolve(document, schema)
    return target.get("items") if isinstance(target.get("items"), dict) else {}


def scalar_type(document: Any, schema: Any, depth: int = 0) -> tuple[str, str]:
    """(type, format) of a scalar, looking through `allOf` and single-type lists; "" when unknown."""
    target, _ = resolve(document, schema)
    if depth > MAX_DEPTH:
        return "", ""
    kind = target.get("type")
    if isinstance(kind, (list, tuple)):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    if not kind:
        for part in target.get("allOf") or ():
            found = scalar_type(document, part, depth + 1)
            if found[0]:
                return found
    return str(kind or ""), str(target.get("format") or "")


def is_plain_value(document: Any, schema: Any) -> bool:
    """Not a boolean, an enum or an object: something that could carry an id."""
    target, _ = resolve(document, schema)
    if target.get("enum") is not None or target.get("const") is not None:
        return False
    kind, _ = scalar_type(document, schema)
    return kind not in ("boolean", "object", "null") and not properties(
        document, schema
    )


def compatibility(document: Any, consumer: Any, producer: Any) -> str:
    """ "exact", "loose" or "" (incompatible) for a produced value fed to a consumer schema."""
    c_type, c_format = scalar_type(document, consumer)
    p_type, p_format = scalar_type(document, producer)
    if not c_type or not p_type:
        return "loose"
    if c_type in ("boolean", "object", "array") or p_type in (
        "boolean",
        "object",
        "array",
    ):
        return ""
    if c_type in _NUMERIC:
        if p_type in _NUMERIC:
            return "exact" if c_type == p_type else "loose"
        return "loose" if p_format in ("int32", "int64", "integer") else ""
    if p_type in _NUMERIC:  # a string parameter can carry a number
        return (
            ""
            if c_format in ("uuid", "email", "date", "date-time", "uri", "ipv4", "ipv6")
            else "loose"
        )
    if c_format and p_format:
        return "exact" if c_format == p_format else ""
    return "exact" if c_format == p_format else "loose"


def key_as_text(document: Any, consumer: Any, producer: Any) -> bool:
    """Whether a plain string (no format) is offered for an integer key: an API that documents the
    key it just created as a string (`CreatedWebinar.webinarKey`) where its paths type it integer.
    """
    c_type, _ = scalar_type(document, consumer)
    p_type, p_format = scalar_type(document, producer)
    return c_type == "integer" and p_type == "string" and not p_format


def addresses(document: Any, schema: Any, tokens: list[str], depth: int = 0) -> bool:
    """Whether a JSON pointer (as tokens) can address a value of `schema`."""
    if not tokens:
        return True
    if depth > MAX_DEPTH * 4:
        return False
    head, rest = tokens[0], tokens[1:]
    if is_array(document, schema):
        return head.isdigit() and addresses(
            document, items(document, schema), rest, depth + 1
        )
    value = all_properties(document, schema).get(head)
    return value is not None and addresses(document, value, rest, depth + 1)
