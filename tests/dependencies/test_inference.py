"""Stage 2: `DependencyInferencer` on the bundled specs and on small inline fixtures.

The default (`STRICT`) policy is precision first: only identifiers of items the
producer answers count. `DOCUMENTED` follows the hand-labelling policy of
ground_truth/README.md; the last test prints both against the labels.
"""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path

import networkx as nx
import pytest
import yaml

from envfactory_compiler.dependency_inference import (
    DOCUMENTED,
    STRICT,
    DependencyInferencer,
    Policy,
    unresolved_id_parameters,
)
from envfactory_compiler.diagnostics import Level
from envfactory_compiler.schema_ingestion import SchemaLoader

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
GROUND_TRUTH = Path(__file__).resolve().parent / "ground_truth"
EVIDENCE = {"link", "path-nesting", "schema-ref", "name-type"}


@cache
def load(name: str):
    return SchemaLoader().load(str(SPECS / name))


@cache
def graph(name: str, policy: Policy = STRICT) -> nx.DiGraph:
    spec = load(name)
    return DependencyInferencer(spec.document, policy=policy).infer(spec.endpoints)


def binding(g: nx.DiGraph, producer: str, consumer: str, name: str) -> dict | None:
    if not g.has_edge(producer, consumer):
        return None
    return next(
        (b for b in g.edges[producer, consumer]["bindings"] if b["name"] == name), None
    )


def infer_file(
    tmp_path: Path, document: dict
) -> tuple[nx.DiGraph, DependencyInferencer, object]:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    spec = SchemaLoader().load(str(path))
    inferencer = DependencyInferencer(spec.document)
    return inferencer.infer(spec.endpoints), inferencer, spec


# -- the bundled specs ------------------------------------------------------


def test_petstore_create_feeds_show_by_id():
    found = binding(graph("petstore.yaml"), "createPets", "showPetById", "petId")
    assert found is not None
    assert (found["source"], found["in"]) == ("/id", "path")
    assert "path-nesting" in found["evidence"]
    assert (
        binding(graph("petstore.yaml"), "listPets", "showPetById", "petId")["source"]
        == "/0/id"
    )


@pytest.mark.parametrize(
    "consumer", ["getPetById", "updatePetWithForm", "deletePet", "uploadFile"]
)
def test_petstore_v3_add_pet_feeds_pet_operations(consumer):
    found = binding(graph("swagger-petstore-v3.yaml"), "addPet", consumer, "petId")
    assert found is not None and found["source"] == "/id" and found["in"] == "path"
    assert found["confidence"] >= 0.8


def test_petstore_v3_users_and_orders():
    g = graph("swagger-petstore-v3.yaml")
    assert (
        binding(g, "createUser", "getUserByName", "username")["source"] == "/username"
    )
    for consumer in ("getOrderById", "deleteOrder"):
        assert binding(g, "placeOrder", consumer, "orderId")["source"] == "/id"


def test_petstore_v3_order_body_references_a_pet():
    found = binding(graph("swagger-petstore-v3.yaml"), "addPet", "placeOrder", "petId")
    assert found == {
        "source": "/id",
        "in": "body",
        "name": "petId",
        "field": "/petId",
        "evidence": found["evidence"],
        "confidence": found["confidence"],
    }
    assert {"name-type", "schema-ref"} <= set(found["evidence"])


def test_petstore_v3_ids_never_cross_kinds():
    g = graph("swagger-petstore-v3.yaml")
    assert not g.has_edge("addPet", "getOrderById")
    assert not g.has_edge(
        "placeOrder", "getPetById"
    )  # Order.petId is an echo, not a made pet
    for producer, consumer, data in g.edges(data=True):
        for b in data["bindings"]:
            if b["name"] == "orderId":
                assert g.nodes[producer]["resource"] == "order", (producer, consumer)


def test_petstore_v3_credentials_and_filters_are_not_consumers():
    g = graph("swagger-petstore-v3.yaml")
    names = {(c, b["name"]) for _, c, d in g.edges(data=True) for b in d["bindings"]}
    assert ("loginUser", "username") not in names  # next to a password: a credential
    assert ("deletePet", "api_key") not in names
    assert ("findPetsByStatus", "status") not in names


