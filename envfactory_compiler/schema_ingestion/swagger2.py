"""Convert a Swagger 2.0 document into OpenAPI 3.0.3.

Every generated sandbox package is driven by one OpenAPI 3.0.3 document:
Connexion routes and validates with it, Schemathesis tests against it and
datamodel-code-generator builds models from it.  Swagger 2.0 input is therefore
converted up front, following what swagger2openapi does.  The converter works on
plain dicts, never mutates its input, keeps the input's key order, and reports
anything lossy or repaired as :class:`Note` objects pointing into the original
document.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
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
DEFAULT_MEDIA_TYPE = "application/json"
FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch"})

#: Swagger 2.0 section -> OpenAPI 3.0 ``components`` section.
COMPONENT_SECTIONS = {
    "definitions": "schemas",
    "parameters": "parameters",
    "responses": "responses",
    "securityDefinitions": "securitySchemes",
}
#: Keywords of a non-body parameter / header / items object that move to ``schema``.
PARAM_SCHEMA_KEYS = frozenset(
    {
        "type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum",
        "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
        "maxItems", "minItems", "uniqueItems", "multipleOf", "x-nullable",
    }
)  # fmt: skip
#: (collectionFormat, in) -> serialisation fields of the 3.0 parameter/encoding.
COLLECTION_STYLES: dict[tuple[str, str], dict[str, Any]] = {
    ("csv", "query"): {"style": "form", "explode": False},
    ("csv", "formData"): {"style": "form", "explode": False},
    ("csv", "path"): {"style": "simple", "explode": False},
    ("csv", "header"): {"style": "simple", "explode": False},
    ("multi", "query"): {"style": "form", "explode": True},
    ("multi", "formData"): {"style": "form", "explode": True},
    ("ssv", "query"): {"style": "spaceDelimited", "explode": False},
    ("ssv", "formData"): {"style": "spaceDelimited", "explode": False},
    ("pipes", "query"): {"style": "pipeDelimited", "explode": False},
    ("pipes", "formData"): {"style": "pipeDelimited", "explode": False},
}
#: 2.0 oauth2 ``flow`` -> (3.0 flow name, URL fields it carries).
OAUTH2_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}
_COMPONENT_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_TOP_LEVEL_COPIED = frozenset({"info", "tags", "externalDocs"})


@dataclass
class _Context:
    """Conversion state shared by all helpers."""

    source: dict[str, Any]
    notes: NoteSink = field(default_factory=NoteSink)
    #: 2.0 section -> original component name -> 3.0 component name.
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    consumes: list[str] = field(default_factory=list)
    produces: list[str] = field(default_factory=list)
    consumes_explicit: bool = False

    def note(self, pointer: str, message: str) -> None:
        """Record a note about ``pointer`` in the original document."""
        self.notes.add(pointer, message)

    def global_param(self, name: str) -> dict[str, Any] | None:
        """The global parameter called ``name``, if any."""
        params = self.source.get("parameters")
        found = params.get(name) if isinstance(params, dict) else None
        return found if isinstance(found, dict) else None

    def is_body_param(self, name: str) -> bool:
        """Whether global parameter ``name`` turns into a request body."""
        param = self.global_param(name)
        return param is not None and param.get("in") in ("body", "formData")


@dataclass(frozen=True)
class _Param:
    """A resolved 2.0 parameter plus where it came from."""

    param: dict[str, Any]
    pointer: str
    ref_name: str | None = None

    @property
    def key(self) -> tuple[Any, Any]:
        return self.param.get("name"), self.param.get("in")


# --------------------------------------------------------------------------- API


def to_openapi30(document: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """Convert the Swagger 2.0 ``document`` to OpenAPI 3.0.3; return it and notes."""
    ctx = _Context(source=document)
    ctx.consumes_explicit = bool(document.get("consumes"))
    ctx.consumes = _media_types(document.get("consumes"))
    ctx.produces = _media_types(document.get("produces"))
    ctx.names = _component_names(document, ctx)

    out: dict[str, Any] = {}
    for key, value in document.items():
        pointer = join_pointer("", key)
        handler = _TOP_LEVEL_HANDLERS.get(key)
        if handler is not None:
            handler(out, value, ctx)
        elif key in _TOP_LEVEL_COPIED or key.startswith("x-"):
            out[key] = copy.deepcopy(value)
        elif key not in ("consumes", "produces"):
            ctx.note(pointer, f"unknown top-level field {key!r} dropped")
    out = _with_required_top_level(out)
    return out, list(ctx.notes)


# --------------------------------------------------------------- top level


def _set_version(out: dict[str, Any], _value: Any, _ctx: _Context) -> None:
    out["openapi"] = OPENAPI_VERSION


def _set_servers(out: dict[str, Any], _value: Any, ctx: _Context) -> None:
    if "servers" not in out:
        out["servers"] = _servers(ctx.source.get("schemes"), ctx)


def _set_paths(out: dict[str, Any], value: Any, ctx: _Context) -> None:
    out["paths"] = _paths(value, ctx)


def _set_security(out: dict[str, Any], value: Any, ctx: _Context) -> None:
    out["security"] = _security_requirements(value, ctx)


def _component_setter(section: str) -> Callable[[dict[str, Any], Any, _Context], None]:
    """A top-level handler that converts one 2.0 section into ``components``."""

    def handler(out: dict[str, Any], value: Any, ctx: _Context) -> None:
        components = out.setdefault("components", {})
        for target, entries in _COMPONENT_CONVERTERS[section](value, ctx):
            if entries:
                components[target] = entries

    return handler


_TOP_LEVEL_HANDLERS: dict[str, Callable[[dict[str, Any], Any, _Context], None]] = {
    "swagger": _set_version,
    "host": _set_servers,
    "basePath": _set_servers,
    "schemes": _set_servers,
    "paths": _set_paths,
    "security": _set_security,
    **{section: _component_setter(section) for section in COMPONENT_SECTIONS},
}


def _with_required_top_level(out: dict[str, Any]) -> dict[str, Any]:
    """Add ``openapi``, ``servers`` and ``paths`` where the input lacked them."""
    if "openapi" not in out:
        out = {"openapi": OPENAPI_VERSION, **out}
    if "servers" not in out:
        out = _insert_after(out, "info", "servers", [{"url": "/"}])
    if "paths" not in out:
        out = _insert_after(out, "servers", "paths", {})
    return out


def _insert_after(
    mapping: dict[str, Any], anchor: str, key: str, value: Any
) -> dict[str, Any]:
    """Copy of ``mapping`` with ``key`` inserted after ``anchor`` (or at the end)."""
    if anchor not in mapping:
        return {**mapping, key: value}
    result: dict[str, Any] = {}
    for existing, existing_value in mapping.items():
        result[existing] = existing_value
        if existing == anchor:
            result[key] = value
    return result


def _servers(schemes: Any, ctx: _Context) -> list[dict[str, Any]]:
    """Server objects for ``host`` + ``basePath`` and the given ``schemes``."""
    host = ctx.source.get("host")
    base_path = ctx.source.get("basePath") or ""
    if base_path and not base_path.startswith("/"):
        ctx.note("/basePath", "basePath must start with '/'; prefixed one")
        base_path = "/" + base_path
    if not host:
        return [{"url": base_path or "/"}]
    base_path = base_path.rstrip("/")
    if not schemes:
        return [{"url": f"//{host}{base_path}"}]
    return [{"url": f"{scheme}://{host}{base_path}"} for scheme in schemes]


def _security_requirements(requirements: Any, ctx: _Context) -> Any:
    """Security requirements with scheme names renamed like the schemes."""
    if not isinstance(requirements, list):
        return copy.deepcopy(requirements)
    renames = ctx.names.get("securityDefinitions", {})
    return [
        (
            {
                renames.get(name, name): copy.deepcopy(scopes)
                for name, scopes in req.items()
            }
            if isinstance(req, dict)
            else copy.deepcopy(req)
        )
        for req in requirements
    ]


# -------------------------------------------------------------- components


def _component_names(
    document: dict[str, Any], ctx: _Context
) -> dict[str, dict[str, str]]:
    """Map each component name to a valid, unique OpenAPI 3.0 component name."""
    result: dict[str, dict[str, str]] = {}
    for section in COMPONENT_SECTIONS:
        entries = document.get(section)
        names = list(entries) if isinstance(entries, dict) else []
        taken = {name for name in names if _COMPONENT_NAME.match(str(name))}
        mapping: dict[str, str] = {}
        for name in names:
            new_name = str(name)
            if not _COMPONENT_NAME.match(new_name):
                new_name = _unique(
                    re.sub(r"[^A-Za-z0-9._-]", "_", new_name) or "_", taken
                )
                taken.add(new_name)
                ctx.note(
                    join_pointer("", section, name),
                    f"component name {name!r} is not valid in OpenAPI 3.0; renamed to {new_name!r}",
                )
            mapping[name] = new_name
        result[section] = mapping
    return result


def _unique(name: str, taken: set[str]) -> str:
    """``name`` or ``name_2``, ``name_3``... whichever is not yet taken."""
    candidate, counter = name, 1
    while candidate in taken:
        counter += 1
        candidate = f"{name}_{counter}"
    return candidate


def _definitions(value: Any, ctx: _Context) -> Iterable[tuple[str, dict[str, Any]]]:
    names = ctx.names["definitions"]
    yield "schemas", {
        names[name]: _schema(schema, join_pointer("", "definitions", name), ctx)
        for name, schema in _mapping(value).items()
    }


def _global_parameters(
    value: Any, ctx: _Context
) -> Iterable[tuple[str, dict[str, Any]]]:
    names = ctx.names["parameters"]
    parameters: dict[str, Any] = {}
    bodies: dict[str, Any] = {}
    for name, param in _mapping(value).items():
        pointer = join_pointer("", "parameters", name)
        location = param.get("in") if isinstance(param, dict) else None
        if location == "body":
            bodies[names[name]] = _body_request(param, pointer, ctx.consumes, ctx)
        elif location == "formData":
            single = [_Param(param, pointer, name)]
            bodies[names[name]] = _form_request(
                single, ctx.consumes, ctx.consumes_explicit, ctx
            )
        else:
            parameters[names[name]] = _parameter(param, pointer, ctx)
    yield "parameters", parameters
    yield "requestBodies", bodies


def _global_responses(
    value: Any, ctx: _Context
) -> Iterable[tuple[str, dict[str, Any]]]:
    names = ctx.names["responses"]
    yield "responses", {
        names[name]: _response(
            response, join_pointer("", "responses", name), ctx.produces, ctx
        )
        for name, response in _mapping(value).items()
    }


def _security_definitions(
    value: Any, ctx: _Context
) -> Iterable[tuple[str, dict[str, Any]]]:
    names = ctx.names["securityDefinitions"]
    yield "securitySchemes", {
        names[name]: _security_scheme(
            scheme, join_pointer("", "securityDefinitions", name), ctx
        )
        for name, scheme in _mapping(value).items()
    }


_COMPONENT_CONVERTERS: dict[
    str, Callable[[Any, _Context], Iterable[tuple[str, dict[str, Any]]]]
] = {
    "definitions": _definitions,
    "parameters": _global_parameters,
    "responses": _global_responses,
    "securityDefinitions": _security_definitions,
}


# -------------------------------------------------------- security schemes


def _basic_scheme(
    _scheme: dict[str, Any], _pointer: str, _ctx: _Context
) -> dict[str, Any]:
    return {"type": "http", "scheme": "basic"}


def _api_key_scheme(
    scheme: dict[str, Any], _pointer: str, _ctx: _Context
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "apiKey"}
    for key in ("name", "in"):
        if key in scheme:
            out[key] = scheme[key]
    return out


def _oauth2_scheme(
    scheme: dict[str, Any], pointer: str, ctx: _Context
) -> dict[str, Any]:
    flow = scheme.get("flow")
    if flow not in OAUTH2_FLOWS:
        ctx.note(
            join_pointer(pointer, "flow"),
            f"unknown oauth2 flow {flow!r}; assumed implicit",
        )
        flow = "implicit"
    flow_name, url_fields = OAUTH2_FLOWS[flow]
    flow_object: dict[str, Any] = {}
    for url_field in url_fields:
        if url_field in scheme:
            flow_object[url_field] = scheme[url_field]
        else:
            ctx.note(pointer, f"oauth2 {flow} flow lacks {url_field}")
    flow_object["scopes"] = copy.deepcopy(scheme.get("scopes") or {})
    return {"type": "oauth2", "flows": {flow_name: flow_object}}


_SECURITY_SCHEME_CONVERTERS = {
    "basic": _basic_scheme,
    "apiKey": _api_key_scheme,
    "oauth2": _oauth2_scheme,
}


def _security_scheme(scheme: Any, pointer: str, ctx: _Context) -> Any:
    """Convert one 2.0 security definition to a 3.0 security scheme."""
    if not isinstance(scheme, dict):
        return copy.deepcopy(scheme)
    converter = _SECURITY_SCHEME_CONVERTERS.get(scheme.get("type"))
    if converter is None:
        ctx.note(
            pointer,
            f"unknown security scheme type {scheme.get('type')!r}; copied as is",
        )
        return copy.deepcopy(scheme)
    out = converter(scheme, pointer, ctx)
    for key, value in scheme.items():
        if key == "description" or key.startswith("x-"):
            out[key] = copy.deepcopy(value)
    return out


# -------------------------------------------------------------------- paths


def _paths(paths: Any, ctx: _Context) -> dict[str, Any]:
    """Convert the Paths Object."""
    out: dict[str, Any] = {}
    for path, item in _mapping(paths).items():
        pointer = join_pointer("", "paths", path)
        if str(path).startswith("x-") or not isinstance(item, dict):
            out[path] = copy.deepcopy(item)
        else:
            out[path] = _path_item(item, pointer, ctx)
    return out


def _path_item(item: dict[str, Any], pointer: str, ctx: _Context) -> dict[str, Any]:
    """Convert a Path Item; path-level body/formData parameters move to operations."""
    shared = [
        _resolved(param, join_pointer(pointer, "parameters", index), ctx)
        for index, param in enumerate(_list(item.get("parameters")))
    ]
    inherited = [p for p in shared if p.param.get("in") in ("body", "formData")]
    out: dict[str, Any] = {}
    for key, value in item.items():
        sub_pointer = join_pointer(pointer, key)
        if key in HTTP_METHODS and isinstance(value, dict):
            out[key] = _operation(value, sub_pointer, inherited, ctx)
        elif key == "parameters":
            regular = _regular_parameters(value, sub_pointer, ctx)
            if regular or not value:
                out[key] = regular
        elif key == "$ref":
            out[key] = _rewrite_ref(value, sub_pointer, ctx)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _operation(
    operation: dict[str, Any], pointer: str, inherited: list[_Param], ctx: _Context
) -> dict[str, Any]:
    """Convert an Operation; body/formData parameters become its requestBody."""
    consumes_explicit = bool(operation.get("consumes")) or ctx.consumes_explicit
    consumes = (
        _media_types(operation.get("consumes"))
        if operation.get("consumes")
        else ctx.consumes
    )
    produces = (
        _media_types(operation.get("produces"))
        if operation.get("produces")
        else ctx.produces
    )
    own = [
        _resolved(param, join_pointer(pointer, "parameters", index), ctx)
        for index, param in enumerate(_list(operation.get("parameters")))
    ]
    payload = _payload_parameters(inherited, own)
    request_body = _request_body(payload, consumes, consumes_explicit, pointer, ctx)

    out: dict[str, Any] = {}
    for key, value in operation.items():
        sub_pointer = join_pointer(pointer, key)
        if key == "parameters":
            regular = _regular_parameters(value, sub_pointer, ctx)
            if regular or not value:
                out[key] = regular
            if request_body is not None:
                out["requestBody"] = request_body
        elif key == "responses":
            if request_body is not None and "requestBody" not in out:
                out["requestBody"] = request_body
            out[key] = _responses(value, sub_pointer, produces, ctx)
        elif key == "schemes":
            if ctx.source.get("host"):
                out["servers"] = _servers(value, ctx)
        elif key == "security":
            out[key] = _security_requirements(value, ctx)
        elif key not in ("consumes", "produces"):
            out[key] = copy.deepcopy(value)
    if request_body is not None and "requestBody" not in out:
        out["requestBody"] = request_body
    return out


def _payload_parameters(inherited: list[_Param], own: list[_Param]) -> list[_Param]:
    """The body/formData parameters in effect: the operation's override the path's.

    A path-level parameter is overridden by one with the same name and location,
    and a path-level body by any operation-level body (there can be only one).
    """
    own_payload = [p for p in own if p.param.get("in") in ("body", "formData")]
    overridden = {p.key for p in own}
    own_body = any(p.param.get("in") == "body" for p in own_payload)
    kept = [
        p
        for p in inherited
        if p.key not in overridden and not (own_body and p.param.get("in") == "body")
    ]
    return kept + own_payload


# --------------------------------------------------------------- parameters


def _resolved(param: Any, pointer: str, ctx: _Context) -> _Param:
    """Follow a ``#/parameters/...`` reference to the parameter it names."""
    ref_name = None
    seen: list[str] = []
    while isinstance(param, dict) and isinstance(param.get("$ref"), str):
        tokens = split_pointer(param["$ref"])
        if len(tokens) != 2 or tokens[0] != "parameters" or tokens[1] in seen:
            break
        target = ctx.global_param(tokens[1])
        if target is None:
            break
        seen.append(tokens[1])
        ref_name, param = tokens[1], target
    return _Param(param if isinstance(param, dict) else {}, pointer, ref_name)


