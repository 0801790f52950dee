"""Guidance: what leads a sampler's walk to a tree's focus operation.

`Guidance` is the half of `TrajectorySampler` that reads the dependency
graph and the sandbox's tables, and never runs a call: the order in which
trees take their focus, where a tree starts, which producers a parameter
should wait for (`needs`), which operations lead to the focus and how far
(`guide`), and, given what a path has run so far, which of them the focus
still wants (`wanted`). A list leads somewhere only once something filled
it; an item that only an upsert makes is read after the upsert; a nested
item nothing creates is found through the lists that return seeded ones.
"""

from __future__ import annotations

import networkx as nx

from ..sandbox.app import Sandbox
from ..sandbox.catalog import Operation
from .session import SessionStateManager, Source, Target

GUIDE_DEPTH = 4  # how many producer hops back from the focus guide the walk


class Guidance:
    """Mixed into `TrajectorySampler`, which sets these attributes."""

    operations: dict[str, Operation]
    order: list[str]  # every operation, by name
    starts: list[str]  # operations an empty session can resolve
    dag: nx.DiGraph
    sandbox: Sandbox

    def __init__(self) -> None:
        self._needs: dict[str, tuple] = {}
        self._prefer: dict[str, dict] = {}
        self._guides: dict[str, dict[str, int]] = {}
        self._fillers: dict[str, tuple[str, ...]] = {}
        self._focuses: list[str] | None = None

    def focuses(self) -> list[str]:
        """The operations in the order trees focus on them: first those that
        lead to no other operation (only a tree of their own steers to them),
        then those on the way to others (often covered on the way); in each
        group the farthest from any start operation first, those no start leads
        to last, then by name."""
        if self._focuses is None:
            on_the_way = {
                name
                for focus in self.order
                for name in self.guide(focus)
                if name != focus
            }

            def far(name: str) -> tuple:
                guide = self.guide(name)
                hops = [guide[start] for start in self.starts if start in guide]
                if not hops:
                    return (1, 0, 0, name)
                return (0, name in on_the_way, -min(hops), name)

            self._focuses = sorted(self.order, key=far)
        return self._focuses

    def plan(self, index: int) -> tuple[str, str]:
        """Tree `index`'s focus (operations in turn, see `focuses`) and its start:
        in turn, one of the start operations nearest to the focus, else the
        `index`-th start."""
        focus = self.focuses()[index % len(self.order)]
        guide = self.guide(focus)
        wanted = self.wanted(focus, SessionStateManager())
        leads = sorted(
            (name not in wanted, guide[name], name)
            for name in self.starts
            if name in guide
        )
        leads = [lead[2] for lead in leads if lead[:2] == leads[0][:2]]
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
                            leads = [(source.producer, hops)] + [
                                (filler, hops + 1)
                                for filler in self.fillers(source.producer)
                            ]
                            for producer, far in leads:
                                if far <= GUIDE_DEPTH and producer not in found:
                                    reached[producer] = min(
                                        far, reached.get(producer, far)
                                    )
                found.update(reached)
                frontier = sorted(reached)
        return found

    def fillers(self, name: str) -> tuple[str, ...]:
        """For a list: the operations that add items to what it lists (its
        resource's creates), without which it answers nothing to use."""
        found = self._fillers.get(name)
        if found is None:
            op = self.operations[name]
            found = ()
            if op.role == "list" and op.resource:
                found = tuple(o for o in self.makers(op.resource) if o != name)
            self._fillers[name] = found
        return found

    def makers(self, resource_name: str) -> tuple[str, ...]:
        """The operations that add items to a resource: its creates and upserts,
        and actions that answer with one of its items (not one their path names:
        that item must be there already)."""
        resource = self.sandbox.engine.resources.get(resource_name)
        same = {resource_name, *(resource.aliases if resource else ())}
        return tuple(
            other
            for other in self.order
            if self.operations[other].produces in same
            and not any(r in same for r, _ in self.operations[other].scopes)
            or self.operations[other].resource in same
            and (
                self.operations[other].role == "create" or self.operations[other].upsert
            )
        )

    def seeded_only(self, name: str) -> bool:
        """Whether `name` works on items of a nested resource that no operation
        adds to: only the seeded items (under seeded parents) are there."""
        op = self.operations[name]
        nested = any(p.location == "path" for p in op.params)
        return (
            nested
            and op.role in ("list", "read", "update", "delete")
            and bool(op.resource)
            and not self.makers(op.resource)
        )

    def puts(self, name: str) -> tuple[str, ...]:
        """For a read, update or delete of an item that only an upsert can make
        (`PUT /me/followings/{user_id}`, `POST /likes/tracks/{track_id}`): the
        upserts, which must name the item first."""
        op = self.operations[name]
        if op.role not in ("read", "update", "delete") or op.upsert or not op.resource:
            return ()
        same = [self.operations[other] for other in self.order if other != name]
        same = [o for o in same if o.resource == op.resource]
        if any(o.role == "create" for o in same):
            return ()
        return tuple(o.name for o in same if o.upsert)

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
        return {
            t.key: self._best_sources(op, t, _ancestors(op, t.name)) for t in targets
        }

    def _best_sources(self, op: Operation, target: Target, parents: set) -> frozenset:
        """The sources of a parameter that rank best: confirmed; for a path
        parameter (or a reference field), made by an operation on the resource
        it names (or one that holds the same items); then, for a path parameter,
        from a call whose path named most of the
        path parameters before it in the consumer's path (the item's parents:
        a `{Sid}` after it names another item, whatever the producer calls `Sid`)."""
        resources = self.sandbox.engine.resources
        owner = next(
            (r for r, keys in op.scopes if keys and keys[-1] == target.name), None
        )
        if target.location != "path":  # a reference field names its resource
            field = target.name.lstrip("/") if target.location == "body" else None
            refs = dict(op.references)
            if op.resource in resources:
                refs.update(dict(resources[op.resource].references))
            owner = refs.get(field or target.name)
        same = {owner, *resources[owner].aliases} if owner in resources else set()

        def rank(source: Source) -> tuple:
            producer = self.operations.get(source.producer)
            if producer is None:
                return (source.confirmed,)
            if target.location != "path":
                return (
                    source.confirmed,
                    bool(same & {producer.resource, producer.produces}),
                )
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

    def wanted(
        self, focus: str, session: SessionStateManager, done: tuple[str, ...] = ()
    ) -> set[str]:
        """Producers of what the focus still lacks, and of what they lack in turn:
        preferred producers (and any other that can run where none of them
        can). A list is no use until something fills it: where the path (`done`,
        the operations run so far) called it and filled nothing since, or where
        it is nested and what fills it can run (the parent may well be new), what
        fills it is wanted instead, and once filled it is wanted again. What
        only seeded items answer (`seeded_only`) wants its ids from lists, and
        so do those lists in turn (a new parent holds no seeded child)."""
        last = {name: index for index, name in enumerate(done)}
        found: set[str] = set()
        puts = self.puts(focus)  # the only way an item gets into what it reads
        if puts and not any(name in last for name in puts):
            found.update(name for name in puts if session.resolvable(name, self.dag))
        frontier = [focus]
        seeded = {focus} if self.seeded_only(focus) else set()
        for _ in range(GUIDE_DEPTH):
            lacking = []
            for name in frontier:
                for preferred, sources in self.needs(name):
                    if any(session.has(s.producer, s.pointer) for s in preferred):
                        continue
                    producers = sorted({s.producer for s in preferred})
                    if name in seeded:
                        lists = [
                            p for p in producers if self.operations[p].role == "list"
                        ] or sorted(
                            {s.producer for s in sources}
                            & {
                                p
                                for p in self.order
                                if self.operations[p].role == "list"
                            }
                        )
                        producers = lists or producers
                    if not any(session.resolvable(p, self.dag) for p in producers):
                        producers += sorted(
                            {s.producer for s in sources}
                            - set(producers)
                            - {
                                p
                                for p in (s.producer for s in sources)
                                if not session.resolvable(p, self.dag)
                            }
                        )
                    for producer in list(producers):
                        fillers = self.fillers(producer)
                        if not fillers or name in seeded:
                            continue
                        since = last.get(producer, -1)
                        if not any(last.get(f, -1) > since for f in fillers):
                            producers += [f for f in fillers if f not in producers]
                            nested = any(
                                p.location == "path"
                                for p in self.operations[producer].params
                            )
                            if producer in last or (
                                nested
                                and any(
                                    session.resolvable(f, self.dag) for f in fillers
                                )
                            ):
                                producers.remove(producer)
                    for producer in producers:
                        if producer not in found:
                            found.add(producer)
                            if not session.resolvable(producer, self.dag):
                                lacking.append(producer)
                                if name in seeded or self.seeded_only(producer):
                                    seeded.add(producer)
            frontier = lacking
            if not frontier:
                break
        return found

    # -- the World of exploration.py ----------------------------------------


def _ancestors(op: Operation, name: str) -> set[str]:
    """The path parameters before `{name}` in the operation's path."""
    at = op.path.find("{" + name + "}")
    return {
        p.name
        for p in op.params
        if p.location == "path" and 0 <= op.path.find("{" + p.name + "}") < at
    }
