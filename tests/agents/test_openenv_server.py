"""`python -m <package> openenv`: a real OpenEnv server, driven by openenv-core's own
client (`GenericEnvClient` over its WebSocket protocol: reset, step, state)."""

from __future__ import annotations

import json
import sys

import pytest

pytest.importorskip("openenv")
from openenv.core.generic_client import GenericEnvClient  # noqa: E402

from agent_helpers import PETSTORE, ROOT, blueprints, read_only_calls  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))  # the load tests' server process helper
from httpload import free_port, serve_package  # noqa: E402


def _call(action: dict) -> dict:
    """A blueprint action as the tool call an agent makes."""
    return {"name": action["name"], "arguments": action["arguments"]}


def _answer(blueprint) -> str:
    return "Done: " + ", ".join(str(o["value"]) for o in blueprint.outputs)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The petstore's OpenEnv server, serving four generated blueprints."""
    folder = tmp_path_factory.mktemp("openenv")
    tasks = blueprints(PETSTORE, 4)
    path = folder / "tasks.jsonl"
    path.write_text("".join(t.to_json() + "\n" for t in tasks), encoding="utf-8")
    port = free_port()
    server = serve_package(
        PETSTORE,
        port,
        log=folder / "server.log",
        options=["--tasks", str(path)],
        command="openenv",
        ready="/health",
    )
    try:
        yield f"http://127.0.0.1:{port}", tasks, folder / "server.log"
    finally:
        server.stop()


def _client(url: str):
    return GenericEnvClient(base_url=url).sync()


def test_a_replayed_blueprint_earns_1_and_a_wrong_one_0(served) -> None:
    url, tasks, _ = served
    for task in tasks:
        with _client(url) as env:
            opening = env.reset(task=json.loads(task.to_json()))
            shown = json.loads(opening.observation["text"])
            assert shown["instruction"] == task.instruction
            assert {"listPets", "createPets"} <= {
                t["function"]["name"] for t in shown["tools"]
            }
            for action in task.actions:
                step = env.step(_call(action))
                assert step.observation["status"] < 300 and not step.done
            state = env.state()
            assert state["step_count"] == len(task.actions)
            assert state["task"] == task.id
            done = env.step({"name": "finish", "arguments": {"answer": _answer(task)}})
            assert done.done and done.reward == 1.0
            parts = done.observation["reward_parts"]
            assert parts == {
                "state": True,
                "changes": True,
                "outputs": True,
                "actions": 1.0,
                "steps": len(task.actions),
            }
            env.reset(
                task=json.loads(task.to_json())
            )  # the same task again, from its start
            wrong = env.step({"name": "finish", "arguments": {"answer": ""}})
            assert wrong.done and wrong.reward == 0.0


def test_each_client_has_its_own_session(served) -> None:
    url, tasks, _ = served
    with _client(url) as first, _client(url) as second:
        first.reset(seed=0)
        second.reset(seed=0)
        made = first.step(
            {"name": "createPets", "arguments": {"body": {"id": 77, "name": "Rex"}}}
        )
        assert made.observation["status"] == 201
        mine = json.loads(first.step({"name": "listPets"}).observation["text"])
        theirs = json.loads(second.step({"name": "listPets"}).observation["text"])
        assert {p["id"] for p in mine["body"]} - {p["id"] for p in theirs["body"]} == {
            77
        }
        assert first.state()["state_hash"] != second.state()["state_hash"]


def test_a_bad_action_answers_400_and_changes_nothing(served) -> None:
    url, tasks, _ = served
    with _client(url) as env:
        env.reset(task=json.loads(tasks[0].to_json()))
        before = env.state()["state_hash"]
        bad = env.step({"name": "createPets", "arguments": {"body": {"id": "x"}}})
        assert bad.observation["status"] == 400 and not bad.done
        unknown = env.step({"name": "adoptPet", "arguments": {}})
        assert unknown.observation["status"] == 400
        assert env.state()["state_hash"] == before


def test_reward_hygiene_over_openenv(served) -> None:
    """A do-nothing agent and a read-only one (the blueprint's reads, no
    writes, nothing reported) earn 0 on every served blueprint."""
    url, tasks, _ = served
    with _client(url) as env:
        for task in tasks:
            env.reset(task=json.loads(task.to_json()))
            nothing = env.step({"name": "finish", "arguments": {"answer": ""}})
            assert nothing.reward == 0.0, task.id
            env.reset(task=json.loads(task.to_json()))
            for action in read_only_calls(PETSTORE, task):
                env.step(_call(action))
            reads = env.step({"name": "finish", "arguments": {"answer": "Done."}})
            assert reads.reward == 0.0, task.id


def test_a_client_that_leaves_logs_no_traceback(served) -> None:
    url, _, log = served
    for _ in range(3):
        with _client(url) as env:
            env.reset(seed=0)
    assert "Traceback" not in log.read_text(encoding="utf-8")
