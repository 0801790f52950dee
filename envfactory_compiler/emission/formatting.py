"""Black, run in-process on every generated Python file."""

from __future__ import annotations

import black

_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


def format_python(source: str) -> str:
    try:
        return black.format_str(source, mode=_MODE)
    except black.NothingChanged:
        return source
