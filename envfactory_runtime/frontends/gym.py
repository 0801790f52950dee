"""A package's sandbox as a Gymnasium environment: `gymnasium.make("<package>/Task-v0")`.

Importing a package's `gym` module registers its environment (`register`;
or name it with its module: `gymnasium.make("<package>.gym:<package>/Task-v0")`);
`pip install '<package>[gym]'` brings gymnasium.

- `reset(seed=..., options={"task": blueprint})` starts the blueprint's
  task in a fresh world (its `initial` seed and fixtures) and observes the
  instruction and the tools (the package's, plus `finish`). Without a task
  it takes one of the environment's `tasks`, or generates one (the
  package's `BlueprintGenerator`, seeded by `seed`).
- `step(action)`: one tool call, `{"name": ..., "arguments": {...}}` as
  JSON text (or a dict); the observation is the tool's answer,
  `{"body": ..., "status": ...}`. A call that cannot run (unknown tool,
  arguments off the schema, malformed JSON) answers 400 and changes nothing.
- `{"name": "finish", "arguments": {"answer": "..."}}` ends the episode
  (`terminated`); its reward is 1 when the task's final state has the
  blueprint's canonical hash and the answer gives every expected output
  (`rollouts.verdict`), else 0. Every other step is rewarded 0; after
  `max_steps` calls the episode is truncated.

Observations and actions are `spaces.Text` of printable ASCII (JSON with
non-ASCII escaped). A blueprint is a `blueprints.Blueprint`, its JSONL
record, or a plain `{"instruction", "actions": [{"name", "arguments"}],
"expected_outputs": [value, ...]}` whose expected state is what its actions
leave in a fresh task (seed `initial.seed`, default 0).
"""

from __future__ import annotations

import json
from typing import Any

import gymnasium
from gymnasium import spaces

from ..environment import Environment, required_package
from .actions import fresh_state
from ..tasks.blueprints import Blueprint, make_builder, make_generator
from ..sandbox.diffs import state_diff, state_hash
from ..tasks.rollouts import verdict
from .toolcalls import Toolbox, ToolSession, answer

CHARSET = "".join(chr(code) for code in range(32, 127))
MAX_OBSERVATION = 1 << 24
MAX_ACTION = 1 << 16
MAX_STEPS = 50


