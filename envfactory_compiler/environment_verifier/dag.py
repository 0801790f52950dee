"""`VerifiedDAG`: the inferred dependency graph with each edge's verdict.

Written into every package as `dag.json` (sorted keys, sorted edges, one
edge per line, unconfirmed ones grouped by reason), so the same spec always
gives the same bytes and a diff shows exactly which dependency changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from envfactory_runtime.sampling.dependencies import dag_edges

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
        """Sorted JSON, one edge per line; `stamp` (compiler version, spec hash)
        goes under `x-envc`. Confirmed edges are listed one by one, the rest
        grouped by their reason (most of netlify's 1,370 unconfirmed edges share
        a handful): a diff still shows exactly which dependency changed."""
        ordered = sorted(self.verdicts, key=lambda v: (v.producer, v.consumer))
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for v in ordered:
            if not v.confirmed:
                groups.setdefault((v.reason, v.outcome), []).append(_edge(v))
        data: dict[str, Any] = {"x-envc": stamp} if stamp else {}
        data |= {
            "operations": sorted(self.operations),
            "edges": [
                _edge(v) | {"confirmed": True, "reason": v.reason, "outcome": v.outcome}
                for v in ordered
                if v.confirmed
            ],
            "unconfirmed": [
                {"reason": reason, "outcome": outcome, "edges": edges}
                for (reason, outcome), edges in sorted(groups.items())
            ],
        }
        return _lines(data) + "\n"

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
            for e in dag_edges(data)
        )
        return cls(tuple(data["operations"]), verdicts)


def _edge(v: EdgeVerdict) -> dict[str, Any]:
    def ordered(bindings: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
        return sorted(bindings, key=lambda b: json.dumps(b, sort_keys=True))

    edge = {
        "producer": v.producer,
        "consumer": v.consumer,
        "evidence": sorted(v.evidence),
        "confidence": round(v.confidence, 3),
        "bindings": ordered(v.bindings),
    }
    return edge | ({"rejected": ordered(v.rejected)} if v.rejected else {})


def _lines(data: dict[str, Any]) -> str:
    """`data` as JSON with sorted keys, each edge a compact line of its own."""

    def compact(value: Any) -> str:
        return json.dumps(
            value, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )

    def edges(items: list[dict[str, Any]], indent: str) -> str:
        rows = ",\n".join(indent + compact(e) for e in items)
        return f"[\n{rows}\n{indent[:-2]}]" if items else "[]"

    parts = []
    for key in sorted(data):
        value = data[key]
        if key == "edges":
            text = edges(value, "    ")
        elif key == "unconfirmed":
            groups = [
                "    {"
                + f'"edges": {edges(g["edges"], "      ")}, '
                + f'"outcome": {compact(g["outcome"])}, "reason": {compact(g["reason"])}'
                + "}"
                for g in value
            ]
            text = "[\n" + ",\n".join(groups) + "\n  ]" if groups else "[]"
        else:
            text = compact(value)
        parts.append(f"  {compact(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}"
