"""The package's VerifiedDAG (`dag.json`) as a networkx graph.

Every inferred edge is kept, with its verdict in the `confirmed` attribute:
the session resolver prefers confirmed producers and falls back on
unconfirmed ones, so a dependency the verifier could not prove still
beats an invented value. `depth` counts confirmed edges only, as the
compiler's `VerifiedDAG.depth` does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources

import networkx as nx

DAG_FILE = "dag.json"


def load_dag(package: str) -> nx.DiGraph:
    """The dependency graph of the named package."""
    text = resources.files(package).joinpath(DAG_FILE).read_text(encoding="utf-8")
    return dag_from_json(json.loads(text))


def dag_edges(data: dict) -> list[dict]:
    """Every edge of a dag.json with its verdict (`confirmed`, `reason`,
    `outcome`): format 2 lists the confirmed ones and groups the rest under
    `unconfirmed` by reason; format 1 listed them all under `edges`."""
    edges = [{"confirmed": True, **edge} for edge in data["edges"]]
    for group in data.get("unconfirmed", ()):
        verdict = {"reason": group["reason"], "outcome": group["outcome"]}
        edges += [{**edge, "confirmed": False, **verdict} for edge in group["edges"]]
    return edges


def dag_from_json(data: dict) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(data["operations"])
    for edge in dag_edges(data):
        graph.add_edge(
            edge["producer"],
            edge["consumer"],
            bindings=list(edge["bindings"]),
            confirmed=bool(edge["confirmed"]),
            reason=edge.get("reason", ""),
            outcome=edge.get("outcome", ""),
        )
    return graph


def refuted(data: dict) -> bool:
    """Whether the verifier ran the edge and the consumer refused the value the
    producer answered: the binding names another kind of item."""
    return data.get("outcome") == "consumer_refused"


def untested(data: dict) -> bool:
    """Whether the verifier never got to call the consumer (the producer failed,
    or its answer lacked the value)."""
    return data.get("outcome") in ("producer_failed", "nothing_at_source")


def without_refuted(graph: nx.DiGraph, keep: Callable[[str, str], bool]) -> nx.DiGraph:
    """`graph` less the bindings of a path parameter whose edges, where the
    verifier could run them, were all refuted (`keep(consumer, parameter)`
    says which to keep anyway): a copy, or `graph` itself when nothing goes.
    A task's seeded items then name what such a call works on."""
    verdicts: dict[tuple[str, str], list[dict]] = {}
    for _, consumer, data in graph.edges(data=True):
        for binding in data.get("bindings") or ():
            if binding.get("in", "path") == "path":
                verdicts.setdefault((consumer, binding["name"]), []).append(data)
    dropped = {
        key
        for key, found in verdicts.items()
        if any(refuted(d) for d in found)
        and all(refuted(d) or untested(d) for d in found)
        and not keep(*key)
    }
    if not dropped:
        return graph
    copy = graph.copy()
    for producer, consumer, data in graph.edges(data=True):
        bindings = [
            b
            for b in data.get("bindings") or ()
            if not (b.get("in", "path") == "path" and (consumer, b["name"]) in dropped)
        ]
        if not bindings:
            copy.remove_edge(producer, consumer)
        elif len(bindings) < len(data.get("bindings") or ()):
            copy.edges[producer, consumer]["bindings"] = bindings
    return copy


def depth(graph: nx.DiGraph) -> int:
    """Longest path, in edges, through confirmed dependencies (cycles condensed)."""
    confirmed = nx.DiGraph()
    confirmed.add_nodes_from(graph.nodes)
    confirmed.add_edges_from(
        (u, v) for u, v, data in graph.edges(data=True) if data.get("confirmed")
    )
    if not nx.is_directed_acyclic_graph(confirmed):
        confirmed = nx.condensation(confirmed)
    if not confirmed.number_of_nodes():
        return 0
    return nx.dag_longest_path_length(confirmed)
