"""A task's initial population: seeded items per resource and/or a fixtures file.

The population depends only on the seed and the file, so it is built once
and every new task starts as a copy of it. A fixtures file is JSON, either
`{"<resource>": [item, ...]}` (top-level resources; an item without an id
gets a fresh one) or a task's state as `GET /_sandbox/tasks/<task>/state`
prints it, which also covers nested resources.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from .engine import Engine
from .store import TaskState


class FixturesError(ValueError):
    """A fixtures file that cannot seed this sandbox."""


def populator(
    engine: Engine, *, seed: int, count: int = 0, path: str | None = None
) -> Callable[[TaskState], None] | None:
    """What fills a new task: `count` seeded items per resource, then the file's."""
    if not count and path is None:
        return None
    template = TaskState(seed=seed)
    if count:
        engine.populate(template, count)
    if path is not None:
        load(engine, template, path)
    snapshot = template.snapshot()

    def populate(state: TaskState) -> None:
        copied = TaskState.from_snapshot(snapshot)
        state.counter, state.objects = copied.counter, copied.objects

    return populate


def load(engine: Engine, state: TaskState, path: str) -> None:
    """Add a fixtures file's items to `state`; new ids stay clear of theirs."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, dict) and "objects" in data:
            loaded = TaskState.from_snapshot(
                {**data, "seed": state.seed, "counter": data.get("counter", 0)}
            )
        else:
            loaded = _items(engine, state, data)
    except (OSError, ValueError) as exc:
        raise FixturesError(f"{path}: {exc}") from None
    for name, items in loaded.objects.items():
        if name not in engine.resources:
            raise FixturesError(f"{path}: no resource {name!r} in this sandbox")
        state.collection(name).update(items)
    numbers = [
        int(p) for c in state.objects.values() for k in c for p in k if p.isdigit()
    ]
    state.counter = max([state.counter, loaded.counter, *numbers])


def _items(engine: Engine, state: TaskState, data: Any) -> TaskState:
    """`{"<resource>": [item, ...]}` as a state (ids from `state`'s counter)."""
    if not isinstance(data, dict):
        raise ValueError('expected {"<resource>": [item, ...]} or a task state')
    loaded = TaskState(seed=state.seed)
    for name, items in data.items():
        resource = engine.resources.get(name)
        if resource is None or resource.depth:
            raise ValueError(
                f"{name!r} is not a top-level resource (nested ones need the state form)"
            )
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ValueError(f"{name!r}: expected a list of objects")
        collection = loaded.collection(name)
        for item in items:
            item_id = item.get(resource.id_field) if resource.id_field else None
            if item_id is None:
                item_id = engine.new_id(state, resource)
                if resource.id_field:
                    item[resource.id_field] = item_id
            collection[(str(item_id),)] = item
    return loaded
