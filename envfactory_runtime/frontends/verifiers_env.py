"""A package as a verifiers environment (verifiers 0.4, `verifiers.v1`).

verifiers 0.4 makes an environment of a taskset (tasks, their tools and
rewards) and agents (a harness running the model in a runtime):

- `SandboxTaskset` yields one task per blueprint, read from a blueprints
  JSONL (`blueprints=PATH`, what `python -m <package> blueprints` writes) or
  generated with `seed` (`num_tasks` of them). The prompt is the
  blueprint's instruction; the system prompt is the package's datasets' own,
  asking for the results' exact values at the end.
- Every rollout gets a tool server of its own (`SandboxTools`, MCP, started
  by verifiers): the blueprint's tools and its resources' reads, as natural
  rollouts offer them, run by a `toolcalls.ToolSession` on a fresh world of
  the blueprint (its seed and fixtures). Each call leaves the world's hash,
  the share of the blueprint's actions made and the step count in the
  rollout's state, with the items created, updated and deleted so far.
- `SandboxTask`'s reward is 1 only when the final state has the blueprint's
  hash, the calls changed the blueprint's items and the last reply gives
  every expected output (`episodes.scored`, as over Gymnasium and OpenEnv);
  the metrics report the parts.
- `SandboxEnv` is the single-agent env with verifiers' `null` chat harness
  (its default, `bash`, would hand the model a shell besides the package's
  tools) in a runtime on this machine, `MAX_STEPS` model turns at most.

`<package>.load_environment(**kwargs)` returns the env (the Environments
Hub convention); `vf-eval <package>` finds the taskset and the env in the
package's `__all__`. `pip install '<package>[verifiers]'`.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import verifiers.v1 as vf

from ..environment import load
from ..sandbox.app import load_sandbox
from ..sandbox.diffs import changes_made, state_hash
from ..sampling.datasets import DatasetContext
from ..tasks.agents import REPORT, task_tools
from ..tasks.blueprints import Blueprint, make_builder, make_generator, read_blueprints
from .actions import fresh_state
from .episodes import MAX_STEPS, Finish, actions_matched, scored
from .toolcalls import Toolbox, ToolSession, answer


class SandboxData(vf.TaskData):
    """A blueprint (its JSONL record) and the package whose world it acts on."""

    package: str  # the module directory: the tool server imports it from there
    blueprint: dict[str, Any]
    initial_hash: str  # the world's hash before any call


class SandboxState(vf.State):
    """What the rollout's calls did, as its tool server last saw it."""

    state_hash: str | None = None  # None: no call was made
    changes: dict[str, list[str]] = {}
    actions: float = 0.0
    steps: int = 0


class SandboxTools(vf.Toolset[vf.ToolsetConfig, SandboxState]):
    """One rollout's tools over its own world (run as `python -m` this module)."""

    TOOL_PREFIX = None  # the package's tool names, as its datasets spell them

    async def setup_task(self, task: SandboxData) -> None:
        self.blueprint = Blueprint.from_dict(task.blueprint)
        self.toolbox = _toolbox(task.package)
        initial = self.blueprint.initial
        state = fresh_state(
            self.toolbox.engine, initial.get("seed", 0), initial.get("fixtures", 0)
        )
        self.session = ToolSession(self.toolbox, state)

    def register(self, mcp: Any) -> None:
        """MCPServer reads a tool's schema off a Python signature; the package's
        tools have JSON Schemas of their own (with names no parameter may take:
        `api-version`, `$filter`), so each is registered with its schema."""
        tools = task_tools(self.blueprint, self.toolbox.engine, self.toolbox.tools)
        for tool in tools:
            function = tool["function"]
            mcp._tool_manager._tools[function["name"]] = _schema_tool(
                self._with_state(self._caller(function["name"])), function
            )

    def _caller(self, name: str) -> Any:
        async def call(arguments: dict[str, Any]) -> str:
            result = self.session.call(name, arguments)
            self.state.state_hash = state_hash(self.session.state)
            self.state.changes = self.session.world.changes()
            self.state.actions = actions_matched(
                self.blueprint, self.session.world.results
            )
            self.state.steps += 1
            return answer(result)

        return call


class SandboxTask(vf.Task[SandboxData, SandboxState]):
    @classmethod
    def toolsets(cls, config: vf.TaskConfig) -> list[vf.Toolset]:
        return [SandboxTools(vf.ToolsetConfig())]

    @vf.reward
    async def solved(self, trace: vf.Trace) -> float:
        """1 on the blueprint's final state, its changes along the way and every
        expected output in the last reply, else 0."""
        return self._scored(trace)[0]

    @vf.metric
    async def parts(self, trace: vf.Trace) -> dict[str, float]:
        """The reward's parts: state, changes, outputs, actions (share made), steps."""
        return {k: float(v) for k, v in self._scored(trace)[2].items()}

    def _scored(self, trace: vf.Trace) -> tuple[float, list[str], dict[str, Any]]:
        state = trace.state
        end = Finish(
            state.state_hash or self.data.initial_hash,
            changes_made([state.changes]),  # none when no call was made
            trace.last_reply,
            state.actions,
            state.steps,
        )
        return scored(Blueprint.from_dict(self.data.blueprint), end)


