"""Sample trajectories from a built package; read operation coverage off its summary.

Each task starts with one seeded item per resource (`--fixtures 1`, as
verification does), so read-only APIs have ids for their first calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import processes

_COVERAGE = re.compile(r"operation coverage: (\d+)/(\d+)")
_NEVER = re.compile(r"^\s+never covered: (\S+): (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class SamplingOutcome:
    ran: bool
    covered: int = 0  # operations answering 2xx in some sampled trajectory
    operations: int = 0
    trajectories: int = 0
    uncovered: dict[str, str] = field(
        default_factory=dict
    )  # operation -> why no trajectory covers it
    note: str = ""


def sample(
    project: Path, work: Path, *, count: int, seed: int, timeout: float
) -> SamplingOutcome:
    """`python -m <package> sample -n COUNT --seed SEED`, its coverage lines parsed."""
    out = work / "trajectories.jsonl"
    finished = processes.run(
        [
            processes.python(),
            "-m",
            project.name,
            "sample",
            "-n",
            str(count),
            "--seed",
            str(seed),
            "--fixtures",
            "1",
            "-o",
            str(out),
        ],
        log=work / "sample.log",
        timeout=timeout,
        env={"PYTHONPATH": str(project)},
    )
    coverage = _COVERAGE.search(finished.output)
    if finished.returncode != 0 or coverage is None:
        why = (
            f"timed out after {timeout:.0f} s"
            if finished.timed_out
            else " ".join(finished.output.strip().splitlines()[-3:])
        )
        return SamplingOutcome(False, note=why[:400])
    lines = _lines(out)
    # A parameter that cannot be resolved is reported under its operation's name: said once is enough.
    uncovered = {
        name: why.removeprefix(f"{name}: ")
        for name, why in _NEVER.findall(finished.output)
    }
    return SamplingOutcome(True, int(coverage[1]), int(coverage[2]), lines, uncovered)


def _lines(path: Path) -> int:
    """The records a JSONL file holds, read a block at a time: a package's
    records can run to gigabytes (Kubernetes' held every tool schema)."""
    if not path.is_file():
        return 0
    with path.open("rb") as handle:
        return sum(
            block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")
        )
