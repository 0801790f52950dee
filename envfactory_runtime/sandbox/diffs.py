"""What a task changed: the state diff and a canonical hash of the state.

A diff is final state minus initial state, item by item, as JSON:
`{"created": {label: item}, "updated": {label: item}, "deleted": [label]}`
with labels `resource/key...` (as `trajectory.state_change` names them).
The hash is sha256 of the state's items in canonical JSON (sorted keys, no
whitespace): two worlds with the same items hash the same, whatever the
order calls made them in, as tau-bench compares databases.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

from .store import TaskState
from ..sampling.trajectory import Objects, state_change


def state_diff(before: Objects, after: Objects) -> dict[str, Any]:
    """Items created, updated (their new value) and deleted between two states."""
    change = state_change(before, after)
    return {
        "created": {label: _item(after, label) for label in change["created"]},
        "updated": {label: _item(after, label) for label in change["updated"]},
        "deleted": sorted(change["deleted"]),
    }


CHANGE_KINDS = ("created", "updated", "deleted")


def changes_made(changes: Iterable[dict[str, list[str]]]) -> dict[str, list[str]]:
    """The items a run of calls created, updated and deleted along the way,
    each label once: what the final state hides when calls cancel out (an
    item made and deleted again ends where a do-nothing agent does)."""
    made: dict[str, set[str]] = {kind: set() for kind in CHANGE_KINDS}
    for change in changes:
        for kind in CHANGE_KINDS:
            made[kind].update(change.get(kind, ()))
    return {kind: sorted(labels) for kind, labels in made.items()}


def state_hash(state: TaskState) -> str:
    """sha256 of the task's items in canonical JSON (the id counter left out)."""
    items = {
        name: {"/".join(key): value for key, value in sorted(collection.items())}
        for name, collection in sorted(state.objects.items())
        if collection
    }
    return hashlib.sha256(canonical(items).encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _item(objects: Objects, label: str) -> Any:
    """The item a "resource/key" label names (a key part may hold a "/" too:
    a file path)."""
    resource, _, key = label.partition("/")
    items = objects[resource]
    found = items.get(tuple(key.split("/")))
    if found is not None:
        return found
    return next(value for parts, value in items.items() if "/".join(parts) == key)
