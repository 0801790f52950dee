"""OpenAPI 3.1 -> OpenAPI 3.0.3 conversion (`schema_ingestion.openapi31`).

tests/ingestion/fixtures/oai__v31-webhook-example.yaml is copied unchanged from
/work/shared/specs (see its MANIFEST.tsv), originally
OAI/OpenAPI-Specification examples/v3.1/webhook-example.yaml
@ c3ac262c8e4b41bdc9da187dd6c7846981951ab6.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator, validate

from envfactory_compiler.schema_ingestion.conversion_notes import Note
from envfactory_compiler.schema_ingestion.openapi31 import to_openapi30

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _convert(document: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """Convert, checking the input is untouched and the output is valid 3.0."""
    before = copy.deepcopy(document)
    out, notes = to_openapi30(document)
    assert document == before, "input was mutated"
    validate(out, cls=OpenAPIV30SpecValidator)
    assert out["openapi"] == "3.0.3"
    return out, notes


def _doc(
    schemas: dict[str, Any] | None = None,
    paths: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
    }
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    document.update(extra)
    return document


def _schema(schema: Any) -> tuple[Any, list[Note]]:
    """Convert one schema placed at components/schemas/S."""
    out, notes = _convert(_doc({"S": schema}))
    return out["components"]["schemas"]["S"], notes


def _pointers(notes: list[Note]) -> list[str]:
    return [note.pointer for note in notes]


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every dict anywhere in ``node``."""
    if isinstance(node, dict):
        return [node] + [d for value in node.values() for d in _walk(value)]
    if isinstance(node, list):
        return [d for value in node for d in _walk(value)]
    return []


# ------------------------------------------------------------- fixtures


def test_discriminator_allof_spec_converts() -> None:
    source = _load(REPO / "specs" / "discriminator-allof-31.yaml")
    out, notes = _convert(source)
    assert notes == []
    assert out["components"]["schemas"] == source["components"]["schemas"]
    assert out["paths"] == source["paths"]
    assert list(out) == list(source)


def test_webhook_example_drops_webhooks_and_adds_paths() -> None:
    source = _load(HERE / "fixtures" / "oai__v31-webhook-example.yaml")
    out, notes = _convert(source)
    assert "webhooks" not in out
    assert list(out) == ["openapi", "info", "paths", "components"]
    assert out["paths"] == {}
    assert out["components"] == source["components"]
    assert _pointers(notes) == ["/webhooks/newPet"]


# ------------------------------------------------------------- document level


def test_document_level_fields() -> None:
    document = {
        "openapi": "3.1.1",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "t",
            "summary": "short",
            "version": "1",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "https://example.com"}],
        "paths": {},
        "tags": [{"name": "a"}],
        "x-top": 1,
    }
    out, notes = _convert(document)
    assert out == {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1", "license": {"name": "MIT"}},
        "servers": [{"url": "https://example.com"}],
        "paths": {},
        "tags": [{"name": "a"}],
        "x-top": 1,
    }
    assert _pointers(notes) == [
        "/jsonSchemaDialect",
        "/info/summary",
        "/info/license/identifier",
    ]


def test_license_identifier_only_becomes_name() -> None:
    document = _doc()
    document["info"]["license"] = {"identifier": "Apache-2.0"}
    out, _ = _convert(document)
    assert out["info"]["license"] == {"name": "Apache-2.0"}