def _regular_parameters(params: Any, pointer: str, ctx: _Context) -> list[Any]:
    """Convert the parameters that stay parameters (not body/formData)."""
    out = []
    for index, param in enumerate(_list(params)):
        param_pointer = join_pointer(pointer, index)
        if _resolved(param, param_pointer, ctx).param.get("in") in ("body", "formData"):
            continue
        if isinstance(param, dict) and "$ref" in param:
            out.append(
                {
                    "$ref": _rewrite_ref(
                        param["$ref"], join_pointer(param_pointer, "$ref"), ctx
                    )
                }
            )
        else:
            out.append(_parameter(param, param_pointer, ctx))
    return out


def _parameter(param: Any, pointer: str, ctx: _Context) -> Any:
    """Convert a query/path/header parameter: schema keywords move to ``schema``."""
    if not isinstance(param, dict):
        return copy.deepcopy(param)
    location = param.get("in")
    out: dict[str, Any] = {}
    for key, value in param.items():
        if key in PARAM_SCHEMA_KEYS:
            if "schema" not in out:
                out["schema"] = _param_schema(param, pointer, ctx)
        elif key == "collectionFormat":
            out.update(
                _collection_style(value, location, join_pointer(pointer, key), ctx)
            )
        elif key == "allowEmptyValue" and location != "query":
            ctx.note(
                join_pointer(pointer, key),
                "allowEmptyValue is only allowed for query parameters; dropped",
            )
        elif key == "$ref":
            out[key] = _rewrite_ref(value, join_pointer(pointer, key), ctx)
        else:
            out[key] = copy.deepcopy(value)
    if "$ref" in out:
        return out
    if param.get("type") == "array" and "collectionFormat" not in param:
        out.update(_collection_style("csv", location, pointer, ctx))
    if "schema" not in out:
        ctx.note(pointer, "parameter has no type; using an unconstrained schema")
        out["schema"] = {}
    if location == "path" and param.get("required") is not True:
        ctx.note(pointer, "path parameters must be required; set required: true")
        out["required"] = True
    return out


