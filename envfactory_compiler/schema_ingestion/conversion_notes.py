"""Notes that spec converters emit for anything lossy or repaired.

Converting Swagger 2.0 or OpenAPI 3.1 down to OpenAPI 3.0.3 cannot always be
exact.  Rather than fail or silently drop information, converters return a
list of :class:`Note` objects, each pointing (by JSON pointer) at the place in
the *original* document that was changed, so a user can see what to review.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

__all__ = [
    "Note",
    "NoteSink",
    "escape_token",
    "join_pointer",
    "ref_fragment",
    "split_pointer",
]


@dataclass(frozen=True)
class Note:
    """One lossy or repaired spot: ``pointer`` into the original document."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class NoteSink(list[Note]):
    """A list of notes with a convenience ``add``."""

    def add(self, pointer: str, message: str) -> None:
        """Record one note."""
        self.append(Note(pointer, message))


def escape_token(token: object) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: object) -> str:
    """Append escaped ``tokens`` to the JSON pointer ``base``."""
    return base + "".join("/" + escape_token(token) for token in tokens)


def split_pointer(fragment: str) -> list[str]:
    """Split a ``#/a/b`` fragment (or ``/a/b`` pointer) into unescaped tokens."""
    pointer = unquote(fragment[1:] if fragment.startswith("#") else fragment)
    if not pointer:
        return []
    return [
        token.replace("~1", "/").replace("~0", "~")
        for token in pointer.lstrip("/").split("/")
    ]


def ref_fragment(*tokens: object) -> str:
    """A ``#/...`` ``$ref`` fragment for the given unescaped pointer tokens."""
    return "#" + "".join(
        "/" + quote(escape_token(token), safe="~!$&'()*+,;=:@") for token in tokens
    )
