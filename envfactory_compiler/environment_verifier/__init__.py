"""Stage 3: confirm inferred dependencies by executing them.

For an edge producer -> consumer: run the producer (after whatever it needs
itself), feed the value it answered to the consumer (must answer 2xx), then,
in a fresh task with the same prerequisites, feed the consumer a value no
producer made (must answer 4xx). Both must hold for the edge to be
confirmed; otherwise it is kept as unconfirmed, with the reason.

Runs in process against the emitted package by default, or over HTTP
against any base URL (the served sandbox or the real API).
"""

from __future__ import annotations

import dataclasses
import functools
import random
import uuid
from pathlib import Path
from typing import Any

import networkx as nx

from ..dependency_inference.schemas import is_array, items
from ..diagnostics import pointer_split
from ..ir import EndpointDef, NormalizedSpec, Role
from ..schema_ingestion.normalization import deref
from ..schema_ingestion.resources import properties
from .calls import Request, RequestFactory, security_credentials
from .dag import EdgeVerdict, VerifiedDAG
from .executors import Executor, HttpExecutor, InProcessExecutor
from .sandbox_runtime import load_engine, load_package_engine

__all__ = ["EnvironmentVerifier", "VerifiedDAG", "EdgeVerdict"]

MAX_CHAIN = 4


class EnvironmentVerifier:
    """Executes every inferred edge twice: with the produced value and with a foreign one."""

    def __init__(self, executor: Executor, *, seed: int = 0) -> None:
        self.executor = executor
        self.seed = seed

    @classmethod
    def in_process(cls, module_dir: Path, *, seed: int = 0) -> "EnvironmentVerifier":
        """Verify against the built package whose import directory is `module_dir`."""
        return cls(
            InProcessExecutor(load_package_engine(Path(module_dir), seed=seed)),
            seed=seed,
        )

    @classmethod
    def for_tables(
        cls, document: dict, tables: dict, *, seed: int = 0
    ) -> "EnvironmentVerifier":
        """Verify a package not yet written: its bundled document and tables, the compiler's runtime."""
        return cls(
            InProcessExecutor(load_engine(document, tables, seed=seed)),
            seed=seed,
        )

    @classmethod
    def over_http(
        cls, spec: NormalizedSpec, base_url: str, *, seed: int = 0
    ) -> "EnvironmentVerifier":
        operations = {e.name: (e.method, e.path) for e in spec.endpoints}
        return cls(HttpExecutor(base_url, operations), seed=seed)

    def verify(self, spec: NormalizedSpec, graph: nx.DiGraph) -> VerifiedDAG:
        run = _Run(self.executor, spec, graph, self.seed)
        verdicts = tuple(
            run.verdict(producer, consumer)
            for producer, consumer in sorted(graph.edges)
        )
        return VerifiedDAG(tuple(e.name for e in spec.endpoints), verdicts)


