"""The package's VerifiedDAG (`dag.json`) as a networkx graph.

Every inferred edge is kept, with its verdict in the `confirmed` attribute:
the session resolver prefers confirmed producers and falls back on
unconfirmed ones, so a dependency the verifier could not prove still
beats an invented value. `depth` counts confirmed edges only, as the
compiler's `VerifiedDAG.depth` does.
"""

from __future__ import annotations

import json
from importlib import resources

import networkx as nx

DAG_FILE = "dag.json"


def load_dag(package: str | None = None) -> nx.DiGraph:
    """The dependency graph of this package (or of the named one)."""
    text = (
        resources.files(package or __package__)
        .joinpath(DAG_FILE)
        .read_text(encoding="utf-8")
    )
    return dag_from_json(json.loads(text))


def dag_from_json(data: dict) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(data["operations"])
    for edge in data["edges"]:
        graph.add_edge(
            edge["producer"],
            edge["consumer"],
            bindings=list(edge["bindings"]),
            confirmed=bool(edge["confirmed"]),
            reason=edge.get("reason", ""),
        )
    return graph


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
