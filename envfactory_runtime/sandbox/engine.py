"""The sandbox's semantics, independent of any transport.

`Engine.execute` runs one call against one task's state and says what to
answer. The Connexion app, the in-process sampler and any other front end
are thin layers over it, so every path to the sandbox behaves the same.

- create: the server fills the id and other missing fields, echoes the rest;
- read/update/delete: 404 when the item (or any parent in the path) is
  missing; a deleted item stays gone;
- list: filter by query parameters that name fields, then paginate;
- action: a schema-valid answer, deterministic for a seed and request; an
  answer shaped like a resource's item becomes readable afterwards;
- security: an operation that requires credentials answers 401 unless one
  of its schemes carries an accepted secret (`SANDBOX_TOKEN` by default;
  `accepted = None` accepts any non-empty credential).

Every answer uses a status the operation documents (chosen at compile time,
see `Operation.outcomes`) and is conformed to that status's schema.
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from .catalog import Credential, Operation, Param, Reply, Resource
from .conform_memo import ConformMemo
from .fake import MISSING, SchemaData
from ..pointers import parts
from .store import Key, TaskState

SANDBOX_TOKEN = (
    "envc-sandbox-token"  # the credential a sandbox accepts unless configured otherwise
)
_DEFAULT_CODES = {
    "ok": 200,
    "created": 201,
    "not_found": 404,
    "invalid": 400,
    "unauthorized": 401,
}
_TITLES = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
_TOTAL_FIELDS = (
    "total",
    "count",
    "total_count",
    "totalCount",
    "total_results",
    "totalResults",
)


@dataclass
class Call:
    """One request: the operation's name and its raw inputs."""

    operation: str
    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)
    cookies: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None


@dataclass
class Outcome:
    """What to answer: status, body (JSON value or text) and media type."""

    status: int
    body: Any = None
    content_type: str | None = None


