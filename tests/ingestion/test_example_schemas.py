"""Responses documented only by an example get a schema read off it."""

from __future__ import annotations

from conftest import SPECS
from envfactory_compiler import SchemaLoader
from envfactory_compiler.schema_ingestion.example_schemas import (
    MARK,
    derive_example_schemas,
    schema_of,
)


def test_schema_of_an_example_keeps_its_shape_and_values() -> None:
    schema = schema_of(
        {
            "id": "7",
            "count": 2,
            "ok": True,
            "at": "2021-08-06T15:25:53.197Z",
            "gone": None,
            "tags": ["a"],
        }
    )
    assert schema["type"] == "object" and schema["required"] == [
        "id",
        "count",
        "ok",
        "at",
        "tags",
    ]
    props = schema["properties"]
    assert (
        props["id"] == {"type": "string", "example": "7"}
        and props["count"]["type"] == "integer"
    )
    assert props["at"]["format"] == "date-time" and props["gone"] == {"nullable": True}
    assert props["tags"] == {
        "type": "array",
        "items": {"type": "string", "example": "a"},
    }


def test_a_mixed_list_keeps_only_what_every_element_shares() -> None:
    included = [
        {"id": "8", "type": "activity_type", "attributes": {"name": "x"}},
        {"id": "9", "type": "member", "attributes": {"slug": "y"}},
    ]
    items = schema_of(included)["items"]
    assert items["required"] == ["id", "type"] and set(items["properties"]) == {
        "id",
        "type",
    }


def test_only_example_only_json_responses_get_a_schema() -> None:
    document = {
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {"application/json": {"example": {"id": 1}}}
                        },
                        "201": {
                            "content": {
                                "application/json": {
                                    "schema": {"type": "string"},
                                    "example": "x",
                                }
                            }
                        },
                        "202": {"content": {"text/plain": {"example": "x"}}},
                        "203": {
                            "content": {
                                "application/vnd.api+json": {
                                    "examples": {"one": {"value": [1]}}
                                }
                            }
                        },
                    }
                }
            }
        }
    }
    added = derive_example_schemas(document)
    assert added == [
        "/paths/~1a/get/responses/200/content/application~1json/schema",
        "/paths/~1a/get/responses/203/content/application~1vnd.api+json/schema",
    ]
    responses = document["paths"]["/a"]["get"]["responses"]
    assert responses["200"]["content"]["application/json"]["schema"][MARK] is True
    assert responses["201"]["content"]["application/json"]["schema"] == {
        "type": "string"
    }
    assert "schema" not in responses["202"]["content"]["text/plain"]


def test_orbit_love_responses_are_typed_and_the_build_says_so() -> None:
    spec = SchemaLoader().load(str(SPECS / "orbit-love.yaml"))
    workspaces = next(e for e in spec.endpoints if e.name == "get__workspaces")
    assert workspaces.response("200").schema["properties"]["data"]["type"] == "array"
    assert any("read off that example" in w.message for w in spec.warnings)