class _Run:
    """One verification pass over a graph."""

    def __init__(
        self, executor: Executor, spec: NormalizedSpec, graph: nx.DiGraph, seed: int
    ) -> None:
        self.executor = executor
        self.graph = graph
        self.seed = seed
        self.endpoints = {e.name: e for e in spec.endpoints}
        self.document = spec.document
        self.requests = RequestFactory(spec.document, security_credentials(spec))
        self._producer_runs: dict[
            tuple[str, tuple[str, ...]], tuple[str, int, Any, dict[str, Any]]
        ] = {}  # -> world, answer
        self._refusals: dict[tuple, int] = {}
        self._fingerprints: dict[str, str] = (
            {}
        )  # producer world -> `Executor.fingerprint`
        self._settled: dict[tuple, int] = {}  # (world, consumer, values) -> status
        # what the graph says of each consumer, worked out once (not per call)
        self._references: dict[str, list[str]] = {}
        self._producers: dict[tuple[str, str, str], tuple[str, dict] | None] = {}
        self._built: dict[tuple[str, str], Request] = {}

    def verdict(self, producer: str, consumer: str) -> EdgeVerdict:
        """The edge's verdict; where its bindings fail together, each is tried alone and the edge
        keeps those confirmed (`Activity.id` may hold while `included/1/id` names no member).
        """
        verdict = self.check(producer, consumer)
        if verdict.confirmed or len(verdict.bindings) < 2:
            return verdict
        alone = [
            self.check(producer, consumer, (binding,)) for binding in verdict.bindings
        ]
        kept = tuple(v.bindings[0] for v in alone if v.confirmed)
        if not kept:
            return verdict
        rejected = tuple(
            {**v.bindings[0], "reason": v.reason} for v in alone if not v.confirmed
        )
        return dataclasses.replace(
            verdict,
            bindings=kept,
            confirmed=True,
            rejected=rejected,
            outcome="confirmed",
            reason="confirmed for some bindings: produced value accepted, foreign value refused",
        )

    def check(
        self, producer: str, consumer: str, bindings: tuple[dict, ...] | None = None
    ) -> EdgeVerdict:
        data = self.graph.edges[producer, consumer]
        bindings = tuple(data.get("bindings") or ()) if bindings is None else bindings
        verdict = {
            "producer": producer,
            "consumer": consumer,
            "bindings": bindings,
            "evidence": tuple(data.get("evidence") or ()),
            "confidence": float(data.get("confidence") or 0.0),
        }
        sources = tuple(sorted({b["source"] for b in bindings}))
        task = f"verify:{producer}->{consumer}"
        if self.executor.forks:
            base, status, body, context = self._produced(producer, sources)
        else:  # a served API has no copy of a world: the producer runs in this task
            base, context = None, {}
            status, body = self._answer(producer, list(sources), task, context, depth=0)
        if not _ok(status):
            return EdgeVerdict(
                **verdict,
                confirmed=False,
                reason=f"producer {producer} answered {status}",
                outcome="producer_failed",
            )
        values = {b["name"]: _at(body, b["source"]) for b in bindings}
        missing = [b["source"] for b in bindings if values[b["name"]] is _MISSING]
        if missing:
            return EdgeVerdict(
                **verdict,
                confirmed=False,
                reason=f"producer answer has nothing at {missing[0]}",
                outcome="nothing_at_source",
            )
        status = self._consumed(consumer, task, base, context, bindings, values)
        if not _ok(status):
            return EdgeVerdict(
                **verdict,
                confirmed=False,
                reason=f"consumer answered {status} to the produced value",
                outcome="consumer_refused",
            )
        status = self._refused(consumer, bindings, values)
        if not 400 <= status < 500:
            return EdgeVerdict(
                **verdict,
                confirmed=False,
                reason=f"consumer answered {status} to a value no producer made",
                outcome="not_selective",
            )
        return EdgeVerdict(
            **verdict,
            confirmed=True,
            reason="confirmed: produced value accepted, foreign value refused",
            outcome="confirmed",
        )

    def _consumed(
        self,
        consumer: str,
        task: str,
        base: str | None,
        context: dict[str, Any],
        bindings: tuple[dict, ...],
        values: dict[str, Any],
    ) -> int:
        """The consumer's status for the produced values, in `task` (a copy of the
        producer's world `base`, if there is one).

        Execution cannot tell apart candidates that meet the consumer with the same values in
        the same world (a list and a read that both answer the seeded item): such a call is
        made once and its status reused, the world known by its fingerprint.
        """
        given, body_values = _given(bindings, values), _body_values(bindings, values)
        key = None
        if base is not None:
            if base not in self._fingerprints:
                self._fingerprints[base] = self.executor.fingerprint(base)
            key = (
                self._fingerprints[base],
                consumer,
                repr(sorted(given.items())),
                repr(sorted(body_values.items(), key=repr)),
                repr(sorted(context.items())),
            )
            if key in self._settled:
                return self._settled[key]
            self.executor.fork(
                base, task
            )  # only now: a world is copied for a call made
            context = dict(context)
        status, _ = self._call(
            consumer, task, context, given=given, depth=0, body_values=body_values
        )
        self.executor.discard(task)
        if key is not None:
            self._settled[key] = status
        return status

    def _produced(
        self, producer: str, sources: tuple[str, ...]
    ) -> tuple[str, int, Any, dict[str, Any]]:
        """The world right after the producer answered (what it needed made first): its task,
        the producer's status and answer, and the ids made on the way.

        The producer runs once, and every consumer starts from a copy of that world. Where its
        answer lacks one of `sources` (a list before any item exists), it runs again once per
        set of pointers, after an item is made for it: the plain run serves every set its answer
        already holds, since the same calls in a fresh world make the same world.
        """
        plain = self._producer_run(producer, ())
        if not _ok(plain[1]) or all(_at(plain[2], s) is not _MISSING for s in sources):
            return plain
        return self._producer_run(producer, sources)

    def _producer_run(
        self, producer: str, sources: tuple[str, ...]
    ) -> tuple[str, int, Any, dict[str, Any]]:
        key = (producer, sources)
        if key not in self._producer_runs:
            base = f"verify:{producer}:{'|'.join(sources)}"
            context: dict[str, Any] = {}
            status, body = self._answer(producer, list(sources), base, context, depth=0)
            self._producer_runs[key] = (base, status, body, context)
        return self._producer_runs[key]

    def _refused(
        self, consumer: str, bindings: tuple[dict, ...], values: dict[str, Any]
    ) -> int:
        """The consumer's status for values no producer made, in a fresh world prepared as usual.

        It depends only on which parameters are bound, so it is run once per consumer and binding set.
        """
        key = (
            consumer,
            tuple(
                sorted(
                    (b.get("in", ""), b["name"], b.get("field") or "") for b in bindings
                )
            ),
        )
        if key not in self._refusals:
            foreign = {name: _foreign(value) for name, value in values.items()}
            task = f"verify:{consumer}:foreign:{len(self._refusals)}"
            status, _ = self._call(
                consumer,
                task,
                {},
                given=_given(bindings, foreign),
                depth=0,
                body_values=_body_values(bindings, foreign),
            )
            self.executor.discard(task)
            self._refusals[key] = status
        return self._refusals[key]

    def _call(
        self,
        name: str,
        task: str,
        context: dict[str, Any],
        *,
        depth: int,
        given: dict[str, Any] | None = None,
        body_values: dict[tuple[str, str], Any] | None = None,
    ):
        """Run an operation after producing what its path and body references need.

        `given` fixes parameters by name; `context` holds the ids made so far in this world, keyed
        by what they identify (`_slot_key`), so a member's `{id}` never lands in an activity's.
        """
        endpoint = self.endpoints[name]
        given = given or {}
        body_values = dict(body_values or {})
        open_params = [
            p.name for p in endpoint.params_in("path") if p.name not in given
        ]
        context.update(
            {
                _slot_key(endpoint, p.name): given[p.name]
                for p in endpoint.params_in("path")
                if p.name in given
            }
        )
        if depth < MAX_CHAIN:
            for param in open_params:
                if _slot_key(endpoint, param) not in context:
                    value = self._produce(endpoint, "path", param, task, context, depth)
                    if value is not _MISSING:
                        context[_slot_key(endpoint, param)] = value
            for field in self._body_references(endpoint):
                if ("body", field) not in body_values:
                    value = self._produce(endpoint, "body", field, task, context, depth)
                    if value is not _MISSING:
                        body_values[("body", field)] = value
        known = {
            **{
                p: context[_slot_key(endpoint, p)]
                for p in open_params
                if _slot_key(endpoint, p) in context
            },
            **given,
        }
        if any(
            p not in known for p in open_params
        ):  # nothing produces it: an item the task was seeded with
            for param, value in self.executor.existing_key(task, name, known).items():
                context[_slot_key(endpoint, param)] = known[param] = value
        fixed = {
            (p.location, p.name): known[p.name]
            for p in endpoint.parameters
            if p.name in known and (p.location == "path" or p.name in given)
        }
        fixed.update(body_values)
        return self.executor.execute(task, self._request(endpoint, task, fixed))

    def _request(self, endpoint: EndpointDef, task: str, fixed: dict) -> Request:
        """The request for `endpoint` with `fixed` values, the rest seeded by
        the operation alone: every world gets the same request for the same
        fixed values, so it is generated once and copied after."""
        key = (endpoint.name, repr(sorted(fixed.items(), key=repr)))
        if key not in self._built:
            rng = random.Random(f"{self.seed}:{endpoint.name}")
            self._built[key] = self.requests.build(endpoint, fixed, rng)
        return self._built[key].copy()

    def _body_references(self, endpoint: EndpointDef) -> list[str]:
        """Body fields some edge fills (`Order.petId`), as pointers into the body."""
        if endpoint.name not in self._references:
            fields = {
                b.get("field") or "/" + b["name"]
                for producer in self.graph.predecessors(endpoint.name)
                for b in self.graph.edges[producer, endpoint.name].get("bindings") or ()
                if b.get("in") == "body"
            }
            self._references[endpoint.name] = sorted(fields)
        return self._references[endpoint.name]

    def _answer(
        self, producer: str, sources: list[str], task: str, context: dict, depth: int
    ):
        """The producer's answer, after creating an item first if its answer holds none yet."""
        status, body = self._call(producer, task, context, depth=depth)
        if (
            _ok(status)
            and any(_at(body, s) is _MISSING for s in sources)
            and self._seed_item(producer, task, context, depth)
        ):
            status, body = self._call(producer, task, context, depth=depth)
        return status, body

    def _seed_item(self, producer: str, task: str, context: dict, depth: int) -> bool:
        """A list or read answers ids only once an item exists: create one, matching the list's required filters."""
        endpoint = self.endpoints[producer]
        creator = next(
            (
                e
                for e in self.endpoints.values()
                if e.role is Role.CREATE
                and e.resource
                and e.resource == endpoint.resource
            ),
            None,
        )
        if creator is None or creator.name == producer:
            return False
        query = self._request(endpoint, task, {}).query
        required = {p.name for p in endpoint.params_in("query") if p.required}
        fields = properties(self.document, creator.body.schema) if creator.body else {}
        matching = {
            ("body", "/" + k): _shaped(v, fields[k], self.document)
            for k, v in query.items()
            if k in required and k in fields
        }
        # The chain's depth carries on, so a creator whose own inputs need seeding cannot recurse forever.
        status, _ = self._call(
            creator.name, task, context, depth=max(depth, 1), body_values=matching
        )
        return _ok(status)

    def _produce(
        self,
        endpoint: EndpointDef,
        location: str,
        name: str,
        task: str,
        context: dict,
        depth: int,
    ) -> Any:
        """Run the best producer of a path parameter (by name) or body field (by pointer); its value or _MISSING."""
        best = self._best_producer(endpoint, location, name)
        if best is None:
            return _MISSING
        producer, binding = best
        status, body = self._answer(
            producer, [binding["source"]], task, context, depth=depth + 1
        )
        value = _at(body, binding["source"])
        if not _ok(status) or value is _MISSING:
            return _MISSING
        return value

    def _best_producer(
        self, endpoint: EndpointDef, location: str, name: str
    ) -> tuple[str, dict] | None:
        """The producer (and binding) `_produce` runs: creators first, then the
        most confident binding, then by name; None when no edge fills it."""
        slot = (endpoint.name, location, name)
        if slot in self._producers:
            return self._producers[slot]
        candidates = []
        for producer in self.graph.predecessors(endpoint.name):
            for binding in (
                self.graph.edges[producer, endpoint.name].get("bindings") or ()
            ):
                key = (
                    (binding.get("field") or "/" + binding["name"])
                    if location == "body"
                    else binding["name"]
                )
                if (
                    binding.get("in") == location
                    and key == name
                    and producer != endpoint.name
                ):
                    role = self.endpoints[producer].role
                    candidates.append(
                        (
                            role is not Role.CREATE,
                            -float(binding.get("confidence", 0)),
                            producer,
                            binding,
                        )
                    )
        best = None
        if candidates:
            _, _, producer, binding = sorted(candidates, key=lambda c: c[:3])[0]
            best = (producer, binding)
        self._producers[slot] = best
        return best


