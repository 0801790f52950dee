"""Resource inference and tables for answers wrapped twice (`{"data": {"account": {...}}}`),
bodies wrapping the item (`{"account": {...}}`), grouped lists and verbs on another item.
"""

from __future__ import annotations

import yaml

from envfactory_compiler.emission.tables import tables
from envfactory_compiler.schema_ingestion import SchemaLoader


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ok(name: str) -> dict:
    return {"description": "ok", **_json(_ref(name))}


def _object(**properties: dict) -> dict:
    return {"type": "object", "properties": properties}


def _array(name: str) -> dict:
    return {"type": "array", "items": _ref(name)}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Wrapped", "version": "1"},
    "paths": {
        "/accounts": {
            "get": {
                "operationId": "listAccounts",
                "responses": {"200": _ok("AccountsResponse")},
            },
            "post": {
                "operationId": "createAccount",
                "requestBody": {"required": True, **_json(_ref("SaveAccountWrapper"))},
                "responses": {
                    "201": {"description": "made", **_json(_ref("AccountResponse"))}
                },
            },
        },
        "/accounts/{account_id}": {
            "get": {
                "operationId": "getAccount",
                "parameters": [
                    {
                        "name": "account_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {"description": "ok", **_json(_ref("AccountResponse"))}
                },
            }
        },
        "/categories": {
            "get": {
                "operationId": "listCategories",
                "responses": {"200": _ok("CategoriesResponse")},
            },
        },
        "/categories/{category_id}": {
            "get": {
                "operationId": "getCategory",
                "parameters": [
                    {
                        "name": "category_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {"description": "ok", **_json(_ref("CategoryResponse"))}
                },
            }
        },
        "/accounts/copy/{account_id}": {
            "post": {
                "operationId": "copyAccount",
                "parameters": [
                    {
                        "name": "account_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"200": {"description": "copied"}},
            }
        },
        "/import": {
            "post": {
                "operationId": "importFile",
                "requestBody": {"content": {"application/octet-stream": {}}},
                "responses": {"200": {"description": "imported"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Account": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            },
            "Category": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            },
            "Group": _object(id={"type": "string"}, categories=_array("Category")),
            "AccountResponse": _object(data=_object(account=_ref("Account"))),
            "AccountsResponse": _object(data=_object(accounts=_array("Account"))),
            "SaveAccountWrapper": _object(account=_ref("Account")),
            "CategoryResponse": _object(data=_object(category=_ref("Category"))),
            "CategoriesResponse": _object(
                data=_object(category_groups=_array("Group"))
            ),
        }
    },
}


def _tables(tmp_path) -> dict:
    path = tmp_path / "wrapped.yaml"
    path.write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    return tables(SchemaLoader().load(str(path)))


def test_an_item_wrapped_twice_is_its_inner_object(tmp_path) -> None:
    table = _tables(tmp_path)
    accounts = table["resources"]["accounts"]
    assert (accounts["schema"], accounts["id_field"]) == (
        "/components/schemas/Account",
        "id",
    )
    ops = table["operations"]
    assert ops["getAccount"]["item_envelope"] == "data/account"
    assert ops["createAccount"]["item_envelope"] == "data/account"
    assert ops["createAccount"]["body_envelope"] == "account"
    assert ops["listAccounts"]["envelope"] == "data/accounts"


def test_a_list_in_groups_names_the_groups_and_their_items(tmp_path) -> None:
    assert (
        _tables(tmp_path)["operations"]["listCategories"]["envelope"]
        == "data/category_groups/*/categories"
    )


def test_a_post_to_another_collections_item_is_an_action_on_it(tmp_path) -> None:
    ops = _tables(tmp_path)["operations"]
    assert ops["copyAccount"]["role"] == "action"
    assert ops["copyAccount"]["scopes"] == (("accounts", ("account_id",)),)


def test_a_body_without_a_schema_points_nowhere(tmp_path) -> None:
    op = _tables(tmp_path)["operations"]["importFile"]
    assert "body" not in op and op["body_type"] == "application/octet-stream"


def test_the_sandbox_answers_and_reads_wrapped_items(tmp_path) -> None:
    from conftest import build, import_package

    spec = tmp_path / "wrapped.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    package = import_package(build(spec, tmp_path / "out"))
    sandbox = package.load_sandbox(seed=1)
    task = sandbox.store.task("t")
    call = package.Call("createAccount", body={"account": {"name": "Checking"}})
    made = sandbox.engine.execute(task, call)
    assert made.status == 201 and made.body["data"]["account"]["name"] == "Checking"
    account_id = made.body["data"]["account"]["id"]
    read = sandbox.engine.execute(
        task, package.Call("getAccount", path={"account_id": account_id})
    )
    assert read.body == made.body
    listed = sandbox.engine.execute(task, package.Call("listAccounts"))
    assert [a["id"] for a in listed.body["data"]["accounts"]] == [account_id]
    sandbox.engine.populate(task, 1)
    groups = sandbox.engine.execute(task, package.Call("listCategories")).body["data"][
        "category_groups"
    ]
    category_id = groups[0]["categories"][0]["id"]
    assert (
        sandbox.engine.execute(
            task, package.Call("getCategory", path={"category_id": category_id})
        ).status
        == 200
    )


def test_a_read_only_api_starts_from_ids_the_user_gives(tmp_path) -> None:
    """link-example: no operation returns a username first; over a seeded state the first
    call's path ids are given (and recorded as given), every later one comes from an answer.
    """
    from conftest import SPECS, build, import_package

    package = import_package(
        build(SPECS / "corpus/oai__v3-link-example.yaml", tmp_path / "out")
    )
    trajectory = package.TrajectorySampler(seed=0, fixtures=1).sample()
    assert trajectory.given and {index for index, _, _ in trajectory.given} == {0}
    first = trajectory.steps[0]
    assert all(first.arguments[name] == value for _, name, value in trajectory.given)
    assert trajectory.to_dict()["given"]
    assert not package.TrajectorySampler(seed=0).starts
