"""Bounded versions of bench/load_test.py and bench/fault_test.py, and their checkers' teeth."""

from __future__ import annotations

import asyncio
import copy

from httpload import free_port, serve_package
from load_test import leaks, replay_check, run_load
from fault_test import fault_test
from sandbox_fixtures import PROJECT, package  # noqa: F401 (fixtures)


def test_concurrent_tasks_stay_isolated_and_replay_exactly(package, tmp_path) -> None:
    port = free_port()
    server = serve_package(
        PROJECT, port, log=tmp_path / "server.log", options=["--fixtures", "3"]
    )
    try:
        report = asyncio.run(run_load(port, package, tasks=8, calls=60, budget=60))
    finally:
        server.stop()
    assert report["complete"] and report["requests"] == 480
    assert report["5xx"] == 0
    assert (
        report["violations"] == []
        and report["leaks"] == []
        and report["replay_mismatches"] == []
    )


def test_sigkill_loses_no_acknowledged_write(tmp_path) -> None:
    report = asyncio.run(
        fault_test(PROJECT, tmp_path, tasks=4, kill_after=1.0, budget=30)
    )
    assert report["acknowledged_writes"] > 20
    assert report["lost"] == []


def test_checkers_catch_a_leak_and_a_diverging_state(package) -> None:
    sandbox = package.load_sandbox(fixtures=3, any_credential=True)
    initial = sandbox.store.task("t").snapshot()
    foreign = {"id": 1, "name": "t7-pet-3", "photoUrls": []}
    entries = [
        {"seq": 1, "operation": "getPetById", "status": 200, "response": foreign}
    ]
    assert len(leaks(entries, "t0", initial)) == 1
    tampered = copy.deepcopy(initial)
    tampered["counter"] += 1
    assert replay_check(package, [], initial) == []
    assert replay_check(package, [], tampered) == [
        "final state differs from the replayed trace"
    ]
