"""The Schemathesis findings left in docs/corpus.md and docs/wide-corpus-served.md,
reduced (tests/schemathesis_known/ holds the larger reductions) and run for real.

All come from Schemathesis 4.32.5 (the newest release), not from the sandbox:
no server can clear them. Each runs the real tool against a real served sandbox,
as the corpus runner does. The xfails are strict: when a Schemathesis release
fixes one, the suite says so, and `make corpus` should be run again; any
other finding fails outright.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from conftest import ROOT, build
from envfactory_compiler.corpus.conformance import check


def _one_operation(title: str, path: str, method: str, operation: dict) -> dict:
    """An OpenAPI 3.0.3 document of one operation: a reduction's whole spec."""
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0"},
        "paths": {path: {method: operation}},
    }


def _form_body(schema: dict, **media: dict) -> dict:
    """A required urlencoded request body of `schema` (Stripe's bodies)."""
    return {
        "required": True,
        "content": {"application/x-www-form-urlencoded": {**media, "schema": schema}},
    }


def _objects(properties: dict, **constraints) -> dict:
    """An array of objects with these properties (Stripe's and AWS's lists of
    records, which Schemathesis writes as their keys in a query or a form)."""
    return {
        "type": "array",
        **constraints,
        "items": {"type": "object", **properties},
    }


FORM_ARRAY = _one_operation(
    "Form array",
    "/notes",
    "post",
    {
        "operationId": "createNote",
        "requestBody": _form_body(
            {
                "type": "object",
                "required": ["tags"],
                "properties": {"tags": {"type": "array", "items": {"type": "string"}}},
            }
        ),
        "responses": {
            "201": {"description": "created"},
            "400": {"description": "bad request"},
        },
    },
)


class KnownFinding(Exception):
    """Schemathesis reported exactly the finding the test is about."""


def _expect_only(
    spec: dict | Path, tmp_path: Path, known: tuple[str, ...], *, seed: int = 0
) -> None:
    """Serve `spec` (a document, or a file as it is written: key order steers
    Schemathesis's draws) to Schemathesis at `seed`; its findings are `known`
    (raised as `KnownFinding`) or nothing."""
    path = spec if isinstance(spec, Path) else tmp_path / "spec.yaml"
    if isinstance(spec, dict):
        path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    project = build(path, tmp_path / "out")
    outcome = check(project, tmp_path, max_examples=10, seed=seed, timeout=300)
    assert outcome.ran, outcome.note
    assert outcome.findings in ((), known), outcome.findings
    if outcome.findings:
        raise KnownFinding(outcome.findings)


def test_a_one_item_form_array_is_sent_exactly_as_its_item() -> None:
    """What Schemathesis sends as a schema-violating string is, byte for byte,
    the valid one-item array (OpenAPI's default `form` style, `explode: true`)."""
    as_array = httpx.Request(
        "POST", "http://127.0.0.1/notes", data={"tags": ["AAA"]}
    ).read()
    as_string = httpx.Request(
        "POST", "http://127.0.0.1/notes", data={"tags": "AAA"}
    ).read()
    assert as_array == as_string == b"tags=AAA"


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis mutates a form array into one string and expects a refusal, but the wire "
        "cannot tell them apart and its 'valid as sent' re-check never reads a field as a one-item "
        "array (salesloft x2, peertube x2 in docs/corpus.md)"
    ),
)
def test_schemathesis_takes_a_one_item_form_array_for_a_string(tmp_path: Path) -> None:
    _expect_only(
        FORM_ARRAY, tmp_path, ("POST /notes: Schema-violating request accepted",)
    )


