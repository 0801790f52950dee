"""Stage 2: which operation's answer feeds which operation's parameter.

    graph = DependencyInferencer(spec.document).infer(spec.endpoints)

gives a `networkx.DiGraph` over operation names: an edge producer -> consumer
carries `bindings` (each a source JSON pointer in the producer's 2xx answer,
the consumer parameter it fills, the evidence and a confidence), plus the
union of evidence and the highest confidence. Evidence, strongest first:
OpenAPI `links` / `x-envc-links` (1.0), path nesting (0.9), schema `$ref`
identity (0.8), names and types (0.5-0.7). Precision matters more than
recall: a later stage executes every edge, and a wrong edge costs more than
a missing one. The `policy` says which produced values count (`DOCUMENTED`,
the default: what the spec documents, reference fields and examples
included; `STRICT`: only identifiers of items the producer answers).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..ir import EndpointDef, Resource
from .catalog import Catalog
from .consumers import consumer_slots, secured_parameters
from .graph import GraphBuilder, unresolved_id_parameters
from .links import LinkReader
from .matching import Matcher
from .policy import DOCUMENTED, STRICT, Policy
from .producers import ProducerIndex

if TYPE_CHECKING:  # imported where a graph is built: the build forks its workers first
    import networkx as nx

__all__ = [
    "DOCUMENTED",
    "STRICT",
    "DependencyInferencer",
    "Policy",
    "unresolved_id_parameters",
]


class DependencyInferencer:
    """Infers the producer -> consumer graph of one normalised spec."""

    def __init__(
        self, document: Any, *, file: str = "", policy: Policy = DOCUMENTED
    ) -> None:
        self.document = document
        self.file = file
        self.policy = policy
        self.warnings: list[Diagnostic] = []

    def infer(
        self,
        endpoints: Iterable[EndpointDef],
        resources: Iterable[Resource] | None = None,
    ) -> nx.DiGraph:
        """The dependency graph; `resources` default to what stage 1 infers from the endpoints."""
        endpoints = list(endpoints)
        catalog = Catalog.build(self.document, endpoints, resources)
        index = ProducerIndex.build(self.document, endpoints, catalog, self.policy)
        matcher = Matcher(self.document, catalog, index)
        builder = GraphBuilder()
        secured = secured_parameters(self.document)
        for endpoint in endpoints:
            for slot in consumer_slots(self.document, endpoint, catalog, secured):
                for candidate in matcher.candidates(slot):
                    builder.add_candidate(candidate)
        reader = LinkReader(self.document, endpoints, self.file)
        for link in reader.bindings():
            builder.add_link(link)
        self.warnings = reader.warnings
        return builder.build(endpoints)
