"""Lenient by default, strict on request: validator findings that do not stop
compilation leave out the part they are about, with a warning, and the
served document is one the OpenAPI schema and Connexion accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, run_envc, tree_digest
from envfactory_compiler.diagnostics import SpecError
from envfactory_compiler.schema_ingestion import SchemaLoader
from envfactory_compiler.schema_ingestion.leniency import settle
from envfactory_compiler.schema_ingestion.validation import validate

LENIENT = ROOT / "tests" / "tolerated_specs" / "lenient.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[object, Path]:
    out = tmp_path_factory.mktemp("lenient")
    result = run_envc(
        "build", str(LENIENT), "-o", str(out), "--name", "lenient", "--verbose"
    )
    assert result.exit_code == 0, result.output
    return result, out / "lenient_env" / "lenient_env"


def test_each_finding_is_a_warning_naming_what_was_left_out(built) -> None:
    result, _ = built
    output = result.output
    for pointer, left in [
        ("/paths/~1orders~1{orderId}/get/parameters/0/style", "left out 'style'"),
        ("/paths/~1orders/get/parameters/0/schema/maximum", "left out 'maximum'"),
        ("/components/schemas/Order/properties/total/minimum", "left out 'minimum'"),
        ("/components/schemas/Order/properties/status/nullable", "left out 'nullable'"),
        ("/paths/~1orders/post/responses", "operation POST /orders left out"),
    ]:
        line = next(
            (line for line in output.splitlines() if f"#{pointer}: warning:" in line),
            "",
        )
        assert left in line, output
    assert "2 operations (1 left out)" in output


def test_the_served_document_is_valid_and_keeps_the_rest(built) -> None:
    from connexion.spec import Specification

    _, module = built
    document = json.loads((module / "openapi.json").read_text(encoding="utf-8"))
    assert validate(document, "3.0", "openapi.json") == []
    Specification.load(module / "openapi.json")  # Connexion's own startup check
    get_order = document["paths"]["/orders/{orderId}"]["get"]
    assert "style" not in get_order["parameters"][0] and get_order["parameters"][0][
        "schema"
    ] == {"type": "string"}
    assert "post" not in document["paths"]["/orders"]
    order = document["components"]["schemas"]["Order"]["properties"]
    assert (
        order["status"]["enum"] == ["open", "shipped"]
        and "nullable" not in order["status"]
    )
    assert (
        order["expression"]["pattern"] == r"^\$\{Parameters\.[a-z]+}$"
    )  # valid for Python's re: kept


def test_strict_refuses_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    before = tree_digest(tmp_path)
    result = run_envc("build", str(LENIENT), "-o", str(tmp_path), "--strict")
    assert result.exit_code == 1
    assert (
        "#/paths/~1orders/post/responses: error:" in result.output
        and "nothing was written" in result.output
    )
    assert tree_digest(tmp_path) == before


def test_no_operation_left_is_an_error_naming_each_reason(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /a: {get: {responses: nope}}\n  /b: {post: {responses: [1]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as caught:
        SchemaLoader().load(str(spec))
    pointers = [d.pointer for d in caught.value.diagnostics]
    assert pointers == [
        "/paths/~1a/get/responses",
        "/paths/~1b/post/responses",
        "/paths",
    ]
    assert "no operation is left" in caught.value.diagnostics[-1].message


def test_an_undeclared_path_parameter_is_declared_as_a_string() -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{id}": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    settled = settle(document, "3.0", "s.yaml")
    assert not settled.errors and not settled.left_out
    assert document["paths"]["/a/{id}"]["get"]["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    assert validate(document, "3.0", "s.yaml") == []


def test_swagger2_findings_are_settled_in_the_document_s_own_version() -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{id}": {
                "get": {
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "type": "integer",
                            "maximum": "big",
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    settled = settle(document, "2.0", "s.yaml")
    assert not settled.errors and not settled.left_out, settled
    parameters = document["paths"]["/a/{id}"]["get"]["parameters"]
    assert parameters == [
        {"name": "q", "in": "query", "type": "integer"},
        {"name": "id", "in": "path", "required": True, "type": "string"},
    ]
    assert validate(document, "2.0", "s.yaml") == []


def test_a_default_off_its_format_is_left_out_where_it_is() -> None:
    """Reduced from gsmtasks.com: many '' defaults, a few of them on `format: email`.
    The validator's finding names no path; the default left out is the one on the
    schema the finding names, so one round settles it (every round, and an error,
    when the first '' default in the document was taken instead)."""
    plain = {"type": "string", "default": ""}
    email = {"type": "string", "format": "email", "default": ""}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Export": {
                    "type": "object",
                    "properties": {"name": dict(plain), "email": dict(email)},
                }
            }
        },
    }
    settled = settle(document, "3.0", "s.yaml")
    assert not settled.errors and len(settled.warnings) == 1, settled
    properties = document["components"]["schemas"]["Export"]["properties"]
    assert properties == {
        "name": plain,
        "email": {"type": "string", "format": "email"},
    }
