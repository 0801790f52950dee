"""Convert an OpenAPI 3.1.x document down to OpenAPI 3.0.3.

Every generated sandbox package is driven by one OpenAPI 3.0.3 document:
Connexion validates with JSON-Schema Draft 4 plus ``nullable``, Schemathesis
tests against the same document and datamodel-code-generator builds models
from it.  OpenAPI 3.1 uses full JSON Schema 2020-12, so its schemas are
rewritten into the 3.0 dialect (type arrays -> ``nullable``/``anyOf``,
``const`` -> ``enum``, numeric exclusive bounds, ``$defs`` hoisted into
``components/schemas``...) and 3.1-only document features are dropped or
inlined.  The converter works on plain dicts, never mutates its input, keeps
the input's key order and reports anything lossy as :class:`Note` objects
pointing into the original document.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .conversion_notes import (
    Note,
    NoteSink,
    join_pointer,
    ref_fragment,
    split_pointer,
)

__all__ = ["to_openapi30"]

OPENAPI_VERSION = "3.0.3"
HTTP_METHODS = frozenset(
    {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
)

#: Schema keywords OpenAPI 3.0 accepts as they are (beside those handled below).
KEPT_SCHEMA_KEYWORDS = frozenset(
    {
        "title", "multipleOf", "maxLength", "minLength", "pattern", "maxItems",
        "minItems", "uniqueItems", "maxProperties", "minProperties", "description",
        "format", "default", "nullable", "readOnly", "writeOnly", "example", "required",
        "externalDocs", "deprecated", "xml",
    }
)  # fmt: skip
#: JSON Schema 2020-12 keywords without an OpenAPI 3.0 counterpart.
DROPPED_SCHEMA_KEYWORDS = frozenset(
    {
        "$schema", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary",
        "$comment", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
        "dependentSchemas", "dependencies", "if", "then", "else", "contains",
        "minContains", "maxContains", "propertyNames",
    }
)  # fmt: skip
#: ``contentMediaType`` values that describe text, so the string stays a string.
TEXTUAL_MEDIA_TYPES = re.compile(
    r"^(text/.*|application/(json|xml)|.*\+(json|xml))$", re.I
)
#: Private key holding type-array branches until the schema is finished.
_TYPE_BRANCHES = "\x00type-branches"


@dataclass
class _Context:
    """Conversion state shared by all helpers."""

    source: dict[str, Any]
    notes: NoteSink = field(default_factory=NoteSink)
    #: Names already used in components/schemas (membership tests only).
    schema_names: set[str] = field(default_factory=set)
    #: Schemas hoisted out of ``$defs``: new component name -> converted schema.
    hoisted: dict[str, Any] = field(default_factory=dict)
    #: Canonical ``#/...`` fragment of a ``$defs`` entry -> its new ``$ref``.
    defs_map: dict[str, str] = field(default_factory=dict)
    #: ``$defs`` entry name -> the new refs of every entry with that name.
    defs_by_name: dict[str, list[str]] = field(default_factory=dict)
    #: (container, key, original pointer) of every ``$ref`` string written.
    ref_sites: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    #: Path items being inlined right now (guards reference cycles).
    inlining: tuple[str, ...] = ()
    #: Security schemes that were dropped (their requirements go too).
    dropped_schemes: list[str] = field(default_factory=list)

    def note(self, pointer: str, message: str) -> None:
        """Record a note about ``pointer`` in the original document."""
        self.notes.add(pointer, message)

    def ref(self, ref: Any, pointer: str) -> dict[str, Any]:
        """A fresh Reference Object whose ``$ref`` is rewritten at the end."""
        node = {"$ref": ref}
        if isinstance(ref, str):
            self.ref_sites.append((node, "$ref", pointer))
        return node


_Converter = Callable[[Any, str, _Context], Any]


# --------------------------------------------------------------------------- API


def to_openapi30(document: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """Convert the OpenAPI 3.1 ``document`` to OpenAPI 3.0.3; return it and notes."""
    ctx = _Context(source=document)
    schemas = _mapping(_mapping(document.get("components")).get("schemas"))
    ctx.schema_names = {str(name) for name in schemas}
    out: dict[str, Any] = {}
    for key, value in document.items():
        pointer = join_pointer("", key)
        handler = _TOP_LEVEL_HANDLERS.get(key)
        if handler is not None:
            result = handler(value, pointer, ctx)
            if result is not None:
                out[key] = result
        elif key in ("servers", "tags", "externalDocs") or key.startswith("x-"):
            out[key] = copy.deepcopy(value)
        else:
            ctx.note(pointer, f"unknown top-level field {key!r} dropped")
    out = _with_paths(out)
    _add_hoisted_schemas(out, ctx)
    _rewrite_refs(out, ctx)
    _drop_security_requirements(out, ctx)
    return out, list(ctx.notes)


# --------------------------------------------------------------- top level


def _version(_value: Any, _pointer: str, _ctx: _Context) -> str:
    return OPENAPI_VERSION


def _dropped_with_note(message: str) -> _Converter:
    """A top-level handler that drops its field and records ``message``."""

    def handler(_value: Any, pointer: str, ctx: _Context) -> None:
        ctx.note(pointer, message)

    return handler


def _webhooks(value: Any, pointer: str, ctx: _Context) -> None:
    names = list(_mapping(value)) or [None]
    for name in names:
        target = pointer if name is None else join_pointer(pointer, name)
        ctx.note(target, "webhooks are not supported by OpenAPI 3.0; webhook removed")


def _info(info: Any, pointer: str, ctx: _Context) -> Any:
    if not isinstance(info, dict):
        return copy.deepcopy(info)
    out: dict[str, Any] = {}
    for key, value in info.items():
        if key == "summary":
            ctx.note(
                join_pointer(pointer, key),
                "info.summary is not part of OpenAPI 3.0; dropped",
            )
        elif key == "license" and isinstance(value, dict):
            out[key] = _license(value, join_pointer(pointer, key), ctx)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _license(license_: dict[str, Any], pointer: str, ctx: _Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" not in license_ and "identifier" in license_:
        out["name"] = str(license_["identifier"])
    for key, value in license_.items():
        if key == "identifier":
            ctx.note(
                join_pointer(pointer, key),
                "license.identifier is not part of OpenAPI 3.0; dropped",
            )
        else:
            out[key] = copy.deepcopy(value)
    return out


def _with_paths(out: dict[str, Any]) -> dict[str, Any]:
    """Add an empty ``paths`` (required in 3.0) after ``info`` when missing."""
    if "paths" in out:
        return out
    result: dict[str, Any] = {}
    for key, value in out.items():
        result[key] = value
        if key == "info":
            result["paths"] = {}
    result.setdefault("paths", {})
    return result


def _security(requirements: Any, _pointer: str, _ctx: _Context) -> Any:
    return copy.deepcopy(requirements)


# -------------------------------------------------------------- components


def _components(components: Any, pointer: str, ctx: _Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, entries in _mapping(components).items():
        section_pointer = join_pointer(pointer, section)
        if section == "pathItems":
            ctx.note(
                section_pointer,
                "components/pathItems is not part of OpenAPI 3.0; referenced path items are inlined",
            )
        elif section.startswith("x-"):
            out[section] = copy.deepcopy(entries)
        elif section not in _COMPONENT_CONVERTERS:
            ctx.note(section_pointer, f"unknown components section {section!r} dropped")
        else:
            converter = _COMPONENT_CONVERTERS[section]
            converted = {
                name: converter(entry, join_pointer(section_pointer, name), ctx)
                for name, entry in _mapping(entries).items()
            }
            out[section] = {
                name: entry for name, entry in converted.items() if entry is not None
            }
    return out


def _security_scheme(scheme: Any, pointer: str, ctx: _Context) -> Any:
    if isinstance(scheme, dict) and scheme.get("type") == "mutualTLS":
        ctx.note(
            pointer,
            "mutualTLS security schemes are not part of OpenAPI 3.0; scheme and its requirements dropped",
        )
        ctx.dropped_schemes.append(split_pointer(pointer)[-1])
        return None
    return _object(scheme, pointer, ctx, {})


def _drop_security_requirements(out: dict[str, Any], ctx: _Context) -> None:
    """Remove dropped security schemes from every security requirement."""
    if not ctx.dropped_schemes:
        return
    holders = [out, *_operations(out)]
    for holder in holders:
        if isinstance(holder.get("security"), list):
            holder["security"] = [
                {k: v for k, v in req.items() if k not in ctx.dropped_schemes}
                for req in holder["security"]
                if isinstance(req, dict)
                and any(k not in ctx.dropped_schemes for k in req)
            ]


def _operations(out: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for item in _mapping(out.get("paths")).values()
        if isinstance(item, dict)
        for method, operation in item.items()
        if method in HTTP_METHODS and isinstance(operation, dict)
    ]


# -------------------------------------------------------------------- paths


def _paths(paths: Any, pointer: str, ctx: _Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, item in _mapping(paths).items():
        if str(path).startswith("x-"):
            out[path] = copy.deepcopy(item)
        else:
            out[path] = _path_item(item, join_pointer(pointer, path), ctx)
    return out


def _path_item(item: Any, pointer: str, ctx: _Context) -> Any:
    """Convert a Path Item, inlining a referenced one (3.0 cannot reference them)."""
    if not isinstance(item, dict):
        return copy.deepcopy(item)
    if "$ref" in item:
        return _inline_path_item(item, pointer, ctx)
    out: dict[str, Any] = {}
    for key, value in item.items():
        sub_pointer = join_pointer(pointer, key)
        if key in HTTP_METHODS:
            out[key] = _operation(value, sub_pointer, ctx)
        elif key == "parameters":
            out[key] = _list_of(_parameter)(value, sub_pointer, ctx)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _inline_path_item(item: dict[str, Any], pointer: str, ctx: _Context) -> Any:
    ref = item["$ref"]
    target = _resolve_local(ctx.source, ref)
    if not isinstance(target, dict) or ref in ctx.inlining:
        ctx.note(
            join_pointer(pointer, "$ref"),
            f"path item $ref {ref!r} cannot be inlined; left as is",
        )
        return copy.deepcopy(item)
    merged = {**target, **{k: v for k, v in item.items() if k != "$ref"}}
    outer, ctx.inlining = ctx.inlining, (*ctx.inlining, ref)
    try:
        return _path_item(merged, join_pointer("", *split_pointer(ref)), ctx)
    finally:
        ctx.inlining = outer


def _operation(operation: Any, pointer: str, ctx: _Context) -> Any:
    return _object(
        operation,
        pointer,
        ctx,
        {
            "parameters": _list_of(_parameter),
            "requestBody": _request_body,
            "responses": _responses,
            "callbacks": _map_of(_callback),
        },
    )


def _responses(responses: Any, pointer: str, ctx: _Context) -> Any:
    if not isinstance(responses, dict):
        return copy.deepcopy(responses)
    return {
        str(code): (
            copy.deepcopy(response)
            if str(code).startswith("x-")
            else _response(response, join_pointer(pointer, code), ctx)
        )
        for code, response in responses.items()
    }


def _callback(callback: Any, pointer: str, ctx: _Context) -> Any:
    if isinstance(callback, dict) and "$ref" in callback:
        return _reference(callback, pointer, ctx)
    return {
        expression: (
            copy.deepcopy(item)
            if str(expression).startswith("x-")
            else _path_item(item, join_pointer(pointer, expression), ctx)
        )
        for expression, item in _mapping(callback).items()
    }


# ---------------------------------------------------------- non-schema objects


def _object(
    node: Any, pointer: str, ctx: _Context, fields: dict[str, _Converter]
) -> Any:
    """Convert a (possibly referenced) object whose ``fields`` need converting."""
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    if "$ref" in node:
        return _reference(node, pointer, ctx)
    out: dict[str, Any] = {}
    for key, value in node.items():
        converter = fields.get(key)
        out[key] = (
            copy.deepcopy(value)
            if converter is None
            else converter(value, join_pointer(pointer, key), ctx)
        )
    return out


def _reference(node: dict[str, Any], pointer: str, ctx: _Context) -> dict[str, Any]:
    """A 3.0 Reference Object: 3.1's ``summary``/``description`` overrides go."""
    for key in node:
        if key != "$ref":
            ctx.note(
                join_pointer(pointer, key),
                f"{key!r} beside $ref is ignored in OpenAPI 3.0; dropped",
            )
    return ctx.ref(node["$ref"], join_pointer(pointer, "$ref"))


