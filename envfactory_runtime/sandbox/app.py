"""The Connexion app: HTTP in, `Engine.execute`, HTTP out.

Connexion routes and validates requests and responses against the bundled
spec; every operation resolves to one handler that hands the raw request to
the engine, so spec names never become Python identifiers. Request errors
found by Connexion are answered in the shape the operation documents for
errors. Admin endpoints live under `/_sandbox/`, outside the API's paths.

A request runs in the task its `X-Envc-Task` header names, in its worker's
session (`X-Envc-Worker`, see `worker_sessions.py`), or in the default task, and
is recorded in that task's trace before it is answered.
"""

from __future__ import annotations

import functools
import json
import re
from urllib.parse import urlparse
from typing import Any

import connexion
from connexion import ConnexionMiddleware
from connexion.context import scope as connexion_scope
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolution, Resolver
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from . import xml_bodies, yaml_bodies
from .admin import Admin
from .catalog import Operation
from .engine import SANDBOX_TOKEN, Call, Engine, Outcome
from .fixtures import populator
from .kept_trace import TRACE_LIMIT
from .routes import (
    Dispatch,
    Routes,
    bare,
    not_allowed,
    unescaped,
    with_encoded_slashes,
)
from .sqlite_store import open_store
from .store import StateStore
from .trace import Redactor, body_text, is_json, sent
from .validation import (
    REF_PROPERTY,
    VALIDATORS,
    URIParser,
    parsed_form,
    register_formats,
)
from .worker_sessions import WorkerSessions

