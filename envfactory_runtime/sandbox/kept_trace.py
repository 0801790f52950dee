"""A task's trace as kept in memory: each entry's JSON text, bounded.

Entries were kept as the values they held, an answer as its parsed JSON: a
sandbox fuzzed for long (Schemathesis listing two thousand Kubernetes
deployments, 10 MB, again and again) held 35 MB of Python objects per list
answer, and collecting them came to take longer than the client waited. A
text is a third of that and no work for the garbage collector, and an
answer goes in as the text that was sent, never parsed to be kept. The
oldest entries are let go past `TRACE_LIMIT` entries or `TRACE_BYTES` of text.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import Any

TRACE_LIMIT = 10_000  # entries a task keeps in memory; an episode has tens
TRACE_BYTES = 256 * 1024 * 1024  # characters of their text


@dataclass(frozen=True)
class Sent:
    """An answer as the JSON text it was sent as."""

    text: str


def text_of(entry: dict[str, Any]) -> str:
    """An entry's JSON text, a `Sent` answer spliced in as it is."""
    response = entry.get("response")
    if not isinstance(response, Sent):
        return _dumps(entry)
    rest = _dumps({key: value for key, value in entry.items() if key != "response"})
    comma = "," if len(rest) > 2 else ""
    return f'{rest[:-1]}{comma}"response":{response.text}}}'


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


class KeptTrace:
    """The latest entries of one task's trace, as text."""

    def __init__(self, limit: int = TRACE_LIMIT, limit_bytes: int = TRACE_BYTES):
        self.limit = limit
        self.limit_bytes = limit_bytes
        self.dropped = 0  # entries no longer kept
        self._texts: deque[str] = deque()
        self._size = 0

    def __len__(self) -> int:
        return len(self._texts)

    def append(self, text: str) -> None:
        """Keep `text`, letting the oldest go while over either limit (the
        newest entry is kept whatever its size)."""
        self._texts.append(text)
        self._size += len(text)
        while len(self._texts) > 1 and (
            len(self._texts) > self.limit or self._size > self.limit_bytes
        ):
            self._size -= len(self._texts.popleft())
            self.dropped += 1

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(text) for text in self._texts]
