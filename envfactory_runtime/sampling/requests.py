"""Concrete requests: resolved values where the session has them, seeded
schema-valid values everywhere else.

A request is what an agent would send (its tool-call `arguments`: the
parameters by name, the body under `body`) plus the sandbox credential,
which the environment adds and the agent never sees.
"""

from __future__ import annotations

import base64
import random
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..sandbox.catalog import Operation, Param
from ..sandbox.engine import SANDBOX_TOKEN, Engine, as_type, property_schema
from ..pointers import find, pointer
from ..tasks.policies import one_value
from ..pointers import parts as _parts
from .ranges import order_bounds

OPTIONAL_COUNTS = (
    0.55,
    0.3,
    0.15,
)  # chances that a task is about 0, 1, 2 optional fields
# Fields the server owns: never something the user supplies in a write.
SERVER_OWNED = re.compile(
    r"^(id|uuid|(created|updated|modified|deleted|last_?modified)(_?(at|on|time|date))?"
    r"|.*_(at|count)|etag|version|revision|href|links?|self|url)$",
    re.IGNORECASE,
)
_LOCATIONS = ("path", "query", "header", "cookie")


@dataclass
class Request:
    """One call as the agent makes it, and the credentials that go with it."""

    operation: str
    method: str
    path: str  # the path template filled in, without the server's base path
    arguments: dict[str, Any]
    params: dict[str, dict[str, Any]]  # location -> name -> value
    body: Any = None
    credentials: dict[str, dict[str, str]] = field(default_factory=dict)

    def sent(self, location: str) -> dict[str, Any]:
        """Parameters of a location with the credentials merged in."""
        return {**self.params.get(location, {}), **self.credentials.get(location, {})}


@dataclass(frozen=True)
class _Plan:
    """What building a request for one operation needs, looked up once."""

    operation: Operation
    params: tuple[tuple[Param, dict], ...]
    body_schema: dict | None
    body_key: str
    credentials: dict[str, dict[str, str]]
    optional: dict = field(default_factory=dict)  # body fields a task may be about
    # a write without a body whose fields are optional query or form parameters
    # (`POST /pet/{petId}?name=...`): the first one, sent when nothing else is
    field_param: tuple[Param, dict] | None = None


