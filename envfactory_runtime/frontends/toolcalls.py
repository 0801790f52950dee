"""Tool calls checked against their schemas: the core of every agent front end.

`Toolbox` holds the package's tools (`tools.json`: one per operation, the
parameters by name and the body under `body`) and a JSON Schema validator
for each. `ToolSession` is one agent's task: it checks a call's arguments
(an unknown tool or arguments that break the tool's schema answer 400 and
change nothing), then runs it on its `actions.TaskWorld`, the same path
blueprints and rollouts take. The MCP server and the Gymnasium environment
are thin layers over it, as the Connexion app is over the engine.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator

from .actions import Result, TaskWorld, fresh_state
from ..sandbox.app import Sandbox, load_sandbox
from ..sandbox.store import TaskState


class Toolbox:
    """The package's tools and their validators, over one sandbox engine."""

    def __init__(self, package: str, sandbox: Sandbox | None = None) -> None:
        text = resources.files(package).joinpath("tools.json").read_text("utf-8")
        self.package = package
        self.tools: list[dict] = json.loads(text)["tools"]
        self.sandbox = sandbox or load_sandbox(package)
        self.engine = self.sandbox.engine
        self._validators = {
            t["function"]["name"]: Draft4Validator(t["function"]["parameters"])
            for t in self.tools
        }

    def reserved(self, name: str) -> str:
        """A name for a tool of the front end's own that no operation uses."""
        while name in self._validators:
            name = "envc_" + name
        return name

    def problem(self, name: str, arguments: Any) -> str | None:
        """Why a call cannot run (unknown tool, arguments off the schema), or None."""
        validator = self._validators.get(name)
        if validator is None:
            return f"unknown tool {name!r}"
        if not isinstance(arguments, dict):
            return "arguments must be a JSON object"
        errors = [
            error
            for error in validator.iter_errors(arguments)
            if not self._as_text(name, list(error.path), arguments)
        ]
        if not errors:
            return None
        errors.sort(key=lambda e: [str(part) for part in e.path])
        where = "/".join(str(part) for part in errors[0].path) or "(arguments)"
        return f"{where}: {errors[0].message}"

    def _as_text(self, name: str, path: list, arguments: dict) -> bool:
        """Whether a parameter's value is valid once sent as text, as HTTP sends
        path, query and header values (`7` for a string id, `"7"` for an integer)."""
        params = {p.name for p in self.engine.operations[name].params}
        if len(path) != 1 or path[0] not in params:
            return False
        value = arguments[path[0]]
        if isinstance(value, (dict, list)):
            return False
        text = value if isinstance(value, str) else json.dumps(value)
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        schema = self._validators[name].schema["properties"][path[0]]
        return any(Draft4Validator(schema).is_valid(v) for v in (text, parsed))

    def session(self, *, seed: int = 0, fixtures: int = 0) -> "ToolSession":
        return ToolSession(self, fresh_state(self.engine, seed, fixtures))


class ToolSession:
    """One task and the tool calls made on it."""

    def __init__(self, toolbox: Toolbox, state: TaskState) -> None:
        self.toolbox = toolbox
        self.world = TaskWorld(toolbox.engine, state)

    @property
    def state(self) -> TaskState:
        return self.world.state

    def call(self, name: str, arguments: Any) -> Result:
        """Run one tool call; a refused one answers 400 and is not recorded."""
        problem = self.toolbox.problem(name, arguments)
        if problem is not None:
            body = {"title": "Bad Request", "status": 400, "detail": problem}
            args = arguments if isinstance(arguments, dict) else {}
            return Result(name, args, 400, body)
        return self.world.run(name, arguments)

    def reset(self, *, seed: int = 0, fixtures: int = 0) -> None:
        """Start the task again from a fresh world."""
        state = fresh_state(self.toolbox.engine, seed, fixtures)
        self.world = TaskWorld(self.toolbox.engine, state)

    def snapshot(self) -> dict[str, Any]:
        """The task's state as JSON (`TaskState.snapshot`, copied)."""
        return json.loads(json.dumps(self.state.snapshot(), default=str))


def answer(result: Result) -> str:
    """A tool's answer as the agent reads it: `{"body", "status"}` in ASCII JSON."""
    return json.dumps(
        {"status": result.status, "body": result.output},
        ensure_ascii=True,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
