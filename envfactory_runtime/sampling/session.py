"""`SessionStateManager`: values that earlier calls answered, for later calls.

A trajectory may only use an id that an earlier response of the same
trajectory returned. The manager keeps every value found in a response at
a pointer some dependency edge reads (`store`/`record`), and
`resolve_params` fills an operation's parameters from them, following the
package's dependency graph: producers of confirmed edges first, those of
unconfirmed edges as a fallback (an unproven dependency still beats an
invented value).

A parameter must be resolved (else `UnresolvableParameterError`) when it
is a path parameter, a required parameter, or bound by a confirmed edge
(unless `leave_out` declared it a body field the request may go without);
other bound parameters are resolved when a value exists and left out
otherwise. Each stored value remembers the path parameters of the call
that produced it, so `/users/{userId}/orders/{orderId}` gets an order
together with the user it belongs to: the item id is resolved first,
preferring values produced under the parents the path still needs, and
its parents (bound or not) come from that call's scope.
"""

from __future__ import annotations

import random
import weakref
from dataclasses import dataclass
from typing import Any, Mapping

import networkx as nx

from ..pointers import find

__all__ = [
    "SessionStateManager",
    "Source",
    "Target",
    "UnresolvableParameterError",
    "leave_out",
]

Key = tuple[str, str]  # (location, name); body fields are ("body", JSON pointer)


class UnresolvableParameterError(LookupError):
    """No earlier response holds a value for a parameter that needs one."""

    def __init__(self, endpoint: str, parameter: Key, producers: tuple[str, ...]):
        self.endpoint = endpoint
        self.parameter = parameter
        self.producers = producers
        tried = ", ".join(producers[:4]) if producers else "none in dag.json"
        if len(producers) > 4:
            tried += f" and {len(producers) - 4} more"
        super().__init__(
            f"{endpoint}: no value for {parameter[0]} parameter {parameter[1]!r}"
            f" (producers tried: {tried})"
        )


@dataclass(frozen=True)
class Source:
    """Where a producer's response holds the value (a JSON pointer)."""

    producer: str
    pointer: str
    confirmed: bool


@dataclass(frozen=True)
class Target:
    """A parameter that dependency edges bind, with its producers (confirmed first)."""

    location: str
    name: str
    required: bool
    sources: tuple[Source, ...]

    @property
    def key(self) -> Key:
        return (self.location, self.name)


@dataclass(frozen=True)
class _Produced:
    value: Any
    scope: tuple[tuple[str, Any], ...]  # path parameters of the producing call
    order: int


_TABLES: "weakref.WeakKeyDictionary[nx.DiGraph, _Tables]" = weakref.WeakKeyDictionary()


