"""Trajectories as training records: OpenAI chat, ShareGPT or raw JSONL.

- `openai`: the chat-completions fine-tuning format: `messages` (system,
  user, then assistant `tool_calls` each answered by a `tool` message, and
  a closing assistant message) and the package's `tools`;
- `sharegpt`: `conversations` of human / function_call / observation / gpt
  turns, `system`, and `tools` as a JSON string (LLaMA-Factory's layout);
- `raw`: every request and response as executed, with state changes.

Every record carries `metadata`: the spec's sha256, the package and its
version, the compiler version, the sampling seed and where the trajectory
came from. Records are written with sorted keys and no timestamps, so the
same trajectories always give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable, TextIO

from .trajectory import Trajectory

FORMATS = ("openai", "sharegpt", "raw")


@dataclass(frozen=True)
class DatasetContext:
    """What every record of one package and seed shares."""

    title: str
    tools: list[dict]
    descriptions: dict[str, str]
    metadata: dict[str, Any]

    @classmethod
    def of_package(cls, package: str, document: dict, seed: int) -> "DatasetContext":
        text = resources.files(package).joinpath("tools.json").read_text("utf-8")
        tools = json.loads(text)["tools"]
        info = document.get("info", {})
        stamp = info.get("x-envc", {})
        return cls(
            title=info.get("title", package),
            tools=tools,
            descriptions={
                t["function"]["name"]: t["function"].get("description", "")
                for t in tools
            },
            metadata={
                "spec_sha256": stamp.get("sha256"),
                "package": package,
                "package_version": info.get("version"),
                "compiler_version": stamp.get("compiler"),
                "seed": seed,
            },
        )

    def system_prompt(self) -> str:
        return (
            f"You operate the {self.title} API through its tools. Call the tools"
            " needed to complete the user's request, using only ids that earlier"
            " tool results or the user gave you."
        )

    def instruction(self, trajectory: Trajectory) -> str:
        """The user's request: what each call in turn achieves."""
        given: dict[int, list[str]] = {}
        for index, name, value in trajectory.given:  # ids the user supplies
            given.setdefault(index, []).append(f"{name} {value}")
        tasks = "\n".join(
            f"{number}. {_sentence(self.descriptions.get(step.operation, ''))}"
            + (f" (use {', '.join(given[number - 1])})" if number - 1 in given else "")
            for number, step in enumerate(trajectory.steps, 1)
        )
        return f"Using the {self.title} API, please do the following in order:\n{tasks}"

    def closing(self, trajectory: Trajectory) -> str:
        done = ", ".join(
            f"{step.operation} ({step.status})" for step in trajectory.steps
        )
        return f"All {trajectory.depth} steps are done: {done}."

    def metadata_of(self, trajectory: Trajectory, index: int) -> dict[str, Any]:
        return {
            **self.metadata,
            "index": index,
            "tree": trajectory.tree,
            "tree_seed": trajectory.seed,
            "depth": trajectory.depth,
            "score": trajectory.score,
        }


def openai_record(
    context: DatasetContext, trajectory: Trajectory, index: int
) -> dict[str, Any]:
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": context.system_prompt()},
        {"role": "user", "content": context.instruction(trajectory)},
    ]
    for number, step in enumerate(trajectory.steps):
        call_id = f"call_{index}_{number}"
        function = {"name": step.operation, "arguments": _json(step.arguments)}
        messages.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": call_id, "type": "function", "function": function}
                ],
            }
        )
        messages.append(
            {"role": "tool", "tool_call_id": call_id, "content": _observation(step)}
        )
    messages.append({"role": "assistant", "content": context.closing(trajectory)})
    return {
        "messages": messages,
        "tools": context.tools,
        "metadata": context.metadata_of(trajectory, index),
    }


def sharegpt_record(
    context: DatasetContext, trajectory: Trajectory, index: int
) -> dict[str, Any]:
    turns = [{"from": "human", "value": context.instruction(trajectory)}]
    for step in trajectory.steps:
        call = {"name": step.operation, "arguments": step.arguments}
        turns.append({"from": "function_call", "value": _json(call)})
        turns.append({"from": "observation", "value": _observation(step)})
    turns.append({"from": "gpt", "value": context.closing(trajectory)})
    return {
        "conversations": turns,
        "system": context.system_prompt(),
        "tools": _json([tool["function"] for tool in context.tools]),
        "metadata": context.metadata_of(trajectory, index),
    }


def raw_record(
    context: DatasetContext, trajectory: Trajectory, index: int
) -> dict[str, Any]:
    row = trajectory.to_dict()
    record = {"steps": row["steps"], "metadata": context.metadata_of(trajectory, index)}
    if "given" in row:  # ids the user supplies: (step index, path parameter, value)
        record["given"] = row["given"]
    return record


RECORDS: dict[str, Callable[[DatasetContext, Trajectory, int], dict]] = {
    "openai": openai_record,
    "sharegpt": sharegpt_record,
    "raw": raw_record,
}


def write_jsonl(
    out: TextIO,
    context: DatasetContext,
    trajectories: list[Trajectory],
    fmt: str = "openai",
) -> None:
    """One record per line, numbered in order."""
    record = RECORDS[fmt]
    for index, trajectory in enumerate(trajectories):
        out.write(_json(record(context, trajectory, index)) + "\n")


def _observation(step: Any) -> str:
    """What the tool answers the agent: the status and the body."""
    return _json({"status": step.status, "body": step.response})


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sentence(description: str) -> str:
    text = description.split(". ")[0].strip().rstrip(".")
    return (text[:1].upper() + text[1:] + ".") if text else "Call the next tool."