def _list_of(converter: _Converter) -> _Converter:
    def convert(items: Any, pointer: str, ctx: _Context) -> Any:
        if not isinstance(items, list):
            return copy.deepcopy(items)
        return [
            converter(item, join_pointer(pointer, i), ctx)
            for i, item in enumerate(items)
        ]

    return convert


def _map_of(converter: _Converter) -> _Converter:
    def convert(entries: Any, pointer: str, ctx: _Context) -> Any:
        if not isinstance(entries, dict):
            return copy.deepcopy(entries)
        return {
            name: (
                copy.deepcopy(entry)
                if str(name).startswith("x-")
                else converter(entry, join_pointer(pointer, name), ctx)
            )
            for name, entry in entries.items()
        }

    return convert


def _parameter(node: Any, pointer: str, ctx: _Context) -> Any:
    return _object(
        node, pointer, ctx, {"schema": _schema, "content": _map_of(_media_type)}
    )


_header = _parameter


def _media_type(node: Any, pointer: str, ctx: _Context) -> Any:
    return _object(
        node, pointer, ctx, {"schema": _schema, "encoding": _map_of(_encoding)}
    )


def _encoding(node: Any, pointer: str, ctx: _Context) -> Any:
    return _object(node, pointer, ctx, {"headers": _map_of(_header)})


