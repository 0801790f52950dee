"""The whole build of one spec: read, validate, normalise, render, infer and
verify dependencies, write.

Structural validation (openapi-spec-validator) is the slowest step that
nothing else waits on, so on a multi-core machine it runs in a forked
process while the spec is normalised and the package rendered in memory.
The package is written only once validation has passed, so a bad spec
still writes nothing; a spec that fails validation reports the
validator's diagnostics even if normalising it also failed. Validation is
lenient unless `strict`: when it left parts out, the settled spec is
normalised and rendered again.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import multiprocessing
import os
import signal
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import __version__, deep_stack
from .stage_times import StageTimes
from .diagnostics import Diagnostic, SpecError
from .dependency_inference import DependencyInferencer
from .emission import EmitReport, RenderedPackage, render_package
from .environment_verifier import EnvironmentVerifier, VerifiedDAG
from .ir import NormalizedSpec
from .schema_ingestion import ParsedSpec, SchemaLoader, check_parsed

DAG_FILE = "dag.json"


@dataclass(frozen=True)
class BuildResult:
    spec: NormalizedSpec
    report: EmitReport
    dag: VerifiedDAG
    dependency_warnings: tuple[Diagnostic, ...] = ()
    stages: tuple[tuple[str, float], ...] = ()  # (stage, seconds): `stage_times`

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
    strict: bool = False,
    standalone: bool = False,
) -> BuildResult:
    """Compile one spec into `out_dir/<name>_env/`; raises SpecError on bad input."""
    result, rendered = compile_spec(
        spec_path,
        out_dir,
        name=name,
        allow_remote=allow_remote,
        max_bytes=max_bytes,
        ref_root=ref_root,
        strict=strict,
        standalone=standalone,
    )
    times = StageTimes()
    with times.stage("write"):
        report = rendered.write()
    return dataclasses.replace(
        result, report=report, stages=result.stages + times.pairs()
    )


def compile_spec(
    spec_path: str, out_dir: Path, **options: object
) -> tuple[BuildResult, RenderedPackage]:
    """Everything `build` does except writing: the result and the package in memory."""
    return deep_stack.call(_compile, spec_path, out_dir, **options)


def _compile(
    spec_path: str,
    out_dir: Path,
    *,
    name: str | None = None,
    allow_remote: bool = False,
    max_bytes: int | None = None,
    ref_root: str | None = None,
    strict: bool = False,
    standalone: bool = False,
) -> tuple[BuildResult, RenderedPackage]:
    loader = SchemaLoader(
        allow_remote=allow_remote,
        ref_root=ref_root,
        **({"max_bytes": max_bytes} if max_bytes else {}),
    )
    times = StageTimes()
    with times.stage("read"):
        parsed = loader.read(spec_path)

    def compiled(
        spec_in: ParsedSpec,
    ) -> tuple[NormalizedSpec, RenderedPackage, VerifiedDAG, tuple[Diagnostic, ...]]:
        with times.stage("normalise"):
            spec = loader.normalize(spec_in)
        with times.stage("render"):
            rendered = render_package(
                spec,
                Path(out_dir),
                name=name,
                version=__version__,
                standalone=standalone,
            )
        return spec, rendered, *verify_dependencies(spec, rendered, times)

    with _Validation(parsed, strict, times) as validation:
        try:
            spec, rendered, dag, notes = compiled(parsed)
        except Exception:
            if validation.settled() is None:
                raise
        settled = validation.settled()
    if settled is not None:  # lenient validation left parts out: compile what is left
        spec, rendered, dag, notes = compiled(settled)
    rendered = rendered.with_module_file(DAG_FILE, dag.to_json(rendered.stamp))
    return BuildResult(spec, rendered.report, dag, notes, times.pairs()), rendered


def verify_dependencies(
    spec: NormalizedSpec, rendered: RenderedPackage, times: StageTimes | None = None
) -> tuple[VerifiedDAG, tuple[Diagnostic, ...]]:
    """Infer the dependency graph and confirm it against the rendered package's engine."""
    times = times or StageTimes()
    with times.stage("infer"):
        inferencer = DependencyInferencer(spec.document)
        graph = inferencer.infer(spec.endpoints)
    with times.stage("verify"):
        verifier = EnvironmentVerifier.for_tables(
            rendered.module_json("openapi.json"),
            rendered.module_json("operations.json"),
        )
        dag = verifier.verify(spec, graph)
    notes = tuple(
        dataclasses.replace(w, file=w.file or spec.source.path)
        for w in inferencer.warnings
    )
    return dag, notes


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

    def __init__(self, parsed: ParsedSpec, strict: bool, times: StageTimes) -> None:
        self.parsed = parsed
        self.strict = strict
        self.times = times
        self.pool: ProcessPoolExecutor | None = None
        self.pending: Future | None = None
        self.outcome: tuple[ParsedSpec | None, list[Diagnostic], float] | None = None

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
            self.pending = self.pool.submit(_checked, self.parsed, self.strict)
        return self

    def settled(self) -> ParsedSpec | None:
        """The spec lenient validation settled, None when it needed no change; SpecError when invalid."""
        if self.outcome is None:
            with self.times.stage("validate_wait"):
                self.outcome = (
                    self.pending.result()
                    if self.pending
                    else _checked(self.parsed, self.strict)
                )
            self.times.add("validate", self.outcome[2])
        settled, problems, _ = self.outcome
        if problems:
            raise SpecError(problems)
        return settled

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _checked(
    parsed: ParsedSpec, strict: bool
) -> tuple[ParsedSpec | None, list[Diagnostic], float]:
    """`check_parsed` in a form that crosses a process boundary: (the changed
    spec or None, errors, seconds it took)."""
    start = time.perf_counter()
    try:
        checked = check_parsed(parsed, strict=strict)
    except SpecError as exc:
        return None, list(exc.diagnostics), time.perf_counter() - start
    return (None if checked is parsed else checked), [], time.perf_counter() - start
