"""Operation coverage over every package in generated/: 2xx somewhere, or a reason why not.

Sampling uses one seeded item per resource (`fixtures=1`, as verification
does), so read-only APIs have ids for their list calls to return.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest

from sampling_helpers import GENERATED

PACKAGES = sorted(
    p for p in GENERATED.iterdir() if p.is_dir() and p.name.endswith("_env")
)
TARGET = 0.95


@lru_cache(maxsize=None)
def summary(project: Path):
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    from envfactory_runtime.sampling import runs, summary as summaries

    config = runs.RunConfig(project.name, seed=0, fixtures=1)
    sampler = runs.sampler_for(config)
    collection = runs.collect(config, max(300, 20 * len(sampler.operations)))
    return summaries.Summary.of_run(sampler, collection.trajectories, collection.trees)


@pytest.mark.parametrize("project", PACKAGES, ids=lambda p: p.name)
def test_every_uncovered_operation_is_explained(project: Path) -> None:
    result = summary(project)
    text = result.render()
    assert set(result.never) <= set(result.operations)
    for name, why in result.never.items():
        assert why and f"never covered: {name}: {why}" in text
    covered = len(result.operations) - len(result.never)
    assert f"operation coverage: {covered}/{len(result.operations)}" in text
    print(f"{project.name}: {covered}/{len(result.operations)}")


def test_total_coverage_reaches_target() -> None:
    results = [summary(p) for p in PACKAGES]
    total = sum(len(r.operations) for r in results)
    covered = sum(len(r.operations) - len(r.never) for r in results)
    print(f"total operation coverage: {covered}/{total} ({covered / total:.1%})")
    assert covered / total >= TARGET, f"{covered}/{total} operations answered 2xx"
