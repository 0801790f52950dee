"""1,000 petstore trajectories through `envc sample`: well-formed, grounded, deterministic."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from envfactory_runtime.sampling.dependencies import dag_edges

from sampling_helpers import PETSTORE, at, module_json, records, scalars
from envfactory_compiler.cli import main as envc

MIN_DEPTH, MAX_DEPTH = 2, 5
ARGS = [
    "-n",
    "1000",
    "--seed",
    "11",
    "--min-depth",
    str(MIN_DEPTH),
    "--max-depth",
    str(MAX_DEPTH),
]


def sample(out: Path, *args: str) -> str:
    result = CliRunner().invoke(
        envc, ["sample", str(PETSTORE), *args, "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("petstore") / "out.jsonl"
    return out, sample(out, *ARGS)


def test_every_record_parses_and_calls_known_tools(dataset) -> None:
    path, _ = dataset
    rows = records(path)
    assert len(rows) == 1000
    sha = module_json(PETSTORE, "dag.json")["x-envc"]["sha256"]
    for row in rows:
        names = {tool["function"]["name"] for tool in row["tools"]}
        calls = [
            c
            for m in row["messages"]
            if m["role"] == "assistant"
            for c in m.get("tool_calls") or ()
        ]
        results = [m for m in row["messages"] if m["role"] == "tool"]
        assert calls and len(calls) == len(results)
        assert all(c["function"]["name"] in names for c in calls)
        assert [c["id"] for c in calls] == [r["tool_call_id"] for r in results]
        assert all(200 <= json.loads(r["content"])["status"] < 300 for r in results)
        assert row["metadata"]["spec_sha256"] == sha and row["metadata"]["seed"] == 11
        assert (
            row["metadata"]["package_version"]
            and row["messages"][-1]["role"] == "assistant"
        )


def test_every_id_was_returned_by_an_earlier_call(dataset) -> None:
    """Path parameters and every argument a dependency edge binds come from earlier results."""
    path, _ = dataset
    operations = module_json(PETSTORE, "operations.json")["operations"]
    bound: dict[str, set[tuple[str, str]]] = {}
    for edge in dag_edges(module_json(PETSTORE, "dag.json")):
        for b in edge["bindings"]:
            key = (
                ("body", b.get("field") or "/" + b["name"])
                if b["in"] == "body"
                else ("param", b["name"])
            )
            bound.setdefault(edge["consumer"], set()).add(key)
    checked = 0
    for row in records(path):
        seen: set[str] = set()
        for message in row["messages"]:
            if message["role"] == "tool":
                seen.update(scalars(json.loads(message["content"])["body"]))
            for call in message.get("tool_calls") or ():
                name = call["function"]["name"]
                args = json.loads(call["function"]["arguments"])
                keys = bound.get(name, set()) | {
                    ("param", p["name"])
                    for p in operations[name].get("params", ())
                    if p["location"] == "path"
                }
                for kind, key in sorted(keys):
                    value = (
                        at(args.get("body"), key) if kind == "body" else args.get(key)
                    )
                    if value is not None:
                        assert str(value) in seen, (
                            name,
                            key,
                            value,
                            row["metadata"]["index"],
                        )
                        checked += 1
    assert checked > 500  # the file really exercises dependent calls


def test_depths_are_inside_the_requested_range(dataset) -> None:
    path, output = dataset
    depths = Counter(row["metadata"]["depth"] for row in records(path))
    assert set(depths) <= set(range(MIN_DEPTH, MAX_DEPTH + 1))
    assert len(depths) == MAX_DEPTH - MIN_DEPTH + 1  # calibrated: every depth occurs
    assert (
        "depth histogram: " + ", ".join(f"{d}: {n}" for d, n in sorted(depths.items()))
        in output
    )


def test_summary_reports_coverage_and_drops(dataset) -> None:
    _, output = dataset
    assert "1000 trajectories" in output
    assert "operation coverage: 19/19 (100.0%)" in output
    assert "dropped:" in output


def test_same_seed_same_bytes_with_workers(dataset, tmp_path: Path) -> None:
    path, _ = dataset
    again = tmp_path / "again.jsonl"
    sample(again, *ARGS, "--workers", "2")
    assert again.read_bytes() == path.read_bytes()


def test_another_seed_gives_other_trajectories(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    sample(first, "-n", "20", "--seed", "1")
    sample(second, "-n", "20", "--seed", "2")
    assert first.read_bytes() != second.read_bytes()


def test_nothing_to_sample_is_an_error_and_writes_nothing(tmp_path) -> None:
    """link-example is read-only: without seeded items no call can start."""
    out = tmp_path / "out.jsonl"
    project = PETSTORE.parent / "link_example_env"
    result = CliRunner().invoke(
        envc, ["sample", str(project), "-n", "5", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert (
        "no trajectory could be sampled" in result.output
        and "never covered" in result.output
    )
    assert not out.exists()