class SandboxTasksetConfig(vf.TasksetConfig):
    package: str = ""  # import name or path; the taskset id when empty
    blueprints: Path | None = None  # a blueprints JSONL; else generated:
    num_tasks: int = 20
    seed: int = 0
    fixtures: int = 0


class SandboxTaskset(vf.Taskset[SandboxTask, SandboxTasksetConfig]):
    def load(self) -> list[SandboxTask]:
        config = self.config
        module = load(config.package or plugin_module(config.id))
        location = str(Path(module.__file__).parent)
        if config.blueprints is not None:
            with open(config.blueprints, encoding="utf-8") as lines:
                blueprints = read_blueprints(lines)
        else:
            builder = make_builder(module.__name__, seed=config.seed)
            generator = make_generator(
                builder, seed=config.seed, fixtures=config.fixtures
            )
            blueprints = generator.generate(config.num_tasks).accepted
        system = _system_prompt(module.__name__)
        return [
            SandboxTask(
                SandboxData(
                    id=blueprint.id,
                    name=blueprint.id,
                    prompt=blueprint.instruction,
                    system_prompt=system,
                    package=location,
                    blueprint=asdict(blueprint),
                    initial_hash=_initial_hash(module.__name__, blueprint.initial),
                ),
                config.task,
            )
            for blueprint in blueprints
        ]


class SandboxEnvConfig(vf.SingleAgentEnvConfig):
    agent: vf.AgentConfig = vf.AgentConfig(
        harness={"id": "null"}, runtime=vf.SubprocessConfig(), max_turns=MAX_STEPS
    )


class SandboxEnv(vf.Env[SandboxEnvConfig]):
    """verifiers' single-agent env, with this module's agent defaults."""

    def __init__(self, config: SandboxEnvConfig) -> None:
        super().__init__(config)
        _uv_on_path()

    async def run(self, task: vf.Task, agents: vf.Agents) -> None:
        await agents.agent.run(task)


def load_environment(package: str, **kwargs: Any) -> SandboxEnv:
    """The env of `package` (import name or path); `kwargs` are the taskset's
    (`blueprints`, `num_tasks`, `seed`, `fixtures`) and, under `env`, the
    env's own (`{"agent": {"max_turns": 8}}`)."""
    module = load(package)
    env_options = kwargs.pop("env", {})
    taskset = {"id": module.__name__, "package": str(package), **kwargs}
    config = SandboxEnvConfig.model_validate({**env_options, "taskset": taskset})
    return SandboxEnv(config)


def plugin_module(taskset_id: str) -> str:
    """The module a verifiers id names (`owner/name@version` -> `name`), as
    verifiers' own loader imports it."""
    return taskset_id.rsplit("/", 1)[-1].split("@", 1)[0].replace("-", "_").lower()


def _uv_on_path() -> None:
    """verifiers runs its chat harness under uv. The `uv` the verifiers extra
    installs sits beside this interpreter, which an unactivated virtualenv
    leaves off PATH (verifiers would then try to download one)."""
    here = Path(sys.executable).parent
    if shutil.which("uv") is None and (here / "uv").is_file():
        os.environ["PATH"] = f"{here}{os.pathsep}{os.environ.get('PATH', '')}"


@cache
def _toolbox(location: str) -> Toolbox:
    return Toolbox(load(location).__name__)


@cache
def _system_prompt(package: str) -> str:
    document = load_sandbox(package).engine.document
    return DatasetContext.of_package(package, document, 0).system_prompt() + REPORT


def _initial_hash(package: str, initial: dict[str, int]) -> str:
    engine = load_sandbox(package).engine
    state = fresh_state(engine, initial.get("seed", 0), initial.get("fixtures", 0))
    return state_hash(state)


def _schema_tool(call: Any, function: dict[str, Any]) -> Any:
    """An MCP tool of the given JSON Schema whose arguments reach `call` whole."""
    from mcp.server.mcpserver.tools import Tool

    class SchemaTool(Tool):
        async def run(
            self, arguments: dict[str, Any], context: Any, convert_result: bool = False
        ) -> Any:
            result = await self.fn(arguments)
            return self.fn_metadata.convert_result(result) if convert_result else result

    made = Tool.from_function(
        call, name=function["name"], description=function.get("description") or ""
    )
    return SchemaTool(**{**dict(made), "parameters": function["parameters"]})


__all__ = ["SandboxEnv", "SandboxTaskset", "load_environment"]

if __name__ == "__main__":  # how verifiers starts a rollout's tool server
    SandboxTools.run()
