"""Sampling many trajectories: trees in index order, on one or many workers.

Tree `i` depends only on the configuration and `i`, so trees are grown in
batches wherever is convenient (this process, a process pool, Ray tasks)
and consumed strictly in index order until `n` trajectories are in: the
output is the same bytes whatever the engine or the number of workers.
Each tree keeps at most its share of `n` (`n` over the number of
operations), so that every operation gets a tree focused on it before a few
trees fill the whole quota; of its trajectories, those that add operations
the run has not covered yet go first, and one that repeats an earlier
trajectory's calls and arguments is dropped.
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Iterable, Iterator

from ..sandbox.app import load_sandbox
from .exploration import ExplorationOptions
from .sampler import TrajectorySampler, TreeResult
from .trajectory import Trajectory

BATCH = 8  # trees per unit of work
MAX_BARREN_TREES = 200  # trees in a row without a trajectory: give up


@dataclass(frozen=True)
class RunConfig:
    """Everything a worker needs to grow any tree, picklable."""

    package: str
    seed: int = 0
    fixtures: int = 0
    base_url: str | None = None
    options: ExplorationOptions = ExplorationOptions()


@dataclass
class Collection:
    """The first `n` trajectories and every tree that contributed to them."""

    trajectories: list[Trajectory]
    trees: list[TreeResult]


_SAMPLERS: dict[RunConfig, TrajectorySampler] = {}


def sampler_for(config: RunConfig) -> TrajectorySampler:
    """This process's sampler for a configuration, built once."""
    sampler = _SAMPLERS.get(config)
    if sampler is None:
        sampler = _SAMPLERS[config] = TrajectorySampler(
            load_sandbox(config.package, seed=config.seed),
            seed=config.seed,
            fixtures=config.fixtures,
            base_url=config.base_url,
            options=config.options,
        )
    return sampler


def explore_batch(config: RunConfig, indices: range) -> list[TreeResult]:
    """Grow and select the trees `indices` (the unit of work of every engine)."""
    sampler = sampler_for(config)
    return [sampler.explore(index) for index in indices]


def collect(
    config: RunConfig,
    n: int,
    *,
    workers: int = 1,
    engine: str = "local",
    on_tree: Callable[[TreeResult], None] | None = None,
) -> Collection:
    """Trees in index order until they hold `n` trajectories."""
    results = tree_stream(config, workers=workers, engine=engine)
    collection = Collection([], [])
    barren = 0
    share = tree_share(config.package, n)
    covered: set[str] = set()
    seen: set[str] = set()
    try:
        for result in results:
            _drop_repeats(result, seen)
            _keep_share(result, share, covered)
            collection.trees.append(result)
            collection.trajectories.extend(result.trajectories)
            barren = 0 if result.trajectories else barren + 1
            if on_tree is not None:
                on_tree(result)
            if len(collection.trajectories) >= n:
                break
            if barren >= MAX_BARREN_TREES:
                break  # the summary says why: see the trees' drops
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    del collection.trajectories[n:]
    return collection


def tree_stream(
    config: RunConfig, *, workers: int = 1, engine: str = "local"
) -> Iterator[TreeResult]:
    """Every tree of `config`, in index order, grown here, in a process pool
    or on Ray: the same trees whichever (close the iterator when done)."""
    if engine == "ray":
        from .ray_engine import ray_batches

        return ray_batches(config, _batches(), window=2 * max(workers, 1))
    if workers > 1:
        return _pool_batches(config, workers)
    return (result for b in _batches() for result in explore_batch(config, b))


def tree_share(package: str, n: int) -> int:
    """Trajectories one tree may give: `n` spread over the operations, rounded
    down, so that there are at least as many trees as operations (one tree is
    focused on each in turn)."""
    text = resources.files(package).joinpath("operations.json").read_text("utf-8")
    operations = max(1, len(json.loads(text)["operations"]))
    return max(1, n // operations)


def _drop_repeats(result: TreeResult, seen: set[str]) -> None:
    """Drop a tree's trajectories that make the same calls with the same
    arguments as one an earlier tree gave: a dataset holds each task once."""
    kept = []
    for trajectory in result.trajectories:
        signature = json.dumps(
            [[s.operation, s.arguments] for s in trajectory.steps], sort_keys=True
        )
        if signature in seen:
            result.drops["same calls as an earlier trajectory"] += 1
        else:
            seen.add(signature)
            kept.append(trajectory)
    result.trajectories = kept


def _keep_share(result: TreeResult, share: int, covered: set[str]) -> None:
    """Keep a tree's best `share` trajectories, those that add operations the
    trees before it did not cover first (then by the tree's own ranking);
    `covered` grows by what is kept. Trees come in index order, so the choice
    is the same whatever the engine."""
    ranked = sorted(
        enumerate(result.trajectories),
        key=lambda entry: (-len(_operations(entry[1]) - covered), entry[0]),
    )
    kept = sorted(index for index, _ in ranked[:share])
    extra = len(result.trajectories) - len(kept)
    result.trajectories = [result.trajectories[index] for index in kept]
    if extra > 0:
        result.drops[f"over the tree's share ({share})"] += extra
    for trajectory in result.trajectories:
        covered.update(_operations(trajectory))


def _operations(trajectory: Trajectory) -> set[str]:
    return {step.operation for step in trajectory.steps}


def _batches() -> Iterator[range]:
    start = 0
    while True:
        yield range(start, start + BATCH)
        start += BATCH


def _pool_batches(config: RunConfig, workers: int) -> Iterator[TreeResult]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        try:
            yield from in_order(
                lambda batch: pool.submit(explore_batch, config, batch),
                _batches(),
                window=2 * workers,
            )
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def in_order(
    submit: Callable[[range], Future], batches: Iterable[range], *, window: int
) -> Iterator[TreeResult]:
    """Keep `window` batches in flight; yield their trees in index order."""
    pending: list[Future] = []
    batches = iter(batches)
    while True:
        while len(pending) < window:
            pending.append(submit(next(batches)))
        yield from pending.pop(0).result()