SPEC_FILE = "openapi.json"


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

    def __init__(
        self, engine: Engine, store: StateStore, *, package: str | None = None
    ) -> None:
        self.package = package  # the generated package whose data this serves
        self.engine = engine
        self.store = store
        self.sessions = WorkerSessions(store)
        self.redactor = Redactor(engine.credentials)
        self.routes = Routes(engine.operations.values(), base_path(engine.document))
        self._mutating = frozenset(
            op.name
            for op in engine.operations.values()
            if op.role not in ("read", "list")
        )

    def handler(self, name: str):
        op = self.engine.operations.get(name)
        xml = op is not None and "xml" in (op.body_type or "") and op.body is not None

        async def handle(**kwargs: Any) -> ConnexionResponse:
            request = Request(connexion_scope._get_current_object())
            body = _body(kwargs)
            if isinstance(body, str) and body.strip():
                body = self._text_body(op, request, body, xml=xml)
            return _connexion_response(*self.execute(name, request, body))

        handle.__name__ = "handle"
        return handle

    def _text_body(
        self, op: Operation | None, request: Request, body: str, *, xml: bool
    ) -> Any:
        """What a body checked already says (`validation.XMLBody`, `YAMLBody`,
        `FileBody`): one sent as XML (where the operation documents XML, or takes
        `*/*`) or YAML, or an object or array in a type the sandbox does not
        otherwise read; other bodies as they came."""
        content_type = request.headers.get("content-type")
        if op is not None and op.body is not None:
            if xml or xml_bodies.is_xml(content_type):
                schema = self.engine.schema(op.body)
                return xml_bodies.read(body, schema, self.engine.data.resolve)
        if yaml_bodies.is_yaml(content_type):
            return yaml_bodies.read(body)
        if op is None or op.body is None or is_json(content_type):
            return body
        if not yaml_bodies.structured(
            self.engine.data.resolve(self.engine.schema(op.body))
        ):
            return body
        value = yaml_bodies.structured_value(body)
        return body if value is yaml_bodies.UNREAD else value

    def execute(self, name: str, request: Request, body: Any) -> tuple[Outcome, str]:
        """Run a routed, validated request in its task and trace it: the outcome
        and its body text."""
        headers = request.headers
        call = _call(name, request, body)
        task_id = self.sessions.task_for(headers)
        if task_id is None:  # a temporary session: a world for this call only
            outcome = self.engine.execute(self.store.fresh(), call)
            return outcome, body_text(outcome)
        outcome = self.engine.execute(self.store.task(task_id), call)
        text = body_text(outcome)
        entry = self.redactor.entry(
            call,
            method=request.scope["method"],
            path=request.scope["path"],
            status=outcome.status,
            response=sent(outcome, text),
        )
        changed = name in self._mutating and outcome.status < 400
        self.store.record(task_id, entry, changed=changed)
        return outcome, text

    async def problem(
        self, request: ConnexionRequest, exc: Exception
    ) -> ConnexionResponse:
        """Answer a request Connexion rejected, shaped as the operation documents."""
        outcome, op = self._refusal(request, exc)
        text = body_text(outcome)
        task_id = self.sessions.task_for(request.headers)
        if task_id is not None and self.store.has(task_id):
            recorded = sent(outcome, text)
            name = op.name if op is not None else None
            entry = self.redactor.rejected(name, request, outcome.status, recorded)
            self.store.record(task_id, entry, changed=False)
        return _connexion_response(outcome, text)

    def _refusal(
        self, request: ConnexionRequest, exc: Exception
    ) -> tuple[Outcome, Any]:
        """The answer to a refused request, and the operation it meant (if any)."""
        status = (
            getattr(exc, "status", None) or getattr(exc, "status_code", None) or 400
        )
        detail = str(getattr(exc, "detail", "") or getattr(exc, "title", "") or exc)
        routing = (request.scope.get("extensions") or {}).get("connexion_routing") or {}
        op = self.engine.operations.get(routing.get("operation_id") or "")
        if op is None and status in (404, 405):
            # A path param Connexion's router could not convert (`/orgunits/null` for an
            # integer id): a 404, or a 405 when another method's route took the URL.
            path, method = request.scope["path"], request.scope["method"]
            meant = self.routes.unnamed_item(path, method) or self.routes.operation(
                path, method, loose=status == 404
            )
            if meant is not None and bare(meant.path) == meant.path:
                return (
                    self.engine.error(meant, "not_found", "no item with that id"),
                    meant,
                )
        if op is not None and status == 400 and not self._credentialed(op, request):
            # credentials are checked before the request is (a real API does
            # not validate what an anonymous caller sent)
            return self.engine.error(op, "unauthorized", "missing credentials"), op
        if op is not None and status == 404:
            # routed, then refused as missing (a last segment that is only a
            # newline, `.../entitlements/%0A`): its 404, not a 400 "Not Found"
            return self.engine.error(op, "not_found", "no item with that id"), op
        if op is None or status >= 500:
            body = {
                "title": getattr(exc, "title", "Error"),
                "status": status,
                "detail": detail,
            }
            return Outcome(status, body, "application/problem+json"), op
        return self.engine.error(op, "invalid", detail), op

    def _names_no_item(self, scope: dict) -> bool:
        """`PATCH /volumes/`: an item's URL with an empty last segment (Schemathesis's
        links fill one in). It names no item: the item operation's 404, not the
        redirect to `/volumes` that Starlette answers (a 405 there, or the whole
        collection deleted by `DELETE /volumes/`). Not where a client names
        the items itself (`POST /sets {"SetName": ""}` beside `/sets/{SetName}`):
        there the empty name is the client's, and the request goes on as before."""
        op = self.routes.unnamed_item(scope["path"], scope["method"])
        if op is None:
            return False
        key = re.findall(r"\{([^/{}]*)\}", bare(op.path))[-1]
        collection = bare(op.path)[: bare(op.path).rindex("/")]
        return not any(
            key
            in (
                self.engine.data.resolve(self.engine.schema(other.body)).get(
                    "properties"
                )
                or {}
            )
            for other in self.engine.operations.values()
            if other.body and bare(other.path) == collection
        )

    def _credentialed(self, op: Any, request: ConnexionRequest) -> bool:
        return self.engine.authorized(op, _call(op.name, request))

    def asgi(self) -> Any:
        """The whole app: admin routes, then the API."""
        middlewares = []
        for middleware in ConnexionMiddleware.default_middlewares:
            if middleware is ContextMiddleware:
                middlewares.append(functools.partial(_Direct, sandbox=self))
            if middleware is not SecurityMiddleware:
                middlewares.append(middleware)
        api = connexion.AsyncApp(__name__, middlewares=middlewares)
        api.add_api(
            # A dict, not the file: Connexion renders spec *files* as Jinja
            # templates, which would let spec text run code. A fresh copy,
            # because Connexion resolves references in place.
            _for_connexion(self.engine.document),
            resolver=_OperationResolver(self),
            validate_responses=True,
            strict_validation=False,
            swagger_ui_options=SwaggerUIOptions(swagger_ui=True),
            validator_map=VALIDATORS,
            uri_parser_class=URIParser,
        )
        api.add_error_handler(ProblemException, self.problem)
        api.add_error_handler(UnicodeDecodeError, self.problem)
        api.add_error_handler(404, self.problem)
        api.add_error_handler(405, self.problem)
        admin = Admin(self.store, self.sessions).app()

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
            scope = with_encoded_slashes(scope)
            shadowed = self.routes.shadowed(scope["path"], scope["method"])
            if shadowed:
                await not_allowed(send, shadowed)
                return
            if self._names_no_item(scope):
                refused = await self.problem(
                    ConnexionRequest(scope, receive), HTTPException(404)
                )
                reply = Response(
                    refused.body,
                    refused.status_code,
                    media_type=refused.content_type,
                )
                await reply(scope, receive, send)
                return

            async def send_with_allow(message: dict) -> None:
                if (
                    message["type"] == "http.response.start"
                    and message["status"] == 405
                ):
                    allowed = routed.allowed(scope)
                    methods = ", ".join(allowed or self.routes.methods(scope["path"]))
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

            await routed(scope, receive, send_with_allow)

        routed = Dispatch(
            api, self.engine.operations.values(), base_path(self.engine.document)
        )
        return outer


