"""A small OpenAI-compatible chat-completions server for the tests (stdlib only).

`ScriptedLLM(script)` serves POST /v1/chat/completions on 127.0.0.1 (a free
port) in a thread; `script(request) -> message` decides each answer from the
request (messages, tools) and the server wraps it as a chat completion.
Every request is kept in `requests`. `env()` is what points litellm at it.
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

Script = Callable[[dict], dict]


class _QuietServer(ThreadingHTTPServer):
    """A client that hung up on a slow answer (a timeout test) is no error to
    print: a daemon thread's traceback would land in whatever test captures
    stderr when it finishes."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class ScriptedLLM:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[dict] = []
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True  # a slow answer never holds up shutdown
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def env(self, model: str = "scripted") -> dict[str, str]:
        return {
            "LLM_MODEL": f"openai/{model}",
            "OPENAI_BASE_URL": self.base_url,
            "OPENAI_API_KEY": "sk-test-dummy",
            "LLM_REQUEST_TIMEOUT_SEC": "10",
        }

    def __enter__(self) -> "ScriptedLLM":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                owner.requests.append(request)
                message = owner.script(request)
                answer = completion(request, message, len(owner.requests))
                if request.get("stream"):
                    self._stream(stream_chunks(answer, request))
                else:
                    self._send(200, answer)

            def _stream(self, chunks: list[dict]) -> None:
                """Server-sent events, as OpenAI streams: one chunk per event, then [DONE]."""
                events = [f"data: {json.dumps(chunk)}\n\n" for chunk in chunks]
                body = ("".join(events) + "data: [DONE]\n\n").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _send(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def completion(request: dict, message: dict, number: int) -> dict:
    message = {"role": "assistant", "content": None, **message}
    return {
        "id": f"chatcmpl-{number}",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", "scripted"),
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if message.get("tool_calls") else "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def stream_chunks(answer: dict, request: dict) -> list[dict]:
    """A completion as the chunks of a stream: the message's delta, the finish
    reason, and the usage when `stream_options.include_usage` asks for it."""
    choice = answer["choices"][0]
    message = choice["message"]
    delta: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
    if message.get("tool_calls"):
        delta["tool_calls"] = [
            {"index": i, **call} for i, call in enumerate(message["tool_calls"])
        ]
    head = {k: answer[k] for k in ("id", "created", "model")}
    head["object"] = "chat.completion.chunk"
    chunks = [
        {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
        {
            **head,
            "choices": [
                {"index": 0, "delta": {}, "finish_reason": choice["finish_reason"]}
            ],
        },
    ]
    if (request.get("stream_options") or {}).get("include_usage"):
        chunks.append({**head, "choices": [], "usage": answer["usage"]})
    return chunks


def tool_call(number: int, name: str, arguments: Any) -> dict:
    return {
        "id": f"call_{number}",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }
