"""envfactory-runtime: runs the packages envfactory-compiler generates.

A generated package holds its API's data (spec, compiled tables, dag,
tools, models); this library is everything that runs it, by job:

- `sandbox`: the stateful engine, task state, validation, fake data, the
  Connexion app, the admin API and the server;
- `sampling`: the session resolver, the trajectory sampler, exploration,
  request building, the local and Ray engines, datasets and exports;
- `tasks`: blueprints, acceptance, policies, committee, phrasing,
  recombination, rollouts, agents, the user simulator, metrics, QA, quality;
- `frontends`: tool calls and the agent front ends over them (MCP, Gymnasium);
- `cli`: the `python -m <package>` commands; `llm`: LLM access.

`load("petstore_env")` (or a path, or a registered name) imports a package;
`environment("petstore_env")` is its data and its data-bound classes.
"""

import importlib
from typing import Any

from .environment import (
    ENTRY_POINTS,
    Environment,
    IncompatiblePackage,
    bind,
    environment,
    installed,
    load,
)
from .version import DATA_FORMAT, DATA_FORMATS, __version__

# The rest is imported on first use: the compiler imports this package for the
# engine alone, and the web layer (Connexion) and the task machinery would cost
# every `envc build` most of a second of start-up.
_LAZY = {
    "TaskWorld": ("frontends.actions", "TaskWorld"),
    "LLM": ("llm", "LLM"),
    "LLMError": ("llm", "LLMError"),
    "Sandbox": ("sandbox.app", "Sandbox"),
    "state_diff": ("sandbox.diffs", "state_diff"),
    "state_hash": ("sandbox.diffs", "state_hash"),
    "Call": ("sandbox.engine", "Call"),
    "Engine": ("sandbox.engine", "Engine"),
    "Outcome": ("sandbox.engine", "Outcome"),
    "StateStore": ("sandbox.store", "StateStore"),
    "TaskState": ("sandbox.store", "TaskState"),
    "SessionStateManager": ("sampling.session", "SessionStateManager"),
    "UnresolvableParameterError": ("sampling.session", "UnresolvableParameterError"),
    "Trajectory": ("sampling.trajectory", "Trajectory"),
    "Validator": ("tasks.acceptance", "Validator"),
    "AssistantAgent": ("tasks.agents", "AssistantAgent"),
    "OracleAssistant": ("tasks.agents", "OracleAssistant"),
    "ReplayAgent": ("tasks.agents", "ReplayAgent"),
    "Blueprint": ("tasks.blueprints", "Blueprint"),
    "BlueprintGenerator": ("tasks.blueprints", "BlueprintGenerator"),
    "TaskBuilder": ("tasks.blueprints", "TaskBuilder"),
    "make_generator": ("tasks.blueprints", "make_generator"),
    "read_blueprints": ("tasks.blueprints", "read_blueprints"),
    "write_blueprints": ("tasks.blueprints", "write_blueprints"),
    "METRICS": ("tasks.metrics", "METRICS"),
    "Evaluator": ("tasks.metrics", "Evaluator"),
    "PolicySuite": ("tasks.policies", "PolicySuite"),
    "default_suite": ("tasks.policies", "default_suite"),
    "load_suite": ("tasks.policies", "load_suite"),
    "synthesize_qa": ("tasks.qa", "synthesize"),
    "recombine": ("tasks.recombine", "recombine"),
    "Rollout": ("tasks.rollouts", "Rollout"),
    "RolloutRunner": ("tasks.rollouts", "RolloutRunner"),
    "pass_hat_k": ("tasks.rollouts", "pass_hat_k"),
    "HumanDriver": ("tasks.user_sim", "HumanDriver"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AssistantAgent",
    "Blueprint",
    "BlueprintGenerator",
    "Call",
    "DATA_FORMAT",
    "DATA_FORMATS",
    "ENTRY_POINTS",
    "Engine",
    "Environment",
    "Evaluator",
    "HumanDriver",
    "IncompatiblePackage",
    "LLM",
    "LLMError",
    "METRICS",
    "OracleAssistant",
    "Outcome",
    "PolicySuite",
    "ReplayAgent",
    "Rollout",
    "RolloutRunner",
    "Sandbox",
    "SessionStateManager",
    "StateStore",
    "TaskBuilder",
    "TaskState",
    "TaskWorld",
    "Trajectory",
    "UnresolvableParameterError",
    "Validator",
    "__version__",
    "bind",
    "default_suite",
    "environment",
    "installed",
    "load",
    "load_suite",
    "make_generator",
    "pass_hat_k",
    "read_blueprints",
    "recombine",
    "state_diff",
    "state_hash",
    "synthesize_qa",
    "write_blueprints",
]
