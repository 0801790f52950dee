"""Sandbox semantics, in process, on the committed generated packages."""

from __future__ import annotations

import json
import re

import pytest
from openapi_schema_validator import OAS30ReadValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from conftest import GENERATED, build, import_package


@pytest.fixture(scope="module")
def bookstore():
    return import_package(GENERATED / "bookstore_env")


@pytest.fixture(scope="module")
def petstore():
    return import_package(GENERATED / "swagger_petstore_v3_env")


def _conforms(sandbox, op_name: str, outcome) -> None:
    """The answer validates against the schema its status documents."""
    op = sandbox.engine.operations[op_name]
    key = str(outcome.status) if str(outcome.status) in op.replies else "default"
    reply = op.replies[key]
    if reply.schema is None:
        assert outcome.body is None
        return
    document = sandbox.engine.document
    schema = {"$ref": "#" + reply.schema}
    registry = Registry().with_resource(
        "", Resource(contents=document, specification=DRAFT4)
    )
    OAS30ReadValidator(
        schema,
        registry=registry,
        _resolver=registry.resolver_with_root(
            Resource(contents=document, specification=DRAFT4)
        ),
    ).validate(outcome.body)


CREDENTIALS = {
    "Authorization": "Bearer envc-sandbox-token",
    "api_key": "envc-sandbox-token",
}


def run(package, sandbox, task, name, **call):
    call.setdefault("headers", CREDENTIALS)
    outcome = sandbox.engine.execute(task, package.Call(name, **call))
    _conforms(sandbox, name, outcome)
    return outcome


def test_create_read_update_delete(petstore) -> None:
    sandbox = petstore.load_sandbox(seed=1)
    task = sandbox.store.task("t")
    created = run(
        petstore,
        sandbox,
        task,
        "addPet",
        body={"name": "Rex", "photoUrls": ["a"], "status": "available"},
    )
    assert created.status == 200 and created.body["name"] == "Rex"
    pet_id = created.body["id"]
    read = run(petstore, sandbox, task, "getPetById", path={"petId": str(pet_id)})
    assert read.status == 200 and read.body == created.body
    updated = run(
        petstore,
        sandbox,
        task,
        "updatePetWithForm",
        path={"petId": pet_id},
        query={"name": "Max"},
    )
    assert updated.body["name"] == "Max"
    found = run(
        petstore, sandbox, task, "findPetsByStatus", query={"status": "available"}
    )
    assert [p["id"] for p in found.body] == [pet_id]
    assert (
        run(petstore, sandbox, task, "findPetsByStatus", query={"status": "sold"}).body
        == []
    )
    assert (
        run(petstore, sandbox, task, "deletePet", path={"petId": pet_id}).status == 200
    )
    assert (
        run(petstore, sandbox, task, "getPetById", path={"petId": pet_id}).status == 404
    )


def test_ids_are_unique_across_resource_types(petstore) -> None:
    sandbox = petstore.load_sandbox()
    task = sandbox.store.task("t")
    pet = run(
        petstore, sandbox, task, "addPet", body={"name": "Rex", "photoUrls": []}
    ).body
    order = run(
        petstore, sandbox, task, "placeOrder", body={"petId": pet["id"], "quantity": 1}
    ).body
    assert pet["id"] != order["id"]
    assert (
        run(petstore, sandbox, task, "getOrderById", path={"orderId": pet["id"]}).status
        == 404
    )
    assert (
        run(petstore, sandbox, task, "getPetById", path={"petId": order["id"]}).status
        == 404
    )


def test_tasks_are_isolated(petstore) -> None:
    sandbox = petstore.load_sandbox()
    pet = run(
        petstore,
        sandbox,
        sandbox.store.task("a"),
        "addPet",
        body={"name": "Rex", "photoUrls": []},
    ).body
    assert (
        run(
            petstore,
            sandbox,
            sandbox.store.task("b"),
            "getPetById",
            path={"petId": pet["id"]},
        ).status
        == 404
    )