class RequestBuilder:
    """Builds requests for the operations of one engine."""

    def __init__(self, engine: Engine, *, token: str = SANDBOX_TOKEN) -> None:
        self.engine = engine
        self.token = token
        self._plans: dict[str, _Plan] = {}
        self.version = str((engine.document.get("info") or {}).get("version") or "")

    def build(
        self,
        name: str,
        resolved: dict[tuple[str, str], Any],
        rng: random.Random,
        *,
        unbound: tuple[str, ...] = (),
    ) -> Request:
        """A request for `name`: `resolved` values first, then the schemas.

        `unbound` lists body fields (JSON pointers) that an edge binds but
        nothing resolved: they are left out unless the schema requires them,
        so the agent never sends an id nobody gave it.
        """
        plan = self._plan(name)
        op = plan.operation
        params: dict[str, dict[str, Any]] = {}
        arguments: dict[str, Any] = {}
        for param, schema in plan.params:
            key = (param.location, param.name)
            if key in resolved:
                value = as_declared(param.type, resolved[key])
            elif param.required and self.version and _api_version(param, schema):
                value = self.version
            elif param.required and (json := _json_choice(param, schema)):
                value = json
            elif param.required:
                value = self.engine.data.generate(
                    schema, rng, hint=_hint(param), direction="request", minimal=True
                )
            else:
                continue  # an optional parameter the task is not about
            params.setdefault(param.location, {})[param.name] = value
            arguments[param.name] = value
        if plan.field_param is not None and not arguments.keys() - {
            p.name for p in op.params if p.location == "path"
        }:  # a form-style write says what it sets
            param, schema = plan.field_param
            value = self.engine.data.generate(
                schema, rng, hint=param.name, direction="request", minimal=True
            )
            params.setdefault(param.location, {})[param.name] = value
            arguments[param.name] = value
        for location, values in params.items():
            order_bounds(values, (n for (at, n) in resolved if at == location))
            arguments.update(values)
        body = None
        if plan.body_schema is not None:
            body = self.engine.data.generate(
                plan.body_schema, rng, hint="body", direction="request", minimal=True
            )
            optional = [p for p in unbound if not self._required(plan.body_schema, p)]
            fields = {
                p: as_declared(self._field_type(plan.body_schema, p), value)
                for (at, p), value in resolved.items()
                if at == "body"
            }
            body = _bind_body(body, fields, optional)
            self._add_optional(plan, body, resolved, rng)
            _order_body(body, resolved)
            arguments[plan.body_key] = body
        path = op.path
        for name_, value in params.get("path", {}).items():
            path = path.replace("{" + name_ + "}", quote(str(value), safe=""))
        return Request(
            op.name, op.method, path, arguments, params, body, plan.credentials
        )

    def _add_optional(
        self, plan: _Plan, body: Any, resolved: dict, rng: random.Random
    ) -> None:
        """A request is minimal (what the schema requires); a task may also be
        about one or two optional fields, and a create or an update with
        nothing else of the user's always is about one: it sets a field the
        user names."""
        listed = isinstance(body, list) and bool(body) and isinstance(body[0], dict)
        if listed:  # an array of items (`createUsersWithListInput`): its one item,
            body = body[0]  # which says something, as a create does
        if not isinstance(body, dict):
            return
        said = [k for k in body if ("body", "/" + k) not in resolved and body[k] != {}]
        choices = [p for p in sorted(plan.optional) if find(body, p) is None]
        count = rng.choices(range(len(OPTIONAL_COUNTS)), OPTIONAL_COUNTS)[0]
        if (listed or plan.operation.role in ("create", "update")) and not said:
            count = max(count, 1)
        for where in rng.sample(choices, min(count, len(choices))):
            value = self.engine.data.generate(
                plan.optional[where],
                rng,
                hint=_parts(where)[-1],
                direction="request",
                minimal=True,
            )
            _set(body, where, value)

    def requires(self, name: str, pointer: str) -> bool:
        """Whether `name`'s body schema requires the field at `pointer`
        (True where the operation takes no body: nothing to leave out)."""
        plan = self._plan(name)
        if plan.body_schema is None:
            return True
        return self._required(plan.body_schema, pointer)

    def fixed(self, name: str, location: str, param: str) -> bool:
        """Whether `name`'s parameter can take one value only (a one-member
        enum, a `const`): nothing has to produce it."""
        return any(
            (declared.location, declared.name) == (location, param)
            and one_value(schema)
            for declared, schema in self._plan(name).params
        )

    def body_key(self, name: str) -> str:
        return self._plan(name).body_key

    def _required(self, schema: dict, pointer: str) -> bool:
        """Whether the body schema requires the field at `pointer`."""
        node = self._holder(schema, pointer)
        return _parts(pointer)[-1] in (node.get("required") or ())

    def _field_type(self, schema: dict, pointer: str) -> Any:
        """The declared type of the body field at `pointer`."""
        data = self.engine.data
        holder = self._holder(schema, pointer)
        return _type(data, property_schema(data, holder, _parts(pointer)[-1]))

    def _holder(self, schema: dict, pointer: str) -> dict:
        """The (resolved) object schema holding the body field at `pointer`."""
        node = self.engine.data.resolve(schema)
        for part in _parts(pointer)[:-1]:
            node = property_schema(self.engine.data, node, part) or {}
        return node

    def _plan(self, name: str) -> _Plan:
        plan = self._plans.get(name)
        if plan is None:
            plan = self._plans[name] = self._make_plan(self.engine.operations[name])
        return plan

    def _make_plan(self, op: Operation) -> _Plan:
        declared = _declared_params(self.engine, op)
        params = tuple(
            (p, declared.get((p.location, p.name), {}))
            for p in op.params
            if p.location in _LOCATIONS
        )
        body_key = "body"
        while body_key in {p.name for p in op.params}:
            body_key = "request_" + body_key
        body_schema = self.engine.schema(op.body) if op.body else None
        return _Plan(
            op,
            params,
            body_schema,
            body_key,
            self._credentials(op),
            self._sayable(op, self._item_schema(body_schema)),
            _field_param(op, params, body_schema),
        )

    def _item_schema(self, schema: dict | None) -> dict | None:
        """A body's schema, or its items' where it is an array of objects."""
        node = self.engine.data.resolve(schema) if schema else {}
        items = node.get("items") if node.get("type") == "array" else None
        return items if isinstance(items, dict) else schema

    def _sayable(
        self, op: Operation, schema: dict | None, prefix: str = ""
    ) -> dict[str, dict]:
        """Optional body fields a user would fill in, by JSON pointer: text,
        numbers, choices or lists of them, at the top or one object down (an
        ARM-style `properties` envelope); not the server's own fields (ids,
        timestamps, counters, links, read-only ones) nor references."""
        node = self.engine.data.resolve(schema) if schema else {}
        required = set(node.get("required") or ())
        references = {f for f, _ in op.references}
        sayable = {}
        for name, raw in sorted((node.get("properties") or {}).items()):
            prop = self.engine.data.resolve(raw)
            items = self.engine.data.resolve(prop.get("items") or {})
            kind = (
                prop.get("type") if prop.get("type") != "array" else items.get("type")
            )
            where = pointer(*_parts(prefix), name)
            if prop.get("readOnly") or SERVER_OWNED.match(name):
                continue
            if kind in ("object", None) and not prefix and prop.get("properties"):
                if name in required or not prop.get("required"):  # can be set alone
                    sayable.update(self._sayable(op, prop, where))
                elif self._scalars_only(prop):  # set whole, with what it requires
                    sayable[where] = prop
                continue
            if (
                name in required
                or name in references
                or re.search(r"(_id|Id|_ids|Ids)$", name)
                or kind not in ("string", "integer", "number", "boolean")
                or prop.get("format") in ("binary", "byte", "password")
            ):
                continue
            sayable[where] = prop
        return sayable

    def _scalars_only(self, schema: dict) -> bool:
        """Whether every field an object requires is text, a number or a flag."""
        fields = schema.get("properties") or {}
        return all(
            self.engine.data.resolve(fields.get(name) or {}).get("type")
            in ("string", "integer", "number", "boolean")
            for name in schema.get("required") or ()
        )

    def _credentials(self, op: Operation) -> dict[str, dict[str, str]]:
        """The sandbox credential for every scheme of the operation's first alternative."""
        placed: dict[str, dict[str, str]] = {}
        for scheme in op.security[0] if op.security else ():
            credential = self.engine.credentials.get(scheme)
            if credential is None:
                continue
            secret = self.token
            if credential.prefix.strip().lower() == "basic":
                secret = base64.b64encode(f"envc:{self.token}".encode()).decode()
            placed.setdefault(credential.location, {})[credential.name] = (
                credential.prefix + secret
            )
        return placed


