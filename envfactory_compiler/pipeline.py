"""The whole build of one spec: load, then emit. The CLI only presents it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic
from .emission import EmitReport, emit
from .ir import NormalizedSpec
from .schema_ingestion import SchemaLoader


@dataclass(frozen=True)
class BuildResult:
    spec: NormalizedSpec
    report: EmitReport

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return self.spec.warnings + self.report.warnings


def build(spec_path: str, out_dir: Path, *, name: str | None = None, allow_remote: bool = False, max_bytes: int | None = None) -> BuildResult:
    """Compile one spec into `out_dir/<name>_env/`; raises SpecError on bad input."""
    loader = SchemaLoader(allow_remote=allow_remote, **({"max_bytes": max_bytes} if max_bytes else {}))
    spec = loader.load(spec_path)
    return BuildResult(spec, emit(spec, Path(out_dir), name=name, version=__version__))
