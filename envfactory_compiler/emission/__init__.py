"""Stage 3: the IR to a package `<out>/<name>_env/`: the API's data and models.

The package holds only its API (bundled spec, operation tables, tool
schemas, models) and a thin `__init__` binding `envfactory_runtime` to it.
Every file is rendered in memory, Python is formatted by black, and the
tree is written atomically. Output depends only on the spec and the compiler
version: no timestamps, no absolute paths, every mapping in a fixed order.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envfactory_runtime.version import DATA_FORMAT, DEPENDENCIES, REQUIREMENT

from ..diagnostics import Diagnostic, warning
from ..frozen import thaw
from ..ir import NormalizedSpec
from ..schema_ingestion.repairs import drop_broken_links
from . import tables
from .formatting import format_models, format_python
from .models import ModelsError, generate_models
from .naming import distribution_name, package_name
from .rendering import Code, docstring, render
from .runtime_copy import PRIVATE, runtime_files
from .tools import tools
from .writing import write_tree

MODULE_TEMPLATES = (
    "__init__.py",
    "__main__.py",
    "gym.py",
)  # thin calls into the runtime


@dataclass(frozen=True)
class EmitReport:
    package: str
    path: Path
    operations: int
    resources: int
    models: int
    files: int
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class PythonFiles:
    """`models.py` (as `files`), the number of its classes, and why there are none."""

    files: dict[str, str]  # file name in the inner package -> text
    models: int
    notes: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class RenderedPackage:
    """Every file of a package, in memory, and what to report about it."""

    files: dict[str, str]
    report: EmitReport
    stamp: dict[str, str]

    def module_json(self, filename: str) -> Any:
        """A JSON file of the inner package, parsed."""
        return json.loads(self.files[f"{self.report.package}/{filename}"])

    def with_module_file(self, filename: str, text: str) -> "RenderedPackage":
        files = {**self.files, f"{self.report.package}/{filename}": text}
        return dataclasses.replace(
            self, files=files, report=dataclasses.replace(self.report, files=len(files))
        )

    def with_python(self, python: PythonFiles) -> "RenderedPackage":
        """The package with the `models.py` that `render_package(python=False)` left out."""
        package = self
        for filename, text in python.files.items():
            package = package.with_module_file(filename, text)
        report = dataclasses.replace(
            package.report,
            models=python.models,
            warnings=package.report.warnings + python.notes,
        )
        return dataclasses.replace(package, report=report)

    def write(self) -> EmitReport:
        write_tree(self.files, self.report.path)
        return self.report


def emit(
    spec: NormalizedSpec,
    out_dir: Path,
    *,
    name: str | None,
    version: str,
    standalone: bool = False,
) -> EmitReport:
    """Build every file of the package in memory, then write it atomically."""
    return render_package(
        spec, out_dir, name=name, version=version, standalone=standalone
    ).write()


def render_package(
    spec: NormalizedSpec,
    out_dir: Path,
    *,
    name: str | None,
    version: str,
    standalone: bool = False,
    python: bool = True,
) -> RenderedPackage:
    """Every file of `<out_dir>/<name>_env/`, rendered and formatted, not yet written
    (`standalone`: with a private copy of the runtime, see `runtime_copy.py`;
    `python=False`: without `models.py`, for a caller that makes it meanwhile
    with `python_files` and adds it with `with_python`)."""
    package = package_name(spec.title, name)
    source_name = Path(spec.source.path).name
    header = _header(spec, version)
    files: dict[str, str] = {}
    module = f"{package}/"
    context = _context(spec, package, source_name, version, header, standalone)
    if standalone:  # kept black-formatted in the repository
        files.update(
            {module + path: text for path, text in runtime_files(header).items()}
        )
    files[module + "openapi.json"] = _json(_bundled(spec, version, source_name))
    files[module + "tools.json"] = _json(
        {"x-envc": context["stamp"], "tools": tools(spec)}
    )
    files[module + "operations.json"] = _json(
        {"x-envc": context["stamp"], **tables.tables(spec)}
    )
    files.update(
        {
            module + template: format_python(
                render(f"module/{template}.jinja", **context)
            )
            for template in MODULE_TEMPLATES
        }
    )
    files["pyproject.toml"] = render("package/pyproject.toml.jinja", **context)
    files["README.md"] = render("package/README.md.jinja", **context)
    report = EmitReport(
        package,
        Path(out_dir) / package,
        len(spec.endpoints),
        len(spec.resources),
        0,
        len(files),
        (),
    )
    rendered = RenderedPackage(files, report, context["stamp"])
    if not python:
        return rendered
    return rendered.with_python(python_files(spec, version=version))


def python_files(spec: NormalizedSpec, *, version: str) -> PythonFiles:
    """`models.py`: datamodel-code-generator's models in black's style, the slow part
    of rendering (a build makes it in a worker of its own while it verifies)."""
    notes: list[Diagnostic] = []
    code, count = _models(spec, _header(spec, version), notes)
    return PythonFiles({"models.py": format_models(code)}, count, tuple(notes))


def _header(spec: NormalizedSpec, version: str) -> str:
    source_name = Path(spec.source.path).name
    return f"# Generated by envfactory-compiler {version} from {source_name} (sha256 {spec.source.sha256}).\n# Do not edit: rebuild with `envc build`; customise through x-envc-* extensions in the spec."


def _context(
    spec: NormalizedSpec,
    package: str,
    source_name: str,
    version: str,
    header: str,
    standalone: bool,
) -> dict[str, Any]:
    return {
        "spec": spec,
        "package": Code(package),
        "distribution": distribution_name(package),
        "source_name": source_name,
        "version": version,
        "header": Code(header),
        "runtime": Code(f".{PRIVATE}" if standalone else "envfactory_runtime"),
        "data_format": DATA_FORMAT,
        "dependencies": DEPENDENCIES if standalone else (REQUIREMENT, "pydantic>=2.6"),
        "standalone": standalone,
        "requirement": REQUIREMENT,
        "summary": docstring(
            f"{spec.title}: a stateful sandbox compiled from {source_name} by envfactory-compiler."
        ),
        "stamp": {
            "compiler": version,
            "source": source_name,
            "sha256": spec.source.sha256,
        },
    }


def _models(
    spec: NormalizedSpec, header: str, notes: list[Diagnostic]
) -> tuple[str, int]:
    try:
        code = generate_models(spec.document, header)
    except ModelsError as exc:
        first = (
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        )
        notes.append(
            warning(
                spec.source.path,
                "/components/schemas",
                f"no pydantic models: {first[:300]}",
                "simplify the schemas datamodel-code-generator rejects",
            )
        )
        code = (
            header
            + '\n"""No models: datamodel-code-generator rejected this spec\'s schemas."""\n'
        )
    return code, code.count("\nclass ")


def _bundled(spec: NormalizedSpec, version: str, source_name: str) -> dict:
    """The served document; `x-body-name` is dropped so Connexion always says `body`, and links no
    client can follow (dependency inference has warned about them) are dropped."""
    document = _without_key(thaw(spec.document), "x-body-name")
    drop_broken_links(document)
    document.setdefault("info", {})["x-envc"] = {
        "compiler": version,
        "source": source_name,
        "sha256": spec.source.sha256,
    }
    return document


def _without_key(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        return {k: _without_key(v, key) for k, v in node.items() if k != key}
    if isinstance(node, list):
        return [_without_key(v, key) for v in node]
    return node


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
