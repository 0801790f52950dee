"""The assistants of a rollout: replay, an LLM with tools, an offline oracle.

- `ReplayAgent` makes the blueprint's calls in order (APIGen-MT's replay);
- `AssistantAgent` is an LLM reached through litellm, function calling with
  only the task's tools plus read-only resolvers (the package's reads and
  lists on the same resources), never the ids it was not given;
- `OracleAssistant` stands in for the LLM offline: it asks the user for each
  step's values before the step, then makes the blueprint's call, and at the
  end reports the expected outputs from the answers it received.
Each answers `respond(messages, results) -> message` in OpenAI format.
"""

from __future__ import annotations

import json
from typing import Any

from ..frontends.actions import is_read
from ..llm import LLM
from .phrasing import moves_of
from .policies import at

# what an agent is told after the system prompt: with a user to talk to, and alone
REPORT = (
    " When you are done, state the results the user asked for, with their exact values."
)
GUIDANCE = (
    " Ask the user for any value you need. Before changing an item, read it." + REPORT
)


def task_tools(blueprint: Any, engine: Any, tools: list[dict]) -> list[dict]:
    """The blueprint's tools and the read-only resolvers of its resources."""
    names = set(blueprint.tools)
    resources = {engine.operations[n].resource for n in names} - {None}
    names |= {
        name
        for name, op in engine.operations.items()
        if op.resource in resources and is_read(engine, name)
    }
    return [t for t in tools if t["function"]["name"] in names]


class ReplayAgent:
    """The ground truth's calls, one per turn, then the outputs."""

    def __init__(self, blueprint: Any, phraser: Any, prefix: str = "call") -> None:
        self.blueprint = blueprint
        self.phraser = phraser
        self.prefix = prefix
        self.made = 0

    def respond(self, messages: list[dict], results: list) -> dict[str, Any]:
        actions = self.blueprint.actions
        if self.made < len(actions):
            action = actions[self.made]
            self.made += 1
            return tool_call(f"{self.prefix}_{self.made - 1}", action)
        return {
            "role": "assistant",
            "content": report(self.blueprint, results, self.phraser),
        }


class OracleAssistant(ReplayAgent):
    """Offline stand-in for an LLM assistant: asks, then calls (see module docstring)."""

    def __init__(self, blueprint: Any, phraser: Any, prefix: str = "call") -> None:
        super().__init__(blueprint, phraser, prefix)
        self.asked: set[int] = set()

    def respond(self, messages: list[dict], results: list) -> dict[str, Any]:
        facts = self.blueprint.user["facts"]
        step = self.made
        moves = moves_of(facts)
        if (
            step < len(moves)
            and self.phraser.asks(moves[step])
            and step not in self.asked
        ):
            self.asked.add(step)
            return {"role": "assistant", "content": self.phraser.question(moves[step])}
        return super().respond(messages, results)


class AssistantAgent:
    """An LLM with the task's tools (function calling through litellm)."""

    def __init__(self, llm: LLM, tools: list[dict]) -> None:
        self.llm = llm
        self.tools = tools

    def respond(self, messages: list[dict], results: list) -> dict[str, Any]:
        return self.llm.chat(messages, self.tools)


def tool_call(call_id: str, action: dict) -> dict[str, Any]:
    arguments = json.dumps(
        action["arguments"], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    function = {"name": action["name"], "arguments": arguments}
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": call_id, "type": "function", "function": function}],
    }


def report(blueprint: Any, results: list, phraser: Any) -> str:
    """The closing message: every expected output, read from the answers
    received, in a sentence."""
    outputs = [
        {**o, "value": at(results[o["step"]].output, o["pointer"])}
        for o in blueprint.outputs
        if o["step"] < len(results)
    ]
    moves = moves_of(blueprint.user["facts"])
    return phraser.closing(moves, outputs, blueprint.id)