def test_nested_resources_need_their_parent(bookstore) -> None:
    sandbox = bookstore.load_sandbox()
    task = sandbox.store.task("t")
    book = {
        "title": "The Dispossessed",
        "isbn": "9780061054884",
        "genre": "fiction",
        "publishedYear": 1974,
    }
    assert (
        run(
            bookstore,
            sandbox,
            task,
            "create_author_book",
            path={"authorId": 999},
            body=book,
        ).status
        == 404
    )
    author = run(
        bookstore, sandbox, task, "create_author", body={"name": "Ursula K. Le Guin"}
    ).body
    other = run(
        bookstore, sandbox, task, "create_author", body={"name": "Someone Else"}
    ).body
    created = run(
        bookstore,
        sandbox,
        task,
        "create_author_book",
        path={"authorId": author["id"]},
        body=book,
    )
    assert created.status == 201 and created.body["title"] == book["title"]
    listed = run(
        bookstore, sandbox, task, "list_author_books", path={"authorId": author["id"]}
    )
    assert [b["title"] for b in _items(listed.body)] == ["The Dispossessed"]
    assert (
        _items(
            run(
                bookstore,
                sandbox,
                task,
                "list_author_books",
                path={"authorId": other["id"]},
            ).body
        )
        == []
    )
    path = {"authorId": other["id"], "bookId": created.body["id"]}
    assert run(bookstore, sandbox, task, "get_author_book", path=path).status == 404


def test_nested_items_hold_their_parent_id(bookstore) -> None:
    sandbox = bookstore.load_sandbox()
    task = sandbox.store.task("t")
    author = run(bookstore, sandbox, task, "create_author", body={"name": "Ann"}).body
    book = {
        "title": "T",
        "isbn": "9780061054884",
        "genre": "fiction",
        "publishedYear": 2000,
        "authorId": 424242,
    }
    created = run(
        bookstore,
        sandbox,
        task,
        "create_author_book",
        path={"authorId": author["id"]},
        body=book,
    ).body
    assert created["authorId"] == author["id"]  # the path decides, not the body


def test_body_references_must_name_existing_items(petstore) -> None:
    sandbox = petstore.load_sandbox()
    task = sandbox.store.task("t")
    order = {"petId": 4242, "quantity": 1, "status": "placed"}
    refused = run(petstore, sandbox, task, "placeOrder", body=order)
    assert (
        refused.status == 404
    )  # the answer takes the shape the spec documents (here: none)
    assert task.collection("order") == {}  # nothing stored
    pet = run(
        petstore, sandbox, task, "addPet", body={"name": "Rex", "photoUrls": ["a"]}
    ).body
    placed = run(
        petstore, sandbox, task, "placeOrder", body={**order, "petId": pet["id"]}
    )
    assert placed.status == 200 and placed.body["petId"] == pet["id"]
    assert (
        run(
            petstore,
            sandbox,
            task,
            "placeOrder",
            body={**order, "petId": placed.body["id"]},
        ).status
        == 404
    )


def test_seeded_items_reference_seeded_items(bookstore, petstore) -> None:
    sandbox = bookstore.load_sandbox(fixtures=2)
    task = sandbox.store.task("t")
    authors = {key[-1] for key in task.collection("authors")}
    books = task.collection("books")
    assert books and all(
        str(book["authorId"]) == key[0] in authors for key, book in books.items()
    )
    store = petstore.load_sandbox(fixtures=2).store.task("t")
    pets = {key[-1] for key in store.collection("pet")}
    assert all(
        str(order["petId"]) in pets for order in store.collection("order").values()
    )


def test_list_filters_match_objects_by_name(petstore) -> None:
    sandbox = petstore.load_sandbox()
    task = sandbox.store.task("t")
    body = {"name": "Rex", "photoUrls": ["a"], "tags": [{"id": 1, "name": "fluffy"}]}
    run(petstore, sandbox, task, "addPet", body=body)
    run(
        petstore,
        sandbox,
        task,
        "addPet",
        body={**body, "name": "Max", "tags": [{"id": 2, "name": "calm"}]},
    )
    found = run(
        petstore, sandbox, task, "findPetsByTags", query={"tags": "fluffy"}
    ).body
    assert [pet["name"] for pet in found] == ["Rex"]


def _items(body):
    return (
        body
        if isinstance(body, list)
        else next(v for v in body.values() if isinstance(v, list))
    )


