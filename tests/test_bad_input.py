"""Bad specs: exit 1, a diagnostic naming file and JSON pointer, no traceback,
and an existing output package left exactly as it was."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, build, run_envc, tree_digest
from envfactory_compiler.corpus import processes

BAD = ROOT / "tests" / "bad_specs"
sys.path.insert(0, str(BAD))
from make_large import EXPECTED_MESSAGE, write_large_spec  # noqa: E402


def _expected() -> list[dict[str, str]]:
    with (BAD / "EXPECTED.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


CASES = _expected()


@pytest.fixture(scope="module")
def existing(tmp_path_factory) -> Path:
    """A good package already in the output directory."""
    out = tmp_path_factory.mktemp("existing")
    build(ROOT / "specs" / "petstore.yaml", out, name="keep")
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_spec_is_rejected_without_writing(
    case: dict[str, str], existing: Path
) -> None:
    """Every bad spec fails --strict; those marked 'fails' fail the default lenient build too."""
    for mode in ("--strict",) + (("",) if case["lenient"] == "fails" else ()):
        before = tree_digest(existing)
        started = time.monotonic()
        result = run_envc(
            "build",
            str(BAD / case["file"]),
            "-o",
            str(existing),
            "--name",
            "keep",
            *([mode] if mode else []),
        )
        assert time.monotonic() - started < 30
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert case["file"] in result.output
        pointer = case["pointer"]
        if pointer != "/":
            assert f"#{pointer}" in result.output, result.output
        assert case["message_substring"].lower() in result.output.lower(), result.output
        assert "nothing was written" in result.output
        assert tree_digest(existing) == before


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c["lenient"] == "builds"],
    ids=[c["file"] for c in CASES if c["lenient"] == "builds"],
)
def test_lenient_build_leaves_out_what_is_invalid(
    case: dict[str, str], tmp_path: Path
) -> None:
    """What --strict refuses but compilation does not need builds, with a warning at the same pointer."""
    result = run_envc("build", str(BAD / case["file"]), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (
        f"#{case['pointer']}" in result.output and ": warning: " in result.output
    ), result.output
    assert "1 operations" in result.output


def test_oversized_spec_is_refused_quickly(tmp_path: Path) -> None:
    spec = tmp_path / "large.yaml"
    write_large_spec(spec, megabytes=50)
    started = time.monotonic()
    result = run_envc("build", str(spec), "-o", str(tmp_path / "out"))
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert EXPECTED_MESSAGE in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


MEMORY_CASES = [
    "alias_bomb.yaml",
    "ref_cycle.yaml",
    "truncated.yaml",
    "non_utf8.yaml",
    "wrong_types.yaml",
]


def test_bad_specs_stay_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """The real process: one paragraph on stderr, exit 1, under 30 s and 1 GiB each."""
    spec = write_large_spec(tmp_path / "large.yaml", megabytes=50)
    for path in [spec, *(BAD / name for name in MEMORY_CASES)]:
        finished = processes.run(
            [
                sys.executable,
                "-m",
                "envfactory_compiler",
                "build",
                str(path),
                "-o",
                str(tmp_path / "out"),
            ],
            log=tmp_path / "build.log",
            timeout=60,
        )
        assert finished.returncode == 1, finished.output
        assert finished.seconds < 30 and finished.peak_mib < 1024, (
            path.name,
            finished.seconds,
            finished.peak_mib,
        )
        assert "Traceback" not in finished.output and path.name in finished.output
        assert not (tmp_path / "out").exists()


def test_cli_process_prints_no_traceback(tmp_path: Path) -> None:
    """The real process, not the in-process runner: stderr has the diagnostic only."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "envfactory_compiler",
            "build",
            str(BAD / "truncated.yaml"),
            "-o",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "truncated.yaml" in proc.stderr and "yaml" in proc.stderr.lower()
    assert list(tmp_path.iterdir()) == []


def _nested_spec(path: Path, levels: int) -> Path:
    """A response schema `levels` objects deep (real specs nest past Python's default recursion limit)."""
    schema: dict = {"type": "string"}
    for level in range(levels):
        schema = {"type": "object", "properties": {f"level{level}": schema}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Deep", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Deep"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Deep": schema}},
    }
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, levels * 10))
    try:
        path.write_text(json.dumps(document), encoding="utf-8")
    finally:
        sys.setrecursionlimit(limit)
    return path


def test_deeply_nested_schemas_build(tmp_path: Path) -> None:
    """600 schema levels (1,200 JSON levels) recurse past 1,000 frames: a tool limit, not a bad spec."""
    result = run_envc(
        "build",
        str(_nested_spec(tmp_path / "deep.json", 600)),
        "-o",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 0, result.output
    assert "deep_env: 1 operations" in result.output


def test_nesting_past_the_limit_is_a_diagnostic(tmp_path: Path) -> None:
    result = run_envc(
        "build",
        str(_nested_spec(tmp_path / "deeper.json", 3000)),
        "-o",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 1
    assert (
        "deeper.json#/components/schemas/Deep/properties: error: the document nests more than 5,000 levels"
        in result.output
    )
    assert not (tmp_path / "out").exists()
