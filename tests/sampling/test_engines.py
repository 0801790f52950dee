"""The same trajectories from every engine: in process, Ray, HTTP (the pool: test_petstore_dataset)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from envfactory_runtime import load
from envfactory_runtime.sampling import datasets, runs

from ray_child import run_on_ray
from sampling_helpers import (
    GENERATED,
    PETSTORE,
    petstore_runtime,
)  # noqa: F401 - fixture


def dataset(package, collection, seed: int) -> str:
    """The OpenAI-format JSONL of a collection, as text."""
    document = runs.sampler_for(
        runs.RunConfig(package.__name__, seed=seed)
    ).sandbox.engine.document
    out = io.StringIO()
    datasets.write_jsonl(
        out,
        datasets.DatasetContext.of_package(package.__name__, document, seed),
        collection.trajectories,
    )
    return out.getvalue()


def collect(package, n: int, seed: int, *, base_url: str | None = None, **kwargs):
    return runs.collect(
        runs.RunConfig(package.__name__, seed=seed, base_url=base_url), n, **kwargs
    )


def test_ray_engine_matches_local(petstore_runtime) -> None:
    """Two packages on one Ray cluster: each the bytes of its local run."""
    pytest.importorskip("ray")
    other = load(GENERATED / "petstore_env")
    remote, remote_other = json.loads(
        run_on_ray(
            f"""
            import json, sys
            sys.path.insert(0, {str(PETSTORE)!r})
            import swagger_petstore_v3_env as package
            from envfactory_runtime import load
            from test_engines import collect, dataset
            other = load({str(GENERATED / "petstore_env")!r})
            remote = collect(package, 120, 5, engine="ray", workers=2)
            remote_other = collect(other, 30, 5, engine="ray", workers=2)
            assert len(remote.trajectories) == 120
            print(json.dumps([dataset(package, remote, 5), dataset(other, remote_other, 5)]))
            """,
            helpers=Path(__file__).parent,
        )
    )
    local = collect(petstore_runtime, 120, 5)
    assert remote == dataset(petstore_runtime, local, 5)
    assert remote_other == dataset(other, collect(other, 30, 5), 5)


def test_http_engine_matches_in_process(petstore_runtime) -> None:
    """Over HTTP Connexion validates every request and response: same answers, same bytes."""
    with petstore_runtime.SandboxServer(seed=5) as server:
        over_http = collect(petstore_runtime, 40, 5, base_url=server.base_url)
    in_process = collect(petstore_runtime, 40, 5)
    assert dataset(petstore_runtime, over_http, 5) == dataset(
        petstore_runtime, in_process, 5
    )


def test_sampler_stream_and_depth(petstore_runtime) -> None:
    sampler = petstore_runtime.TrajectorySampler(seed=3)
    first = [sampler.sample() for _ in range(10)]
    assert all(
        isinstance(t, petstore_runtime.Trajectory) and 2 <= t.depth <= 5 for t in first
    )
    again = petstore_runtime.TrajectorySampler(seed=3)
    assert [again.sample().to_dict() for _ in range(10)] == [t.to_dict() for t in first]
    assert sampler.depth() >= 1


def test_each_tree_keeps_its_share_so_every_operation_gets_a_focused_tree(
    petstore_runtime,
) -> None:
    """`n` spread over the operations: a small run still visits one tree per operation."""
    operations = len(
        runs.sampler_for(runs.RunConfig(petstore_runtime.__name__, seed=5)).operations
    )
    n = 2 * operations + 3
    share = runs.tree_share(petstore_runtime.__name__, n)
    assert share == 2
    collection = collect(petstore_runtime, n, 5)
    assert all(len(tree.trajectories) <= share for tree in collection.trees)
    assert len(collection.trees) >= operations
    trimmed = sum(
        count
        for tree in collection.trees
        for why, count in tree.drops.items()
        if "share" in why
    )
    assert trimmed > 0
