"""One generated package's data, read once, and the runtime bound to it.

A package built by envfactory-compiler holds only its API: the bundled spec
(`openapi.json`), the compiled tables (`operations.json`), `dag.json`,
`tools.json` and `models.py`. The runtime reads them through an
`Environment`, named by the package's import name, so one process can load
any number of packages: `load("petstore_env")`, `load("generated/a_env")`.
A package declares the data format it was built for; a runtime that cannot
read it refuses it and says which versions fit.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import sys
from dataclasses import dataclass
from functools import cache, cached_property, partial
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from .sandbox.tables import Tables
from .version import DATA_FORMATS, __version__

ENTRY_POINTS = "envfactory.environments"  # group under which packages register


class IncompatiblePackage(RuntimeError):
    """A package built for a data format this runtime does not read."""


@dataclass(frozen=True, eq=False)
class Environment:
    """A generated package by import name: its files, parsed on first use."""

    name: str

    @property
    def files(self) -> Traversable:
        return resources.files(self.name)

    def json(self, filename: str) -> Any:
        return json.loads(self.files.joinpath(filename).read_text(encoding="utf-8"))

    @cached_property
    def tables(self) -> Tables:
        return Tables.from_json(self.json("operations.json"))

    @cached_property
    def tools(self) -> list[dict]:
        return self.json("tools.json")["tools"]

    def bound(self, cls: type) -> type:
        """`cls` with this package as its `package`: what `<pkg>.TrajectorySampler` is."""
        return type(
            cls.__name__, (cls,), {"package": self.name, "__doc__": cls.__doc__}
        )

    # The data-bound names of a package's `__init__`.
    @cached_property
    def SandboxServer(self) -> type:
        from .sandbox.server import SandboxServer

        return self.bound(SandboxServer)

    @cached_property
    def TrajectorySampler(self) -> type:
        from .sampling.sampler import TrajectorySampler

        return self.bound(TrajectorySampler)

    @cached_property
    def AsyncTaskEnv(self) -> type:
        from .frontends.async_sessions import AsyncTaskEnv

        return self.bound(AsyncTaskEnv)

    @property
    def load_sandbox(self):
        from .sandbox.app import load_sandbox

        return partial(load_sandbox, self.name)

    @property
    def make_builder(self):
        from .tasks.blueprints import make_builder

        return partial(make_builder, self.name)

    @property
    def verifiers(self):
        """The verifiers front end (`pip install '<package>[verifiers]'`)."""
        from .frontends import verifiers_env

        return verifiers_env

    def load_environment(self, **kwargs: Any) -> Any:
        """This package as a verifiers environment (`verifiers_env.load_environment`)."""
        return self.verifiers.load_environment(self.name, **kwargs)

    def main(self, argv: list[str] | None = None) -> None:
        """`python -m <package> ...`."""
        from .cli.main import main

        main(self.name, argv)


@cache
def environment(name: str) -> Environment:
    """The one `Environment` of an importable package."""
    return Environment(name)


def bind(name: str, data_format: int) -> Environment:
    """What a package's `__init__` calls: refuses a data format this runtime
    cannot read, else the package's `Environment`."""
    if data_format not in DATA_FORMATS:
        fits = ", ".join(str(f) for f in DATA_FORMATS)
        raise IncompatiblePackage(
            f"{name} was built for runtime data format {data_format}; "
            f"envfactory-runtime {__version__} reads format {fits}. Rebuild the "
            f"package with this envfactory-compiler (`envc build`), or install the "
            f"runtime version its pyproject.toml pins."
        )
    return environment(name)


def load(target: str | Path) -> Any:
    """A generated package, imported: by import name, by a registered name
    (entry point group `envfactory.environments`), or by path (its project
    directory `generated/a_env` or its module directory `generated/a_env/a_env`)."""
    path = Path(target)
    if path.is_dir() and (path / path.name / "__init__.py").is_file():
        path = path / path.name  # a project directory: its module inside
    if path.is_dir() and (path / "__init__.py").is_file():
        return _from_directory(path.resolve())
    name = str(target)
    for entry in importlib.metadata.entry_points(group=ENTRY_POINTS):
        if entry.name == name:
            return entry.load()
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise LookupError(
            f"no environment {name!r}: not a package directory, not registered "
            f"under {ENTRY_POINTS!r}, not importable ({exc})"
        ) from None


def _from_directory(module_dir: Path) -> Any:
    """The package whose module directory this is; a LookupError when another
    package of that name is imported already (a process holds one per name)."""
    loaded = sys.modules.get(module_dir.name)
    if loaded is not None and Path(loaded.__file__).resolve().parent != module_dir:
        raise LookupError(
            f"another package named {module_dir.name} is already imported from "
            f"{loaded.__file__}"
        )
    if str(module_dir.parent) not in sys.path:
        sys.path.insert(0, str(module_dir.parent))
    return importlib.import_module(module_dir.name)


def installed() -> list[str]:
    """The names of every installed package registered as an environment."""
    return sorted(e.name for e in importlib.metadata.entry_points(group=ENTRY_POINTS))


def required_package(obj: Any) -> str:
    """The package a runtime object is bound to (`<pkg>.TrajectorySampler`'s
    class sets it), or a TypeError saying how to give it one."""
    if obj.package:
        return obj.package
    name = type(obj).__name__
    raise TypeError(
        f"envfactory_runtime's {name} needs a package's data: use <package>.{name} "
        f"(or environment('<package>').{name}), or pass a sandbox"
    )
