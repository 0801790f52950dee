"""Task state: fork, snapshot and restore of a 1,000-item world; gym `reset`/s.

    .venv/bin/python bench/state_bench.py [generated/<name>_env] [--items 1000]

The world is a task of the package's sandbox holding about `--items`
items seeded by its engine. Measured in one run, each the median of
several rounds:

- `fork`: `TaskState.fork()` (the world the verifier, `TaskWorld` and the
  store's `fork` copy), and the peer it replaced, `copy.deepcopy`;
- `fork + restore`: an RL trainer's checkpoint and return to it in process
  (`StateStore.fork` to a checkpoint task, then back);
- `snapshot + restore`: the same through the JSON a trainer can keep
  (`StateStore.snapshot` / `StateStore.restore`, which copies the values);
- gym `reset`/s of `TaskEnv` over the package's own blueprints in a seeded
  world (two items per resource), and the same with that world populated
  again on every reset (the peer: no cache).

Fails (exit 1) unless fork + restore takes under 100 µs and reset runs at
5,000/s or more.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

from envfactory_runtime.frontends.actions import forget_worlds
from envfactory_runtime.sandbox.store import StateStore, TaskState

ROOT = Path(__file__).resolve().parents[1]
FORK_RESTORE_US = 100.0
RESETS_PER_S = 5000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "package", nargs="?", default=str(ROOT / "generated" / "petstore_env")
    )
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--resets", type=int, default=5000)
    args = parser.parse_args()
    project = Path(args.package).resolve()
    sys.path.insert(0, str(project))
    package = importlib.import_module(project.name)
    store = _filled(package, args.items)
    state = store.task("bench")
    world = state.snapshot()
    items = sum(len(c) for c in state.objects.values())
    print(f"{project.name}: a task of {items:,} items, one core")

    fork = _median_us(state.fork)
    deep = _median_us(lambda: copy.deepcopy(state), rounds=20)
    print(
        f"  fork:               {fork:8.1f} µs   (copy.deepcopy: {deep:,.1f} µs, {deep / fork:,.0f}x)"
    )

    def checkpoint_and_back() -> None:
        store.fork("bench", "bench.checkpoint")
        store.fork("bench.checkpoint", "bench")

    fork_restore = _median_us(checkpoint_and_back)
    print(f"  fork + restore:     {fork_restore:8.1f} µs")

    def through_json() -> None:
        store.restore("bench", json.loads(json.dumps(store.snapshot("bench"))))

    snap = _median_us(through_json, rounds=20)
    print(f"  snapshot + restore: {snap:8.1f} µs   (through JSON text)")
    assert json.dumps(world) == json.dumps(store.task("bench").snapshot())

    resets, rebuilt = _resets(package, args.resets)
    print(
        f"  gym reset:          {resets:8,.0f} /s   (world rebuilt each reset: "
        f"{rebuilt:,.0f} /s, {resets / rebuilt:,.1f}x)"
    )
    failed = []
    if fork_restore >= FORK_RESTORE_US:
        failed.append(
            f"fork + restore {fork_restore:.1f} µs >= {FORK_RESTORE_US:.0f} µs"
        )
    if resets < RESETS_PER_S:
        failed.append(f"reset {resets:,.0f}/s < {RESETS_PER_S:,.0f}/s")
    if failed:
        sys.exit("FAILED: " + "; ".join(failed))


def _filled(package, count: int):
    """A store whose task `bench` holds about `count` seeded items (the engine's
    own `populate`, as many per top-level resource as that takes)."""
    engine = package.load_sandbox().engine
    top = sum(1 for r in engine.resources.values() if r.parent is None) or 1
    state = TaskState(seed=0)
    engine.populate(state, -(-count // top))
    store = StateStore(seed=0)
    store.restore("bench", json.loads(json.dumps(state.snapshot())))
    return store


def _median_us(action: Callable[[], object], rounds: int = 200) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def _resets(package, count: int) -> tuple[float, float]:
    gym = package.gym
    env = gym.TaskEnv(tasks=_tasks(package))
    env.reset(seed=0)
    start = time.perf_counter()
    for seed in range(count):
        env.reset(seed=seed)
    cached = count / (time.perf_counter() - start)
    forget_worlds()
    start = time.perf_counter()
    for seed in range(count // 10):
        env.reset(seed=seed)
        forget_worlds()
    rebuilt = (count // 10) / (time.perf_counter() - start)
    return cached, rebuilt


def _tasks(package) -> list:
    builder = package.make_builder(seed=0)
    accepted = package.make_generator(builder, seed=0).generate(8).accepted
    # in a seeded world (two items per resource), which a reset must rebuild or copy
    return [
        dataclasses.replace(task, initial={**task.initial, "fixtures": 2})
        for task in accepted
    ]


if __name__ == "__main__":
    main()