def test_link_example_links_become_edges():
    g = graph("link-example.yaml")
    expected = {
        ("getUserByName", "getRepositoriesByOwner", "username", "/username"),
        (
            "getRepositoriesByOwner",
            "getRepository",
            "username",
            "/0/owner/username",
        ),  # array answer: /0
        ("getRepositoriesByOwner", "getRepository", "slug", "/0/slug"),
        ("getRepository", "getPullRequestsByRepository", "username", "/owner/username"),
        ("getRepository", "getPullRequestsByRepository", "slug", "/slug"),
        ("getPullRequestsById", "mergePullRequest", "username", "/author/username"),
        ("getPullRequestsById", "mergePullRequest", "slug", "/repository/slug"),
        ("getPullRequestsById", "mergePullRequest", "pid", "/id"),
    }
    for producer, consumer, name, source in sorted(expected):
        found = binding(g, producer, consumer, name)
        assert found is not None, (producer, consumer, name)
        assert "link" in found["evidence"] and found["confidence"] == 1.0
        assert found["source"] == source
        assert "link" in g.edges[producer, consumer]["evidence"]


def test_bookstore_nested_and_action_producers():
    g = graph("bookstore.yaml")
    author = binding(g, "create_author", "create_author_book", "authorId")
    assert author["source"] == "/id" and "path-nesting" in author["evidence"]
    loan = binding(g, "checkout_book", "get_loan", "loanId")
    assert (
        loan["source"] == "/id"
        and "link" in loan["evidence"]
        and loan["confidence"] == 1.0
    )
    assert (
        binding(g, "list_authors", "get_author", "authorId")["source"] == "/data/0/id"
    )
    assert (
        binding(g, "search_books", "get_author_book", "bookId")["source"]
        == "/data/0/id"
    )
    assert binding(g, "create_author", "search_books", "author_id")["in"] == "query"
    # integer author ids never feed integer loan ids, nor uuid book ids
    assert not g.has_edge("create_author", "get_loan")
    assert binding(g, "create_author", "get_author_book", "bookId") is None
    names = {b["name"] for _, _, d in g.edges(data=True) for b in d["bindings"]}
    assert not names & {"limit", "offset", "genre"}


def test_every_graph_is_well_formed():
    for path in sorted(SPECS.glob("*.yaml")):
        spec = load(path.name)
        g = graph(path.name)
        assert list(g.nodes) == sorted(e.name for e in spec.endpoints)
        for endpoint in spec.endpoints:
            node = g.nodes[endpoint.name]
            assert (node["method"], node["path"], node["role"], node["resource"]) == (
                endpoint.method,
                endpoint.path,
                endpoint.role.value,
                endpoint.resource,
            )
        assert list(g.edges) == sorted(g.edges)
        for producer, consumer, data in g.edges(data=True):
            assert producer != consumer
            bindings = data["bindings"]
            assert bindings and data["confidence"] == max(
                b["confidence"] for b in bindings
            )
            assert data["evidence"] == sorted(
                {e for b in bindings for e in b["evidence"]}
            )
            for b in bindings:
                assert set(b["evidence"]) <= EVIDENCE and b["evidence"] == sorted(
                    b["evidence"]
                )
                assert 0.0 < b["confidence"] <= 1.0
                assert ("field" in b) == (b["in"] == "body")


def test_unresolved_id_parameters():
    assert (
        unresolved_id_parameters(
            graph("petstore.yaml"), load("petstore.yaml").endpoints
        )
        == []
    )
    assert (
        unresolved_id_parameters(
            graph("bookstore.yaml"), load("bookstore.yaml").endpoints
        )
        == []
    )
    link = unresolved_id_parameters(
        graph("link-example.yaml"), load("link-example.yaml").endpoints
    )
    assert link == [
        ("getUserByName", "username")
    ]  # only embedded users name users: STRICT ignores them


def test_inference_is_deterministic():
    for name in (
        "swagger-petstore-v3.yaml",
        "bookstore.yaml",
        "link-example.yaml",
        "netlify.yaml",
    ):
        spec = load(name)
        first = DependencyInferencer(spec.document).infer(spec.endpoints)
        second = DependencyInferencer(spec.document).infer(spec.endpoints)
        assert list(first.nodes(data=True)) == list(second.nodes(data=True))
        assert list(first.edges(data=True)) == list(second.edges(data=True))
        assert json.dumps(nx.node_link_data(first), sort_keys=False) == json.dumps(
            nx.node_link_data(second), sort_keys=False
        )


