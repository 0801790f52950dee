"""Rollouts of blueprints (APIGen-MT phase 2): replay and natural conversations.

Every rollout runs against a fresh task of the sandbox in the blueprint's
initial state (in process, or over HTTP against a `SandboxServer`). `replay`
makes the ground truth's calls; `natural` lets a `HumanDriver` talk with an
assistant (an LLM through litellm when one is configured, else the offline
oracle), the assistant calling tools until the user ends the conversation
or `max_turns` run out. A rollout is kept only when the task's final state
has the blueprint's canonical hash and every expected output appears in the
assistant's last message. `pass_hat_k` is tau-bench's pass^k over repeated
trials. Records are the sampler's formats (OpenAI messages with
`tool_calls`, ShareGPT), so the datasets mix.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from math import comb
from typing import Any, Callable, TextIO

from .agents import (
    GUIDANCE,
    AssistantAgent,
    OracleAssistant,
    ReplayAgent,
    task_tools,
)
from ..sampling.datasets import DatasetContext, _json
from ..sandbox.diffs import state_hash
from ..llm import LLM, LLM_SETTINGS, LLMError
from .user_sim import HumanDriver, outputs_in, said

AGENTS = ("replay", "natural")
MAX_TURNS = 30


@dataclass
class Rollout:
    """One conversation about one blueprint and its verdict."""

    blueprint: Any
    agent: str
    trial: int
    messages: list[dict[str, Any]]
    tools: list[dict]
    kept: bool
    reasons: list[str] = field(default_factory=list)
    assistant: str = ""
    llm_seed: int | None = None  # the seed every LLM request of it carried

    @property
    def answer(self) -> str:
        """The assistant's last words."""
        for message in reversed(self.messages):
            if message["role"] == "assistant" and message.get("content"):
                return message["content"]
        return ""


class RolloutRunner:
    """Rolls out blueprints of one package (see the module docstring)."""

    def __init__(
        self,
        builder: Any,
        *,
        llm: LLM | None = None,
        user_llm: LLM | None = None,
        max_turns: int = MAX_TURNS,
        seed: int = 0,
    ) -> None:
        self.builder = builder
        self.context: DatasetContext = builder.context
        self.llm = llm
        self.user_llm = user_llm
        self.max_turns = max_turns
        self.seed = seed  # trial t's LLM requests carry seed + t

    def run(self, blueprint: Any, agent: str, trial: int = 0) -> Rollout:
        if agent not in AGENTS:
            raise ValueError(f"unknown agent {agent!r}: one of {', '.join(AGENTS)}")
        world = self.builder.world(blueprint.initial)
        try:
            if agent == "replay":
                rollout = self._replay(blueprint, world, trial)
            else:
                rollout = self._natural(blueprint, world, trial)
        finally:
            world.close()
        rollout.reasons += verdict(blueprint, world, rollout.answer)
        rollout.kept = not rollout.reasons
        return rollout

    def _replay(self, blueprint: Any, world: Any, trial: int) -> Rollout:
        messages = self._opening(blueprint.instruction)
        agent = ReplayAgent(blueprint, self.builder.phraser, prefix=f"call_{trial}")
        self._converse(agent, world, messages, driver=None)
        tools = task_tools(blueprint, world.engine, self.context.tools)
        return Rollout(
            blueprint, "replay", trial, messages, tools, False, assistant="replay"
        )

    def _natural(self, blueprint: Any, world: Any, trial: int) -> Rollout:
        tools = task_tools(blueprint, world.engine, self.context.tools)
        seed = self.seed + trial
        user_llm = self.user_llm.seeded(seed) if self.user_llm else None
        driver = HumanDriver(blueprint, self.builder.phraser, user_llm)
        if self.llm is not None:
            agent: Any = AssistantAgent(self.llm.seeded(seed), tools)
            name = self.llm.model
        else:
            agent = OracleAssistant(blueprint, self.builder.phraser, f"call_{trial}")
            name = "offline-oracle"
        messages = self._opening(driver.opening(), GUIDANCE)
        reasons = self._converse(agent, world, messages, driver)
        used = seed if self.llm or self.user_llm else None
        return Rollout(
            blueprint, "natural", trial, messages, tools, False, reasons, name, used
        )

    def _opening(self, first: str, guidance: str = "") -> list[dict[str, Any]]:
        return [
            {"role": "system", "content": self.context.system_prompt() + guidance},
            {"role": "user", "content": first},
        ]

    def _converse(
        self, agent: Any, world: Any, messages: list, driver: HumanDriver | None
    ) -> list[str]:
        """Assistant turns (tool calls run at once) until the user or agent ends."""
        for _ in range(self.max_turns):
            try:
                message = agent.respond(messages, world.results)
            except LLMError as exc:
                return [f"assistant: {exc}"]
            messages.append(message)
            for call in message.get("tool_calls") or ():
                result = world.run(call["function"]["name"], _arguments(call))
                messages.append(
                    {
                        "role": "tool",
                        "tool_call_id": call["id"],
                        "content": result.observation(),
                    }
                )
            if message.get("tool_calls"):
                continue
            if driver is None:
                return []
            text = driver.reply(message.get("content") or "", messages)
            messages.append({"role": "user", "content": text})
            if driver.done:
                return []
        return [f"no end after {self.max_turns} turns"]


