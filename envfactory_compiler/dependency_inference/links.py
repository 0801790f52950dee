"""OpenAPI `links` (and `x-envc-links`, same shape): dependencies the spec states outright.

A link on a producer's 2xx response names the consumer (`operationId` or
`operationRef`) and says where each of its parameters comes from
(`$response.body#/id`, `$request.path.id`, ...). These are always honoured.
A link naming an operation or parameter that does not exist is skipped with
a warning pointing at it; constants (non-expression values) bind nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, pointer_join, pointer_split, warning
from ..ir import EndpointDef
from ..schema_ingestion.normalization import deref
from ..schema_ingestion.references import resolve_pointer
from .schemas import addresses, all_properties, is_array

LINK_KEYS = ("links", "x-envc-links")
_LOCATIONS = ("path", "query", "header", "cookie", "body")


@dataclass(frozen=True)
class LinkBinding:
    """One parameter of `consumer` that `producer`'s answer fills, as a link says."""

    producer: str
    consumer: str
    location: str
    name: str
    field: str | None
    source: str  # JSON pointer into the answer, or the runtime expression when it is not one


class LinkReader:
    """Reads every link of every operation; collects warnings about broken ones."""

    def __init__(
        self, document: Any, endpoints: Iterable[EndpointDef], file: str = ""
    ) -> None:
        self.document = document
        self.file = file
        self.endpoints = list(endpoints)
        self.by_id = {e.operation_id: e for e in self.endpoints if e.operation_id}
        self.by_id.update(
            {e.name: e for e in self.endpoints if e.name not in self.by_id}
        )
        self.by_pointer = {e.pointer: e for e in self.endpoints}
        self.warnings: list[Diagnostic] = []

    def bindings(self) -> list[LinkBinding]:
        found: list[LinkBinding] = []
        for endpoint in self.endpoints:
            for link, pointer, schema in self._links(endpoint):
                found.extend(self._link_bindings(endpoint, link, pointer, schema))
        return found

    def _links(self, endpoint: EndpointDef) -> list[tuple[dict, str, Any]]:
        """(link object, its pointer, the response's schema) on the operation's 2xx responses."""
        operation = resolve_pointer(self.document, endpoint.pointer)
        found = []
        for status, raw in (operation.get("responses") or {}).items():
            if not str(status).startswith("2"):
                continue
            response, where = deref(
                self.document,
                raw,
                pointer_join(*pointer_split(endpoint.pointer), "responses", status),
            )
            schema = next(
                (r.schema for r in endpoint.responses if r.status == str(status)), None
            )
            for key in LINK_KEYS:
                links = response.get(key) if isinstance(response, dict) else None
                for name, value in (
                    (links or {}).items() if isinstance(links, dict) else ()
                ):
                    link, _ = deref(self.document, value, "")
                    if isinstance(link, dict):
                        found.append(
                            (link, f"{where}/{key}{pointer_join(name)}", schema)
                        )
        return found

    def _link_bindings(
        self, producer: EndpointDef, link: dict, pointer: str, schema: Any
    ) -> list[LinkBinding]:
        consumer = self._target(link)
        if consumer is None:
            target = link.get("operationId") or link.get("operationRef")
            self._warn(
                pointer,
                f"link points at operation {target!r}, which is not in the spec",
                "name an existing operationId (or a local operationRef such as '#/paths/~1pets~1{petId}/get')",
            )
            return []
        found = []
        for key, value in (link.get("parameters") or {}).items():
            source = _source(value)
            if source is None:
                continue
            slot = self._parameter(consumer, str(key))
            if slot is None:
                self._warn(
                    f"{pointer}/parameters{pointer_join(key)}",
                    f"link parameter {key!r} is not a parameter of {consumer.name!r}",
                    "use the name of one of the target operation's parameters (optionally 'path.<name>')",
                )
                continue
            found.append(
                LinkBinding(
                    producer.name,
                    consumer.name,
                    slot[0],
                    slot[1],
                    slot[2],
                    self._located(source, schema),
                )
            )
        return found

    def _target(self, link: dict) -> EndpointDef | None:
        if isinstance(link.get("operationId"), str):
            return self.by_id.get(link["operationId"])
        ref = link.get("operationRef")
        if isinstance(ref, str) and "#" in ref:
            return self.by_pointer.get(ref.split("#", 1)[1])
        return None

    def _parameter(
        self, consumer: EndpointDef, key: str
    ) -> tuple[str, str, str | None] | None:
        """(location, name, body field) of a link parameter key such as `petId` or `path.petId`."""
        location, _, name = (
            key.partition(".") if key.split(".", 1)[0] in _LOCATIONS else ("", "", key)
        )
        for param in sorted(
            consumer.parameters, key=lambda p: _LOCATIONS.index(p.location)
        ):
            if param.name == name and location in ("", param.location):
                return param.location, param.name, None
        if (
            location in ("", "body")
            and consumer.body is not None
            and name in all_properties(self.document, consumer.body.schema)
        ):
            return "body", name, pointer_join(name)
        return None

    def _located(self, source: str, schema: Any) -> str:
        """A body pointer written for one item of an array answer (`/slug` on `[repository]`) means
        its first element (`/0/slug`); anything else is kept as written."""
        if (
            schema is None
            or not source.startswith("/")
            or not is_array(self.document, schema)
        ):
            return source
        tokens = pointer_split(source)
        if addresses(self.document, schema, tokens) or not addresses(
            self.document, schema, ["0", *tokens]
        ):
            return source
        return "/0" + source

    def _warn(self, pointer: str, message: str, hint: str) -> None:
        self.warnings.append(warning(self.file, pointer, message, hint))


def _source(value: Any) -> str | None:
    """`$response.body#/id` -> `/id`; other runtime expressions verbatim; constants -> None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("{") and text.endswith("}") and text.count("{") == 1:
        text = text[1:-1].strip()
    if not text.startswith("$"):
        return None
    if text == "$response.body":
        return ""
    if text.startswith("$response.body#"):
        return text[len("$response.body#") :]
    return text
