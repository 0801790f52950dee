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

from .environment import (
    ENTRY_POINTS,
    Environment,
    IncompatiblePackage,
    bind,
    environment,
    installed,
    load,
)
from .frontends.actions import TaskWorld
from .llm import LLM, LLMError
from .sandbox.app import Sandbox
from .sandbox.diffs import state_diff, state_hash
from .sandbox.engine import Call, Engine, Outcome
from .sandbox.store import StateStore, TaskState
from .sampling.session import SessionStateManager, UnresolvableParameterError
from .sampling.trajectory import Trajectory
from .tasks.acceptance import Validator
from .tasks.agents import AssistantAgent, OracleAssistant, ReplayAgent
from .tasks.blueprints import (
    Blueprint,
    BlueprintGenerator,
    TaskBuilder,
    make_generator,
    read_blueprints,
    write_blueprints,
)
from .tasks.metrics import METRICS, Evaluator
from .tasks.policies import PolicySuite, default_suite, load_suite
from .tasks.qa import synthesize as synthesize_qa
from .tasks.recombine import recombine
from .tasks.rollouts import Rollout, RolloutRunner, pass_hat_k
from .tasks.user_sim import HumanDriver
from .version import DATA_FORMAT, DATA_FORMATS, __version__

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
