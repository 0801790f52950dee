"""The corpus runner: build, serve, test and sample every spec in a directory.

Each spec goes through the stages a user would run, each in its own child
process with a deadline: `envc build` (timed, peak memory measured), the
sandbox served with Schemathesis `--checks all` against it (conformance),
and `python -m <package> sample` (operation coverage of the trajectories).
One `Row` per spec; `table` renders them as markdown and JSON.
"""

from __future__ import annotations

import random
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..diagnostics import SpecError
from ..schema_ingestion.normalization import METHODS
from ..schema_ingestion.reading import parse, read_source
from . import building, conformance, sampling
from .table import Row, to_json, to_markdown

__all__ = [
    "CorpusSettings",
    "Row",
    "run_corpus",
    "sample_specs",
    "spec_files",
    "to_json",
    "to_markdown",
]

STAGES = ("build", "conformance", "sample")


@dataclass(frozen=True)
class CorpusSettings:
    max_examples: int = 10  # Schemathesis examples per operation
    samples: int = 100  # trajectories sampled per spec, at the least
    per_operation: int = 3  # and this many per operation (a tree keeps up to 3 paths)
    seed: int = 0
    build_timeout: float = 600
    stage_timeout: float = 900
    stage_seconds_per_operation: float = 4.0
    stages: tuple[str, ...] = STAGES

    def stage_deadline(self, operations: int | None) -> float:
        """Seconds Schemathesis, or the sampling, may take on a spec: both do work per
        operation, so a large API (Kubernetes: 845 operations, Schemathesis 3.4 s each in
        batches of 100) gets time in proportion rather than a verdict of "timed out"."""
        return max(
            self.stage_timeout, self.stage_seconds_per_operation * (operations or 0)
        )

    def trajectories(self, operations: int | None) -> int:
        """The sampling budget of a spec: enough trees for each operation to be one's focus once
        (the sampler keeps up to 3 paths a tree), so coverage says what sampling can reach, not
        how far a fixed budget stretches over a large API."""
        return max(self.samples, self.per_operation * (operations or 0))

    def describe(self) -> dict:
        return {
            "Schemathesis --max-examples": self.max_examples,
            "seed": self.seed,
            "trajectories per spec": f"max({self.samples}, {self.per_operation} x operations)",
            "stage deadline": f"max({self.stage_timeout:g} s, {self.stage_seconds_per_operation:g} s x operations)",
            "stages": "/".join(self.stages),
        }


def spec_files(directory: Path) -> list[Path]:
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix in (".yaml", ".yml", ".json") and p.is_file()
    )


def sample_specs(specs: list[Path], size: int, *, seed: int) -> list[Path]:
    """A seeded random sample, in file-name order: the same seed and folder give the same specs,
    so a fix is judged on a fresh seed, not on the files it was tuned on."""
    chosen = random.Random(seed).sample(sorted(specs), min(size, len(specs)))
    return sorted(chosen)


def run_corpus(
    specs: list[Path], work_dir: Path, settings: CorpusSettings, *, jobs: int = 1
) -> list[Row]:
    """One row per spec, in the order given; `jobs` specs run at a time."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(
            pool.map(lambda spec: run_one(spec, work_dir / spec.stem, settings), specs)
        )


def run_one(spec: Path, work: Path, settings: CorpusSettings) -> Row:
    """Every stage for one spec; a stage that cannot run leaves a note and its cells empty."""
    work.mkdir(parents=True, exist_ok=True)
    version, operations = spec_facts(spec)
    built = building.build(
        spec, work, name=_package_name(spec), timeout=settings.build_timeout
    )
    row = Row(
        spec.name,
        version,
        operations,
        built.ok,
        round(built.seconds, 2),
        round(built.peak_mib, 1),
        built.warnings,
        built.left_out,
        notes=() if built.ok else (built.diagnostic,),
    )
    if not built.ok:
        return row
    row = replace(row, confirmed_edges=built.confirmed_edges)
    if "conformance" in settings.stages:
        tested = conformance.check(
            built.project,
            work,
            max_examples=settings.max_examples,
            seed=settings.seed,
            timeout=settings.stage_deadline(operations),
        )
        row = replace(
            row,
            served=tested.served if tested.ran else None,
            failures=tested.failures,
            findings=tested.findings,
            notes=row.notes + ((tested.note,) if tested.note else ()),
        )
    if "sample" in settings.stages and operations == 0:
        row = replace(row, notes=row.notes + ("no operations to sample",))
    elif "sample" in settings.stages:
        sampled = sampling.sample(
            built.project,
            work,
            count=settings.trajectories(operations),
            seed=settings.seed,
            timeout=settings.stage_deadline(operations),
        )
        row = replace(
            row,
            # a spec that samples nothing counts as covering none of its operations
            covered=sampled.covered if sampled.ran else 0,
            sampled_operations=sampled.operations if sampled.ran else operations,
            trajectories=sampled.trajectories if sampled.ran else None,
            uncovered=sampled.uncovered,
            notes=row.notes + ((f"sampling: {sampled.note}",) if sampled.note else ()),
        )
    return row


def spec_facts(spec: Path) -> tuple[str, int | None]:
    """The declared OpenAPI version and the number of operations, when the spec can be read."""
    try:
        text, _ = read_source(str(spec), allow_remote=False)
        document = parse(text, str(spec))
    except SpecError:
        return "?", None
    if not isinstance(document, dict):
        return "?", None
    version = str(document.get("openapi") or document.get("swagger") or "?")
    paths = document.get("paths") if isinstance(document.get("paths"), dict) else {}
    return version, sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for m in METHODS
        if m in item
    )


def _package_name(spec: Path) -> str:
    name = re.sub(r"\W+", "_", spec.stem).strip("_").lower()
    return f"c_{name}"[:60]
