"""AgentFlow's session protocol: explicit sessions persist, temporary ones vanish."""

from __future__ import annotations

from sandbox_fixtures import AUTH, add_pet, client, package  # noqa: F401 (fixtures)


def test_explicit_session_persists_across_calls_until_destroyed(client) -> None:
    created = client.post("/_sandbox/session/create", json={"worker_id": "w1"})
    assert created.status_code == 201 and created.json()["task_id"] == "session.w1"
    assert (
        client.post("/_sandbox/session/create", json={"worker_id": "w1"}).status_code
        == 200
    )
    pet = add_pet(client, "", "Mine", **{"X-Envc-Worker": "w1"})
    read = client.get(
        f"/api/v3/pet/{pet['id']}", headers={**AUTH, "X-Envc-Worker": "w1"}
    )
    assert read.status_code == 200 and read.json() == pet
    other = client.get(
        f"/api/v3/pet/{pet['id']}", headers={**AUTH, "X-Envc-Worker": "w2"}
    )
    assert other.status_code == 404  # w2 has no session: a fresh, temporary world
    assert (
        client.post("/_sandbox/session/destroy", json={"worker_id": "w1"}).status_code
        == 204
    )
    assert client.get("/_sandbox/session/w1").status_code == 404
    assert not client.sandbox.store.has("session.w1")


def test_temporary_sessions_leave_nothing_behind(client) -> None:
    tasks_before = set(client.sandbox.store.tasks)
    first = add_pet(client, "", "A", **{"X-Envc-Worker": "w9"})
    second = add_pet(client, "", "B", **{"X-Envc-Worker": "w9"})
    assert first["id"] == second["id"]  # each call started from the same seeded world
    assert set(client.sandbox.store.tasks) == tasks_before


def test_task_header_wins_over_worker_and_bad_requests_are_400(client) -> None:
    client.post("/_sandbox/session/create", json={"worker_id": "w1"})
    pet = add_pet(client, "chosen", "X", **{"X-Envc-Worker": "w1"})
    assert (
        client.sandbox.store.existing("chosen").collection("pet")[(str(pet["id"]),)]
        == pet
    )
    assert (
        client.post("/_sandbox/session/create", json={"worker_id": ""}).status_code
        == 400
    )
    assert client.post("/_sandbox/session/create", content=b"{").status_code == 400
    assert (
        client.post(
            "/_sandbox/session/create", json={"worker_id": "w5", "project_id": "nope"}
        ).status_code
        == 404
    )