def _param_schema(param: dict[str, Any], pointer: str, ctx: _Context) -> dict[str, Any]:
    """The Schema Object made of a parameter's (or items') schema keywords."""
    schema: dict[str, Any] = {}
    for key, value in param.items():
        if key not in PARAM_SCHEMA_KEYS:
            continue
        if key == "items":
            schema["items"] = _items(value, join_pointer(pointer, key), ctx)
        else:
            _SCHEMA_HANDLERS.get(key, _copy_keyword)(
                schema, key, value, join_pointer(pointer, key), ctx
            )
    return schema


def _items(items: Any, pointer: str, ctx: _Context) -> Any:
    """Convert a non-body Items Object (nested ``collectionFormat`` cannot survive)."""
    if not isinstance(items, dict):
        return copy.deepcopy(items)
    if "$ref" in items:
        return _schema(items, pointer, ctx)
    fmt = items.get("collectionFormat", "csv")
    if items.get("type") == "array" and fmt != "csv":
        ctx.note(
            join_pointer(pointer, "collectionFormat"),
            f"nested collectionFormat {fmt!r} has no OpenAPI 3.0 equivalent; dropped",
        )
    schema = _param_schema(items, pointer, ctx)
    for key, value in items.items():
        if key.startswith("x-") and key != "x-nullable":
            schema[key] = copy.deepcopy(value)
    return schema


