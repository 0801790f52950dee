"""YAML request bodies read as the JSON values they write.

A spec whose request body is `*/*` (Kubernetes: every create and replace)
takes YAML as well as JSON, and Schemathesis sends YAML there, or JSON
under any media type: read (JSON is YAML), the body is checked against its
schema as JSON is, and the engine stores what was sent. Timestamps stay text (a `date-time` string is a string in JSON);
anything else follows YAML's safe loader.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .media_types import suffixed


class MalformedYAML(ValueError):
    """The body is not well-formed YAML."""


UNREAD = object()  # `structured_value` of a body that is no JSON or YAML text


class _Loader(yaml.SafeLoader):
    """The safe loader without its timestamp type."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def is_yaml(content_type: str | None) -> bool:
    """`application/yaml`, `text/yaml`, `application/x-yaml` and the like."""
    return suffixed(content_type, "yaml")


def structured(schema: Any, depth: int = 0) -> bool:
    """Whether a (resolved) body schema is an object or an array: a value no
    file is, so a body of any media type is read for it."""
    if not isinstance(schema, dict) or depth > 8:
        return False
    return (
        schema.get("type") in ("object", "array")
        or "properties" in schema
        or "items" in schema
        or any(structured(part, depth + 1) for part in schema.get("allOf") or ())
    )


def read(text: str | bytes) -> Any:
    """The value a YAML document writes."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise MalformedYAML(f"malformed YAML body: {exc}") from None


def structured_value(text: str | bytes) -> Any:
    """The value a body of some other media type writes as JSON or YAML (for a
    schema of an object or array: a number there is a wrong value, not a file),
    else `UNREAD` (bytes that are no such text). JSON is read as JSON first:
    YAML refuses a key of more than 1,024 characters, which JSON allows."""
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError):
        pass
    try:
        return read(text)
    except (MalformedYAML, UnicodeDecodeError):
        return UNREAD
