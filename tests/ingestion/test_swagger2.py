"""Swagger 2.0 -> OpenAPI 3.0.3 conversion (`schema_ingestion.swagger2`).

Fixtures in tests/ingestion/fixtures/ are copied unchanged from
/work/shared/specs (see its MANIFEST.tsv), originally APIs-guru/openapi-directory
@ 3f25f9de3b6a29ff74f66bd68b904b48bcd71c6d:
  avaza.com__v1.yaml      APIs/avaza.com/v1/swagger.yaml (a file upload without
                          multipart consumes)
  salesloft.com__v2.yaml  APIs/salesloft.com/v2/swagger.yaml (126 formData params)
and @ 6607783fb0b67bb5bd29bc4a418e118523ad6b99:
  spotify.com__v1.yaml    APIs/spotify.com/v1/swagger.yaml
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator, validate

from envfactory_compiler.schema_ingestion.conversion_notes import Note
from envfactory_compiler.schema_ingestion.swagger2 import to_openapi30

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _swagger_specs() -> list[Path]:
    candidates = sorted(REPO.glob("specs/*.yaml")) + sorted(
        HERE.glob("fixtures/*.yaml")
    )
    return [p for p in candidates if str(_load(p).get("swagger")) == "2.0"]


SWAGGER_SPECS = _swagger_specs()


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in METHODS
    }


def _refs(node: Any) -> list[str]:
    """Every ``$ref`` string anywhere in ``node``."""
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _convert(document: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """Convert, checking the input is untouched and the output is valid 3.0."""
    before = copy.deepcopy(document)
    out, notes = to_openapi30(document)
    assert document == before, "input was mutated"
    validate(out, cls=OpenAPIV30SpecValidator)
    return out, notes


def _doc(paths: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        **extra,
        "paths": paths or {},
    }


def _op(*parameters: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "parameters": list(parameters),
        "responses": {"200": {"description": "ok"}},
        **extra,
    }


def _query(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "type": "string", **extra}


def _form(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "formData", "type": "string", **extra}


def _body(name: str = "payload", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "body",
        "schema": {"$ref": "#/definitions/Pet"},
        **extra,
    }


PET = {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}


def _messages(notes: list[Note]) -> str:
    return "\n".join(str(note) for note in notes)


# ------------------------------------------------------------- real specs


@pytest.mark.parametrize("path", SWAGGER_SPECS, ids=lambda p: p.name)
def test_real_specs_convert_and_validate(path: Path) -> None:
    source = _load(path)
    out, _ = _convert(source)
    assert out["openapi"] == "3.0.3"
    before, after = _operations(source), _operations(out)
    assert list(after) == list(before)
    for key, operation in before.items():
        assert after[key].get("operationId") == operation.get("operationId")
    for ref in _refs(out):
        assert ref.startswith("#/components/"), ref
    assert "swagger" not in out and "definitions" not in out


@pytest.mark.parametrize("path", SWAGGER_SPECS, ids=lambda p: p.name)
def test_real_specs_body_and_form_parameters_become_request_bodies(path: Path) -> None:
    source = _load(path)
    out, _ = _convert(source)
    for key, operation in _operations(source).items():
        converted = _operations(out)[key]
        params = [p for p in operation.get("parameters", []) if "$ref" not in p]
        assert all(
            p.get("in") not in ("body", "formData")
            for p in converted.get("parameters", [])
        )
        bodies = [p for p in params if p["in"] == "body"]
        forms = [p for p in params if p["in"] == "formData"]
        if bodies:
            assert converted["requestBody"]["x-body-name"] == bodies[0]["name"]
        elif forms:
            (media_type,) = converted["requestBody"]["content"]
            schema = converted["requestBody"]["content"][media_type]["schema"]
            assert list(schema["properties"]) == [p["name"] for p in forms]
            assert media_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            )


@pytest.mark.parametrize("path", SWAGGER_SPECS, ids=lambda p: p.name)
def test_real_specs_servers_come_from_host_and_base_path(path: Path) -> None:
    source = _load(path)
    out, _ = _convert(source)
    base = (source.get("basePath") or "").rstrip("/")
    expected = [f"{s}://{source['host']}{base}" for s in source.get("schemes", [])]
    assert [server["url"] for server in out["servers"]] == expected


def test_conversion_is_deterministic_and_shares_no_objects() -> None:
    source = _load(REPO / "specs" / "swagger-petstore-v2.yaml")
    first, _ = to_openapi30(source)
    second, _ = to_openapi30(source)
    assert json.dumps(first, default=str) == json.dumps(second, default=str)
    assert "&id" not in yaml.safe_dump(first)  # no YAML anchors: no shared sub-objects


# ------------------------------------------------------------ the petstore


@pytest.fixture(scope="module")
def petstore() -> dict[str, Any]:
    out, notes = _convert(_load(REPO / "specs" / "swagger-petstore-v2.yaml"))
    assert notes == []
    return out


def _by_id(document: dict[str, Any], operation_id: str) -> dict[str, Any]:
    (found,) = [
        op
        for op in _operations(document).values()
        if op.get("operationId") == operation_id
    ]
    return found


def test_petstore_servers(petstore: dict[str, Any]) -> None:
    assert petstore["servers"] == [
        {"url": "https://petstore.swagger.io/v2"},
        {"url": "http://petstore.swagger.io/v2"},
    ]
    assert list(petstore)[:3] == ["openapi", "info", "servers"]


def test_petstore_body_parameter(petstore: dict[str, Any]) -> None:
    body = _by_id(petstore, "addPet")["requestBody"]
    assert body == {
        "description": "Pet object that needs to be added to the store",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
            "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
        },
        "required": True,
        "x-body-name": "body",
    }
    assert "parameters" not in _by_id(petstore, "addPet")


def test_petstore_update_pet_with_form(petstore: dict[str, Any]) -> None:
    operation = _by_id(petstore, "updatePetWithForm")
    assert [p["name"] for p in operation["parameters"]] == ["petId"]
    content = operation["requestBody"]["content"]
    assert list(content) == ["application/x-www-form-urlencoded"]
    schema = content["application/x-www-form-urlencoded"]["schema"]
    assert schema == {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "Updated name of the pet"},
            "status": {"type": "string", "description": "Updated status of the pet"},
        },
    }


def test_petstore_upload_file(petstore: dict[str, Any]) -> None:
    content = _by_id(petstore, "uploadFile")["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    properties = content["multipart/form-data"]["schema"]["properties"]
    assert properties["file"] == {
        "type": "string",
        "format": "binary",
        "description": "file to upload",
    }
    assert properties["additionalMetadata"]["type"] == "string"


def test_petstore_parameters_and_responses(petstore: dict[str, Any]) -> None:
    (status,) = _by_id(petstore, "findPetsByStatus")["parameters"]
    assert status["schema"]["items"]["enum"] == ["available", "pending", "sold"]
    assert (status["style"], status["explode"]) == ("form", True)
    assert "type" not in status and "collectionFormat" not in status
    login = _by_id(petstore, "loginUser")["responses"]["200"]
    assert list(login["content"]) == ["application/xml", "application/json"]
    assert login["headers"]["X-Rate-Limit"]["schema"] == {
        "type": "integer",
        "format": "int32",
    }
    order = _by_id(petstore, "getOrderById")["parameters"][0]["schema"]
    assert order == {"type": "integer", "maximum": 10, "minimum": 1, "format": "int64"}


def test_petstore_security_schemes(petstore: dict[str, Any]) -> None:
    schemes = petstore["components"]["securitySchemes"]
    assert schemes["petstore_auth"]["flows"]["implicit"] == {
        "authorizationUrl": "https://petstore.swagger.io/oauth/dialog",
        "scopes": {
            "write:pets": "modify pets in your account",
            "read:pets": "read your pets",
        },
    }
    assert schemes["api_key"] == {"type": "apiKey", "name": "api_key", "in": "header"}


def test_file_upload_without_multipart_consumes_is_noted() -> None:
    out, notes = _convert(_load(HERE / "fixtures" / "avaza.com__v1.yaml"))
    operation = out["paths"]["/api/Expense/Attachment"]["post"]
    assert list(operation["requestBody"]["content"]) == ["multipart/form-data"]
    assert (
        Note(
            "/paths/~1api~1Expense~1Attachment/post/parameters/0",
            "file parameter without multipart/form-data in consumes; using multipart/form-data",
        )
        in notes
    )


# ------------------------------------------------------------ small documents


@pytest.mark.parametrize(
    ("extra", "urls"),
    [
        ({"basePath": "/v1"}, ["/v1"]),
        ({}, ["/"]),
        ({"host": "api.example.com"}, ["//api.example.com"]),
        ({"host": "api.example.com", "basePath": "/"}, ["//api.example.com"]),
        (
            {"host": "h", "basePath": "/v1/", "schemes": ["http", "wss"]},
            ["http://h/v1", "wss://h/v1"],
        ),
    ],
)
def test_servers(extra: dict[str, Any], urls: list[str]) -> None:
    out, _ = _convert(_doc(**extra))
    assert [server["url"] for server in out["servers"]] == urls


@pytest.mark.parametrize(
    ("collection_format", "location", "expected"),
    [
        ("csv", "query", {"style": "form", "explode": False}),
        (None, "query", {"style": "form", "explode": False}),
        ("multi", "query", {"style": "form", "explode": True}),
        ("ssv", "query", {"style": "spaceDelimited", "explode": False}),
        ("pipes", "query", {"style": "pipeDelimited", "explode": False}),
        ("csv", "path", {"style": "simple", "explode": False}),
        ("csv", "header", {"style": "simple", "explode": False}),
    ],
)
def test_collection_format(
    collection_format: str | None, location: str, expected: dict[str, Any]
) -> None:
    param = {
        "name": "ids",
        "in": location,
        "required": True,
        "type": "array",
        "items": {"type": "integer"},
    }
    if collection_format:
        param["collectionFormat"] = collection_format
    path = "/x/{ids}" if location == "path" else "/x"
    out, notes = _convert(_doc({path: {"get": _op(param)}}))
    converted = out["paths"][path]["get"]["parameters"][0]
    assert {k: converted[k] for k in ("style", "explode")} == expected
    assert converted["schema"] == {"type": "array", "items": {"type": "integer"}}
    assert notes == []


def test_unknown_collection_format_is_noted() -> None:
    param = {
        "name": "ids",
        "in": "query",
        "type": "array",
        "items": {"type": "string"},
        "collectionFormat": "tsv",
    }
    out, notes = _convert(_doc({"/pets": {"get": _op(param)}}))
    assert "style" not in out["paths"]["/pets"]["get"]["parameters"][0]
    assert [n.pointer for n in notes] == [
        "/paths/~1pets/get/parameters/0/collectionFormat"
    ]


def test_parameter_schema_keywords_move_into_schema_in_order() -> None:
    param = {
        "name": "limit", "in": "query", "description": "how many", "required": False,
        "type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": 20,
        "enum": [10, 20], "allowEmptyValue": True, "x-example": 10, "x-nullable": True,
    }  # fmt: skip
    out, _ = _convert(_doc({"/pets": {"get": _op(param)}}))
    converted = out["paths"]["/pets"]["get"]["parameters"][0]
    assert converted == {
        "name": "limit", "in": "query", "description": "how many", "required": False,
        "schema": {
            "type": "integer", "format": "int32", "minimum": 1, "maximum": 100,
            "default": 20, "enum": [10, 20], "nullable": True,
        },
        "allowEmptyValue": True, "x-example": 10,
    }  # fmt: skip
    assert list(converted) == [
        "name",
        "in",
        "description",
        "required",
        "schema",
        "allowEmptyValue",
        "x-example",
    ]


def test_path_parameter_without_required_is_repaired() -> None:
    out, notes = _convert(
        _doc(
            {"/pets/{id}": {"get": _op({"name": "id", "in": "path", "type": "string"})}}
        )
    )
    assert out["paths"]["/pets/{id}"]["get"]["parameters"][0]["required"] is True
    assert [n.pointer for n in notes] == ["/paths/~1pets~1{id}/get/parameters/0"]


def test_body_parameter_uses_operation_consumes() -> None:
    operation = _op(
        _body(description="the pet", required=True, **{"x-extra": 1}),
        consumes=["application/xml"],
    )
    out, _ = _convert(_doc({"/pets": {"post": operation}}, definitions=PET))
    converted = out["paths"]["/pets"]["post"]
    assert "parameters" not in converted
    assert list(converted) == ["requestBody", "responses"]
    assert converted["requestBody"] == {
        "description": "the pet",
        "content": {
            "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}
        },
        "required": True,
        "x-body-name": "payload",
        "x-extra": 1,
    }


def test_body_parameter_defaults_to_json_and_optional() -> None:
    out, _ = _convert(
        _doc({"/pets": {"post": _op(_query("q"), _body())}}, definitions=PET)
    )
    converted = out["paths"]["/pets"]["post"]
    assert list(converted) == ["parameters", "requestBody", "responses"]
    assert converted["requestBody"] == {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
        },
        "x-body-name": "payload",
    }


def test_global_body_parameter_becomes_request_body_component() -> None:
    document = _doc(
        {
            "/pets": {
                "post": _op(
                    {"$ref": "#/parameters/PetBody"}, {"$ref": "#/parameters/Limit"}
                )
            },
            "/xml": {
                "post": _op(
                    {"$ref": "#/parameters/PetBody"}, consumes=["application/xml"]
                )
            },
        },
        consumes=["application/json"],
        parameters={
            "PetBody": _body("pet", required=True),
            "Limit": _query("limit", type="integer"),
        },
        definitions=PET,
    )
    out, _ = _convert(document)
    components = out["components"]
    assert list(components) == ["parameters", "requestBodies", "schemas"]
    assert components["parameters"]["Limit"]["schema"] == {"type": "integer"}
    assert components["requestBodies"]["PetBody"]["x-body-name"] == "pet"
    pets = out["paths"]["/pets"]["post"]
    assert pets["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert pets["requestBody"] == {"$ref": "#/components/requestBodies/PetBody"}
    xml = out["paths"]["/xml"]["post"]["requestBody"]  # other consumes: inlined
    assert list(xml["content"]) == ["application/xml"] and xml["x-body-name"] == "pet"


def test_form_data_becomes_urlencoded_body() -> None:
    operation = _op(
        _form("name", required=True, description="the name"),
        _form("tags", type="array", items={"type": "string"}, collectionFormat="multi"),
        _form("age", type="integer", **{"x-nullable": True}),
    )
    out, notes = _convert(_doc({"/pets": {"post": operation}}))
    body = out["paths"]["/pets"]["post"]["requestBody"]
    assert body == {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "description": "the name"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "age": {"type": "integer", "nullable": True},
                    },
                    "required": ["name"],
                },
                "encoding": {"tags": {"style": "form", "explode": True}},
            }
        },
        "required": True,
    }
    assert notes == []


@pytest.mark.parametrize(
    ("consumes", "media_types"),
    [
        (["multipart/form-data"], ["multipart/form-data"]),
        (
            ["application/x-www-form-urlencoded", "multipart/form-data"],
            ["application/x-www-form-urlencoded", "multipart/form-data"],
        ),
        (None, ["application/x-www-form-urlencoded"]),
    ],
)
def test_form_media_type_follows_consumes(
    consumes: list[str] | None, media_types: list[str]
) -> None:
    extra = {"consumes": consumes} if consumes else {}
    out, notes = _convert(_doc({"/pets": {"post": _op(_form("name"), **extra)}}))
    assert list(out["paths"]["/pets"]["post"]["requestBody"]["content"]) == media_types
    assert notes == []


def test_file_parameter_makes_multipart() -> None:
    operation = _op(
        _form("meta"),
        _form("upload", type="file", required=True),
        consumes=["application/x-www-form-urlencoded"],
    )
    out, notes = _convert(_doc({"/files": {"post": operation}}))
    content = out["paths"]["/files"]["post"]["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    assert content["multipart/form-data"]["schema"]["properties"]["upload"] == {
        "type": "string",
        "format": "binary",
    }
    assert [n.pointer for n in notes] == ["/paths/~1files/post/parameters/1"]


def test_form_data_with_json_consumes_is_noted() -> None:
    out, notes = _convert(
        _doc({"/pets": {"post": _op(_form("name"), consumes=["application/json"])}})
    )
    assert list(out["paths"]["/pets"]["post"]["requestBody"]["content"]) == [
        "application/x-www-form-urlencoded"
    ]
    assert [n.pointer for n in notes] == ["/paths/~1pets/post/parameters/0"]


def test_form_data_alongside_body_is_dropped_with_note() -> None:
    out, notes = _convert(
        _doc({"/pets": {"post": _op(_body(), _form("name"))}}, definitions=PET)
    )
    assert out["paths"]["/pets"]["post"]["requestBody"]["x-body-name"] == "payload"
    assert notes == [
        Note(
            "/paths/~1pets/post/parameters/1",
            "formData parameter alongside a body parameter; dropped",
        )
    ]


def test_global_form_parameter_is_inlined_into_the_operation() -> None:
    document = _doc(
        {
            "/pets": {
                "post": _op({"$ref": "#/parameters/Name"}, _form("age", type="integer"))
            }
        },
        parameters={"Name": _form("name", required=True)},
    )
    out, _ = _convert(document)
    assert out["components"]["requestBodies"]["Name"]["content"][
        "application/x-www-form-urlencoded"
    ]["schema"]["required"] == ["name"]
    body = out["paths"]["/pets"]["post"]["requestBody"]
    assert list(
        body["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]
    ) == ["name", "age"]


def test_path_level_parameters() -> None:
    item = {
        "parameters": [
            {"name": "id", "in": "path", "required": True, "type": "string"},
            _body(),
        ],
        "put": _op(),
        "patch": _op(_body("override", schema={"type": "object"})),
        "get": {"responses": {"200": {"description": "ok"}}},
    }
    out, _ = _convert(_doc({"/pets/{id}": item}, definitions=PET))
    converted = out["paths"]["/pets/{id}"]
    assert converted["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    assert converted["put"]["requestBody"]["x-body-name"] == "payload"
    assert converted["patch"]["requestBody"]["x-body-name"] == "override"
    assert list(converted["get"]) == ["requestBody", "responses"]


def test_responses() -> None:
    responses = {
        200: {
            "description": "ok",
            "schema": {"type": "file"},
            "headers": {
                "X-Ids": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "collectionFormat": "csv",
                    "description": "ids",
                }
            },
            "examples": {"application/json": {"a": 1}, "text/plain": "hi"},
            "x-vendor": True,
        },
        "default": {"$ref": "#/responses/Error"},
        "404": {"schema": {"$ref": "#/definitions/Pet"}},
    }
    document = _doc(
        {"/pets": {"get": {"produces": ["application/json"], "responses": responses}}},
        definitions=PET,
        responses={"Error": {"description": "bad", "schema": {"type": "string"}}},
        produces=["text/plain"],
    )
    out, notes = _convert(document)
    converted = out["paths"]["/pets"]["get"]["responses"]
    assert list(converted) == ["200", "default", "404"]
    assert converted["200"] == {
        "description": "ok",
        "content": {
            "application/json": {
                "schema": {"type": "string", "format": "binary"},
                "example": {"a": 1},
            },
            "text/plain": {
                "schema": {"type": "string", "format": "binary"},
                "example": "hi",
            },
        },
        "headers": {
            "X-Ids": {
                "schema": {"type": "array", "items": {"type": "integer"}},
                "description": "ids",
            }
        },
        "x-vendor": True,
    }
    assert converted["default"] == {"$ref": "#/components/responses/Error"}
    assert out["components"]["responses"]["Error"]["content"] == {
        "text/plain": {"schema": {"type": "string"}}
    }
    assert converted["404"]["description"] == ""
    assert [n.pointer for n in notes] == ["/paths/~1pets/get/responses/404"]


def test_schemas() -> None:
    definitions = {
        "Animal": {
            "type": "object",
            "discriminator": "kind",
            "required": ["kind"],
            "properties": {
                "kind": {"type": "string"},
                "owner": {"$ref": "#/definitions/Owner", "x-nullable": True},
                "nick": {"type": "string", "x-nullable": True, "x-order": 2},
                "tags": {
                    "type": "array",
                    "items": {"$ref": "#/definitions/Owner/properties/name"},
                },
                "meta": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/definitions/Owner"},
                },
            },
            "x-tagged": "yes",
        },
        "Cat": {
            "allOf": [
                {"$ref": "#/definitions/Animal"},
                {"type": "object", "properties": {"claws": {"type": "boolean"}}},
            ]
        },
        "Owner": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "x-nullable": False,
        },
    }
    out, notes = _convert(_doc(definitions=definitions))
    schemas = out["components"]["schemas"]
    animal = schemas["Animal"]
    assert animal["discriminator"] == {"propertyName": "kind"}
    assert animal["properties"]["owner"] == {
        "allOf": [{"$ref": "#/components/schemas/Owner"}],
        "nullable": True,
    }
    assert animal["properties"]["nick"] == {
        "type": "string",
        "nullable": True,
        "x-order": 2,
    }
    assert animal["properties"]["tags"]["items"] == {
        "$ref": "#/components/schemas/Owner/properties/name"
    }
    assert animal["properties"]["meta"]["additionalProperties"] == {
        "$ref": "#/components/schemas/Owner"
    }
    assert animal["x-tagged"] == "yes"
    assert schemas["Cat"]["allOf"][0] == {"$ref": "#/components/schemas/Animal"}
    assert schemas["Owner"] == {
        "type": "object",
        "properties": {"name": {"type": "string"}},
    }
    assert notes == []


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        (
            {"type": "basic", "description": "d"},
            {"type": "http", "scheme": "basic", "description": "d"},
        ),
        (
            {"type": "apiKey", "name": "k", "in": "query"},
            {"type": "apiKey", "name": "k", "in": "query"},
        ),
        (
            {
                "type": "oauth2",
                "flow": "implicit",
                "authorizationUrl": "https://a",
                "scopes": {"r": "read"},
            },
            {
                "type": "oauth2",
                "flows": {
                    "implicit": {
                        "authorizationUrl": "https://a",
                        "scopes": {"r": "read"},
                    }
                },
            },
        ),
        (
            {
                "type": "oauth2",
                "flow": "password",
                "tokenUrl": "https://t",
                "scopes": {},
            },
            {
                "type": "oauth2",
                "flows": {"password": {"tokenUrl": "https://t", "scopes": {}}},
            },
        ),
        (
            {
                "type": "oauth2",
                "flow": "application",
                "tokenUrl": "https://t",
                "x-v": 1,
            },
            {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}},
                "x-v": 1,
            },
        ),
        (
            {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": "https://a",
                "tokenUrl": "https://t",
                "scopes": {"w": "write"},
            },
            {
                "type": "oauth2",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": "https://a",
                        "tokenUrl": "https://t",
                        "scopes": {"w": "write"},
                    }
                },
            },
        ),
    ],
)
def test_security_definitions(
    definition: dict[str, Any], expected: dict[str, Any]
) -> None:
    out, notes = _convert(
        _doc(securityDefinitions={"auth": definition}, security=[{"auth": []}])
    )
    assert out["components"]["securitySchemes"]["auth"] == expected
    assert out["security"] == [{"auth": []}]
    assert notes == []


def test_top_level_fields_are_preserved_in_order() -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1", "x-logo": {"url": "u"}},
        "host": "h",
        "basePath": "/b",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "tags": [{"name": "pets", "description": "d"}],
        "externalDocs": {"url": "https://docs"},
        "security": [{"key": []}],
        "securityDefinitions": {"key": {"type": "apiKey", "name": "k", "in": "header"}},
        "paths": {
            "/pets": {
                "get": _op(
                    operationId="listPets",
                    tags=["pets"],
                    deprecated=True,
                    **{"x-op": 1},
                )
            },
            "x-paths": {"a": 1},
        },
        "definitions": PET,
        "x-top": {"a": 1},
    }
    out, _ = _convert(document)
    assert list(out) == [
        "openapi",
        "info",
        "servers",
        "tags",
        "externalDocs",
        "security",
        "components",
        "paths",
        "x-top",
    ]
    assert out["info"] == document["info"] and out["tags"] == document["tags"]
    assert list(out["components"]) == ["securitySchemes", "schemas"]
    assert out["paths"]["x-paths"] == {"a": 1}
    operation = out["paths"]["/pets"]["get"]
    assert list(operation) == [
        "parameters",
        "responses",
        "operationId",
        "tags",
        "deprecated",
        "x-op",
    ]


def test_operation_schemes_become_servers() -> None:
    out, _ = _convert(
        _doc({"/pets": {"get": _op(schemes=["http"])}}, host="h", basePath="/v1")
    )
    assert out["paths"]["/pets"]["get"]["servers"] == [{"url": "http://h/v1"}]


def test_invalid_component_names_are_renamed() -> None:
    document = _doc(
        {
            "/pets": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {"$ref": "#/definitions/Page%C2%ABPet%C2%BB"},
                        }
                    }
                }
            }
        },
        definitions={"Page«Pet»": {"type": "object"}, "Page_Pet_": {"type": "string"}},
        securityDefinitions={"my key": {"type": "apiKey", "name": "k", "in": "header"}},
        security=[{"my key": []}],
    )
    out, notes = _convert(document)
    assert list(out["components"]["schemas"]) == ["Page_Pet__2", "Page_Pet_"]
    schema = out["paths"]["/pets"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert schema == {"$ref": "#/components/schemas/Page_Pet__2"}
    assert out["security"] == [{"my_key": []}]
    assert [n.pointer for n in notes] == [
        "/definitions/Page«Pet»",
        "/securityDefinitions/my key",
    ]


def test_unrewritable_ref_is_noted() -> None:
    document = _doc(
        {
            "/pets": {
                "get": {
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/paths/~1x"}}
                    }
                }
            }
        }
    )
    to_convert = copy.deepcopy(document)
    _, notes = to_openapi30(to_convert)
    assert "does not point at a definition" in _messages(notes)
    assert notes[0].pointer == "/paths/~1pets/get/responses/200/schema/$ref"
