"""Operations that share a URL, told apart in the path key (tests/real_shapes/shared_urls.yaml):
the sandbox routes each request to the operation it meets, and Schemathesis finds nothing.
"""

from __future__ import annotations

import json


from envfactory_runtime.sandbox import routes

from conftest import ROOT, build, run_envc
from sandbox_fixtures import SHAPES, in_process, shape_fixtures
from envfactory_compiler.corpus.conformance import check

SPEC = SHAPES / "shared_urls.yaml"
AUTH = {"Authorization": "Bearer envc-sandbox-token"}


project, client = shape_fixtures("shared_urls", client_scope="module", fixtures=1)


def test_each_request_reaches_the_operation_its_key_names(client) -> None:
    def answer(method: str, url: str, **kwargs) -> tuple[int, set]:
        reply = client.request(
            method, url, headers={**AUTH, **kwargs.pop("headers", {})}, **kwargs
        )
        return reply.status_code, set(reply.json()) if reply.content else set()

    assert answer("GET", "/queues/?Action=ListQueues") == (200, {"queues"})
    assert answer("GET", "/queues/?Action=GetQueueUrl&QueueName=q") == (200, {"url"})
    assert answer("GET", "/queues/?Action=Nope")[0] == 400
    # an object parameter sent as its properties (form style, exploded)
    attributes = "/queues/?Action=SetQueueAttributes&QueueName=q&VisibilityTimeout="
    assert answer("GET", attributes + "30")[0] == 200
    assert answer("GET", attributes + "30&Redrive[MaxReceiveCount]=3")[0] == 200
    assert answer("GET", attributes + "soon")[0] == 400
    assert answer("GET", attributes + "30&Redrive[Enabled]=maybe")[0] == 400
    assert answer("GET", attributes[: -len("&VisibilityTimeout=")])[0] == 400
    target = {"X-Amz-Target": "Logs.DescribeGroups"}
    assert answer("POST", "/", json={}, headers=target) == (200, {"groups"})
    assert answer("GET", "/rest?method=photos.getInfo&photo_id=1") == (200, {"title"})
    assert answer("GET", "/rest?method=photos.search") == (200, {"photos"})
    # the custom method's POST (no 405 from getResource's GET-only URL), on an
    # item no one made: a 404, as getResource's
    assert answer("POST", "/v1/abc:getIamPolicy")[0] == 404
    assert answer("GET", "/v1/abc")[0] == 404  # getResource's: no such resource
    for url, allow in (
        ("/v1/abc:getIamPolicy", "POST"),
        ("/tags/arn1", "GET"),  # the bare key's methods
        ("/tags/arn1?tagKeys=a", "DELETE"),  # the methods of the key it meets
    ):
        reply = client.request("OPTIONS", url, headers=AUTH)
        assert (reply.status_code, reply.headers["allow"]) == (405, allow), url
    assert answer("DELETE", "/tags/arn1")[0] == 405  # not the bare key's method
    # a keyed operation is told apart by its query: one it does not declare is
    # refused there, and ignored as ever by an operation of its own URL
    assert answer("GET", "/tags/arn1?other=1")[0] == answer("GET", "/tags/arn1")[0]
    assert answer("GET", "/queues/?Action=ListQueues&other=1")[0] == 400
    assert answer("GET", "/rest?method=photos.search&other=1")[0] == 400
    # a request meeting a key's conditions is for that key, even with a method
    # only the bare URL has (Schemathesis: "Wrong response to undeclared method")
    reply = client.get("/tags/arn1?tagKeys=a", headers=AUTH)
    assert (reply.status_code, reply.headers["allow"]) == (405, "DELETE")


def test_a_key_no_request_can_tell_apart_is_left_out(project) -> None:
    tables = json.loads((project / project.name / "operations.json").read_text())
    operations = tables["operations"]
    assert "GetConcurrency" in operations
    # a request without Qualifier is the other's
    assert "GetProvisionedConcurrency" not in operations


def test_the_build_summary_counts_what_repairs_left_out(tmp_path) -> None:
    """Left out by a repair, not by the validator: still counted; a GET that joined
    another route keeps its operationId and is not."""
    shared = run_envc("build", str(SPEC), "-o", str(tmp_path), "--name", "s")
    assert "12 operations (1 left out)" in shared.output, shared.output
    joined = ROOT / "tests" / "tolerated_specs" / "duplicate_path_templates.yaml"
    routes = run_envc("build", str(joined), "-o", str(tmp_path), "--name", "d")
    assert "2 operations (1 left out)" in routes.output, routes.output


def test_schemathesis_finds_nothing(project, tmp_path) -> None:
    outcome = check(project, tmp_path, max_examples=10, seed=0, timeout=300)
    assert outcome.ran, outcome.note
    assert outcome.findings == ()


