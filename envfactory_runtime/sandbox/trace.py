"""Each task's request/response log, and replaying it in process.

A trace is what a task saw, in order: every executed call (operation,
method, path, parameters, headers with credentials redacted, body, status,
answer), requests the spec rejected before they reached the engine, and
admin resets and restores. Replaying a trace on a fresh state must give
the same answers and the same final state; that is how a load test proves
tasks never leaked into each other.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Iterable, Mapping

from .catalog import Credential
from .engine import Call, Engine, Outcome
from .kept_trace import Sent
from .store import StateStore, TaskState

REDACTED = "<redacted>"
_ALWAYS_SECRET = ("authorization", "proxy-authorization", "cookie")
_JSON_TYPES = ("application/json", "+json")


def is_json(content_type: str | None) -> bool:
    return content_type is not None and content_type.split(";")[0].endswith(_JSON_TYPES)


def body_text(outcome: Outcome) -> str:
    """An answer's body as sent: JSON unless the media type is text."""
    if outcome.content_type is None:
        return ""
    if isinstance(outcome.body, str) and not is_json(outcome.content_type):
        return outcome.body
    return json.dumps(outcome.body)


def answer(outcome: Outcome, text: str) -> Any:
    """What a trace says of an answer sent as `text`: its JSON value, else the text."""
    return json.loads(text) if is_json(outcome.content_type) else text


def sent(outcome: Outcome, text: str) -> Any:
    """`answer` as a trace keeps it: JSON as the text sent, not parsed."""
    return Sent(text) if is_json(outcome.content_type) else text


class Redactor:
    """Blanks the credentials a spec's security schemes carry, wherever they travel."""

    def __init__(self, credentials: Mapping[str, Credential]) -> None:
        by_place: dict[str, set[str]] = {"header": set(_ALWAYS_SECRET)}
        for credential in credentials.values():
            name = credential.name
            place = credential.location
            by_place.setdefault(place, set()).add(
                name.lower() if place == "header" else name
            )
        self.headers = frozenset(by_place["header"])
        self.query = frozenset(by_place.get("query", ()))

    def entry(
        self, call: Call, *, method: str, path: str, status: int, response: Any
    ) -> dict[str, Any]:
        """The trace entry of one executed call."""
        return {
            "operation": call.operation,
            "method": method,
            "path": path,
            "path_params": dict(call.path),
            "query": _blank(call.query, self.query),
            "headers": _blank(call.headers, self.headers),
            "cookies": {name: REDACTED for name in call.cookies},
            "body": call.body,
            "status": status,
            "response": response,
        }

    def rejected(
        self, operation: str | None, request: Any, status: int, response: Any
    ) -> dict[str, Any]:
        """The trace entry of a request refused before the engine saw it."""
        return {
            "operation": operation,
            "method": request.method,
            "path": request.url.path,
            "query": _blank(request.query_params, self.query),
            "headers": _blank(request.headers, self.headers),
            "status": status,
            "response": response,
            "rejected": True,
        }


def _blank(values: Mapping[str, Any], secret: Iterable[str]) -> dict[str, Any]:
    return {k: _redact(v) if k.lower() in secret else v for k, v in values.items()}


def _redact(value: Any) -> str:
    """A credential without its secret, still in its scheme's shape (so a
    replay that accepts any credential authorises it as the original was)."""
    scheme, _, secret = str(value).partition(" ")
    if not secret:
        return REDACTED
    if scheme.lower() == "basic":
        return "Basic " + base64.b64encode(f"{REDACTED}:{REDACTED}".encode()).decode()
    return f"{scheme} {REDACTED}"


def call_of(entry: Mapping[str, Any]) -> Call:
    """The call an executed trace entry records."""
    return Call(
        operation=entry["operation"],
        path=entry.get("path_params") or {},
        query=entry.get("query") or {},
        headers=entry.get("headers") or {},
        cookies=entry.get("cookies") or {},
        body=entry.get("body"),
    )


def replay(
    engine: Engine, store: StateStore, entries: Iterable[Mapping[str, Any]]
) -> tuple[TaskState, list[str]]:
    """Run a trace again on a fresh state: the final state and every answer that differs.

    Credentials are redacted in traces, so `engine` must accept any
    credential (`load_sandbox(any_credential=True)`); entries answered 401
    are skipped, as a refused call changes nothing. A trace whose first
    entries were let go (`TRACE_LIMIT`) cannot be replayed: ValueError.
    """
    state = store.fresh()
    mismatches: list[str] = []
    for position, entry in enumerate(entries, start=1):
        if entry.get("seq", position) != position:
            raise ValueError(
                f"the trace starts at #{entry['seq']}: its first entries are no longer"
                " kept, so it cannot be replayed"
            )
        admin = entry.get("admin")
        if admin == "reset":
            state = store.fresh()
        elif admin == "restore":
            state = TaskState.from_snapshot(entry["state"])
        elif not entry.get("rejected") and entry["status"] != 401:
            outcome = engine.execute(state, call_of(entry))
            replayed = answer(outcome, body_text(outcome))
            if (outcome.status, replayed) != (entry["status"], entry["response"]):
                mismatches.append(
                    f"#{entry.get('seq')} {entry['operation']}: answered"
                    f" {entry['status']}, replay {outcome.status}"
                )
    return state, mismatches
