"""`envc`: the command line. Thin: parse options, call the pipeline, report."""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
import traceback
from pathlib import Path

from typing import TYPE_CHECKING

import click

from . import __version__
from . import stage_times
from .diagnostics import SpecError
from .graph_formats import FORMATS
from .graph_formats import render as render_graph
from .pipeline import DAG_FILE, compile_spec
from .pipeline import build as build_spec
from .schema_ingestion import SchemaLoader

if TYPE_CHECKING:  # the verifier and the corpus runner are imported by the commands
    # that use them: `envc build` forks its workers before it imports them
    from .environment_verifier import VerifiedDAG

MAX_WARNINGS_SHOWN = 10


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="envc")
def main() -> None:
    """Compile OpenAPI specs into stateful sandbox packages for tool-using agents."""


@main.command()
@click.argument("spec", metavar="SPEC")
@click.option(
    "-o",
    "--out",
    "out_dir",
    default="generated",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory that receives <name>_env/.",
)
@click.option(
    "--name", help="Package name (default: a slug of info.title); '_env' is appended."
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow fetching the spec or its $refs over HTTP(S).",
)
@click.option(
    "--max-bytes",
    type=int,
    default=None,
    help="Largest spec file accepted (default 32 MiB).",
)
@click.option(
    "--ref-root",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Folder a file $ref may reach into (default: the spec's own folder).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse a spec the OpenAPI schema does not accept (default: leave out what it objects to, warn).",
)
@click.option(
    "--fail-on-warning", is_flag=True, help="Exit 1 when the build has warnings."
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Show every warning, not just the first few."
)
@click.option(
    "--timings", is_flag=True, help="Print the seconds each build stage took."
)
@click.option(
    "--standalone",
    is_flag=True,
    help="Copy the runtime into the package (<name>_env/_runtime/): it installs with nothing else.",
)
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def build(
    spec: str,
    out_dir: Path,
    name: str | None,
    allow_remote: bool,
    max_bytes: int | None,
    ref_root: str | None,
    strict: bool,
    fail_on_warning: bool,
    verbose: bool,
    timings: bool,
    standalone: bool,
    debug: bool,
) -> None:
    """Compile SPEC (OpenAPI 2.0/3.0/3.1, YAML or JSON) into OUT/<name>_env/.

    The package holds the bundled spec, compiled tables, verified dependencies,
    pydantic models and tool schemas; envfactory_runtime (installed, or copied
    in with --standalone) serves and samples them. On bad input nothing is written.
    """
    try:
        result = build_spec(
            spec,
            out_dir,
            name=name,
            allow_remote=allow_remote,
            max_bytes=max_bytes,
            ref_root=ref_root,
            strict=strict,
            standalone=standalone,
        )
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.render(), err=True)
        click.echo(
            f"envc: {spec}: build failed ({len(exc.diagnostics)} error(s)); nothing was written",
            err=True,
        )
        sys.exit(1)
    except (
        Exception
    ) as exc:  # noqa: BLE001 - a bug: say so plainly, traceback on request
        if debug:
            traceback.print_exc()
        click.echo(
            f"envc: internal error while compiling {spec}: {type(exc).__name__}: {exc}"
            + ("" if debug else " (rerun with --debug for the traceback)"),
            err=True,
        )
        sys.exit(2)
    warnings = result.warnings
    for diagnostic in warnings if verbose else warnings[:MAX_WARNINGS_SHOWN]:
        click.echo(diagnostic.render(), err=True)
    if len(warnings) > MAX_WARNINGS_SHOWN and not verbose:
        click.echo(
            f"... {len(warnings) - MAX_WARNINGS_SHOWN} more warning(s); use --verbose",
            err=True,
        )
    report, dag = result.report, result.dag
    left_out = (
        f" ({len(result.spec.left_out)} left out)" if result.spec.left_out else ""
    )
    click.echo(
        f"{report.package}: {report.operations} operations{left_out}, {report.resources} resources, "
        f"{report.models} models, dependencies {len(dag.confirmed_edges())} confirmed / "
        f"{len(dag.unconfirmed_edges())} unconfirmed (depth {dag.depth()}), {len(warnings)} warnings -> {report.path}"
    )
    if timings:
        click.echo(stage_times.render(result.stages), err=True)
    if fail_on_warning and warnings:
        sys.exit(1)


def _module_dir(package: Path) -> Path:
    """Accept a project directory (generated/x_env) or its inner package."""
    inner = package / package.name
    return inner if (inner / "openapi.json").is_file() else package


def _package_dag(package: Path) -> VerifiedDAG:
    from .environment_verifier import VerifiedDAG

    path = _module_dir(package) / DAG_FILE
    if not path.is_file():
        raise click.ClickException(
            f"{package} has no {DAG_FILE}: is it a package built by envc?"
        )
    return VerifiedDAG.from_json(path.read_text(encoding="utf-8"))


