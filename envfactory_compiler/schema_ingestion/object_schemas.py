"""What an object schema holds, and the singular of a collection's name:
what both the path-based and the RPC resource inference read."""

from __future__ import annotations

from typing import Any

from .normalization import deref


def properties(document: dict, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Properties of an object schema, merged through `allOf`; of a `oneOf`/`anyOf`, those every branch has."""
    schema, _ = deref(document, schema, "")
    if not isinstance(schema, dict) or depth > 8:
        return {}
    merged: dict[str, Any] = {}
    for part in schema.get("allOf") or ():
        merged.update(properties(document, part, depth + 1))
    for keyword in ("oneOf", "anyOf"):
        branches = [
            properties(document, part, depth + 1) for part in schema.get(keyword) or ()
        ]
        if branches:
            merged.update(
                {
                    name: value
                    for name, value in branches[0].items()
                    if all(name in b for b in branches[1:])
                }
            )
    merged.update(schema.get("properties") or {})
    return merged


def singular(word: str) -> str:
    """`accounts` -> `account`, `categories` -> `category`, `addresses` -> `address`."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
