"""Where verification requests run: the package in process, or a live URL.

Both answer `(status, body)` and take a task id, so each check gets a
fresh, isolated world (the sandbox's `X-Envc-Task` header over HTTP).
"""

from __future__ import annotations

import json
from typing import Any, Protocol
from urllib.parse import quote

from .calls import Request
from .sandbox_runtime import SandboxEngine

TASK_HEADER = "X-Envc-Task"


class Executor(Protocol):
    def execute(self, task: str, request: Request) -> tuple[int, Any]: ...


class InProcessExecutor:
    """Runs requests through a sandbox engine: no HTTP, no server."""

    def __init__(self, sandbox: SandboxEngine) -> None:
        self.sandbox = sandbox

    def execute(self, task: str, request: Request) -> tuple[int, Any]:
        call = self.sandbox.call_type(
            request.operation, path=request.path, query=request.query, headers=request.headers, body=request.body
        )
        outcome = self.sandbox.engine.execute(self.sandbox.store.task(task), call)
        return outcome.status, outcome.body


class HttpExecutor:
    """Runs requests against a served API (the sandbox or a real server)."""

    def __init__(self, base_url: str, operations: dict[str, tuple[str, str]], *, timeout: float = 10.0) -> None:
        import httpx

        self.client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
        self.operations = operations  # name -> (method, path template)

    def execute(self, task: str, request: Request) -> tuple[int, Any]:
        method, template = self.operations[request.operation]
        path = template
        for name, value in request.path.items():
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        headers = {k: str(v) for k, v in request.headers.items()} | {TASK_HEADER: task}
        content = None
        if request.body is not None:
            content = json.dumps(request.body)
            headers["Content-Type"] = "application/json"
        response = self.client.request(method.upper(), path, params=request.query, headers=headers, content=content)
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.text
        return response.status_code, body
