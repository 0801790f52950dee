"""Path parameters whose every value holds a `/`, as the served spec shows them.

AWS names resources by ARN, and its specs put them in paths
(`/tags/{resourceArn}`, `/jobs/{Arn}` with `pattern: ^arn:...:job/[a-z0-9]+$`):
a client sends the slash percent-encoded, `%2F`. Test tools refuse to send
one unless the spec shows that it means it (Schemathesis filters out every
value with a slash, then stops: "Too many generated examples are filtered
out"), so such a parameter without an example gains one drawn from its
pattern. The sandbox routes such a parameter across slashes (`app`).
"""

from __future__ import annotations

from .contract import parameter_objects
from .normalization import deref
from .regex_dialects import draws, within_lengths
from ..diagnostics import pointer_join


def slash_examples(document: dict) -> list[str]:
    """Give each path parameter whose pattern puts a `/` in every value an
    example of one; the pointers of the parameters changed."""
    changed = []
    for pointer, parameter in parameter_objects(document):
        if parameter.get("in") != "path" or {"example", "examples"} & set(parameter):
            continue
        schema = deref(document, parameter.get("schema") or {}, "")[0]
        pattern = schema.get("pattern") if isinstance(schema, dict) else None
        if not (isinstance(pattern, str) and "/" in pattern):
            continue
        # short repeats: rstr's long ones run to thousands of characters,
        # past `maxLength`, and take seconds on dozens of ARN parameters
        drawn = draws(pattern, short=True)
        fitting = [d for d in drawn or () if within_lengths(d, schema)]
        if fitting and all("/" in d for d in drawn or ()):
            parameter["example"] = fitting[0]
            changed.append(pointer_join(*pointer, "example"))
    return changed