MULTIPART_TEXT = _one_operation(
    "Connectors",
    "/connectors",
    "post",
    {
        "operationId": "addConnector",
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string"},
                            "types": {"type": "string", "example": "false"},
                        },
                    }
                }
            },
        },
        "responses": {"200": {"description": "the connector"}},
    },
)


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis writes the text `false` and the boolean `false` into a multipart "
        "part alike (its `_prepare_form_value` gives booleans their JSON spelling), then "
        "expects the first accepted and the second, in a text field, refused: no server "
        "can do both. The sandbox reads such a part as the JSON literal (biapi's "
        "`POST /connectors`, where a naughty-string draw was `false`)"
    ),
)
def test_schemathesis_sends_text_and_booleans_alike_in_multipart(
    tmp_path: Path,
) -> None:
    _expect_only(
        MULTIPART_TEXT, tmp_path, ("POST /connectors: Schema-valid request rejected",)
    )


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis crashes with `ValueError: Unsupported type: 'Binary'` generating peertube's "
        "multipart `oneOf` with a `format: binary` branch, in its coverage and fuzzing phases "
        "(cf. schemathesis#3547, which fixed the case of binary array items)"
    ),
)
def test_schemathesis_generates_peertube_video_imports(tmp_path: Path) -> None:
    spec = yaml.safe_load(
        (ROOT / "specs" / "corpus" / "cpy.re__peertube-3.3.0.yaml").read_text(
            encoding="utf-8"
        )
    )
    spec["paths"] = {
        "/videos/imports": {"post": spec["paths"]["/videos/imports"]["post"]}
    }
    _expect_only(
        spec,
        tmp_path,
        ("POST /videos/imports: Schemathesis error: Unsupported type: 'Binary'",),
    )


FIXED_WIDTH_HEADER = _one_operation(
    "Fixed-width header",
    "/reports",
    "get",
    {
        "operationId": "listReports",
        "parameters": [
            {
                "name": "X-Period",
                "in": "header",
                "schema": {"type": "string", "pattern": "^[a-z]{4}-[a-z]{2}$"},
            }
        ],
        "responses": {
            "200": {"description": "the reports"},
            "400": {"description": "bad request"},
        },
    },
)


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis's coverage phase sends an empty value as the valid value of an "
        "optional header whose pattern has fixed-count quantifiers (`^[a-z]{4}-[a-z]{2}$`; "
        "`^[a-z]+$` is fine), and takes the sandbox's 400 for valid data rejected "
        "(data2crm's `X-API2CRM-DATA-ACTUAL-AT`, x140 in docs/wide-corpus-served.md)"
    ),
)
def test_schemathesis_sends_an_empty_fixed_width_header(tmp_path: Path) -> None:
    _expect_only(
        FIXED_WIDTH_HEADER, tmp_path, ("GET /reports: Schema-valid request rejected",)
    )


KNOWN = Path(__file__).parent / "schemathesis_known"


def _known_spec(name: str) -> dict:
    return yaml.safe_load((KNOWN / name).read_text(encoding="utf-8"))


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis matches sibling paths against the sent path with its `#fragment` still on "
        "(`/links#deviceId`, AWS's convention for one URL with several operations), so it takes "
        "the bare key's GET for undeclared and expects 405 from a valid GET; and it checks an "
        "OPTIONS answer against one key's methods, though both keys are the same URL "
        "(networkmanager's link-associations in docs/wide-corpus-served.md)"
    ),
)
def test_schemathesis_reads_a_fragment_path_key_as_another_url(tmp_path: Path) -> None:
    _expect_only(
        _known_spec("fragment_path_key.yaml"),
        tmp_path,
        (
            "GET /links#deviceId: Wrong response to undeclared method",
            "OPTIONS /links: Allow header mismatch",
        ),
    )


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis's coverage phase sends the body `0` with a path parameter's boundary "
        "value when the body holds a patterned string with a ten-million `maxLength`, and "
        "takes the sandbox's 400 ('0 is not of type object') for valid data rejected "
        "(networkmanager's POST /tags/{resourceArn} in docs/wide-corpus-served.md)"
    ),
)
def test_schemathesis_sends_a_number_for_an_object_body(tmp_path: Path) -> None:
    _expect_only(
        _known_spec("boundary_path_with_patterned_body.yaml"),
        tmp_path,
        ("POST /tags/{resourceArn}: Schema-valid request rejected",),
    )


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis's stateful links carry an empty name from a create's body into a path "
        "parameter, and its urljoin drops the empty segment: PUT /configuration-sets//sending "
        "goes out as PUT /configuration-sets/sending, the item 'sending', which has no PUT "
        "(405; cf. schemathesis#2790, fixed for generated path parameters only; "
        "pinpoint-email in docs/wide-corpus-served.md)"
    ),
)
def test_schemathesis_drops_an_empty_path_segment_from_a_link(tmp_path: Path) -> None:
    _expect_only(
        _known_spec("empty_path_segment.yaml"),
        tmp_path,
        (
            "Stateful tests: Schema-valid request rejected",
            "Stateful tests: Undocumented status code",
        ),
    )


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis mutates an XML body's array into a scalar or an empty value and expects "
        "a refusal, but XML writes both alike: `<Consumers></Consumers>` is the empty wrapped "
        "array, `<Names>a</Names>` a one-item unwrapped one (AWS's query protocol posts "
        "`text/xml`: elasticloadbalancing x22 in docs/wide-corpus-served-seed7.md)"
    ),
)
def test_schemathesis_mutates_an_xml_array_into_its_own_wire_form(
    tmp_path: Path,
) -> None:
    spec = yaml.safe_load(
        (ROOT / "tests" / "real_shapes" / "xml_bodies.yaml").read_text(encoding="utf-8")
    )
    _expect_only(spec, tmp_path, ("POST /queues: Schema-violating request accepted",))


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis mutates a string in an XML body into an integer, and a map's string "
        "value into null, and expects a refusal, but XML writes them as the text "
        "`2495483367` and `null`, which are strings: no server can tell (a `*/*` body, "
        "Kubernetes' shape, sent as `text/xml`; found at seed 11)"
    ),
)
def test_schemathesis_mutates_xml_text_into_xml_text(tmp_path: Path) -> None:
    _expect_only(
        ROOT / "tests" / "real_shapes" / "yaml_bodies.yaml",
        tmp_path,
        ("Stateful tests: Schema-violating request accepted",),
        seed=11,
    )


