"""Write a whole tree or nothing.

Files go to a temporary sibling directory first; only when every file is
written does it replace the old package (old one renamed aside, new one
renamed in, old one removed), so a failed build never leaves a half-written
or half-old package behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_tree(files: dict[str, str | bytes], target: Path) -> None:
    """Atomically make `target` hold exactly `files` (relative path -> content)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for relative in sorted(files):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            content = files[relative]
            if isinstance(content, str):
                content = content.encode("utf-8")
            path.write_bytes(content)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.rmdir(retired)
    os.replace(target, retired)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
