"""How the sandbox reads values off the wire (envfactory_runtime.sandbox.validation)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def validation():
    from envfactory_runtime.sandbox import validation

    validation.register_formats()
    return validation


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        (
            "uri",
            ["https://example.com/a?b=c#d", "mailto:a@b.c", "urn:isbn:0451450523"],
            ["", "example.com", "a:b c", "a:<x>"],
        ),
        (
            "hostname",
            ["example.com", "a-b.c", "localhost"],
            ["", "-a", "a..b", "a_b", "a."],
        ),
        (
            "email",
            ["a.b@example.com", "a@[1.2.3.4]"],
            ["", "a", "@b", "a@", "a..b@c", "a@b_c"],
        ),
        (  # ARM's `windowSize`, `nodeIdleTimeBeforeScaleDown`
            "duration",
            ["PT5M", "P1D", "P2W", "P1Y2M3DT4H5M6S", "PT1H30M"],
            ["", "P", "PT", "P1DT", "PT1.5S", "P1M1Y", "PT5M10H", "00:05:00"],
        ),
    ],
)
def test_formats_follow_their_rfcs(
    validation, fmt: str, good: list[str], bad: list[str]
) -> None:
    from jsonschema import Draft4Validator

    check = Draft4Validator(
        {"type": "string", "format": fmt}, format_checker=Draft4Validator.FORMAT_CHECKER
    )
    assert all(check.is_valid(v) for v in good)
    assert not any(check.is_valid(v) for v in bad)


def test_scalars_are_read_as_their_schema_types(validation) -> None:
    read = validation._scalar
    assert read({"type": "integer"}, "42") == 42
    assert (
        read({"type": "integer"}, "1.5") == "1.5"
    )  # left as text, for the schema check to refuse
    assert read({"type": "integer"}, "5_0") == "5_0"
    assert read({"type": "number"}, "0") == 0 and read({"type": "number"}, "2.5") == 2.5
    assert read({"type": "boolean"}, "true") is True
    assert read({"allOf": [{"type": "integer"}]}, "7") == 7
    assert read({"type": "integer", "nullable": True}, "null") is None
    assert read({"type": "string"}, "true") == "true"  # a form's text is text
    assert read({"type": "object"}, '{"a": 1}') == {"a": 1}
    # an untyped schema that still describes an object (peertube's `scheduleUpdate`) reads JSON text as JSON,
    # so its `required` applies; one that describes nothing keeps the text
    assert read(
        {"properties": {"updateAt": {"type": "string"}}, "required": ["updateAt"]},
        '{"x": 1}',
    ) == {"x": 1}
    assert read({}, '{"x": 1}') == '{"x": 1}'


def test_headers_are_typed_like_query_parameters(validation) -> None:
    number = {"name": "X-Length", "in": "header", "schema": {"type": "number"}}
    assert validation._typed(number, "0") == 0
    assert validation._typed(
        {
            "name": "X",
            "in": "header",
            "schema": {"type": "array", "items": {"type": "integer"}},
        },
        "1,2",
    ) == [1, 2]


def test_forms_are_typed_through_allof(validation) -> None:
    schema = {
        "allOf": [
            {
                "properties": {
                    "category": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                }
            },
            {"properties": {"name": {"allOf": [{"type": "string"}]}}},
        ]
    }
    form = {"category": ["15"], "tags": ["a", "b"], "name": ["x"]}
    assert validation._resolve_form(form, schema, {}) == {
        "category": 15,
        "tags": ["a", "b"],
        "name": "x",
    }
    # `{}` sent for an array is an object, not a one-item array of text
    assert validation._resolve_form({"tags": ["{}"]}, schema, {}) == {"tags": {}}
    # repeated parts of a scalar field stay a list, which the schema check refuses
    assert validation._resolve_form({"category": ["1", "2"]}, schema, {}) == {
        "category": [1, 2]
    }


def test_form_fields_declared_in_branches_are_typed_where_the_branches_agree(
    validation,
) -> None:
    schema = {
        "allOf": [
            {
                "oneOf": [
                    {
                        "required": ["targetUrl"],
                        "properties": {
                            "targetUrl": {"type": "string"},
                            "size": {"type": "integer"},
                        },
                    },
                    {
                        "required": ["torrentfile"],
                        "properties": {
                            "torrentfile": {"type": "string", "format": "binary"},
                            "size": {"type": "string"},
                        },
                    },
                ]
            },
            {"properties": {"channelId": {"type": "integer"}}},
        ]
    }
    fields = validation._properties(schema)
    assert fields["targetUrl"] == {"type": "string"} and validation._is_file(
        fields["torrentfile"]
    )
    assert (
        fields["size"] == {}
    )  # typed differently by the branches: its text is left for them to judge
    assert validation._resolve_form(
        {"channelId": ["3"], "size": ["7"]}, schema, {}
    ) == {"channelId": 3, "size": "7"}


def test_multipart_literals_are_json_values_except_where_text_is_meant(
    validation,
) -> None:
    literal = validation._json_literal
    assert literal({"type": "string"}, "null") and literal(
        {}, "true"
    )  # a oneOf branch's field, untyped here
    assert not literal({"type": "string"}, "nullish")
    assert not literal({"type": "string", "format": "binary"}, "null")  # file contents
    assert not literal(
        {"type": "string", "enum": ["true", "false"]}, "true"
    )  # the enum's own spelling
