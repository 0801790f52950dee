"""Bodies documented as `*/*` read as YAML when sent as YAML
(tests/real_shapes/yaml_bodies.yaml, Kubernetes' shape): checked against
the schema as JSON is (Schemathesis found a YAML namespace with `labels:
true` answered 201), and stored as what they say."""

from __future__ import annotations

import json

from envfactory_compiler.corpus.conformance import check
from sandbox_fixtures import AUTH, shape_fixtures

project, client = shape_fixtures("yaml_bodies")
YAML = {**AUTH, "Content-Type": "text/yaml"}


def test_a_yaml_body_is_checked_and_kept(client) -> None:
    made = client.post(
        "/namespaces",
        content="name: prod\nlabels:\n  team: core\ncreatedAt: 2024-01-01T00:00:00Z\n",
        headers=YAML,
    )
    assert made.status_code == 201, made.text
    assert made.json()["labels"] == {"team": "core"}
    assert made.json()["createdAt"] == "2024-01-01T00:00:00Z"  # text, as in JSON
    read = client.get(f"/namespaces/{made.json()['name']}", headers=AUTH)
    assert read.status_code == 200 and read.json()["labels"] == {"team": "core"}


def test_a_yaml_body_off_its_schema_or_malformed_is_refused(client) -> None:
    wrong = client.post("/namespaces", content="name: x\nlabels: true\n", headers=YAML)
    assert wrong.status_code == 400, wrong.text
    broken = client.post("/namespaces", content="name: [x,\n", headers=YAML)
    assert broken.status_code == 400  # answered as the spec documents a 400: no body
    plain = client.post("/namespaces", json={"name": "dev"}, headers=AUTH)
    assert plain.status_code == 201  # JSON as before


def test_schemathesis_finds_nothing(project, tmp_path) -> None:
    outcome = check(project, tmp_path, max_examples=10, seed=99, timeout=300)
    assert outcome.ran and outcome.served == 2
    assert outcome.failures == {} and outcome.findings == ()


def test_an_xml_body_under_any_media_type_is_read_by_its_schema(client) -> None:
    """`*/*` takes XML too: read as the schema says (not as a YAML string, which
    left the engine to make up a name)."""
    xml = {**AUTH, "Content-Type": "text/xml"}
    made = client.post(
        "/namespaces",
        content="<Namespace><name>2495483367</name><labels><k>v</k></labels></Namespace>",
        headers=xml,
    )
    assert made.status_code == 201, made.text
    assert made.json()["name"] == "2495483367"  # text, as the schema's string
    assert made.json()["labels"] == {"k": "v"}
    wrong = client.post(
        "/namespaces", content="<Namespace><labels>x</labels></Namespace>", headers=xml
    )
    assert wrong.status_code == 400, wrong.text  # no name, labels no object


def test_bytes_that_are_no_object_are_refused_under_any_media_type(client) -> None:
    """An object sent as neither JSON, YAML nor XML cannot be read: a bad
    request, not a file stored as the item (Schemathesis sent Kubernetes'
    `DeleteOptions` as a punctuation string under `image/gif` and saw 200)."""
    gif = {**AUTH, "Content-Type": "image/gif"}
    junk = client.post(
        "/namespaces", content=",./;'[]\\-=<>?:\"{}|_+!@#$%^&*()`~", headers=gif
    )
    assert junk.status_code == 400, junk.text
    binary = client.post("/namespaces", content=b"GIF89a\x01\x00\xff\xfe", headers=gif)
    assert binary.status_code == 400, binary.text
    text = client.post("/namespaces", content='{"name": "ops"}', headers=gif)
    assert text.status_code == 201, text.text  # JSON text is read whatever its type
    long_key = json.dumps({"a": {"k" * 1100: 1}, "name": "qa"})
    long = client.post("/namespaces", content=long_key, headers=gif)
    assert long.status_code == 201, long.text  # JSON that YAML cannot read
