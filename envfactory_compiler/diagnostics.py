"""Diagnostics: what went wrong, where in which file, and what to do about it.

Errors are collected as values and raised together in one `SpecError`, so a
user sees every problem of a spec at once and the CLI can print them without
a traceback.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a spec: file, JSON pointer inside it, message, advice."""

    level: Level
    file: str
    pointer: str
    message: str
    hint: str = ""

    def render(self) -> str:
        where = f"{self.file}#{self.pointer or '/'}"
        text = f"{where}: {self.level.value}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def error(file: str, pointer: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Level.ERROR, file, pointer, message, hint)


def warning(file: str, pointer: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Level.WARNING, file, pointer, message, hint)


class SpecError(Exception):
    """A spec that cannot be compiled; carries every error found."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.render() for d in self.diagnostics))


def pointer_join(*parts: object) -> str:
    """Build a JSON pointer (RFC 6901) from raw path parts."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "".join("/" + p for p in escaped)


def pointer_split(pointer: str) -> list[str]:
    """Split a JSON pointer into raw path parts."""
    if pointer in ("", "/"):
        return []
    return [
        p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")
    ]