QUERY_OBJECTS = _one_operation(
    "Tags in the query",
    "/tags",
    "get",
    {
        "operationId": "AddTags",
        "parameters": [
            {
                "name": "Tags",
                "in": "query",
                "required": True,
                "schema": _objects(
                    {
                        "required": ["Key"],
                        "properties": {
                            "Key": {"type": "string"},
                            "Value": {"type": "string"},
                        },
                    },
                    minItems=1,
                ),
            }
        ],
        "responses": {"200": {"description": "tagged"}},
    },
)


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "OpenAPI leaves an array of objects in a query undefined, and Schemathesis sends each "
        "item as its property names (`?Tags=Key` for `[{'Key': ''}]`), which no server can read "
        "back as objects (AWS's query protocol: elasticloadbalancing's Tags, Instances, x10 in "
        "docs/wide-corpus-served-seed7.md)"
    ),
)
def test_schemathesis_sends_query_objects_as_their_keys(tmp_path: Path) -> None:
    _expect_only(QUERY_OBJECTS, tmp_path, ("GET /tags: Schema-valid request rejected",))


RAW_UPLOAD = _one_operation(
    "Release assets",
    "/releases/{releaseId}/assets",
    "post",
    {
        "operationId": "uploadReleaseAsset",
        "parameters": [
            {
                "name": "releaseId",
                "in": "path",
                "required": True,
                "schema": {"type": "integer"},
            },
            {
                "name": "name",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
            },
        ],
        "requestBody": {
            "content": {
                "*/*": {
                    "schema": {"type": "string", "description": "The raw file data"}
                }
            }
        },
        "responses": {
            "201": {
                "description": "uploaded",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"name": {"type": "string"}},
                        }
                    }
                },
            }
        },
    },
)


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "For a `*/*` body of raw data (a string), Schemathesis mutates the string into a "
        "number and expects a refusal, but it sends the number's digits, which are raw data "
        "like any other: no server can tell (GitHub's release assets, wide corpus seed 99)"
    ),
)
def test_schemathesis_mutates_raw_data_into_raw_data(tmp_path: Path) -> None:
    _expect_only(
        RAW_UPLOAD,
        tmp_path,
        ("POST /releases/{releaseId}/assets: Schema-violating request accepted",),
    )


