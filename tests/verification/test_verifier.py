"""EnvironmentVerifier: true edges are confirmed by execution, false ones never are."""

from __future__ import annotations

import json
import sys

import networkx as nx
import pytest

from conftest import GENERATED, SPECS
from envfactory_compiler import SchemaLoader
from envfactory_compiler.environment_verifier import EnvironmentVerifier, VerifiedDAG


def _binding(name: str, source: str = "/id") -> dict:
    return {
        "source": source,
        "in": "path",
        "name": name,
        "evidence": ["test"],
        "confidence": 0.9,
    }


def _graph(spec, edges) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(e.name for e in spec.endpoints)
    for producer, consumer, binding in edges:
        graph.add_edge(
            producer, consumer, bindings=[binding], evidence=["test"], confidence=0.9
        )
    return graph


@pytest.fixture(scope="module")
def petstore():
    return SchemaLoader().load(str(SPECS / "swagger-petstore-v3.yaml"))


PET_ID_IN_BODY = {
    "source": "/id",
    "in": "body",
    "name": "petId",
    "field": "/petId",
    "evidence": ["test"],
    "confidence": 0.9,
}
PETSTORE_EDGES = [
    ("addPet", "placeOrder", PET_ID_IN_BODY),  # an order needs a pet that exists
    ("addPet", "getPetById", _binding("petId")),
    ("addPet", "deletePet", _binding("petId")),
    ("createUser", "getUserByName", _binding("username", "/username")),
    ("placeOrder", "getOrderById", _binding("orderId")),
    (
        "placeOrder",
        "getPetById",
        _binding("petId"),
    ),  # false: an order's id is no pet's id
    ("addPet", "getOrderById", _binding("orderId")),  # false
]


def test_petstore_edges_are_confirmed_and_unrelated_ones_are_not(petstore) -> None:
    verifier = EnvironmentVerifier.in_process(
        GENERATED / "swagger_petstore_v3_env" / "swagger_petstore_v3_env"
    )
    dag = verifier.verify(petstore, _graph(petstore, PETSTORE_EDGES))
    assert sorted(dag.confirmed_edges()) == [
        ("addPet", "deletePet"),
        ("addPet", "getPetById"),
        ("addPet", "placeOrder"),
        ("createUser", "getUserByName"),
        ("placeOrder", "getOrderById"),
    ]
    assert sorted(dag.unconfirmed_edges()) == [
        ("addPet", "getOrderById"),
        ("placeOrder", "getPetById"),
    ]
    assert "404" in dag.reasons()[("placeOrder", "getPetById")]


def test_body_reference_edges_are_confirmed_and_wrong_kinds_are_not(petstore) -> None:
    edges = [
        ("addPet", "placeOrder", PET_ID_IN_BODY),
        (
            "createUser",
            "placeOrder",
            PET_ID_IN_BODY,
        ),  # false: a user's id is no pet's id
        (
            "placeOrder",
            "deletePet",
            _binding("petId", "/petId"),
        ),  # an order names its pet
    ]
    verifier = EnvironmentVerifier.in_process(
        GENERATED / "swagger_petstore_v3_env" / "swagger_petstore_v3_env"
    )
    dag = verifier.verify(petstore, _graph(petstore, edges))
    assert sorted(dag.confirmed_edges()) == [
        ("addPet", "placeOrder"),
        ("placeOrder", "deletePet"),
    ], dag.reasons()


def test_seeded_items_stand_in_where_nothing_produces_an_id() -> None:
    spec = SchemaLoader().load(str(SPECS / "swagger-petstore-v2.yaml"))
    edges = [
        ("getUserByName", "updateUser", _binding("username", "/username"))
    ]  # no operation answers a username first
    dag = EnvironmentVerifier.in_process(
        GENERATED / "swagger_petstore_v2_env" / "swagger_petstore_v2_env"
    ).verify(spec, _graph(spec, edges))
    assert dag.confirmed_edges() == [("getUserByName", "updateUser")], dag.reasons()


def test_nested_prerequisites_are_produced_first() -> None:
    spec = SchemaLoader().load(str(SPECS / "bookstore.yaml"))
    edges = [
        ("create_author", "create_author_book", _binding("authorId")),
        ("create_author_book", "get_author_book", _binding("bookId")),
        ("create_author", "get_author_book", _binding("authorId")),
        ("checkout_book", "get_loan", _binding("loanId")),
    ]
    dag = EnvironmentVerifier.in_process(
        GENERATED / "bookstore_env" / "bookstore_env"
    ).verify(spec, _graph(spec, edges))
    assert len(dag.confirmed_edges()) == 4, dag.reasons()
    assert dag.depth() == 2


