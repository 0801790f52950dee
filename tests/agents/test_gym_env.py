"""`<package>.gym`: a Gymnasium environment whose reward is the blueprint's final state and outputs."""

from __future__ import annotations

import dataclasses
import json
import warnings

import pytest

gymnasium = pytest.importorskip("gymnasium")
from gymnasium.utils.env_checker import check_env  # noqa: E402
from envfactory_runtime.frontends.actions import forget_worlds

from agent_helpers import PETSTORE, PETSTORE_V3, blueprints, runtime  # noqa: E402


def _env(project, **kwargs):
    runtime(project).gym  # importing the module registers the environment
    return gymnasium.make(f"{project.name}/Task-v0", **kwargs)


def _answer(task) -> str:
    return "Done: " + ", ".join(str(output["value"]) for output in task.outputs)


def _play(env, task, actions, answer: str) -> tuple[float, list]:
    observation, info = env.reset(seed=0, options={"task": task})
    expected = task["instruction"] if isinstance(task, dict) else task.instruction
    assert json.loads(observation)["instruction"] == info["instruction"] == expected
    answers = []
    for action in actions:
        observation, reward, terminated, truncated, _ = env.step(json.dumps(action))
        assert (reward, terminated, truncated) == (0.0, False, False)
        answers.append(json.loads(observation))
    observation, reward, terminated, truncated, _ = env.step(
        {"name": "finish", "arguments": {"answer": answer}}
    )
    assert terminated and not truncated
    return reward, answers


def test_check_env_passes() -> None:
    env = _env(PETSTORE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no passive-checker warning either
        check_env(env.unwrapped)


def test_make_by_module_name_and_lazy_attribute() -> None:
    package = runtime(PETSTORE)
    assert package.gym.ENV_ID == "petstore_env/Task-v0"
    env = gymnasium.make("petstore_env.gym:petstore_env/Task-v0")
    assert isinstance(env.unwrapped, package.gym.TaskEnv)


def test_reset_observes_instruction_and_tools() -> None:
    env = _env(PETSTORE)
    task = blueprints(PETSTORE, 1)[0]
    observation, info = env.reset(seed=3, options={"task": task})
    opening = json.loads(observation)
    names = [tool["function"]["name"] for tool in opening["tools"]]
    assert names == ["listPets", "createPets", "showPetById", "finish"]
    assert info["instruction"] == task.instruction and info["task"] == task.id
    assert env.observation_space.contains(observation)


@pytest.mark.parametrize("project", [PETSTORE, PETSTORE_V3], ids=lambda p: p.name)
def test_replaying_a_blueprint_earns_1_and_a_wrong_episode_0(project) -> None:
    env = _env(project)
    for task in blueprints(project, 3):
        actions = [
            {"name": a["name"], "arguments": a["arguments"]} for a in task.actions
        ]
        reward, answers = _play(env, task, actions, _answer(task))
        assert reward == 1.0, task.id
        assert all(200 <= a["status"] < 300 for a in answers)
        writes = [i for i, a in enumerate(task.actions) if a.get("write")]
        wrong = [a for i, a in enumerate(actions) if i != writes[-1]]  # skip a write
        assert _play(env, task, wrong, _answer(task))[0] == 0.0
        if task.outputs:  # right state, but the outputs never given
            assert _play(env, task, actions, "All done.")[0] == 0.0


def test_a_plain_task_dict_is_accepted() -> None:
    env = _env(PETSTORE)
    actions = [{"name": "createPets", "arguments": {"body": {"id": 5, "name": "Tom"}}}]
    task = {
        "instruction": "Add the pet Tom (id 5) and tell me its id.",
        "actions": actions,
        "expected_outputs": [5],
    }
    assert _play(env, task, actions, "Its id is 5.")[0] == 1.0
    assert _play(env, task, [], "Its id is 5.")[0] == 0.0


def test_bad_actions_answer_400_and_change_nothing() -> None:
    env = _env(PETSTORE)
    env.reset(seed=0, options={"task": blueprints(PETSTORE, 1)[0]})
    for action in (
        "not json",
        json.dumps({"arguments": {}}),
        json.dumps({"name": "nope", "arguments": {}}),
        json.dumps({"name": "createPets", "arguments": {"body": {"name": 3}}}),
    ):
        observation, reward, terminated, truncated, info = env.step(action)
        assert json.loads(observation)["status"] == 400 and info["status"] == 400
        assert (reward, terminated) == (0.0, False)
    assert env.unwrapped.session.snapshot()["objects"] == {}


def test_episodes_are_truncated_after_max_steps() -> None:
    env = _env(PETSTORE, max_steps=2)
    env.reset(seed=0, options={"task": blueprints(PETSTORE, 1)[0]})
    listing = json.dumps({"name": "listPets", "arguments": {}})
    assert env.step(listing)[3] is False
    assert env.step(listing)[3] is True


def test_every_reset_starts_from_the_same_world_whatever_ran_before() -> None:
    """Resets fork one populated world per seed (not populated again): the
    episodes' writes never reach it, so each episode starts alike."""
    env = _env(PETSTORE_V3).unwrapped
    task = dataclasses.replace(
        blueprints(PETSTORE_V3, 1)[0], initial={"seed": 3, "fixtures": 2}
    )
    package = runtime(PETSTORE_V3)

    def world() -> str:
        env.reset(seed=0, options={"task": task})
        return json.dumps(env.session.state.snapshot(), sort_keys=True)

    first = world()
    assert json.loads(first)["objects"]
    for _ in range(2):
        for action in task.actions:
            env.step(json.dumps(action))
    assert json.dumps(env.session.state.snapshot(), sort_keys=True) != first
    assert world() == first
    forget_worlds()
    assert world() == first  # the same world, populated afresh
