"""LLM access, only through litellm, only when the environment configures it.

`LLM_MODEL` names the model (`openai/<name>` for any OpenAI-compatible
server); `OPENAI_BASE_URL` (or `LLM_BASE_URL`) and `OPENAI_API_KEY` (or
`LLM_API_KEY`) say where and how; `LLM_REQUEST_TIMEOUT_SEC` bounds every
request (default 30 s). `LLM_USER_MODEL` may give the simulated user a model
of its own. Without `LLM_MODEL`, or with `MOCK_LLM=true`, `from_env` answers
None and every caller takes its offline, deterministic path. litellm is
imported on first use (`pip install '<package>[llm]'`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from typing import Any, Mapping

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
LLM_SETTINGS = ("LLM_", "OPENAI_", "MOCK_LLM")  # the variables `LLM.from_env` reads


class LLMError(RuntimeError):
    """The model could not be reached, or answered nothing usable."""


@dataclass(frozen=True)
class LLM:
    """One configured model; `chat` returns the assistant message as a dict."""

    model: str
    base_url: str | None = None
    api_key: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    temperature: float = 0.0
    seed: int | None = None  # sent with every request (litellm `seed`)

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        role: str = "assistant",
        seed: int | None = None,
    ) -> "LLM | None":
        env = os.environ if env is None else env
        model = env.get("LLM_MODEL", "")
        if role == "user":
            model = env.get("LLM_USER_MODEL") or model
        if not model or env.get("MOCK_LLM", "").lower() in ("1", "true", "yes"):
            return None
        return cls(
            model=model,
            base_url=env.get("LLM_BASE_URL") or env.get("OPENAI_BASE_URL") or None,
            api_key=env.get("LLM_API_KEY") or env.get("OPENAI_API_KEY") or None,
            timeout=float(env.get("LLM_REQUEST_TIMEOUT_SEC") or DEFAULT_TIMEOUT),
            seed=seed,
        )

    def seeded(self, seed: int | None) -> "LLM":
        """This model with `seed` on every request (a rollout's trial has its own)."""
        return replace(self, seed=seed)

    def chat(
        self, messages: list[dict[str, Any]], tools: list[dict] | None = None
    ) -> dict[str, Any]:
        """The model's next message: `content` and, with tools, `tool_calls`."""
        litellm = _litellm()
        options: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "timeout": self.timeout,
            "temperature": self.temperature,
            "num_retries": self.retries,
            "max_retries": 0,  # the client's own retries would multiply the timeout
        }
        if self.base_url:
            options["api_base"] = self.base_url
        if self.api_key:
            options["api_key"] = self.api_key
        if tools:
            options["tools"] = tools
        if self.seed is not None:
            options["seed"] = self.seed
        try:
            response = litellm.completion(**options)
        except Exception as exc:  # litellm raises its own zoo: one error for callers
            raise LLMError(f"{self.model}: {type(exc).__name__}: {exc}") from exc
        return _message(response)

    def json(self, messages: list[dict[str, Any]]) -> Any:
        """The model's answer parsed as JSON (the first {...} in it)."""
        text = self.chat(messages).get("content") or ""
        start, end = text.find("{"), text.rfind("}")
        try:
            return json.loads(text[start : end + 1])
        except ValueError as exc:
            raise LLMError(f"{self.model}: expected JSON, got {text[:200]!r}") from exc


def _litellm() -> Any:
    os.environ.setdefault(
        "LITELLM_LOCAL_MODEL_COST_MAP", "True"
    )  # no network at import
    try:
        import litellm
    except ImportError as exc:
        raise LLMError(
            "LLM_MODEL is set but litellm is not installed: pip install litellm"
        ) from exc
    litellm.suppress_debug_info = True
    return litellm


def _message(response: Any) -> dict[str, Any]:
    """The first choice's message as a plain OpenAI-format dict."""
    message = response.choices[0].message
    calls = [
        {
            "id": call.id,
            "type": "function",
            "function": {
                "name": call.function.name,
                "arguments": call.function.arguments or "{}",
            },
        }
        for call in getattr(message, "tool_calls", None) or ()
    ]
    found: dict[str, Any] = {"role": "assistant", "content": message.content}
    if calls:
        found["tool_calls"] = calls
    return found
