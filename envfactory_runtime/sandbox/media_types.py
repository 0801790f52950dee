"""Request media types told apart by their suffix, as Connexion picks a body's
validator (`*/*xml`, `*/*yaml`)."""

from __future__ import annotations


def suffixed(content_type: str | None, suffix: str) -> bool:
    """Whether a Content-Type (parameters aside) is a `type/...SUFFIX` one:
    `text/xml` and `application/atom+xml` for "xml"."""
    bare = (content_type or "").split(";")[0].strip().lower()
    return bare.endswith(suffix) and "/" in bare
