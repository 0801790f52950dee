"""Invalid but unambiguous specs are repaired, each repair a warning naming its JSON pointer
(`schema_ingestion.repairs`); fixtures in tests/tolerated_specs/."""

from __future__ import annotations

from pathlib import Path

import pytest

from envfactory_compiler.schema_ingestion import SchemaLoader

TOLERATED = Path(__file__).resolve().parents[1] / "tolerated_specs"


def _load(name: str):
    spec = SchemaLoader().load(str(TOLERATED / name))
    return spec, {w.pointer: w.message for w in spec.warnings}


def _schema(spec, path: str, method: str = "get") -> dict:
    return spec.document["paths"][path][method]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]


@pytest.mark.parametrize("name", ["items_tuple.yaml", "items_tuple_swagger2.yaml"])
def test_tuple_items_become_any_of(name: str) -> None:
    spec, warnings = _load(name)
    path = "/pets" if "swagger2" not in name else "/stats"
    items = _schema(spec, path)["items"]
    assert [s["$ref"].rsplit("/", 1)[1] for s in items["anyOf"]] in (
        ["Cat", "Dog"],
        ["Counter", "Gauge"],
    )
    pointer = (
        "/paths/~1pets/get/responses/200/content/application~1json/schema/items"
        if "swagger2" not in name
        else "/paths/~1stats/get/responses/200/schema/items"
    )
    assert "'items' is a list" in warnings[pointer]


def test_path_parameter_is_made_required() -> None:
    spec, warnings = _load("path_param_not_required.yaml")
    assert (
        spec.document["paths"]["/foods/{foodId}"]["get"]["parameters"][0]["required"]
        is True
    )
    assert "foodId" in warnings["/paths/~1foods~1{foodId}/get/parameters/0/required"]


def test_missing_responses_get_a_default() -> None:
    spec, warnings = _load("missing_responses.yaml")
    assert "default" in spec.document["paths"]["/ping"]["post"]["responses"]
    assert "no 'responses'" in warnings["/paths/~1ping/post/responses"]


def test_component_path_items_in_30_are_inlined() -> None:
    spec, warnings = _load("component_path_items_30.yaml")
    assert [e.name for e in spec.endpoints] == ["listPets"]
    assert "pathItems" not in spec.document.get("components", {})
    assert "inlined" in warnings["/components/pathItems"]


def test_wrong_type_defaults_are_split_or_dropped() -> None:
    spec, warnings = _load("wrong_type_defaults.yaml")
    access, limit, ranges = spec.document["paths"]["/tracks"]["get"]["parameters"][:3]
    assert ranges["schema"]["default"] == ((-730, -30), (-30, -1))  # JSON text, read
    assert list(access["schema"]["default"]) == ["playable", "preview"]
    assert "default" not in limit["schema"]
    assert "not an array" in warnings["/paths/~1tracks/get/parameters/0/schema/default"]
    assert "dropped" in warnings["/paths/~1tracks/get/parameters/1/schema/default"]


def test_a_valid_spec_needs_no_repair() -> None:
    spec = SchemaLoader().load(
        str(Path(__file__).resolve().parents[2] / "specs" / "petstore.yaml")
    )
    assert not [w for w in spec.warnings if "validates without repairs" in w.hint]


def test_patterns_in_other_regex_dialects_are_rewritten_or_dropped() -> None:
    """AWS's `\\p{L}` classes and a mid-pattern `(?i)` mean the same in Python's
    `re` once rewritten; a named back-reference it cannot read is dropped."""
    import re

    spec, warnings = _load("regex_dialects.yaml")
    props = spec.document["paths"]["/tags"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["properties"]
    key, code = props["key"]["pattern"], props["code"]["pattern"]
    assert re.fullmatch(key, "Zoë Ünal_1:x") and not re.fullmatch(key, "no;semicolons")
    assert re.fullmatch(code, "vABC") and not re.fullmatch(code, "VABC")
    assert "pattern" not in props["pair"]
    base = "/paths/~1tags/post/requestBody/content/application~1json/schema/properties"
    assert "rewritten for Python's re" in warnings[f"{base}/key/pattern"]
    assert "dropped" in warnings[f"{base}/pair/pattern"]


def test_untidy_parts_peers_accept_are_tidied_with_warnings() -> None:
    """`info.logo`, a top-level `_id`, a tag's unknown key, `required` listing
    a property twice, a 3.1-style `exclusiveMinimum` and an `examples` map on
    a 3.0 schema: the spec builds, each one a warning naming its pointer."""
    spec, warnings = _load("untidy.yaml")
    document = spec.document
    assert "logo" not in document["info"] and "_id" not in document
    thing = document["components"]["schemas"]["Thing"]
    assert list(thing["required"]) == ["id", "name"]
    assert (
        thing["properties"]["id"]["minimum"] == 0
        and thing["properties"]["id"]["exclusiveMinimum"] is True
    )
    assert (
        thing["properties"]["name"]["example"] == "Lamp"
        and "examples" not in thing["properties"]["name"]
    )
    assert {
        "/info/logo",
        "/_id",
        "/tags/0/color",
        "/components/schemas/Thing/required",
        "/paths/~1things/get/parameters/0",
    } <= set(warnings)
    assert not document["paths"]["/things"]["get"].get("parameters")  # the nameless one


def test_a_property_named_like_a_keyword_is_left_alone() -> None:
    from envfactory_compiler.schema_ingestion.untidy import tidy

    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Doc": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "examples": {
                            "type": "object",
                            "properties": {"a": {"type": "string"}},
                        },
                    },
                }
            }
        },
    }
    from envfactory_compiler.schema_ingestion.repairs import _walk

    assert tidy(document, "3.0", _walk(document, ())) == []
    assert "examples" in document["components"]["schemas"]["Doc"]["properties"]


def test_templates_that_differ_only_in_names_are_one_route() -> None:
    """`/a/{x}` and `/a/{y}` match the same URLs: the second's DELETE joins the
    first (its parameter renamed), its GET, which the first has, is left out."""
    spec, warnings = _load("duplicate_path_templates.yaml")
    assert list(spec.document["paths"]) == ["/a/{x}"]
    route = spec.document["paths"]["/a/{x}"]
    assert set(route) == {"get", "delete"}
    assert route["delete"]["parameters"][0]["name"] == "x"
    assert "left out" in warnings["/paths/~1a~1{y}/get"]
    assert "joins '/a/{x}'" in warnings["/paths/~1a~1{y}/delete"]


def test_a_max_length_no_pattern_match_fits_in_is_dropped() -> None:
    """App Runner's `ServiceId`: a UUID pattern (36 characters) with `maxLength:
    32` admits no value, so every answer broke the served contract (a 500)."""
    spec, warnings = _load("regex_dialects.yaml")
    service = spec.document["paths"]["/tags"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["properties"]["serviceId"]
    assert "maxLength" not in service and service["minLength"] == 32  # still met
    assert service["pattern"].startswith("[0-9a-f]{8}")
    pointer = (
        "/paths/~1tags/post/requestBody/content/application~1json/schema"
        "/properties/serviceId/maxLength"
    )
    assert "shorter than the 36 characters" in warnings[pointer]