def _collection_style(
    fmt: Any, location: Any, pointer: str, ctx: _Context
) -> dict[str, Any]:
    """3.0 ``style``/``explode`` for a 2.0 ``collectionFormat``."""
    style = COLLECTION_STYLES.get((fmt, location))
    if style is None:
        ctx.note(
            pointer,
            f"collectionFormat {fmt!r} has no OpenAPI 3.0 equivalent for {location} parameters; using the default style",
        )
        return {}
    return dict(style)


# ------------------------------------------------------------ request bodies


def _request_body(
    payload: list[_Param],
    consumes: list[str],
    consumes_explicit: bool,
    pointer: str,
    ctx: _Context,
) -> dict[str, Any] | None:
    """The requestBody made of an operation's body or formData parameters."""
    bodies = [p for p in payload if p.param.get("in") == "body"]
    forms = [p for p in payload if p.param.get("in") == "formData"]
    if not bodies:
        return _form_request(forms, consumes, consumes_explicit, ctx) if forms else None
    for extra in bodies[1:]:
        ctx.note(extra.pointer, "more than one body parameter; only the first is kept")
    for form in forms:
        ctx.note(form.pointer, "formData parameter alongside a body parameter; dropped")
    body = bodies[0]
    if body.ref_name is not None and consumes == ctx.consumes:
        name = ctx.names["parameters"].get(body.ref_name, body.ref_name)
        return {"$ref": ref_fragment("components", "requestBodies", name)}
    return _body_request(body.param, body.pointer, consumes, ctx)


