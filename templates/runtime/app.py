"""The Connexion app: HTTP in, `Engine.execute`, HTTP out.

Connexion routes and validates requests and responses against the bundled
spec; every operation resolves to one handler that hands the raw request to
the engine, so spec names never become Python identifiers. Request errors
found by Connexion are answered in the shape the operation documents for
errors. Admin endpoints live under `/_sandbox/`, outside the API's paths.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse
from typing import Any

import connexion
from connexion import ConnexionMiddleware
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.security import SecurityMiddleware
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolution, Resolver
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .engine import SANDBOX_TOKEN, Call, Engine, Outcome
from .validation import VALIDATORS, register_formats
from .operations import CREDENTIALS, OPERATIONS, RESOURCES
from .store import DEFAULT_TASK, StateStore

TASK_HEADER = "X-Envc-Task"
SPEC_FILE = "openapi.json"
_JSON_TYPES = ("application/json", "+json")


class _OperationResolver(Resolver):
    """Resolve every operation to the engine, keyed by its operationId."""

    def __init__(self, sandbox: "Sandbox") -> None:
        super().__init__()
        self.sandbox = sandbox

    def resolve(self, operation: Any) -> Resolution:
        name = operation.operation_id
        return Resolution(self.sandbox.handler(name), name)


class Sandbox:
    """An engine, its state and the ASGI app serving them."""

    def __init__(self, engine: Engine, store: StateStore) -> None:
        self.engine = engine
        self.store = store
        self.routes = _Routes(engine)

    def handler(self, name: str):
        async def handle(**kwargs: Any) -> ConnexionResponse:
            request = connexion.request
            call = Call(
                operation=name,
                path=dict(request.path_params),
                query=_multi(request.query_params),
                headers=dict(request.headers),
                cookies=dict(request.cookies),
                body=_body(kwargs),
            )
            task = self.store.task(request.headers.get(TASK_HEADER) or DEFAULT_TASK)
            return _response(self.engine.execute(task, call))

        handle.__name__ = "handle"
        return handle

    async def problem(
        self, request: ConnexionRequest, exc: Exception
    ) -> ConnexionResponse:
        """Answer a request Connexion rejected, shaped as the operation documents."""
        status = (
            getattr(exc, "status", None) or getattr(exc, "status_code", None) or 400
        )
        detail = str(getattr(exc, "detail", "") or getattr(exc, "title", "") or exc)
        routing = (request.scope.get("extensions") or {}).get("connexion_routing") or {}
        op = self.engine.operations.get(routing.get("operation_id") or "")
        if (
            op is None and status == 404
        ):  # a path param Connexion's router could not convert
            op = self.routes.operation(request.scope["path"], request.scope["method"])
            if op is not None:
                return _response(
                    self.engine.error(op, "not_found", "no item with that id")
                )
        if op is None or status >= 500:
            body = {
                "title": getattr(exc, "title", "Error"),
                "status": status,
                "detail": detail,
            }
            return ConnexionResponse(
                status_code=status,
                body=json.dumps(body),
                content_type="application/problem+json",
            )
        return _response(self.engine.error(op, "invalid", detail))

    def asgi(self) -> Any:
        """The whole app: admin routes, then the API."""
        middlewares = [
            m
            for m in ConnexionMiddleware.default_middlewares
            if m is not SecurityMiddleware
        ]
        api = connexion.AsyncApp(__name__, middlewares=middlewares)
        api.add_api(
            # A dict, not the file: Connexion renders spec *files* as Jinja
            # templates, which would let spec text run code. A fresh copy,
            # because Connexion resolves references in place.
            json.loads(json.dumps(self.engine.document)),
            resolver=_OperationResolver(self),
            validate_responses=True,
            strict_validation=False,
            swagger_ui_options=SwaggerUIOptions(swagger_ui=True),
            validator_map=VALIDATORS,
        )
        api.add_error_handler(ProblemException, self.problem)
        api.add_error_handler(UnicodeDecodeError, self.problem)
        api.add_error_handler(404, self.problem)
        admin = Starlette(
            routes=[
                Route("/_sandbox/tasks/{task}/state", self._state, methods=["GET"]),
                Route("/_sandbox/tasks/{task}/snapshot", self._state, methods=["POST"]),
                Route(
                    "/_sandbox/tasks/{task}/restore", self._restore, methods=["POST"]
                ),
                Route("/_sandbox/tasks/{task}/reset", self._reset, methods=["POST"]),
            ]
        )

        async def outer(scope: dict, receive: Any, send: Any) -> None:
            # Connexion's router records the operation in scope["extensions"];
            # the dict must exist up front for error handlers to see it.
            scope.setdefault("extensions", {})
            if scope["type"] != "http":
                await api(scope, receive, send)
                return
            if scope["path"].startswith("/_sandbox/"):
                await admin(scope, receive, send)
                return

            async def send_with_allow(message: dict) -> None:
                if (
                    message["type"] == "http.response.start"
                    and message["status"] == 405
                ):
                    methods = ", ".join(self.routes.methods(scope["path"]))
                    if methods:
                        headers = [
                            (k, v)
                            for k, v in message.get("headers", [])
                            if k.lower() != b"allow"
                        ]
                        message = {
                            **message,
                            "headers": headers + [(b"allow", methods.encode())],
                        }
                await send(message)

            await api(scope, receive, send_with_allow)

        return outer

    async def _state(self, request: Request) -> Response:
        return JSONResponse(self.store.snapshot(request.path_params["task"]))

    async def _restore(self, request: Request) -> Response:
        try:
            snapshot = await request.json()
            self.store.restore(request.path_params["task"], snapshot)
        except (ValueError, KeyError, TypeError) as exc:
            return JSONResponse(
                {
                    "title": "Bad Request",
                    "status": 400,
                    "detail": f"malformed snapshot: {exc}",
                },
                status_code=400,
            )
        return JSONResponse(self.store.snapshot(request.path_params["task"]))

    async def _reset(self, request: Request) -> Response:
        self.store.reset(request.path_params["task"])
        return Response(status_code=204)


class _Routes:
    """The spec's path templates as regexes, to reason about unrouted requests."""

    def __init__(self, engine: Engine) -> None:
        base = re.escape(_base_path(engine.document))
        self.templates: list[tuple[re.Pattern[str], dict[str, Any]]] = []
        by_path: dict[str, dict[str, Any]] = {}
        for op in engine.operations.values():
            by_path.setdefault(op.path, {})[op.method.upper()] = op
        self.loose: list[tuple[re.Pattern[str], dict[str, Any]]] = []
        for path, ops in by_path.items():
            pattern = re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(path))
            self.templates.append((re.compile(f"^{base}{pattern}/?$", re.DOTALL), ops))
            # An empty path parameter collapses "//" in some clients' URLs.
            loose = re.sub(r"/\\\{[^/]*?\\\}", "(?:/[^/]*)?", re.escape(path))
            self.loose.append((re.compile(f"^{base}{loose}/?$", re.DOTALL), ops))

    def _ops(self, path: str, patterns: list | None = None) -> dict[str, Any]:
        return next(
            (ops for pattern, ops in patterns or self.templates if pattern.match(path)),
            {},
        )

    def methods(self, path: str) -> list[str]:
        return sorted(self._ops(path))

    def operation(self, path: str, method: str) -> Any:
        """The operation a request meant, even with a malformed or empty path parameter."""
        method = method.upper()
        return self._ops(path).get(method) or self._ops(path, self.loose).get(method)


