"""SchemaLoader: every input version becomes one frozen OpenAPI 3.0 IR."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator

from conftest import ROOT, SPECS, spec_files
from envfactory_compiler import Role, SchemaLoader, SpecError

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _operation_count(path: Path) -> int:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sum(
        1
        for item in (document.get("paths") or {}).values()
        for m in item
        if m in METHODS
    )


@pytest.mark.parametrize("path", spec_files(), ids=lambda p: p.name)
def test_every_spec_loads_into_a_valid_openapi30_document(path: Path) -> None:
    spec = SchemaLoader().load(str(path))
    assert spec.document["openapi"] == "3.0.3"
    OpenAPIV30SpecValidator(json.loads(json.dumps(spec.document))).validate()
    assert len(spec.endpoints) == _operation_count(path)
    names = [e.name for e in spec.endpoints]
    assert len(set(names)) == len(names)
    assert all(
        1 <= len(n) <= 64 and n.replace("_", "").replace("-", "").isalnum()
        for n in names
    )


def test_ir_is_frozen() -> None:
    spec = SchemaLoader().load(str(SPECS / "petstore.yaml"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.title = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.document["paths"]["/x"] = {}
    with pytest.raises(TypeError):
        spec.endpoints[0].parameters[0].schema["type"] = (
            "string" if spec.endpoints[0].parameters else None
        )
    assert isinstance(spec.endpoints, tuple)


def test_petstore_resources_and_roles() -> None:
    spec = SchemaLoader().load(str(SPECS / "swagger-petstore-v3.yaml"))
    roles = {e.name: (e.role, e.resource) for e in spec.endpoints}
    assert roles["addPet"] == (Role.CREATE, "pet")
    assert roles["getPetById"] == (Role.READ, "pet")
    assert roles["updatePet"] == (Role.UPDATE, "pet")
    assert roles["deletePet"] == (Role.DELETE, "pet")
    assert roles["findPetsByStatus"] == (Role.LIST, "pet")
    assert roles["getUserByName"] == (Role.READ, "user")
    assert roles["placeOrder"] == (Role.CREATE, "order")
    assert roles["uploadFile"][0] is Role.ACTION
    assert spec.resource("user").id_field == "username"


def test_nested_resources() -> None:
    spec = SchemaLoader().load(str(SPECS / "bookstore.yaml"))
    books = next(r for r in spec.resources if r.collection_path == "/authors/{}/books")
    assert books.parent == "authors"
    assert books.parent_params == ("authorId",)


def test_swagger2_is_normalised(tmp_path: Path) -> None:
    spec = SchemaLoader().load(str(SPECS / "swagger-petstore-v2.yaml"))
    form = spec.endpoint("updatePetWithForm")
    assert (
        form.body is not None
        and form.body.content_type == "application/x-www-form-urlencoded"
    )
    upload = spec.endpoint("uploadFile")
    assert upload.body is not None and upload.body.content_type == "multipart/form-data"
    assert spec.source.original_version == "2.0"
    assert "#/definitions/" not in json.dumps(spec.document)


def test_openapi31_is_normalised() -> None:
    spec = SchemaLoader().load(str(SPECS / "kitchen-sink-31.yaml"))
    assert spec.source.original_version.startswith("3.1")
    assert "webhooks" not in spec.document
    assert any("webhook" in w.message for w in spec.warnings)


def test_relative_file_refs_and_recursive_schemas(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "node.yaml").write_text(
        "Node:\n  type: object\n  properties:\n    name: {type: string}\n"
        "    children:\n      type: array\n      items: {$ref: '#/Node'}\n",
        encoding="utf-8",
    )
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: Tree, version: '1'}\npaths:\n  /tree:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {$ref: 'schemas/node.yaml#/Node'}\n",
        encoding="utf-8",
    )
    spec = SchemaLoader().load(str(tmp_path / "api.yaml"))
    text = json.dumps(spec.document)
    assert "node.yaml" not in text
    assert spec.document["components"]["schemas"]["Node"]["properties"]["children"][
        "items"
    ] == {"$ref": "#/components/schemas/Node"}


def test_duplicate_operation_ids_are_repaired_with_a_warning() -> None:
    spec = SchemaLoader().load(
        str(ROOT / "tests" / "tolerated_specs" / "duplicate_operation_id.yaml")
    )
    names = [e.name for e in spec.endpoints]
    assert len(set(names)) == len(names)
    assert any("duplicate operationId" in w.message for w in spec.warnings)


def test_remote_refs_need_the_flag() -> None:
    with pytest.raises(SpecError) as caught:
        SchemaLoader().load(str(ROOT / "tests" / "bad_specs" / "remote_ref.yaml"))
    assert "--allow-remote" in caught.value.diagnostics[0].hint


def test_json_input(tmp_path: Path) -> None:
    document = yaml.safe_load((SPECS / "petstore.yaml").read_text(encoding="utf-8"))
    (tmp_path / "petstore.json").write_text(json.dumps(document), encoding="utf-8")
    spec = SchemaLoader().load(str(tmp_path / "petstore.json"))
    assert [e.name for e in spec.endpoints] == ["listPets", "createPets", "showPetById"]


def test_undocumented_sandbox_statuses_are_added_and_marked() -> None:
    spec = SchemaLoader().load(str(SPECS / "swagger-petstore-v2.yaml"))
    add_pet = spec.endpoint("addPet")
    added = add_pet.response("400")
    assert added is not None and added.added
    assert (
        spec.document["paths"]["/pet"]["post"]["responses"]["400"]["x-envc-added"]
        is True
    )


def test_a_post_searching_a_collection_lists_it() -> None:
    """`POST /messages` with a query, answered by a list (The SMS Works) lists
    the messages: read as a create, every task "added a new message" and got
    a list back; a list sent for a list answered is still a bulk create."""
    spec = SchemaLoader().load(
        str(ROOT / "tests" / "real_shapes" / "search_posts.yaml")
    )
    roles = {(e.method, e.path): (e.role, e.resource) for e in spec.endpoints}
    assert roles["post", "/messages"] == (Role.LIST, "messages")
    assert roles["get", "/messages/{messageid}"] == (Role.READ, "messages")
    assert roles["post", "/notes"][0] is Role.CREATE
    assert roles["post", "/messages/{messageid}/labels"][0] is Role.CREATE  # "Add"


def test_a_way_of_reading_is_no_collection(tmp_path: Path) -> None:
    """CORE's `POST /journals/get` (a batch read by ISSN) beside `GET
    /journals/get/{issn}`: no "journal get" is created, and none is read."""
    spec = tmp_path / "core.yaml"
    ok = {"200": {"description": "the journals"}}
    spec.write_text(
        yaml.safe_dump(
            {
                "openapi": "3.0.3",
                "info": {"title": "CORE", "version": "2"},
                "paths": {
                    "/journals/get": {
                        "post": {
                            "operationId": "getJournalByIssnBatch",
                            "requestBody": {
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "array",
                                            "items": {"type": "string"},
                                        }
                                    }
                                }
                            },
                            "responses": ok,
                        }
                    },
                    "/journals/get/{issn}": {
                        "get": {
                            "operationId": "getJournalByIssn",
                            "parameters": [
                                {
                                    "name": "issn",
                                    "in": "path",
                                    "required": True,
                                    "schema": {"type": "string"},
                                }
                            ],
                            "responses": ok,
                        }
                    },
                },
            }
        ),
        encoding="utf-8",
    )
    spec_ir = SchemaLoader().load(str(spec))
    assert spec_ir.resources == ()
    assert {e.role for e in spec_ir.endpoints} == {Role.ACTION}