def test_dag_json_round_trips_and_is_sorted(petstore) -> None:
    verifier = EnvironmentVerifier.in_process(
        GENERATED / "swagger_petstore_v3_env" / "swagger_petstore_v3_env"
    )
    dag = verifier.verify(petstore, _graph(petstore, list(reversed(PETSTORE_EDGES))))
    text = dag.to_json()
    assert VerifiedDAG.from_json(text).to_json() == text
    again = verifier.verify(petstore, _graph(petstore, PETSTORE_EDGES)).to_json()
    assert again == text


def test_verification_over_http_against_the_served_sandbox(petstore) -> None:
    project = GENERATED / "swagger_petstore_v3_env"
    sys.path.insert(0, str(project))
    try:
        from swagger_petstore_v3_env import SandboxServer
    finally:
        sys.path.remove(str(project))
    with SandboxServer() as server:
        verifier = EnvironmentVerifier.over_http(petstore, server.base_url + "/api/v3")
        dag = verifier.verify(petstore, _graph(petstore, PETSTORE_EDGES))
    assert ("addPet", "getPetById") in dag.confirmed_edges()
    assert ("placeOrder", "getPetById") in dag.unconfirmed_edges()


def test_bindings_that_fail_together_are_tried_alone() -> None:
    spec = SchemaLoader().load(str(SPECS / "bookstore.yaml"))
    edges = [("create_author_book", "get_author_book", _binding("bookId"))]
    graph = _graph(spec, edges)
    graph.edges["create_author_book", "get_author_book"]["bindings"].append(
        _binding("authorId")
    )  # false: a book id
    dag = EnvironmentVerifier.in_process(
        GENERATED / "bookstore_env" / "bookstore_env"
    ).verify(spec, graph)
    (verdict,) = dag.verdicts
    assert verdict.confirmed and [b["name"] for b in verdict.bindings] == ["bookId"]
    assert [b["name"] for b in verdict.rejected] == [
        "authorId"
    ] and "404" in verdict.rejected[0]["reason"]
    assert VerifiedDAG.from_json(dag.to_json()).verdicts == dag.verdicts


SHARED_AUTH_HEADER = """
openapi: 3.0.0
info: {title: Shops, version: '1'}
paths:
  /shops:
    post:
      operationId: createShop
      security: [{oauth2: [SHOPS_WRITE]}]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Shop'}
      responses:
        '200':
          description: made
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Shop'}
  /shops/{shopId}:
    get:
      operationId: getShop
      security: [{session: []}]
      parameters:
        - {name: shopId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the shop
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Shop'}
components:
  securitySchemes:
    clientSecret: {type: apiKey, in: header, name: Authorization}
    oauth2:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://example.com/authorize
          tokenUrl: https://example.com/token
          scopes: {SHOPS_WRITE: write shops}
    session: {type: apiKey, in: cookie, name: sid}
  schemas:
    Shop:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
"""


def test_every_kind_of_credential_reaches_the_verified_calls(tmp_path) -> None:
    """An OAuth2 bearer that shares `Authorization` with an API key declared
    before it (Square's spec: every producer answered 401, 0 of 4,612 edges
    confirmed), and an API key in a cookie: the verifier sends what the
    sandbox accepts, so the edge is confirmed."""
    from conftest import build

    spec = tmp_path / "shops.yaml"
    spec.write_text(SHARED_AUTH_HEADER, encoding="utf-8")
    project = build(spec, tmp_path / "out", "shops")
    dag = json.loads((project / project.name / "dag.json").read_text())
    confirmed = [(e["producer"], e["consumer"]) for e in dag["edges"] if e["confirmed"]]
    assert confirmed == [("createShop", "getShop")], dag["edges"]


def test_candidates_execution_cannot_tell_apart_are_settled_once(petstore) -> None:
    """Two lists that both answer the seeded pet leave the same world and the same
    value: the consumer runs once for both candidates, and both keep its verdict."""
    edges = [
        (lister, "getPetById", _binding("petId", "/0/id"))
        for lister in ("findPetsByStatus", "findPetsByTags")
    ]
    verifier = EnvironmentVerifier.in_process(
        GENERATED / "swagger_petstore_v3_env" / "swagger_petstore_v3_env"
    )
    executed = []
    execute = verifier.executor.execute
    verifier.executor.execute = lambda task, request: (
        executed.append((task, request.operation)) or execute(task, request)
    )
    dag = verifier.verify(petstore, _graph(petstore, edges))
    assert sorted(dag.confirmed_edges()) == [
        ("findPetsByStatus", "getPetById"),
        ("findPetsByTags", "getPetById"),
    ], dag.reasons()
    with_produced_value = [t for t, op in executed if op == "getPetById" and "->" in t]
    assert len(with_produced_value) == 1, executed