def _call(name: str, request: Any, body: Any = None) -> Call:
    """The engine's view of a request: its inputs by location."""
    headers = request.headers
    return Call(
        operation=name,
        path={
            key: unescaped(value) if isinstance(value, str) else value
            for key, value in request.path_params.items()
        },
        query=_multi(request.query_params),
        headers=headers,
        cookies=request.cookies if "cookie" in headers else {},
        body=body,
    )


class _Direct:
    """Answers operations that take no request body straight from the engine.

    Connexion's app layer builds its argument-binding decorators anew for
    every request, which costs more than the engine itself; an operation
    without a body has nothing to bind, so once Connexion has routed and
    validated the request it goes to the engine here. The answer still
    passes Connexion's response validation on its way out. So does raw data
    (a `*/*` string: GitHub's release assets) sent under a form's content
    type, which Connexion would parse as a form and refuse when it is none,
    and a urlencoded form, which validation read already (`parsed_form`) and
    Connexion would read again, refusing more than 1,000 fields.
    """

    def __init__(self, app: Any, *, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox
        self.bodiless = frozenset(
            op["operationId"]
            for item in (sandbox.engine.document.get("paths") or {}).values()
            for op in item.values()
            if isinstance(op, dict) and "operationId" in op and "requestBody" not in op
        )
        engine = sandbox.engine
        self.raw = frozenset(
            op.name
            for op in engine.operations.values()
            if op.body and engine.schema(op.body).get("type") == "string"
        )

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        routing = scope.get("extensions", {}).get("connexion_routing") or {}
        name = routing.get("operation_id")
        form = parsed_form(scope)
        raw_as_form = name in self.raw and _as_form(scope)
        if form is None and name not in self.bodiless and not raw_as_form:
            await self.app(scope, receive, send)
            return
        outcome, text = self.sandbox.execute(name, Request(scope, receive), form)
        content = text if outcome.content_type else b""
        response = Response(content, outcome.status, media_type=outcome.content_type)
        await response(scope, receive, send)


def _as_form(scope: dict) -> bool:
    """Whether a request says its body is a form (urlencoded or multipart)."""
    kind = Headers(scope=scope).get("content-type", "").split(";")[0].strip().lower()
    return kind in ("application/x-www-form-urlencoded", "multipart/form-data")


def _for_connexion(document: dict) -> dict:
    """A fresh copy of the spec as Connexion should read it.

    - Media types lose their parameters (`application/json; charset=utf-8`
      is `application/json`): Connexion compares a request's or response's
      bare media type with the spec's keys verbatim, so it would refuse
      exactly the content type the spec documents.
    - A `$ref` loses its siblings: OpenAPI 3.0 says they are ignored (and
      Schemathesis ignores them), but Connexion merges them into the target,
      so a sibling `required` would refuse requests the spec allows.
    - A property named `$ref` is declared under `x-envc-ref-property`,
      which the sandbox's validators read.
    """

    def clean(node: Any) -> Any:
        if isinstance(node, list):
            return [clean(item) for item in node]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            return {"$ref": node["$ref"]}
        result = {}
        for key, value in node.items():
            named_ref = isinstance(value, dict) and isinstance(value.get("$ref"), dict)
            if key == "properties" and named_ref:
                # a property named `$ref` (Kubernetes' JSONSchemaProps), whose schema
                # is an object where a reference is text: Connexion takes any `$ref`
                # key for a reference, and fails to start
                result[key] = clean({k: v for k, v in value.items() if k != "$ref"})
                result[REF_PROPERTY] = clean(value["$ref"])
            elif key == "content" and isinstance(value, dict):
                media: dict = {}
                for name, item in value.items():
                    bare = name.split(";")[0].strip() if "/" in name else name
                    media.setdefault(bare, clean(item))
                result[key] = media
            elif key in ("example", "examples", "default", "enum"):
                result[key] = json.loads(json.dumps(value))
            else:
                result[key] = clean(value)
        return result

    return clean(document)


def base_path(document: dict) -> str:
    """The first server's path, its `{variables}` at their defaults (as Connexion serves it)."""
    server = (document.get("servers") or [{}])[0] or {}
    url = str(server.get("url", "/"))
    for name, variable in (server.get("variables") or {}).items():
        url = url.replace("{" + name + "}", str((variable or {}).get("default", "")))
    path = urlparse(url).path if "//" in url else url
    return path.rstrip("/")


def load_sandbox(
    package: str,
    *,
    seed: int = 0,
    fixtures: int = 0,
    fixtures_file: str | None = None,
    credentials: tuple[str, ...] = (),
    any_credential: bool = False,
    store: str = "memory",
    trace_limit: int = TRACE_LIMIT,
) -> Sandbox:
    """A package's sandbox: its bundled spec, compiled tables, fresh state.

    Every task starts with `fixtures` seeded items per resource (0: empty)
    and the items of `fixtures_file` (see `fixtures.py`). `credentials` are
    accepted secrets in addition to `SANDBOX_TOKEN`; `any_credential`
    accepts any non-empty credential instead. `store` is `memory` or
    `sqlite:PATH` (tasks survive a restart). A task's trace keeps its latest
    `trace_limit` entries in memory.
    """
    from ..environment import environment  # the package's data, read once

    data = environment(package)
    register_formats()
    tables = data.tables
    engine = Engine(
        data.json(SPEC_FILE),  # its own copy: the app keeps what it is given
        tables.operations,
        tables.resources,
        tables.credentials,
    )
    engine.accepted = (
        None if any_credential else frozenset({SANDBOX_TOKEN, *credentials})
    )
    populate = populator(engine, seed=seed, count=fixtures, path=fixtures_file)
    return Sandbox(
        engine,
        open_store(store, seed=seed, populate=populate, trace_limit=trace_limit),
        package=package,
    )


def _connexion_response(outcome: Outcome, text: str) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=outcome.status,
        body=text if outcome.content_type else b"",
        content_type=outcome.content_type,
    )


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
