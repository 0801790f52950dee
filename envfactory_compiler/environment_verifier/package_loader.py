"""Import a generated package from a directory, under a name of our choosing.

The verifier runs the very package it is about to ship. Loading it under a
unique module name keeps two builds of the same spec in one process (tests,
`envc build` over a directory) from seeing each other's modules.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType

_COUNTER = itertools.count(1)


def load_package(module_dir: Path) -> ModuleType:
    """Import `<module_dir>/__init__.py` as a fresh, uniquely named package."""
    name = f"_envc_verify_{next(_COUNTER)}_{module_dir.name}"
    spec = importlib.util.spec_from_file_location(
        name, module_dir / "__init__.py", submodule_search_locations=[str(module_dir)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the package in {module_dir}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        unload_package(name)
        raise
    return module


def unload_package(name: str) -> None:
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
