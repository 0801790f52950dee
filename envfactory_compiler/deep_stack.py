"""Run a build on a thread with a deep stack.

The compiler walks schemas recursively (ours, datamodel-code-generator's, the
validator's), and real specs nest deeper than Python's default 1,000 frames
allow. A RecursionError there is a limit of the tool, not a fault of the
spec, so builds run where the limit is far higher; `schema_ingestion.reading`
refuses, with a diagnostic, documents nested deeper than MAX_NESTING.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

T = TypeVar("T")

STACK_BYTES = (
    512 * 1024 * 1024
)  # address space; only the pages a deep walk touches are used
RECURSION_LIMIT = 60_000


def call(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """`function(*args, **kwargs)`, on a deep-stack thread; its exception re-raised here."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args, **kwargs)
        except (
            BaseException
        ) as exc:  # noqa: BLE001 - handed to the caller's thread as is
            outcome["error"] = exc

    previous_stack = threading.stack_size(STACK_BYTES)
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    try:
        worker = threading.Thread(target=run, name="envc-build")
        worker.start()
    finally:
        threading.stack_size(previous_stack)
    try:
        worker.join()
    finally:
        sys.setrecursionlimit(previous_limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