def _request_body(node: Any, pointer: str, ctx: _Context) -> Any:
    return _object(node, pointer, ctx, {"content": _map_of(_media_type)})


def _response(node: Any, pointer: str, ctx: _Context) -> Any:
    return _object(
        node,
        pointer,
        ctx,
        {"headers": _map_of(_header), "content": _map_of(_media_type)},
    )


def _copy(node: Any, pointer: str, ctx: _Context) -> Any:
    return _object(node, pointer, ctx, {})


# ------------------------------------------------------------------ schemas


def _schema(node: Any, pointer: str, ctx: _Context) -> Any:
    """Convert a JSON Schema 2020-12 Schema Object into the OpenAPI 3.0 dialect."""
    if node is True:
        return {}
    if node is False:
        return {"not": {}}
    if not isinstance(node, dict):
        ctx.note(
            pointer, "schema is not an object; replaced by an unconstrained schema"
        )
        return {}
    out: dict[str, Any] = {}
    for key, value in node.items():
        key_pointer = join_pointer(pointer, key)
        handler = _SCHEMA_HANDLERS.get(key)
        if handler is not None:
            handler(out, value, node, key_pointer, ctx)
        elif key in KEPT_SCHEMA_KEYWORDS or key.startswith("x-"):
            out[key] = copy.deepcopy(value)
        elif key in DROPPED_SCHEMA_KEYWORDS:
            ctx.note(key_pointer, f"{key} has no OpenAPI 3.0 equivalent; dropped")
        else:
            ctx.note(key_pointer, f"unknown schema keyword {key!r} dropped")
    return _finish_schema(out, pointer, ctx)


