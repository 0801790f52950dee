"""The items of list answers checked once each.

Every answer is validated against the spec on its way out, and a list answers
every stored item: a sandbox fuzzed for long (Schemathesis made hundreds of
Kubernetes deployments, each a deep object) spent each list re-checking items
it had checked before, until a list took more than ten seconds. An item found
valid against an `items` schema is remembered by a digest of its JSON text; a
changed item is another text, checked afresh, and an invalid one is never
remembered, so every error is still found.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any, Iterator

from jsonschema import ValidationError

LIMIT = 200_000  # remembered (schema, item) pairs; the oldest go first

_valid: OrderedDict[tuple[int, bytes], None] = OrderedDict()
# the schemas remembered against, kept alive so that their ids are never reused
_schemas: dict[int, dict] = {}
_lock = threading.Lock()


def remembered(base: Any) -> Any:
    """`base`'s `items` keyword, skipping container items already found valid
    against the same schema."""
    check = base.VALIDATORS["items"]

    def items(
        validator: Any, schema: Any, instance: Any, parent: dict
    ) -> Iterator[ValidationError]:
        if not (isinstance(schema, dict) and validator.is_type(instance, "array")):
            yield from check(validator, schema, instance, parent)
            return
        for index, item in enumerate(instance):
            key = _key(schema, item)
            if key is not None and key in _valid:
                continue
            errors = list(validator.descend(item, schema, path=index))
            if errors:
                yield from errors
            elif key is not None:
                _remember(schema, key)

    return items


def _key(schema: dict, item: Any) -> tuple[int, bytes] | None:
    """What an object or array item is remembered by; None for a scalar,
    which is cheaper to check than to digest."""
    if not isinstance(item, (dict, list)):
        return None
    try:
        text = json.dumps(item, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return id(schema), hashlib.blake2b(text.encode(), digest_size=16).digest()


def _remember(schema: dict, key: tuple[int, bytes]) -> None:
    with _lock:
        _schemas.setdefault(key[0], schema)
        _valid[key] = None
        while len(_valid) > LIMIT:
            _valid.popitem(last=False)
