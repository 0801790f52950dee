"""Rewards a do-nothing agent cannot earn, on every package in generated/.

Through the Gymnasium front end (the episode core OpenEnv shares; the OpenEnv
server has the same checks over its wire in test_openenv_server.py): on every
accepted blueprint, finishing at once earns 0, and so does finishing at once
with the expected outputs where the task changes anything along the way;
making only the blueprint's reads (seeing all the oracle sees, writing
nothing, reporting nothing) earns 0, and the oracle (every call, then the
expected outputs) earns 1.
"""

from __future__ import annotations

import pytest

pytest.importorskip("gymnasium")

from agent_helpers import read_only_calls, runtime  # noqa: E402
from conftest import package_dirs  # noqa: E402

PER_PACKAGE = 8


def _episode(env, task, calls, answer: str) -> tuple[float, dict]:
    env.reset(options={"task": task})
    for action in calls:
        env.step({"name": action["name"], "arguments": action["arguments"]})
    _, reward, terminated, _, info = env.step(
        {"name": env.unwrapped.episodes.finish, "arguments": {"answer": answer}}
    )
    assert terminated
    return reward, info["reward_parts"]


@pytest.mark.parametrize("project", package_dirs(), ids=lambda p: p.name)
def test_only_doing_the_task_earns_the_reward(project) -> None:
    package = runtime(project)
    builder = package.make_builder(seed=0)
    accepted = package.make_generator(builder, seed=0).generate(PER_PACKAGE).accepted
    env = package.gym.TaskEnv()
    for task in accepted:
        told = "Done: " + ", ".join(str(o["value"]) for o in task.outputs)
        nothing, parts = _episode(env, task, [], "")
        assert nothing == 0.0 and parts["actions"] == 0.0, task.id
        # knowing the answers is not doing the task: a made-and-deleted item
        # leaves the start's state, and its new ID is easy to guess
        guessed, parts = _episode(env, task, [], told)
        if any(task.changes.values()):
            assert guessed == 0.0 and not parts["changes"], task.id
        reads = read_only_calls(project, task)
        reward, parts = _episode(env, task, reads, "Done.")
        assert reward == 0.0, task.id
        # reads of what the skipped writes would have made answer 404: no match
        assert parts["actions"] <= round(len(reads) / len(task.actions), 4)
        oracle, parts = _episode(env, task, task.actions, told)
        assert oracle == 1.0 and parts == {
            "state": True,
            "changes": True,
            "outputs": True,
            "actions": 1.0,
            "steps": len(task.actions),
        }, task.id
    if project.name != "link_example_env":  # its generator finds no proposal
        assert accepted, f"{project.name}: no blueprint to check"