def test_a_key_another_operation_refers_into_is_kept(tmp_path) -> None:
    """Bundlers reuse parameters by `$ref` into path items (`#/paths/~1request%3Fview...`):
    leaving that key out would break the reference, so it stays (opensuse's obs API)."""
    keyed = "/request?view=collection"
    view = {"name": "view", "in": "query", "schema": {"type": "string"}}
    ok = {"200": {"description": "ok"}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Referenced key", "version": "1"},
        "paths": {
            "/request": {"get": {"operationId": "listRequests", "responses": ok}},
            keyed: {
                "get": {"operationId": "collect", "parameters": [view], "responses": ok}
            },
            "/other": {
                "get": {
                    "operationId": "other",
                    "parameters": [
                        {"$ref": "#/paths/~1request%3Fview=collection/get/parameters/0"}
                    ],
                    "responses": ok,
                }
            },
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    result = run_envc("build", str(path), "-o", str(tmp_path / "out"), "--name", "r")
    assert result.exit_code == 0, result.output
    assert "3 operations," in result.output, result.output


def test_a_method_the_bare_url_has_is_refused_only_off_its_own_query(project) -> None:
    """networkmanager: the bare URL has GET (which takes `deviceId` and
    `linkId` itself) and POST (which does not); the `#deviceId&linkId` key has
    DELETE. A POST that names both is for the key, and refused; a GET that
    names both is the bare GET's own query."""
    from types import SimpleNamespace as Op

    def params(*names: str) -> list:
        return [Op(name=n) for n in names]

    url = "/global-networks/{globalNetworkId}/link-associations"
    ops = [
        Op(
            path=url,
            method="get",
            params=params("globalNetworkId", "deviceId", "linkId"),
        ),
        Op(path=url, method="post", params=params("globalNetworkId")),
        Op(path=url + "#deviceId&linkId", method="delete", params=params("deviceId")),
    ]
    dispatch = routes.Dispatch(None, ops, "")

    def refused(method: str) -> list[str]:
        return dispatch.refused(
            {
                "type": "http",
                "method": method,
                "path": "/global-networks/g1/link-associations",
                "query_string": b"deviceId=d1&linkId=l1",
                "headers": [],
            }
        )

    assert refused("POST") == ["DELETE"]
    assert refused("GET") == [] and refused("DELETE") == []


def test_a_decoded_hash_inside_a_segment_is_part_of_the_path(project) -> None:
    """learnifier: `DELETE /orgunits/1.5e-278/usergroups/%23x/members/u` is
    the members operation with a malformed id (its own 404), not a URL cut at
    the `#` that a path key's suffix would start with."""
    from types import SimpleNamespace as Op

    url = "/orgunits/{orgid}/usergroups/{groupid}/members/{uuid}"
    delete = Op(path=url, method="delete", params=[])
    table = routes.Routes([delete], "")
    assert table.operation("/orgunits/1.5/usergroups/#x/members/u", "DELETE") is delete
    assert table.operation("/orgunits/1/usergroups/2/members/u#k", "DELETE") is delete


NEWLINE_SEGMENT = {
    "openapi": "3.0.3",
    "info": {"title": "Entitlements", "version": "1.0"},
    "paths": {
        "/flows/{flowArn}/entitlements/{entitlementArn}": {
            "put": {
                "operationId": "UpdateEntitlement",
                "parameters": [
                    {
                        "name": n,
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                    for n in ("flowArn", "entitlementArn")
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"description": {"type": "string"}},
                            }
                        }
                    }
                },
                "responses": {"202": {"description": "updated"}},
            }
        }
    },
}


def test_a_routed_request_refused_as_missing_is_a_404(tmp_path) -> None:
    """A write whose last segment is only a newline (`.../entitlements/%0A`)
    is routed to its operation, then refused as missing on the way to its body:
    its 404, not a 400 whose detail says "Not Found" (mediaconnect,
    docs/wide-corpus-served-seed7.md)."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(NEWLINE_SEGMENT), encoding="utf-8")
    with in_process(build(spec, tmp_path / "out", "newline")) as client:
        reply = client.put("/flows/a/entitlements/%0A", headers=AUTH, json={})
        assert reply.status_code == 404, reply.text
        ok = client.put("/flows/a/entitlements/b", headers=AUTH, json={})
        assert ok.status_code == 202


EMPTY_NAME = {
    "openapi": "3.0.3",
    "info": {"title": "Volumes", "version": "1.0"},
    "paths": {
        "/volumes": {
            "get": {
                "operationId": "listVolumes",
                "responses": {"200": {"description": "the volumes"}},
            },
            "delete": {
                "operationId": "deleteVolumes",
                "responses": {"200": {"description": "all of them deleted"}},
            },
        },
        "/volumes/{name}": {
            "patch": {
                "operationId": "patchVolume",
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "requestBody": {
                    "content": {"application/json": {"schema": {"type": "object"}}}
                },
                "responses": {
                    "200": {"description": "patched"},
                    "404": {"description": "no such volume"},
                },
            },
            "delete": {
                "operationId": "deleteVolume",
                "responses": {
                    "204": {"description": "deleted"},
                    "404": {"description": "no such volume"},
                },
            },
        },
    },
}


def test_an_empty_last_segment_names_no_item_rather_than_the_collection(
    tmp_path,
) -> None:
    """`PATCH /volumes/` is `/volumes/{name}` with an empty name (Schemathesis's
    stateful links fill one in: Kubernetes): no such item, the 404 the
    operation documents, not a redirect to `/volumes` and its 405; nor does
    `DELETE /volumes/` delete the collection. A spec that writes its URLs
    with the slash (NetBox) is routed as written (`test_real_spec_shapes`)."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(EMPTY_NAME), encoding="utf-8")
    with in_process(build(spec, tmp_path / "out", "empty_name")) as client:
        reply = client.patch("/volumes/", headers=AUTH, json={}, follow_redirects=False)
        assert reply.status_code == 404, reply.text
        bare_url = client.patch("/volumes", headers=AUTH, json={})
        assert bare_url.status_code == 405
        assert bare_url.headers["allow"] == "DELETE, GET"
        gone = client.delete("/volumes/", headers=AUTH, follow_redirects=False)
        assert gone.status_code == 404, gone.text
        assert client.delete("/volumes", headers=AUTH).status_code == 200
        assert client.get("/volumes", headers=AUTH).status_code == 200
