"""Requests real specs' wire rules allow, read as those rules say
(tests/real_shapes/wire_edge_cases.yaml). Each shape drew Schemathesis
findings on the wide corpus (AWS, biapi, VTEX) before it was handled."""

from __future__ import annotations

import json
from pathlib import Path


from envfactory_runtime.sandbox import routes

from envfactory_compiler.corpus.conformance import check
from sandbox_fixtures import SHAPES, shape_fixtures

SPEC = SHAPES / "wire_edge_cases.yaml"
ARN = "arn:aws:geo:123456789012:job/abcdef123456"


project, client = shape_fixtures("wire_edge_cases")


def _served(project: Path) -> dict:
    return json.loads((project / project.name / "openapi.json").read_text())


def test_a_concrete_path_takes_its_url_from_a_template_beside_it(client) -> None:
    """OpenAPI matches `/jobs/stop` before `/jobs/{Arn}`: GET there is a 405
    naming the concrete path's methods, not an `Arn` that fails its pattern."""
    reply = client.get("/jobs/stop")
    assert reply.status_code == 405, reply.text
    assert reply.headers["allow"] == "POST"
    assert client.get(f"/jobs/{ARN.replace('/', '%2F')}").status_code == 404


def test_an_arn_with_a_slash_reaches_its_item(client) -> None:
    """A path parameter whose pattern holds a `/` is routed across it, so the
    item made is found under its percent-encoded ARN."""
    made = client.post("/jobs", json={"Name": "tiles"})
    assert made.status_code == 200, made.text
    arn = made.json()["Arn"]
    assert "/" in arn
    found = client.get("/jobs/" + arn.replace("/", "%2F"))
    assert found.status_code == 200, found.text
    assert found.json() == made.json()


def test_an_encoded_slash_or_percent_stays_in_its_segment(project) -> None:
    scope = {"path": "/tags/a%2Fb/c", "raw_path": b"/tags/a%252Fb%2fc%41"}
    kept = routes.with_encoded_slashes(scope)["path"]
    assert kept == "/tags/a%252Fb%2FcA"
    assert routes.unescaped(kept.split("/")[-1]) == "a%2Fb/cA"
    plain = {"path": "/tags/a b", "raw_path": b"/tags/a%20b"}
    assert routes.with_encoded_slashes(plain) is plain


def test_a_path_parameter_whose_values_all_hold_a_slash_shows_one(project) -> None:
    parameter = _served(project)["paths"]["/jobs/{Arn}"]["get"]["parameters"][0]
    assert "/" in parameter["example"]
    policy = _served(project)["paths"]["/resourcepolicy/{resourceArn}"]["get"]
    [arn] = policy["parameters"]
    assert "/" in arn["example"] and 20 <= len(arn["example"]) <= 200
    untouched = _served(project)["paths"]["/tags/{ResourceArn}"]["delete"]
    assert all("example" not in p for p in untouched["parameters"])


def test_an_exploded_query_item_is_its_text(client) -> None:
    """Each `tagKeys=` is one item, commas and all, and `?tagKeys=` is `[""]`
    (RFC 6570: an empty array is not sent at all). Read so, a valid request
    reaches the engine, which has no such resource."""
    assert client.delete("/tags/r1?tagKeys=").status_code == 400  # off the pattern
    assert client.delete("/tags/r1?tagKeys=team,ops&tagKeys=x").status_code == 404
    refused = client.delete("/tags/r1")
    assert refused.status_code == 400, refused.text


def test_a_query_parameter_named_like_a_path_parameter_keeps_its_own_type(
    client,
) -> None:
    assert client.get("/users/me/logs?id_user=7").status_code == 200
    refused = client.get("/users/me/logs?id_user=me")
    assert refused.status_code == 400
    assert "is not of type 'integer'" in refused.json()["detail"]


def test_an_item_made_and_documented_as_a_list_is_that_item(client) -> None:
    made = client.post("/packages", json={"name": "maps"})
    assert made.status_code == 201, made.text
    [package] = made.json()
    assert package["name"] == "maps"
    changed = client.patch(f"/packages/{package['id']}", json={"state": "DISABLED"})
    assert changed.status_code == 200, changed.text
    assert changed.json() == {**package, "state": "DISABLED"}


def test_a_multiple_of_a_decimal_step_is_one(client) -> None:
    """8.21 is a multiple of 0.01 as written (Royal Mail's prices), though not
    in binary floats; 8.215 is not."""
    made = client.post("/packages", json={"name": "maps", "price": 8.21})
    assert made.status_code == 201, made.text
    refused = client.post("/packages", json={"name": "maps", "price": 8.215})
    assert refused.status_code == 400
    assert "is not a multiple of 0.01" in refused.json()["detail"]


def test_a_field_holds_the_values_a_path_parameter_of_its_name_takes(client) -> None:
    """`route_type` answers one of the 0 to 4 the stop's path takes, so an
    answer's value can be used in the next call (not route type 689)."""
    kinds = {
        mode["route_type"]
        for _ in range(10)
        for mode in client.get("/route_types").json()
        if "route_type" in mode
    }
    assert kinds and kinds <= {0, 1, 2, 3, 4}
    stop = client.get(f"/stops/12/route_type/{min(kinds)}")
    assert stop.status_code in (200, 404), stop.text


def test_content_keys_that_are_no_media_types_are_mended(project) -> None:
    paths = _served(project)["paths"]
    assert set(paths["/jobs"]["post"]["responses"]["200"]["content"]) == {
        "application/json"
    }
    assert set(paths["/jobs/{Arn}"]["get"]["responses"]["200"]["content"]) == {
        "application/json"
    }


def test_a_file_body_is_its_bytes_and_a_required_one_is_required(client) -> None:
    made = client.post("/packages", json={"name": "maps"}).json()[0]
    reply = client.put(
        f"/packages/{made['id']}/content",
        content=b"PK\x03\x04",
        headers={"Content-Type": "application/zip"},
    )
    assert reply.status_code == 202, reply.text
    empty = {"Content-Type": "application/zip"}  # an empty file
    assert (
        client.put(f"/packages/{made['id']}/content", headers=empty).status_code == 202
    )
    missing = client.put(f"/packages/{made['id']}/content")
    assert missing.status_code == 400, missing.text
    assert missing.json()["detail"] == "RequestBody is required"


def test_schemathesis_finds_nothing(project, tmp_path) -> None:
    """With the runner's hooks, Schemathesis uploads the zip file too."""
    outcome = check(project, tmp_path, max_examples=10, seed=7, timeout=300)
    assert outcome.ran, outcome.note
    assert outcome.findings == ()