def _body_request(
    param: dict[str, Any], pointer: str, consumes: list[str], ctx: _Context
) -> dict[str, Any]:
    """Convert an ``in: body`` parameter into a requestBody."""
    schema = _schema(param.get("schema", {}), join_pointer(pointer, "schema"), ctx)
    examples = (
        param.get("x-examples") if isinstance(param.get("x-examples"), dict) else {}
    )
    out: dict[str, Any] = {}
    if "description" in param:
        out["description"] = param["description"]
    out["content"] = {}
    for media_type in _unique_list([*consumes, *examples]):
        out["content"][media_type] = {"schema": copy.deepcopy(schema)}
        if media_type in examples:
            out["content"][media_type]["example"] = copy.deepcopy(examples[media_type])
    if param.get("required"):
        out["required"] = True
    if "name" in param:
        out["x-body-name"] = param["name"]
    for key, value in param.items():
        if key.startswith("x-") and key != "x-examples":
            out[key] = copy.deepcopy(value)
    return out


def _form_request(
    forms: list[_Param], consumes: list[str], consumes_explicit: bool, ctx: _Context
) -> dict[str, Any]:
    """Convert ``in: formData`` parameters into a form requestBody."""
    media_types = _form_media_types(forms, consumes, consumes_explicit, ctx)
    properties: dict[str, Any] = {}
    required: list[str] = []
    encoding: dict[str, Any] = {}
    for form in forms:
        name = form.param.get("name")
        properties[name] = _form_field(form, ctx)
        if form.param.get("required"):
            required.append(name)
        if "collectionFormat" in form.param:
            style = _collection_style(
                form.param["collectionFormat"],
                "formData",
                join_pointer(form.pointer, "collectionFormat"),
                ctx,
            )
            if style:
                encoding[name] = style
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    content = {}
    for media_type in media_types:
        content[media_type] = {"schema": copy.deepcopy(schema)}
        if encoding:
            content[media_type]["encoding"] = copy.deepcopy(encoding)
    out: dict[str, Any] = {"content": content}
    if required:
        out["required"] = True
    return out


