"""The sandbox engine, without its web layer, for verification.

Verification needs only the runtime's engine, store and tables: not
Connexion, not uvicorn. The engine is `envfactory_runtime`'s, the one every
generated package runs on, fed the bundled document and the compiled tables
directly (a package not yet written has no files to load them from).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envfactory_runtime.sandbox.engine import Call, Engine
from envfactory_runtime.sandbox.store import StateStore, TaskState
from envfactory_runtime.sandbox.tables import Tables

FIXTURES = 1  # one seeded item per resource, so read-only APIs have ids to produce


@dataclass(frozen=True)
class SandboxEngine:
    """An engine with its state store and request type, ready to execute calls."""

    engine: Any
    store: Any
    call_type: type


def load_engine(document: dict, tables: dict, *, seed: int = 0) -> SandboxEngine:
    """Build an engine from the bundled document and the compiled tables."""
    compiled = Tables.from_json(tables)
    engine = Engine(
        document, compiled.operations, compiled.resources, compiled.credentials
    )
    store = StateStore(seed=seed, populate=_populate_from(engine, TaskState(seed=seed)))
    return SandboxEngine(engine, store, Call)


def _populate_from(engine: Any, template: Any):
    """Every task starts as a copy of one populated state (population depends only on the seed)."""
    engine.populate(template, FIXTURES)
    snapshot = template.snapshot()

    def populate(task: Any) -> None:
        copied = type(template).from_snapshot(snapshot)
        task.counter, task.objects = copied.counter, copied.objects

    return populate


def load_package_engine(module_dir: Path, *, seed: int = 0) -> SandboxEngine:
    """The engine of a built package (`<project>/<name>_env/`), from its files."""
    module_dir = Path(module_dir)
    document = json.loads((module_dir / "openapi.json").read_text(encoding="utf-8"))
    tables = json.loads((module_dir / "operations.json").read_text(encoding="utf-8"))
    return load_engine(document, tables, seed=seed)
