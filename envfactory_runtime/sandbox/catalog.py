"""The shape of the compiled operation table in a package's `operations.json` (read by `tables.py`).

The compiler decides everything that can be decided from the spec (roles,
which documented status answers each outcome, parameter types); the engine
only looks these records up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# the verbs that name a read (tasks/quality.py, stdlib-only, keeps its own copy)
READ_VERBS = frozenset(
    "get list find search read show fetch describe query lookup retrieve".split()
)
_FIRST_WORD = re.compile(r"[A-Za-z][a-z]*")  # `Get` of GetRecoveryPoint, `get` of get_x


@dataclass(frozen=True)
class Param:
    """A path, query, header or cookie parameter, with what coercion needs."""

    name: str
    location: str
    type: str = "string"
    items: str = "string"
    explode: bool = True
    required: bool = False


@dataclass(frozen=True)
class Reply:
    """A documented response: its media type and schema (a JSON pointer)."""

    content_type: str | None = None
    schema: str | None = None


@dataclass(frozen=True)
class Resource:
    """A collection the sandbox keeps state for."""

    name: str
    schema: str | None = None
    id_field: str | None = None
    id_schema: dict = field(default_factory=lambda: {"type": "string"})
    parent: str | None = None
    depth: int = 0  # number of parent ids that scope an item's key
    parent_field: str | None = None  # the item's copy of its parent's id
    references: tuple[tuple[str, str], ...] = ()  # (field, resource) naming other items
    aliases: tuple[str, ...] = ()  # resources holding the same items at other paths
    strict: bool = False  # items hold their schema's fields, all and only those (RPC)

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> "Resource":
        references = tuple(tuple(pair) for pair in row.get("references", ()))
        aliases = tuple(row.get("aliases", ()))
        return cls(**{**row, "references": references, "aliases": aliases})


@dataclass(frozen=True)
class Operation:
    """One API operation as the sandbox executes it."""

    name: str
    method: str
    path: str
    role: str
    resource: str | None = None
    params: tuple[Param, ...] = ()
    body: str | None = None
    body_type: str | None = None
    replies: dict[str, Reply] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    security: tuple[tuple[str, ...], ...] = ()
    scopes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (resource, its key's params)
    body_keys: tuple[
        str, ...
    ] = ()  # body fields read as params: the key an RPC body sends
    parent_params: tuple[
        str, ...
    ] = ()  # params holding the parent ids of a nested item
    parent_fields: tuple[
        tuple[str, str], ...
    ] = ()  # (parent param, item field): the item's copy of its parent's id
    references: tuple[
        tuple[str, str], ...
    ] = ()  # (body field, resource): must name an existing item
    field_params: tuple[str, ...] = ()  # params that set fields on update
    filters: tuple[
        tuple[str, str], ...
    ] = ()  # (query param, field) pairs a list filters by
    paging: dict[str, str] = field(
        default_factory=dict
    )  # limit/offset/page -> param name
    envelope: str | None = None  # property of a list answer that holds the items
    item_envelope: str | None = None  # property an item answer wraps the item in
    body_envelope: str | None = None  # body property wrapping the item's fields
    upsert: bool = False  # a PUT creates the missing item (nothing else can)
    included: tuple[str, ...] = ()  # per JSON:API `included` position: resource or ""
    produces: str | None = None  # resource whose item an action answers with
    sets: dict[str, bool] = field(
        default_factory=dict
    )  # flags an action sets on its item (`disable`: enabled false)

    @property
    def changes_nothing(self) -> bool:
        """A read or a list (AWS's `GetNamespace` too, though a POST), or an
        action the store keeps nothing of, named as a read (`GetRecoveryPoint`,
        `ListTagsForResource`): calling it again says nothing new."""
        if self.role in ("read", "list"):
            return True
        verb = _FIRST_WORD.match(self.name)
        return (
            self.role == "action"
            and not (self.produces or self.sets)
            and verb is not None
            and verb.group().lower() in READ_VERBS
        )

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> "Operation":
        """An operation from its row in `operations.json` (lists become tuples)."""
        fields = dict(row)
        fields["params"] = tuple(Param(**p) for p in row.get("params", ()))
        fields["replies"] = {
            status: Reply(**r) for status, r in row.get("replies", {}).items()
        }
        fields["security"] = tuple(tuple(a) for a in row.get("security", ()))
        fields["scopes"] = tuple((r, tuple(p)) for r, p in row.get("scopes", ()))
        for name in ("filters", "parent_fields", "references"):
            fields[name] = tuple(tuple(pair) for pair in row.get(name, ()))
        for name in ("parent_params", "field_params", "included", "body_keys"):
            fields[name] = tuple(row.get(name, ()))
        return cls(**fields)


@dataclass(frozen=True)
class Credential:
    """Where a security scheme's credential travels."""

    location: str  # header | query | cookie
    name: str
    prefix: str = ""  # "Basic " or "Bearer " for the Authorization header