def test_list_filters_and_paginates(bookstore) -> None:
    sandbox = bookstore.load_sandbox()
    task = sandbox.store.task("t")
    author = run(bookstore, sandbox, task, "create_author", body={"name": "Ann"}).body
    for index, genre in enumerate(["fiction", "poetry", "fiction", "fiction"]):
        book = {
            "title": f"Book {index}",
            "isbn": "9780061054884",
            "genre": genre,
            "publishedYear": 2000,
        }
        run(
            bookstore,
            sandbox,
            task,
            "create_author_book",
            path={"authorId": author["id"]},
            body=book,
        )
    page = run(
        bookstore,
        sandbox,
        task,
        "search_books",
        query={"genre": "fiction", "limit": "2", "offset": "1"},
    ).body
    assert [b["title"] for b in page["data"]] == ["Book 2", "Book 3"]
    assert page["total"] == 3


def test_actions_are_deterministic_and_register_items(bookstore) -> None:
    answers = []
    for _ in range(2):
        sandbox = bookstore.load_sandbox(seed=7)
        task = sandbox.store.task("t")
        author = run(
            bookstore, sandbox, task, "create_author", body={"name": "Ann"}
        ).body
        book = {
            "title": "T",
            "isbn": "9780061054884",
            "genre": "fiction",
            "publishedYear": 2000,
        }
        book_id = run(
            bookstore,
            sandbox,
            task,
            "create_author_book",
            path={"authorId": author["id"]},
            body=book,
        ).body["id"]
        assert (
            run(
                bookstore,
                sandbox,
                task,
                "checkout_book",
                path={"bookId": "8c7e2a52-3c1b-4f0a-9d5e-2b9f0c1d2e3f"},
                body={"borrower": "m1"},
            ).status
            == 404
        )  # a book of any author, but one that exists
        loan = run(
            bookstore,
            sandbox,
            task,
            "checkout_book",
            path={"bookId": book_id},
            body={"borrower": "m1"},
        )
        assert loan.body["borrower"] == "m1" and loan.body["bookId"] == book_id
        answers.append(json.dumps(loan.body, sort_keys=True))
        assert (
            run(
                bookstore, sandbox, task, "get_loan", path={"loanId": loan.body["id"]}
            ).body
            == loan.body
        )
    assert answers[0] == answers[1]


def test_snapshot_restore_reset(petstore) -> None:
    sandbox = petstore.load_sandbox()
    store = sandbox.store
    run(
        petstore,
        sandbox,
        store.task("t"),
        "addPet",
        body={"name": "Rex", "photoUrls": []},
    )
    saved = json.dumps(store.snapshot("t"), sort_keys=True)
    run(
        petstore,
        sandbox,
        store.task("t"),
        "addPet",
        body={"name": "Max", "photoUrls": []},
    )
    store.restore("t", json.loads(saved))
    assert json.dumps(store.snapshot("t"), sort_keys=True) == saved
    store.reset("t")
    assert store.snapshot("t")["objects"] == {}


def test_errors_take_the_documented_shape(bookstore) -> None:
    sandbox = bookstore.load_sandbox()
    outcome = run(
        bookstore,
        sandbox,
        sandbox.store.task("t"),
        "get_author",
        path={"authorId": 12345},
    )
    assert outcome.status == 404
    assert outcome.body["code"] == 404 and "12345" in outcome.body["message"]


def test_missing_or_wrong_credentials_are_refused(petstore) -> None:
    sandbox = petstore.load_sandbox()
    task = sandbox.store.task("t")
    body = {"name": "Rex", "photoUrls": []}
    assert run(petstore, sandbox, task, "addPet", body=body, headers={}).status == 401
    assert (
        run(
            petstore,
            sandbox,
            task,
            "addPet",
            body=body,
            headers={"Authorization": "Bearer wrong"},
        ).status
        == 401
    )
    lenient = petstore.load_sandbox(any_credential=True)
    assert (
        run(
            petstore,
            lenient,
            lenient.store.task("t"),
            "addPet",
            body=body,
            headers={"Authorization": "Bearer anything"},
        ).status
        == 200
    )


