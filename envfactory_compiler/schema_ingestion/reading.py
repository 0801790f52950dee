"""Bytes to a JSON-like document, refusing input that would hurt the machine.

Limits are enforced before anything is built: the file size, strict UTF-8,
and the fully expanded size of YAML aliases ("billion laughs"). YAML 1.1
surprises are disarmed: timestamps stay strings and mapping keys become
strings (response codes like `200` are read as ints by YAML).
"""

from __future__ import annotations

import hashlib
import json
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import SpecError, error, pointer_join

MAX_BYTES = (
    32 * 1024 * 1024
)  # the largest public specs (GitHub, Stripe) are under 16 MiB
MAX_NESTING = (
    5_000  # levels of objects and lists; builds run on a deep stack (deep_stack)
)
MAX_NODES = 2_000_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_Loader):  # type: ignore[misc, valid-type]
    """Safe YAML loader that keeps timestamps as text."""


_SpecLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _SpecLoader.construct_yaml_str
)


def read_source(
    location: str, *, allow_remote: bool, max_bytes: int = MAX_BYTES
) -> tuple[str, str]:
    """Text of a spec and the sha256 of its bytes."""
    raw = _read_raw(location, allow_remote, max_bytes)
    return _decode(raw, location), hashlib.sha256(raw).hexdigest()


def read_text(location: str, *, allow_remote: bool, max_bytes: int = MAX_BYTES) -> str:
    """Read a local file (or a URL when allowed) as strict UTF-8 text."""
    return _decode(_read_raw(location, allow_remote, max_bytes), location)


def _read_raw(location: str, allow_remote: bool, max_bytes: int) -> bytes:
    if _is_url(location):
        if not allow_remote:
            raise SpecError(
                [
                    error(
                        location,
                        "",
                        "remote specs are disabled",
                        "pass --allow-remote to fetch specs and $refs over the network",
                    )
                ]
            )
        return _fetch(location, max_bytes)
    return _read_file(Path(location), max_bytes)


def _decode(raw: bytes, location: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError(
            [
                error(
                    location,
                    "",
                    f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at line {line}, offset {exc.start}",
                    "save the spec as UTF-8",
                )
            ]
        ) from None


def parse(text: str, location: str) -> Any:
    """Parse JSON or YAML text into plain dicts, lists and scalars, no deeper than MAX_NESTING."""
    try:
        document = _parse(text, location)
    except RecursionError:
        document = None
    deepest = _deepest_pointer(document) if document is not None else ""
    if document is None or deepest:
        raise SpecError(
            [
                error(
                    location,
                    deepest,
                    f"the document nests more than {MAX_NESTING:,} levels deep below here",
                    "flatten the nesting (name inner schemas in components and $ref them)",
                )
            ]
        )
    return document


def _deepest_pointer(document: Any) -> str:
    """Where the first value nested deeper than MAX_NESTING starts (its top 4 levels: the full
    pointer would be thousands of parts long), '' when there is none. Iterative: no recursion.
    """
    stack: list[tuple[Any, tuple]] = [(document, ())]
    while stack:
        node, parts = stack.pop()
        if len(parts) > MAX_NESTING:
            return pointer_join(*parts[:4])
        children = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node) if isinstance(node, list) else ()
        )
        stack.extend((value, parts + (key,)) for key, value in children)
    return ""


def _parse(text: str, location: str) -> Any:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return _string_keys(json.loads(text))
        except json.JSONDecodeError as exc:
            if stripped.startswith("{\n") or location.endswith(".json"):
                raise SpecError(
                    [
                        error(
                            location,
                            "",
                            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                            "fix the JSON syntax",
                        )
                    ]
                ) from None
    return _string_keys(_parse_yaml(text, location))


def load_document(location: str, *, allow_remote: bool) -> Any:
    return parse(read_text(location, allow_remote=allow_remote), location)


def _parse_yaml(text: str, location: str) -> Any:
    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError(
                [
                    error(
                        location,
                        "",
                        "the file is empty",
                        "point envc at an OpenAPI document",
                    )
                ]
            )
        if _expanded_size(node, {}) > MAX_NODES:
            raise SpecError(
                [
                    error(
                        location,
                        "",
                        f"YAML aliases expand to more than {MAX_NODES:,} nodes (an alias bomb?)",
                        "remove the nested anchors/aliases",
                    )
                ]
            )
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(
            [
                error(
                    location,
                    "",
                    f"not valid YAML: {problem}{where}",
                    "fix the YAML syntax",
                )
            ]
        ) from None
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Node count with aliases expanded, memoised so bombs are cheap to measure."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # guards recursive anchors
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(
            _expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value
        )
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[id(node)] = min(size, MAX_NODES + 1)
    return memo[id(node)]


def _string_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_key(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return key if isinstance(key, str) else str(key)


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SpecError(
                [
                    error(
                        str(path),
                        "",
                        f"file too large: {size:,} bytes (limit {max_bytes:,})",
                        "split the spec or raise the limit with --max-bytes",
                    )
                ]
            )
        return path.read_bytes()
    except OSError as exc:
        raise SpecError(
            [
                error(
                    str(path),
                    "",
                    f"cannot read the file: {exc.strerror}",
                    "check the path and its permissions",
                )
            ]
        ) from None


def _fetch(url: str, max_bytes: int) -> bytes:
    try:
        with urllib.request.urlopen(
            url, timeout=30
        ) as reply:  # noqa: S310 (explicit opt-in)
            raw = reply.read(max_bytes + 1)
    except OSError as exc:
        raise SpecError(
            [error(url, "", f"cannot fetch: {exc}", "check the URL and the network")]
        ) from None
    if len(raw) > max_bytes:
        raise SpecError(
            [
                error(
                    url,
                    "",
                    f"file too large (limit {max_bytes:,} bytes)",
                    "raise the limit with --max-bytes",
                )
            ]
        )
    return raw


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))
