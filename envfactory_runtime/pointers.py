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


def pointer(*tokens: str) -> str:
    """The pointer of a path of keys (`a/b`, `0` -> `/a~1b/0`)."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


def without(value: Any, pointers: list[str]) -> Any:
    """A copy of `value` with the members at `pointers` removed (and objects
    they leave empty, so nothing of a removed value is left to say)."""
    copied = json_copy(value)
    for place in pointers:
        *parents, last = parts(place) or [""]
        trail = [copied]
        for part in parents:
            node = trail[-1]
            trail.append(node.get(part) if isinstance(node, dict) else None)
        if isinstance(trail[-1], dict):
            trail[-1].pop(last, None)
        for depth in range(len(parents), 0, -1):
            if trail[depth] != {} or not isinstance(trail[depth - 1], dict):
                break
            trail[depth - 1].pop(parents[depth - 1], None)
    return copied


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value (dicts and lists only are copied)."""
    if isinstance(value, dict):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_copy(v) for v in value]
    return value