class Engine:
    """Executes calls against task state according to the compiled tables."""

    def __init__(
        self,
        document: dict,
        operations: Mapping[str, Operation],
        resources: Mapping[str, Resource],
        credentials: Mapping[str, Credential],
    ) -> None:
        self.document = document
        self.operations = operations
        self.resources = resources
        self.credentials = credentials
        self.data = SchemaData(document)
        self.answers = ConformMemo(self.data)
        self.accepted: frozenset[str] | None = frozenset({SANDBOX_TOKEN})
        self._schemas: dict[str, dict] = {}

    # -- entry points -----------------------------------------------------

    def execute(self, task: TaskState, call: Call) -> Outcome:
        op = self.operations[call.operation]
        if not self.authorized(op, call):
            return self.error(
                op, "unauthorized", "credentials are missing for this operation"
            )
        args = coerce(op.params, call)
        if op.body_keys:  # RPC: the body names the item (`{"StreamName": ...}`)
            sent = call.body if isinstance(call.body, dict) else {}
            absent = [k for k in op.body_keys if sent.get(k) is None]
            if absent:
                return self.error(
                    op, "invalid", f"body field {absent[0]!r} must name the item"
                )
            args.update({k: sent[k] for k in op.body_keys})
        missing = self._missing_scope(task, op, args) or self._dangling(
            task, op, call.body
        )
        if missing:
            return self.error(op, "not_found", missing)
        handler = getattr(self, "_" + op.role)
        return handler(task, op, args, call.body)

    def populate(self, task: TaskState, count: int) -> None:
        """Seed a task: `count` items per top-level resource, one per parent for nested ones.

        Seeded items hold their parent's id and, where they reference other
        resources, ids of seeded items, so reads lead somewhere real. Items
        under an owner no resource describes (`/organizers/{organizerKey}/
        webinars`) belong to one owner, the task's account."""
        ordered = sorted(self.resources.values(), key=lambda r: (r.depth, r.name))
        owner = ""  # the task's one account, for owner-scoped paths
        context: dict[str, str] = {}  # its value of each such parameter, by name
        for resource in ordered:
            if resource.parent is None and resource.depth and not owner:
                owner = str(task.next_number())  # digits: fit int or str keys
            parents = (
                [self._context_key(task, resource, owner, context)]
                if resource.parent is None
                else list(task.collection(resource.parent))[:count]
            )
            per_parent = count if resource.parent is None else 1
            for parent in parents:
                if len(parent) != resource.depth:
                    continue
                for index in range(per_parent):
                    rng = random.Random(
                        f"{task.seed}:populate:{resource.name}:{parent}:{index}"
                    )
                    item = (  # an undocumented representation: the item is its key
                        self.data.generate(self.schema(resource.schema), rng)
                        if resource.schema
                        else {}
                    )
                    item_id = self.new_id(task, resource)
                    if resource.id_field and isinstance(item, dict):
                        item[resource.id_field] = item_id
                    if resource.parent_field and isinstance(item, dict) and parent:
                        _assign(
                            item,
                            resource.parent_field,
                            self._id_value(resource.parent, parent[-1]),
                        )
                    task.collection(resource.name)[
                        tuple(parent) + (str(item_id),)
                    ] = item
        for resource in ordered:
            self._link_references(task, resource)

    def _context_key(
        self, task: TaskState, resource: Resource, owner: str, context: dict
    ) -> tuple[str, ...]:
        """The parent key of a top-level resource under path parameters no
        resource describes (ARM's `{subscriptionId}/{resourceGroupName}`):
        one value per parameter name and task, shaped by the parameter's
        schema and name (a subscription id looks like one); digits where the
        schema says nothing or the value would not fit a path segment."""
        if not resource.depth:
            return ()
        names = self._parent_names(resource)
        if len(names) != resource.depth:
            return (owner,) * resource.depth
        for name, schema in names:
            if name not in context and (seeded := self._seeded_key(task, name)):
                context[name] = seeded
            if name not in context:
                rng = random.Random(f"{task.seed}:context:{name}")
                value = self.data.generate(schema, rng, hint=name, direction="request")
                fits = isinstance(value, (str, int)) and not isinstance(value, bool)
                context[name] = (
                    str(value)
                    if fits and str(value) and "/" not in str(value)
                    else owner
                )
        return tuple(context[name] for name, _ in names)

    def _seeded_key(self, task: TaskState, param: str) -> str | None:
        """The key of a seeded top-level item that path parameter `param`
        names (GitHub's runners at `/orgs/{org}/actions/runners`, a resource
        of their own: under the seeded organization, not an invented one)."""
        for resource in self._keyed_by.get(param, ()):
            keys = list(task.objects.get(resource, {}))
            if keys:
                return keys[0][-1]
        return None

    @cached_property
    def _keyed_by(self) -> dict[str, list[str]]:
        """Top-level resources by the one path parameter that keys their items,
        the one most operations work under first (`/orgs/{org}` before
        `/user/memberships/orgs/{org}`)."""
        under: dict[str, int] = {}
        keyed: dict[str, set[str]] = {}
        for op in self.operations.values():
            for resource, params in op.scopes:
                under[resource] = under.get(resource, 0) + 1
                top = resource in self.resources and not self.resources[resource].depth
                if len(params) == 1 and top:
                    keyed.setdefault(params[0], set()).add(resource)
        return {
            param: sorted(names, key=lambda r: (-under[r], r))
            for param, names in keyed.items()
        }

    def _parent_names(self, resource: Resource) -> list[tuple[str, dict]]:
        """The parent parameters of a resource's collection path and their
        schemas, from the first operation on it that names them."""
        for op in self.operations.values():
            if op.resource == resource.name and len(op.parent_params) == resource.depth:
                declared = {
                    p.get("name"): self.data.resolve(p.get("schema") or {})
                    for p in self.parameters(op)
                    if p.get("in") == "path"
                }
                return [
                    (n, declared.get(n) or {"type": "string"}) for n in op.parent_params
                ]
        return []

    def parameters(self, op: Operation) -> list[dict]:
        """The operation's parameter objects as documented, resolved: its path's, then its own."""
        item = self.data.resolve(self.document["paths"].get(op.path) or {})
        return [
            self.data.resolve(raw)
            for raw in [
                *item.get("parameters", ()),
                *(item.get(op.method) or {}).get("parameters", ()),
            ]
        ]

    def _link_references(self, task: TaskState, resource: Resource) -> None:
        """Point seeded items' reference fields at seeded items of the referenced resource."""
        for field_name, target in resource.references:
            keys = list(task.collection(target))
            if not keys:
                continue
            items = task.collection(resource.name).values()
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    key = keys[index % len(keys)]
                    _assign(item, field_name, self._id_value(target, key[-1]))

    def _id_value(self, resource: str, text: str) -> Any:
        """A stored key part (text) as the resource's id type."""
        kind = self.resources[resource].id_schema.get("type")
        try:
            if kind == "integer":
                return int(text)
            return float(text) if kind == "number" else text
        except ValueError:  # not a number after all: keep what was sent
            return text

    def error(self, op: Operation, kind: str, detail: str) -> Outcome:
        """An error answer shaped like the operation's documented error."""
        status_key = op.outcomes.get(kind) or op.outcomes.get("invalid") or "default"
        code = _code(status_key, kind)
        reply = op.replies.get(status_key)
        if reply is None or reply.schema is None:
            return _unshaped(code, reply)
        schema = self.schema(reply.schema)
        value = _error_value(self.data, schema, code, detail)
        rng = random.Random(f"error:{op.name}:{code}")
        return Outcome(code, self.data.conform(value, schema, rng), reply.content_type)

    def new_id(self, task: TaskState, resource: Resource) -> Any:
        """A fresh id for an item, shaped by the id's schema (Twilio's
        `^IS[0-9a-f]{32}$` sids) so the answer names the key it is stored at."""
        item_id = task.new_id(resource.id_schema, task.collection(resource.name))
        if not isinstance(item_id, str) or not _shaped(resource.id_schema):
            return item_id
        rng = random.Random(f"{task.seed}:id:{resource.name}:{item_id}")
        return self.data.conform(
            item_id, resource.id_schema, rng, hint=resource.id_field or ""
        )

    def schema(self, pointer: str) -> dict:
        cached = self._schemas.get(pointer)
        if cached is None:
            node: Any = self.document
            for part in parts(pointer):
                node = node[int(part)] if isinstance(node, list) else node[part]
            cached = self._schemas[pointer] = self.data.resolve(node)
        return cached

    # -- roles ------------------------------------------------------------

    def _create(self, task: TaskState, op: Operation, args: dict, body: Any) -> Outcome:
        resource = self.resources[op.resource]
        body = _unwrapped(body, op.body_envelope)
        fields = dict(body) if isinstance(body, dict) else {}
        if resource.strict and resource.schema:
            fields = self._whole(task, op, resource, fields)
        item_id = fields.get(resource.id_field) if resource.id_field else None
        if not _usable_id(item_id, resource.id_schema):
            item_id = self.new_id(task, resource)
        if resource.id_field:
            fields[resource.id_field] = item_id
        for param, name in op.parent_fields:
            _assign(fields, name, args[param])
        stored = self._store(
            task,
            op,
            resource,
            self._parent_key(op, resource, args) + (str(item_id),),
            fields,
        )
        return self._ok(task, op, stored, created=True)

    def _read(self, task: TaskState, op: Operation, args: dict, body: Any) -> Outcome:
        resource = self.resources[op.resource]
        name, key = self._locate(task, resource.name, self._item_key(op, args))
        return self._ok(task, op, task.collection(name)[key])

    def _update(self, task: TaskState, op: Operation, args: dict, body: Any) -> Outcome:
        resource = self.resources[op.resource]
        body = _unwrapped(body, op.body_envelope)
        key = (
            self._item_key(op, args)
            if self._has_item_scope(op)
            else self._body_key(op, resource, args, body)
        )
        wanted = key
        name, key = self._locate(task, resource.name, key) if key else (None, None)
        current = task.collection(name).get(key) if name else None
        if current is None and op.upsert and wanted:
            name, key, current = resource.name, wanted, {}
            if resource.id_field:
                current[resource.id_field] = self._id_value(resource.name, wanted[-1])
        if current is None:
            return self.error(op, "not_found", f"no {resource.name} item with that id")
        changes = dict(body) if isinstance(body, dict) else {}
        changes.update({name: args[name] for name in op.field_params if name in args})
        for param, name in op.parent_fields:
            _assign(changes, name, args[param])
        if resource.id_field:
            changes[resource.id_field] = current.get(
                resource.id_field, changes.get(resource.id_field)
            )
        merged = (
            _merge_patch(current, changes)
            if op.method == "patch"
            else {**current, **changes}
        )
        stored = self._store(task, op, resource, key, merged, name)
        return self._ok(task, op, stored)

    def _delete(self, task: TaskState, op: Operation, args: dict, body: Any) -> Outcome:
        resource = self.resources[op.resource]
        name, key = self._locate(task, resource.name, self._item_key(op, args))
        removed = task.collection(name).pop(key)
        return self._ok(task, op, removed)

    def _list(self, task: TaskState, op: Operation, args: dict, body: Any) -> Outcome:
        resource = self.resources[op.resource]
        prefix = self._parent_key(op, resource, args)
        items = [
            v
            for k, v in task.collection(resource.name).items()
            if k[: len(prefix)] == prefix
        ]
        items = [
            v
            for v in items
            if all(
                _matches(v.get(f), args[p])
                for p, f in op.filters
                if args.get(p) is not None
            )
        ]
        total = len(items)
        items = _page(items, args, op.paging)
        if op.envelope is None:
            return self._ok(task, op, items)
        *outer, holder = op.envelope.split("/")
        envelope = {holder: items}
        # Grouped entries (`data/category_groups/*/categories`) answer one group.
        if "*" in outer:
            star = outer.index("*")
            group = _wrapped(envelope, outer[star + 1 :])
            envelope = {outer[star - 1]: [group] if items else []}
            outer = outer[: star - 1]
        counted = self._envelope_fields(op, outer)
        envelope.update({name: total for name in _TOTAL_FIELDS if name in counted})
        return self._ok(task, op, _wrapped(envelope, outer))

    def _envelope_fields(self, op: Operation, outer: list[str]) -> frozenset[str]:
        """The fields the documented answer has beside a list's items: a total
        goes only into a field the schema names, so that ARM's `{value, nextLink}`
        does not gain six undocumented counts."""
        reply = op.replies.get(op.outcomes.get("ok", "default"))
        if reply is None or reply.schema is None:
            return frozenset()
        node: Any = self.schema(reply.schema)
        for name in outer:
            node = property_schema(self.data, node, name)
            if node is None:
                return frozenset()
        return frozenset(_property_names(self.data, node))

    def _action(self, task: TaskState, op: Operation, args: dict, body: Any) -> Outcome:
        request = json.dumps([args, body], sort_keys=True, default=str)
        seed = f"{task.seed}:{op.name}:{request}"
        status_key = op.outcomes.get("ok", "default")
        reply = op.replies.get(status_key)
        if reply is None or reply.schema is None:
            return _unshaped(_code(status_key, "ok"), reply)
        schema = self.schema(reply.schema)
        sent = body
        if isinstance(body, list) and body and isinstance(body[0], dict):
            sent = body[0]  # `createUsersWithListInput [{...}]` answers the first
        echoed = {**args, **(sent if isinstance(sent, dict) else {})}
        declared = _property_names(self.data, schema)
        # what the request names of the answer's fields, echoed; an answer
        # that echoes nothing is generated whole (a computed result says
        # something, rather than `{}`)
        seed_value = {k: v for k, v in echoed.items() if k in declared} or MISSING
        addressed = self._addressed(task, op, args) if op.produces else None
        envelope = (op.item_envelope or "").split("/")
        if addressed is not None:  # `POST /pet/{petId}` answers that pet, changed
            item = addressed[2]
            if op.item_envelope:  # AWS: `{"crl": {...}}`, the item's own fields echoed
                declared = list(item) + _property_names(
                    self.data, self.schema(self.resources[op.produces].schema)
                )
            changed = {k: v for k, v in echoed.items() if k in item or k in declared}
            seed_value = _wrapped({**item, **changed, **op.sets}, envelope)
        value = self.answers.conform(seed_value, reply.schema, schema, seed)
        if addressed is None:
            value = self._echoed_inside(value, schema, echoed, reply.schema, seed)
        item_value = _inside(value, envelope)
        if addressed is not None and isinstance(item_value, dict):
            collection, key, _ = addressed
            task.collection(collection)[key] = item_value
        elif op.produces and isinstance(item_value, dict):
            self._register(task, self.resources[op.produces], item_value, echoed)
        return Outcome(_code(status_key, "ok"), value, reply.content_type)

    def _echoed_inside(
        self, value: Any, schema: dict, echoed: dict, pointer: str, seed: str
    ) -> Any:
        """An action's answer whose wrapped items (`{"recoveryPoint": {...}}`,
        `{"recoveryPoints": [...]}`) hold what the request said of their
        fields: the recovery point asked for is the one answered, a list asked
        for one namespace's is that namespace's, a policy put is answered back."""
        if not isinstance(value, dict):
            return value
        changed = False
        for name, inner in value.items():
            field = property_schema(self.data, schema, name) or {}
            items = [inner] if isinstance(inner, dict) else []
            if isinstance(inner, list):
                field = _items_of(self.data, field)
                items = [item for item in inner if isinstance(item, dict)]
            names = set(_property_names(self.data, field)) if items else set()
            said = {
                k: v
                for k, v in echoed.items()
                if k in names and isinstance(v, (str, int, float, bool))
            }
            for item in items:
                if any(item.get(k) != v for k, v in said.items()):
                    item.update(said)
                    changed = True
        return self.answers.conform(value, pointer, schema, seed) if changed else value

    def _addressed(
        self, task: TaskState, op: Operation, args: dict
    ) -> tuple[str, Key, dict] | None:
        """The stored item an action's path names (its collection, key and fields), when
        it answers with an item of that same resource (an action on one pet answers
        that pet), wherever the item lives (AWS: `/crl/{crlId}/disable` acts on what
        `POST /crls` made)."""
        for resource, params in op.scopes:
            if resource != op.produces or not params:
                continue
            if not all(p in args for p in params):
                continue
            name, key = self._locate(
                task, resource, tuple(str(args[p]) for p in params)
            )
            item = task.collection(name).get(key) if name else None
            if isinstance(item, dict):
                return name, key, item
        return None

    # -- helpers ------------------------------------------------------------

    def _store(
        self,
        task: TaskState,
        op: Operation,
        resource: Resource,
        key: Key,
        fields: dict,
        collection: str | None = None,
    ) -> dict:
        stored = fields
        if resource.schema:
            stored = self.answers.conform(
                fields,
                resource.schema,
                self.schema(resource.schema),
                f"{task.seed}:{op.name}:{task.counter}",
            )
            if not resource.strict:
                stored.update({k: v for k, v in fields.items() if k not in stored})
        task.collection(collection or resource.name)[key] = stored
        return stored

    def _whole(
        self, task: TaskState, op: Operation, resource: Resource, fields: dict
    ) -> dict:
        """A new item of a strict resource: every field its schema has, those
        the request sent as sent (DescribeCertificate then reads a certificate,
        not the PEM and private key ImportCertificate was given)."""
        schema = self.schema(resource.schema)
        rng = random.Random(f"{task.seed}:{op.name}:whole:{task.counter}")
        made = self.data.generate(schema, rng, hint=resource.name)
        made = made if isinstance(made, dict) else {}
        declared = set(_property_names(self.data, schema))
        made.update({k: v for k, v in fields.items() if k in declared})
        return made

    def _register(
        self, task: TaskState, resource: Resource, value: dict, sent: dict
    ) -> dict:
        """An action's answer shaped like an item becomes a stored item, under
        the key the request gave it (a user's `username`), else a new one."""
        item_id = sent.get(resource.id_field) if resource.id_field else None
        if not _usable_id(item_id, resource.id_schema):
            item_id = self.new_id(task, resource)
        if resource.id_field:
            value[resource.id_field] = item_id
        task.collection(resource.name)[(str(item_id),)] = value
        return value

    def _ok(
        self, task: TaskState, op: Operation, value: Any, *, created: bool = False
    ) -> Outcome:
        status_key = op.outcomes.get("ok", "default")
        code = _code(status_key, "created" if created else "ok")
        reply = op.replies.get(status_key)
        if reply is None or reply.schema is None:
            return _unshaped(code, reply)
        seed = f"{task.seed}:{op.name}:reply:{task.counter}"
        if op.item_envelope:
            value = _wrapped(value, op.item_envelope.split("/"))
        schema = self.schema(reply.schema)
        kind = self.data.resolve(schema).get("type")
        if isinstance(value, dict) and kind == "array":
            value = [value]  # one item, answered as the list the spec documents (ETSI)
        elif isinstance(value, dict) and created and kind in ("string", "integer"):
            # a create answering only the new item's key (GoToTraining's trainings)
            value = value.get(self.resources[op.resource].id_field or "", value)
        if not op.included:
            value = self.answers.conform(value, reply.schema, schema, seed)
            if op.resource and self.resources[op.resource].strict:
                value = _declared_only(self.data, value, schema)
            return Outcome(code, value, reply.content_type)
        rng = random.Random(seed)  # drawn on after the body, for `included`
        body = self.data.conform(value, schema, rng)
        if isinstance(body, dict):
            body["included"] = self._included(
                task, op, schema, body.get("included"), rng
            )
        return Outcome(code, body, reply.content_type)

    def _included(
        self, task: TaskState, op: Operation, schema: dict, current: Any, rng: Any
    ) -> list:
        """A JSON:API `included` list laid out as documented: stored items where the
        documentation sideloads a resource's item, schema-valid stand-ins elsewhere."""
        items = self.data.resolve(
            (schema.get("properties") or {}).get("included", {}).get("items", {})
        )
        current = current if isinstance(current, list) else []
        answer = []
        for index, resource in enumerate(op.included):
            item = self._first_item(task, resource) if resource else None
            if item is None:
                item = (
                    current[index]
                    if index < len(current)
                    else self.data.generate(items, rng)
                )
            answer.append(item)
        return answer

    def _first_item(self, task: TaskState, resource: str) -> Any:
        for name in (resource,) + self.resources[resource].aliases:
            stored = task.collection(name)
            if stored:
                return dict(stored[min(stored)])
        return None

    def authorized(self, op: Operation, call: Call) -> bool:
        """Whether the call carries a credential one of the op's requirements accepts."""
        if not op.security:
            return True
        return any(
            all(self._has_credential(name, call) for name in alternative)
            for alternative in op.security
        )

    def _has_credential(self, scheme: str, call: Call) -> bool:
        credential = self.credentials.get(scheme)
        if credential is None:
            return True
        source = {
            "header": _lower_keys(call.headers),
            "query": call.query,
            "cookie": call.cookies,
        }[credential.location]
        value = source.get(
            credential.name.lower()
            if credential.location == "header"
            else credential.name
        )
        if not isinstance(value, str) or not value.lower().startswith(
            credential.prefix.lower()
        ):
            return False
        secret = _secret(value[len(credential.prefix) :].strip(), credential.prefix)
        if self.accepted is None:
            return bool(secret)
        return secret in self.accepted

    def _missing_scope(self, task: TaskState, op: Operation, args: dict) -> str:
        for resource, params in op.scopes:
            if op.upsert and resource == op.resource:
                continue  # the item itself may be missing: the PUT creates it
            key = tuple(str(args.get(p)) for p in params)
            nested = (
                len(key) <= self.resources[resource].depth
            )  # named by its own id alone
            if self._locate(task, resource, key, anywhere=nested)[0] is None:
                return f"no {resource} item with id {key[-1]!r}"
        return ""

    def _dangling(self, task: TaskState, op: Operation, body: Any) -> str:
        """A body field that names an item no one made (`Order.petId` of a missing pet)."""
        if not op.references or not isinstance(body, dict):
            return ""
        for name, resource in op.references:
            value = body.get(name)
            if value is None or isinstance(value, (dict, list)):
                continue
            wanted = str(value)
            if self._locate(task, resource, (wanted,), anywhere=True)[
                0
            ] is None and not self._holds(task, resource, name, value):
                return f"body field {name!r}: no {resource} item with id {wanted!r}"
        return ""

    def _holds(self, task: TaskState, resource: str, field: str, value: Any) -> bool:
        """Whether an item carries `value` in its own field of that name: a
        reference by another of its ids (DynamoDB's `TableArn` names a table
        keyed by `TableName`)."""
        return any(
            isinstance(item, dict) and item.get(field) == value
            for name in (resource,) + self.resources[resource].aliases
            for item in task.collection(name).values()
        )

    def _locate(
        self, task: TaskState, resource: str, key: Key, *, anywhere: bool = False
    ) -> tuple[str | None, Key]:
        """Where an item lives: its own collection, else a collection of the same
        items at another path (`/deploys/{id}` reads what `/sites/{}/deploys` made).
        `anywhere` matches the item's own id under any parent."""
        names = (resource,) + self.resources[resource].aliases
        for index, name in enumerate(names):
            items = task.collection(name)
            if index == 0 and not anywhere and key in items:
                return name, key
            if index > 0 or anywhere:
                found = next((k for k in items if k[-1] == key[-1]), None)
                if found is not None:
                    return name, found
        return None, key

    def _has_item_scope(self, op: Operation) -> bool:
        return any(resource == op.resource for resource, _ in op.scopes)

    def _item_key(self, op: Operation, args: dict) -> Key:
        params = next(
            params for resource, params in op.scopes if resource == op.resource
        )
        return tuple(str(args.get(p)) for p in params)

    def _parent_key(self, op: Operation, resource: Resource, args: dict) -> Key:
        return tuple(str(args.get(p)) for p in op.parent_params)

    def _body_key(
        self, op: Operation, resource: Resource, args: dict, body: Any
    ) -> Key | None:
        if not (
            isinstance(body, dict)
            and resource.id_field
            and body.get(resource.id_field) is not None
        ):
            return None
        return self._parent_key(op, resource, args) + (str(body[resource.id_field]),)


