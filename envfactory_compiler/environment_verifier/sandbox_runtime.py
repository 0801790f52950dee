"""The sandbox engine, without its web layer, for verification.

Verification needs only the runtime's engine, store and tables: not
Connexion, not uvicorn. The runtime modules are imported from a directory
(a built package's, or the compiler's own `templates/runtime`, which is the
same code) under a unique package name, so two builds in one process never
share modules, and the engine is fed the bundled document and the compiled
tables directly.
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_COUNTER = itertools.count(1)
_MODULES = ("catalog", "fake", "store", "engine")
FIXTURES = 1  # one seeded item per resource, so read-only APIs have ids to produce


@dataclass(frozen=True)
class SandboxEngine:
    """An engine with its state store and request type, ready to execute calls."""

    engine: Any
    store: Any
    call_type: type


def load_engine(
    runtime_dir: Path, document: dict, tables: dict, *, seed: int = 0
) -> SandboxEngine:
    """Build an engine from runtime modules in `runtime_dir` and the given tables."""
    runtime = _import_runtime(Path(runtime_dir))
    catalog = runtime["catalog"]
    operations = {
        name: catalog.Operation.from_json(row)
        for name, row in tables["operations"].items()
    }
    resources = {
        name: catalog.Resource.from_json(row)
        for name, row in tables["resources"].items()
    }
    credentials = {
        name: catalog.Credential(**row) for name, row in tables["credentials"].items()
    }
    engine = runtime["engine"].Engine(document, operations, resources, credentials)
    store = runtime["store"].StateStore(
        seed=seed,
        populate=_populate_from(engine, runtime["store"].TaskState(seed=seed)),
    )
    return SandboxEngine(engine, store, runtime["engine"].Call)


def _populate_from(engine: Any, template: Any):
    """Every task starts as a copy of one populated state (population depends only on the seed)."""
    engine.populate(template, FIXTURES)
    snapshot = template.snapshot()

    def populate(task: Any) -> None:
        copied = type(template).from_snapshot(snapshot)
        task.counter, task.objects = copied.counter, copied.objects

    return populate


def load_package_engine(module_dir: Path, *, seed: int = 0) -> SandboxEngine:
    """The engine of a built package (`<project>/<name>_env/`)."""
    module_dir = Path(module_dir)
    document = json.loads((module_dir / "openapi.json").read_text(encoding="utf-8"))
    tables = json.loads((module_dir / "operations.json").read_text(encoding="utf-8"))
    return load_engine(module_dir, document, tables, seed=seed)


def _import_runtime(runtime_dir: Path) -> dict[str, types.ModuleType]:
    name = f"_envc_runtime_{next(_COUNTER)}"
    package = types.ModuleType(name)
    package.__path__ = [str(runtime_dir)]  # a package whose __init__ is never run
    sys.modules[name] = package
    return {module: importlib.import_module(f"{name}.{module}") for module in _MODULES}
