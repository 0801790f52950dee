"""Concrete requests for operations: chosen values where an edge says so,
seeded schema-valid values everywhere else.

Uses the sandbox runtime's own generator (`envfactory_runtime.sandbox.fake`), so
the verifier fills requests exactly as a generated package would.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

from envfactory_runtime.sandbox.fake import SchemaData

from ..diagnostics import pointer_split
from ..emission.tables import credentials
from ..frozen import thaw
from ..sandbox_credentials import by_location
from ..ir import EndpointDef
from ..schema_ingestion.normalization import deref


@dataclass
class Request:
    operation: str
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, Any] = field(default_factory=dict)
    body: Any = None

    def copy(self) -> "Request":
        """A copy the engine may change freely (it keeps and fills the bodies it is sent)."""
        return Request(
            self.operation,
            _copied(self.path),
            _copied(self.query),
            _copied(self.headers),
            _copied(self.cookies),
            _copied(self.body),
        )


def _copied(value: Any) -> Any:
    """A deep copy of JSON data, several times faster than `copy.deepcopy` (no memo):
    the verifier copies a request for every call it makes."""
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    if kind in (str, int, float, bool, type(None)):
        return value
    return copy.deepcopy(value)


class RequestFactory:
    """Builds requests for one spec: fixed values first, then the schemas."""

    def __init__(self, document: Any, security: dict[str, dict[str, str]]) -> None:
        self.document = thaw(
            document
        )  # the runtime generator expects plain JSON (lists, not tuples)
        self.data = SchemaData(self.document)
        self.security = security

    def build(
        self,
        endpoint: EndpointDef,
        fixed: dict[tuple[str, str], Any],
        rng: random.Random,
    ) -> Request:
        """`fixed` maps (location, name) -> value; body fields use ("body", "/pointer")."""
        request = Request(
            endpoint.name,
            query=dict(self.security.get("query", {})),
            headers=dict(self.security.get("header", {})),
            cookies=dict(self.security.get("cookie", {})),
        )
        slots = {
            "path": request.path,
            "query": request.query,
            "header": request.headers,
            "cookie": request.cookies,
        }
        for param in endpoint.parameters:
            if param.location not in slots:
                continue
            key = (param.location, param.name)
            if key in fixed:
                slots[param.location][param.name] = fixed[key]
            elif param.required:
                schema, _ = deref(self.document, thaw(param.schema), "")
                slots[param.location][param.name] = self.data.generate(
                    schema, rng, hint=param.name, direction="request"
                )
        if endpoint.body is not None:
            schema, _ = deref(self.document, thaw(endpoint.body.schema), "")
            body = self.data.generate(schema, rng, hint="body", direction="request")
            for (location, pointer), value in fixed.items():
                if location == "body" and isinstance(body, dict):
                    _set(body, pointer, value)
            request.body = body
        return request


def _set(body: dict, pointer: str, value: Any) -> None:
    parts = [p for p in pointer_split(pointer) if p]
    node = body
    for part in parts[:-1]:
        node = node.setdefault(part, {}) if isinstance(node, dict) else {}
    if parts and isinstance(node, dict):
        node[parts[-1]] = value


def security_credentials(spec: Any) -> dict[str, dict[str, str]]:
    """Credentials the sandbox accepts for every scheme of the spec, by location."""
    return by_location(credentials(spec).values())
