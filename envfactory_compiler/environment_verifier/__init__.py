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

import random
import uuid
from pathlib import Path
from typing import Any

import networkx as nx

from ..emission.rendering import template_root
from ..ir import EndpointDef, NormalizedSpec, Role
from .calls import RequestFactory, security_headers
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
        return cls(InProcessExecutor(load_package_engine(Path(module_dir), seed=seed)), seed=seed)

    @classmethod
    def for_tables(cls, document: dict, tables: dict, *, seed: int = 0) -> "EnvironmentVerifier":
        """Verify a package not yet written: its bundled document and tables, the compiler's runtime."""
        runtime_dir = template_root() / "runtime"
        return cls(InProcessExecutor(load_engine(runtime_dir, document, tables, seed=seed)), seed=seed)

    @classmethod
    def over_http(cls, spec: NormalizedSpec, base_url: str, *, seed: int = 0) -> "EnvironmentVerifier":
        operations = {e.name: (e.method, e.path) for e in spec.endpoints}
        return cls(HttpExecutor(base_url, operations), seed=seed)

    def verify(self, spec: NormalizedSpec, graph: nx.DiGraph) -> VerifiedDAG:
        run = _Run(self.executor, spec, graph, self.seed)
        verdicts = tuple(run.check(producer, consumer) for producer, consumer in sorted(graph.edges))
        return VerifiedDAG(tuple(e.name for e in spec.endpoints), verdicts)


class _Run:
    """One verification pass over a graph."""

    def __init__(self, executor: Executor, spec: NormalizedSpec, graph: nx.DiGraph, seed: int) -> None:
        self.executor = executor
        self.graph = graph
        self.seed = seed
        self.endpoints = {e.name: e for e in spec.endpoints}
        self.requests = RequestFactory(spec.document, security_headers(spec))

    def check(self, producer: str, consumer: str) -> EdgeVerdict:
        data = self.graph.edges[producer, consumer]
        bindings = tuple(data.get("bindings") or ())
        verdict = {"producer": producer, "consumer": consumer, "bindings": bindings,
                   "evidence": tuple(data.get("evidence") or ()), "confidence": float(data.get("confidence") or 0.0)}
        bound = {b["name"] for b in bindings}
        task = f"verify:{producer}->{consumer}"
        context: dict[str, Any] = {}
        setup: list[str] = []
        status, body = self._call(producer, task, context, setup, exclude=set(), depth=0)
        if _ok(status) and any(_at(body, b["source"]) is _MISSING for b in bindings) and self._seed_item(producer, task, context, setup):
            status, body = self._call(producer, task, context, setup, exclude=set(), depth=0)
        if not _ok(status):
            return EdgeVerdict(**verdict, confirmed=False, reason=f"producer {producer} answered {status}")
        values = {b["name"]: _at(body, b["source"]) for b in bindings}
        missing = [b["source"] for b in bindings if values[b["name"]] is _MISSING]
        if missing:
            return EdgeVerdict(**verdict, confirmed=False, reason=f"producer answer has nothing at {missing[0]}")
        status, _ = self._call(consumer, task, {**context, **values}, setup, exclude=bound, depth=0,
                               body_values=_body_values(bindings, values))
        if not _ok(status):
            return EdgeVerdict(**verdict, confirmed=False, reason=f"consumer answered {status} to the produced value")
        foreign = {name: _foreign(value) for name, value in values.items()}
        fresh = f"{task}:foreign"
        fresh_context: dict[str, Any] = {}
        for step in setup:  # the same prerequisites, in a world where the producer never ran
            self._call(step, fresh, fresh_context, [], exclude=set(), depth=MAX_CHAIN)
        status, _ = self._call(consumer, fresh, {**fresh_context, **foreign}, [], exclude=bound, depth=0,
                               body_values=_body_values(bindings, foreign))
        if not 400 <= status < 500:
            return EdgeVerdict(**verdict, confirmed=False, reason=f"consumer answered {status} to a value no producer made")
        return EdgeVerdict(**verdict, confirmed=True, reason="confirmed: produced value accepted, foreign value refused")

    def _call(self, name: str, task: str, context: dict[str, Any], setup: list[str], *, exclude: set[str], depth: int,
              body_values: dict[tuple[str, str], Any] | None = None):
        """Run an operation after producing what its parameters need (recorded in `setup`)."""
        endpoint = self.endpoints[name]
        if depth < MAX_CHAIN:
            for param in endpoint.params_in("path"):
                if param.name not in context and param.name not in exclude:
                    self._produce(endpoint, param.name, task, context, setup, depth)
        fixed = {(p.location, p.name): context[p.name] for p in endpoint.parameters if p.name in context}
        fixed.update(body_values or {})
        rng = random.Random(f"{self.seed}:{task}:{name}")
        return self.executor.execute(task, self.requests.build(endpoint, fixed, rng))

    def _seed_item(self, producer: str, task: str, context: dict, setup: list) -> bool:
        """A list or read answers ids only once an item exists: create one first."""
        endpoint = self.endpoints[producer]
        creator = next((e for e in self.endpoints.values()
                        if e.role is Role.CREATE and e.resource and e.resource == endpoint.resource), None)
        if creator is None or creator.name == producer:
            return False
        status, _ = self._call(creator.name, task, context, setup, exclude=set(), depth=1)
        if _ok(status):
            setup.append(creator.name)
        return _ok(status)

    def _produce(self, endpoint: EndpointDef, param: str, task: str, context: dict, setup: list, depth: int) -> None:
        """Run the best producer of `param` for `endpoint` and keep the value."""
        candidates = []
        for producer in self.graph.predecessors(endpoint.name):
            for binding in self.graph.edges[producer, endpoint.name].get("bindings") or ():
                if binding["name"] == param and producer != endpoint.name:
                    role = self.endpoints[producer].role
                    candidates.append((role is not Role.CREATE, -float(binding.get("confidence", 0)), producer, binding))
        if not candidates:
            return
        _, _, producer, binding = sorted(candidates, key=lambda c: c[:3])[0]
        status, body = self._call(producer, task, context, setup, exclude=set(), depth=depth + 1)
        value = _at(body, binding["source"])
        if _ok(status) and value is not _MISSING:
            context[param] = value
            setup.append(producer)


_MISSING = object()


def _body_values(bindings: tuple[dict, ...], values: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Body-field bindings as ("body", pointer) -> value for the request factory."""
    return {("body", b.get("field") or "/" + b["name"]): values[b["name"]] for b in bindings if b.get("in") == "body"}


def _ok(status: int) -> bool:
    return 200 <= status < 300


def _at(body: Any, pointer: str) -> Any:
    node = body
    for part in [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/") if p]:
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