def _field_param(
    op: Operation, params: tuple[tuple[Param, dict], ...], body: dict | None
) -> tuple[Param, dict] | None:
    """The optional query parameter a body-less write sets, if it is one."""
    if body is not None or op.method == "get" or op.role not in ("update", "action"):
        return None
    return next(
        (
            (p, schema)
            for p, schema in params
            if p.location == "query"
            and not p.required
            and not SERVER_OWNED.match(p.name)
        ),
        None,
    )


def _declared_params(engine: Engine, op: Operation) -> dict[tuple[str, str], dict]:
    """Parameter schemas from the document (path-level ones, then the operation's)."""
    schemas: dict[tuple[str, str], dict] = {}
    for param in engine.parameters(op):
        schema = param.get("schema")
        if schema is None:  # `content` instead of `schema`: its one media type
            media = next(iter((param.get("content") or {}).values()), {})
            schema = media.get("schema", {})
        schemas[(param.get("in"), param.get("name"))] = _with_examples(
            engine, engine.data.resolve(schema), param
        )
    return schemas


def _with_examples(engine: Engine, schema: Any, param: dict) -> Any:
    """A parameter's schema with the parameter's own `example`/`examples`
    (Example Objects' values) as sample values, so they come first."""
    found = [param["example"]] if "example" in param else []
    examples = param.get("examples")
    if isinstance(examples, dict):
        for example in examples.values():
            example = engine.data.resolve(example)
            if isinstance(example, dict) and "value" in example:
                found.append(example["value"])
    if not found or not isinstance(schema, dict):
        return schema
    listed = schema.get("examples")
    return {
        **schema,
        "examples": [*(listed if isinstance(listed, list) else ()), *found],
    }


