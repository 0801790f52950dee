"""`TrajectorySampler`: verified multi-step trajectories from this package.

It walks the package's dependency graph (`dag.json`): the next call is
drawn among operations whose bound parameters the session can resolve
from earlier answers (calls that use a fresh answer weigh more), the rest
of each request is filled from the schemas by a seeded generator, and the
call runs against the sandbox: in process by default, over HTTP when
given the URL of a served sandbox. Trajectories come from AgentFlow-style
trees (`exploration.py`). Tree `i` has a focus, the `i`-th operation in
turn, and starts with one of the start operations nearest to it (taken
in turn too); its walk favours what leads to the focus (producers of the
values it still lacks, then the focus itself once its best producers have
answered), disfavours repeats within the tree and calls that could only
use an unproven producer's value, and selection favours a path that
reaches the focus. A parameter's best producers are confirmed ones, for a
path id those that work on the resource it names, and those whose call
named the item's parents. The seed of tree `i` derives from the sampler's
seed and `i`, so any worker can grow any tree and get the same bytes.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .app import Sandbox, load_sandbox
from .catalog import Operation
from .dependencies import depth, load_dag
from .executors import HttpExecutor, InProcessExecutor
from .exploration import ExplorationOptions, Failed, Node, grow, select
from .requests import RequestBuilder
from .session import (
    SessionStateManager,
    Source,
    Target,
    UnresolvableParameterError,
)
from .store import TaskState
from .trajectory import Step, Trajectory

FOLLOW_WEIGHT = 4.0  # a call that uses an earlier answer, against 1 for a producer
ISOLATED_WEIGHT = 0.5  # a call that neither uses nor produces anything
FOCUS_WEIGHT = (
    1000.0  # the tree's focus operation, once its best producers have answered
)
GUIDE_WEIGHT = (
    25.0  # an operation on the way to the focus (a producer of what it needs)
)
FALLBACK_WEIGHT = 0.25  # a call that could only use a value from an unproven producer
TREE_REPEAT = (
    0.5  # each earlier call of an operation in the same tree divides by 1 + this
)
GUIDE_DEPTH = 4  # how many producer hops back from the focus guide the walk
MAX_BARREN_TREES = 1000  # trees in a row without a trajectory before `sample` gives up


@dataclass
class TreeResult:
    """The trajectories selected from one tree and what happened growing it."""

    index: int
    trajectories: list[Trajectory]
    drops: Counter = field(default_factory=Counter)
    executed: int = 0
    tried: Counter = field(default_factory=Counter)  # operation -> calls made
    failed: dict[str, Counter] = field(default_factory=dict)  # operation -> statuses
    produced: set = field(default_factory=set)  # (operation, pointer) ever stored
    focus: str | None = None  # the operation this tree steers towards


class TrajectorySampler:
    """Samples trajectories of this package's sandbox; see the module docstring."""

    def __init__(
        self,
        sandbox: Sandbox | None = None,
        dag: nx.DiGraph | None = None,
        *,
        seed: int = 0,
        fixtures: int = 0,
        base_url: str | None = None,
        options: ExplorationOptions | None = None,
    ) -> None:
        self.sandbox = sandbox or load_sandbox(seed=seed)
        self.dag = dag if dag is not None else load_dag(__package__)
        self.seed = seed
        self.fixtures = fixtures
        self.options = options or ExplorationOptions()
        engine = self.sandbox.engine
        self.operations = engine.operations
        self.requests = RequestBuilder(engine)
        self.executor = (
            HttpExecutor(base_url, engine) if base_url else InProcessExecutor(engine)
        )
        empty = SessionStateManager()
        self.order = sorted(self.operations)
        self.starts = [
            name
            for name in self.order
            if empty.resolvable(self.operations[name], self.dag)
        ]
        self._needs: dict[str, tuple] = {}
        self._prefer: dict[str, dict] = {}
        self._guides: dict[str, dict[str, int]] = {}
        self._buffer: deque[Trajectory] = deque()
        self._next_tree = 0
        self._result: TreeResult | None = None

    def depth(self) -> int:
        """Longest path of the verified dependency graph, in edges."""
        return depth(self.dag)

    def sample(self) -> Trajectory:
        """The next trajectory of this sampler's stream."""
        barren = 0
        while not self._buffer:
            if barren >= MAX_BARREN_TREES:
                raise RuntimeError(f"{barren} trees in a row gave no trajectory")
            self._buffer.extend(self.explore(self._next_tree).trajectories)
            self._next_tree += 1
            barren += 1
        return self._buffer.popleft()

    def explore(self, index: int) -> TreeResult:
        """Grow tree `index` and select its trajectories."""
        if not self.starts:
            reason = "no operation can start: every one needs a value nobody produced"
            return TreeResult(index, [], Counter({reason: 1}))
        tree_seed = f"{self.seed}:{index}"
        rng = random.Random(tree_seed)
        focus, start = self.plan(index)
        self._result = result = TreeResult(index, [], focus=focus)
        tree = grow(self, start, rng, self.options)
        chosen, dropped = select(tree, self.options, prefer=frozenset({focus}))
        result.trajectories = [
            Trajectory(tuple(n.step for n in path), index, tree_seed, score)
            for path, score in chosen
        ]
        result.drops = tree.drops + dropped
        result.executed = tree.executed
        return result

    def plan(self, index: int) -> tuple[str, str]:
        """Tree `index`'s focus (operations in turn) and its start: in turn, one
        of the start operations nearest to the focus, else the `index`-th start."""
        focus = self.order[index % len(self.order)]
        guide = self.guide(focus)
        leads = sorted((guide[name], name) for name in self.starts if name in guide)
        leads = [name for hops, name in leads if hops == leads[0][0]] if leads else []
        if not leads:
            return focus, self.starts[index % len(self.starts)]
        return focus, leads[(index // len(self.order)) % len(leads)]

    def guide(self, focus: str) -> dict[str, int]:
        """The focus and its producers, transitively: operation -> hops to the
        focus (a preferred producer is one hop away, any other two)."""
        found = self._guides.get(focus)
        if found is None:
            found = self._guides[focus] = {focus: 0}
            frontier = [focus]
            while frontier:
                reached: dict[str, int] = {}
                for name in frontier:
                    for preferred, sources in self.needs(name):
                        for source in sources:
                            hops = found[name] + (1 if source in preferred else 2)
                            if hops <= GUIDE_DEPTH and source.producer not in found:
                                reached[source.producer] = min(
                                    hops, reached.get(source.producer, hops)
                                )
                found.update(reached)
                frontier = sorted(reached)
        return found

    def needs(self, name: str) -> tuple[tuple[frozenset, tuple[Source, ...]], ...]:
        """For each parameter `name` must resolve: the producers to wait for and
        all of them (see `_best_sources`)."""
        found = self._needs.get(name)
        if found is None:
            self._prefer[name] = self._preferences(name)
            found = self._needs[name] = tuple(
                (self._prefer[name][t.key], t.sources)
                for t in SessionStateManager().targets(self.operations[name], self.dag)
                if t.required
            )
        return found

    def _preferences(self, name: str) -> dict:
        op = self.operations[name]
        targets = SessionStateManager().targets(op, self.dag)
        paths = {p.name for p in op.params if p.location == "path"}
        return {t.key: self._best_sources(op, t, paths - {t.name}) for t in targets}

    def _best_sources(self, op: Operation, target: Target, parents: set) -> frozenset:
        """The sources of a parameter that rank best: confirmed; for a path
        parameter, made by an operation on the resource it names (or one that
        holds the same items); then from a call whose path named most of the
        consumer's other path parameters (the item's parents)."""
        resources = self.sandbox.engine.resources
        owner = next(
            (r for r, keys in op.scopes if keys and keys[-1] == target.name), None
        )
        same = {owner, *resources[owner].aliases} if owner in resources else set()

        def rank(source: Source) -> tuple:
            producer = self.operations.get(source.producer)
            if producer is None or target.location != "path":
                return (source.confirmed,)
            named = {p.name for p in producer.params if p.location == "path"}
            return (
                source.confirmed,
                bool(same & {producer.resource, producer.produces}),
                len(parents & named),
            )

        ranks = [rank(s) for s in target.sources]
        best = max(ranks, default=None)
        return frozenset(s for s, r in zip(target.sources, ranks) if r == best)

    def ready(self, name: str, session: SessionStateManager) -> bool:
        """Whether every parameter `name` needs has a value from a preferred producer."""
        return all(
            any(session.has(s.producer, s.pointer) for s in preferred)
            for preferred, _ in self.needs(name)
        )

    def wanted(self, focus: str, session: SessionStateManager) -> set[str]:
        """Producers of what the focus still lacks, and of what they lack in turn:
        preferred producers first, any producer where no preferred one can run."""
        found: set[str] = set()
        frontier = [focus]
        for _ in range(GUIDE_DEPTH):
            lacking = []
            for name in frontier:
                for preferred, sources in self.needs(name):
                    if any(session.has(s.producer, s.pointer) for s in preferred):
                        continue
                    producers = sorted({s.producer for s in preferred})
                    if not any(session.resolvable(p, self.dag) for p in producers):
                        producers = sorted({s.producer for s in sources})
                    for producer in producers:
                        if producer not in found:
                            found.add(producer)
                            if not session.resolvable(producer, self.dag):
                                lacking.append(producer)
            frontier = lacking
            if not frontier:
                break
        return found

    # -- the World of exploration.py ----------------------------------------

    def start(self, rng: random.Random) -> tuple[TaskState, SessionStateManager]:
        state = TaskState(seed=rng.getrandbits(32))
        if self.fixtures:
            self.sandbox.engine.populate(state, self.fixtures)
        return state, SessionStateManager()

    def candidates(
        self, node: Node | None, session: SessionStateManager
    ) -> list[tuple[str, float]]:
        """Resolvable operations; those using an earlier answer weigh most, then
        the tree's focus and what leads to it; repeats in the path or the tree,
        and calls that could only use an unproven producer's value, weigh less."""
        used = Counter(n.step.operation for n in node.path()) if node else Counter()
        tried = self._result.tried
        focus = self._result.focus
        wanted = self.wanted(focus, session) if not used[focus] else set()
        weighted = []
        for name in self.order:
            op = self.operations[name]
            if not session.resolvable(op, self.dag):
                continue
            if any(
                session.has(s.producer, s.pointer)
                for t in session.targets(op, self.dag)
                for s in t.sources
            ):
                weight = FOLLOW_WEIGHT
            elif self.dag.out_degree(name):
                weight = 1.0
            else:
                weight = ISOLATED_WEIGHT
            if name == focus and not used[name]:
                ready = self.ready(name, session)
                weight *= FOCUS_WEIGHT if ready else GUIDE_WEIGHT
            elif name in wanted and not used[name]:
                weight *= GUIDE_WEIGHT
            elif not self.ready(name, session):
                weight *= FALLBACK_WEIGHT
            weight /= (1 + 2 * used[name]) * (1 + TREE_REPEAT * tried[name])
            weighted.append((name, weight))
        return weighted

    def step(
        self,
        state: TaskState,
        session: SessionStateManager,
        operation: str,
        rng: random.Random,
    ) -> tuple[Step, TaskState, SessionStateManager] | Failed:
        op = self.operations[operation]
        result = self._result
        result.tried[operation] += 1
        try:
            self.needs(operation)
            resolved = session.resolve_params(
                op, self.dag, rng, prefer=self._prefer[operation]
            )
        except UnresolvableParameterError as exc:
            return Failed(str(exc))
        unbound = tuple(
            t.name
            for t in session.targets(op, self.dag)
            if t.location == "body" and t.key not in resolved
        )
        request = self.requests.build(operation, resolved, rng, unbound=unbound)
        executed = self.executor.run(state, request)
        if not 200 <= executed.status < 300:
            result.failed.setdefault(operation, Counter())[executed.status] += 1
            return Failed(f"{operation} answered {executed.status}")
        after = session.fork()
        after.record(operation, executed.body, self.dag, request.params.get("path", {}))
        if op.role == "delete":
            for resource, params in op.scopes:
                if resource == op.resource and params:
                    after.forget(request.params.get("path", {}).get(params[-1]))
        result.produced.update(after.keys())
        step = Step(
            operation,
            op.method,
            request.path,
            request.arguments,
            {
                "query": request.params.get("query", {}),
                "headers": request.params.get("header", {}),
                "cookies": request.params.get("cookie", {}),
                "body": request.body,
            },
            executed.status,
            executed.body,
            executed.change,
        )
        return step, executed.state, after