def _form_media_types(
    forms: list[_Param], consumes: list[str], consumes_explicit: bool, ctx: _Context
) -> list[str]:
    """Media types for a form body: multipart when a file is sent or declared."""
    form_types = [
        m for m in consumes if _base_media_type(m) in (FORM_URLENCODED, MULTIPART)
    ]
    multipart = [m for m in form_types if _base_media_type(m) == MULTIPART]
    files = [form for form in forms if form.param.get("type") == "file"]
    if files:
        if not multipart:
            ctx.note(
                files[0].pointer,
                "file parameter without multipart/form-data in consumes; using multipart/form-data",
            )
        return multipart or [MULTIPART]
    if form_types:
        return form_types
    if consumes_explicit:
        ctx.note(
            forms[0].pointer,
            "formData parameters but consumes has no form media type; using application/x-www-form-urlencoded",
        )
    return [FORM_URLENCODED]


def _form_field(form: _Param, ctx: _Context) -> dict[str, Any]:
    """The property schema for one formData parameter."""
    param = form.param
    schema = _param_schema(param, form.pointer, ctx)
    if "description" in param:
        schema["description"] = param["description"]
    for key, value in param.items():
        if key == "allowEmptyValue":
            ctx.note(
                join_pointer(form.pointer, key),
                "allowEmptyValue has no form-field equivalent in OpenAPI 3.0; dropped",
            )
        elif key.startswith("x-") and key != "x-nullable":
            schema[key] = copy.deepcopy(value)
    return schema


