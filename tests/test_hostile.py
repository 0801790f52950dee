"""Spec text never becomes code: hostile names and text build packages that
import, serve and behave, and never run what the spec smuggled in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build

HOSTILE = sorted((ROOT / "tests" / "hostile_specs").glob("*.yaml"))
MARKER = Path("/tmp/envc_pwned")


@pytest.mark.parametrize("spec", HOSTILE, ids=lambda p: p.name)
def test_hostile_spec_builds_imports_and_serves(spec: Path, tmp_path: Path) -> None:
    MARKER.unlink(missing_ok=True)
    project = build(spec, tmp_path)
    code = (
        "import importlib, sys\n"
        "package = importlib.import_module(sys.argv[1])\n"
        "importlib.import_module(sys.argv[1] + '.models')\n"
        "from starlette.testclient import TestClient\n"
        "sandbox = package.load_sandbox()\n"
        "client = TestClient(sandbox.asgi())\n"
        "assert client.get('/_sandbox/projects').status_code == 200\n"
        "print(len(sandbox.engine.operations))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, project.name],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(project)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert int(proc.stdout.strip().splitlines()[-1]) > 0
    assert not MARKER.exists(), "spec text was executed"


def test_hostile_names_crud_round_trip(tmp_path: Path) -> None:
    """POST create then GET read still works when every name is hostile."""
    project = build(ROOT / "tests" / "hostile_specs" / "hostile_names.yaml", tmp_path)
    code = (
        "import importlib, sys, json\n"
        "package = importlib.import_module(sys.argv[1])\n"
        "sandbox = package.load_sandbox()\n"
        "ops = sandbox.engine.operations.values()\n"
        "create = next(o for o in ops if o.role == 'create')\n"
        "read = next(o for o in ops if o.role == 'read' and o.resource == create.resource)\n"
        "task = sandbox.store.task('t')\n"
        "made = sandbox.engine.execute(task, package.Call(create.name, body={}))\n"
        "resource = sandbox.engine.resources[create.resource]\n"
        "item_id = made.body[resource.id_field] if resource.id_field else None\n"
        "param = read.scopes[-1][1][-1]\n"
        "got = sandbox.engine.execute(task, package.Call(read.name, path={param: item_id}))\n"
        "print(json.dumps([made.status, got.status, got.body == made.body]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, project.name],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(project)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    created, read, same = __import__("json").loads(proc.stdout.strip().splitlines()[-1])
    assert created in (200, 201) and read == 200 and same
    assert not MARKER.exists()
