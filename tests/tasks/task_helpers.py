"""Helpers for the task tests (not a conftest: tests/conftest.py owns that name)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from envfactory_compiler.cli import main as envc

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "generated" / "swagger_petstore_v3_env"  # "the petstore"
PETSTORE_V2 = ROOT / "generated" / "swagger_petstore_v2_env"  # 20 operations


def runtime(project: Path) -> Any:
    """A generated package, imported from generated/."""
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    return importlib.import_module(project.name)


def run_envc(*args: str) -> str:
    """`envc ARGS`; its stderr (the summary)."""
    result = CliRunner().invoke(envc, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stderr if hasattr(result, "stderr") else result.output


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def summary(stderr: str) -> dict:
    """The JSON summary line `rollout` prints last."""
    line = [l for l in stderr.splitlines() if l.startswith("{")][-1]
    return json.loads(line)