# ---------------------------------------------------------------- responses


def _responses(
    responses: Any, pointer: str, produces: list[str], ctx: _Context
) -> dict[str, Any]:
    """Convert a Responses Object; status codes become strings."""
    out: dict[str, Any] = {}
    for code, response in _mapping(responses).items():
        if str(code).startswith("x-"):
            out[code] = copy.deepcopy(response)
        else:
            out[str(code)] = _response(
                response, join_pointer(pointer, code), produces, ctx
            )
    return out


def _response(response: Any, pointer: str, produces: list[str], ctx: _Context) -> Any:
    """Convert a Response: ``schema`` -> ``content`` per produced media type."""
    if not isinstance(response, dict):
        ctx.note(pointer, "response is not an object; replaced by an empty response")
        return {"description": ""}
    if "$ref" in response:
        return {
            "$ref": _rewrite_ref(response["$ref"], join_pointer(pointer, "$ref"), ctx)
        }
    schema = None
    if "schema" in response:
        schema = _schema(response["schema"], join_pointer(pointer, "schema"), ctx)
    out: dict[str, Any] = {}
    if "description" not in response:
        ctx.note(pointer, "response has no description; set an empty one")
        out["description"] = ""
    for key, value in response.items():
        if key == "schema":
            out["content"] = {m: {"schema": copy.deepcopy(schema)} for m in produces}
        elif key == "headers":
            out[key] = {
                name: _header(header, join_pointer(pointer, key, name), ctx)
                for name, header in _mapping(value).items()
            }
        elif key != "examples":
            out[key] = copy.deepcopy(value)
    for media_type, example in _mapping(response.get("examples")).items():
        entry = out.setdefault("content", {}).setdefault(media_type, {})
        if schema is not None and "schema" not in entry:
            entry["schema"] = copy.deepcopy(schema)
        entry["example"] = copy.deepcopy(example)
    return out


def _header(header: Any, pointer: str, ctx: _Context) -> Any:
    """Convert a response Header: schema keywords move to ``schema``."""
    if not isinstance(header, dict):
        return copy.deepcopy(header)
    out: dict[str, Any] = {}
    for key, value in header.items():
        if key in PARAM_SCHEMA_KEYS:
            if "schema" not in out:
                out["schema"] = _param_schema(header, pointer, ctx)
        elif key == "collectionFormat":
            if value != "csv":
                ctx.note(
                    join_pointer(pointer, key),
                    f"headers only support csv; collectionFormat {value!r} dropped",
                )
        else:
            out[key] = copy.deepcopy(value)
    if "schema" not in out:
        out["schema"] = {}
    return out


# ------------------------------------------------------------------ schemas


def _schema(schema: Any, pointer: str, ctx: _Context) -> Any:
    """Convert a Schema Object (recursively): refs, x-nullable, discriminator, file."""
    if not isinstance(schema, dict):
        return copy.deepcopy(schema)
    out: dict[str, Any] = {}
    for key, value in schema.items():
        handler = _SCHEMA_HANDLERS.get(key, _copy_keyword)
        handler(out, key, value, join_pointer(pointer, key), ctx)
    if "$ref" in out and out.get("nullable"):
        # 3.0 ignores siblings of $ref, so keep x-nullable's intent in a wrapper
        return {"allOf": [{"$ref": out.pop("$ref")}], **out}
    return out


_Handler = Callable[[dict[str, Any], str, Any, str, _Context], None]


def _copy_keyword(
    out: dict[str, Any], key: str, value: Any, _pointer: str, _ctx: _Context
) -> None:
    out[key] = copy.deepcopy(value)