def _session(package, **kwargs):
    sandbox = package.load_sandbox(**kwargs)
    task = sandbox.store.task("t")
    return lambda name, **call: sandbox.engine.execute(
        task,
        package.Call(
            name,
            headers={"Authorization": call.pop("auth", "Bearer envc-sandbox-token")},
            **call,
        ),
    )


def test_one_item_is_readable_at_each_of_its_paths_and_puts_create_what_nothing_else_can() -> (
    None
):
    call = _session(import_package(GENERATED / "netlify_env"))
    site = call("createSite", body={"name": "docs"}).body
    deploy = call(
        "createSiteDeploy", path={"site_id": site["id"]}, body={"title": "first"}
    ).body
    read = call(
        "getDeploy", path={"deploy_id": deploy["id"]}
    )  # /deploys/{id} reads /sites/{site}/deploys items
    assert read.status == 200 and read.body["id"] == deploy["id"]
    assert call("getDeploy", path={"deploy_id": "nope"}).status == 404
    path = {"deploy_id": deploy["id"], "path": "index.html"}
    assert (
        call("uploadDeployFile", path=path, body=b"<html/>").status == 200
    )  # files have no create: PUT makes one
    assert (
        call("uploadDeployFile", path={**path, "deploy_id": "nope"}).status == 404
    )  # but only under a real deploy


def test_json_api_answers_sideload_stored_items() -> None:
    call = _session(import_package(GENERATED / "orbit_love_env"), fixtures=1)
    workspace = call("get__workspaces", auth="envc-sandbox-token").body["data"][0]["id"]
    answer = call(
        "get__workspace_id_activities",
        path={"workspace_id": workspace},
        auth="envc-sandbox-token",
    ).body
    members = [item for item in answer["included"] if item.get("type") == "member"]
    assert members, answer["included"]
    for member in members:  # a sideloaded member is one the workspace holds
        found = call(
            "get__workspace_id_members_id",
            path={"workspace_id": workspace, "id": member["id"]},
            auth="envc-sandbox-token",
        )
        assert found.status == 200 and found.body["data"]["id"] == member["id"]


def test_owner_scoped_collections() -> None:
    call = _session(import_package(GENERATED / "link_example_env"), fixtures=1)
    package = import_package(GENERATED / "link_example_env")
    users = package.load_sandbox(fixtures=1).store.task("u").collection("users")
    username = next(iter(users))[0]
    repositories = call("getRepositoriesByOwner", path={"username": username}).body
    assert repositories and all(
        r["owner"]["username"] == username for r in repositories
    )
    slug = repositories[0]["slug"]
    assert (
        call("getRepository", path={"username": username, "slug": slug}).status == 200
    )
    assert (
        call("getRepository", path={"username": "someone-else", "slug": slug}).status
        == 404
    )


PATTERNED_IDS = """
openapi: 3.0.3
info: {title: Sids, version: "1"}
paths:
  /services:
    post:
      operationId: createService
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {FriendlyName: {type: string}}}
      responses:
        "201":
          description: created
          content: {application/json: {schema: {$ref: "#/components/schemas/Service"}}}
  /services/{Sid}:
    get:
      operationId: fetchService
      parameters: [{name: Sid, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: found
          content: {application/json: {schema: {$ref: "#/components/schemas/Service"}}}
components:
  schemas:
    Service:
      type: object
      properties:
        sid: {type: string, pattern: "^IS[0-9a-fA-F]{32}$", minLength: 34, maxLength: 34}
        friendly_name: {type: string}
"""


def test_new_ids_take_the_shape_their_schema_demands(tmp_path) -> None:
    """A Twilio-style sid is made to match its pattern, and the item is stored under
    that id: the answer names a key the next call can use."""
    spec = tmp_path / "sids.yaml"
    spec.write_text(PATTERNED_IDS)
    call = _session(import_package(build(spec, tmp_path / "out")))
    sids = [
        call("createService", body={"FriendlyName": f"s{i}"}).body["sid"]
        for i in range(3)
    ]
    assert len(set(sids)) == 3
    for sid in sids:
        assert re.fullmatch(r"IS[0-9a-fA-F]{32}", sid)
        assert call("fetchService", path={"Sid": sid}).body["sid"] == sid
