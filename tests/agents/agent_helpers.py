"""Helpers for the agent entry point tests (not a conftest: tests/conftest.py owns that name)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "generated" / "petstore_env"  # 3 operations: list, create, show
PETSTORE_V3 = ROOT / "generated" / "swagger_petstore_v3_env"  # 19 operations


def runtime(project: Path) -> Any:
    """A generated package, imported from generated/."""
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    return importlib.import_module(project.name)


def tools_json(project: Path) -> list[dict]:
    path = project / project.name / "tools.json"
    return json.loads(path.read_text(encoding="utf-8"))["tools"]


def blueprints(project: Path, n: int, seed: int = 0) -> list[Any]:
    """`n` verified blueprints of a package, generated offline."""
    package = runtime(project)
    builder = package.make_builder(seed=seed)
    report = package.make_generator(builder, seed=seed).generate(n)
    assert len(report.accepted) == n, report.rejected
    return report.accepted


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_only_calls(project: Path, blueprint: Any) -> list[dict]:
    """The blueprint's own reads, none of its writes: what a read-only
    agent that sees everything the oracle sees would call."""
    engine = runtime(project).load_sandbox().engine
    return [
        action
        for action in blueprint.actions
        if engine.operations[action["name"]].role in ("read", "list")
    ]