def _api_version(param: Param, schema: Any) -> bool:
    """Whether `param` is the API version a request names (ARM's `api-version`)
    with no choice in its schema: the version the spec documents is the one."""
    return (
        re.sub(r"[^a-z]", "", param.name.lower()) == "apiversion"
        and param.location in ("query", "header")
        and isinstance(schema, dict)
        and schema.get("type", "string") == "string"
        and not {"enum", "const", "pattern"} & set(schema)
    )


def _json_choice(param: Param, schema: Any) -> str | None:
    """The JSON member of a response-format parameter's enum (SportsData's
    `/{format}/Teams`, `xml` or `json`): the sandbox answers JSON, so a task
    asking for XML would get what it did not ask for."""
    if re.sub(r"[^a-z]", "", param.name.lower()) not in ("format", "responseformat"):
        return None
    members = schema.get("enum") if isinstance(schema, dict) else None
    return next(
        (m for m in members or () if isinstance(m, str) and m.lower() == "json"), None
    )


def _hint(param: Param) -> str:
    """What a parameter's value is made as: its name, but a path's bare `name`
    names a thing (Route 53's `/keysigningkey/{HostedZoneId}/{Name}`), not a
    person ('Chloe Miller')."""
    if param.location == "path" and param.name.lower() == "name":
        return "item_name"
    return param.name


def _type(data: Any, schema: dict | None, depth: int = 0) -> Any:
    """A schema's `type`, through `allOf` (AWS describes each field as
    `allOf: [{$ref}, {description}]`)."""
    if schema is None or depth > 8:
        return None
    if "type" in schema:
        return schema["type"]
    for part in schema.get("allOf") or ():
        kind = _type(data, data.resolve(part), depth + 1)
        if kind is not None:
            return kind
    return None


def as_declared(kind: Any, value: Any) -> Any:
    """A value an answer or the user gave, as the type its field declares: an
    answer's text key as a number (`"7"` -> 7), a number as the text a string
    field takes (an org's `id` 1 for the path's `org`, `"1"`), one value as
    the only item of an array field (a tag's key for `tagKeys`)."""
    if kind in ("integer", "number"):
        return as_type(value, kind)
    if kind == "string" and isinstance(value, (int, float)):
        return value if isinstance(value, bool) else str(value)
    if kind == "array" and not isinstance(value, list):
        return [value]
    return value


def _bind_body(body: Any, fields: dict[str, Any], unbound: list[str]) -> Any:
    """Put resolved values into the body's fields (by JSON pointer); drop bound
    fields left unresolved."""
    if not isinstance(body, dict):
        return body
    for pointer, value in fields.items():
        _set(body, pointer, value)
    for pointer in unbound:
        _drop(body, pointer)
    return body


def _order_body(node: Any, resolved: dict, at: str = "") -> None:
    """Bounds in order in every object of the body (`ranges`), but for the
    values resolved from the user or earlier results."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _order_body(item, resolved, f"{at}/{i}")
    elif isinstance(node, dict):
        fixed = [k for k in node if ("body", pointer(*_parts(at), k)) in resolved]
        order_bounds(node, fixed)
        for key, value in node.items():
            _order_body(value, resolved, pointer(*_parts(at), key))


def _set(body: dict, pointer: str, value: Any) -> None:
    *parents, last = _parts(pointer)
    node: Any = body
    for part in parents:
        node = node.setdefault(part, {}) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node[last] = value


def _drop(body: dict, pointer: str) -> None:
    *parents, last = _parts(pointer)
    node: Any = body
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(last, None)
