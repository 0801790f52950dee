"""AgentFlow's session protocol: a worker id selects that worker's own world.

An agent that holds a worker id sends it in `X-Envc-Worker`. With an
explicit session (created through `/_sandbox/session/create`) its calls
share one task that persists until the session is destroyed; without one,
each call runs in a temporary session: a fresh, populated state made for
that call and thrown away after it. `X-Envc-Task` names a task directly
and wins over a worker id. An explicit session is the task
`session.<worker id>`, so admin routes (state, trace, snapshot) reach it too.
"""

from __future__ import annotations

from typing import Mapping

from .store import DEFAULT_TASK, StateStore, UnknownError

TASK_HEADER = "X-Envc-Task"
WORKER_HEADER = "X-Envc-Worker"
_TASK_KEY = TASK_HEADER.lower()
_WORKER_KEY = WORKER_HEADER.lower()


class WorkerSessions:
    """Explicit sessions of workers, kept as tasks of the store."""

    def __init__(self, store: StateStore) -> None:
        self.store = store

    @staticmethod
    def task_id(worker_id: str) -> str:
        return f"session.{worker_id}"

    def create(self, worker_id: str, project_id: str | None = None) -> bool:
        """Open the worker's session; False when it was already open."""
        if not isinstance(worker_id, str) or not worker_id.strip():
            raise ValueError("'worker_id' must be a non-empty string")
        task_id = self.task_id(worker_id)
        if self.store.has(task_id):
            return False
        if project_id is None:
            self.store.task(task_id)
        else:
            self.store.create_task(project_id, task_id=task_id)
        return True

    def get(self, worker_id: str) -> str:
        task_id = self.task_id(worker_id)
        if not self.store.has(task_id):
            raise UnknownError("session", worker_id)
        return task_id

    def destroy(self, worker_id: str) -> None:
        self.store.delete(self.get(worker_id))

    def task_for(self, headers: Mapping[str, str]) -> str | None:
        """The task a request runs in; None for a temporary session."""
        task_id = headers.get(_TASK_KEY)
        if task_id:
            return task_id
        worker_id = headers.get(_WORKER_KEY)
        if not worker_id:
            return DEFAULT_TASK
        task_id = self.task_id(worker_id)
        return task_id if self.store.has(task_id) else None
