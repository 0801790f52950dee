"""generated/ is exactly what the compiler makes, deterministically.

Rebuilding every spec must reproduce the committed tree byte for byte
(the same check as `make regen && git diff --exit-code generated/`), in
this process and in fresh processes under different hash seeds.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envfactory_runtime import __version__

from conftest import (
    GENERATED,
    ROOT,
    build,
    package_dirs,
    run_envc,
    spec_files,
    tree_digest,
)


def _package_name(spec: Path) -> str:
    """The name `make regen` gives a spec: its file name."""
    return spec.stem


@pytest.mark.parametrize("spec", spec_files(), ids=lambda p: p.name)
def test_committed_package_is_current(spec: Path, tmp_path: Path) -> None:
    project = build(spec, tmp_path, name=_package_name(spec))
    committed = GENERATED / project.name
    assert committed.is_dir(), f"{committed} is missing: run `make regen`"
    assert tree_digest(project) == tree_digest(
        committed
    ), "generated/ is stale: run `make regen`"


def test_no_stale_packages() -> None:
    expected = {_package_name(s).replace("-", "_") + "_env" for s in spec_files()}
    assert {p.name for p in package_dirs()} == expected


@pytest.mark.parametrize("seed", ["0", "1"])
def test_build_is_independent_of_hash_seed(seed: str, tmp_path: Path) -> None:
    specs = [
        ROOT / "specs" / name
        for name in (
            "swagger-petstore-v2.yaml",
            "kitchen-sink-31.yaml",
            "orbit-love.yaml",
        )
    ]
    for spec in specs:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "envfactory_compiler",
                "build",
                str(spec),
                "-o",
                str(tmp_path),
                "--name",
                spec.stem,
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=300,
        )
        name = spec.stem.replace("-", "_") + "_env"
        assert tree_digest(tmp_path / name) == tree_digest(GENERATED / name)


@pytest.mark.parametrize("project", package_dirs(), ids=lambda p: p.name)
def test_every_file_names_compiler_and_spec_hash(project: Path) -> None:
    for path in project.rglob("*"):
        if path.suffix in (".py", ".toml", ".md"):
            head = path.read_text(encoding="utf-8").splitlines()[0]
            assert f"envfactory-compiler {__version__} " in head, path
            assert "sha256 " in head, path
        elif path.suffix == ".json":
            assert '"sha256"' in path.read_text(encoding="utf-8")[
                :400
            ] or "x-envc" in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("project", package_dirs(), ids=lambda p: p.name)
def test_package_is_standalone(project: Path) -> None:
    """No generated module imports the compiler."""
    for path in (project / project.name).glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("envfactory_compiler"), path
            if isinstance(node, ast.Import):
                assert not any(
                    a.name.startswith("envfactory_compiler") for a in node.names
                ), path


PACKAGE_FILES = {
    *("__init__.py", "__main__.py", "gym.py", "models.py"),
    *("openapi.json", "operations.json", "dag.json", "tools.json"),
}


@pytest.mark.parametrize("project", package_dirs(), ids=lambda p: p.name)
def test_package_holds_only_its_api(project: Path) -> None:
    """The runtime is a library: a package's module folder is its data, its
    models and thin calls into `envfactory_runtime`, so a runtime change
    rewrites no package."""
    files = {p.name for p in (project / project.name).iterdir() if p.is_file()}
    assert files == PACKAGE_FILES
    thin = [p for p in (project / project.name).glob("*.py") if p.name != "models.py"]
    assert sum(len(p.read_text().splitlines()) for p in thin) < 250


def test_runtime_library_never_imports_the_compiler() -> None:
    """A package's users install the runtime; the compiler is for building."""
    for path in sorted((ROOT / "envfactory_runtime").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else []
                )
            )
            assert not any(n.startswith("envfactory_compiler") for n in names), path


def test_timings_name_every_stage(tmp_path: Path) -> None:
    """`--timings` prints the stage breakdown bench/build_bench.py reads."""
    result = run_envc(
        "build", str(ROOT / "specs" / "petstore.yaml"), "-o", str(tmp_path), "--timings"
    )
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("stages: ")]
    stages = dict(part.rsplit(" ", 1) for part in line[len("stages: ") :].split(", "))
    assert set(stages) == {
        *("read", "validate", "validate_wait", "normalise", "render"),
        *("models", "models_wait", "infer", "verify", "write"),
    }
    assert all(float(seconds.rstrip("s")) >= 0 for seconds in stages.values())
