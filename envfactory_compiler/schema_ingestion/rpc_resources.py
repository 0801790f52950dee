"""Resources of RPC-style APIs, where the operation's name is the only path.

AWS's JSON protocol serves every operation at one URL (`POST
/#X-Amz-Target=CertificateManager.DescribeCertificate`) and sends the item's
key in the body (`{"CertificateArn": ...}`), so the path-based inference of
`resources.py` found nothing in 131 of AWS's specs: no state, no dependency,
a `DescribeCertificate` of a certificate no one made answered 200. Here the
resource comes from the operation's name instead (`<Verb><Noun>`: Create,
Describe, Delete, List...), its key from the body field every read and
delete of that noun requires (`CertificateArn`, `StreamName`), and each
operation that requires that field acts on an item of it; the engine reads
those fields from the body (`EndpointDef.body_keys`) as it reads path
parameters elsewhere.

A noun becomes a resource only with a create that names the key (the
client's `StreamName`) or answers it (the server's `CertificateArn`): with
nothing to make its items, it would only refuse what the user asks for.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from typing import Any

from envfactory_runtime.tasks.wording import plural, words

from ..ir import EndpointDef, Resource, Role
from .normalization import deref
from .object_schemas import properties, singular

# `/#X-Amz-Target=Kinesis_20131202.DescribeStream`, `/#Action=CreateQueue`
_OPERATION = re.compile(
    r"[#?&](?:X-Amz-Target=(?:[\w-]+\.)+|Action=)([A-Z][A-Za-z0-9]+)$"
)
_VERB = re.compile(r"([A-Z][a-z]+)([A-Z][A-Za-z0-9]*)$")
_ROLES = {
    **dict.fromkeys(
        ("Create", "Request", "Import", "Register", "Allocate", "Provision"),
        Role.CREATE,
    ),
    **dict.fromkeys(("Describe", "Get"), Role.READ),
    **dict.fromkeys(("Update", "Modify"), Role.UPDATE),
    **dict.fromkeys(("Delete", "Deregister", "Release"), Role.DELETE),
    "List": Role.LIST,
}
# what a key field's name ends with (`CertificateArn`, `StreamName`, `UserPoolId`)
_KEY = re.compile(r"(?:Arn|ARN|Name|Id|ID|Identifier|Url|URL|Key)$")


def infer_rpc_resources(
    document: dict, endpoints: list[EndpointDef], resources: list[Resource]
) -> tuple[list[Resource], list[EndpointDef]]:
    """`resources` and `endpoints` with the RPC nouns' resources added and
    their operations given a resource, a role and the body fields of their key."""
    by_path = {r.name for r in resources}  # endpoints typed before are typed again
    named = {
        e.name: m.group(1)
        for e in endpoints
        if e.resource not in by_path and (m := _OPERATION.search(e.path))
    }
    if not named:
        return resources, endpoints
    by_noun = _by_noun(endpoints, named)
    taken = {r.name for r in resources}
    found: list[Resource] = []
    roles: dict[str, tuple[str, Role, tuple[str, ...]]] = {}
    for noun, ops in sorted(by_noun.items()):
        resource = _resource(document, noun, ops, taken)
        if resource is None:
            continue
        found.append(resource)
        taken.add(resource.name)
        for role, members in ops.items():
            for endpoint in members:
                assigned = _assigned(document, endpoint, role, resource)
                if assigned is not None:
                    roles[endpoint.name] = assigned
    for endpoint in endpoints:  # `AddTagsToCertificate {CertificateArn}`: acts on one
        if endpoint.name in named and endpoint.name not in roles:
            owner = _acted_on(document, endpoint, named[endpoint.name], found)
            if owner is not None:
                roles[endpoint.name] = (owner.name, Role.ACTION, (owner.id_param,))
    typed = [
        (
            dataclasses.replace(
                e,
                resource=roles[e.name][0],
                role=roles[e.name][1],
                body_keys=roles[e.name][2],
            )
            if e.name in roles
            else e
        )
        for e in endpoints
    ]
    return resources + found, typed


def _by_noun(
    endpoints: list[EndpointDef], named: dict[str, str]
) -> dict[str, dict[Role, list[EndpointDef]]]:
    """The operations of each noun, by the role their verb gives (`ListCertificates`
    lists the noun `Certificate`)."""
    by_noun: dict[str, dict[Role, list[EndpointDef]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for endpoint in endpoints:
        spoken = _VERB.match(named.get(endpoint.name, ""))
        role = _ROLES.get(spoken.group(1)) if spoken else None
        if role is Role.READ and singular(spoken.group(2)) != spoken.group(2):
            role = Role.LIST  # `DescribeLogGroups`, `GetBuckets`: EC2-style lists
        if role is not None:
            noun = singular(spoken.group(2)) if role is Role.LIST else spoken.group(2)
            by_noun[noun][role].append(endpoint)
    return by_noun


def _assigned(
    document: dict, endpoint: EndpointDef, role: Role, resource: Resource
) -> tuple[str, Role, tuple[str, ...]] | None:
    """The resource, role and body keys of one of the noun's operations: a read
    whose answer holds no item acts on one (GetCertificate answers a PEM); one
    that names no item by the key is not the resource's (a create, a list aside)."""
    needs = _requires(document, endpoint, resource.id_param)
    if role is Role.READ and not _answers(document, endpoint, resource.id_param):
        role = Role.ACTION
    if role in (Role.LIST, Role.CREATE):
        return resource.name, role, ()
    return (resource.name, role, (resource.id_param,)) if needs else None


