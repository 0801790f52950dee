"""JSON pointers (RFC 6901): one reader for every runtime module.

Dependency edges, tool arguments, policies and the compiled tables all
name places in documents, answers and request bodies by pointer.
"""

from __future__ import annotations

from typing import Any


def parts(pointer: str) -> list[str]:
    """The unescaped reference tokens of a pointer (`/a~1b/0` -> `a/b`, `0`)."""
    return [
        part.replace("~1", "/").replace("~0", "~")
        for part in pointer.lstrip("/").split("/")
        if part
    ]


def find(value: Any, pointer: str, default: Any = None) -> Any:
    """The value at a pointer, list indices included, or `default`."""
    node = value
    for part in parts(pointer):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return default
    return node
