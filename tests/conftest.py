"""Shared test helpers: where things are, building specs, importing packages."""

from __future__ import annotations

import hashlib
import importlib
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from envfactory_compiler.cli import main as envc
from envfactory_compiler.emission.naming import package_name

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"


def spec_files() -> list[Path]:
    return sorted(p for p in SPECS.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def package_dirs() -> list[Path]:
    return sorted(
        p for p in GENERATED.iterdir() if p.is_dir() and p.name.endswith("_env")
    )


def run_envc(*args: str):
    return CliRunner().invoke(envc, list(args), catch_exceptions=False)


def build(
    spec: Path | str, out: Path, name: str | None = None, *, standalone: bool = False
) -> Path:
    """Build a spec with the real CLI; returns the package project directory."""
    name = name or f"t{uuid.uuid4().hex[:8]}"
    options = ["--standalone"] if standalone else []
    result = run_envc("build", str(spec), "-o", str(out), "--name", name, *options)
    assert result.exit_code == 0, result.output
    return out / package_name("", name)


def import_package(project: Path):
    """Import a generated package from its project directory."""
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    return importlib.import_module(project.name)


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"