def _resource(
    document: dict, noun: str, ops: dict[Role, list[EndpointDef]], taken: set[str]
) -> Resource | None:
    addressing = ops.get(Role.DELETE, []) + ops.get(Role.READ, [])
    creates = ops.get(Role.CREATE, [])
    key = _key(document, noun, addressing)
    if key is None or not creates:
        return None
    if not any(
        key in _body_fields(document, c) or _answers(document, c, key) for c in creates
    ):
        return None
    name = _name(noun)
    if name in taken:
        return None
    pointer, envelope = _representation(document, ops, key)
    key_schema = next(
        (
            _body_fields(document, e)[key]
            for e in addressing
            if key in _body_fields(document, e)
        ),
        {"type": "string"},
    )
    return Resource(
        name=name,
        collection_path="/" + name,
        item_path="/" + name + "/{}",
        id_field=key,
        id_schema=deref(document, key_schema, "")[0] or {"type": "string"},
        schema_pointer=pointer,
        envelope=envelope,
        id_param=key,
        strict=pointer is not None,
    )


def _key(document: dict, noun: str, addressing: list[EndpointDef]) -> str | None:
    """The body field naming the item: required by every read and delete of the
    noun, named like a key, the noun's own (`CertificateArn`) before a bare one
    (`Name`), the last of several (`UserPoolId, ClientId` name a client). Where
    none is required (Kinesis: `StreamName` or `StreamARN`), no field alone
    names the item, and the noun stays no resource."""
    shared = [
        f
        for f in _shared(addressing, lambda e: _required(document, e))
        if _scalar(document, addressing[0], f)
    ]  # DynamoDB's `GetItem {"Key": {...}}` names no item by a map
    own = [f for f in shared if _KEY.sub("", f) == noun]
    bare = [f for f in shared if not _KEY.sub("", f)]
    return (own or bare or shared or [None])[-1]


def _shared(endpoints: list[EndpointDef], fields: Any) -> list[str]:
    """The key-like fields every one of the endpoints has, in the first one's order."""
    shared: list[str] | None = None
    for endpoint in endpoints:
        found = [f for f in fields(endpoint) if _KEY.search(f)]
        shared = found if shared is None else [f for f in shared if f in found]
    return shared or []


