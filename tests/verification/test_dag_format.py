"""dag.json, data format 2: confirmed edges one per line, unconfirmed ones
grouped by reason; lossless, deterministic, and still readable as format 1."""

from __future__ import annotations

import json

import networkx as nx

from envfactory_compiler.environment_verifier.dag import VerifiedDAG
from envfactory_runtime.sampling.dependencies import dag_edges, dag_from_json

from conftest import GENERATED

NETLIFY = GENERATED / "netlify_env" / "netlify_env" / "dag.json"


def test_the_written_dag_reads_back_to_the_same_bytes() -> None:
    text = NETLIFY.read_text(encoding="utf-8")
    data = json.loads(text)
    assert VerifiedDAG.from_json(text).to_json(data["x-envc"]) == text
    assert all(e["confirmed"] for e in data["edges"])
    reasons = [(g["reason"], g["outcome"]) for g in data["unconfirmed"]]
    assert reasons == sorted(set(reasons))  # one group per reason, in order
    # each edge is a line of its own: a diff names the dependency that changed
    edges = len(dag_edges(data))
    assert text.count('{"bindings":') == edges and edges > 2000


def test_a_format_1_dag_gives_the_same_graph() -> None:
    data = json.loads(NETLIFY.read_text(encoding="utf-8"))
    old = {"operations": data["operations"], "edges": dag_edges(data)}  # format 1
    assert dag_edges(old) == dag_edges(data)
    first, second = dag_from_json(old), dag_from_json(data)
    assert nx.utils.graphs_equal(first, second)
