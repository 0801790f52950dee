"""`SandboxServer`: the sandbox served by uvicorn, with projects, tasks and sessions.

`start()` serves on 127.0.0.1 (a free port unless one is given) in a
background thread and returns the base URL; `stop()` shuts it down. Tasks
are the unit of isolation: each has its own state and trace, selected over
HTTP with the `X-Envc-Task` header (or a worker's session). The methods
here and the admin routes under `/_sandbox/` act on the same store.
"""

from __future__ import annotations

import gc
import socket
import threading
import time
from typing import Any

import uvicorn

from ..environment import required_package
from . import long_urls
from .app import Sandbox, load_sandbox


def uvicorn_config(app: Any, *, host: str, port: int) -> uvicorn.Config:
    """One process, uvloop and httptools, no access log or proxy-header parsing:
    the sandbox answers loopback clients, and every microsecond is throughput."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
        loop="auto",
        http=long_urls.protocol(),
        lifespan="on",
    )


def run_server(sandbox: Sandbox, *, host: str, port: int) -> None:
    """Serve in the foreground (the `serve` command) until interrupted."""
    config = uvicorn_config(sandbox.asgi(), host=host, port=port)
    gc.collect()
    gc.freeze()  # spec, tables and app live as long as the process: spare every GC pass them
    uvicorn.Server(config).run()


class SandboxServer:
    """One served sandbox; projects group the tasks of one experiment."""

    package: str | None = None  # `<pkg>.SandboxServer` sets it: whose sandbox to load

    def __init__(
        self,
        sandbox: Sandbox | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        fixtures: int = 0,
        store: str = "memory",
    ) -> None:
        self.sandbox = sandbox or load_sandbox(
            required_package(self), seed=seed, fixtures=fixtures, store=store
        )
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def projects(self) -> dict[str, list[str]]:
        return self.sandbox.store.projects

    def start(self) -> str:
        if self._server is not None:
            return self.base_url
        if not self.port:
            self.port = free_port(self.host)
        config = uvicorn_config(self.sandbox.asgi(), host=self.host, port=self.port)
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
        return self.sandbox.store.create_project()

    def create_task(self, project_id: str) -> str:
        return self.sandbox.store.create_task(project_id)

    def list_tasks(self, project_id: str) -> list[str]:
        return self.sandbox.store.list_tasks(project_id)

    def get_task(self, task_id: str) -> dict[str, Any]:
        store = self.sandbox.store
        return {
            "task_id": task_id,
            "project_id": store.project_of(task_id),
            "state": store.existing(task_id).snapshot(),
        }

    def delete_task(self, task_id: str) -> None:
        self.sandbox.store.existing(task_id)
        self.sandbox.store.delete(task_id)

    def trace(self, task_id: str) -> list[dict[str, Any]]:
        return self.sandbox.store.trace(task_id)

    def create_session(self, worker_id: str, project_id: str | None = None) -> str:
        """Open a worker's explicit session; its task id (see `worker_sessions.py`)."""
        self.sandbox.sessions.create(worker_id, project_id)
        return self.sandbox.sessions.get(worker_id)

    def destroy_session(self, worker_id: str) -> None:
        self.sandbox.sessions.destroy(worker_id)

    def __enter__(self) -> "SandboxServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
