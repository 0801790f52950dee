"""Where verification requests run: the package in process, or a live URL.

Both answer `(status, body)` and take a task id, so each check gets a
fresh, isolated world (the sandbox's `X-Envc-Task` header over HTTP).
"""

from __future__ import annotations

import hashlib
import json
import marshal
from typing import Any, Protocol
from urllib.parse import quote

from envfactory_runtime.sandbox.diffs import state_hash

from .calls import Request
from .sandbox_runtime import SandboxEngine

TASK_HEADER = "X-Envc-Task"


class Executor(Protocol):
    forks: bool  # whether `fork` can copy a world

    def execute(self, task: str, request: Request) -> tuple[int, Any]: ...

    def existing_key(
        self, task: str, operation: str, known: dict[str, Any]
    ) -> dict[str, Any]:
        """Path parameter values naming an item the task already holds (consistent with `known`)."""

    def fork(self, task: str, new_task: str) -> bool:
        """Make `new_task` a copy of `task`'s world; False where that cannot be done."""

    def fingerprint(self, task: str) -> str:
        """What the task's world holds (items and id counter), as a digest: equal worlds
        answer equal calls alike. Only asked of an executor that `forks`."""

    def discard(self, task: str) -> None:
        """Forget a task that is no longer needed."""


class InProcessExecutor:
    """Runs requests through a sandbox engine: no HTTP, no server."""

    forks = True

    def __init__(self, sandbox: SandboxEngine) -> None:
        self.sandbox = sandbox

    def execute(self, task: str, request: Request) -> tuple[int, Any]:
        call = self.sandbox.call_type(
            request.operation,
            path=request.path,
            query=request.query,
            headers=request.headers,
            cookies=request.cookies,
            body=request.body,
        )
        outcome = self.sandbox.engine.execute(self.sandbox.store.task(task), call)
        return outcome.status, outcome.body

    def fork(self, task: str, new_task: str) -> bool:
        self.sandbox.store.fork(task, new_task)
        return True

    def discard(self, task: str) -> None:
        self.sandbox.store.delete(task)

    def fingerprint(self, task: str) -> str:
        """marshal's bytes, fast; worlds alike but for the order items came in only differ
        (equal bytes mean equal worlds, which is all it must promise)."""
        state = self.sandbox.store.task(task)
        try:
            data = marshal.dumps((state.counter, state.objects))
        except ValueError:  # a value marshal cannot write
            return f"{state_hash(state)}:{state.counter}"
        return hashlib.sha256(data).hexdigest()

    def existing_key(
        self, task: str, operation: str, known: dict[str, Any]
    ) -> dict[str, Any]:
        state = self.sandbox.store.task(task)
        found: dict[str, Any] = {}
        for resource, params in self.sandbox.engine.operations[operation].scopes:
            wanted = [
                str(known.get(p, found.get(p))) if p in known or p in found else None
                for p in params
            ]
            # A scope may name a nested item by its own id alone: compare the key's tail.
            key = next(
                (
                    k[-len(params) :]
                    for k in sorted(state.collection(resource))
                    if all(
                        w is None or w == part
                        for w, part in zip(wanted, k[-len(params) :])
                    )
                ),
                None,
            )
            if key is None:
                break
            found.update({p: part for p, part in zip(params, key) if p not in known})
        return found


class HttpExecutor:
    """Runs requests against a served API (the sandbox or a real server)."""

    forks = False

    def __init__(
        self,
        base_url: str,
        operations: dict[str, tuple[str, str]],
        *,
        timeout: float = 10.0,
    ) -> None:
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
        if request.cookies:  # per request, not kept in the client's jar
            headers["Cookie"] = "; ".join(
                f"{k}={v}" for k, v in request.cookies.items()
            )
        response = self.client.request(
            method.upper(), path, params=request.query, headers=headers, content=content
        )
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.text
        return response.status_code, body

    def existing_key(
        self, task: str, operation: str, known: dict[str, Any]
    ) -> dict[str, Any]:
        return {}  # a served API's contents are unknown: only producers supply ids

    def fork(self, task: str, new_task: str) -> bool:
        return False  # a real API has no copy operation: the verifier runs the producer again

    def discard(self, task: str) -> None:
        pass  # each task id is used once; the server keeps or drops it as it likes
