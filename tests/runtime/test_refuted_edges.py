"""envfactory_runtime.sampling.dependencies: path bindings that only refuted edges make are dropped
where a seeded item can name the item instead (the sampler does this when run with fixtures).
"""

from __future__ import annotations

import networkx as nx
import pytest

REFUTED = {
    "reason": "consumer answered 404 to the produced value",
    "outcome": "consumer_refused",
}


@pytest.fixture(scope="module")
def dependencies():
    from envfactory_runtime.sampling import dependencies

    return dependencies


def _path(name: str, source: str) -> dict:
    return {"in": "path", "name": name, "source": source}


def graph() -> nx.DiGraph:
    dag = nx.DiGraph()
    # `username` of an organization: users' usernames were tried and refused, one producer never ran
    dag.add_edge(
        "getUser",
        "getOrg",
        bindings=[_path("username", "/username")],
        confirmed=False,
        **REFUTED,
    )
    dag.add_edge(
        "getOrgUsers",
        "getOrg",
        bindings=[_path("username", "/0/username")],
        confirmed=False,
        reason="producer getOrgUsers answered 404",
        outcome="producer_failed",
    )
    # `petId`: one refusal, but another producer's value was accepted (no foreign-value refusal)
    dag.add_edge(
        "getUser",
        "getPet",
        bindings=[_path("petId", "/id")],
        confirmed=False,
        **REFUTED,
    )
    dag.add_edge(
        "addPet",
        "getPet",
        bindings=[_path("petId", "/id")],
        confirmed=False,
        reason="consumer answered 200 to a value no producer made",
        outcome="not_selective",
    )
    # both a path and a body binding on one refuted edge: the body binding stays
    dag.add_edge(
        "getUser",
        "editOrg",
        bindings=[
            _path("username", "/username"),
            {"in": "body", "name": "owner", "source": "/id"},
        ],
        confirmed=False,
        **REFUTED,
    )
    return dag


def test_only_refuted_or_untested_path_bindings_go(dependencies) -> None:
    dag = graph()
    kept = dependencies.without_refuted(dag, lambda consumer, param: False)
    assert kept is not dag and set(dag.edges) == set(
        graph().edges
    )  # the original is left alone
    assert not kept.has_edge("getUser", "getOrg") and not kept.has_edge(
        "getOrgUsers", "getOrg"
    )
    assert kept.has_edge("getUser", "getPet") and kept.has_edge("addPet", "getPet")
    assert kept.edges["getUser", "editOrg"]["bindings"] == [
        {"in": "body", "name": "owner", "source": "/id"}
    ]


def test_what_no_seeded_item_can_name_is_kept(dependencies) -> None:
    dag = graph()
    assert dependencies.without_refuted(dag, lambda consumer, param: True) is dag
    kept = dependencies.without_refuted(
        dag, lambda consumer, param: consumer == "getOrg"
    )
    assert (
        kept.has_edge("getUser", "getOrg")
        and not kept.edges["getUser", "editOrg"]["bindings"][0]["in"] == "path"
    )