# -- links: broken ones, operationRef, x-envc-links ----------------------------


def _linked_spec(links: dict, extension: dict | None = None) -> dict:
    created: dict = {
        "description": "created",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
        },
    }
    if links:
        created["links"] = links
    if extension:
        created["x-envc-links"] = extension
    return {
        "openapi": "3.0.3",
        "info": {"title": "Links", "version": "1"},
        "paths": {
            "/things": {
                "post": {"operationId": "makeThing", "responses": {"201": created}}
            },
            "/things/{thingId}": {
                "get": {
                    "operationId": "readThing",
                    "parameters": [
                        {
                            "name": "thingId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            },
            "/audit": {
                "get": {
                    "operationId": "audit",
                    "parameters": [
                        {"name": "ref", "in": "query", "schema": {"type": "integer"}}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "label": {"type": "string"},
                    },
                }
            }
        },
    }


def test_link_to_a_missing_operation_warns_and_inference_goes_on(tmp_path):
    g, inferencer, _ = infer_file(
        tmp_path,
        _linked_spec(
            {
                "Gone": {
                    "operationId": "noSuchOperation",
                    "parameters": {"thingId": "$response.body#/id"},
                },
                "BadParam": {
                    "operationId": "readThing",
                    "parameters": {"nope": "$response.body#/id"},
                },
            }
        ),
    )
    pointers = sorted(w.pointer for w in inferencer.warnings)
    assert pointers == [
        "/paths/~1things/post/responses/201/links/BadParam/parameters/nope",
        "/paths/~1things/post/responses/201/links/Gone",
    ]
    assert all(
        w.level is Level.WARNING and w.message and w.hint for w in inferencer.warnings
    )
    assert "noSuchOperation" in next(
        w.message for w in inferencer.warnings if w.pointer.endswith("Gone")
    )
    found = binding(g, "makeThing", "readThing", "thingId")  # inferred all the same
    assert found is not None and "link" not in found["evidence"]


def test_operation_ref_and_vendor_links(tmp_path):
    g, inferencer, _ = infer_file(
        tmp_path,
        _linked_spec(
            {
                "Read": {
                    "operationRef": "#/paths/~1things~1{thingId}/get",
                    "parameters": {"path.thingId": "$response.body#/id"},
                }
            },
            {
                "Audit": {
                    "operationId": "audit",
                    "parameters": {"ref": "$response.body#/id", "constant": 3},
                }
            },
        ),
    )
    assert inferencer.warnings == []
    read = binding(g, "makeThing", "readThing", "thingId")
    assert {"link", "path-nesting"} <= set(read["evidence"]) and read[
        "confidence"
    ] == 1.0
    audit = binding(
        g, "makeThing", "audit", "ref"
    )  # `ref` is no id-like name: only the link says so
    assert audit == {
        "source": "/id",
        "in": "query",
        "name": "ref",
        "evidence": ["link"],
        "confidence": 1.0,
    }


def test_request_expressions_are_kept_verbatim(tmp_path):
    g, _, _ = infer_file(
        tmp_path,
        _linked_spec(
            {
                "Audit": {
                    "operationId": "audit",
                    "parameters": {"ref": "$request.path.id"},
                }
            }
        ),
    )
    assert binding(g, "makeThing", "audit", "ref")["source"] == "$request.path.id"


# -- policy ----------------------------------------------------------------------


def test_documented_policy_counts_references_and_ignores_bodiless_creates():
    g = graph("swagger-petstore-v3.yaml", DOCUMENTED)
    assert binding(g, "placeOrder", "getPetById", "petId")["source"] == "/petId"
    assert not g.has_edge("addPet", "getOrderById")
    assert not graph("petstore.yaml", DOCUMENTED).has_edge("createPets", "showPetById")
    orbit = graph("orbit-love.yaml", DOCUMENTED)  # documented by examples only
    assert (
        binding(orbit, "get__workspaces", "get__workspace_id_members", "workspace_id")[
            "source"
        ]
        == "/data/0/id"
    )
    assert graph("orbit-love.yaml").number_of_edges() < orbit.number_of_edges()


# -- performance ---------------------------------------------------------------


def _large_spec(families: int) -> dict:
    """`families` CRUD families of 9 operations each, every one under its own prefix and schema
    (the nouns differ only by digits, so only structure keeps the families apart)."""
    paths: dict = {}
    schemas: dict = {}
    for i in range(families):
        noun, schema = f"thing{i}", f"Thing{i}"
        ref = {"$ref": f"#/components/schemas/{schema}"}
        ok = {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": ref}},
            }
        }
        many = {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"data": {"type": "array", "items": ref}},
                        }
                    }
                },
            }
        }
        item = {
            "name": f"{noun}Id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer"},
        }
        body = {"content": {"application/json": {"schema": ref}}}
        paths[f"/v{i}/{noun}s"] = {
            "get": {"operationId": f"list{i}", "responses": many},
            "post": {"operationId": f"create{i}", "requestBody": body, "responses": ok},
        }
        paths[f"/v{i}/{noun}s/search"] = {
            "get": {"operationId": f"search{i}", "responses": many}
        }
        paths[f"/v{i}/{noun}s/{{{noun}Id}}"] = {
            "parameters": [item],
            "get": {"operationId": f"get{i}", "responses": ok},
            "put": {"operationId": f"replace{i}", "requestBody": body, "responses": ok},
            "patch": {
                "operationId": f"update{i}",
                "requestBody": body,
                "responses": ok,
            },
            "delete": {
                "operationId": f"delete{i}",
                "responses": {"204": {"description": "gone"}},
            },
        }
        paths[f"/v{i}/{noun}s/{{{noun}Id}}/archive"] = {
            "parameters": [item],
            "post": {"operationId": f"archive{i}", "responses": ok},
        }
        paths[f"/v{i}/{noun}s/{{{noun}Id}}/history"] = {
            "parameters": [item],
            "get": {"operationId": f"history{i}", "responses": many},
        }
        schemas[schema] = {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "readOnly": True},
                "name": {"type": "string"},
                f"parent{i}Id": {"type": "integer"},
            },
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Large", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def test_a_225_operation_spec_infers_well_under_a_second(tmp_path):
    path = tmp_path / "large.yaml"
    path.write_text(yaml.safe_dump(_large_spec(25), sort_keys=False), encoding="utf-8")
    spec = SchemaLoader().load(str(path))
    assert len(spec.endpoints) == 225
    for policy in (STRICT, DOCUMENTED):
        started = time.perf_counter()
        g = DependencyInferencer(spec.document, policy=policy).infer(spec.endpoints)
        assert time.perf_counter() - started < 0.5
        assert g.number_of_edges() > 0
        assert all(
            g.nodes[p]["path"].split("/")[1] == g.nodes[c]["path"].split("/")[1]
            for p, c in g.edges
        )


