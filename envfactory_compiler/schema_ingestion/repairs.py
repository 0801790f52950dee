"""Repairs of invalid but unambiguous specs, each reported as a warning.

Real specs break the OpenAPI schema in a few recurring ways whose intent is
clear. These are fixed in the parsed document before it is validated, and
each fix is a warning naming the JSON pointer of what was changed:

- `items` given as a list (a draft-4 tuple): items of any of those schemas;
- a path parameter without `required: true` (path parameters always are);
- an operation without `responses`: one `default` response;
- `components.pathItems` (OpenAPI 3.1) in a 3.0 document: the referenced
  path items are inlined into `paths`;
- a schema `default` of the wrong type: a comma-separated string for an
  array is split, a scalar for an array wrapped, anything else dropped.

Anything not listed here is left to the validator, which rejects it.
"""

from __future__ import annotations

import copy
from typing import Any, Iterator

from ..diagnostics import Diagnostic, pointer_join, warning
from .normalization import METHODS

_SKIPPED_KEYS = frozenset({"example", "examples", "default", "enum", "const", "x-examples"})
_JSON_TYPES = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "array": (list,), "object": (dict,), "null": (type(None),),
}
_PATH_ITEMS_PREFIX = "#/components/pathItems/"


def repair(document: dict, family: str, file: str) -> list[Diagnostic]:
    """Fix `document` in place; one warning per fix."""
    notes: list[tuple[str, str]] = []
    if family == "3.0":
        notes += _inline_component_path_items(document)
    notes += _add_missing_responses(document)
    for parts, node in _walk(document, ()):
        notes += _repair_node(node, parts, family)
    return [warning(file, pointer, message, "fix the spec so it validates without repairs") for pointer, message in notes]


def _walk(node: Any, parts: tuple) -> Iterator[tuple[tuple, dict]]:
    """Every object in the document that is not example data or an extension."""
    stack = [(parts, node)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, dict):
            yield parts, node
            children = ((k, v) for k, v in node.items() if _is_spec(k, parts))
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            continue
        stack.extend((parts + (key,), value) for key, value in reversed(list(children)) if isinstance(value, (dict, list)))


def _is_spec(key: str, parts: tuple) -> bool:
    """False for example data and extensions (a `default` response is spec)."""
    if key == "default" and parts and parts[-1] == "responses":
        return True
    return key not in _SKIPPED_KEYS and not key.startswith("x-")


def _repair_node(node: dict, parts: tuple, family: str) -> list[tuple[str, str]]:
    notes = []
    items = node.get("items")
    if isinstance(items, list) and all(isinstance(i, dict) for i in items) and items:
        keyword = "x-envc-any-of" if family == "2.0" else "anyOf"
        node["items"] = items[0] if len(items) == 1 else {keyword: items}
        notes.append((pointer_join(*parts, "items"), "'items' is a list (a tuple); read as items matching any of its schemas"))
    if node.get("in") == "path" and isinstance(node.get("name"), str) and node.get("required") is not True:
        node["required"] = True
        notes.append((pointer_join(*parts, "required"), f"path parameter {node['name']!r} was not marked required; "
                       "path parameters always are"))
    if "default" in node and isinstance(node.get("type"), str) and node["type"] in _JSON_TYPES:
        notes += _repair_default(node, parts)
    return notes


def _repair_default(node: dict, parts: tuple) -> list[tuple[str, str]]:
    value, kind = node["default"], node["type"]
    if value is None and node.get("nullable") is True:
        return []
    fits = isinstance(value, _JSON_TYPES[kind]) and not (kind in ("integer", "number") and isinstance(value, bool))
    if fits and (not isinstance(node.get("enum"), list) or value in node["enum"]):
        return []
    pointer = pointer_join(*parts, "default")
    if kind == "array" and isinstance(value, (str, int, float, bool)):
        node["default"] = [v.strip() for v in value.split(",")] if isinstance(value, str) else [value]
        return [(pointer, f"default {value!r} is not an array; read as {node['default']!r}")]
    del node["default"]
    return [(pointer, f"default {_short(value)} does not match the schema ({kind}); dropped")]


def _add_missing_responses(document: dict) -> list[tuple[str, str]]:
    notes = []
    for path, item in _mapping(document.get("paths")).items():
        for method in METHODS:
            operation = _mapping(item).get(method)
            if isinstance(operation, dict) and "responses" not in operation:
                operation["responses"] = {"default": {"description": "No responses were documented."}}
                notes.append((pointer_join("paths", path, method, "responses"),
                              "operation has no 'responses'; a 'default' response was added"))
    return notes


def _inline_component_path_items(document: dict) -> list[tuple[str, str]]:
    """OpenAPI 3.1's `components.pathItems` in a 3.0 document: inline what `paths` refers to."""
    components = _mapping(document.get("components"))
    items = components.get("pathItems")
    if not isinstance(items, dict):
        return []
    paths = _mapping(document.get("paths"))
    for path, item in paths.items():
        ref = _mapping(item).get("$ref")
        if isinstance(ref, str) and ref.startswith(_PATH_ITEMS_PREFIX) and ref[len(_PATH_ITEMS_PREFIX):] in items:
            paths[path] = copy.deepcopy(items[ref[len(_PATH_ITEMS_PREFIX):]])
    del components["pathItems"]
    return [("/components/pathItems", "'components.pathItems' is OpenAPI 3.1; the path items it holds were inlined into 'paths'")]


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
