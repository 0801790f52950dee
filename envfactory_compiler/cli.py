"""`envc`: the command line. Thin: parse options, call the pipeline, report."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .diagnostics import SpecError
from .pipeline import build as build_spec

MAX_WARNINGS_SHOWN = 10


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="envc")
def main() -> None:
    """Compile OpenAPI specs into stateful sandbox packages for tool-using agents."""


@main.command()
@click.argument("spec", metavar="SPEC")
@click.option("-o", "--out", "out_dir", default="generated", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Directory that receives <name>_env/.")
@click.option("--name", help="Package name (default: a slug of info.title); '_env' is appended.")
@click.option("--allow-remote", is_flag=True, help="Allow fetching the spec or its $refs over HTTP(S).")
@click.option("--max-bytes", type=int, default=None, help="Largest spec file accepted (default 64 MiB).")
@click.option("--fail-on-warning", is_flag=True, help="Exit 1 when the build has warnings.")
@click.option("-v", "--verbose", is_flag=True, help="Show every warning, not just the first few.")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def build(spec: str, out_dir: Path, name: str | None, allow_remote: bool, max_bytes: int | None,
          fail_on_warning: bool, verbose: bool, debug: bool) -> None:
    """Compile SPEC (OpenAPI 2.0/3.0/3.1, YAML or JSON) into OUT/<name>_env/.

    The package holds the bundled spec, pydantic models, a stateful Connexion
    sandbox and tool schemas. On bad input nothing is written.
    """
    try:
        result = build_spec(spec, out_dir, name=name, allow_remote=allow_remote, max_bytes=max_bytes)
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.render(), err=True)
        click.echo(f"envc: {spec}: build failed ({len(exc.diagnostics)} error(s)); nothing was written", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - a bug: say so plainly, traceback on request
        if debug:
            traceback.print_exc()
        click.echo(f"envc: internal error while compiling {spec}: {type(exc).__name__}: {exc}"
                   + ("" if debug else " (rerun with --debug for the traceback)"), err=True)
        sys.exit(2)
    warnings = result.warnings
    for diagnostic in warnings if verbose else warnings[:MAX_WARNINGS_SHOWN]:
        click.echo(diagnostic.render(), err=True)
    if len(warnings) > MAX_WARNINGS_SHOWN and not verbose:
        click.echo(f"... {len(warnings) - MAX_WARNINGS_SHOWN} more warning(s); use --verbose", err=True)
    report = result.report
    click.echo(
        f"{report.package}: {report.operations} operations, {report.resources} resources, "
        f"{report.models} models, {len(warnings)} warnings -> {report.path}"
    )
    if fail_on_warning and warnings:
        sys.exit(1)
