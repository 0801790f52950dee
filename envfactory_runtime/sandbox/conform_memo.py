"""Answers made valid once per (seed, schema, value).

A world forked many times replays the same calls: the verifier conforms the same
item to the same schema with the same seed again and again (on GitHub's large
objects that was most of a build). Conforming is a pure function of the three,
so the first answer is kept, as bytes, and every caller (the first included) gets
its own copy: a hit and a miss answer the same, unshared, value.
"""

from __future__ import annotations

import pickle
import threading
from random import Random
from typing import Any

from .fake import MISSING, SchemaData

LIMIT_BYTES = 64 * 1024 * 1024  # kept answers, pickled; the oldest go first


class ConformMemo:
    """`SchemaData.conform` with a fresh `Random(seed)`, remembered."""

    def __init__(self, data: SchemaData, limit_bytes: int = LIMIT_BYTES) -> None:
        self.data = data
        self.limit_bytes = limit_bytes
        self._answers: dict[tuple[str, str, bytes], bytes] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def conform(self, value: Any, pointer: str, schema: dict, seed: str) -> Any:
        """`value` made valid against `schema` (the document's schema at
        `pointer`), its fakes drawn from `Random(seed)`."""
        try:
            key = (seed, pointer, b"" if value is MISSING else pickle.dumps(value, 5))
        except (pickle.PicklingError, TypeError, AttributeError):
            return self.data.conform(value, schema, Random(seed))
        answer = self._answers.get(key)
        if answer is None:
            result = self.data.conform(value, schema, Random(seed))
            try:
                answer = pickle.dumps(result, 5)
            except (pickle.PicklingError, TypeError, AttributeError):
                return result
            self._keep(key, answer)
        return pickle.loads(answer)

    def _keep(self, key: tuple[str, str, bytes], answer: bytes) -> None:
        size = len(key[0]) + len(key[2]) + len(answer)
        if size > self.limit_bytes:
            return
        with self._lock:
            if key in self._answers:
                return
            while self._answers and self._bytes + size > self.limit_bytes:
                oldest = next(iter(self._answers))
                self._bytes -= len(oldest[0]) + len(oldest[2])
                self._bytes -= len(self._answers.pop(oldest))
            self._answers[key] = answer
            self._bytes += size