@main.command()
@click.argument(
    "target", metavar="SPEC_OR_PACKAGE", type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="mermaid",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout (required for png).",
)
def graph(target: Path, fmt: str, output: Path | None) -> None:
    """Show the dependency graph of a spec or a built package.

    Confirmed edges are solid, unconfirmed ones dashed. For a spec, the
    package is compiled and verified in memory; nothing is written.
    """
    if target.is_dir():
        dag = _package_dag(target)
    else:
        try:
            result, _ = compile_spec(str(target), Path(tempfile.gettempdir()))
        except SpecError as exc:
            for diagnostic in exc.diagnostics:
                click.echo(diagnostic.render(), err=True)
            sys.exit(1)
        dag = result.dag
    try:
        text = render_graph(dag, fmt)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    if output is not None:
        output.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    elif isinstance(text, bytes):
        raise click.ClickException("--format png needs -o FILE")
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument(
    "package", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--base-url",
    help="Verify against this served API (the sandbox or the real one) instead of in process.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed for generated request values.",
)
def verify(package: Path, base_url: str | None, seed: int) -> None:
    """Re-run dependency verification of a built PACKAGE and print each edge's verdict.

    Every edge of the package's dag.json is executed: producer, then the
    consumer with the produced value (expects 2xx) and with a value no
    producer made (expects 4xx).
    """
    from .environment_verifier import EnvironmentVerifier

    module_dir = _module_dir(package)
    spec = SchemaLoader().load(str(module_dir / "openapi.json"))
    recorded = _package_dag(package)
    verifier = (
        EnvironmentVerifier.over_http(spec, base_url, seed=seed)
        if base_url
        else EnvironmentVerifier.in_process(module_dir, seed=seed)
    )
    dag = verifier.verify(spec, recorded.graph(confirmed_only=False))
    for verdict in sorted(
        dag.verdicts, key=lambda v: (not v.confirmed, v.producer, v.consumer)
    ):
        mark = "confirmed  " if verdict.confirmed else "unconfirmed"
        click.echo(f"{mark} {verdict.producer} -> {verdict.consumer}: {verdict.reason}")
    click.echo(
        f"{len(dag.confirmed_edges())} confirmed, {len(dag.unconfirmed_edges())} unconfirmed, depth {dag.depth()}"
    )