def test_path_items_are_inlined() -> None:
    document = _doc(
        paths={"/a": {"$ref": "#/components/pathItems/A", "summary": "own"}},
        components={
            "pathItems": {
                "A": {
                    "summary": "shared",
                    "get": {
                        "operationId": "getA",
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "application/json": {
                                        "schema": {"type": ["string", "null"]}
                                    }
                                },
                            }
                        },
                    },
                }
            },
        },
    )
    out, notes = _convert(document)
    assert out["paths"]["/a"]["summary"] == "own"
    assert out["paths"]["/a"]["get"]["operationId"] == "getA"
    schema = out["paths"]["/a"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert schema == {"type": "string", "nullable": True}
    assert "pathItems" not in out.get("components", {})
    assert _pointers(notes) == ["/components/pathItems"]


def test_mutual_tls_is_dropped_from_schemes_and_requirements() -> None:
    document = _doc(
        components={
            "securitySchemes": {
                "tls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "name": "k", "in": "header"},
            }
        },
        security=[{"tls": [], "key": []}, {"tls": []}],
    )
    out, notes = _convert(document)
    assert list(out["components"]["securitySchemes"]) == ["key"]
    assert out["security"] == [{"key": []}]
    assert _pointers(notes) == ["/components/securitySchemes/tls"]


def test_reference_object_siblings_are_dropped_with_note() -> None:
    document = _doc(
        paths={
            "/a": {
                "get": {
                    "parameters": [
                        {"$ref": "#/components/parameters/P", "description": "over"}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        components={
            "parameters": {
                "P": {"name": "p", "in": "query", "schema": {"type": "string"}}
            }
        },
    )
    out, notes = _convert(document)
    assert out["paths"]["/a"]["get"]["parameters"] == [
        {"$ref": "#/components/parameters/P"}
    ]
    assert _pointers(notes) == ["/paths/~1a/get/parameters/0/description"]


# ------------------------------------------------------------------ schemas


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": ["string", "null"]}, {"type": "string", "nullable": True}),
        (
            {"type": ["null", "integer"], "minimum": 1},
            {"type": "integer", "nullable": True, "minimum": 1},
        ),
        ({"type": ["null"]}, {"nullable": True, "enum": [None]}),
        ({"type": "null"}, {"nullable": True, "enum": [None]}),
        (
            {"type": ["string", "integer"], "description": "d"},
            {"description": "d", "anyOf": [{"type": "string"}, {"type": "integer"}]},
        ),
        (
            {"type": ["string", "integer", "null"]},
            {
                "nullable": True,
                "anyOf": [
                    {"type": "string", "nullable": True},
                    {"type": "integer", "nullable": True},
                ],
            },
        ),
        (
            {"type": ["string", "number"], "anyOf": [{"minLength": 1}, {"minimum": 0}]},
            {
                "anyOf": [{"minLength": 1}, {"minimum": 0}],
                "allOf": [{"anyOf": [{"type": "string"}, {"type": "number"}]}],
            },
        ),
        ({"const": "x"}, {"enum": ["x"]}),
        (
            {"type": "string", "enum": ["a", None]},
            {"type": "string", "enum": ["a", None], "nullable": True},
        ),
        (
            {"type": "number", "exclusiveMinimum": 0},
            {"type": "number", "minimum": 0, "exclusiveMinimum": True},
        ),
        (
            {"type": "number", "exclusiveMaximum": 9},
            {"type": "number", "maximum": 9, "exclusiveMaximum": True},
        ),
        (
            {"type": "number", "minimum": 5, "exclusiveMinimum": 0},
            {"type": "number", "minimum": 5},
        ),
        (
            {"type": "number", "exclusiveMinimum": 5, "minimum": 0},
            {"type": "number", "minimum": 5, "exclusiveMinimum": True},
        ),
        (
            {"type": "number", "minimum": 1, "exclusiveMinimum": True},
            {"type": "number", "minimum": 1, "exclusiveMinimum": True},
        ),
        ({"type": "string", "examples": ["a"]}, {"type": "string", "example": "a"}),
        (
            {"type": "string", "contentEncoding": "base64"},
            {"type": "string", "format": "byte"},
        ),
        (
            {"type": "string", "contentMediaType": "image/png"},
            {"type": "string", "format": "binary"},
        ),
        (
            {
                "type": "string",
                "contentMediaType": "image/png",
                "contentEncoding": "base64",
            },
            {"type": "string", "format": "byte"},
        ),
        ({"$ref": "#/components/schemas/T"}, {"$ref": "#/components/schemas/T"}),
        (
            {"$ref": "#/components/schemas/T", "description": "d", "nullable": True},
            {
                "allOf": [{"$ref": "#/components/schemas/T"}],
                "description": "d",
                "nullable": True,
            },
        ),
        (
            {"$ref": "#/components/schemas/T", "allOf": [{"required": ["a"]}]},
            {"allOf": [{"$ref": "#/components/schemas/T"}, {"required": ["a"]}]},
        ),
        (
            {
                "type": "object",
                "properties": {"a": True, "b": False},
                "additionalProperties": False,
                "required": [],
            },
            {
                "type": "object",
                "properties": {"a": {}, "b": {"not": {}}},
                "additionalProperties": False,
            },
        ),
        (
            {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]},
            {
                "anyOf": [
                    {"$ref": "#/components/schemas/T"},
                    {"nullable": True, "enum": [None]},
                ]
            },
        ),
    ],
)
def test_schema_rules_without_notes(
    schema: dict[str, Any], expected: dict[str, Any]
) -> None:
    out, notes = _convert(
        _doc(
            {
                "S": schema,
                "T": {"type": "object", "properties": {"a": {"type": "string"}}},
            }
        )
    )
    assert out["components"]["schemas"]["S"] == expected
    assert notes == []


@pytest.mark.parametrize(
    ("schema", "expected", "noted"),
    [
        (
            {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
            {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            },
            ["/prefixItems"],
        ),
        (
            {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
            {"type": "array", "maxItems": 1, "items": {"type": "string"}},
            ["/prefixItems"],
        ),
        (
            {
                "type": "array",
                "prefixItems": [{"type": "string"}],
                "items": {"type": "boolean"},
            },
            {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "boolean"}]},
            },
            ["/prefixItems"],
        ),
        (
            {
                "type": "object",
                "patternProperties": {"^x-": {"type": "string"}},
                "additionalProperties": False,
            },
            {"type": "object", "additionalProperties": {"type": "string"}},
            ["/patternProperties"],
        ),
        (
            {"type": "string", "examples": ["a", "b"]},
            {"type": "string", "example": "a"},
            ["/examples"],
        ),
        ({"const": 1, "enum": [1, 2]}, {"enum": [1]}, ["/const"]),
        (
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": "urn:x",
                "$anchor": "a",
                "$comment": "c",
                "type": "object",
                "unevaluatedProperties": False,
                "dependentRequired": {"a": ["b"]},
                "if": {"required": ["a"]},
                "then": {},
                "else": {},
                "propertyNames": {"pattern": "^a"},
            },
            {"type": "object"},
            [
                "/$schema",
                "/$id",
                "/$anchor",
                "/$comment",
                "/unevaluatedProperties",
                "/dependentRequired",
                "/if",
                "/then",
                "/else",
                "/propertyNames",
            ],
        ),
        (
            {"type": "string", "contentMediaType": "application/json"},
            {"type": "string"},
            ["/contentMediaType"],
        ),
    ],
)
def test_schema_rules_with_notes(
    schema: dict[str, Any], expected: dict[str, Any], noted: list[str]
) -> None:
    converted, notes = _schema(schema)
    assert converted == expected
    assert _pointers(notes) == ["/components/schemas/S" + suffix for suffix in noted]


