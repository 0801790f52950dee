"""AgentFlow-style exploration: grow a trajectory tree, select its best paths.

A tree starts with one operation in a fresh sandbox task. Every node tries
up to `branching_factor` next operations (one past `depth_threshold`),
drawn among those whose parameters the node's session can resolve, each
child running on a copy of its parent's state. Below `min_depth` a node
always goes on; from there it stops with a chance that makes every depth
up to `max_depth` about equally likely, unless the world says the path is
still pursuing its goal (`pursuing`, optional: the sampler's focus). A branch whose call answers an
unexpected error is dropped (and counted).

Selection enumerates root-to-leaf paths, scores them by depth, diversity
(distinct operations) and novelty (operations and transitions that paths
already selected from this tree lack), and greedily keeps the best ones
that are no more similar than `similarity_threshold` to any kept path.
Everything depends only on the tree's own seed, so trees can be grown in
any order, on any worker.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Protocol

from .trajectory import Step

DEPTH_WEIGHT = 1.0
DIVERSITY_WEIGHT = 0.5
NOVELTY_WEIGHT = 0.5
PREFER_WEIGHT = 1.0  # a path that reaches the tree's focus, not yet in a kept path


@dataclass(frozen=True)
class ExplorationOptions:
    """The knobs of AgentFlow's sampler and selector."""

    min_depth: int = 2
    max_depth: int = 5
    branching_factor: int = 2
    depth_threshold: int = 3
    max_selected: int = 3
    similarity_threshold: float = 0.7

    def __post_init__(self) -> None:
        if not 1 <= self.min_depth <= self.max_depth:
            raise ValueError("need 1 <= min_depth <= max_depth")
        if self.branching_factor < 1 or self.max_selected < 1:
            raise ValueError("branching_factor and max_selected must be >= 1")


@dataclass
class Node:
    """An executed step and the world after it."""

    step: Step
    state: Any
    session: Any
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 1 if self.parent is None else self.parent.depth + 1

    def path(self) -> list["Node"]:
        nodes: list[Node] = []
        node: Node | None = self
        while node is not None:
            nodes.append(node)
            node = node.parent
        return nodes[::-1]


@dataclass(frozen=True)
class Failed:
    """A call that did not answer 2xx: the branch ends here and is dropped."""

    reason: str


class World(Protocol):
    """What the explorer needs from a sandbox."""

    def start(self, rng: random.Random) -> tuple[Any, Any]:
        """A fresh (state, session)."""

    def candidates(self, node: Node | None, session: Any) -> list[tuple[str, float]]:
        """Operations that can run next, with their weights."""

    def step(
        self, state: Any, session: Any, operation: str, rng: random.Random
    ) -> "tuple[Step, Any, Any] | Failed":
        """Run one operation: its step and the (state, session) after it."""


@dataclass
class Tree:
    """One grown tree, with what went wrong on the way."""

    root: Node | None
    drops: Counter = field(default_factory=Counter)
    executed: int = 0

    def leaves(self) -> list[Node]:
        found: list[Node] = []
        stack = [self.root] if self.root else []
        while stack:
            node = stack.pop()
            if node.children:
                stack.extend(reversed(node.children))
            else:
                found.append(node)
        return found


def grow(
    world: World, start: str, rng: random.Random, options: ExplorationOptions
) -> Tree:
    """Grow a tree from `start` (depth-first, so the order is fixed by `rng`)."""
    state, session = world.start(rng)
    tree = Tree(root=None)
    first = world.step(state, session, start, rng)
    tree.executed += 1
    if isinstance(first, Failed):
        tree.drops[first.reason] += 1
        return tree
    tree.root = Node(*first)
    stack = [tree.root]
    while stack:
        node = stack.pop()
        depth = node.depth
        if depth >= options.max_depth or (
            _stops(depth, options, rng) and not _pursuing(world, node)
        ):
            continue
        width = options.branching_factor if depth < options.depth_threshold else 1
        for operation in _draw(world.candidates(node, node.session), width, rng):
            result = world.step(node.state, node.session, operation, rng)
            tree.executed += 1
            if isinstance(result, Failed):
                tree.drops[result.reason] += 1
                continue
            node.children.append(Node(*result, parent=node))
        stack.extend(reversed(node.children))
    return tree


def _pursuing(world: World, node: Node) -> bool:
    pursuing = getattr(world, "pursuing", None)
    return bool(pursuing and pursuing(node))


def _stops(depth: int, options: ExplorationOptions, rng: random.Random) -> bool:
    """From min_depth on, stop so that each remaining depth is equally likely."""
    if depth < options.min_depth:
        return False
    return rng.random() < 1 / (options.max_depth - depth + 1)


def _draw(weighted: list[tuple[str, float]], k: int, rng: random.Random) -> list[str]:
    """k distinct names, drawn by weight (Efraimidis-Spirakis keys)."""
    keyed = [(rng.random() ** (1 / weight), name) for name, weight in weighted]
    return [name for _, name in sorted(keyed, reverse=True)[:k]]


def select(
    tree: Tree, options: ExplorationOptions, prefer: frozenset = frozenset()
) -> tuple[list[tuple[list[Node], float]], Counter]:
    """The best root-to-leaf paths of a tree with their scores, and why others went.
    A path that holds a `prefer`red operation scores `PREFER_WEIGHT` more."""
    drops: Counter = Counter()
    paths = []
    for leaf in tree.leaves():
        path = leaf.path()
        if len(path) < options.min_depth:
            drops[f"shorter than min depth {options.min_depth}"] += 1
        else:
            paths.append(path)
    chosen: list[tuple[list[Node], float]] = []
    seen_ops: set[str] = set()
    seen_moves: set[tuple[str, str]] = set()
    while paths and len(chosen) < options.max_selected:
        scored = [
            (_score(p, options, seen_ops, seen_moves, prefer), i)
            for i, p in enumerate(paths)
        ]
        score, best = max(scored, key=lambda s: (s[0], -s[1]))
        path = paths.pop(best)
        names = _names(path)
        if any(
            _similarity(names, _names(kept)) > options.similarity_threshold
            for kept, _ in chosen
        ):
            drops["near-duplicate path"] += 1
            continue
        chosen.append((path, round(score, 4)))
        seen_ops.update(names)
        seen_moves.update(zip(names, names[1:]))
    return chosen, drops


def _names(path: list[Node]) -> list[str]:
    return [node.step.operation for node in path]


def _score(
    path: list[Node],
    options: ExplorationOptions,
    seen_ops: set[str],
    seen_moves: set[tuple[str, str]],
    prefer: frozenset = frozenset(),
) -> float:
    names = _names(path)
    moves = list(zip(names, names[1:]))
    novel = sum(n not in seen_ops for n in names) + sum(
        m not in seen_moves for m in moves
    )
    return (
        DEPTH_WEIGHT * len(names) / options.max_depth
        + DIVERSITY_WEIGHT * len(set(names)) / len(names)
        + NOVELTY_WEIGHT * novel / (len(names) + len(moves))
        + PREFER_WEIGHT * bool(prefer.intersection(names) - seen_ops)
    )


def _similarity(first: list[str], second: list[str]) -> float:
    return SequenceMatcher(None, first, second, autojunk=False).ratio()
