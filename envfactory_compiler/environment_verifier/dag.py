"""`VerifiedDAG`: the inferred dependency graph with each edge's verdict.

Written into every package as `dag.json` (sorted keys, sorted edges), so the
same spec always gives the same bytes and a diff shows exactly which
dependency changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

OUTCOMES = {
    "confirmed": "the consumer accepted the produced value and refused one no producer made",
    "producer_failed": "the producer did not answer 2xx, so the consumer was never called",
    "nothing_at_source": "the producer's answer lacked the value, so the consumer was never called",
    "consumer_refused": "the consumer refused the produced value: the binding names another kind of item",
    "not_selective": "the consumer accepted any value, so the binding proves nothing",
}


@dataclass(frozen=True)
class EdgeVerdict:
    producer: str
    consumer: str
    bindings: tuple[dict[str, Any], ...]
    confirmed: bool
    reason: str
    evidence: tuple[str, ...] = ()
    confidence: float = 0.0
    rejected: tuple[
        dict[str, Any], ...
    ] = ()  # bindings refused on their own, each with its `reason`
    outcome: str = ""  # the reason's kind, for readers of dag.json: one of OUTCOMES

    @property
    def all_bindings(self) -> tuple[dict[str, Any], ...]:
        """Every inferred binding: the confirmed (or tried) ones and the rejected ones."""
        return self.bindings + tuple(
            {k: v for k, v in b.items() if k != "reason"} for b in self.rejected
        )


@dataclass(frozen=True)
class VerifiedDAG:
    """Operations and inferred edges, each confirmed by execution or not (with why)."""

    operations: tuple[str, ...]
    verdicts: tuple[EdgeVerdict, ...] = field(default=())

    def confirmed_edges(self) -> list[tuple[str, str]]:
        return [(v.producer, v.consumer) for v in self.verdicts if v.confirmed]

    def unconfirmed_edges(self) -> list[tuple[str, str]]:
        return [(v.producer, v.consumer) for v in self.verdicts if not v.confirmed]

    def reasons(self) -> dict[tuple[str, str], str]:
        return {(v.producer, v.consumer): v.reason for v in self.verdicts}

    def graph(self, *, confirmed_only: bool = True) -> nx.DiGraph:
        """The graph samplers walk: confirmed edges only, unless asked otherwise."""
        graph = nx.DiGraph()
        graph.add_nodes_from(self.operations)
        for v in self.verdicts:
            if v.confirmed or not confirmed_only:
                graph.add_edge(
                    v.producer,
                    v.consumer,
                    bindings=list(v.bindings),
                    confirmed=v.confirmed,
                    reason=v.reason,
                    evidence=list(v.evidence),
                    confidence=v.confidence,
                )
        return graph

    def depth(self) -> int:
        """Longest path (in edges) through confirmed dependencies."""
        graph = self.graph()
        if not nx.is_directed_acyclic_graph(graph):
            graph = nx.condensation(graph)
        return nx.dag_longest_path_length(graph) if graph.number_of_nodes() else 0

    def to_json(self, stamp: dict[str, Any] | None = None) -> str:
        """Sorted JSON; `stamp` (compiler version, spec hash) goes under `x-envc`."""
        data: dict[str, Any] = {"x-envc": stamp} if stamp else {}
        data |= {
            "operations": sorted(self.operations),
            "edges": [
                {
                    "producer": v.producer,
                    "consumer": v.consumer,
                    "confirmed": v.confirmed,
                    "reason": v.reason,
                    "outcome": v.outcome,
                    "evidence": sorted(v.evidence),
                    "confidence": round(v.confidence, 3),
                    "bindings": sorted(
                        v.bindings, key=lambda b: json.dumps(b, sort_keys=True)
                    ),
                }
                | (
                    {
                        "rejected": sorted(
                            v.rejected, key=lambda b: json.dumps(b, sort_keys=True)
                        )
                    }
                    if v.rejected
                    else {}
                )
                for v in sorted(self.verdicts, key=lambda v: (v.producer, v.consumer))
            ],
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "VerifiedDAG":
        data = json.loads(text)
        verdicts = tuple(
            EdgeVerdict(
                producer=e["producer"],
                consumer=e["consumer"],
                bindings=tuple(e["bindings"]),
                confirmed=e["confirmed"],
                reason=e["reason"],
                evidence=tuple(e["evidence"]),
                confidence=e["confidence"],
                rejected=tuple(e.get("rejected", ())),
                outcome=e.get("outcome", ""),
            )
            for e in data["edges"]
        )
        return cls(tuple(data["operations"]), verdicts)
