"""The whole build of one spec: read, validate, normalise, render, infer and
verify dependencies, write.

Structural validation (openapi-spec-validator) is the slowest step that
nothing else waits on, so on a multi-core machine it runs in a forked
process while the spec is normalised and the package rendered in memory.
The package is written only once validation has passed, so a bad spec
still writes nothing; a spec that fails validation reports the
validator's diagnostics even if normalising it also failed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, SpecError
from .dependency_inference import DependencyInferencer
from .emission import EmitReport, RenderedPackage, render_package
from .environment_verifier import EnvironmentVerifier, VerifiedDAG
from .ir import NormalizedSpec
from .schema_ingestion import ParsedSpec, SchemaLoader, validate_parsed

DAG_FILE = "dag.json"


@dataclass(frozen=True)
class BuildResult:
    spec: NormalizedSpec
    report: EmitReport
    dag: VerifiedDAG
    dependency_warnings: tuple[Diagnostic, ...] = ()

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return self.spec.warnings + self.report.warnings + self.dependency_warnings


def build(
    spec_path: str,
    out_dir: Path,
    *,
    name: str | None = None,
    allow_remote: bool = False,
    max_bytes: int | None = None,
    ref_root: str | None = None,
) -> BuildResult:
    """Compile one spec into `out_dir/<name>_env/`; raises SpecError on bad input."""
    result, rendered = compile_spec(
        spec_path,
        out_dir,
        name=name,
        allow_remote=allow_remote,
        max_bytes=max_bytes,
        ref_root=ref_root,
    )
    return dataclasses.replace(result, report=rendered.write())


def compile_spec(
    spec_path: str,
    out_dir: Path,
    *,
    name: str | None = None,
    allow_remote: bool = False,
    max_bytes: int | None = None,
    ref_root: str | None = None,
) -> tuple[BuildResult, RenderedPackage]:
    """Everything `build` does except writing: the result and the package in memory."""
    loader = SchemaLoader(
        allow_remote=allow_remote,
        ref_root=ref_root,
        **({"max_bytes": max_bytes} if max_bytes else {}),
    )
    parsed = loader.read(spec_path)
    with _Validation(parsed) as validation:
        try:
            spec = loader.normalize(parsed)
            rendered = render_package(
                spec, Path(out_dir), name=name, version=__version__
            )
            dag, notes = verify_dependencies(spec, rendered)
        except Exception:
            validation.raise_problems()
            raise
        validation.raise_problems()
    rendered = rendered.with_module_file(DAG_FILE, dag.to_json(rendered.stamp))
    return BuildResult(spec, rendered.report, dag, notes), rendered


def verify_dependencies(
    spec: NormalizedSpec, rendered: RenderedPackage
) -> tuple[VerifiedDAG, tuple[Diagnostic, ...]]:
    """Infer the dependency graph and confirm it against the rendered package's engine."""
    inferencer = DependencyInferencer(spec.document)
    graph = inferencer.infer(spec.endpoints)
    verifier = EnvironmentVerifier.for_tables(
        rendered.module_json("openapi.json"), rendered.module_json("operations.json")
    )
    notes = tuple(
        dataclasses.replace(w, file=w.file or spec.source.path)
        for w in inferencer.warnings
    )
    return verifier.verify(spec, graph), notes


def _die_with_parent(parent: int) -> None:
    """The validation worker ends when the build does: a build killed by a
    timeout or a job scheduler must not leave it burning a core (Linux's
    parent-death signal; elsewhere the pool's own shutdown is all there is)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


class _Validation:
    """Validate a parsed spec, in a forked process where that is possible."""

    def __init__(self, parsed: ParsedSpec) -> None:
        self.parsed = parsed
        self.pool: ProcessPoolExecutor | None = None
        self.pending: Future | None = None

    def __enter__(self) -> "_Validation":
        if (
            os.cpu_count() or 1
        ) > 1 and "fork" in multiprocessing.get_all_start_methods():
            self.pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_die_with_parent,
                initargs=(os.getpid(),),
            )
            self.pending = self.pool.submit(validate_parsed, self.parsed)
        return self

    def raise_problems(self) -> None:
        problems = (
            self.pending.result() if self.pending else validate_parsed(self.parsed)
        )
        if problems:
            raise SpecError(problems)

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
