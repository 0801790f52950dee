"""`blueprints` and `rollout` scale out as `sample` does: a process pool or a
real local Ray cluster gives the bytes the local engine gives."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    ray = pytest.importorskip("ray")
    tasks = tmp_path / "local.jsonl"
    local = _blueprints(tasks)
    assert local.count(b"\n") == 8
    pooled = _blueprints(tmp_path / "pool.jsonl", "--workers", "2")
    rolled = _rollouts(tasks, tmp_path / "rollouts.jsonl")
    assert rolled.count(b"\n") == 16  # every blueprint, two trials each
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = _blueprints(tmp_path / "ray.jsonl", "--engine", "ray")
        rolled_on_ray = _rollouts(
            tasks, tmp_path / "ray-rollouts.jsonl", "--engine", "ray"
        )
    finally:
        ray.shutdown()
    assert pooled == local and on_ray == local
    assert rolled_on_ray == rolled
