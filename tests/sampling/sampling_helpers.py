"""Helpers for the sampling tests (not a conftest: tests/conftest.py owns that module name)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
PETSTORE = GENERATED / "swagger_petstore_v3_env"


def module_json(project: Path, name: str) -> Any:
    return json.loads((project / project.name / name).read_text(encoding="utf-8"))


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def scalars(value: Any) -> Iterator[str]:
    """Every scalar in a JSON value, as text."""
    if isinstance(value, dict):
        for item in value.values():
            yield from scalars(item)
    elif isinstance(value, list):
        for item in value:
            yield from scalars(item)
    elif value is not None:
        yield str(value)


def at(value: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


@pytest.fixture(scope="session")
def petstore_runtime():
    """The petstore package's runtime modules, imported from generated/."""
    if str(PETSTORE) not in sys.path:
        sys.path.insert(0, str(PETSTORE))
    import swagger_petstore_v3_env as package

    return package
