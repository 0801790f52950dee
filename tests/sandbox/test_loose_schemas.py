"""Schemas real specs write loosely, read as their authors meant and as
Schemathesis reads them (tests/real_shapes/loose_schemas.yaml). Each shape
drew Schemathesis findings on the wide corpus (seed 99) before it was handled."""

from __future__ import annotations

import yaml

from conftest import build
from envfactory_compiler.corpus.conformance import check
from sandbox_fixtures import SHAPES, shape_fixtures

SPEC = SHAPES / "loose_schemas.yaml"
THINGS = "/subscriptions/s1/resourceGroups/{}/things"


project, client = shape_fixtures("loose_schemas")


def test_a_patterns_word_class_is_ascii_as_ecma_reads_it(client) -> None:
    assert client.get(THINGS.format("rg-1.(a)_b")).status_code == 200
    refused = client.get(THINGS.format("%C3%A4%C2%B3"))  # "ä³"
    assert refused.status_code == 400, refused.text


def test_nullable_beside_one_of_takes_null(client) -> None:
    made = client.post("/issues", json={"title": "Bug", "milestone": None})
    assert made.status_code == 201, made.text
    assert made.json()["milestone"] is None
    assert client.post("/issues", json={"title": None}).status_code == 400


def test_raw_data_sent_under_a_forms_type_is_its_bytes(client) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    sent = client.post("/releases/3/assets?name=a.zip", headers=form)
    assert sent.status_code == 201, sent.text
    raw = client.post(
        "/releases/3/assets?name=a.bin",
        content=b"\x00\x01",
        headers={"Content-Type": "application/octet-stream"},
    )
    assert raw.status_code == 201, raw.text


def test_a_header_object_is_read_in_simple_style(client) -> None:
    body = {"image": "aGk="}
    for template in ("Name,invoice,Pages,3", "Pages,2", ""):
        reply = client.post(
            "/forms/recognize", json=body, headers={"template": template}
        )
        assert reply.status_code == 200, (template, reply.text)
    odd = client.post("/forms/recognize", json=body, headers={"template": "Name"})
    assert odd.status_code == 400, odd.text


def test_a_forms_bracketed_keys_are_its_objects_and_arrays(client) -> None:
    """Stripe's forms: `cancellation_details[comment]`, `items[0][price]`,
    `expand[]`, with `additionalProperties: false` at every level."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = "customer=cus_1&cancellation_details[comment]=late&cancellation_details[feedback]=unused"
    made = client.post("/subscriptions", content=body, headers=form)
    assert made.status_code == 200, made.text
    named = client.post(
        "/subscriptions", content="customer=c&name=Acme&url=u", headers=form
    )  # an object in form style: its fields at the top
    assert named.status_code == 200, named.text
    odd = "customer=cus_1&cancellation_details[mood]=x"
    assert client.post("/subscriptions", content=odd, headers=form).status_code == 400
    items = "items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2&expand[]=a&expand[]=b"
    added = client.post("/subscription_items", content=items, headers=form)
    assert added.status_code == 200, added.text
    unions = "tax_rates[]=t1&tax_rates[]=t2&tipping[aud][fixed_amounts][]=&tipping[aud][smart_tip_threshold]=5"
    assert (
        client.post("/subscription_items", content=unions, headers=form).status_code
        == 200
    )
    one = client.post("/subscription_items", content="tax_rates=t1", headers=form)
    assert one.status_code == 200, one.text  # a one-item array among the branches
    unset = client.post("/subscription_items", content="tax_rates=", headers=form)
    assert unset.status_code == 200, unset.text  # "" unsets, as Stripe's enum says


def test_a_form_of_more_than_a_thousand_fields_is_read_whole(client) -> None:
    """Starlette's form parsers stop at 1,000 fields by default; a valid body
    can have more (Kubernetes' Job status as a form), and every field is
    still checked."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    fields = [f"items[{i}][price]=p{i}&items[{i}][quantity]={i}" for i in range(600)]
    body = "&".join(fields)
    added = client.post("/subscription_items", content=body, headers=form)
    assert added.status_code == 200, added.text
    odd = client.post(
        "/subscription_items", content=body + "&items[600][quantity]=x", headers=form
    )
    assert odd.status_code == 400 and "'x' is not of type 'integer'" in odd.text
    off = client.post(
        "/subscriptions", content="customer=c&off_session=false", headers=form
    )
    assert off.status_code == 200, off.text  # the boolean branch reads it
    for query in ("expand[]=a&expand[]=b", "expand[0]=a&expand[1]=b", "expand=a"):
        listed = client.get(f"/subscription_items?{query}")
        assert listed.status_code == 200, (query, listed.text)
    long = "&".join(
        f"expand[]={'x' * 4000}" for _ in range(3)
    )  # each item short enough
    assert client.get(f"/subscription_items?{long}").status_code == 200
    empty = client.post("/subscription_items", content="", headers=form)
    assert empty.status_code == 200, empty.text  # a required `profile` with nothing set
    typed = "items[0][quantity]=many"
    assert (
        client.post("/subscription_items", content=typed, headers=form).status_code
        == 400
    )


def test_a_property_named_ref_is_a_property(client) -> None:
    """Kubernetes' JSONSchemaProps has properties `$ref` and `$schema`: Connexion
    took the first for a reference and the sandbox did not start."""
    body = {"$ref": "#/definitions/x", "type": "object", "properties": {"a": {}}}
    made = client.post("/customresourcedefinitions", json=body)
    assert made.status_code == 201, made.text
    nested = {"properties": {"a": {"$ref": 7}}}  # a nested one is checked too
    refused = client.post("/customresourcedefinitions", json=nested)
    assert refused.status_code == 400, refused.text


def test_a_property_named_properties_keeps_its_reference(client) -> None:
    """Azure's envelope: `properties: {properties: {$ref: ...}}` is a property
    whose schema is a reference (taking it for a property named `$ref` kept
    every ARM sandbox from starting)."""
    made = client.post("/bots", json={"properties": {"displayName": "Echo"}})
    assert made.status_code == 201, made.text
    assert made.json()["properties"] == {"displayName": "Echo"}
    typed = client.post("/bots", json={"properties": {"displayName": 7}})
    assert typed.status_code == 400, typed.text


def test_a_required_body_is_required_whatever_its_default(client) -> None:
    """VTEX's body schema has its example as `default`: Connexion sent the
    default for a missing body, and Schemathesis's missing-body request was
    accepted."""
    assert client.put("/suggestions/s1").status_code == 400
    saved = client.put("/suggestions/s1", json={"Name": "Lamp", "Quantity": 2})
    assert saved.status_code == 200, saved.text


def test_additional_properties_hold_for_every_branch_answered(client) -> None:
    for amount in range(1, 30):
        reply = client.post("/payments/authorise", json={"amount": amount})
        assert reply.status_code == 200, reply.text
        extra = reply.json().get("additionalData") or {}
        assert all(isinstance(v, str) for v in extra.values()), extra


def test_schemathesis_finds_nothing(tmp_path) -> None:
    """At the corpus's settings, less the raw upload, whose mutations are raw
    data too, and the form arrays, which Schemathesis sends as one string or
    as their items' keys (test_schemathesis_known_issues)."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    del spec["paths"]["/releases/{releaseId}/assets"]
    del spec["paths"]["/subscription_items"]
    path = tmp_path / "loose.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    project = build(path, tmp_path / "out", "loose_checked")
    outcome = check(project, tmp_path, max_examples=10, seed=99, timeout=300)
    assert outcome.ran, outcome.note
    assert outcome.findings == ()
