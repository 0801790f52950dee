"""A package's sandbox as a Gymnasium environment: `gymnasium.make("<package>/Task-v0")`.

Importing a package's `gym` module registers its environment (`register`;
or name it with its module: `gymnasium.make("<package>.gym:<package>/Task-v0")`);
`pip install '<package>[gym]'` brings gymnasium.

- `reset(seed=..., options={"task": blueprint})` starts the blueprint's
  task; without a task it takes one of the environment's `tasks`, or
  generates one (the package's `BlueprintGenerator`, seeded by `seed`).
- `step(action)`: one tool call or `finish`, as `episodes.py` says; the
  observation is the tool's answer, `{"body": ..., "status": ...}`, and
  `info` holds the status (and, on `finish`, the reward's parts).

Observations and actions are `spaces.Text` of printable ASCII (JSON with
non-ASCII escaped).
"""

from __future__ import annotations

from typing import Any

import gymnasium
from gymnasium import spaces

from ..environment import Environment, required_package
from ..tasks.blueprints import Blueprint
from .episodes import MAX_STEPS, Episodes, as_ascii

CHARSET = "".join(chr(code) for code in range(32, 127))
MAX_OBSERVATION = 1 << 24
MAX_ACTION = 1 << 16


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
        self.episodes = Episodes(required_package(self), tasks, max_steps=max_steps)
        self.toolbox = self.episodes.toolbox
        self.tools = self.episodes.tools
        self.tasks = self.episodes.tasks
        self.render_mode = render_mode
        self.observation_space = spaces.Text(MAX_OBSERVATION, charset=CHARSET)
        self.action_space = spaces.Text(MAX_ACTION, charset=CHARSET)
        self.last = ""

    @property
    def task(self) -> Blueprint | None:
        return self.episodes.task

    @property
    def session(self):
        return self.episodes.session

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        task = self.episodes.pick(
            (options or {}).get("task"), seed, lambda n: int(self.np_random.integers(n))
        )
        opening = self.episodes.start(task)
        self.last = as_ascii(opening)
        return self.last, {"task": task.id, **opening}

    def step(self, action: Any) -> tuple[str, float, bool, bool, dict[str, Any]]:
        turn = self.episodes.act(action)
        self.last = turn.observation
        info: dict[str, Any] = {"status": turn.status}
        if turn.parts:
            info["reward_parts"] = turn.parts
        return turn.observation, turn.reward, turn.terminated, turn.truncated, info

    def render(self) -> str | None:
        return self.last if self.render_mode == "ansi" else None

    def blueprint(self, task: Any) -> Blueprint:
        return self.episodes.blueprint(task)

    def generated(self, seed: int) -> Blueprint:
        return self.episodes.generated(seed)


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
