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
import random
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Any, Callable, Iterable, TextIO

from ..tasks.outputs import choose_outputs
from ..tasks.phrasing import Move, Phraser
from ..tasks.mentions import naming
from ..pointers import find, without
from ..tasks.policies import in_path_order, own_key, scalars
from .trajectory import Trajectory

FORMATS = ("openai", "sharegpt", "raw")
MAX_TOOLS = 32  # tools one record offers at most, by default


@dataclass(frozen=True)
class DatasetContext:
    """What every record of one package and seed shares."""

    title: str
    tools: list[dict]
    descriptions: dict[str, str]
    metadata: dict[str, Any]
    # operation -> role, resource, produces, owner, path, summary (for phrasing)
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_tools: int = MAX_TOOLS  # tools a record offers at most (0: all of them)

    @classmethod
    def of_package(
        cls, package: str, document: dict, seed: int, max_tools: int = MAX_TOOLS
    ) -> "DatasetContext":
        files = resources.files(package)
        tools = json.loads(files.joinpath("tools.json").read_text("utf-8"))["tools"]
        table = json.loads(files.joinpath("operations.json").read_text("utf-8"))
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
            operations=operation_words(
                table["operations"], document, table.get("resources", {})
            ),
            max_tools=max_tools,
        )

    def tools_for(self, trajectory: Trajectory) -> list[dict]:
        """The tools a record offers: every one of a package that has at most
        `max_tools`; else the trajectory's own, the reads and lists of their
        resources, and others drawn (seeded by the record) up to `max_tools`,
        in the package's order. Kubernetes' 845 tools are 9.5 MB of schema: no
        model reads that in one prompt."""
        if not self.max_tools or len(self.tools) <= self.max_tools:
            return self.tools
        used = set(trajectory.operations)
        resources = {self.operations.get(n, {}).get("resource") for n in used} - {None}
        related = {
            name
            for name, row in self.operations.items()
            if row.get("resource") in resources and row.get("role") in ("read", "list")
        }
        chosen = used | set(
            sorted(related - used)[: max(0, self.max_tools - len(used))]
        )
        others = [t["function"]["name"] for t in self.tools]
        others = [name for name in others if name not in chosen]
        room = max(0, self.max_tools - len(chosen))
        chosen |= set(random.Random(f"tools:{_key(trajectory)}").sample(others, room))
        return [t for t in self.tools if t["function"]["name"] in chosen]

    @cached_property
    def phraser(self) -> Phraser:
        return Phraser(self)

    def system_prompt(self) -> str:
        return (
            f"You operate the {self.title} API through its tools. Call the tools"
            " needed to complete the user's request, using only ids that earlier"
            " tool results or the user gave you."
        )

    def task(self, trajectory: Trajectory) -> tuple[list[Move], list[dict]]:
        """The trajectory as the user's task: what they say for each step (its
        arguments less what earlier answers filled in) and what to report."""
        given: dict[int, list[str]] = {}
        for index, name, _ in trajectory.given:  # ids the user supplies
            given.setdefault(index, []).append(name)
        answers = [step.response for step in trajectory.steps]
        paths = [
            self.operations.get(step.operation, {}).get("path", "")
            for step in trajectory.steps
        ]
        moves = [
            Move(
                step.operation,
                without(step.arguments, list(step.bound)),
                refers=bool(step.bound),
                given=in_path_order(given.get(number, ()), path),
                named=_named(step.arguments, step.bound, answers[:number]),
                own=bool(given.get(number)) and own_key(path) in given[number],
                about=self.phraser.subject_of(
                    step.bound,
                    step.arguments,
                    answers[:number],
                    [s.operation for s in trajectory.steps[:number]],
                ),
            )
            for number, (step, path) in enumerate(zip(trajectory.steps, paths))
        ]
        said = {v for move in moves for v in scalars(move.values)}
        return moves, choose_outputs(answers, said=said)

    def instruction(self, trajectory: Trajectory) -> str:
        """The user's request: the goal in words, with every value they know."""
        moves, outputs = self.task(trajectory)
        return self.phraser.instruction(moves, outputs, _key(trajectory))

    def closing(self, trajectory: Trajectory) -> str:
        """The assistant's report of what the user asked for."""
        moves, outputs = self.task(trajectory)
        return self.phraser.closing(moves, outputs, _key(trajectory))

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
        "tools": context.tools_for(trajectory),
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
        "tools": _json([tool["function"] for tool in context.tools_for(trajectory)]),
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


def operation_words(
    table: dict[str, dict], document: dict, collections: dict[str, dict] | None = None
) -> dict[str, dict]:
    """Per operation, what phrasing needs: its role, the resource it works on
    (or whose item it answers with, or in whose path it is) and its summary.
    A resource named for a version segment (Google's `/v1/{name}`) is spoken
    of as the collection whose items it reads (`connections`)."""
    words = {}
    for name, row in table.items():
        spec = document.get("paths", {}).get(row["path"], {}).get(row["method"], {})
        scopes = row.get("scopes") or ()
        resource = row.get("resource")
        aliases = ((collections or {}).get(resource) or {}).get("aliases") or ()
        if resource and _VERSION.fullmatch(resource) and aliases:
            resource = aliases[0]
        words[name] = {
            "role": row.get("role"),
            "resource": resource,
            "produces": row.get("produces"),
            "owner": scopes[-1][0] if scopes else None,
            "upsert": bool(row.get("upsert")),
            "path": row["path"],
            "summary": spec.get("summary") or spec.get("description") or "",
            "answers": _answer_schema(spec),
        }
    return words


def _answer_schema(spec: dict) -> str | None:
    """The component name of an operation's success answer, or of its items
    (`accessToken`, `Product`): what an action's outputs belong to when it
    makes no item of a resource."""
    for status, response in sorted(spec.get("responses", {}).items()):
        if not str(status).startswith("2"):
            continue
        for media in (response.get("content") or {}).values():
            schema = media.get("schema") or {}
            ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                return ref.rsplit("/", 1)[-1]
    return None


_VERSION = re.compile(r"v\d+(?:(?:alpha|beta|p)\d*)*")


def _named(arguments: Any, bound: Iterable[str], answers: list[Any]) -> tuple:
    """How the user names the item a step's earlier-answered ids pick out of
    a list (see `mentions.naming`), if any does."""
    for place in bound:
        found = naming(find(arguments, place), answers)
        if found:
            return found
    return ()


def _key(trajectory: Trajectory) -> str:
    """What seeds a record's phrasing: the tree and the path within it."""
    return f"{trajectory.seed}:" + ",".join(trajectory.operations)
