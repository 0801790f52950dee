"""Untidy but readable documents: what peers accept, tidied, each a warning.

Real specs carry things the OpenAPI schema forbids but no reader misreads,
and a peer generator builds them. They are tidied before validation so the
spec builds and the served document stays valid:

- unknown keys on the fixed objects (the root, `info`, `contact`, `license`,
  tags, servers, `externalDocs`: `info.logo`, a top-level `_id`): dropped;
- duplicate entries in a schema's `required`: listed once;
- `examples` given as a map on a schema (it is a list in 3.1, absent in 3.0):
  its first value becomes the schema's `example` (3.0) or `examples` (3.1);
- `exclusiveMinimum`/`exclusiveMaximum` in the other version's form (a flag
  with `minimum` in 3.1, a number in 3.0): rewritten in the document's own;
- `$recursiveAnchor` (a 2019-09 keyword 3.1's dialect dropped): removed;
- a query, header or cookie parameter whose name is empty: dropped;
- two path templates that differ only in parameter names: one route, the
  second's operations moved to the first (one whose method clashes left out);
- operations on one URL told apart in the path key (`/#Action=X`,
  `/x#Qualifier`, `/rest?method=X`; the sandbox routes them by what the key
  names): one whose conditions include all of a sibling's is left out, since
  a request that misses its extra condition is the sibling's valid request,
  so no server can refuse it as the spec says.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator
from urllib.parse import unquote

from ..diagnostics import pointer_join
from .normalization import METHODS
from .references import resolve_local as _local

_ROOT = {
    "2.0": "swagger info host basePath schemes consumes produces paths definitions parameters responses "
    "securityDefinitions security tags externalDocs",
    "3.0": "openapi info servers paths components security tags externalDocs",
    "3.1": "openapi info jsonSchemaDialect servers paths webhooks components security tags externalDocs",
}
_FIXED = {  # object -> its keys (3.1's additions included: harmless in 3.0 documents)
    "info": "title summary description termsOfService contact license version",
    "contact": "name url email",
    "license": "name identifier url",
    "tag": "name description externalDocs",
    "server": "url description variables",
    "externalDocs": "description url",
}


def tidy(
    document: dict, family: str, nodes: Iterator[tuple[tuple, dict]]
) -> list[tuple[str, str]]:
    """Tidy `document` in place (see the module docstring); `nodes` walks its objects."""
    notes = (
        list(_unknown_keys(document, family))
        + _nameless_parameters(document)
        + _same_routes(document)
        + _indistinct_keys(document)
    )
    for parts, node in nodes:
        notes += _schema_keywords(node, parts, family)
    return notes


def _unknown_keys(document: dict, family: str) -> Iterator[tuple[str, str]]:
    yield from _drop_unknown(document, (), set(_ROOT[family].split()))
    info = document.get("info")
    if isinstance(info, dict):
        yield from _drop_unknown(info, ("info",), set(_FIXED["info"].split()))
        for key in ("contact", "license"):
            if isinstance(info.get(key), dict):
                yield from _drop_unknown(
                    info[key], ("info", key), set(_FIXED[key].split())
                )
    for section, kind in (("tags", "tag"), ("servers", "server")):
        for index, item in enumerate(document.get(section) or ()):
            if isinstance(item, dict):
                yield from _drop_unknown(
                    item, (section, index), set(_FIXED[kind].split())
                )
    if isinstance(document.get("externalDocs"), dict):
        yield from _drop_unknown(
            document["externalDocs"],
            ("externalDocs",),
            set(_FIXED["externalDocs"].split()),
        )


def _nameless_parameters(document: dict) -> list[tuple[str, str]]:
    """A query/header/cookie parameter with an empty name (`name: ""`) names
    nothing a request can carry: dropped."""
    notes = []
    paths = document.get("paths")
    for path, item in (paths.items() if isinstance(paths, dict) else ()):
        if not isinstance(item, dict):
            continue
        owners = [((), item)] + [
            ((m,), op)
            for m, op in item.items()
            if isinstance(op, dict) and m != "parameters"
        ]
        for where, owner in owners:
            params = owner.get("parameters")
            if not isinstance(params, list):
                continue
            for index in reversed(range(len(params))):
                param = params[index]
                if (
                    isinstance(param, dict)
                    and param.get("name") == ""
                    and param.get("in") != "path"
                ):
                    del params[index]
                    notes.append(
                        (
                            pointer_join("paths", path, *where, "parameters", index),
                            "a parameter with an empty name; dropped",
                        )
                    )
    return notes


def _same_routes(document: dict) -> list[tuple[str, str]]:
    """Two templates that differ only in parameter names (`/v1/{name}` and
    `/v1/{database}`) are one route: the later one's operations join the
    first, their path parameters renamed to the first's; an operation whose
    method the first already has is left out."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return []
    notes, first = [], {}
    for path in list(paths):
        shape = re.sub(r"\{[^}]*\}", "{}", path)
        if shape not in first:
            first[shape] = path
            continue
        kept, item = first[shape], paths.pop(path)
        if not isinstance(item, dict) or not isinstance(paths[kept], dict):
            continue
        names = dict(
            zip(re.findall(r"\{([^}]*)\}", path), re.findall(r"\{([^}]*)\}", kept))
        )
        for method, operation in item.items():
            pointer = pointer_join("paths", path, method)
            if (
                method in paths[kept]
                or not isinstance(operation, dict)
                or method == "parameters"
            ):
                if method != "parameters":
                    notes.append(
                        (
                            pointer,
                            f"{path!r} is the route {kept!r} already has {method.upper()} on; left out",
                        )
                    )
                continue
            operation = dict(operation)
            shared = [
                p
                for p in item.get("parameters") or ()
                if _named_path(document, p)
                not in {
                    _named_path(document, q) for q in operation.get("parameters") or ()
                }
            ]
            operation["parameters"] = [
                _renamed(document, p, names)
                for p in [*shared, *(operation.get("parameters") or ())]
            ]
            paths[kept][method] = operation
            notes.append(
                (
                    pointer,
                    f"{path!r} and {kept!r} match the same URLs; {method.upper()} joins {kept!r}",
                )
            )
    return notes


