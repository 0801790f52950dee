"""Where the sampler's calls run: the engine in process, or a served sandbox.

Both take the state a call starts from and give back the state after it,
so a trajectory tree can branch: every child starts from its parent's
state. In process a state is a `TaskState`, forked by copying its
collections (the engine replaces stored items, never mutates them, so
items are shared). Over HTTP the parent's snapshot is restored into a
fresh task of the served sandbox (`/_sandbox/tasks/<task>/restore`), the
call runs there, and the task's state is read back and the task deleted.
"""

from __future__ import annotations

import http.client
import itertools
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..sandbox.engine import Call, Engine
from .requests import Request
from ..sandbox.store import TaskState
from .trajectory import state_change

TASK_HEADER = "X-Envc-Task"


@dataclass(frozen=True)
class Executed:
    """A call's answer and the state it left."""

    status: int
    body: Any
    state: TaskState
    change: dict[str, list[str]]


class InProcessExecutor:
    """Runs calls through the engine: no HTTP, no server."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def run(self, state: TaskState, request: Request) -> Executed:
        after = state.fork()
        call = Call(
            request.operation,
            path=request.params.get("path", {}),
            query=request.sent("query"),
            headers=request.sent("header"),
            cookies=request.sent("cookie"),
            body=request.body,
        )
        outcome = self.engine.execute(after, call)
        change = state_change(state.objects, after.objects)
        return Executed(outcome.status, outcome.body, after, change)


class HttpExecutor:
    """Runs calls against a served sandbox of this package (`SandboxServer`)."""

    def __init__(self, base_url: str, engine: Engine, *, timeout: float = 30) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout
        )
        self.engine = engine
        from ..sandbox.app import base_path  # where Connexion mounts the API

        self.prefix = parts.path.rstrip("/") or base_path(engine.document)
        self._tasks = itertools.count(1)
        self._name = f"envc-sample-{id(self):x}"

    def run(self, state: TaskState, request: Request) -> Executed:
        task = f"{self._name}-{next(self._tasks)}"
        admin = f"/_sandbox/tasks/{task}"
        self._send("POST", f"{admin}/restore", {}, json.dumps(state.snapshot()))
        status, body = self._call(task, request)
        _, snapshot = self._send("GET", f"{admin}/state", {}, None)
        self._send("DELETE", admin, {}, None)  # one task per call: drop it
        after = TaskState.from_snapshot(snapshot)
        return Executed(status, body, after, state_change(state.objects, after.objects))

    def close(self) -> None:
        self.connection.close()

    def _call(self, task: str, request: Request) -> tuple[int, Any]:
        headers = {k: str(v) for k, v in request.sent("header").items()}
        headers[TASK_HEADER] = task
        cookies = request.sent("cookie")
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        content = None
        if request.body is not None:
            media = self.engine.operations[request.operation].body_type or ""
            content, headers["Content-Type"] = _encode(request.body, media)
        url = self.prefix + request.path
        query = request.sent("query")
        if query:
            url += "?" + urlencode(query, doseq=True)
        return self._send(request.method.upper(), url, headers, content)

    def _send(
        self, method: str, url: str, headers: dict, content: str | bytes | None
    ) -> tuple[int, Any]:
        self.connection.request(method, url, body=content, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        if not raw:
            return response.status, None
        if "json" in (response.getheader("Content-Type") or ""):
            return response.status, json.loads(raw)
        return response.status, raw.decode("utf-8", "replace")


def _encode(body: Any, media: str) -> tuple[str | bytes, str]:
    """The body in the operation's media type, and that type."""
    if media.endswith("x-www-form-urlencoded") and isinstance(body, dict):
        return urlencode(body, doseq=True), media
    if media.startswith("multipart/") and isinstance(body, dict):
        boundary = "envc-sample-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{item if isinstance(item, str) else json.dumps(item)}\r\n"
            for name, value in body.items()
            for item in (value if isinstance(value, list) else [value])
        ]
        return "".join(parts) + f"--{boundary}--\r\n", f"{media}; boundary={boundary}"
    if "json" in media or not isinstance(body, (str, bytes)):
        return json.dumps(body), media if "json" in media else "application/json"
    return body, media