def _assign(item: dict, field_path: str, value: Any) -> None:
    """Set a field, or a field of an embedded object (`owner/username`)."""
    *outer, name = field_path.split("/")
    for part in outer:
        inner = item.get(part)
        item[part] = inner = dict(inner) if isinstance(inner, dict) else {}
        item = inner
    item[name] = value


def _wrapped(value: Any, names: Any) -> Any:
    """`value` inside envelopes, outermost name first (`data/account`)."""
    for name in reversed(list(names)):
        if name:
            value = {name: value}
    return value


def _inside(value: Any, names: list[str]) -> Any:
    """What `value` holds inside envelopes, outermost name first; None if it lacks one."""
    for name in names:
        if name:
            value = value.get(name) if isinstance(value, dict) else None
    return value


def _unwrapped(body: Any, name: str | None) -> Any:
    """A body's item fields, out of the property that wraps them (`{"account": {...}}`)."""
    if name and isinstance(body, dict) and isinstance(body.get(name), dict):
        return body[name]
    return body


def _secret(value: str, prefix: str) -> str:
    """The secret in a credential: the password of HTTP Basic, else the value."""
    if prefix.strip().lower() != "basic":
        return value
    try:
        return base64.b64decode(value, validate=True).decode("utf-8").partition(":")[2]
    except (ValueError, UnicodeDecodeError):
        return ""


