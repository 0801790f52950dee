"""`envc build --standalone`: the runtime library copied into the package.

A standalone package must install with nothing else (an air-gapped
trainer, a frozen artifact), so `envfactory_runtime` goes in as the private
subpackage `<name>_env/_runtime/`. The runtime imports itself only
relatively, so the copy runs unchanged; it is the same code, byte for byte
after the header, as the installed runtime of this compiler version.
"""

from __future__ import annotations

from pathlib import Path

import envfactory_runtime

PRIVATE = "_runtime"


def runtime_files(header: str) -> dict[str, str]:
    """Every module of the runtime, by its path under the package's module folder."""
    root = Path(envfactory_runtime.__file__).resolve().parent
    return {
        f"{PRIVATE}/{path.relative_to(root).as_posix()}": header
        + "\n"
        + path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.py"))
        if "__pycache__" not in path.parts
    }