@main.command(
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    }
)
@click.argument(
    "package", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sample(package: Path, args: tuple[str, ...]) -> None:
    """Sample training trajectories from a built PACKAGE (runs `python -m <package> sample ARGS`).

    ARGS: -n N --seed S -o out.jsonl [--format openai|sharegpt|raw|hf] [--workers K]
    [--engine local|ray] [--min-depth D] [--max-depth D] [--fixtures N] [--base-url URL];
    `envc sample PACKAGE --help` lists them all. `envc sample A B ... ARGS` samples
    several packages in one run into one JSONL, each as it alone would be.
    """
    more = list(itertools.takewhile(_is_package_dir, args))
    if not more:
        _package(package).main(["sample", *args])
        return
    from envfactory_runtime.cli.main import sample_packages

    names = [_package(p).__name__ for p in (package, *map(Path, more))]
    sample_packages(names, list(args[len(more) :]))


def _is_package_dir(arg: str) -> bool:
    return (_module_dir(Path(arg)) / "__init__.py").is_file()


def _forwarded(command: str, summary: str) -> None:
    """Register `envc COMMAND PACKAGE ARGS`: runs `python -m <package> COMMAND ARGS`."""

    def forward(package: Path, args: tuple[str, ...]) -> None:
        _package(package).main([command, *args])

    forward.__doc__ = f"{summary} (runs `python -m <package> {command} ARGS`; `--help` after PACKAGE lists ARGS)."
    main.command(
        command,
        context_settings={
            "ignore_unknown_options": True,
            "allow_extra_args": True,
            "help_option_names": [],
        },
    )(
        click.argument(
            "package", type=click.Path(exists=True, file_okay=False, path_type=Path)
        )(click.argument("args", nargs=-1, type=click.UNPROCESSED)(forward))
    )


_forwarded(
    "blueprints",
    "Verified task blueprints from a built PACKAGE: -n N --seed S -o blueprints.jsonl "
    "[--best-of N] [--max-attempts N] [--committee --min-correctness X] [--recombine] [--policies FILE]",
)
_forwarded(
    "rollout",
    "Replay or natural rollouts of blueprints: --in blueprints.jsonl --agent replay|natural "
    "[-k TRIALS] [--format openai|sharegpt] [-o out.jsonl] [--serve | --base-url URL]",
)
_forwarded(
    "evaluate",
    "Score rollout answers with AgentFlow's metrics: --in rollouts.jsonl [--metric NAME]",
)
_forwarded(
    "qa", "Multi-hop QA pairs from blueprints: --in blueprints.jsonl -o qa.jsonl"
)


@main.command()
@click.argument("records", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--package",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The package that wrote RECORDS: knows its reads, and replays blueprints.",
)
@click.option("--json", "as_json", is_flag=True, help="Every figure as JSON.")
def quality(records: Path, package: Path | None, as_json: bool) -> None:
    """Data-quality figures of a sample, blueprint or rollout JSONL: grounded argument
    values, artifacts in user messages, distinct shapes, connected steps, repeated
    reads, optional and server-owned body fields, arguments off their tool's schema."""
    if package is not None:
        _package(package).main(
            ["quality", str(records), *(["--json"] if as_json else [])]
        )
        return
    figures = _standalone_quality()
    rows = figures.read_jsonl(records)
    if rows and "actions" in rows[0]:
        raise click.ClickException(
            "blueprints are measured against their replayed answers: add --package"
        )
    report = figures.QualityReport.of(rows)
    click.echo(
        json.dumps(report.as_dict(), sort_keys=True) if as_json else report.render()
    )


def _standalone_quality():
    """The runtime's `quality` module: it needs no package."""
    from envfactory_runtime.tasks import quality

    return quality


def _package(package: Path):
    """A built package, imported from its project directory."""
    module_dir = _module_dir(package).resolve()
    if not (module_dir / "__init__.py").is_file():
        raise click.ClickException(f"{package} is not a package built by envc")
    from envfactory_runtime import load

    try:
        return load(module_dir)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.argument(
    "spec_dir",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--markdown",
    "markdown_path",
    default="docs/corpus.md",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where the markdown table goes.",
)
@click.option(
    "--json",
    "json_path",
    default="docs/corpus.json",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where the JSON table goes.",
)
@click.option(
    "--work",
    "work_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the packages, logs and reports here (default: a temporary directory).",
)
@click.option(
    "-j",
    "--jobs",
    type=int,
    default=1,
    show_default=True,
    help="Specs processed at a time.",
)
@click.option(
    "--max-examples",
    type=int,
    default=10,
    show_default=True,
    help="Schemathesis examples per operation.",
)
@click.option(
    "--samples",
    type=int,
    default=100,
    show_default=True,
    help="Trajectories sampled per spec, at the least (and 3 per operation, so each is a tree's focus once).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the sample, of Schemathesis and of the sampled trajectories.",
)
@click.option(
    "--sample",
    "sample_size",
    type=int,
    default=None,
    help="Take a seeded random sample of N specs from DIR instead of all of them.",
)
@click.option(
    "--build-timeout",
    type=float,
    default=600,
    show_default=True,
    help="Seconds one build may take.",
)
@click.option(
    "--stage-timeout",
    type=float,
    default=900,
    show_default=True,
    help="Seconds Schemathesis, or the sampling, may take on one spec; a spec of"
    " more than a quarter as many operations gets 4 s per operation.",
)
@click.option(
    "--stages",
    default=None,
    help="Comma-separated stages to run after the build: conformance, sample (default: both).",
)
def corpus(
    spec_dir: Path,
    markdown_path: Path,
    json_path: Path,
    work_dir: Path | None,
    jobs: int,
    max_examples: int,
    samples: int,
    seed: int,
    sample_size: int | None,
    build_timeout: float,
    stage_timeout: float,
    stages: str | None,
) -> None:
    """Build, serve (Schemathesis --checks all) and sample every spec in DIR; write one table.

    Exits 1 when a spec fails to build or Schemathesis reports a failure.
    """
    from . import corpus as corpus_runner

    stages = stages or ",".join(corpus_runner.STAGES)
    wanted = tuple(
        s for s in ("build", *stages.split(",")) if s in corpus_runner.STAGES
    )
    settings = corpus_runner.CorpusSettings(
        max_examples=max_examples,
        samples=samples,
        seed=seed,
        build_timeout=build_timeout,
        stage_timeout=stage_timeout,
        stages=tuple(dict.fromkeys(wanted)),
    )
    specs = corpus_runner.spec_files(spec_dir)
    if sample_size is not None:
        specs = corpus_runner.sample_specs(specs, sample_size, seed=seed)
    with tempfile.TemporaryDirectory(prefix="envc-corpus-") as scratch:
        rows = corpus_runner.run_corpus(
            specs, work_dir or Path(scratch), settings, jobs=jobs
        )
    command = f"envc corpus {spec_dir}" + (
        f" --sample {sample_size} --seed {seed}" if sample_size else ""
    )
    for path, text in (
        (markdown_path, corpus_runner.to_markdown(rows, settings.describe(), command)),
        (json_path, corpus_runner.to_json(rows, settings.describe())),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    totals = corpus_runner.table.totals(rows)
    click.echo(
        f"{totals['built']}/{totals['specs']} built, {sum(totals['failures'].values())} Schemathesis failures, "
        f"coverage {totals['covered']}/{totals['sampled_operations']} -> {markdown_path}, {json_path}"
    )
    if totals["built"] < totals["specs"] or totals["failures"]:
        sys.exit(1)
