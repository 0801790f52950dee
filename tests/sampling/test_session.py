"""SessionStateManager: storing answers and resolving parameters from them."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from sampling_helpers import petstore_runtime  # noqa: F401 - fixture


def graph() -> nx.DiGraph:
    dag = nx.DiGraph()
    path = {"in": "path", "name": "petId"}
    dag.add_edge(
        "addPet", "getPet", bindings=[{**path, "source": "/id"}], confirmed=True
    )
    dag.add_edge(
        "listPets", "getPet", bindings=[{**path, "source": "/0/id"}], confirmed=False
    )
    dag.add_edge(
        "addPet",
        "placeOrder",
        bindings=[{"in": "body", "name": "petId", "field": "/petId", "source": "/id"}],
        confirmed=False,
    )
    return dag


def test_store_get_has_all_values(petstore_runtime) -> None:
    session = petstore_runtime.SessionStateManager()
    assert not session.has("addPet", "/id")
    session.store("addPet", "/id", 1)
    session.store("addPet", "/id", 2)
    assert session.has("addPet", "/id") and session.get("addPet", "/id") == 2
    assert session.all_values() == {("addPet", "/id"): 2}
    with pytest.raises(KeyError):
        session.get("listPets", "/0/id")


def test_confirmed_producers_win_over_unconfirmed(petstore_runtime) -> None:
    session = petstore_runtime.SessionStateManager()
    session.store("listPets", "/0/id", 7)
    assert session.resolve_params("getPet", graph()) == {
        ("path", "petId"): 7
    }  # fallback
    session.record("addPet", {"id": 3, "name": "Rex"}, graph(), {})
    assert session.resolve_params("getPet", graph()) == {("path", "petId"): 3}
    assert session.resolve_params("getPet", graph(), random.Random(0)) == {
        ("path", "petId"): 3
    }


def test_unresolvable_names_parameter_and_producers(petstore_runtime) -> None:
    session = petstore_runtime.SessionStateManager()
    with pytest.raises(petstore_runtime.UnresolvableParameterError) as caught:
        session.resolve_params("getPet", graph())
    assert caught.value.parameter == ("path", "petId")
    assert caught.value.producers == ("addPet", "listPets")
    assert "petId" in str(caught.value) and "addPet, listPets" in str(caught.value)
    assert not session.resolvable("getPet", graph())


def test_optional_bindings_are_left_out_not_invented(petstore_runtime) -> None:
    session = petstore_runtime.SessionStateManager()
    assert session.resolve_params("placeOrder", graph()) == {}
    session.store("addPet", "/id", 5)
    assert session.resolve_params("placeOrder", graph()) == {("body", "/petId"): 5}


def test_nested_ids_come_from_the_same_parent(petstore_runtime) -> None:
    dag = nx.DiGraph()
    dag.add_edge(
        "createUser",
        "getOrder",
        bindings=[{"in": "path", "name": "userId", "source": "/id"}],
        confirmed=True,
    )
    dag.add_edge(
        "createOrder",
        "getOrder",
        bindings=[{"in": "path", "name": "orderId", "source": "/id"}],
        confirmed=True,
    )
    session = petstore_runtime.SessionStateManager()
    session.store("createUser", "/id", "u1")
    session.store("createOrder", "/id", "o1", scope={"userId": "u1"})
    session.store("createUser", "/id", "u2")
    for seed in range(5):
        resolved = session.resolve_params("getOrder", dag, random.Random(seed))
        assert resolved == {("path", "orderId"): "o1", ("path", "userId"): "u1"}


def test_forget_and_fork(petstore_runtime) -> None:
    session = petstore_runtime.SessionStateManager()
    session.store("addPet", "/id", 4)
    branch = session.fork()
    branch.forget("4")
    assert session.has("addPet", "/id") and not branch.has("addPet", "/id")


def test_item_ids_made_under_their_parents_win_and_bring_them(petstore_runtime) -> None:
    """An activity listed under its member beats one listed for the workspace, and an
    unbound path parameter (`kind`) takes the value the item was made under."""
    from types import SimpleNamespace

    dag = nx.DiGraph()
    item = {"in": "path", "name": "id"}
    dag.add_edge(
        "listAll",
        "putActivity",
        bindings=[{**item, "source": "/0/id"}],
        confirmed=False,
    )
    dag.add_edge(
        "listOfMember",
        "putActivity",
        bindings=[{**item, "source": "/0/id"}],
        confirmed=False,
    )
    dag.add_edge(
        "listMembers",
        "putActivity",
        bindings=[{"in": "path", "name": "member_id", "source": "/0/id"}],
        confirmed=True,
    )
    params = [
        SimpleNamespace(name=n, location="path", required=True)
        for n in ("member_id", "kind", "id")
    ]
    op = SimpleNamespace(
        name="putActivity",
        params=params,
        path="/members/{member_id}/{kind}/activities/{id}",
    )
    session = petstore_runtime.SessionStateManager()
    session.store("listMembers", "/0/id", "m2")
    session.store("listAll", "/0/id", "a9")
    session.store("listOfMember", "/0/id", "a1", scope={"member_id": "m1", "kind": "x"})
    for seed in range(5):
        assert session.resolve_params(op, dag, random.Random(seed)) == {
            ("path", "id"): "a1",
            ("path", "member_id"): "m1",
            ("path", "kind"): "x",
        }
    first = {
        ("path", "id"): frozenset(
            s
            for t in session.targets(op, dag)
            for s in t.sources
            if s.producer == "listAll"
        )
    }
    assert session.resolve_params(op, dag, prefer=first)[("path", "id")] == "a9"
