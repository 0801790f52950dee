"""Build one spec with `envc build` in a child process: time, peak memory, result."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from envfactory_runtime.sampling.dependencies import dag_edges

from . import processes

_SUMMARY = re.compile(
    r"^(?P<package>\w+): (?P<operations>\d+) operations(?: \((?P<left_out>\d+) left out\))?, "
    r".* (?P<warnings>\d+) warnings -> ",
    re.M,
)


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    seconds: float
    peak_mib: float
    project: Path | None  # the package's project directory when the build succeeded
    operations: int = 0  # operations in the package
    warnings: int = 0
    left_out: int = 0  # operations lenient validation left out
    confirmed_edges: int = 0
    diagnostic: str = ""  # the first lines of envc's output when the build failed


def build(spec: Path, out_dir: Path, *, name: str, timeout: float) -> BuildOutcome:
    """`envc build SPEC -o OUT --name NAME`, measured."""
    finished = processes.run(
        [
            processes.python(),
            "-m",
            "envfactory_compiler",
            "build",
            str(spec),
            "-o",
            str(out_dir),
            "--name",
            name,
        ],
        log=out_dir / f"{name}.build.log",
        timeout=timeout,
    )
    summary = _SUMMARY.search(finished.output)
    if finished.returncode != 0 or summary is None:
        why = (
            f"timed out after {timeout:.0f} s"
            if finished.timed_out
            else _first_lines(finished.output)
        )
        return BuildOutcome(
            False, finished.seconds, finished.peak_mib, None, diagnostic=why
        )
    project = out_dir / summary["package"]
    return BuildOutcome(
        True,
        finished.seconds,
        finished.peak_mib,
        project,
        int(summary["operations"]),
        int(summary["warnings"]),
        int(summary["left_out"] or 0),
        _confirmed_edges(project / summary["package"] / "dag.json"),
    )


def _confirmed_edges(dag: Path) -> int:
    edges = dag_edges(json.loads(dag.read_text(encoding="utf-8")))
    return sum(1 for edge in edges if edge["confirmed"])


def _first_lines(output: str, lines: int = 4) -> str:
    return " ".join(output.strip().splitlines()[:lines])[:600]
