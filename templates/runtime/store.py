"""Per-task state: objects by resource, an id counter, snapshots.

Every task is its own world. Item keys are strings (path parameters arrive
as text over HTTP) made of the parent ids and the item's own id, so
`/users/1/orders/7` and `/users/2/orders/7` never collide. One id counter
per task serves every resource, so ids are unique across resource types
and a wrong dependency can never be satisfied by a coincidental id. A task
can start with a seeded population (`populate`), so read operations have
something to find.
"""

from __future__ import annotations

import copy
import math
import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

Key = tuple[str, ...]
DEFAULT_TASK = "default"


@dataclass
class TaskState:
    """The world of one task."""

    seed: int
    counter: int = 0
    objects: dict[str, dict[Key, dict[str, Any]]] = field(default_factory=dict)

    def collection(self, resource: str) -> dict[Key, dict[str, Any]]:
        return self.objects.setdefault(resource, {})

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    def new_id(self, schema: dict, taken: dict[Key, Any] | None = None) -> Any:
        """A fresh id of the schema's type, unique within the task.

        Integer ids come from the task's counter; where the schema caps them
        (`maximum`), the smallest value in range that `taken` does not use.
        """
        number = self.next_number()
        kind = schema.get("type")
        if kind in ("integer", "number"):
            low = int(math.ceil(schema.get("minimum", 1)))
            value = low + number - 1
            high = schema.get("maximum")
            if high is not None and value > high:
                used = {key[-1] for key in (taken or {})}
                value = next(
                    (v for v in range(low, int(high) + 1) if str(v) not in used),
                    int(high),
                )
            return value if kind == "integer" else float(value)
        if schema.get("format") == "uuid":
            digest = hashlib.sha256(f"{self.seed}:{number}".encode()).digest()
            return str(uuid.UUID(bytes=digest[:16], version=4))
        return f"{number:06d}"

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy of the task's state."""
        return {
            "seed": self.seed,
            "counter": self.counter,
            "objects": {
                name: [
                    {"key": list(key), "value": value} for key, value in items.items()
                ]
                for name, items in sorted(self.objects.items())
            },
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> "TaskState":
        state = cls(seed=int(data["seed"]), counter=int(data["counter"]))
        for name, items in data["objects"].items():
            state.objects[name] = {
                tuple(item["key"]): copy.deepcopy(item["value"]) for item in items
            }
        return state


class StateStore:
    """All tasks of one sandbox, created (and populated) on first use."""

    def __init__(
        self, seed: int = 0, populate: Callable[[TaskState], None] | None = None
    ) -> None:
        self.seed = seed
        self.populate = populate
        self.tasks: dict[str, TaskState] = {}

    def task(self, task_id: str = DEFAULT_TASK) -> TaskState:
        state = self.tasks.get(task_id)
        if state is None:
            state = self.tasks[task_id] = TaskState(seed=self.seed)
            if self.populate is not None:
                self.populate(state)
        return state

    def snapshot(self, task_id: str = DEFAULT_TASK) -> dict[str, Any]:
        return self.task(task_id).snapshot()

    def restore(self, task_id: str, snapshot: dict[str, Any]) -> None:
        self.tasks[task_id] = TaskState.from_snapshot(snapshot)

    def reset(self, task_id: str = DEFAULT_TASK) -> None:
        self.tasks.pop(task_id, None)

    def delete(self, task_id: str) -> None:
        self.tasks.pop(task_id, None)
