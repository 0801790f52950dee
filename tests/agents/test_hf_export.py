"""`--format hf` / `--hf DIR`: Hugging Face datasets that load as the JSONL's records."""

from __future__ import annotations

from pathlib import Path

import pytest

datasets = pytest.importorskip("datasets")
from click.testing import CliRunner  # noqa: E402

from envfactory_compiler.cli import main as envc  # noqa: E402

from envfactory_runtime.sampling import hf_export  # noqa: E402

from agent_helpers import PETSTORE_V3, records, runtime  # noqa: E402

SAMPLE = ("-n", "30", "--seed", "4")


def _envc(*args: str) -> None:
    result = CliRunner().invoke(envc, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _package_cli(*args: str) -> None:
    runtime(PETSTORE_V3).main(list(args))


def _same(jsonl: Path, folder: Path) -> None:
    expected = records(jsonl)
    assert expected
    assert datasets.load_from_disk(str(folder)).to_list() == expected
    assert (
        datasets.Dataset.from_parquet(str(folder / "train.parquet")).to_list()
        == expected
    )
    assert hf_export.read_hf(folder) == expected


@pytest.mark.parametrize("fmt", ["openai", "sharegpt", "raw"])
def test_sampled_records_round_trip(tmp_path: Path, fmt: str) -> None:
    jsonl, folder = tmp_path / "out.jsonl", tmp_path / "hf"
    _envc("sample", str(PETSTORE_V3), *SAMPLE, "--format", fmt, "-o", str(jsonl))
    if fmt == "openai":  # `--format hf` is the openai records as a dataset
        _envc("sample", str(PETSTORE_V3), *SAMPLE, "--format", "hf", "-o", str(folder))
    else:
        _package_cli("export-hf", str(jsonl), "-o", str(folder))
    _same(jsonl, folder)


def test_chat_messages_load_as_objects(tmp_path: Path) -> None:
    _envc(
        "sample",
        str(PETSTORE_V3),
        "-n",
        "5",
        "--format",
        "hf",
        "-o",
        str(tmp_path / "hf"),
    )
    row = datasets.load_from_disk(str(tmp_path / "hf"))[0]
    assert [m["role"] for m in row["messages"]][:2] == ["system", "user"]
    assert row["messages"][2]["tool_calls"][0]["type"] == "function"
    assert isinstance(row["metadata"]["seed"], int)  # a uniform object stays Arrow data


def test_blueprints_and_rollouts_round_trip(tmp_path: Path) -> None:
    tasks, rolled = tmp_path / "tasks.jsonl", tmp_path / "rollouts.jsonl"
    _package_cli(
        "blueprints",
        "-n",
        "3",
        "--seed",
        "1",
        "-o",
        str(tasks),
        "--hf",
        str(tmp_path / "tasks"),
    )
    _same(tasks, tmp_path / "tasks")
    _package_cli(
        "rollout",
        "--in",
        str(tasks),
        "-o",
        str(rolled),
        "--hf",
        str(tmp_path / "rollouts"),
    )
    _same(rolled, tmp_path / "rollouts")


def test_records_lacking_a_field_keep_lacking_it(tmp_path: Path) -> None:
    rows = [
        {"a": 1, "b": {"x": [1, "two"]}},
        {"a": 2},
        {"a": 3, "b": None, "c": "text"},
    ]
    about = hf_export.write_hf(rows, tmp_path / "hf")
    assert about["json_columns"] == ["b"]
    assert hf_export.read_hf(tmp_path / "hf") == rows
    assert hf_export.read_hf(tmp_path / "hf" / "train.parquet") == rows


def test_hf_needs_a_directory(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="give -o DIR"):
        _package_cli("sample", "-n", "2", "--format", "hf")