def _finish_schema(out: dict[str, Any], pointer: str, ctx: _Context) -> dict[str, Any]:
    """Fold type-array branches, null enums and ``$ref`` siblings into 3.0 form."""
    branches = out.pop(_TYPE_BRANCHES, None)
    if branches is not None:
        if "anyOf" in out:
            out.setdefault("allOf", []).append({"anyOf": branches})
        else:
            out["anyOf"] = branches
    if isinstance(out.get("enum"), list) and None in out["enum"]:
        out["nullable"] = True
    if out.get("required") == []:  # 3.0 needs at least one entry
        del out["required"]
    if "$ref" not in out:
        return out
    ref_pointer = join_pointer(pointer, "$ref")
    reference = ctx.ref(out.pop("$ref"), ref_pointer)
    if not out:
        return reference
    return {"allOf": [reference, *out.pop("allOf", [])], **out}


_SchemaHandler = Callable[[dict[str, Any], Any, dict[str, Any], str, _Context], None]


def _sub_schema(key: str) -> _SchemaHandler:
    """Handler converting one nested schema (booleans allowed where 3.0 allows)."""

    def handler(
        out: dict[str, Any],
        value: Any,
        _node: dict[str, Any],
        pointer: str,
        ctx: _Context,
    ) -> None:
        keep_bool = key == "additionalProperties" and isinstance(value, bool)
        out[key] = value if keep_bool else _schema(value, pointer, ctx)

    return handler


