"""Jinja rendering where spec text can never become code.

Each output language has its own environment whose `finalize` turns every
`{{ value }}` into a literal of that language (`repr` for Python, a quoted
string for TOML). Only values wrapped in `Code` — text the compiler made
itself, like identifiers — are inserted as they are.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2


class Code(str):
    """Trusted source text produced by the compiler, inserted verbatim."""


def template_root() -> Path:
    """`templates/` in a source checkout, or the copy shipped in the wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "envfactory-compiler templates are missing from this installation"
    )


def _python_literal(value: Any) -> str:
    if isinstance(value, Code):
        return value
    if isinstance(value, jinja2.Undefined):
        raise jinja2.UndefinedError("undefined value in a Python template")
    return repr(value)


def _toml_literal(value: Any) -> str:
    if isinstance(value, Code):
        return value
    return json.dumps(str(value), ensure_ascii=False)


def _text(value: Any) -> str:
    return " ".join(str(value).split())


_FINALIZERS = {".py": _python_literal, ".toml": _toml_literal, ".md": _text}


@lru_cache(maxsize=None)
def environment(suffix: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_root())),
        undefined=jinja2.StrictUndefined,
        finalize=_FINALIZERS[suffix],
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context: Any) -> str:
    """Render `templates/<template>` (its output suffix picks the escaping)."""
    suffix = Path(template.removesuffix(".jinja")).suffix
    return environment(suffix).get_template(template).render(**context)


def docstring(text: str, *, limit: int = 600) -> Code:
    """A safe triple-quoted docstring from arbitrary spec text."""
    flat = " ".join(str(text).split())[:limit] or "Undocumented."
    escaped = flat.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if escaped.endswith('"'):
        escaped += " "
    return Code(f'"""{escaped}"""')
