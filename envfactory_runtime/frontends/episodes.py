"""One agent's tasks, one episode at a time: the core the Gymnasium and OpenEnv
front ends share, as the MCP server and the Connexion app share `toolcalls`.

`start` begins a blueprint's task in a fresh world (its `initial` seed and
fixtures) and opens with the instruction and the tools (the package's, plus
`finish`). `act` runs one tool call, `{"name": ..., "arguments": {...}}` as
JSON text or a dict: a call that cannot run (unknown tool, arguments off the
schema, malformed JSON) answers 400 and changes nothing. `finish` ends the
episode; its reward is 1 when the task's final state has the blueprint's
canonical hash, the calls changed the blueprint's items along the way (so
making an item and deleting it again is not doing nothing) and the answer
gives every expected output (`rollouts.verdict`), else 0, with the parts said
apart (`Turn.parts`: state, changes, outputs, the share of the blueprint's
actions made, steps). Every
other step is rewarded 0; after `max_steps` calls the episode is truncated.

A task is a `blueprints.Blueprint`, its JSONL record, or a plain
`{"instruction", "actions": [{"name", "arguments"}], "expected_outputs":
[value, ...]}` whose expected state is what its actions leave in a fresh
task (seed `initial.seed`, default 0).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from ..sandbox.diffs import canonical, state_diff, state_hash
from ..tasks.blueprints import Blueprint, make_builder, make_generator
from ..tasks.user_sim import outputs_in
from ..tasks.rollouts import changes_match, verdict_of
from .actions import fresh_state
from .toolcalls import Toolbox, ToolSession, answer

MAX_STEPS = 50


@dataclass(frozen=True)
class Turn:
    """What one step observed: the answer as ASCII JSON, and its reward."""

    observation: str
    status: int
    reward: float = 0.0
    terminated: bool = False
    truncated: bool = False
    parts: dict[str, Any] = field(default_factory=dict)  # the reward's parts


class Episodes:
    """A package's tools over one task at a time (see the module docstring)."""

    def __init__(
        self,
        package: str,
        tasks: list[Any] | None = None,
        *,
        max_steps: int = MAX_STEPS,
        toolbox: Toolbox | None = None,
    ) -> None:
        self.toolbox = toolbox or Toolbox(package)  # a server's sessions share one
        self.finish = self.toolbox.reserved("finish")
        self.tools = [*self.toolbox.tools, _finish_tool(self.finish)]
        self.tasks = [self.blueprint(task) for task in tasks or ()]
        self.max_steps = max_steps
        self.task: Blueprint | None = None
        self.session: ToolSession | None = None
        self.steps = 0
        self._generated: dict[int, Blueprint] = {}

    def pick(
        self, given: Any, seed: int | None, draw: Callable[[int], int]
    ) -> Blueprint:
        """The episode's task: the one given, else one of `tasks` (`draw(n)` an
        index below n), else one generated with `seed`."""
        if given is not None:
            return self.blueprint(given)
        if self.tasks:
            return self.tasks[draw(len(self.tasks))]
        return self.generated(seed or 0)

    def start(self, task: Blueprint) -> dict[str, Any]:
        """Begin `task` in a fresh world; the opening (instruction and tools)."""
        self.task = task
        initial = task.initial
        state = fresh_state(
            self.toolbox.engine, initial.get("seed", 0), initial.get("fixtures", 0)
        )
        self.session = ToolSession(self.toolbox, state)
        self.steps = 0
        return {"instruction": task.instruction, "tools": self.tools}

    def act(self, action: Any) -> Turn:
        if self.session is None or self.task is None:
            raise RuntimeError("call reset() before step()")
        self.steps += 1
        name, arguments, problem = parse_action(action)
        if problem is not None:
            body = {"title": "Bad Request", "status": 400, "detail": problem}
            return self._turn(400, {"status": 400, "body": body})
        if name == self.finish:
            text = str(arguments.get("answer") or "")
            reward, reasons, parts = scored(
                self.task,
                Finish(
                    state_hash(self.session.state),
                    self.session.world.changes(),
                    text,
                    actions_matched(self.task, self.session.world.results),
                    self.steps - 1,
                ),
            )
            body = {"reward": reward, "reasons": reasons}
            return Turn(
                as_ascii({"status": 200, "body": body}), 200, reward, True, False, parts
            )
        result = self.session.call(name, arguments)
        return self._turn(result.status, None, answer(result))

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
            changes=session.world.changes(),
            initial=initial,
            user={"goal": task["instruction"], "persona": "", "facts": []},
            tools=sorted({a["name"] for a in actions}),
        )

    def _turn(self, status: int, value: Any, text: str | None = None) -> Turn:
        truncated = self.steps >= self.max_steps
        return Turn(
            as_ascii(value) if text is None else text, status, truncated=truncated
        )


@dataclass(frozen=True)
class Finish:
    """How an episode ended: its world (final hash, the changes made along
    the way), the answer, the share of the blueprint's actions made, steps."""

    final_hash: str
    changes: dict[str, list[str]]
    answer: str
    actions: float
    steps: int


def scored(task: Blueprint, end: Finish) -> tuple[float, list[str], dict[str, Any]]:
    """An episode's reward (1 when `rollouts.verdict` finds nothing wrong),
    the reasons, and its parts: state (final hash matched), changes (the
    blueprint's items created, updated and deleted), outputs (all
    reported), actions (`actions_matched`), steps (tool calls made)."""
    reasons = verdict_of(task, end.final_hash, end.changes, end.answer)
    parts = {
        "state": end.final_hash == task.final_hash,
        "changes": changes_match(task, end.changes),
        "outputs": outputs_in(task.outputs, end.answer),
        "actions": end.actions,
        "steps": end.steps,
    }
    return float(not reasons), reasons, parts


def actions_matched(task: Blueprint, results: list[Any]) -> float:
    """The share of the blueprint's actions the agent made as they are (name
    and arguments, answered 2xx), each made call counting once: a progress
    signal for shaping, not the reward."""
    made = Counter(canonical([r.name, r.arguments]) for r in results if r.ok)
    hits = 0
    for action in task.actions:
        key = canonical([action["name"], action["arguments"]])
        if made[key]:
            made[key] -= 1
            hits += 1
    return round(hits / len(task.actions), 4) if task.actions else 1.0


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


def as_ascii(value: Any) -> str:
    return json.dumps(
        value, ensure_ascii=True, sort_keys=True, separators=(",", ":"), default=str
    )