def coerce(params: tuple[Param, ...], call: Call) -> dict[str, Any]:
    """Parameter values by name, typed by their schemas (HTTP gives text)."""
    sources = {
        "path": call.path,
        "query": call.query,
        "header": _lower_keys(call.headers),
        "cookie": call.cookies,
    }
    args: dict[str, Any] = {}
    for param in params:
        source = sources[param.location]
        name = param.name.lower() if param.location == "header" else param.name
        if name in source:
            args[param.name] = _typed(source[name], param)
    return args


def _typed(value: Any, param: Param) -> Any:
    if param.type == "array":
        if isinstance(value, str):
            value = value.split(",") if value else []
        return (
            [as_type(v, param.items) for v in value]
            if isinstance(value, (list, tuple))
            else [value]
        )
    return as_type(value, param.type)


def as_type(value: Any, kind: str) -> Any:
    """Text (a path segment, a stored key part) as a value of a parameter's
    scalar type; text that is no such value stays text."""
    if not isinstance(value, str):
        return value
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return value.lower() in ("true", "1", "yes")
    return value


def _lower_keys(values: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in values.items()}


def _shaped(schema: dict) -> bool:
    """Whether a string id schema constrains more than the type."""
    return any(
        k in schema for k in ("pattern", "format", "minLength", "maxLength", "enum")
    )