def test_schema_keeps_key_order_and_vendor_extensions() -> None:
    schema = {
        "title": "Pet", "type": "object", "x-a": 1, "required": ["id"], "description": "d",
        "properties": {"id": {"type": "integer", "x-b": 2}, "tags": {"type": ["array", "null"], "items": {"type": "string"}}},
        "example": {"id": 1}, "deprecated": True,
    }  # fmt: skip
    converted, _ = _schema(schema)
    assert list(converted) == list(schema)
    assert converted["properties"]["id"] == {"type": "integer", "x-b": 2}
    assert converted["properties"]["tags"] == {
        "type": "array",
        "nullable": True,
        "items": {"type": "string"},
    }


def test_defs_are_hoisted_and_refs_rewritten() -> None:
    schemas = {
        "Tree": {
            "type": "object",
            "properties": {
                "node": {"$ref": "#/components/schemas/Tree/$defs/Node"},
                "leaf": {"$ref": "#/$defs/Leaf"},
                "name": {
                    "$ref": "#/components/schemas/Tree/$defs/Node/properties/name"
                },
            },
            "$defs": {
                "Node": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Leaf": {"type": ["string", "null"]},
            },
        },
        "Node": {"type": "integer"},
        "Other": {
            "discriminator": {
                "propertyName": "k",
                "mapping": {"n": "#/components/schemas/Tree/$defs/Node"},
            },
            "type": "object",
        },
    }
    out, notes = _convert(_doc(schemas))
    converted = out["components"]["schemas"]
    assert list(converted) == ["Tree", "Node", "Other", "Node_2", "Leaf"]
    assert converted["Tree"]["properties"] == {
        "node": {"$ref": "#/components/schemas/Node_2"},
        "leaf": {"$ref": "#/components/schemas/Leaf"},
        "name": {"$ref": "#/components/schemas/Node_2/properties/name"},
    }
    assert "$defs" not in converted["Tree"]
    assert converted["Leaf"] == {"type": "string", "nullable": True}
    assert converted["Other"]["discriminator"]["mapping"] == {
        "n": "#/components/schemas/Node_2"
    }
    assert _pointers(notes) == [
        "/components/schemas/Tree/$defs/Node",
        "/components/schemas/Tree/$defs/Leaf",
    ]


