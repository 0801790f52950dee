"""`Trajectory`: a verified sequence of calls, each with what it changed.

A step records the call as the agent made it (tool arguments), the request
as it went over the wire (credentials left out), the answer, and which
stored items it created, updated or deleted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..sandbox.store import Key


@dataclass(frozen=True)
class Step:
    """One executed call."""

    operation: str
    method: str
    path: str
    arguments: dict[str, Any]
    request: dict[str, Any]  # query, headers, cookies and body as sent
    status: int
    response: Any
    state_change: dict[str, list[str]]  # created/updated/deleted -> "resource/id"
    # argument pointers ("/petId", "/body/category/id") filled from earlier answers
    bound: tuple[str, ...] = ()

    @property
    def writes(self) -> bool:
        return any(self.state_change.get(k) for k in ("created", "updated", "deleted"))


@dataclass(frozen=True)
class Trajectory:
    """Steps from a fresh sandbox task, every one answered 2xx."""

    steps: tuple[Step, ...]
    tree: int  # the exploration tree it was selected from
    seed: str  # the tree's seed, from the sampler's seed and the tree index
    score: float = 0.0
    # (step index, path parameter, value): ids the user gives, not an earlier answer
    given: tuple[tuple[int, str, Any], ...] = ()

    @property
    def depth(self) -> int:
        return len(self.steps)

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(step.operation for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        row = {
            "tree": self.tree,
            "seed": self.seed,
            "score": self.score,
            "steps": [asdict(step) for step in self.steps],
        }
        if self.given:
            row["given"] = [list(entry) for entry in self.given]
        return row


Objects = dict[str, dict[Key, Any]]


def state_change(before: Objects, after: Objects) -> dict[str, list[str]]:
    """Items a call created, updated or deleted, as "resource/key" labels."""
    change: dict[str, list[str]] = {"created": [], "updated": [], "deleted": []}
    for resource in sorted(set(before) | set(after)):
        old = before.get(resource, {})
        new = after.get(resource, {})
        if old is new:
            continue
        for key, value in new.items():
            label = "/".join((resource, *key))
            previous = old.get(key, _ABSENT)
            if previous is _ABSENT:
                change["created"].append(label)
            elif previous is not value and previous != value:
                change["updated"].append(label)
        change["deleted"].extend(
            "/".join((resource, *key)) for key in old if key not in new
        )
    return change


_ABSENT = object()
