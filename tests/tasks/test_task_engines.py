"""`blueprints` and `rollout` scale out as `sample` does: a process pool or a
real local Ray cluster gives the bytes the local engine gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ray_child import run_on_ray
from task_helpers import PETSTORE, run_envc


def _blueprints(out: Path, *options: str) -> bytes:
    run_envc(
        "blueprints", str(PETSTORE), "-n", "8", "--seed", "3", "-o", str(out), *options
    )
    return out.read_bytes()


def _rollouts(tasks: Path, out: Path, *options: str) -> bytes:
    run_envc(
        *("rollout", str(PETSTORE), "--in", str(tasks), "--agent", "natural"),
        *("-k", "2", "--keep-all", "-o", str(out), *options),
    )
    return out.read_bytes()


def test_blueprints_and_rollouts_on_ray_and_in_processes_match_local(
    tmp_path: Path,
) -> None:
    pytest.importorskip("ray")
    tasks = tmp_path / "local.jsonl"
    local = _blueprints(tasks)
    assert local.count(b"\n") == 8
    pooled = _blueprints(tmp_path / "pool.jsonl", "--workers", "2")
    rolled = _rollouts(tasks, tmp_path / "rollouts.jsonl")
    assert rolled.count(b"\n") == 16  # every blueprint, two trials each
    on_ray, rolled_on_ray = tmp_path / "ray.jsonl", tmp_path / "ray-rollouts.jsonl"
    run_on_ray(
        f"""
        from pathlib import Path
        from test_task_engines import _blueprints, _rollouts
        _blueprints(Path({str(on_ray)!r}), "--engine", "ray")
        _rollouts(Path({str(tasks)!r}), Path({str(rolled_on_ray)!r}), "--engine", "ray")
        """,
        helpers=Path(__file__).parent,
    )
    assert pooled == local and on_ray.read_bytes() == local
    assert rolled_on_ray.read_bytes() == rolled
