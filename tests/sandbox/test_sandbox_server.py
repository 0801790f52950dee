"""`SandboxServer`: the Python API and the HTTP admin API act on the same tasks."""

from __future__ import annotations

import httpx
import pytest

from sandbox_fixtures import AUTH, package  # noqa: F401 (fixtures)


def test_server_python_and_http_see_the_same_tasks(package) -> None:
    with package.SandboxServer(fixtures=1) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        project_id = server.create_project()
        task_id = server.create_task(project_id)
        client = httpx.Client(base_url=server.base_url, timeout=10)
        assert client.get(f"/_sandbox/projects/{project_id}/tasks").json()["tasks"] == [
            task_id
        ]
        pet = client.post(
            "/api/v3/pet",
            json={"name": "Rex", "photoUrls": []},
            headers={**AUTH, "X-Envc-Task": task_id},
        ).json()
        assert server.get_task(task_id)["state"]["objects"]["pet"][-1]["value"] == pet
        assert [e["operation"] for e in server.trace(task_id)] == ["addPet"]
        other = client.post(f"/_sandbox/projects/{project_id}/tasks").json()["task_id"]
        assert server.list_tasks(project_id) == [task_id, other]
        server.delete_task(task_id)
        assert client.get(f"/_sandbox/tasks/{task_id}/state").status_code == 404
        with pytest.raises(KeyError, match=task_id):
            server.get_task(task_id)
        with pytest.raises(KeyError, match="nope"):
            server.create_task("nope")
        assert server.create_session("w1") == "session.w1"
        server.destroy_session("w1")
        client.close()
    with pytest.raises(httpx.TransportError):
        httpx.get(server.base_url + "/_sandbox/projects", timeout=2)