def _usable_id(value: Any, schema: dict) -> bool:
    """A client-chosen id is kept only if it can name the item in a path."""
    if value is None or isinstance(value, bool):
        return False
    if schema.get("type") == "integer":
        return isinstance(value, int) and schema.get(
            "minimum", value
        ) <= value <= schema.get("maximum", value)
    return isinstance(value, (str, int, float)) and str(value) != ""


def _unshaped(code: int, reply: Reply | None) -> Outcome:
    """An answer whose media type is documented without a schema: any value fits."""
    if reply is None or reply.content_type is None:
        return Outcome(code, None, None)
    empty: Any = {} if reply.content_type.split(";")[0].endswith("json") else ""
    return Outcome(code, empty, reply.content_type)


def _merge_patch(current: dict, changes: dict) -> dict:
    """A PATCH's changes merged into the item as JSON Merge Patch (RFC 7396)
    has it: nested objects merge (`{"properties": {"state": ...}}` keeps the
    other properties), anything else replaces."""
    merged = dict(current)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge_patch(merged[key], value)
        else:
            merged[key] = value
    return merged


def _code(status_key: str, kind: str) -> int:
    if status_key.isdigit():
        return int(status_key)
    return _DEFAULT_CODES[kind]


def _matches(actual: Any, wanted: Any) -> bool:
    wanted_values = wanted if isinstance(wanted, list) else [wanted]
    actual_values = actual if isinstance(actual, list) else [actual]
    if not wanted_values:
        return True
    labels = [_label(a) for a in actual_values]
    return any(str(a) == str(w) for a in labels for w in wanted_values)


