"""`SandboxServer`: the sandbox served by uvicorn, with projects and tasks.

`start()` serves on 127.0.0.1 (a free port unless one is given) in a
background thread and returns the base URL; `stop()` shuts it down. Tasks
are the unit of isolation: each has its own state, selected over HTTP with
the `X-Envc-Task` header.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from typing import Any

import uvicorn

from .app import Sandbox, load_sandbox


class SandboxServer:
    """One served sandbox; projects group the tasks of one experiment."""

    def __init__(
        self,
        sandbox: Sandbox | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
    ) -> None:
        self.sandbox = sandbox or load_sandbox(seed=seed)
        self.host = host
        self.port = port
        self.projects: dict[str, list[str]] = {}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> str:
        if self._server is not None:
            return self.base_url
        if not self.port:
            self.port = free_port(self.host)
        config = uvicorn.Config(
            self.sandbox.asgi(),
            host=self.host,
            port=self.port,
            log_level="warning",
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, name="envc-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"sandbox failed to start on {self.base_url}")
            time.sleep(0.01)
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def create_project(self) -> str:
        project_id = f"project-{uuid.uuid4().hex[:12]}"
        self.projects[project_id] = []
        return project_id

    def create_task(self, project_id: str) -> str:
        if project_id not in self.projects:
            raise KeyError(f"unknown project {project_id!r}")
        task_id = f"{project_id}.task-{len(self.projects[project_id]) + 1}"
        self.projects[project_id].append(task_id)
        self.sandbox.store.task(task_id)
        return task_id

    def list_tasks(self, project_id: str) -> list[str]:
        if project_id not in self.projects:
            raise KeyError(f"unknown project {project_id!r}")
        return list(self.projects[project_id])

    def get_task(self, task_id: str) -> dict[str, Any]:
        if task_id not in self.sandbox.store.tasks:
            raise KeyError(f"unknown task {task_id!r}")
        project = next(
            (p for p, tasks in self.projects.items() if task_id in tasks), None
        )
        return {
            "task_id": task_id,
            "project_id": project,
            "state": self.sandbox.store.snapshot(task_id),
        }

    def delete_task(self, task_id: str) -> None:
        if task_id not in self.sandbox.store.tasks:
            raise KeyError(f"unknown task {task_id!r}")
        self.sandbox.store.delete(task_id)
        for tasks in self.projects.values():
            if task_id in tasks:
                tasks.remove(task_id)

    def __enter__(self) -> "SandboxServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
