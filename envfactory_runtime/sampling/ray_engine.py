"""Growing trees (and running rollouts) as Ray tasks, for users who outgrow
one machine.

The unit of work is the same `explore_batch` the local engine runs, and
trees are consumed in index order, so the output equals the local
engine's for the same seed (rollouts: `ray_map`, the same per batch). Ray is optional (`pip install <package>[ray]`)
and imported only here. Workers import this package from the directory it
was loaded from, passed to them as `PYTHONPATH`; a running cluster
(`ray.init` beforehand, or `RAY_ADDRESS`) is used as it is.
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .runs import RunConfig, explore_batch, in_order
from .sampler import TreeResult


def remote(work: Callable, package: str) -> tuple[Any, Any]:
    """Ray and `work` as a Ray task whose workers import `package` and this
    runtime from where this process does."""
    try:
        import ray
    except ImportError:
        raise RuntimeError("--engine ray needs Ray: pip install 'ray>=2.9'") from None
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)
    homes = {  # where the package and this runtime are imported from
        str(Path(import_module(name).__file__).resolve().parents[1])
        for name in (package, __package__.split(".")[0])
    }
    path = os.pathsep.join(
        [*sorted(homes), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return ray, ray.remote(work).options(runtime_env={"env_vars": {"PYTHONPATH": path}})


def ray_map(work: Callable, config: Any, batches: list[range]) -> Iterator[Any]:
    """`work(config, batch)` for every batch on Ray, results in batch order."""
    ray, task = remote(work, config.package)
    refs = [task.remote(config, batch) for batch in batches]
    try:
        for ref in refs:
            yield ray.get(ref)
    finally:
        for ref in refs:
            ray.cancel(ref)


def ray_batches(
    config: RunConfig, batches: Iterable[range], *, window: int
) -> Iterator[TreeResult]:
    ray, task = remote(explore_batch, config.package)
    refs: list = []
    try:
        yield from in_order(
            lambda batch: _Ref(ray, task.remote(config, batch), refs),
            batches,
            window=window,
        )
    finally:
        for ref in refs:
            ray.cancel(ref)


class _Ref:
    """A Ray object ref with the `result()` of a future."""

    def __init__(self, ray, ref, pending: list) -> None:
        self.ray = ray
        self.ref = ref
        self.pending = pending
        pending.append(ref)

    def result(self) -> list[TreeResult]:
        value = self.ray.get(self.ref)
        self.pending.remove(self.ref)
        return value
