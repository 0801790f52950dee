"""Evidence to a `networkx.DiGraph`, deterministically.

Evidence for the same binding (producer, consumer slot, source pointer) is
combined: every kind kept, the highest confidence taken. Each consumer slot
gets one source per producer (the best-supported one), so a verifier never
has to choose. Nodes and edges are inserted in sorted order and every list
is sorted, so the same spec always gives the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..ir import EndpointDef
from .consumers import Slot
from .links import LinkBinding
from .matching import CONFIDENCE, Candidate
from .names import reference

if TYPE_CHECKING:  # imported in `build`: the emitter reads the catalog without it
    import networkx as nx

SlotKey = tuple[str, str, str]  # (location, name, body field or "")


@dataclass
class _Support:
    evidence: set[str] = field(default_factory=set)
    confidence: float = 0.0

    def add(self, evidence: str, confidence: float) -> None:
        self.evidence.add(evidence)
        self.confidence = max(self.confidence, confidence)


class GraphBuilder:
    """Collects evidence, then writes the graph."""

    def __init__(self) -> None:
        self._support: dict[tuple[str, str, SlotKey], dict[str, _Support]] = {}

    def add_candidate(self, candidate: Candidate) -> None:
        slot: Slot = candidate.slot
        self._add(
            candidate.producer,
            slot.consumer,
            slot.key,
            candidate.source,
            candidate.evidence,
            candidate.confidence,
        )

    def add_link(self, link: LinkBinding) -> None:
        if link.producer != link.consumer:
            key = (link.location, link.name, link.field or "")
            self._add(
                link.producer,
                link.consumer,
                key,
                link.source,
                "link",
                CONFIDENCE["link"],
            )

    def _add(
        self,
        producer: str,
        consumer: str,
        key: SlotKey,
        source: str,
        evidence: str,
        confidence: float,
    ) -> None:
        sources = self._support.setdefault((producer, consumer, key), {})
        sources.setdefault(source, _Support()).add(evidence, confidence)

    def build(self, endpoints: Iterable[EndpointDef]) -> nx.DiGraph:
        import networkx as nx

        graph = nx.DiGraph()
        for endpoint in sorted(endpoints, key=lambda e: e.name):
            graph.add_node(
                endpoint.name,
                method=endpoint.method,
                path=endpoint.path,
                role=endpoint.role.value,
                resource=endpoint.resource,
            )
        edges: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for (producer, consumer, key), sources in self._support.items():
            edges.setdefault((producer, consumer), []).append(
                _binding(key, *_best(sources))
            )
        for (producer, consumer), bindings in sorted(edges.items()):
            bindings.sort(key=_binding_order)
            graph.add_edge(
                producer,
                consumer,
                bindings=bindings,
                evidence=sorted({e for b in bindings for e in b["evidence"]}),
                confidence=max(b["confidence"] for b in bindings),
            )
        return graph


def _best(sources: dict[str, _Support]) -> tuple[str, _Support]:
    """The best-supported source: most confident, then most kinds of evidence, then shortest."""
    return min(
        sources.items(),
        key=lambda kv: (-kv[1].confidence, -len(kv[1].evidence), len(kv[0]), kv[0]),
    )


def _binding(key: SlotKey, source: str, support: _Support) -> dict[str, Any]:
    location, name, body_field = key
    binding: dict[str, Any] = {"source": source, "in": location, "name": name}
    if location == "body":
        binding["field"] = body_field
    binding["evidence"] = sorted(support.evidence)
    binding["confidence"] = round(support.confidence, 2)
    return binding


def _binding_order(binding: dict[str, Any]) -> tuple[str, ...]:
    return (binding["in"], binding["name"], binding.get("field", ""), binding["source"])


def unresolved_id_parameters(
    graph: nx.DiGraph, endpoints: Iterable[EndpointDef]
) -> list[tuple[str, str]]:
    """(operation, parameter) for id-like path parameters nothing produces (RESTler's "unresolved").

    A path parameter is id-like when its name reads as a reference (`petId`,
    `id`, `username`, `slug`) or it sits right after a collection segment.
    """
    found = []
    for endpoint in endpoints:
        bound = set()
        if endpoint.name in graph:
            for producer in graph.predecessors(endpoint.name):
                bound.update(
                    b["name"]
                    for b in graph.edges[producer, endpoint.name]["bindings"]
                    if b["in"] == "path"
                )
        for param in endpoint.params_in("path"):
            if param.name not in bound and _id_like(endpoint.path, param.name):
                found.append((endpoint.name, param.name))
    return sorted(found)


def _id_like(path: str, name: str) -> bool:
    if reference(name) is not None:
        return True
    segments = path.split("/")
    position = segments.index("{" + name + "}") if "{" + name + "}" in segments else 0
    previous = segments[position - 1] if position > 0 else ""
    return bool(previous) and not previous.startswith("{")