def _conditions(key: str) -> frozenset[tuple[str, str | None]] | None:
    """What a path key's `#...`/`?...` suffix asks of a request (None: no suffix)."""
    found = re.search(r"[#?]", key)
    if found is None:
        return None
    pairs = (part.partition("=") for part in key[found.end() :].split("&") if part)
    return frozenset(
        (k, v if eq and not v.startswith("{") else None) for k, eq, v in pairs
    )


def _indistinct_keys(document: dict) -> list[tuple[str, str]]:
    """See the module docstring: keys whose conditions a sibling's are a strict part of."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return []
    groups: dict[tuple[str, str], list[str]] = {}
    for key, item in paths.items():
        if isinstance(item, dict):
            route = re.sub(r"\{[^}]*\}", "{}", re.split(r"[#?]", key)[0])
            for method in item.keys() & METHODS:
                groups.setdefault((route, method), []).append(key)
    notes, referenced = [], None
    for (_, method), keys in groups.items():
        wants = {key: _conditions(key) or frozenset() for key in keys}
        for key in keys:
            sibling = next(
                (other for other in keys if other != key and wants[other] < wants[key]),
                None,
            )
            if _conditions(key) is None or sibling is None:
                continue
            if (
                referenced is None
            ):  # `$ref`s into path items (bundlers reuse parameters)
                found = re.findall(r'"#/paths/([^/"]*)', json.dumps(document))
                referenced = {unquote(token) for token in found}
            if pointer_join(key)[1:] in referenced:
                continue  # kept: removing it would break a reference
            del paths[key][method]
            notes.append(
                (
                    pointer_join("paths", key, method),
                    f"{method.upper()} {key!r} cannot be told apart from {method.upper()} "
                    f"{sibling!r}: a request without what {key!r} adds is the other's; left out",
                )
            )
    for key in [k for k, item in paths.items() if item == {}]:
        del paths[key]
    return notes


def _named_path(document: dict, param: Any) -> Any:
    param = _local(document, param)
    return (param.get("in"), param.get("name")) if isinstance(param, dict) else None


def _renamed(document: dict, param: Any, names: dict[str, str]) -> Any:
    resolved = _local(document, param)
    if (
        isinstance(resolved, dict)
        and resolved.get("in") == "path"
        and resolved.get("name") in names
    ):
        return {**resolved, "name": names[resolved["name"]]}
    return param


def _drop_unknown(
    node: dict, parts: tuple, allowed: set[str]
) -> Iterator[tuple[str, str]]:
    for key in [
        k
        for k in node
        if isinstance(k, str) and k not in allowed and not k.startswith("x-")
    ]:
        del node[key]
        yield pointer_join(
            *parts, key
        ), f"{key!r} is not an OpenAPI field here; dropped"


def _schema_keywords(node: dict, parts: tuple, family: str) -> list[tuple[str, str]]:
    notes = []
    required = node.get("required")
    if (
        isinstance(required, list)
        and all(isinstance(r, str) for r in required)
        and len(set(required)) < len(required)
    ):
        node["required"] = list(dict.fromkeys(required))
        notes.append(
            (
                pointer_join(*parts, "required"),
                "'required' lists a property twice; listed once",
            )
        )
    if _is_schema(node, parts) and isinstance(node.get("examples"), dict):
        notes += _examples_map(node, parts, family)
    for bound, limit in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        notes += _exclusive(node, parts, family, bound, limit)
    if family == "3.1" and "$recursiveAnchor" in node:
        del node["$recursiveAnchor"]
        notes.append(
            (
                pointer_join(*parts, "$recursiveAnchor"),
                "'$recursiveAnchor' is not in 3.1's dialect; dropped",
            )
        )
    return notes


def _is_schema(node: dict, parts: tuple) -> bool:
    """A schema object, not a parameter, header or media type (where `examples` is a map)."""
    if (
        "in" in node
        or "schema" in node
        or "content" in node
        or (len(parts) >= 2 and parts[-2] == "content")
    ):
        return False
    if parts and parts[-1] in (
        "properties",
        "patternProperties",
        "definitions",
        "schemas",
    ):
        return False  # a map of schemas by name (a property may be called `type`)
    return any(
        k in node
        for k in (
            "type",
            "properties",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "enum",
            "format",
        )
    )


def _examples_map(node: dict, parts: tuple, family: str) -> list[tuple[str, str]]:
    first = next(iter(node.pop("examples").values()), None)
    value = (
        first.get("value") if isinstance(first, dict) and "value" in first else first
    )
    pointer = pointer_join(*parts, "examples")
    if family == "3.1":
        node["examples"] = [value]
        return [
            (pointer, "'examples' on a schema is a list; its first value kept as one")
        ]
    node.setdefault("example", value)
    return [
        (
            pointer,
            "'examples' on a schema (a map) is not OpenAPI 3.0; its first value became 'example'",
        )
    ]


def _exclusive(
    node: dict, parts: tuple, family: str, bound: str, limit: str
) -> list[tuple[str, str]]:
    value = node.get(bound)
    pointer = pointer_join(*parts, bound)
    if family == "3.1" and isinstance(value, bool):
        if value and isinstance(node.get(limit), (int, float)):
            node[bound] = node.pop(limit)
            return [
                (
                    pointer,
                    f"'{bound}: true' is 3.0's form; read as {bound}: {node[bound]} (3.1's)",
                )
            ]
        del node[bound]
        return [(pointer, f"'{bound}: {str(value).lower()}' is 3.0's form; dropped")]
    if (
        family in ("2.0", "3.0")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        node[limit], node[bound] = value, True
        return [
            (
                pointer,
                f"'{bound}: {value}' is 3.1's form; read as {limit}: {value}, {bound}: true",
            )
        ]
    return []