_MISSING = object()


def _given(bindings: tuple[dict, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Parameter bindings (not body fields) as name -> value."""
    return {b["name"]: values[b["name"]] for b in bindings if b.get("in") != "body"}


def _slot_key(endpoint: EndpointDef, param: str) -> str:
    """What a path parameter identifies: the literal segment before it and its position after
    that (`members/{}` for both `/members/{id}` and `/members/{member_id}/notes`; `repositories/{}/{}`
    for the slug of `/repositories/{username}/{slug}`), else its name."""
    return _path_slot_key(endpoint.path, param)


@functools.lru_cache(maxsize=65_536)
def _path_slot_key(path: str, param: str) -> str:
    segments = path.split("/")
    position = segments.index("{" + param + "}") if "{" + param + "}" in segments else 0
    literal = next(
        (
            i
            for i in range(position - 1, -1, -1)
            if segments[i] and not segments[i].startswith("{")
        ),
        None,
    )
    return (
        segments[literal] + "/{}" * (position - literal)
        if literal is not None
        else param
    )


def _body_values(
    bindings: tuple[dict, ...], values: dict[str, Any]
) -> dict[tuple[str, str], Any]:
    """Body-field bindings as ("body", pointer) -> value for the request factory."""
    return {
        ("body", b.get("field") or "/" + b["name"]): values[b["name"]]
        for b in bindings
        if b.get("in") == "body"
    }


def _shaped(value: Any, schema: Any, document: Any) -> Any:
    """A filter's value as the field it filters holds it: `tags=a` matches `tags: [{"name": "a"}]`."""
    first = value[0] if isinstance(value, list) and value else value
    schema, _ = deref(document, schema, "")
    if not is_array(document, schema):
        return first
    item = items(document, schema)
    return [{"name": first}] if "name" in properties(document, item) else [first]


def _ok(status: int) -> bool:
    return 200 <= status < 300


def _at(body: Any, pointer: str) -> Any:
    node = body
    for part in [p for p in pointer_split(pointer) if p]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def _foreign(value: Any) -> Any:
    """A value of the same shape that no producer made."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7_919_000
    if isinstance(value, float):
        return value + 7_919_000.5
    text = str(value)
    try:
        uuid.UUID(text)
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "envc-foreign:" + text))
    except ValueError:
        return "envc-missing-" + text