HEADER_OBJECT = _one_operation(
    "Forms",
    "/forms/recognize",
    "post",
    {
        "operationId": "recognizeForm",
        "parameters": [
            {
                "name": "template",
                "in": "header",
                "schema": {
                    "type": "object",
                    "properties": {
                        "Name": {"type": "string"},
                        "FieldDefinitions": {
                            "type": "array",
                            "items": {"type": "string"},
                        },
                    },
                },
            }
        ],
        "responses": {"200": {"description": "the fields read"}},
    },
)


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "OpenAPI's `simple` style writes a header object as `key,value,...` and leaves a "
        "value that is itself an array or object undefined; Schemathesis writes such values "
        "with Python's repr (`FieldDefinitions,['a', 'b']`), commas and all, which no server "
        "can read back as the object (Cloudmersive OCR's form template, wide corpus seed 99)"
    ),
)
def test_schemathesis_writes_arrays_in_a_header_object_as_python_repr(
    tmp_path: Path,
) -> None:
    _expect_only(
        HEADER_OBJECT,
        tmp_path,
        ("POST /forms/recognize: Schema-valid request rejected",),
    )


FORM_OBJECT_ARRAY = _one_operation(
    "Subscription items",
    "/subscription_items",
    "post",
    {
        "operationId": "addSubscriptionItems",
        "requestBody": _form_body(
            {
                "type": "object",
                "properties": {
                    "items": _objects(
                        {
                            "properties": {
                                "price": {"type": "string"},
                                "quantity": {"type": "integer"},
                            }
                        }
                    )
                },
            },
            encoding={"items": {"style": "deepObject", "explode": True}},
        ),
        "responses": {"200": {"description": "the items added"}},
    },
)


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "An array of objects in a urlencoded form (`deepObject`: `items[0][price]=p`, as "
        "Stripe's clients write it) is sent by Schemathesis as the items' property names "
        "(`items=price&items=quantity`), as it sends query arrays of objects: no server "
        "can read objects back from that (Stripe's `items`, `phases`, wide corpus seed 99)"
    ),
)
def test_schemathesis_sends_form_arrays_of_objects_as_their_keys(
    tmp_path: Path,
) -> None:
    _expect_only(
        FORM_OBJECT_ARRAY,
        tmp_path,
        ("POST /subscription_items: Schema-valid request rejected",),
    )


FORM_REQUIRED_ARRAY = _one_operation(
    "Checkout sessions",
    "/checkout/sessions",
    "post",
    {
        "operationId": "createCheckoutSession",
        "requestBody": _form_body(
            {
                "type": "object",
                "required": ["line_items", "business_profile"],
                "properties": {
                    "line_items": {"type": "array", "items": {"type": "string"}},
                    "business_profile": {
                        "type": "object",
                        "properties": {"name": {"type": "string"}},
                    },
                },
            }
        ),
        "responses": {"200": {"description": "the session"}},
    },
)


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "A urlencoded form writes an empty array or object as nothing at all, so a form "
        "without a required one is it empty, which the schema allows; Schemathesis drops the "
        "field as a 'missing required property' and expects a refusal (Stripe's line_items, "
        "permissions, business_profile, wide corpus seed 99)"
    ),
)
def test_schemathesis_takes_an_empty_form_value_for_a_missing_one(
    tmp_path: Path,
) -> None:
    _expect_only(
        FORM_REQUIRED_ARRAY,
        tmp_path,
        ("POST /checkout/sessions: Schema-violating request accepted",),
    )


@pytest.mark.xfail(
    strict=True,
    raises=KnownFinding,
    reason=(
        "Schemathesis mutates a `*/*` body's types as if it were JSON (its type mutations skip "
        "urlencoded bodies, not `*/*` ones), then sends it as a form, where a number or null is "
        "its text, an array of one string that string and an object its keys: the form sent is "
        "valid and expected refused (Kubernetes' DeleteOptions on networkpolicies' and "
        "csistoragecapacities' deletecollection, wide corpus seed 99)"
    ),
)
def test_schemathesis_mutates_an_any_media_type_body_sent_as_a_form(
    tmp_path: Path,
) -> None:
    _expect_only(
        KNOWN / "any_media_type_body.yaml",
        tmp_path,
        ("DELETE /policies: Schema-violating request accepted",),
        seed=10,
    )
