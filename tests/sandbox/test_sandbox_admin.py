"""The admin API under /_sandbox/: projects, tasks, state, snapshots, traces, errors."""

from __future__ import annotations

import json

from sandbox_fixtures import AUTH, add_pet, client, package  # noqa: F401 (fixtures)
from envfactory_runtime.sandbox import trace


def test_projects_and_tasks_round_trip(client) -> None:
    project = client.post("/_sandbox/projects")
    assert project.status_code == 201
    project_id = project.json()["project_id"]
    task_ids = [
        client.post(f"/_sandbox/projects/{project_id}/tasks").json()["task_id"]
        for _ in range(2)
    ]
    assert (
        client.get(f"/_sandbox/projects/{project_id}/tasks").json()["tasks"] == task_ids
    )
    assert project_id in client.get("/_sandbox/projects").json()["projects"]
    task = client.get(f"/_sandbox/tasks/{task_ids[0]}").json()
    assert (
        task["project_id"] == project_id and task["state"]["objects"]["pet"]
    )  # seeded
    assert client.delete(f"/_sandbox/tasks/{task_ids[0]}").status_code == 204
    assert (
        client.get(f"/_sandbox/projects/{project_id}/tasks").json()["tasks"]
        == task_ids[1:]
    )


def test_unknown_ids_are_404_problems_naming_them(client) -> None:
    for path in (
        "/_sandbox/tasks/no-such-task/state",
        "/_sandbox/tasks/no-such-task/trace",
        "/_sandbox/projects/no-such-project/tasks",
        "/_sandbox/session/no-such-worker",
    ):
        reply = client.get(path)
        assert reply.status_code == 404, path
        assert reply.headers["content-type"] == "application/problem+json"
        assert "no-such-" in reply.json()["detail"]
    assert client.post("/_sandbox/tasks/no-such-task/reset").status_code == 404
    assert client.get("/_sandbox/nothing-here").json()["status"] == 404


def test_malformed_snapshot_is_400_and_changes_nothing(client) -> None:
    add_pet(client, "t", "Rex")
    before = client.get("/_sandbox/tasks/t/state").content
    for bad in (
        b"not json",
        b"[]",
        b'{"seed": 0, "counter": 1, "objects": {"pet": [{"key": [1], "value": {}}]}}',
        b'{"seed": "x", "counter": 0, "objects": {}}',
    ):
        reply = client.post("/_sandbox/tasks/t/restore", content=bad)
        assert reply.status_code == 400 and reply.json()["title"] == "Bad Request", bad
    assert client.get("/_sandbox/tasks/t/state").content == before


def test_snapshot_mutate_restore_is_byte_identical(client) -> None:
    add_pet(client, "t", "Rex")
    snapshot = client.post("/_sandbox/tasks/t/snapshot").content
    add_pet(client, "t", "Tmp")
    client.delete("/api/v3/pet/1", headers={**AUTH, "X-Envc-Task": "t"})
    assert client.get("/_sandbox/tasks/t/state").content != snapshot
    assert (
        client.post("/_sandbox/tasks/t/restore", content=snapshot).content == snapshot
    )
    assert client.get("/_sandbox/tasks/t/state").content == snapshot


def test_reset_returns_to_the_seeded_population(client) -> None:
    seeded = client.get(
        "/_sandbox/tasks/"
        + client.post(
            f"/_sandbox/projects/{client.post('/_sandbox/projects').json()['project_id']}/tasks"
        ).json()["task_id"]
        + "/state"
    ).json()
    add_pet(client, "t", "Rex")
    assert client.post("/_sandbox/tasks/t/reset").status_code == 204
    assert client.get("/_sandbox/tasks/t/state").json() == seeded


