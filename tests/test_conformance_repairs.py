"""Repairs of specs no server can satisfy (schema_ingestion/repairs.py), each a warning with its pointer."""

from __future__ import annotations


from envfactory_compiler.schema_ingestion.normalization import _safe
from envfactory_compiler.schema_ingestion.repairs import drop_broken_links, repair
from envfactory_compiler.schema_ingestion.resources import (
    normalise_path,
    param_name,
    path_params,
)


def _doc(paths: dict, schemas: dict | None = None) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }


def _pointers(document: dict) -> list[str]:
    return [note.pointer for note in repair(document, "3.0", "spec.yaml")]


def test_framing_headers_and_bodies_on_204_are_dropped() -> None:
    document = _doc(
        {
            "/x": {
                "delete": {
                    "parameters": [
                        {
                            "name": "Content-Length",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "number"},
                        },
                        {
                            "name": "X-Keep",
                            "in": "header",
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "204": {
                            "description": "gone",
                            "content": {
                                "application/json": {"schema": {"type": "object"}}
                            },
                        }
                    },
                }
            }
        }
    )
    pointers = _pointers(document)
    operation = document["paths"]["/x"]["delete"]
    assert [p["name"] for p in operation["parameters"]] == ["X-Keep"]
    assert "content" not in operation["responses"]["204"]
    assert "/paths/~1x/delete/parameters/0" in pointers
    assert "/paths/~1x/delete/responses/204/content" in pointers


def test_javascript_regex_literals() -> None:
    document = _doc(
        {},
        {
            "Name": {"type": "string", "pattern": "/^[a-z]+$/"},
            "Id": {"type": "string", "minLength": 32, "pattern": "/^[a-z0-9]$/"},
            "Magnet": {"type": "string", "pattern": "/magnet:[a-z]+/i"},
        },
    )
    _pointers(document)
    schemas = document["components"]["schemas"]
    assert schemas["Name"]["pattern"] == "^[a-z]+$"
    assert "pattern" not in schemas["Id"]  # its text cannot meet minLength either
    # flags say it is a literal, anchored or not (peertube's `magnetUri`, also
    # `format: uri`, which a value starting with "/" could never be)
    # `i` as both cases of each letter: ECMA-262 has no inline flags, and
    # Schemathesis cannot generate from `(?i)`
    assert schemas["Magnet"]["pattern"] == "[mM][aA][gG][nN][eE][tT]:[a-zA-Z]+"


def test_a_type_every_branch_contradicts_gives_way() -> None:
    """soundcloud's `subscriptions` items: `type: array` and any of one object
    schema; no value is both (the sandbox answered 500 for its own data)."""
    document = _doc(
        {},
        {
            "User": {
                "type": "object",
                "properties": {
                    "subscriptions": {
                        "type": "array",
                        "items": {
                            "anyOf": [{"type": "object", "properties": {}}],
                            "items": {},
                            "type": "array",
                        },
                    }
                },
            },
            "Amount": {"type": "number", "oneOf": [{"type": "integer"}]},
        },
    )
    pointers = _pointers(document)
    schemas = document["components"]["schemas"]
    items = schemas["User"]["properties"]["subscriptions"]["items"]
    assert items == {"anyOf": [{"type": "object", "properties": {}}]}
    assert "/components/schemas/User/properties/subscriptions/items/type" in pointers
    assert schemas["Amount"]["type"] == "number"  # an integer is a number


def test_contradictory_schemas() -> None:
    document = _doc(
        {},
        {
            "User": {"type": "object", "properties": {"name": {"type": "string"}}},
            "UserWithStats": {
                "allOf": [
                    {"$ref": "#/components/schemas/User"},
                    {"properties": {"count": {"type": "integer"}}},
                ]
            },
            "Either": {
                "oneOf": [
                    {"$ref": "#/components/schemas/User"},
                    {"$ref": "#/components/schemas/UserWithStats"},
                ]
            },
            "Import": {
                "allOf": [
                    {
                        "additionalProperties": False,
                        "oneOf": [{"required": ["url"]}, {"required": ["file"]}],
                    },
                    {"properties": {"name": {"type": "string"}}},
                ],
                "required": ["name"],
            },
        },
    )
    pointers = _pointers(document)
    schemas = document["components"]["schemas"]
    assert "anyOf" in schemas["Either"] and "oneOf" not in schemas["Either"]
    assert "additionalProperties" not in schemas["Import"]["allOf"][0]
    assert "/components/schemas/Import/allOf/0/additionalProperties" in pointers


def test_links_no_client_can_follow_leave_the_served_document() -> None:
    document = _doc(
        {
            "/clients": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "links": {
                                "Login": {
                                    "operationId": "login",
                                    "parameters": {"client_id": "$response.body#/id"},
                                },
                                "Read": {
                                    "operationId": "read",
                                    "parameters": {
                                        "id": "$response.body#/id",
                                        "nope": "$response.body#/x",
                                    },
                                },
                            },
                        }
                    }
                }
            },
            "/token": {
                "post": {
                    "operationId": "login",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "links": {"Gone": {"operationId": "noSuchOperation"}},
                        }
                    },
                }
            },
            "/clients/{id}": {
                "get": {
                    "operationId": "read",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        }
    )
    assert len(drop_broken_links(document)) == 3
    links = document["paths"]["/clients"]["get"]["responses"]["200"]["links"]
    assert "Login" not in links
    assert links["Read"]["parameters"] == {"id": "$response.body#/id"}
    assert document["paths"]["/token"]["post"]["responses"]["200"]["links"] == {}


def test_cut_operation_names_read_back_the_same() -> None:
    name = _safe(
        "GET-api--version-domains--domain_name-users--user_name-aliases---format-"
    )
    assert name == _safe(name) and not name.endswith("-")


def test_format_suffixes_name_the_same_resource() -> None:
    assert normalise_path("/v2/accounts.json") == "/v2/accounts"
    assert normalise_path("/v2/accounts/{id}.json") == "/v2/accounts/{}"
    assert path_params("/v2/accounts/{id}.json") == ["id"]
    assert param_name("{id}.json") == "id" and param_name("accounts") is None


# data2crm's `X-API2CRM-DATA-ACTUAL-AT`, reduced: its pattern writes offsets as `+0100`.
DATED_HEADER = {
    "name": "X-Actual-At",
    "in": "header",
    "schema": {
        "type": "string",
        "format": "date-time",
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}(:\d{2}){2}[+-]\d{4}$",
    },
}


def _dated(schema: dict) -> dict:
    return _doc(
        {
            "/reports": {
                "get": {
                    "operationId": "listReports",
                    "parameters": [{**DATED_HEADER, "schema": schema}],
                    "responses": {
                        "200": {"description": "the reports"},
                        "400": {"description": "bad request"},
                    },
                }
            }
        }
    )


def test_a_date_format_its_pattern_contradicts_is_dropped() -> None:
    """No value meets both `date-time` and a `+0100`-offset pattern: the pattern
    (the wire form the author wrote) stays; a pattern that agrees keeps its format."""
    contradicted = _dated(dict(DATED_HEADER["schema"]))
    agreeing = _dated(
        {**DATED_HEADER["schema"], "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}
    )
    assert _pointers(contradicted) == [
        "/paths/~1reports/get/parameters/0/schema/format"
    ]
    assert _pointers(agreeing) == []
    schema = contradicted["paths"]["/reports"]["get"]["parameters"][0]["schema"]
    assert "format" not in schema and schema["pattern"].endswith(r"[+-]\d{4}$")
