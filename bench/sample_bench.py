"""Sampling throughput: in-process steps/s, the same over HTTP, memory per stored item.

    .venv/bin/python bench/sample_bench.py [generated/<name>_env] [-n N]

Steps are executed sandbox calls (exploration included; every one answers
and is recorded); trajectory steps are the calls in selected trajectories.
The HTTP run grows the same trees against the package's `SandboxServer` on
127.0.0.1 (Connexion validates every request and response) and must give
the same trajectories. Memory per stored resource: the traced allocation
of a task holding many created items, divided by their number.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "package",
        nargs="?",
        default=str(ROOT / "generated" / "swagger_petstore_v3_env"),
    )
    parser.add_argument(
        "-n", type=int, default=3000, help="trajectories in process (HTTP: n/10)"
    )
    args = parser.parse_args()
    logging.getLogger("connexion").setLevel(
        logging.ERROR
    )  # one notice per multi-type body
    project = Path(args.package).resolve()
    sys.path.insert(0, str(project))
    package = importlib.import_module(project.name)
    from envfactory_runtime.sampling import runs

    def timed(n: int, base_url: str | None = None):
        config = runs.RunConfig(project.name, seed=0, base_url=base_url)
        runs.sampler_for(config)  # load outside the timing
        start = time.perf_counter()
        collection = runs.collect(config, n)
        seconds = time.perf_counter() - start
        executed = sum(tree.executed for tree in collection.trees)
        steps = sum(t.depth for t in collection.trajectories)
        print(
            f"{'HTTP' if base_url else 'in-process':>10}: {n} trajectories in {seconds:.2f}s:"
            f" {executed / seconds:,.0f} executed steps/s, {steps / seconds:,.0f} trajectory steps/s"
        )
        return collection

    print(f"{project.name}, one core")
    timed(args.n)
    local = timed(args.n // 10)
    with package.SandboxServer(seed=0) as server:
        remote = timed(args.n // 10, server.base_url)
    same = [t.to_dict() for t in local.trajectories] == [
        t.to_dict() for t in remote.trajectories
    ]
    print(f"HTTP trajectories identical to in-process: {same}")
    print(f"memory per stored resource: {memory_per_item(package):,.0f} bytes")


def memory_per_item(package, count: int = 5000) -> float:
    """Traced bytes of a task holding `count` items made by the sampler's own create calls."""
    sampler = package.TrajectorySampler(seed=0)
    creates = sorted(
        n
        for n, op in sampler.operations.items()
        if op.role == "create" and n in sampler.starts
    )
    state, session = sampler.start(random.Random(0))
    sampler.explore(0)  # sets up the per-tree bookkeeping `step` records into
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    rng = random.Random(1)
    for index in range(count):
        result = sampler.step(state, session, creates[index % len(creates)], rng)
        state = result[1]
    stored = sum(len(items) for items in state.objects.values())
    del result
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / stored


if __name__ == "__main__":
    main()
