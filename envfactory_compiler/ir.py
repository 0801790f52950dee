"""The intermediate representation (IR) every later stage reads.

`SchemaLoader.load` builds one `NormalizedSpec` per input and nothing changes
it afterwards: every class here is a frozen dataclass and every schema is a
read-only JSON value (see `frozen.py`).

- `NormalizedSpec.document` is the input converted to a single OpenAPI 3.0.3
  document (Swagger 2.0 up-converted, 3.1 down-converted, external `$ref`s
  inlined). It is what the generated package bundles and serves, so the
  sandbox, Schemathesis and the models all see the same contract.
- `EndpointDef` is one operation. `name` is unique and safe as a tool name
  (`[A-Za-z0-9_-]{1,64}`); `operation_id` is what the spec said, if anything.
- Schemas stay as written (local `$ref`s unresolved); `*_pointer` fields say
  where each lives in `document`, which is how generated code refers to them.
- `Resource` is a collection the sandbox keeps state for, inferred from path
  structure (`/pets`, `/pets/{petId}`, `/users/{userId}/orders/{orderId}`);
  each endpoint has a `Role` relative to its resource.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic


class Role(str, enum.Enum):
    """What an operation does to its resource's state."""

    CREATE = "create"
    READ = "read"
    LIST = "list"
    UPDATE = "update"
    DELETE = "delete"
    ACTION = "action"


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: Any
    pointer: str
    style: str = ""
    explode: bool | None = None
    description: str = ""


@dataclass(frozen=True)
class Body:
    content_type: str
    content_types: tuple[str, ...]
    required: bool
    schema: Any
    schema_pointer: str
    description: str = ""


@dataclass(frozen=True)
class Response:
    status: str  # "200", "4XX" or "default"
    description: str
    content_type: str | None
    schema: Any
    schema_pointer: str | None
    links: Any = None
    added: bool = False  # documented by the compiler, not by the spec


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    kind: str  # apiKey | http | oauth2 | openIdConnect
    location: str = ""  # header | query | cookie (apiKey)
    key: str = ""  # parameter name (apiKey) or auth scheme (http)


@dataclass(frozen=True)
class EndpointDef:
    name: str
    operation_id: str | None
    method: str
    path: str
    pointer: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]  # alternatives, each a set of scheme names
    resource: str | None = None
    role: Role = Role.ACTION
    deprecated: bool = False
    # body fields holding the key of the item it acts on (RPC: `{"CertificateArn": ...}`)
    body_keys: tuple[str, ...] = ()

    def response(self, status: str) -> Response | None:
        return next((r for r in self.responses if r.status == status), None)

    def params_in(self, location: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)


@dataclass(frozen=True)
class Resource:
    """A stateful collection: where it lives and how its items are keyed."""

    name: str
    collection_path: str  # normalised: "/users/{}/orders"
    item_path: str | None  # normalised: "/users/{}/orders/{}"
    id_field: str | None  # property of the representation holding the id
    id_schema: Any
    schema_pointer: str | None  # representation schema
    parent: str | None = None
    parent_params: tuple[str, ...] = ()
    envelope: str | None = (
        None  # property an item answer wraps the item in (`{"data": {...}}`)
    )
    id_param: str | None = None  # the item path's last parameter (`petId`)
    # items hold their schema's fields, all of them and no others: an RPC
    # request is no representation (`ImportCertificate {Certificate, PrivateKey}`)
    strict: bool = False


@dataclass(frozen=True)
class SpecSource:
    path: str
    sha256: str
    original_version: str


@dataclass(frozen=True)
class NormalizedSpec:
    title: str
    version: str
    description: str
    source: SpecSource
    document: Any
    endpoints: tuple[EndpointDef, ...]
    resources: tuple[Resource, ...]
    security_schemes: tuple[SecurityScheme, ...]
    warnings: tuple[Diagnostic, ...] = field(default=())
    left_out: tuple[str, ...] = field(
        default=()
    )  # operations not compiled ("GET /path"), each with a warning

    def endpoint(self, name: str) -> EndpointDef:
        return next(e for e in self.endpoints if e.name == name)

    def resource(self, name: str) -> Resource:
        return next(r for r in self.resources if r.name == name)
