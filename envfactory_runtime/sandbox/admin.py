"""The admin API under `/_sandbox/`: projects, tasks, their state and traces, sessions.

The HTTP face of what `SandboxServer` offers in Python, over the same
store. Every error is a JSON problem (`application/problem+json`) that
names what was wrong: an unknown project, task or session is a 404 naming
its id; a malformed snapshot is a 400 and leaves the task as it was.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .worker_sessions import WorkerSessions
from .store import StateStore, UnknownError

Endpoint = Callable[[Request], Awaitable[Response]]


def problem(status: int, title: str, detail: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """An admin path or method that does not exist, as a JSON problem too."""
    status = getattr(exc, "status_code", 500)
    detail = f"{request.method} {request.url.path}: {getattr(exc, 'detail', exc)}"
    return problem(status, str(getattr(exc, "detail", "Error")), detail)


def _errors(endpoint: Endpoint) -> Endpoint:
    """Unknown ids become 404s, bad input 400s: the same shape everywhere."""

    async def guarded(request: Request) -> Response:
        try:
            return await endpoint(request)
        except UnknownError as exc:
            return problem(404, "Not Found", str(exc))
        except ValueError as exc:
            return problem(400, "Bad Request", str(exc))

    return guarded


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"null")
    except ValueError as exc:
        raise ValueError(f"the body is not JSON: {exc}") from None


class Admin:
    """Endpoints over one store and its sessions."""

    def __init__(self, store: StateStore, sessions: WorkerSessions) -> None:
        self.store = store
        self.sessions = sessions

    def app(self) -> Starlette:
        routes = {
            ("/projects", "GET"): self.projects,
            ("/projects", "POST"): self.create_project,
            ("/projects/{project}/tasks", "GET"): self.tasks,
            ("/projects/{project}/tasks", "POST"): self.create_task,
            ("/tasks/{task}", "GET"): self.task,
            ("/tasks/{task}", "DELETE"): self.delete_task,
            ("/tasks/{task}/state", "GET"): self.state,
            ("/tasks/{task}/snapshot", "POST"): self.state,
            ("/tasks/{task}/restore", "POST"): self.restore,
            ("/tasks/{task}/reset", "POST"): self.reset,
            ("/tasks/{task}/trace", "GET"): self.trace,
            ("/session/create", "POST"): self.create_session,
            ("/session/destroy", "POST"): self.destroy_session,
            ("/session/{worker}", "GET"): self.session,
        }
        return Starlette(
            routes=[
                Route(f"/_sandbox{path}", _errors(endpoint), methods=[method])
                for (path, method), endpoint in routes.items()
            ],
            exception_handlers={HTTPException: _http_error},
        )

    # -- projects and tasks ---------------------------------------------------

    async def projects(self, request: Request) -> Response:
        return JSONResponse({"projects": list(self.store.projects)})

    async def create_project(self, request: Request) -> Response:
        return JSONResponse({"project_id": self.store.create_project()}, 201)

    async def tasks(self, request: Request) -> Response:
        project_id = request.path_params["project"]
        tasks = self.store.list_tasks(project_id)
        return JSONResponse({"project_id": project_id, "tasks": tasks})

    async def create_task(self, request: Request) -> Response:
        project_id = request.path_params["project"]
        task_id = self.store.create_task(project_id)
        return JSONResponse({"project_id": project_id, "task_id": task_id}, 201)

    async def task(self, request: Request) -> Response:
        task_id = request.path_params["task"]
        state = self.store.existing(task_id).snapshot()
        owner = self.store.project_of(task_id)
        return JSONResponse({"task_id": task_id, "project_id": owner, "state": state})

    async def delete_task(self, request: Request) -> Response:
        task_id = request.path_params["task"]
        self.store.existing(task_id)
        self.store.delete(task_id)
        return Response(status_code=204)

    # -- one task's world -----------------------------------------------------

    async def state(self, request: Request) -> Response:
        return JSONResponse(self.store.existing(request.path_params["task"]).snapshot())

    async def restore(self, request: Request) -> Response:
        """Put a state in place, creating the task if needed (like a PUT)."""
        task_id = request.path_params["task"]
        snapshot = await _json_body(request)
        try:
            self.store.restore(task_id, snapshot)
        except ValueError as exc:
            raise ValueError(f"malformed snapshot: {exc}") from None
        return JSONResponse(self.store.existing(task_id).snapshot())

    async def reset(self, request: Request) -> Response:
        task_id = request.path_params["task"]
        self.store.existing(task_id)
        self.store.reset(task_id)
        return Response(status_code=204)

    async def trace(self, request: Request) -> Response:
        task_id = request.path_params["task"]
        entries = self.store.trace(task_id)
        return JSONResponse(
            {
                "task_id": task_id,
                "dropped": self.store.dropped_entries(task_id),
                "entries": entries,
            }
        )

    # -- sessions (AgentFlow's /session/create and /session/destroy) -----------

    async def create_session(self, request: Request) -> Response:
        body = await _json_body(request)
        if not isinstance(body, dict):
            raise ValueError('expected {"worker_id": "...", "project_id": optional}')
        worker_id = body.get("worker_id")
        created = self.sessions.create(worker_id, body.get("project_id"))
        answer = {"worker_id": worker_id, "task_id": WorkerSessions.task_id(worker_id)}
        return JSONResponse(answer, 201 if created else 200)

    async def destroy_session(self, request: Request) -> Response:
        body = await _json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("worker_id"), str):
            raise ValueError('expected {"worker_id": "..."}')
        self.sessions.destroy(body["worker_id"])
        return Response(status_code=204)

    async def session(self, request: Request) -> Response:
        worker_id = request.path_params["worker"]
        return JSONResponse(
            {"worker_id": worker_id, "task_id": self.sessions.get(worker_id)}
        )
