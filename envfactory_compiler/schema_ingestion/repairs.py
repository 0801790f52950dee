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
  array is split, a scalar for an array wrapped, anything else dropped;
- a header parameter for a header HTTP itself owns (`Content-Length`,
  `Transfer-Encoding`, `Host`, `Connection`, ...): dropped. Its value is
  fixed by the message framing, not chosen by the client, so no server can
  honour a schema for it (`Content-Length: 0.5` never reaches the app, and
  a client cannot send one that disagrees with its body);
- an `Accept` or `Content-Type` header parameter: dropped, as OpenAPI says
  tools shall ignore them (the media types say what they carry). Kept, they
  became task arguments ("list the brands with content type
  'application/json' and accept 'delta'") and Schemathesis mutated what the
  HTTP layer sets anyway. (A required `Authorization`, API-key or token one
  becomes a security scheme: `credential_parameters`);
- a `content` key that is no media type (`access` beside
  `application/json`): dropped, and a comma-separated list of media types
  read as each of them;
- a `204` or `304` response with a body (`content`, or a Swagger 2
  `schema`): the body is dropped, since HTTP forbids one on these statuses
  and no server can send what the spec documents;
- a `pattern` in another regex dialect (`\\p{L}`, a mid-pattern `(?i)`):
  rewritten for Python's `re` (`regex_dialects`), or dropped if it cannot be;
- a `pattern` written as a JavaScript regex literal, `/^...$/` or
  `/.../flags`: read as the text between the slashes, `i` as both cases of
  each letter (`[mM]`; ECMA-262 has no inline flags), because an anchored literal matches no string at all and
  an unanchored one with flags is what its author's language wrote (a
  schema no value, hence no request or response, could satisfy, or one
  whose `format: uri` no value starting with `/` meets);
- a `date-time`/`date`/`time` format that no value of the schema's own
  `pattern` meets (offsets as `+0100`, dates as `YYYYMMDD`): the format is
  dropped and the pattern kept, since both together admit no value;
