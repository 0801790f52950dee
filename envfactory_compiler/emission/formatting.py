"""Black's style on every generated Python file, in-process.

The thin templates go through black itself. `models.py` goes through
datamodel-code-generator's builtin formatter: the same bytes black makes
(black leaves them unchanged), imports sorted as isort would, in less than
half black's time: mailchimp's 4.7 MB of models took 37 s in black, 16 s
in it.

A large source (a `models.py` of thousands of classes) is formatted a run of
classes at a time. Black's syntax trees are cyclic, so formatting megabytes
at once leaves Python's collector walking millions of live nodes again and
again: mailchimp's models took 69 s, 38 s of them collecting. Each run's
garbage is collected as it is done instead, the heap stays small, and on a
machine with a second core half the runs are formatted in a forked process.

Runs are cut only before a top-level `class` that follows a class body and
two blank lines: black always puts exactly two blank lines there, whatever
came before, so the runs formatted alone and joined by two blank lines are
black's own output for the whole, and the builtin formatter's likewise
(`tests/test_formatting.py` checks both).
"""

from __future__ import annotations

import functools
import gc
from typing import Any, Callable

from ..forked import Forked, can_fork

RUN_BYTES = 100_000  # a source this long or shorter is formatted whole
PARALLEL_BYTES = 32_000  # from this long on, two processes share the runs
LINE = 88


def format_python(source: str, *, run_bytes: int = RUN_BYTES) -> str:
    """Black's output for `source`."""
    return _in_runs(_black, source, run_bytes)


def format_models(source: str, *, run_bytes: int = RUN_BYTES) -> str:
    """datamodel-code-generator's builtin formatter's output for `source`."""
    return _in_runs(_builtin, source, run_bytes)


def _in_runs(format_run: Callable[[str], str], source: str, run_bytes: int) -> str:
    parallel = len(source) >= PARALLEL_BYTES and can_fork()
    if parallel:  # at least two runs a side
        run_bytes = min(run_bytes, len(source) // 4)
    runs = class_runs(source, run_bytes)
    if len(runs) == 1:
        return format_run(source)
    if parallel:
        half = len(runs) // 2
        with Forked(_format_all, format_run, runs[half:]) as rest:
            first = _format_all(format_run, runs[:half])
            return "\n\n".join(first + rest.result()[0])
    return "\n\n".join(_format_all(format_run, runs))


def class_runs(source: str, run_bytes: int = RUN_BYTES) -> list[str]:
    """`source` cut into runs of about `run_bytes`, each but the last ending in a newline,
    before top-level classes that follow an indented line and two blank lines."""
    lines = source.split("\n")
    runs, start, size = [], 0, 0
    for i, line in enumerate(lines):
        size += len(line) + 1
        if (
            size > run_bytes
            and line.startswith("class ")
            and i >= 3
            and lines[i - 1] == lines[i - 2] == ""
            and lines[i - 3].startswith(" ")
        ):
            runs.append("\n".join(lines[start : i - 2]) + "\n")
            start, size = i, len(line) + 1
    runs.append("\n".join(lines[start:]))
    return runs


def _format_all(format_run: Callable[[str], str], runs: list[str]) -> list[str]:
    """Each run formatted, its garbage collected before the next (only the young
    generation: the nodes of that run, not the whole heap)."""
    formatted = []
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for run in runs:
            formatted.append(format_run(run))
            gc.collect(0)
    finally:
        if was_enabled:
            gc.enable()
    return formatted


def _black(source: str) -> str:
    import black  # here: the build forks its models worker before it pays for black

    try:
        return black.format_str(source, mode=mode())
    except black.NothingChanged:
        return source


@functools.cache
def mode() -> Any:
    import black

    return black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE)


def _builtin(source: str) -> str:
    from datamodel_code_generator.format import PythonVersion, apply_builtin_formatter

    # every setting given: no pyproject.toml of the user's is read
    return apply_builtin_formatter(
        source,
        line_length=LINE,
        string_normalization=True,
        python_version=PythonVersion.PY_311,
    )
