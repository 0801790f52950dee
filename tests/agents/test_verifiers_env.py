"""A package as a verifiers 0.4 environment, driven by verifiers' own eval loop.

The agent's model is the test suite's OpenAI-compatible server on 127.0.0.1
(streaming, as verifiers' chat harness asks for it), scripted per task from
the blueprint behind the prompt. `vf-eval <package>` (the console script, in
a process of its own) and `run_eval` (the loop it runs) start verifiers'
`null` chat harness under uv and a tool server per rollout; the rewards are
read from the traces verifiers writes. The first run fetches the harness's
dependencies with uv (PyPI).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("verifiers.v1")

from agent_helpers import (
    PETSTORE_V3,
    blueprints,
    read_only_calls,
    runtime,
)  # noqa: E402
from fake_llm import ScriptedLLM, tool_call  # noqa: E402

TASKS = 4


@pytest.fixture(scope="module")
def tasks(tmp_path_factory) -> tuple[Path, list]:
    """The blueprints JSONL the environment reads, and its blueprints."""
    accepted = blueprints(PETSTORE_V3, TASKS)
    path = tmp_path_factory.mktemp("vf") / "blueprints.jsonl"
    package = runtime(PETSTORE_V3)
    with path.open("w", encoding="utf-8") as out:
        package.write_blueprints(out, accepted)
    assert any(not changing_calls(t) for t in accepted)  # one changes nothing
    return path, accepted


def changing_calls(task) -> list[int]:
    """Which of the task's calls change its world."""
    from envfactory_runtime.frontends.toolcalls import Toolbox

    package = runtime(PETSTORE_V3)
    session = Toolbox(PETSTORE_V3.name).session(**task.initial)
    changing = []
    for index, action in enumerate(task.actions):
        before = package.state_hash(session.state)
        session.call(action["name"], action["arguments"])
        if package.state_hash(session.state) != before:
            changing.append(index)
    return changing


def agent(accepted: list, calls, answer) -> ScriptedLLM:
    """A model that makes `calls(task)` one per turn, then says `answer(task)`."""
    by_prompt = {task.instruction: task for task in accepted}

    def script(request: dict) -> dict:
        messages = request["messages"]
        assert request["stream"] and request["tools"]
        prompt = next(m["content"] for m in messages if m["role"] == "user")
        task = by_prompt[prompt]
        made = sum(1 for m in messages if m["role"] == "tool")
        planned = calls(task)
        if made < len(planned):
            call = planned[made]
            return {"tool_calls": [tool_call(made, call["name"], call["arguments"])]}
        return {"content": answer(task)}

    return ScriptedLLM(script)


def told(task) -> str:
    return "Done: " + ", ".join(str(o["value"]) for o in task.outputs)


def traces(out: Path) -> list[dict]:
    (path,) = out.glob("*/traces.jsonl")
    episodes = [json.loads(line) for line in path.read_text().splitlines()]
    assert all(e["ok"] and not e["errors"] for e in episodes), episodes
    episodes.sort(key=lambda e: e["task"]["data"]["idx"])  # written as they end
    return [e["traces"][0] for e in episodes]


def rewards(found: list[dict]) -> list[float]:
    return [t["rewards"]["solved"]["score"] for t in found]


def test_load_environment_gives_the_packages_blueprints(tasks) -> None:
    import verifiers.v1 as vf

    path, accepted = tasks
    package = runtime(PETSTORE_V3)
    env = package.load_environment(blueprints=str(path))
    assert isinstance(env, vf.Env)
    assert env.config.agent.harness.id == "null"  # the package's tools, no shell
    loaded = list(env.taskset)
    assert [t.data.prompt for t in loaded] == [t.instruction for t in accepted]
    assert [t.data.blueprint["final_hash"] for t in loaded] == [
        t.final_hash for t in accepted
    ]
    assert "exact values" in loaded[0].data.system_prompt
    # generated on the fly by seed: the same blueprints `blueprints` makes
    fresh = list(package.load_environment(num_tasks=TASKS, seed=0).taskset)
    assert [t.data.prompt for t in fresh] == [t.instruction for t in accepted]


def test_vf_eval_rewards_the_correct_agent(tasks, tmp_path) -> None:
    path, accepted = tasks
    with agent(accepted, lambda t: t.actions, told) as llm:
        command = [
            str(Path(sys.executable).parent / "vf-eval"),
            PETSTORE_V3.name,
            "--env.taskset.blueprints", str(path),
            "-m", "scripted",
            "--client.base-url", llm.base_url,
            "--client.api-key-var", "SCRIPTED_KEY",
            "--no-push", "--no-rich",
            "-o", str(tmp_path),
        ]  # fmt: skip
        env = {
            **os.environ,
            "SCRIPTED_KEY": "sk-test",
            "PYTHONPATH": os.pathsep.join([str(PETSTORE_V3), *sys.path]),
        }
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=540
        )
    assert done.returncode == 0, done.stderr[-3000:]
    found = traces(tmp_path)
    assert rewards(found) == [1.0] * TASKS
    for trace, task in zip(found, accepted):
        assert trace["metrics"] == {
            "state": 1.0,
            "changes": 1.0,
            "outputs": 1.0,
            "actions": 1.0,
            "steps": float(len(task.actions)),
        }
        names = {tool["name"] for tool in trace["tools"]}
        assert set(task.tools) <= names  # the package's tool names, as they are


def test_agents_that_do_not_do_the_task_earn_nothing(
    tasks, tmp_path, monkeypatch
) -> None:
    """Over verifiers' own loop: doing nothing, only the blueprint's reads (all
    the oracle sees, nothing reported), or a wrong world or answer."""
    from verifiers.v1.cli.eval.runner import run_eval
    from verifiers.v1.configs.cli.eval import EvalConfig

    path, accepted = tasks

    def wrong(task) -> tuple[list[dict], str]:
        """The calls less the last that changes the world, with the outputs;
        where none changes it, every call and no outputs."""
        changing = changing_calls(task)
        if not changing:
            return task.actions, "Done."
        return [a for i, a in enumerate(task.actions) if i != changing[-1]], told(task)

    agents = {
        "nothing": (lambda t: [], lambda t: "Done."),
        "read-only": (lambda t: read_only_calls(PETSTORE_V3, t), lambda t: "Done."),
        "wrong": (lambda t: wrong(t)[0], lambda t: wrong(t)[1]),
    }
    monkeypatch.setenv("SCRIPTED_KEY", "sk-test")
    for name, (calls, answer) in agents.items():
        with agent(accepted, calls, answer) as llm:
            config = EvalConfig.model_validate(
                {
                    "env": {"taskset": {"id": PETSTORE_V3.name, "blueprints": path}},
                    "model": "scripted",
                    "client": {"base_url": llm.base_url, "api_key_var": "SCRIPTED_KEY"},
                    "push": False,
                    "rich": None,
                    "output_dir": tmp_path / name,
                }
            )
            asyncio.run(run_eval(config))
        found = traces(tmp_path / name)
        assert rewards(found) == [0.0] * TASKS, name
        if name == "nothing":
            assert all(t["metrics"]["actions"] == 0.0 for t in found)
