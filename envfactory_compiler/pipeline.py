"""The whole build of one spec: read, validate, normalise, render, infer and
verify dependencies, write.

Structural validation (openapi-spec-validator) and `models.py`
(datamodel-code-generator and black) are the slowest steps, and nothing but
the finished package waits on them: on a multi-core machine each runs in a
forked process (`forked.py`) while the spec is normalised, the package
rendered in memory and its dependencies inferred and verified. The package is
written only once validation has passed, so a bad spec still writes nothing;
a spec that fails validation reports the validator's diagnostics even if
normalising it also failed. Validation is lenient unless `strict`: when it
left parts out, the settled spec is normalised and rendered again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, deep_stack
from .stage_times import StageTimes
from .diagnostics import Diagnostic, SpecError
from .emission import EmitReport, RenderedPackage, python_files, render_package
from .forked import Forked
from .ir import NormalizedSpec
from .schema_ingestion import ParsedSpec, SchemaLoader, check_parsed

if TYPE_CHECKING:  # imported once the workers are forked (`verify_dependencies`)
    from .environment_verifier import VerifiedDAG

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
        with Forked(python_files, spec, version=__version__) as python:
            with times.stage("render"):
                rendered = render_package(
                    spec,
                    Path(out_dir),
                    name=name,
                    version=__version__,
                    standalone=standalone,
                    python=False,
                )
            dag, notes = verify_dependencies(spec, rendered, times)
            rendered = rendered.with_python(_waited(times, "models", python))
        return spec, rendered, dag, notes

    with Forked(_checked, parsed, strict) as validation:
        try:
            first = compiled(parsed)
        except Exception as exc:
            first, failure = None, exc
        settled, problems = _waited(times, "validate", validation)
        if problems:
            raise SpecError(problems)
        if first is None and settled is None:
            raise failure
    # lenient validation left parts out: compile what is left
    spec, rendered, dag, notes = compiled(settled) if settled is not None else first
    rendered = rendered.with_module_file(DAG_FILE, dag.to_json(rendered.stamp))
    return BuildResult(spec, rendered.report, dag, notes, times.pairs()), rendered


def verify_dependencies(
    spec: NormalizedSpec, rendered: RenderedPackage, times: StageTimes | None = None
) -> tuple[VerifiedDAG, tuple[Diagnostic, ...]]:
    """Infer the dependency graph and confirm it against the rendered package's engine."""
    # Imported here, not at the top: a build has forked its workers by now, and
    # they need neither (nor networkx, nor the runtime's engine).
    from .dependency_inference import DependencyInferencer
    from .environment_verifier import EnvironmentVerifier

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


def _waited(times: StageTimes, stage: str, forked: Forked) -> Any:
    """A forked stage's result; `stage` is the time it took, `<stage>_wait` how long the build waited."""
    with times.stage(f"{stage}_wait"):
        value, seconds = forked.result()
    times.add(stage, seconds)
    return value


def _checked(
    parsed: ParsedSpec, strict: bool
) -> tuple[ParsedSpec | None, list[Diagnostic]]:
    """`check_parsed` in a form that crosses a process boundary: (the changed
    spec or None, errors)."""
    try:
        checked = check_parsed(parsed, strict=strict)
    except SpecError as exc:
        return None, list(exc.diagnostics)
    return (None if checked is parsed else checked), []