def _representation(
    document: dict, ops: dict[Role, list[EndpointDef]], key: str
) -> tuple[str | None, str | None]:
    """The item's schema (a read's answer, inside its envelope: DescribeCertificate's
    `{"Certificate": {...}}`; else a create's: DynamoDB's `{"BackupDetails": ...}`),
    else a list's items; its pointer and envelope."""
    for endpoint in ops.get(Role.READ, []) + ops.get(Role.CREATE, []):
        found = _ok(document, endpoint)
        if found is not None and key in properties(document, found[0]):
            return found[1], None
        inner = _keyed_inside(document, found, key) if found is not None else None
        if inner is not None:
            return inner
    for endpoint in ops.get(Role.LIST, []):
        found = _ok(document, endpoint)
        for name, value in properties(document, found[0] if found else {}).items():
            schema, pointer = deref(document, value, f"{found[1]}/properties/{name}")
            if isinstance(schema, dict) and schema.get("type") == "array":
                item, item_pointer = deref(
                    document, schema.get("items"), pointer + "/items"
                )
                if properties(document, item):
                    return item_pointer, None
    return None, None


def _keyed_inside(
    document: dict, found: tuple[Any, str], key: str
) -> tuple[str, str] | None:
    """The one object property of a read's answer that holds the key (`StreamDescription`)."""
    schema, pointer = found
    if key in properties(document, schema):
        return None
    holders = []
    for name, value in properties(document, schema).items():
        inner, inner_pointer = deref(document, value, f"{pointer}/properties/{name}")
        if isinstance(inner, dict) and key in properties(document, inner):
            holders.append((inner_pointer, name))
    return holders[0] if len(holders) == 1 else None


def _acted_on(
    document: dict, endpoint: EndpointDef, operation: str, found: list[Resource]
) -> Resource | None:
    """The resource an operation named for it acts on (`RenewCertificate`,
    `AddTagsToCertificate`), when the operation requires its key."""
    owners = [
        r
        for r in found
        if _spoken(r.name) in _spoken(operation)
        and _requires(document, endpoint, r.id_param)
    ]
    return max(owners, key=lambda r: len(r.name)) if owners else None


def _spoken(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _singular_name(name).lower())


def _singular_name(name: str) -> str:
    return "_".join([*name.split("_")[:-1], singular(name.split("_")[-1])])


def _name(noun: str) -> str:
    """`CertificateAuthority` -> `certificate_authorities`."""
    said = words(noun) or [noun.lower()]
    return "_".join([*said[:-1], plural(said[-1])])


def _scalar(document: dict, endpoint: EndpointDef, field: str) -> bool:
    schema, _ = deref(document, _body_fields(document, endpoint).get(field), "")
    return isinstance(schema, dict) and schema.get("type") in ("string", "integer")


def _body_fields(document: dict, endpoint: EndpointDef) -> dict[str, Any]:
    return properties(document, endpoint.body.schema) if endpoint.body else {}


def _required(document: dict, endpoint: EndpointDef) -> list[str]:
    if endpoint.body is None:
        return []
    schema, _ = deref(document, endpoint.body.schema, "")
    required = schema.get("required") if isinstance(schema, dict) else None
    return [str(f) for f in required or ()]


def _requires(document: dict, endpoint: EndpointDef, key: str | None) -> bool:
    """Whether the operation names an item by `key`: it requires the field."""
    return key is not None and key in _required(document, endpoint)


def _ok(document: dict, endpoint: EndpointDef) -> tuple[Any, str] | None:
    for response in endpoint.responses:
        if response.status.startswith("2") and response.schema_pointer:
            return deref(document, response.schema, response.schema_pointer)
    return None


def _answers(document: dict, endpoint: EndpointDef, key: str) -> bool:
    """Whether a create answers the key it made, at the top or one object down."""
    found = _ok(document, endpoint)
    if found is None:
        return False
    fields = properties(document, found[0])
    return key in fields or any(
        key in properties(document, value) for value in fields.values()
    )