class SessionStateManager:
    """Values extracted from responses, keyed by (operation, JSON pointer)."""

    def __init__(self) -> None:
        self._values: dict[Key, list[_Produced]] = {}
        self._order = 0

    # -- the store ----------------------------------------------------------

    def store(
        self, endpoint_id: str, field_name: str, value: Any, *, scope: dict = None
    ) -> None:
        """Keep `value`, found at pointer `field_name` of `endpoint_id`'s answer."""
        self._order += 1
        produced = _Produced(value, tuple(sorted((scope or {}).items())), self._order)
        self._values.setdefault((endpoint_id, field_name), []).append(produced)

    def get(self, endpoint_id: str, field_name: str) -> Any:
        """The latest value stored for the pair; KeyError if there is none."""
        return self._values[(endpoint_id, field_name)][-1].value

    def has(self, endpoint_id: str, field_name: str) -> bool:
        return bool(self._values.get((endpoint_id, field_name)))

    def all_values(self) -> dict[Key, Any]:
        """The latest value of every (operation, pointer), in a stable order."""
        return {key: items[-1].value for key, items in sorted(self._values.items())}

    @property
    def produced(self) -> bool:
        """Whether any earlier answer held a value (even one since forgotten)."""
        return self._order > 0

    def keys(self) -> set[Key]:
        return set(self._values)

    def record(self, endpoint_id: str, body: Any, dag: nx.DiGraph, scope: dict) -> None:
        """Store what dependency edges read from `endpoint_id`'s answer `body`."""
        for pointer in _tables(dag).pointers(endpoint_id):
            value = _at(body, pointer)
            if value is not _MISSING and value is not None:
                self.store(endpoint_id, pointer, value, scope=scope)

    def forget(self, value: Any) -> None:
        """Drop every stored copy of `value` (its item was deleted)."""
        text = str(value)
        for key in list(self._values):
            kept = [p for p in self._values[key] if str(p.value) != text]
            if kept:
                self._values[key] = kept
            else:
                del self._values[key]

    def fork(self) -> "SessionStateManager":
        """An independent copy, for a branch of a trajectory tree."""
        copy = SessionStateManager()
        copy._values = {key: list(items) for key, items in self._values.items()}
        copy._order = self._order
        return copy

    # -- resolution ---------------------------------------------------------

    def targets(self, endpoint: Any, dag: nx.DiGraph) -> tuple[Target, ...]:
        """The parameters of `endpoint` (an `Operation` or its name) that edges bind."""
        return _tables(dag).targets(endpoint)

    def resolvable(self, endpoint: Any, dag: nx.DiGraph) -> bool:
        """Whether `resolve_params` would succeed (cheap: no values are chosen)."""
        return all(
            any(self._values.get((s.producer, s.pointer)) for s in target.sources)
            for target in self.targets(endpoint, dag)
            if target.required
        )

    def resolve_params(
        self,
        endpoint: Any,
        dag: nx.DiGraph,
        rng: random.Random | None = None,
        *,
        prefer: Mapping[Key, frozenset] | None = None,
    ) -> dict[Key, Any]:
        """Values for the bound parameters of `endpoint`, from stored state.

        Returns {(location, name): value}, body fields as ("body", pointer).
        Without `rng` the latest value wins; with it, one is drawn at random.
        `prefer` names, per parameter, the sources whose values are tried
        before any other. A path parameter no edge binds takes the value its
        sibling ids were produced under (the `addon` an instance was made in).
        """
        name = getattr(endpoint, "name", endpoint)
        resolved: dict[Key, Any] = {}
        scope: dict[str, Any] = {}
        targets = self.targets(endpoint, dag)
        path_names = {t.name for t in targets if t.location == "path"}
        path_names.update(
            p.name for p in getattr(endpoint, "params", ()) if p.location == "path"
        )
        for target in targets:
            if target.location == "path" and target.name in scope:
                resolved[target.key] = scope[target.name]
                continue
            first = prefer.get(target.key, ()) if prefer else ()
            candidates = _consistent(self._candidates(target, first), scope)
            if target.location == "path":
                wanted = path_names - set(scope) - {target.name}
                candidates = _covering(candidates, wanted)
            if not candidates:
                if target.required:
                    producers = tuple(dict.fromkeys(s.producer for s in target.sources))
                    raise UnresolvableParameterError(name, target.key, producers)
                continue
            chosen = candidates[-1] if rng is None else rng.choice(candidates)
            resolved[target.key] = chosen.value
            for param, value in chosen.scope:
                scope.setdefault(param, value)
            if target.location == "path":
                scope[target.name] = chosen.value
        for param in sorted(path_names):
            if ("path", param) not in resolved and param in scope:
                resolved[("path", param)] = scope[param]
        return resolved

    def _candidates(self, target: Target, first: Any = ()) -> list[_Produced]:
        """Values from the `first` sources, else from confirmed producers, else
        from unconfirmed ones, oldest first."""
        tiers = (
            [s for s in target.sources if s in first],
            [s for s in target.sources if s.confirmed],
            [s for s in target.sources if not s.confirmed],
        )
        for sources in tiers:
            found = [
                produced
                for source in sources
                for produced in self._values.get((source.producer, source.pointer), ())
            ]
            if found:
                return sorted(found, key=lambda p: p.order)
        return []


def _consistent(candidates: list[_Produced], scope: dict[str, Any]) -> list[_Produced]:
    """Prefer values produced under the parent ids already chosen."""
    if not scope:
        return candidates
    agreeing = [
        p for p in candidates if all(str(scope.get(k, v)) == str(v) for k, v in p.scope)
    ]
    return agreeing or candidates