class TaskEnv(gymnasium.Env):
    """One blueprint's task per episode (see the module docstring)."""

    metadata = {"render_modes": ["ansi"], "render_fps": 1}
    package: str | None = None  # `register` makes a package's own subclass

    def __init__(
        self,
        tasks: list[Any] | None = None,
        *,
        max_steps: int = MAX_STEPS,
        render_mode: str | None = None,
    ) -> None:
        self.toolbox = Toolbox(required_package(self))
        self.finish = self.toolbox.reserved("finish")
        self.tools = [*self.toolbox.tools, _finish_tool(self.finish)]
        self.tasks = [self.blueprint(task) for task in tasks or ()]
        self.max_steps = max_steps
        self.render_mode = render_mode
        self.observation_space = spaces.Text(MAX_OBSERVATION, charset=CHARSET)
        self.action_space = spaces.Text(MAX_ACTION, charset=CHARSET)
        self.task: Blueprint | None = None
        self.session: ToolSession | None = None
        self.steps = 0
        self.last = ""
        self._generated: dict[int, Blueprint] = {}

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        given = (options or {}).get("task")
        if given is not None:
            self.task = self.blueprint(given)
        elif self.tasks:
            self.task = self.tasks[int(self.np_random.integers(len(self.tasks)))]
        else:
            self.task = self.generated(seed or 0)
        initial = self.task.initial
        state = fresh_state(
            self.toolbox.engine, initial.get("seed", 0), initial.get("fixtures", 0)
        )
        self.session = ToolSession(self.toolbox, state)
        self.steps = 0
        opening = {"instruction": self.task.instruction, "tools": self.tools}
        self.last = _ascii(opening)
        return self.last, {"task": self.task.id, **opening}

    def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self.session is None or self.task is None:
            raise RuntimeError("call reset() before step()")
        self.steps += 1
        name, arguments, problem = parse_action(action)
        reward, terminated = 0.0, False
        if problem is not None:
            status, body = 400, {
                "title": "Bad Request",
                "status": 400,
                "detail": problem,
            }
        elif name == self.finish:
            text = arguments.get("answer")
            reasons = verdict(self.task, self.session.world, str(text or ""))
            reward, terminated = float(not reasons), True
            status, body = 200, {"reward": reward, "reasons": reasons}
        else:
            result = self.session.call(name, arguments)
            self.last = answer(result)
            return self._answer(result.status, 0.0, False)
        self.last = _ascii({"status": status, "body": body})
        return self._answer(status, reward, terminated)

    def render(self) -> str | None:
        return self.last if self.render_mode == "ansi" else None

    def blueprint(self, task: Any) -> Blueprint:
        """A `Blueprint` from a blueprint, its record, or a plain task dict."""
        if isinstance(task, Blueprint):
            return task
        if not isinstance(task, dict):
            raise TypeError(
                "a task is a Blueprint or a dict (see the module docstring)"
            )
        if "final_hash" in task:
            return Blueprint.from_dict(task)
        return self._replayed(task)

    def generated(self, seed: int) -> Blueprint:
        """A blueprint of this package's own, generated with `seed`."""
        if seed not in self._generated:
            builder = make_builder(self.toolbox.package, seed=seed)
            report = make_generator(builder, seed=seed).generate(1)
            if not report.accepted:
                raise RuntimeError(f"no blueprint generated with seed {seed}")
            self._generated[seed] = report.accepted[0]
        return self._generated[seed]

    def _replayed(self, task: dict[str, Any]) -> Blueprint:
        initial = {"seed": 0, "fixtures": 0, **task.get("initial", {})}
        state = fresh_state(self.toolbox.engine, initial["seed"], initial["fixtures"])
        session = ToolSession(self.toolbox, state)
        actions = task.get("actions", [])
        for action in actions:
            result = session.call(action["name"], action.get("arguments", {}))
            if not result.ok:
                raise ValueError(
                    f"task action {action['name']} answered {result.status}"
                )
        outputs = [{"value": v} for v in task.get("expected_outputs", [])]
        return Blueprint(
            id=str(task.get("id", "task")),
            instruction=task["instruction"],
            actions=actions,
            outputs=outputs,
            diff=state_diff(session.world.initial.objects, session.state.objects),
            final_hash=state_hash(session.state),
            initial=initial,
            user={"goal": task["instruction"], "persona": "", "facts": []},
            tools=sorted({a["name"] for a in actions}),
        )

    def _answer(
        self, status: int, reward: float, terminated: bool
    ) -> tuple[str, float, bool, bool, dict[str, Any]]:
        truncated = not terminated and self.steps >= self.max_steps
        return self.last, reward, terminated, truncated, {"status": status}


def parse_action(action: Any) -> tuple[str, dict[str, Any], str | None]:
    """The tool name and arguments of an action, or why it is not one."""
    if isinstance(action, (str, bytes)):
        try:
            action = json.loads(action)
        except ValueError as exc:
            return "", {}, f"an action is JSON text: {exc}"
    if not isinstance(action, dict) or not isinstance(action.get("name"), str):
        return "", {}, 'an action is {"name": tool, "arguments": {...}}'
    arguments = action.get("arguments", {})
    if isinstance(arguments, str):  # OpenAI tool calls carry arguments as text
        try:
            arguments = json.loads(arguments)
        except ValueError as exc:
            return action["name"], {}, f"arguments are not JSON: {exc}"
    if not isinstance(arguments, dict):
        return action["name"], {}, "arguments must be a JSON object"
    return action["name"], arguments, None


def _finish_tool(name: str) -> dict[str, Any]:
    description = "End the task and give the user the results they asked for."
    parameters = {
        "type": "object",
        "properties": {"answer": {"type": "string", "description": "the final answer"}},
        "required": ["answer"],
    }
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": parameters,
        },
    }


def _ascii(value: Any) -> str:
    return json.dumps(
        value, ensure_ascii=True, sort_keys=True, separators=(",", ":"), default=str
    )


def env_id(package: str) -> str:
    return f"{package}/Task-v0"


def register(environment: Environment) -> tuple[type, str]:
    """A package's `TaskEnv` and its id, registered with gymnasium (once)."""
    bound = environment.bound(TaskEnv)
    bound.__module__ = f"{environment.name}.gym"
    identifier = env_id(environment.name)
    if identifier not in gymnasium.registry:
        gymnasium.register(id=identifier, entry_point=f"{bound.__module__}:TaskEnv")
    return bound, identifier
