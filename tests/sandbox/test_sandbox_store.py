"""Durable state (`--store sqlite:PATH`) and seeded populations (`--fixtures`, fixtures files)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sandbox_fixtures import AUTH, PROJECT, client, package  # noqa: F401 (fixtures)


def _served(package, **options):
    from starlette.testclient import TestClient

    return TestClient(package.load_sandbox(**options).asgi())


def test_sqlite_store_keeps_projects_tasks_states_and_traces(package, tmp_path) -> None:
    store = f"sqlite:{tmp_path / 'state.db'}"
    first = _served(package, fixtures=1, store=store)
    project_id = first.post("/_sandbox/projects").json()["project_id"]
    task_id = first.post(f"/_sandbox/projects/{project_id}/tasks").json()["task_id"]
    headers = {**AUTH, "X-Envc-Task": task_id}
    pet = first.post(
        "/api/v3/pet", json={"name": "Kept", "photoUrls": []}, headers=headers
    ).json()
    first.post(
        "/api/v3/pet",
        json={"name": "Gone", "photoUrls": []},
        headers={**AUTH, "X-Envc-Task": "t2"},
    )
    assert first.delete("/_sandbox/tasks/t2").status_code == 204
    state = first.get(f"/_sandbox/tasks/{task_id}/state").content
    trace = first.get(f"/_sandbox/tasks/{task_id}/trace").json()
    second = _served(package, fixtures=1, store=store)  # a restart on the same file
    assert second.get(f"/_sandbox/projects/{project_id}/tasks").json()["tasks"] == [
        task_id
    ]
    assert second.get(f"/_sandbox/tasks/{task_id}/state").content == state
    assert second.get(f"/_sandbox/tasks/{task_id}/trace").json() == trace
    assert second.get(f"/api/v3/pet/{pet['id']}", headers=headers).json() == pet
    assert second.get("/_sandbox/tasks/t2/state").status_code == 404
    newer = second.post(
        "/api/v3/pet", json={"name": "Next", "photoUrls": []}, headers=headers
    ).json()
    assert newer["id"] > pet["id"]  # the id counter survived too


def test_bad_store_is_a_clear_cli_error() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", PROJECT.name, "serve", "--store", "redis:x"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    assert proc.returncode == 2 and "expected 'memory' or 'sqlite:PATH'" in proc.stderr


def test_every_task_starts_with_the_same_seeded_population(package) -> None:
    sandbox = package.load_sandbox(fixtures=3)
    first, second = sandbox.store.task("a"), sandbox.store.task("b")
    assert len(first.collection("pet")) == 3
    assert first.snapshot() == second.snapshot()
    first.collection("pet").clear()
    assert len(sandbox.store.task("b").collection("pet")) == 3  # copies, not shared


def test_fixtures_file_of_items(package, tmp_path) -> None:
    path = tmp_path / "fixtures.json"
    path.write_text(
        json.dumps(
            {
                "pet": [
                    {"id": 50, "name": "Fifty", "photoUrls": []},
                    {"name": "NoId", "photoUrls": []},
                ]
            }
        )
    )
    client = _served(package, fixtures_file=str(path))
    headers = {**AUTH, "X-Envc-Task": "t"}
    assert client.get("/api/v3/pet/50", headers=headers).json()["name"] == "Fifty"
    listed = client.get("/api/v3/pet/findByStatus", headers=headers).json()
    created = client.post(
        "/api/v3/pet", json={"name": "New", "photoUrls": []}, headers=headers
    ).json()
    assert sorted(p["name"] for p in listed) == ["Fifty", "NoId"]
    assert created["id"] > 50  # new ids stay clear of the file's


def test_fixtures_file_in_state_form_and_bad_files(package, tmp_path) -> None:
    seeded = package.load_sandbox(fixtures=2)
    state = seeded.store.task("t").snapshot()
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    assert (
        package.load_sandbox(fixtures_file=str(path))
        .store.task("x")
        .snapshot()["objects"]
        == state["objects"]
    )
    path.write_text(json.dumps({"unicorns": [{}]}))
    with pytest.raises(ValueError, match="unicorns"):
        package.load_sandbox(fixtures_file=str(path))
    with pytest.raises(ValueError, match="missing.json"):
        package.load_sandbox(fixtures_file=str(tmp_path / "missing.json"))


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("DELETE", "/api/v3/pet/1.5e-3"),
        ("DELETE", "/api/v3/pet/1.5e-3%23x"),
        ("DELETE", "/api/v3/pet/x%3Fy"),
        ("POST", "/api/v3/pet/x%23y/uploadImage"),  # a `#` mid-path (learnifier)
    ],
)
def test_a_path_id_no_route_takes_gets_the_operation_s_own_404(
    client, method, url
) -> None:
    """A pet id that is no int64, even one holding a `#` or `?` once decoded
    (Schemathesis sends them): the operation's documented 404, not a
    problem+json one."""
    reply = client.request(method, url, headers=AUTH)
    assert reply.status_code == 404
    assert reply.headers.get("content-type") != "application/problem+json"