def test_a_task_s_writes_never_reach_the_seeded_world_others_start_from(
    client,
) -> None:
    """New tasks fork one seeded world (populated once): changing or deleting
    a seeded item in one task leaves it as seeded in the next."""

    def state(task: str) -> dict:
        headers = {**AUTH, "X-Envc-Task": task}  # a task's first call makes it
        client.get("/api/v3/pet/findByStatus?status=available", headers=headers)
        return client.get(f"/_sandbox/tasks/{task}/state").json()

    seeded = state("a")
    pet = next(
        item["value"]
        for name, items in seeded["objects"].items()
        if "pet" in name
        for item in items
    )
    changed = {**pet, "name": "Changed"}
    reply = client.put(
        "/api/v3/pet", json=changed, headers={**AUTH, "X-Envc-Task": "a"}
    )
    assert reply.status_code == 200, reply.text
    gone = client.delete(
        f"/api/v3/pet/{pet['id']}", headers={**AUTH, "X-Envc-Task": "a"}
    )
    assert gone.status_code in (200, 204), gone.text
    assert state("b") == seeded
    anonymous = client.get(f"/api/v3/pet/{pet['id']}", headers=AUTH)
    assert anonymous.json()["name"] == pet["name"]


def test_trace_records_calls_without_credentials_and_replays(client, package) -> None:
    pet = add_pet(client, "t", "Rex")
    client.get(f"/api/v3/pet/{pet['id']}", headers={**AUTH, "X-Envc-Task": "t"})
    client.post(
        "/api/v3/pet", json={"photoUrls": 3}, headers={**AUTH, "X-Envc-Task": "t"}
    )  # rejected
    entries = client.get("/_sandbox/tasks/t/trace").json()["entries"]
    assert [
        (e["operation"], e["status"], bool(e.get("rejected"))) for e in entries
    ] == [("addPet", 200, False), ("getPetById", 200, False), ("addPet", 400, True)]
    assert entries[1]["response"] == pet
    assert "envc-sandbox-token" not in json.dumps(entries)
    replayer = package.load_sandbox(fixtures=2, any_credential=True)
    state, mismatches = trace.replay(replayer.engine, replayer.store, entries)
    assert mismatches == []
    assert state.snapshot() == client.get("/_sandbox/tasks/t/state").json()


def test_answers_of_the_direct_path_are_still_validated(
    client, package, monkeypatch
) -> None:
    """GET-by-id skips Connexion's argument binding, not its response validation."""
    pet = add_pet(client, "t", "Rex")
    invalid = package.Outcome(
        200, {"id": "not-an-integer", "name": 5}, "application/json"
    )
    monkeypatch.setattr(client.sandbox.engine, "execute", lambda task, call: invalid)
    reply = client.get(f"/api/v3/pet/{pet['id']}", headers={**AUTH, "X-Envc-Task": "t"})
    assert reply.status_code == 500


def test_a_long_run_keeps_the_latest_trace_entries(package) -> None:
    """A client that never names a task (Schemathesis, a script) runs the
    default task as long as it likes: its trace keeps the latest entries, says
    how many it let go, and is no longer replayable (Kubernetes' sandbox grew
    to 10 GB under Schemathesis with every answer kept)."""
    from starlette.testclient import TestClient

    sandbox = package.load_sandbox(fixtures=2, trace_limit=3)
    client = TestClient(sandbox.asgi())
    pets = [add_pet(client, "default", f"Pet {n}") for n in range(5)]
    traced = client.get("/_sandbox/tasks/default/trace").json()
    assert traced["dropped"] == 2
    assert [e["seq"] for e in traced["entries"]] == [3, 4, 5]
    assert [e["response"]["name"] for e in traced["entries"]] == [
        p["name"] for p in pets[2:]
    ]
    replayer = package.load_sandbox(fixtures=2, any_credential=True)
    try:
        trace.replay(replayer.engine, replayer.store, traced["entries"])
    except ValueError as exc:
        assert "starts at #3" in str(exc)
    else:
        raise AssertionError("a trace without its first entries was replayed")
    fresh = client.get("/_sandbox/tasks/t/trace")  # another task: its own count
    assert fresh.status_code == 404 or fresh.json()["dropped"] == 0