def _label(value: Any) -> Any:
    """What a filter compares: an object (a tag) by its name, else its id."""
    if isinstance(value, dict):
        return value.get("name", value.get("id"))
    return value


def _page(items: list, args: dict, paging: Mapping[str, str]) -> list:
    limit = args.get(paging.get("limit", ""))
    offset = args.get(paging.get("offset", ""))
    page = args.get(paging.get("page", ""))
    size = limit if isinstance(limit, int) and limit >= 0 else None
    start = offset if isinstance(offset, int) and offset >= 0 else 0
    if isinstance(page, int) and page >= 1 and size is not None:
        start = (page - 1) * size
    return items[start : start + size] if size is not None else items[start:]


def _error_value(data: SchemaData, schema: dict, code: int, detail: str) -> Any:
    """Map code/title/detail onto whatever fields the error schema has."""
    title = _TITLES.get(code, "Error")
    if schema.get("type") == "string":
        return f"{title}: {detail}"
    if schema.get("type") == "integer":
        return code
    names = _property_names(data, schema)
    value: dict[str, Any] = {}
    for name in names:
        lowered = name.lower()
        if lowered in (
            "code",
            "status",
            "statuscode",
            "status_code",
            "error_code",
            "errorcode",
        ):
            value[name] = code
        elif lowered in (
            "message",
            "detail",
            "details",
            "error",
            "description",
            "msg",
            "error_description",
        ):
            value[name] = detail
        elif lowered in ("title", "reason", "type"):
            value[name] = title
    return value