ROLLOUT_BATCH = 4  # rollouts per unit of work


@dataclass(frozen=True)
class RolloutJob:
    """Every rollout of a run (each blueprint x each trial), picklable: a
    worker anywhere runs any batch of it and gets what this process would."""

    package: str
    tasks: tuple[str, ...]  # the blueprints' JSONL records
    agent: str
    trials: int = 1
    base_url: str | None = None
    seed: int = 0
    max_turns: int = MAX_TURNS
    # the LLM settings (`LLM.from_env`'s variables) of the process that made
    # the job: a worker elsewhere uses these, not its own environment
    settings: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def llm_settings() -> tuple[tuple[str, str], ...]:
        return tuple(
            sorted((k, v) for k, v in os.environ.items() if k.startswith(LLM_SETTINGS))
        )

    def batches(self) -> list[range]:
        count = len(self.tasks) * self.trials
        return [
            range(start, min(start + ROLLOUT_BATCH, count))
            for start in range(0, count, ROLLOUT_BATCH)
        ]


_RUNNERS: dict[RolloutJob, tuple[RolloutRunner, list]] = {}  # this process's last job


def rollout_batch(job: RolloutJob, batch: range) -> list[Rollout]:
    """Rollouts `batch` of `job` (number i: blueprint i // trials, trial i % trials)."""
    if job not in _RUNNERS:
        from .blueprints import make_builder, read_blueprints

        settings = dict(job.settings)
        runner = RolloutRunner(
            make_builder(job.package, base_url=job.base_url),
            llm=LLM.from_env(settings),
            user_llm=LLM.from_env(settings, role="user"),
            max_turns=job.max_turns,
            seed=job.seed,
        )
        _RUNNERS.clear()
        _RUNNERS[job] = runner, read_blueprints(job.tasks)
    runner, blueprints = _RUNNERS[job]
    return [
        runner.run(blueprints[i // job.trials], job.agent, i % job.trials)
        for i in batch
    ]


def run_rollouts(job: RolloutJob, *, engine: str = "local") -> list[Rollout]:
    """Every rollout of `job`, in order, here or on Ray: the same either way."""
    if engine == "ray":
        from ..sampling.ray_engine import ray_map

        done = ray_map(rollout_batch, job, job.batches())
    else:
        done = (rollout_batch(job, batch) for batch in job.batches())
    return [rollout for batch in done for rollout in batch]


def verdict(blueprint: Any, world: Any, answer: str) -> list[str]:
    """Why a rollout is not kept: the final state, the changes made along the
    way (a task that makes an item and deletes it ends where doing nothing
    does) or the reported outputs."""
    return verdict_of(blueprint, state_hash(world.state), world.changes(), answer)


def verdict_of(
    blueprint: Any, final_hash: str, changes: dict[str, list[str]], answer: str
) -> list[str]:
    """`verdict` from the final state's hash and the changes, for a world kept
    elsewhere (a verifiers rollout's tool server)."""
    reasons = []
    if final_hash != blueprint.final_hash:
        reasons.append("final state differs from the blueprint's")
    if not changes_match(blueprint, changes):
        reasons.append(
            f"the calls changed other items than the blueprint's: {changes}"
            f" instead of {blueprint.changes}"
        )
    if not outputs_in(blueprint.outputs, answer) and blueprint.outputs:
        missing = [
            o["value"] for o in blueprint.outputs if not said(o["value"], answer)
        ]
        reasons.append(f"expected outputs missing from the answer: {missing}")
    return reasons


def changes_match(blueprint: Any, changes: dict[str, list[str]]) -> bool:
    """Whether the calls changed the blueprint's items (a record without its
    changes, written before they were kept, has only its final state)."""
    return not blueprint.changes or changes == blueprint.changes


def pass_hat_k(trials: dict[str, list[bool]], k: int) -> float:
    """tau-bench's pass^k: the chance that k trials of a task all succeed,
    estimated from n >= k trials per task (c of them kept) as C(c,k)/C(n,k)."""
    rates = [comb(sum(t), k) / comb(len(t), k) for t in trials.values() if len(t) >= k]
    return round(sum(rates) / len(rates), 4) if rates else 0.0


# -- records ------------------------------------------------------------------


def metadata_of(context: DatasetContext, rollout: Rollout, index: int) -> dict:
    blueprint = rollout.blueprint
    source = blueprint.metadata.get("source", {})
    return {
        **context.metadata,
        "index": index,
        "tree": source.get("tree"),
        "tree_seed": source.get("tree_seed"),
        "score": (blueprint.review or {}).get("score", 0.0),
        "blueprint": blueprint.id,
        "agent": rollout.agent,
        "assistant": rollout.assistant,
        "trial": rollout.trial,
        "llm_seed": rollout.llm_seed,
        "kept": rollout.kept,
        "reasons": rollout.reasons,
        "depth": len(blueprint.actions),
        "answer": rollout.answer,
        "expected_outputs": [str(o["value"]) for o in blueprint.outputs],
        "final_hash": blueprint.final_hash,
    }


def openai_record(context: DatasetContext, rollout: Rollout, index: int) -> dict:
    return {
        "messages": rollout.messages,
        "tools": rollout.tools,
        "metadata": metadata_of(context, rollout, index),
    }


def sharegpt_record(context: DatasetContext, rollout: Rollout, index: int) -> dict:
    turns = []
    for message in rollout.messages[1:]:
        if message["role"] == "user":
            turns.append({"from": "human", "value": message["content"]})
        elif message["role"] == "tool":
            turns.append({"from": "observation", "value": message["content"]})
        elif message.get("tool_calls"):
            for call in message["tool_calls"]:
                value = {
                    "name": call["function"]["name"],
                    "arguments": _arguments(call),
                }
                turns.append({"from": "function_call", "value": _json(value)})
        else:
            turns.append({"from": "gpt", "value": message.get("content") or ""})
    return {
        "conversations": turns,
        "system": rollout.messages[0]["content"],
        "tools": _json([tool["function"] for tool in rollout.tools]),
        "metadata": metadata_of(context, rollout, index),
    }


RECORDS: dict[str, Callable[[DatasetContext, Rollout, int], dict]] = {
    "openai": openai_record,
    "sharegpt": sharegpt_record,
}


def write_rollouts(
    out: TextIO, context: DatasetContext, rollouts: list[Rollout], fmt: str = "openai"
) -> None:
    record = RECORDS[fmt]
    for index, rollout in enumerate(rollouts):
        out.write(_json(record(context, rollout, index)) + "\n")


def _arguments(call: dict) -> Any:
    """A tool call's arguments, parsed (a malformed string stays a string)."""
    raw = call["function"].get("arguments") or "{}"
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw
