"""Per-task state, the registry of projects and tasks, and each task's trace.

Every task is its own world. Item keys are strings (path parameters arrive
as text over HTTP) made of the parent ids and the item's own id, so
`/users/1/orders/7` and `/users/2/orders/7` never collide. One id counter
per task serves every resource, so ids are unique across resource types
and a wrong dependency can never be satisfied by a coincidental id. A task
can start with a seeded population (`populate`), so read operations have
something to find.

`StateStore` keeps everything in memory; its `_persist_*` hooks are where a
durable store (`sqlite_store.SqliteStore`) writes through before a request
is acknowledged. A trace keeps its latest entries in memory, as text, up to
`TRACE_LIMIT` of them and `TRACE_BYTES` (`kept_trace`): a client that never
names a task (a fuzzer, a script) runs the default task for as long as it
likes, and a trace holds every answer (Schemathesis on Kubernetes' sandbox:
21,000 calls, a 2.5 GB trace, the server at 10 GB).
"""

from __future__ import annotations

import copy
import marshal
import math
import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from .kept_trace import TRACE_BYTES, TRACE_LIMIT, KeptTrace, text_of

Key = tuple[str, ...]
DEFAULT_TASK = "default"
# An id schema's mark: a text id its path names as a number, so new ids are plain digits.
DIGITS = "x-envc-digits"


class UnknownError(KeyError):
    """A project or task id the store does not hold."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"unknown {kind} {name!r}")
        self.kind = kind
        self.name = name

    def __str__(self) -> str:
        return self.args[0]


@dataclass
class TaskState:
    """The world of one task."""

    seed: int
    counter: int = 0
    objects: dict[str, dict[Key, dict[str, Any]]] = field(default_factory=dict)

    def collection(self, resource: str) -> dict[Key, dict[str, Any]]:
        return self.objects.setdefault(resource, {})

    def fork(self) -> "TaskState":
        """An independent world in O(items): the engine replaces an item's value
        on every write and never changes one in place, so values are shared."""
        return TaskState(
            seed=self.seed,
            counter=self.counter,
            objects={name: dict(items) for name, items in self.objects.items()},
        )

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
            if schema.get("exclusiveMinimum") is True and low == schema.get("minimum"):
                low += 1  # `minimum: 0, exclusiveMinimum: true`: ids start at 1
            value = low + number - 1
            high = schema.get("maximum")
            if high is not None and value > high:
                used = {key[-1] for key in (taken or {})}
                value = next(
                    (v for v in range(low, int(high) + 1) if str(v) not in used),
                    int(high),
                )
            return value if kind == "integer" else float(value)
        if schema.get(DIGITS):
            return str(number)
        if schema.get("format") == "uuid":
            digest = hashlib.sha256(f"{self.seed}:{number}".encode()).digest()
            return str(uuid.UUID(bytes=digest[:16], version=4))
        return f"{number:06d}"

    def snapshot(self) -> dict[str, Any]:
        """The task's state as JSON (empty collections left out).

        Values are shared with the live state: serialise before it moves on.
        """
        return {
            "seed": self.seed,
            "counter": self.counter,
            "objects": {
                name: [
                    {"key": list(key), "value": value} for key, value in items.items()
                ]
                for name, items in sorted(self.objects.items())
                if items
            },
        }

    @classmethod
    def from_snapshot(cls, data: Any) -> "TaskState":
        """The state a snapshot describes; ValueError naming the first flaw."""
        if not isinstance(data, dict) or not isinstance(data.get("objects"), dict):
            raise ValueError(
                "a snapshot is an object with 'seed', 'counter', 'objects'"
            )
        seed, counter = data.get("seed"), data.get("counter")
        if not all(type(n) is int for n in (seed, counter)):
            raise ValueError("'seed' and 'counter' must be integers")
        state = cls(seed=seed, counter=counter)
        for name, items in _copied(data["objects"]).items():
            if not isinstance(items, list):
                raise ValueError(f"objects[{name!r}] must be a list")
            collection = state.collection(name)
            for item in items:
                collection[_key(name, item)] = item["value"]
        return state


def _copied(value: Any) -> Any:
    """A deep copy of JSON data. marshal's round trip is an order of magnitude
    faster than `copy.deepcopy`, and a build forks a task's world once per
    dependency it verifies; what marshal cannot write is deep-copied."""
    try:
        return marshal.loads(marshal.dumps(value))
    except ValueError:
        return copy.deepcopy(value)


def _key(resource: str, item: Any) -> Key:
    if not (isinstance(item, dict) and isinstance(item.get("key"), list)):
        raise ValueError(f"objects[{resource!r}] items are {{'key': [...], 'value'}}")
    if "value" not in item or not all(isinstance(p, str) for p in item["key"]):
        raise ValueError(f"objects[{resource!r}]: a key is a list of strings")
    return tuple(item["key"])


class StateStore:
    """All tasks of one sandbox, the projects that group them, their traces.

    `task(id)` creates (and populates) a task on first use, so a request
    with a new `X-Envc-Task` simply starts a new world.
    """

    def __init__(
        self,
        seed: int = 0,
        populate: Callable[[TaskState], None] | None = None,
        *,
        trace_limit: int = TRACE_LIMIT,
        trace_bytes: int = TRACE_BYTES,
    ) -> None:
        self.seed = seed
        self.populate = populate
        self.tasks: dict[str, TaskState] = {}
        self.projects: dict[str, list[str]] = {}
        self.owners: dict[str, str] = {}  # task id -> its project's id
        self.traces: dict[str, KeptTrace] = {}
        self.trace_limit = trace_limit
        self.trace_bytes = trace_bytes
        self._populated: TaskState | None = None

    # -- tasks --------------------------------------------------------------

    def fresh(self) -> TaskState:
        """A new, populated state that belongs to no task (yet): a fork of the
        one world populating makes (it is seeded), so a request without a
        task, or a new task, does not generate the fixtures again."""
        if self._populated is None:
            self._populated = TaskState(seed=self.seed)
            if self.populate is not None:
                self.populate(self._populated)
        return self._populated.fork()

    def task(self, task_id: str = DEFAULT_TASK) -> TaskState:
        state = self.tasks.get(task_id)
        if state is None:
            state = self._install(task_id, self.fresh())
        return state

    def has(self, task_id: str) -> bool:
        return task_id in self.tasks

    def existing(self, task_id: str) -> TaskState:
        """The task's state; `UnknownError` rather than creating it."""
        state = self.tasks.get(task_id)
        if state is None:
            raise UnknownError("task", task_id)
        return state

    def snapshot(self, task_id: str = DEFAULT_TASK) -> dict[str, Any]:
        return self.task(task_id).snapshot()

    def restore(self, task_id: str, snapshot: Any) -> None:
        """Replace a task's state (creating the task); a bad snapshot changes nothing.

        The trace keeps `snapshot` itself: the state holds copies of its values.
        """
        state = TaskState.from_snapshot(snapshot)
        self._replace(task_id, state, {"admin": "restore", "state": snapshot})

    def fork(self, task_id: str, new_task_id: str) -> None:
        """`new_task_id` starts as a copy of `task_id`'s world (`TaskState.fork`)."""
        self._replace(
            new_task_id, self.task(task_id).fork(), {"admin": "fork", "from": task_id}
        )

    def reset(self, task_id: str = DEFAULT_TASK) -> None:
        """Back to the task's initial (populated) state."""
        self._replace(task_id, self.fresh(), {"admin": "reset"})

    def delete(self, task_id: str) -> None:
        self.tasks.pop(task_id, None)
        self.traces.pop(task_id, None)
        project_id = self.owners.pop(task_id, None)
        if project_id is not None:
            self.projects[project_id].remove(task_id)
        self._persist_drop(task_id)

    def _install(self, task_id: str, state: TaskState) -> TaskState:
        self.tasks[task_id] = state
        self._trace(task_id)
        self._persist_state(task_id)
        return state

    def _replace(self, task_id: str, state: TaskState, entry: dict) -> None:
        """A new state and the trace entry saying why, persisted together."""
        self.tasks[task_id] = state
        self.record(task_id, entry, changed=True)

    # -- projects -----------------------------------------------------------

    def create_project(self) -> str:
        project_id = f"project-{uuid.uuid4().hex[:12]}"
        self.projects[project_id] = []
        self._persist_project(project_id)
        return project_id

    def create_task(self, project_id: str, *, task_id: str | None = None) -> str:
        self.list_tasks(project_id)  # the project must exist
        task_id = task_id or f"{project_id}.task-{uuid.uuid4().hex[:12]}"
        self.projects[project_id].append(task_id)
        self.owners[task_id] = project_id
        self._install(task_id, self.fresh())
        return task_id

    def list_tasks(self, project_id: str) -> list[str]:
        if project_id not in self.projects:
            raise UnknownError("project", project_id)
        return list(self.projects[project_id])

    def project_of(self, task_id: str) -> str | None:
        return self.owners.get(task_id)

    # -- traces ---------------------------------------------------------------

    def trace(self, task_id: str) -> list[dict[str, Any]]:
        """The task's trace entries still kept (the first is #`dropped_entries + 1`)."""
        self.existing(task_id)
        return self.traces[task_id].entries()

    def dropped_entries(self, task_id: str) -> int:
        """How many of the task's first trace entries are no longer kept in memory."""
        trace = self.traces.get(task_id)
        return trace.dropped if trace is not None else 0

    def record(
        self, task_id: str, entry: dict[str, Any], *, changed: bool = True
    ) -> None:
        """Append to the task's trace (an answer may be `Sent` text); `changed`
        says the state moved too."""
        trace = self._trace(task_id)
        entry["seq"] = trace.dropped + len(trace) + 1
        text = text_of(entry)
        trace.append(text)
        self._persist_entry(task_id, entry["seq"], text, changed)

    def _trace(self, task_id: str) -> KeptTrace:
        trace = self.traces.get(task_id)
        if trace is None:
            trace = self.traces[task_id] = KeptTrace(self.trace_limit, self.trace_bytes)
        return trace

    # -- where a durable store writes through ------------------------------

    def _persist_state(self, task_id: str) -> None:
        """A task's state (and project) was created or replaced."""

    def _persist_entry(self, task_id: str, seq: int, text: str, changed: bool) -> None:
        """Trace entry #`seq` (`text`) was appended; with `changed`, the state
        moved too."""

    def _persist_project(self, project_id: str) -> None:
        """A project was created."""

    def _persist_drop(self, task_id: str) -> None:
        """A task was deleted."""