def _covering(candidates: list[_Produced], wanted: set[str]) -> list[_Produced]:
    """Prefer values whose producing call named most of the parent ids still wanted:
    an activity listed under `/{ws}/members/{member_id}/activities` comes with the
    member it belongs to, one listed under `/{ws}/activities` does not."""
    if not wanted or len(candidates) < 2:
        return candidates
    covered = [len(wanted.intersection(k for k, _ in p.scope)) for p in candidates]
    best = max(covered)
    return [p for p, n in zip(candidates, covered) if n == best]


def leave_out(dag: nx.DiGraph, optional: Mapping[str, Any]) -> None:
    """Declare, per consumer, the parameters it need not wait for: body fields
    (("body", pointer) keys) its schema does not require, and parameters its
    schema fixes (a one-member enum: ARM's `{tableAuditingPolicyName}` is
    `default`). A confirmed edge that binds one fills it when a value exists,
    and otherwise the request goes without it (or with the fixed value)
    instead of waiting (a member's optional `RoleSid` does not hold back
    creating the member)."""
    tables = _tables(dag)
    for name, keys in optional.items():
        tables.optional[name] = frozenset(keys)
    tables._targets.clear()


class _Tables:
    """Per-graph lookups, computed once: targets per consumer, pointers per producer."""

    def __init__(self, dag: nx.DiGraph) -> None:
        self.dag = dag
        self._targets: dict[Any, tuple[Target, ...]] = {}
        self._pointers: dict[str, tuple[str, ...]] = {}
        self.optional: dict[str, frozenset] = {}

    def targets(self, endpoint: Any) -> tuple[Target, ...]:
        cache_key = (getattr(endpoint, "name", endpoint), isinstance(endpoint, str))
        found = self._targets.get(cache_key)
        if found is None:
            found = self._targets[cache_key] = _build_targets(
                self.dag, endpoint, self.optional.get(cache_key[0], frozenset())
            )
        return found

    def pointers(self, producer: str) -> tuple[str, ...]:
        found = self._pointers.get(producer)
        if found is None:
            found = self._pointers[producer] = tuple(
                sorted(
                    {
                        binding["source"]
                        for _, _, data in self.dag.out_edges(producer, data=True)
                        for binding in data.get("bindings") or ()
                    }
                )
            )
        return found


def _tables(dag: nx.DiGraph) -> _Tables:
    tables = _TABLES.get(dag)
    if tables is None:
        tables = _TABLES[dag] = _Tables(dag)
    return tables


def _build_targets(
    dag: nx.DiGraph, endpoint: Any, optional: frozenset = frozenset()
) -> tuple[Target, ...]:
    name = getattr(endpoint, "name", endpoint)
    required_params = {
        (p.location, p.name) for p in getattr(endpoint, "params", ()) if p.required
    }
    sources: dict[Key, list[Source]] = {}
    if name in dag:
        for producer, _, data in sorted(dag.in_edges(name, data=True)):
            for binding in data.get("bindings") or ():
                key = _binding_key(binding)
                source = Source(
                    producer, binding["source"], bool(data.get("confirmed"))
                )
                sources.setdefault(key, []).append(source)
    targets = [
        Target(
            key[0],
            key[1],
            key not in optional
            and (
                key[0] == "path"
                or key in required_params
                or any(s.confirmed for s in found)
            ),
            tuple(sorted(found, key=lambda s: not s.confirmed)),
        )
        for key, found in sources.items()
    ]
    path = getattr(endpoint, "path", "")
    return tuple(sorted(targets, key=lambda t: _resolution_order(t, path)))


def _resolution_order(target: Target, path: str) -> tuple:
    """Deepest path parameter first (it fixes its parents), then the rest by name."""
    if target.location != "path":
        return (1, 0, target.location, target.name)
    return (0, -path.find("{" + target.name + "}"), target.location, target.name)


def _binding_key(binding: dict) -> Key:
    if binding.get("in") == "body":
        return ("body", binding.get("field") or "/" + binding["name"])
    return (binding.get("in", "path"), binding["name"])


class _Missing:
    pass


_MISSING: Any = _Missing()


def _at(body: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or `_MISSING`."""
    return find(body, pointer, _MISSING)