def _schema_list(key: str) -> _SchemaHandler:
    def handler(
        out: dict[str, Any],
        value: Any,
        _node: dict[str, Any],
        pointer: str,
        ctx: _Context,
    ) -> None:
        out[key] = [
            _schema(item, join_pointer(pointer, i), ctx)
            for i, item in enumerate(_list(value))
        ]

    return handler


def _properties(
    out: dict[str, Any], value: Any, _node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    out["properties"] = {
        name: _schema(item, join_pointer(pointer, name), ctx)
        for name, item in _mapping(value).items()
    }


def _additional_properties(
    out: dict[str, Any], value: Any, node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    if "patternProperties" not in node:  # else folded in by _pattern_properties
        _sub_schema("additionalProperties")(out, value, node, pointer, ctx)


def _ref_keyword(
    out: dict[str, Any],
    value: Any,
    _node: dict[str, Any],
    _pointer: str,
    _ctx: _Context,
) -> None:
    out["$ref"] = value  # wrapped and recorded in _finish_schema


def _type_keyword(
    out: dict[str, Any],
    value: Any,
    _node: dict[str, Any],
    _pointer: str,
    _ctx: _Context,
) -> None:
    types = value if isinstance(value, list) else [value]
    concrete = [t for t in types if t not in ("null", None)]
    nullable = len(concrete) < len(types)
    if not concrete:
        out["nullable"] = True
        out.setdefault("enum", [None])
    elif len(concrete) == 1:
        out["type"] = concrete[0]
        if nullable:
            out["nullable"] = True
    else:
        out[_TYPE_BRANCHES] = [
            {"type": t, **({"nullable": True} if nullable else {})} for t in concrete
        ]
        if nullable:
            out["nullable"] = True


def _const_keyword(
    out: dict[str, Any], value: Any, node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    if "enum" in node:
        ctx.note(pointer, "const and enum both given; const kept as a one-value enum")
    out["enum"] = [copy.deepcopy(value)]


def _enum_keyword(
    out: dict[str, Any], value: Any, node: dict[str, Any], _pointer: str, _ctx: _Context
) -> None:
    if "const" not in node:
        out["enum"] = copy.deepcopy(value)


def _examples_keyword(
    out: dict[str, Any], value: Any, node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    if not isinstance(value, list):
        ctx.note(pointer, "schema examples is not an array; dropped")
        return
    if value and "example" not in node:
        out["example"] = copy.deepcopy(value[0])
    if len(value) > 1 or ("example" in node and value):
        ctx.note(
            pointer, "OpenAPI 3.0 schemas hold one example; the others were dropped"
        )


def _bound(
    inclusive_key: str, exclusive_key: str, stricter: Callable[[Any, Any], bool]
) -> _SchemaHandler:
    """Handler merging ``minimum``/``exclusiveMinimum`` (or the max pair) into 3.0 form.

    ``stricter(inclusive, exclusive)`` tells whether the inclusive bound wins.
    """

    def handler(
        out: dict[str, Any],
        _value: Any,
        node: dict[str, Any],
        _pointer: str,
        _ctx: _Context,
    ) -> None:
        if inclusive_key in out or exclusive_key in out:
            return  # the pair was handled at its first keyword
        inclusive, exclusive = node.get(inclusive_key), node.get(exclusive_key)
        if not _is_number(exclusive):  # absent, or already a 3.0 boolean flag
            if inclusive is not None:
                out[inclusive_key] = inclusive
                if exclusive is True:
                    out[exclusive_key] = True
        elif _is_number(inclusive) and stricter(inclusive, exclusive):
            out[inclusive_key] = inclusive
        else:
            out[inclusive_key] = exclusive
            out[exclusive_key] = True

    return handler


def _prefix_items(
    out: dict[str, Any], value: Any, node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    branches = [
        _schema(item, join_pointer(pointer, i), ctx)
        for i, item in enumerate(_list(value))
    ]
    rest = node.get("items")
    if isinstance(rest, dict):
        branches.append(
            _schema(rest, join_pointer(pointer.rsplit("/", 1)[0], "items"), ctx)
        )
    elif rest is False and "maxItems" not in node:
        out["maxItems"] = len(branches)
    if branches:
        out["items"] = branches[0] if len(branches) == 1 else {"anyOf": branches}
    ctx.note(
        pointer,
        "prefixItems (tuple validation) approximated by items: anyOf the prefix schemas",
    )


def _items(
    out: dict[str, Any], value: Any, node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    if "prefixItems" in node:
        return  # folded in by _prefix_items
    if value is False:
        out["maxItems"] = 0
    elif isinstance(value, list):
        ctx.note(
            pointer, "array-form items approximated by items: anyOf the item schemas"
        )
        out["items"] = {
            "anyOf": [
                _schema(item, join_pointer(pointer, i), ctx)
                for i, item in enumerate(value)
            ]
        }
    else:
        out["items"] = _schema(value, pointer, ctx)


def _pattern_properties(
    out: dict[str, Any], value: Any, node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    branches = [
        _schema(item, join_pointer(pointer, pattern), ctx)
        for pattern, item in _mapping(value).items()
    ]
    rest = node.get("additionalProperties")
    if rest is True:
        out["additionalProperties"] = True
    else:
        if isinstance(rest, dict):
            parent = pointer.rsplit("/", 1)[0]
            branches.append(
                _schema(rest, join_pointer(parent, "additionalProperties"), ctx)
            )
        if branches:
            out["additionalProperties"] = (
                branches[0] if len(branches) == 1 else {"anyOf": branches}
            )
    ctx.note(
        pointer,
        "patternProperties is not part of OpenAPI 3.0; approximated by additionalProperties",
    )


def _content_encoding(
    out: dict[str, Any], value: Any, node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    if str(value).lower() in ("base64", "base64url"):
        if "format" not in node:
            out["format"] = "byte"
    else:
        ctx.note(
            pointer, f"contentEncoding {value!r} has no OpenAPI 3.0 format; dropped"
        )


def _content_media_type(
    out: dict[str, Any], value: Any, node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    if "contentEncoding" in node or "format" in node:
        return
    if TEXTUAL_MEDIA_TYPES.match(str(value)):
        ctx.note(
            pointer,
            f"contentMediaType {value!r} dropped; the value stays a plain string",
        )
    else:
        out["format"] = "binary"


def _defs(
    out: dict[str, Any], value: Any, _node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    """Hoist ``$defs`` entries into ``components/schemas`` under unique names."""
    for name, schema in _mapping(value).items():
        def_pointer = join_pointer(pointer, name)
        key = "#" + def_pointer
        if key in ctx.defs_map:  # the same schema seen again (inlined path item)
            continue
        new_name = _unique_schema_name(str(name), ctx)
        new_ref = ref_fragment("components", "schemas", new_name)
        ctx.defs_map[key] = new_ref
        ctx.defs_by_name.setdefault(str(name), []).append(new_ref)
        ctx.hoisted[new_name] = None  # reserve the slot before nested $defs
        ctx.hoisted[new_name] = _schema(schema, def_pointer, ctx)
        ctx.note(def_pointer, f"$defs entry moved to components/schemas/{new_name}")


def _discriminator(
    out: dict[str, Any], value: Any, _node: dict[str, Any], pointer: str, ctx: _Context
) -> None:
    out["discriminator"] = copy.deepcopy(value)
    mapping = value.get("mapping") if isinstance(value, dict) else None
    if isinstance(mapping, dict):
        new_mapping = out["discriminator"]["mapping"]
        for key, target in mapping.items():
            if isinstance(target, str) and "#" in target:
                ctx.ref_sites.append(
                    (new_mapping, key, join_pointer(pointer, "mapping", key))
                )


_SCHEMA_HANDLERS: dict[str, _SchemaHandler] = {
    "type": _type_keyword,
    "const": _const_keyword,
    "enum": _enum_keyword,
    "examples": _examples_keyword,
    "minimum": _bound("minimum", "exclusiveMinimum", lambda inc, exc: inc > exc),
    "exclusiveMinimum": _bound(
        "minimum", "exclusiveMinimum", lambda inc, exc: inc > exc
    ),
    "maximum": _bound("maximum", "exclusiveMaximum", lambda inc, exc: inc < exc),
    "exclusiveMaximum": _bound(
        "maximum", "exclusiveMaximum", lambda inc, exc: inc < exc
    ),
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "patternProperties": _pattern_properties,
    "items": _items,
    "prefixItems": _prefix_items,
    "not": _sub_schema("not"),
    "allOf": _schema_list("allOf"),
    "anyOf": _schema_list("anyOf"),
    "oneOf": _schema_list("oneOf"),
    "contentEncoding": _content_encoding,
    "contentMediaType": _content_media_type,
    "$defs": _defs,
    "definitions": _defs,
    "$ref": _ref_keyword,
    "discriminator": _discriminator,
}

_COMPONENT_CONVERTERS: dict[str, _Converter] = {
    "schemas": _schema,
    "responses": _response,
    "parameters": _parameter,
    "requestBodies": _request_body,
    "headers": _header,
    "callbacks": _callback,
    "securitySchemes": _security_scheme,
    "examples": _copy,
    "links": _copy,
}

_TOP_LEVEL_HANDLERS: dict[str, _Converter] = {
    "openapi": _version,
    "info": _info,
    "jsonSchemaDialect": _dropped_with_note(
        "jsonSchemaDialect is not part of OpenAPI 3.0; dropped"
    ),
    "webhooks": _webhooks,
    "paths": _paths,
    "components": _components,
    "security": _security,
}


# --------------------------------------------------------------------- refs


def _unique_schema_name(name: str, ctx: _Context) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "_"
    candidate, counter = base, 1
    while candidate in ctx.schema_names or candidate in ctx.hoisted:
        counter += 1
        candidate = f"{base}_{counter}"
    ctx.schema_names.add(candidate)
    return candidate


def _add_hoisted_schemas(out: dict[str, Any], ctx: _Context) -> None:
    if ctx.hoisted:
        components = out.setdefault("components", {})
        components.setdefault("schemas", {}).update(ctx.hoisted)


def _rewrite_refs(out: dict[str, Any], ctx: _Context) -> None:
    """Point refs at hoisted ``$defs`` and note those that no longer resolve."""
    for container, key, pointer in ctx.ref_sites:
        ref = container[key]
        new_ref = _hoisted_ref(ref, ctx)
        if new_ref is not None:
            container[key] = ref = new_ref
        if not ref.startswith("#"):
            ctx.note(pointer, f"$ref {ref!r} is not a local reference; left as is")
        elif _resolve_local(out, ref) is None:
            ctx.note(
                pointer, f"$ref {ref!r} does not resolve in the converted document"
            )


def _hoisted_ref(ref: str, ctx: _Context) -> str | None:
    """The rewritten ref when ``ref`` points into a hoisted ``$defs`` entry."""
    if not ref.startswith("#/") or not ctx.defs_map:
        return None
    tokens = split_pointer(ref)
    for length in range(len(tokens), 0, -1):
        prefix = "#" + join_pointer("", *tokens[:length])
        if prefix in ctx.defs_map:
            return ctx.defs_map[prefix] + ref_fragment(*tokens[length:])[1:]
    if len(tokens) >= 2 and tokens[0] in ("$defs", "definitions"):
        candidates = ctx.defs_by_name.get(tokens[1], [])
        if len(candidates) == 1:  # a root-relative ref to an unambiguous $defs name
            return candidates[0] + ref_fragment(*tokens[2:])[1:]
    return None


def _resolve_local(document: Any, ref: Any) -> Any:
    """The node a local ``#/...`` ref points at, or None."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    node = document
    for token in split_pointer(ref):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


# ------------------------------------------------------------------ helpers


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