def _base_path(document: dict) -> str:
    url = ((document.get("servers") or [{}])[0] or {}).get("url", "/")
    path = urlparse(url).path if "//" in url else url
    return path.rstrip("/")


def load_sandbox(
    *,
    seed: int = 0,
    fixtures: int = 0,
    credentials: tuple[str, ...] = (),
    any_credential: bool = False,
) -> Sandbox:
    """The package's sandbox: bundled spec, compiled tables, fresh state.

    Every task starts with `fixtures` seeded items per resource (0: empty).
    `credentials` are accepted secrets in addition to `SANDBOX_TOKEN`;
    `any_credential` accepts any non-empty credential instead.
    """
    package_dir = Path(__file__).resolve().parent
    document = json.loads((package_dir / SPEC_FILE).read_text(encoding="utf-8"))
    register_formats()
    engine = Engine(document, OPERATIONS, RESOURCES, CREDENTIALS)
    engine.accepted = (
        None if any_credential else frozenset({SANDBOX_TOKEN, *credentials})
    )
    populate = (lambda task: engine.populate(task, fixtures)) if fixtures else None
    return Sandbox(engine, StateStore(seed=seed, populate=populate))


def _multi(params: Any) -> dict[str, Any]:
    """Query parameters: a list where a name repeats, else the text."""
    result: dict[str, Any] = {}
    for key in params.keys():
        values = params.getlist(key)
        result[key] = values if len(values) > 1 else values[0]
    return result


def _body(kwargs: dict[str, Any]) -> Any:
    """The parsed body Connexion passes as `body`; uploads arrive beside it."""
    body = kwargs.get("body")
    uploads = {k: _filename(v) for k, v in kwargs.items() if _is_upload(v)}
    if uploads:
        body = {**(body if isinstance(body, dict) else {}), **uploads}
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    return body


def _is_upload(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(
        hasattr(v, "filename") and hasattr(v, "read") for v in items
    )


def _filename(value: Any) -> Any:
    if isinstance(value, list):
        return [v.filename or "upload" for v in value]
    return value.filename or "upload"


def _response(outcome: Outcome) -> ConnexionResponse:
    if outcome.content_type is None:
        return ConnexionResponse(status_code=outcome.status, body=b"")
    if outcome.content_type.split(";")[0].endswith(_JSON_TYPES):
        body = json.dumps(outcome.body)
    elif isinstance(outcome.body, str):
        body = outcome.body
    else:
        body = json.dumps(outcome.body)
    return ConnexionResponse(
        status_code=outcome.status, body=body, content_type=outcome.content_type
    )