def property_schema(
    data: SchemaData, schema: dict, name: str, depth: int = 0
) -> dict | None:
    """The resolved schema of property `name` of an object schema, through `allOf`."""
    found = (schema.get("properties") or {}).get(name)
    if found is not None:
        return data.resolve(found)
    for part in schema.get("allOf") or ():
        if depth < 8:
            found = property_schema(data, data.resolve(part), name, depth + 1)
            if found is not None:
                return found
    return None


def _declared_only(data: SchemaData, value: Any, schema: dict, depth: int = 0) -> Any:
    """`value` without the fields its schema does not declare, at every level:
    a strict resource's receipt (`{CertificateArn}`) or summary is what its
    schema says, not the whole stored item."""
    if depth > 6:
        return value
    for part in (
        schema.get("allOf") or ()
    ):  # AWS: `{"allOf": [{"$ref": ...}]}`, described
        schema = {
            **data.resolve(part),
            **{k: v for k, v in schema.items() if k != "allOf"},
        }
    if isinstance(value, list):
        items = data.resolve(schema.get("items") or {})
        return [_declared_only(data, v, items, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    names = _property_names(data, schema)
    if not names or schema.get("additionalProperties") not in (None, False):
        return value
    return {
        k: _declared_only(data, v, property_schema(data, schema, k) or {}, depth + 1)
        for k, v in value.items()
        if k in names
    }


def _items_of(data: SchemaData, schema: dict, depth: int = 0) -> dict:
    """An array schema's resolved `items`, through `allOf` (AWS's described lists)."""
    if isinstance(schema.get("items"), dict):
        return data.resolve(schema["items"])
    for part in schema.get("allOf") or ():
        found = _items_of(data, data.resolve(part), depth + 1) if depth < 8 else {}
        if found:
            return found
    return {}


def _property_names(data: SchemaData, schema: dict, depth: int = 0) -> list[str]:
    """Property names of an object schema, through `allOf`."""
    names = list((schema.get("properties") or {}).keys())
    for part in schema.get("allOf") or ():
        if depth < 8:
            names += [
                n
                for n in _property_names(data, data.resolve(part), depth + 1)
                if n not in names
            ]
    return names