- a `maxLength` shorter than the shortest string the `pattern` matches (App
  Runner's 36-character UUID `ServiceId` with `maxLength: 32`): dropped, the
  pattern kept, since no value meets both;
- `additionalProperties: false` on a schema that forbids a property it (or
  its `allOf` siblings, or every branch of its `oneOf`/`anyOf`) requires -
  `allOf: [{additionalProperties: false, ...}, {properties: ...}]` is the
  usual shape: dropped, since no value can be valid;
- a `oneOf` one of whose branches extends another (`allOf` with the other
  branch's `$ref`): read as `anyOf`. Every value of the extension also
  matches the base, so "exactly one" fails for every realistic value.

Untidy parts that no reader misreads (unknown keys, duplicate `required`
entries, a schema's `examples` map, the other version's `exclusiveMinimum`)
are tidied by `untidy`, the same way. Anything not listed is left to the
validator, which rejects it.

`drop_broken_links` is applied to the served document only (after
dependency inference has read, and warned about, the spec's own links): a
link to an operation the spec lacks, or naming a parameter its target does
not have, is dropped (or loses that parameter), since no client - and no
test tool - can follow it.
"""

from __future__ import annotations

import copy
import json
import re
import re._parser as re_parser  # a pattern's shortest match (`getwidth`)
from typing import Any, Iterator

from ..diagnostics import Diagnostic, pointer_join, warning
from .normalization import METHODS
from .references import resolve_local as _local
from .regex_dialects import case_folded, draws, translate, within_lengths
from .untidy import tidy

_SKIPPED_KEYS = frozenset(
    {"example", "examples", "default", "enum", "const", "x-examples"}
)
_JSON_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}
_PATH_ITEMS_PREFIX = "#/components/pathItems/"


def repair(document: dict, family: str, file: str) -> list[Diagnostic]:
    """Fix `document` in place; one warning per fix."""
    notes: list[tuple[str, str]] = []
    if family == "3.0":
        notes += _inline_component_path_items(document)
    notes += _add_missing_responses(document)
    notes += _drop_framing_headers(document)
    notes += _overlapping_one_of(document)
    notes += _closed_but_required(document)
    notes += tidy(document, family, _walk(document, ()))
    for parts, node in _walk(document, ()):
        notes += _repair_node(node, parts, family)
    return [
        warning(file, pointer, message, "fix the spec so it validates without repairs")
        for pointer, message in notes
    ]


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
        stack.extend(
            (parts + (key,), value)
            for key, value in reversed(list(children))
            if isinstance(value, (dict, list))
        )


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
        notes.append(
            (
                pointer_join(*parts, "items"),
                "'items' is a list (a tuple); read as items matching any of its schemas",
            )
        )
    if (
        node.get("in") == "path"
        and isinstance(node.get("name"), str)
        and node.get("required") is not True
    ):
        node["required"] = True
        notes.append(
            (
                pointer_join(*parts, "required"),
                f"path parameter {node['name']!r} was not marked required; "
                "path parameters always are",
            )
        )
    if (
        "default" in node
        and isinstance(node.get("type"), str)
        and node["type"] in _JSON_TYPES
    ):
        notes += _repair_default(node, parts)
    if isinstance(node.get("pattern"), str):
        notes += _repair_pattern(node, parts)
    if isinstance(node.get("pattern"), str) and isinstance(
        node.get("maxLength"), int
    ):
        notes += _repair_length_against_pattern(node, parts)
    if isinstance(node.get("type"), str):
        notes += _repair_type_against_branches(node, parts)
    if isinstance(node.get("pattern"), str) and node.get("format") in _DATE_FORMATS:
        notes += _repair_format_against_pattern(node, parts)
    if isinstance(node.get("content"), dict) and _carries_media(parts):
        notes += _repair_media_types(node["content"], (*parts, "content"))
    if (
        len(parts) >= 2
        and parts[-2] == "responses"
        and str(parts[-1]) in ("204", "304")
    ):
        for key in ("content", "schema"):
            if key in node:
                del node[key]
                notes.append(
                    (
                        pointer_join(*parts, key),
                        f"a {parts[-1]} response has no body in HTTP; "
                        f"its '{key}' was dropped",
                    )
                )
    return notes


# RFC 6838's type/subtype names (or a wildcard), then any parameters.
_MEDIA_TYPE = re.compile(
    r"^(?:\*|[A-Za-z0-9][\w!#$&^.+-]*)/(?:\*|[A-Za-z0-9][\w!#$&^.+-]*)\s*(?:;.*)?$",
    re.DOTALL,
)
_MEDIA_OWNERS = frozenset({"requestBodies", "responses", "parameters", "headers"})


def _carries_media(parts: tuple) -> bool:
    """Whether the object at `parts` is a response, request body, parameter or
    header (whose `content` is keyed by media type), not a schema's properties."""
    if not parts or parts[-1] == "properties":
        return False
    return parts[-1] == "requestBody" or (
        len(parts) >= 2 and parts[-2] in _MEDIA_OWNERS
    )


def _repair_media_types(content: dict, at: tuple) -> list[tuple[str, str]]:
    """A `content` key that is no media type: no message can carry it, and
    test tools refuse every answer against it. A comma-separated list of
    media types is read as each of them; a name where the media type goes
    (`Promotion`) as JSON when nothing else is given; a name beside real
    media types (`access` beside `application/json`) is dropped."""
    notes = []
    malformed = [k for k in content if not _MEDIA_TYPE.match(str(k))]
    alone = len(content) == 1
    for key in malformed:
        value = content.pop(key)
        members = [m.strip() for m in str(key).split(",")]
        if len(members) > 1 and all(_MEDIA_TYPE.match(m) for m in members):
            for member in members:
                content.setdefault(member, copy.deepcopy(value))
            why = f"read as the media types {', '.join(map(repr, members))}"
        elif alone:
            content["application/json"] = value
            why = "read as 'application/json', as no media type is given"
        else:
            why = "dropped"
        notes.append(
            (pointer_join(*at, key), f"{str(key)!r} is not a media type; {why}")
        )
    return notes


_TYPE_KEYWORDS = {
    "array": ("items", "minItems", "maxItems", "uniqueItems"),
    "object": ("properties", "required", "additionalProperties"),
}


def _repair_type_against_branches(node: dict, parts: tuple) -> list[tuple[str, str]]:
    """A `type` that every `anyOf`/`oneOf` branch contradicts (soundcloud's
    subscriptions: each item `type: array, items: {}` and any of one object
    schema): no value is both, so the branches, which say what is meant, win."""
    for keyword in ("anyOf", "oneOf"):
        branches = node.get(keyword)
        if not isinstance(branches, list) or not branches:
            continue
        types = [b.get("type") if isinstance(b, dict) else None for b in branches]
        if all(isinstance(t, str) and t != node["type"] for t in types) and not (
            node["type"] == "number" and "integer" in types
        ):
            dropped = node.pop("type")
            for key in _TYPE_KEYWORDS.get(dropped, ()):
                node.pop(key, None)
            return [
                (
                    pointer_join(*parts, "type"),
                    f"type {dropped!r} contradicts every {keyword} branch "
                    f"({', '.join(sorted(set(types)))}); dropped, the branches kept",
                )
            ]
    return []


def _closed_but_required(document: dict) -> list[tuple[str, str]]:
    """`additionalProperties: false` that forbids a required property: see the module docstring."""
    notes = []
    for parts, node in list(_walk(document, ())):
        members = node.get("allOf") if isinstance(node.get("allOf"), list) else []
        for index, member in enumerate(members):
            if not isinstance(member, dict) or "$ref" in member:
                continue
            needed = set(_strings(node.get("required")))
            for other_index, other in enumerate(members):
                if other_index != index:
                    needed |= set(
                        _strings(_mapping(_local(document, other)).get("required"))
                    )
            notes += _open_if_contradictory(member, needed, parts + ("allOf", index))
        notes += _open_if_contradictory(node, set(), parts)
    return notes


def _open_if_contradictory(
    node: dict, needed: set, parts: tuple
) -> list[tuple[str, str]]:
    if node.get("additionalProperties") is not False or "patternProperties" in node:
        return []
    own = set(_mapping(node.get("properties")))
    missing = (needed | set(_strings(node.get("required")))) - own
    for keyword in ("oneOf", "anyOf"):
        branches = [_mapping(b) for b in node.get(keyword) or () if isinstance(b, dict)]
        if branches and all(set(_strings(b.get("required"))) - own for b in branches):
            missing |= set(_strings(branches[0].get("required"))) - own
    if not missing:
        return []
    del node["additionalProperties"]
    return [
        (
            pointer_join(*parts, "additionalProperties"),
            f"'additionalProperties: false' forbids required "
            f"{sorted(missing)!r}, so no value is valid; dropped",
        )
    ]


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def drop_broken_links(document: dict) -> list[tuple[str, str]]:
    """Links no client can follow, fixed in place: see the module docstring. (pointer, what) pairs."""
    targets: dict[str, set[str]] = {}
    for item in _mapping(document.get("paths")).values():
        item = _mapping(_local(document, item))
        shared = [_mapping(_local(document, p)) for p in item.get("parameters") or ()]
        for method in METHODS:
            operation = _mapping(item.get(method))
            if isinstance(operation.get("operationId"), str):
                own = [
                    _mapping(_local(document, p))
                    for p in operation.get("parameters") or ()
                ]
                targets[operation["operationId"]] = {
                    f"{p.get('in')}.{p.get('name')}" for p in shared + own
                }
    notes = []
    for parts, node in list(_walk(document, ())):
        links = node.get("links") if parts and parts[-1] != "properties" else None
        if not isinstance(links, dict):
            continue
        for name, link in list(links.items()):
            link = _mapping(link)
            if (
                isinstance(link.get("operationId"), str)
                and link["operationId"] not in targets
            ):
                del links[name]
                notes.append(
                    (
                        pointer_join(*parts, "links", name),
                        f"link to unknown operation {link['operationId']!r}; "
                        "dropped",
                    )
                )
                continue
            known = (
                targets.get(link.get("operationId"))
                if isinstance(link.get("operationId"), str)
                else None
            )
            parameters = link.get("parameters")
            if known is None or not isinstance(parameters, dict):
                continue
            bad = [
                k
                for k in parameters
                if not (k in known or any(k == n.split(".", 1)[1] for n in known))
            ]
            if not bad:
                continue
            for key in bad:
                del parameters[key]
            pointer = pointer_join(*parts, "links", name)
            if not parameters and "requestBody" not in link:
                del links[name]
                notes.append(
                    (
                        pointer,
                        f"link parameters {bad!r} are not parameters of {link['operationId']!r}; "
                        "the link was dropped",
                    )
                )
            else:
                notes.append(
                    (
                        pointer,
                        f"link parameters {bad!r} are not parameters of {link['operationId']!r}; dropped",
                    )
                )
    return notes


def _overlapping_one_of(document: dict) -> list[tuple[str, str]]:
    """`oneOf`s with a branch extending another: see the module docstring."""
    notes = []
    for parts, node in list(_walk(document, ())):
        if (
            isinstance(node.get("oneOf"), list)
            and "anyOf" not in node
            and _extends_sibling(document, node["oneOf"])
        ):
            node["anyOf"] = node.pop("oneOf")
            notes.append(
                (
                    pointer_join(*parts, "oneOf"),
                    "a 'oneOf' branch extends another branch, so values match "
                    "both; read as 'anyOf'",
                )
            )
    return notes


def _extends_sibling(document: dict, branches: list) -> bool:
    refs = {
        b.get("$ref")
        for b in branches
        if isinstance(b, dict) and isinstance(b.get("$ref"), str)
    }
    for branch in branches:
        target = _local(document, branch)
        parts = target.get("allOf") if isinstance(target, dict) else None
        if isinstance(parts, list) and any(
            isinstance(p, dict) and p.get("$ref") in refs for p in parts
        ):
            return True
    return False


# `/^...$/`, or any `/.../flags`: an anchored body or JavaScript's flags say
# the slashes delimit a literal (peertube's `/magnet:\?xt=urn:.../i`)
_REGEX_LITERAL = re.compile(
    r"^/(\^.*|.*\$)/([gimsuy]*)$|^/(.+)/([gimsuy]+)$", re.DOTALL
)


def _repair_pattern(node: dict, parts: tuple) -> list[tuple[str, str]]:
    literal = _REGEX_LITERAL.match(node["pattern"])
    if literal is None:
        return _repair_dialect(node, parts)
    pointer, pattern = pointer_join(*parts, "pattern"), node["pattern"]
    body, flags = (
        literal.group(1, 2) if literal.group(1) is not None else literal.group(3, 4)
    )
    if "i" in flags:  # `g`, `u`, `y`, `m`, `s` change no match of a one-line value much
        body = case_folded(body)
    if translate(body) is None:
        del node["pattern"]
        return [
            (
                pointer,
                f"pattern {pattern!r} is a JavaScript regex literal whose body Python cannot read; "
                "dropped",
            )
        ]
    if not _meets_lengths(body, node):
        del node["pattern"]
        return [
            (
                pointer,
                f"pattern {pattern!r} is a JavaScript regex literal, which matches no string, and its text "
                "matches none of the lengths minLength/maxLength allow; dropped",
            )
        ]
    node["pattern"] = body
    return [
        (
            pointer,
            f"pattern {pattern!r} is a JavaScript regex literal, which matches no string; read as {body!r}",
        )
    ]


def _repair_dialect(node: dict, parts: tuple) -> list[tuple[str, str]]:
    """A pattern in another regex dialect, rewritten for Python's `re` (see
    `regex_dialects`), or dropped when it cannot be."""
    pattern = node["pattern"]
    rewritten = translate(pattern)
    if rewritten == pattern:
        return []
    pointer = pointer_join(*parts, "pattern")
    if rewritten is None:
        del node["pattern"]
        return [
            (
                pointer,
                f"pattern {_short(pattern)} is in a regex dialect Python cannot read; dropped "
                "(values are checked by type and length only)",
            )
        ]
    node["pattern"] = rewritten
    return [
        (
            pointer,
            f"pattern {_short(pattern)} uses Unicode property classes or a mid-pattern flag; "
            "rewritten for Python's re (property classes as their code point ranges)",
        )
    ]


def _repair_length_against_pattern(node: dict, parts: tuple) -> list[tuple[str, str]]:
    """A `maxLength` shorter than anything the `pattern` matches (App Runner's
    `ServiceId`: a 36-character UUID, `maxLength: 32`) admits no value: every
    answer would break the contract. The pattern says what the value is; the
    length goes."""
    try:
        shortest = re_parser.parse(node["pattern"]).getwidth()[0]
    except (re.error, RecursionError, OverflowError, TypeError):
        return []
    if shortest <= node["maxLength"]:
        return []
    limit = node.pop("maxLength")
    if isinstance(node.get("minLength"), int) and node["minLength"] > shortest:
        node.pop("minLength")
    return [
        (
            pointer_join(*parts, "maxLength"),
            f"maxLength {limit} is shorter than the {shortest} characters pattern "
            f"{_short(node['pattern'])} needs; no value could meet both: dropped",
        )
    ]


def _meets_lengths(pattern: str, node: dict) -> bool:
    """Whether some of a few strings drawn from `pattern` has a length the schema allows."""
    drawn = draws(pattern)
    return drawn is None or any(within_lengths(d, node) for d in drawn)


# RFC 3339 as the sandbox checks it: what `format` promises every value matches.
_DATE_FORMATS = {
    "date-time": re.compile(
        r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
    ),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "time": re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$"),
}


def _repair_format_against_pattern(node: dict, parts: tuple) -> list[tuple[str, str]]:
    """A date `format` that no value of the `pattern` meets (`+0100` offsets, `YYYYMMDD`
    dates): the pattern is the author's concrete wire form, so the format goes."""
    form, drawn = _DATE_FORMATS[node["format"]], draws(node["pattern"])
    if drawn is None or any(form.match(d) for d in drawn):
        return []
    dropped = node.pop("format")
    return [
        (
            pointer_join(*parts, "format"),
            f"format {dropped!r} contradicts pattern {_short(node['pattern'])} "
            "(no value can meet both); the format was dropped and the pattern kept",
        )
    ]


def _as_array(value: str | int | float | bool) -> list:
    """An array's default given as a scalar: JSON text of an array (`"[[-730, -30]]"`)
    as that array, a comma-separated string split, anything else wrapped."""
    if not isinstance(value, str):
        return [value]
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if isinstance(parsed, list):
        return parsed
    return [v.strip() for v in value.split(",")]


def _repair_default(node: dict, parts: tuple) -> list[tuple[str, str]]:
    value, kind = node["default"], node["type"]
    if value is None and node.get("nullable") is True:
        return []
    fits = isinstance(value, _JSON_TYPES[kind]) and not (
        kind in ("integer", "number") and isinstance(value, bool)
    )
    if fits and (not isinstance(node.get("enum"), list) or value in node["enum"]):
        return []
    pointer = pointer_join(*parts, "default")
    if kind == "array" and isinstance(value, (str, int, float, bool)):
        node["default"] = _as_array(value)
        return [
            (pointer, f"default {value!r} is not an array; read as {node['default']!r}")
        ]
    del node["default"]
    return [
        (
            pointer,
            f"default {_short(value)} does not match the schema ({kind}); dropped",
        )
    ]


def _add_missing_responses(document: dict) -> list[tuple[str, str]]:
    notes = []
    for path, item in _mapping(document.get("paths")).items():
        for method in METHODS:
            operation = _mapping(item).get(method)
            if isinstance(operation, dict) and "responses" not in operation:
                operation["responses"] = {
                    "default": {"description": "No responses were documented."}
                }
                notes.append(
                    (
                        pointer_join("paths", path, method, "responses"),
                        "operation has no 'responses'; a 'default' response was added",
                    )
                )
    return notes


_FRAMING_HEADERS = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "host",
        "connection",
        "keep-alive",
        "te",
        "trailer",
        "upgrade",
    }
)


_IGNORED_HEADERS = frozenset({"accept", "content-type"})


def _drop_framing_headers(document: dict) -> list[tuple[str, str]]:
    """Header parameters for headers the HTTP layer sets: see the module docstring."""
    notes = []
    for path, item in _mapping(document.get("paths")).items():
        owners = [((path,), item)] + [
            ((path, m), _mapping(item).get(m)) for m in METHODS
        ]
        for parts, owner in owners:
            parameters = _mapping(owner).get("parameters")
            if not isinstance(parameters, list):
                continue
            kept = []
            for index, parameter in enumerate(parameters):
                name = _framing_header(document, parameter)
                if name is None:
                    kept.append(parameter)
                else:
                    why = (
                        "OpenAPI says to ignore it (the media types say it)"
                        if name.lower() in _IGNORED_HEADERS
                        else "it is set by HTTP itself, not by the client"
                    )
                    notes.append(
                        (
                            pointer_join("paths", *parts, "parameters", index),
                            f"header parameter {name!r} dropped: {why}",
                        )
                    )
            if len(kept) != len(parameters):
                owner["parameters"] = kept
    return notes


def _framing_header(document: dict, parameter: Any) -> str | None:
    """The name of a header parameter (local `$ref`s followed) for a framing header, else None."""
    for _ in range(8):
        parameter = _local(document, parameter)
    parameter = _mapping(parameter)
    name = parameter.get("name")
    if (
        parameter.get("in") == "header"
        and isinstance(name, str)
        and name.lower() in _FRAMING_HEADERS | _IGNORED_HEADERS
    ):
        return name
    return None


def _inline_component_path_items(document: dict) -> list[tuple[str, str]]:
    """OpenAPI 3.1's `components.pathItems` in a 3.0 document: inline what `paths` refers to."""
    components = _mapping(document.get("components"))
    items = components.get("pathItems")
    if not isinstance(items, dict):
        return []
    paths = _mapping(document.get("paths"))
    for path, item in paths.items():
        ref = _mapping(item).get("$ref")
        if (
            isinstance(ref, str)
            and ref.startswith(_PATH_ITEMS_PREFIX)
            and ref[len(_PATH_ITEMS_PREFIX) :] in items
        ):
            paths[path] = copy.deepcopy(items[ref[len(_PATH_ITEMS_PREFIX) :]])
    del components["pathItems"]
    return [
        (
            "/components/pathItems",
            "'components.pathItems' is OpenAPI 3.1; the path items it holds were inlined into 'paths'",
        )
    ]


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
