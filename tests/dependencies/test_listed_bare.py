"""A list documented as one typeless object (properties, no `type`): the sandbox answers the
items in a bare array, which that schema admits, so ids are read at `/0/...`."""

from __future__ import annotations

from pathlib import Path

import yaml

from envfactory_compiler.dependency_inference import DependencyInferencer
from envfactory_compiler.schema_ingestion import SchemaLoader

PET = {
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}


def _spec(listed: dict) -> dict:
    ok = {"content": {"application/json": {"schema": listed}}}
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "responses": {"200": {"description": "ok", **ok}},
                }
            },
            "/pets/{petId}": {
                "get": {
                    "operationId": "showPetById",
                    "parameters": [
                        {
                            "name": "petId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Pet"}
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {"schemas": {"Pet": PET, "Typed": {"type": "object", **PET}}},
    }


def _source(tmp_path: Path, listed: dict) -> str | None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(_spec(listed), sort_keys=False), encoding="utf-8")
    spec = SchemaLoader().load(str(path))
    graph = DependencyInferencer(spec.document).infer(spec.endpoints, spec.resources)
    if not graph.has_edge("listPets", "showPetById"):
        return None
    return graph.edges["listPets", "showPetById"]["bindings"][0]["source"]


def test_a_typeless_object_list_answer_is_read_as_its_entries(tmp_path):
    assert _source(tmp_path, {"$ref": "#/components/schemas/Pet"}) == "/0/id"


def test_a_typed_object_or_an_array_is_read_as_documented(tmp_path):
    assert _source(tmp_path, {"$ref": "#/components/schemas/Typed"}) in (None, "/id")
    assert (
        _source(
            tmp_path, {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
        )
        == "/0/id"
    )
