"""Reverse task recombination: longer tasks composed of accepted simple ones.

Two accepted blueprints A and B become one task: A's actions run in A's
initial state, then B's. B's ids were produced in B's own world, so each
id argument of B that an earlier B answer produced is re-pointed to what
the same answer (same step, same JSON pointer a dependency edge reads)
holds in the combined world. The composed task is built from that
execution and must then pass the same validation as any blueprint
(replay, policies, committee): a pair whose composition breaks a policy
(two users in one task, say) is dropped.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .policies import body_key, id_arguments
from ..sampling.session import SessionStateManager


def recombine(
    accepted: list[Any], builder: Any, validator: Any, *, limit: int | None = None
) -> tuple[list[Any], Counter]:
    """Composed blueprints from consecutive pairs of `accepted`, validated."""
    composed, rejected = [], Counter()
    limit = len(accepted) // 2 if limit is None else limit
    for first, second in zip(accepted[0::2], accepted[1::2]):
        if len(composed) >= limit:
            break
        ident = f"{first.id}+{second.id.rsplit('-', 1)[-1]}"
        candidate = compose(first, second, builder, ident)
        reasons = validator.validate(candidate)
        if reasons:
            rejected[reasons[0].split(":")[0]] += 1
        else:
            composed.append(candidate)
    return composed, rejected


def compose(first: Any, second: Any, builder: Any, ident: str) -> Any:
    """A then B in A's world, B's ids re-pointed (see the module docstring)."""
    _, originals = builder.execute(second.initial, second.actions)
    world = builder.world(first.initial)
    for action in first.actions:
        world.run(action["name"], action["arguments"])
    mapping: dict[str, Any] = {}
    for action, original in zip(second.actions, originals):
        arguments = repoint(builder, action["name"], action["arguments"], mapping)
        result = world.run(action["name"], arguments)
        mapping.update(_moved(builder.dag, original, result))
    world.close()
    source = {"recombined": [first.id, second.id]}
    return builder.build(ident, first.initial, world, source)


def repoint(builder: Any, name: str, arguments: dict, mapping: dict) -> dict:
    """The arguments with every id that `mapping` moved replaced."""
    arguments = dict(arguments)
    op = builder.engine.operations[name]
    key = body_key(op)
    for field, value in id_arguments(
        builder.engine, builder.dag, name, arguments
    ).items():
        moved = mapping.get(str(value))
        if moved is None:
            continue
        if field.startswith("/") and isinstance(arguments.get(key), dict):
            arguments[key] = _set(arguments[key], field, moved)
        else:
            arguments[field] = moved
    return arguments


def _moved(dag: Any, before: Any, after: Any) -> dict[str, Any]:
    """Old value -> new value at every pointer a dependency edge reads."""
    old, new = SessionStateManager(), SessionStateManager()
    old.record(before.name, before.output, dag, {})
    new.record(after.name, after.output, dag, {})
    now = new.all_values()
    return {str(value): now[k] for k, value in old.all_values().items() if k in now}


def _set(body: dict, pointer: str, value: Any) -> dict:
    body = dict(body)
    *parents, last = pointer.strip("/").split("/")
    node = body
    for part in parents:
        node[part] = dict(node.get(part) or {})
        node = node[part]
    node[last] = value
    return body