# -- against the hand-labelled ground truth (reported, not asserted) ---------------


def _score(labels: dict, policy: Policy) -> tuple[int, int, int]:
    truth = {(e["producer"], e["consumer"], e["parameter"]) for e in labels["edges"]}
    g = graph(labels["spec"], policy)
    mine = {(p, c, b["name"]) for p, c, d in g.edges(data=True) for b in d["bindings"]}
    return len(truth & mine), len(mine), len(truth)


@pytest.mark.skipif(
    not list(GROUND_TRUTH.glob("*.json")), reason="no ground truth labelled yet"
)
def test_report_against_ground_truth(capsys):
    lines = []
    for policy_name, policy in (("strict", STRICT), ("documented", DOCUMENTED)):
        totals = [0, 0, 0]
        for path in sorted(GROUND_TRUTH.glob("*.json")):
            labels = json.loads(path.read_text(encoding="utf-8"))
            hit, predicted, labelled = _score(labels, policy)
            totals = [t + n for t, n in zip(totals, (hit, predicted, labelled))]
            precision = hit / predicted if predicted else 1.0
            recall = hit / labelled if labelled else 1.0
            lines.append(
                f"{policy_name:10s} {labels['spec']:28s} P={precision:.3f} R={recall:.3f} ({hit}/{predicted} of {labelled})"
            )
        lines.append(
            f"{policy_name:10s} {'all (micro)':28s} P={totals[0] / max(totals[1], 1):.3f} R={totals[0] / max(totals[2], 1):.3f}"
        )
    with capsys.disabled():
        print(
            "\ndependency inference vs ground truth (edge = producer, consumer, parameter):"
        )
        print("\n".join(lines))