def _sub_schema(
    out: dict[str, Any], key: str, value: Any, pointer: str, ctx: _Context
) -> None:
    if isinstance(value, list):  # draft-4 tuple items: no 3.0 equivalent
        ctx.note(pointer, "tuple-style items approximated as anyOf of the item schemas")
        value = {"anyOf": value}
    out[key] = _schema(value, pointer, ctx)


def _schema_list(
    out: dict[str, Any], key: str, value: Any, pointer: str, ctx: _Context
) -> None:
    out[key] = [
        _schema(item, join_pointer(pointer, i), ctx)
        for i, item in enumerate(_list(value))
    ]


def _schema_map(
    out: dict[str, Any], key: str, value: Any, pointer: str, ctx: _Context
) -> None:
    out[key] = {
        name: _schema(item, join_pointer(pointer, name), ctx)
        for name, item in _mapping(value).items()
    }


def _ref_keyword(
    out: dict[str, Any], key: str, value: Any, pointer: str, ctx: _Context
) -> None:
    out[key] = _rewrite_ref(value, pointer, ctx)


def _nullable_keyword(
    out: dict[str, Any], _key: str, value: Any, _pointer: str, _ctx: _Context
) -> None:
    if value is True:
        out["nullable"] = True


def _discriminator_keyword(
    out: dict[str, Any], key: str, value: Any, _pointer: str, _ctx: _Context
) -> None:
    out[key] = (
        {"propertyName": value} if isinstance(value, str) else copy.deepcopy(value)
    )


def _type_keyword(
    out: dict[str, Any], key: str, value: Any, _pointer: str, _ctx: _Context
) -> None:
    if value == "file":
        out.update({"type": "string", "format": "binary"})
    else:
        out[key] = copy.deepcopy(value)


def _format_keyword(
    out: dict[str, Any], key: str, value: Any, _pointer: str, _ctx: _Context
) -> None:
    if out.get("format") != "binary" or out.get("type") != "string":
        out[key] = copy.deepcopy(value)


def _required_keyword(
    out: dict[str, Any], key: str, value: Any, _pointer: str, _ctx: _Context
) -> None:
    if value != []:  # OpenAPI 3.0 requires at least one entry
        out[key] = copy.deepcopy(value)


def _repaired_any_of(
    out: dict[str, Any], _key: str, value: Any, pointer: str, ctx: _Context
) -> None:
    """`x-envc-any-of`: where repairs put a tuple `items` (2.0 has no anyOf)."""
    _schema_list(out, "anyOf", value, pointer, ctx)


_SCHEMA_HANDLERS: dict[str, _Handler] = {
    "items": _sub_schema,
    "x-envc-any-of": _repaired_any_of,
    "additionalProperties": _sub_schema,
    "not": _sub_schema,
    "allOf": _schema_list,
    "anyOf": _schema_list,
    "oneOf": _schema_list,
    "properties": _schema_map,
    "$ref": _ref_keyword,
    "x-nullable": _nullable_keyword,
    "discriminator": _discriminator_keyword,
    "type": _type_keyword,
    "format": _format_keyword,
    "required": _required_keyword,
}


# --------------------------------------------------------------------- refs


def _rewrite_ref(ref: Any, pointer: str, ctx: _Context) -> Any:
    """Point a 2.0 ``$ref`` at the matching 3.0 component."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return ref
    tokens = split_pointer(ref)
    section = tokens[0]
    if section not in COMPONENT_SECTIONS or len(tokens) < 2:
        ctx.note(
            pointer,
            f"$ref {ref!r} does not point at a definition, parameter or response; left unchanged",
        )
        return ref
    name = ctx.names[section].get(tokens[1], tokens[1])
    target = COMPONENT_SECTIONS[section]
    if section == "parameters" and ctx.is_body_param(tokens[1]):
        target = "requestBodies"
        if len(tokens) > 2:
            ctx.note(
                pointer,
                f"$ref {ref!r} points inside a body parameter; pointed at its requestBody instead",
            )
            tokens = tokens[:2]
    return ref_fragment("components", target, name, *tokens[2:])


# ------------------------------------------------------------------ helpers


def _media_types(value: Any) -> list[str]:
    """The declared media types, or ``application/json`` when none are."""
    return list(value) if isinstance(value, list) and value else [DEFAULT_MEDIA_TYPE]


def _base_media_type(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _unique_list(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
