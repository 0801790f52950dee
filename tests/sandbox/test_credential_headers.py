"""Credentials declared as required header parameters
(tests/real_shapes/credential_headers.yaml) are security schemes of the
package: the sandbox answers 401 without them, the environment sends them,
Schemathesis with the package's credentials finds nothing, and no tool or
task asks for them."""

from __future__ import annotations

import json

from conftest import run_envc
from envfactory_compiler.corpus.conformance import check
from envfactory_compiler.sandbox_credentials import by_location
from sandbox_fixtures import shape_fixtures

project, client = shape_fixtures("credential_headers")
TYK, APIM = "EnvcXTykAuthorizationHeader", "EnvcOcpApimSubscriptionKeyHeader"


def _document(project) -> dict:
    return json.loads((project / project.name / "openapi.json").read_text())


def test_credential_headers_are_security_schemes_beside_the_declared_ones(
    project,
) -> None:
    document = _document(project)
    schemes = document["components"]["securitySchemes"]
    assert schemes[TYK] == {
        "type": "apiKey",
        "in": "header",
        "name": "x-tyk-authorization",
        "description": "The spec's required x-tyk-authorization header parameter (x-envc-added).",
        "x-envc-added": True,
    }
    keys = document["paths"]["/keys"]
    assert keys["post"]["security"] == [{"oauth": ["keys"], APIM: [], TYK: []}]
    assert keys["get"]["security"] == [{APIM: [], TYK: []}]  # was `security: []`
    assert "parameters" not in keys or keys["parameters"] == []
    kept = {
        p["name"]
        for op in (keys["post"], keys["get"])
        for p in op.get("parameters") or ()
    }
    assert kept == {"Idempotency-Key", "X-Auth-Project-Id"}


def test_the_sandbox_wants_them_and_takes_its_own_credential(project, client) -> None:
    table = json.loads((project / project.name / "operations.json").read_text())
    headers = by_location(table["credentials"].values())["header"]
    assert {"x-tyk-authorization", "Ocp-Apim-Subscription-Key"} <= set(headers)
    project_id = {"X-Auth-Project-Id": "p1"}
    assert client.get("/keys", headers=project_id).status_code == 401
    assert client.get("/keys", headers={**headers, **project_id}).status_code == 200


def test_no_tool_or_task_asks_for_them(project, tmp_path) -> None:
    out = tmp_path / "tasks.jsonl"
    run_envc("blueprints", str(project), "-n", "6", "--seed", "0", "-o", str(out))
    tasks = [json.loads(line) for line in out.read_text().splitlines()]
    assert tasks
    said = json.dumps(tasks).lower()
    assert "tyk" not in said and "apim" not in said and "subscription key" not in said
    assert any("idempotency" in t["instruction"].lower() for t in tasks) or any(
        "Idempotency-Key" in a["arguments"] for t in tasks for a in t["actions"]
    )


def test_schemathesis_finds_nothing(project, tmp_path) -> None:
    outcome = check(project, tmp_path, max_examples=10, seed=99, timeout=300)
    assert outcome.ran, outcome.note
    assert outcome.findings == ()
