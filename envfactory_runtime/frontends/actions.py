"""Tool calls as an agent makes them, executed against one task of the sandbox.

An action is `{"name": operation, "arguments": {...}}`: the parameters by
name and the body under the operation's body key, exactly the `arguments`
of the sampler's steps and of an OpenAI tool call. `TaskWorld` holds one
task's state and runs actions on it through the sampler's executors: the
engine in process, or a served sandbox (`SandboxServer`) over HTTP, where
each call runs in a fresh task restored from the current state.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..sandbox.diffs import changes_made
from ..sandbox.engine import Engine
from ..sampling.executors import HttpExecutor, InProcessExecutor
from ..sampling.requests import Request, RequestBuilder
from ..sandbox.store import TaskState


@dataclass(frozen=True)
class Result:
    """What one action answered."""

    name: str
    arguments: dict[str, Any]
    status: int
    output: Any
    change: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def observation(self) -> str:
        """The tool message an agent sees (the sampler's datasets say the same)."""
        return json.dumps(
            {"status": self.status, "body": self.output},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )


def fresh_state(engine: Engine, seed: int, fixtures: int = 0) -> TaskState:
    """The initial world of a task: its seed and `fixtures` items per resource.

    Populating is seeded, so each engine's world for a seed and count is
    made once and every task starts from a fork of it (O(collections), not
    the fake data generated again): an RL trainer resets thousands of times."""
    if not fixtures:
        return TaskState(seed=seed)
    worlds = _WORLDS.setdefault(engine, {})
    made = worlds.get((seed, fixtures))
    if made is None:
        made = worlds[seed, fixtures] = TaskState(seed=seed)
        engine.populate(made, fixtures)
    return made.fork()


_WORLDS: "weakref.WeakKeyDictionary[Engine, dict]" = weakref.WeakKeyDictionary()


def forget_worlds() -> None:
    """Drop the populated worlds `fresh_state` keeps (benchmarks, memory)."""
    _WORLDS.clear()


class TaskWorld:
    """One task's state and the actions run on it, in order."""

    def __init__(
        self, engine: Engine, state: TaskState, *, base_url: str | None = None
    ) -> None:
        self.engine = engine
        self.initial = state.fork()
        self.state = state
        self.builder = RequestBuilder(engine)
        self.executor = (
            HttpExecutor(base_url, engine) if base_url else InProcessExecutor(engine)
        )
        self.results: list[Result] = []

    def run(self, name: str, arguments: Any) -> Result:
        """Execute one tool call; an unknown tool or bad arguments answer 400."""
        if name not in self.engine.operations or not isinstance(arguments, dict):
            result = Result(
                name,
                {},
                400,
                {"detail": f"no tool {name!r} or arguments not an object"},
            )
        else:
            executed = self.executor.run(self.state, self.request(name, arguments))
            self.state = executed.state
            result = Result(
                name, arguments, executed.status, executed.body, executed.change
            )
        self.results.append(result)
        return result

    def changes(self) -> dict[str, list[str]]:
        """The items its calls created, updated and deleted (`changes_made`)."""
        return changes_made(r.change for r in self.results if r.ok)

    def request(self, name: str, arguments: dict[str, Any]) -> Request:
        """The request a tool call stands for, with the sandbox credential."""
        op = self.engine.operations[name]
        body_key = self.builder.body_key(name)
        params: dict[str, dict[str, Any]] = {}
        for param in op.params:
            if param.name in arguments and param.name != body_key:
                params.setdefault(param.location, {})[param.name] = arguments[
                    param.name
                ]
        path = op.path
        for key, value in params.get("path", {}).items():
            path = path.replace("{" + key + "}", quote(str(value), safe=""))
        body = arguments.get(body_key) if op.body else None
        credentials = self.builder._plan(name).credentials
        return Request(name, op.method, path, arguments, params, body, credentials)

    def close(self) -> None:
        close = getattr(self.executor, "close", None)
        if close is not None:
            close()


def is_read(engine: Engine, name: str) -> bool:
    """A tool that changes nothing (`Operation.changes_nothing`)."""
    return engine.operations[name].changes_nothing