def test_dangling_and_non_local_refs_are_noted() -> None:
    schemas = {
        "A": {
            "properties": {
                "b": {"$ref": "#/webhooks/x"},
                "c": {"$ref": "https://example.com/s.json"},
            }
        }
    }
    _, notes = to_openapi30(
        _doc(schemas, webhooks={"x": {}})
    )  # does not validate: dangling
    assert _pointers(notes) == [
        "/webhooks/x",
        "/components/schemas/A/properties/b/$ref",
        "/components/schemas/A/properties/c/$ref",
    ]


def test_every_schema_location_is_converted() -> None:
    nullable = {"type": ["string", "null"]}
    media = {
        "application/json": {
            "schema": nullable,
            "encoding": {"a": {"headers": {"X": {"schema": nullable}}}},
        }
    }
    operation = {
        "parameters": [
            {"name": "q", "in": "query", "schema": nullable},
            {"name": "c", "in": "query", "content": media},
        ],
        "requestBody": {"content": media},
        "responses": {
            "200": {
                "description": "ok",
                "headers": {"X": {"schema": nullable}},
                "content": media,
            }
        },
        "callbacks": {
            "cb": {
                "{$request.query.q}": {
                    "post": {
                        "requestBody": {"content": media},
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            }
        },
    }
    document = _doc(
        {"S": {"type": "object", "properties": {"a": nullable}, "additionalProperties": nullable, "not": nullable,
               "allOf": [nullable], "oneOf": [nullable], "anyOf": [nullable], "items": nullable}},
        paths={"/a": {"parameters": [{"name": "p", "in": "query", "schema": nullable}], "post": operation}},
    )  # fmt: skip
    document["components"].update(
        {
            "parameters": {"P": {"name": "p", "in": "query", "schema": nullable}},
            "requestBodies": {"B": {"content": media}},
            "responses": {"R": {"description": "r", "content": media}},
            "headers": {"H": {"schema": nullable}},
            "callbacks": {
                "C": {
                    "{$url}": {
                        "get": {
                            "responses": {
                                "200": {"description": "ok", "content": media}
                            }
                        }
                    }
                }
            },
        }
    )
    out, notes = _convert(document)
    typed = [node for node in _walk(out) if node.get("type") not in (None, "object")]
    assert len(typed) >= 20
    assert [
        n for n in typed if n["type"] != "string" or n.get("nullable") is not True
    ] == []
    assert notes == []
