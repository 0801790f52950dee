"""Lenient validation: a finding that does not stop compilation is a warning.

Peer generators build what they can read of a spec; so does envc. Each
validator finding is settled by leaving out the smallest part it is about,
and the document is validated again, until it is clean:

- keys the object may not have (`info.logo`, a `style` a path parameter
  cannot take, a `default` off its schema): those keys are left out;
- an item of a list that is not what the list holds: that item;
- a path parameter the template uses but nothing declares: declared as a
  required string;
- anything else inside an operation, or a part left out before that is still
  wrong: the whole operation (the build summary counts them).

What is left out is a warning with its JSON pointer, so the served document
is one the OpenAPI schema (and Connexion's startup check) accepts. A finding
outside every operation that leaving out keys does not settle stays an error,
as does a spec with no operation left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, error, pointer_join, warning
from .normalization import METHODS
from .validation import MAX_REPORTED, ValidatorCrash, findings, value_at

MAX_ROUNDS = 8
_FINDINGS_PER_ROUND = 500
_HINT = "make this part of the document match the OpenAPI {version} specification (--strict refuses the spec instead)"
# Keys whose removal would change what the document is rather than tidy it.
_STRUCTURAL = frozenset(
    {
        "openapi",
        "swagger",
        "info",
        "paths",
        "components",
        "definitions",
        "in",
        "name",
        "responses",
        "$ref",
    }
)
_UNRESOLVED = re.compile(
    r"Path parameter '([^']+)' for '(\w+)' operation in '([^']+)' was not resolved"
)


@dataclass
class Leniency:
    """What lenient validation did to one document."""

    warnings: list[Diagnostic] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    left_out: list[str] = field(
        default_factory=list
    )  # "GET /path" of every operation left out
    changed: bool = False


def settle(document: dict, family: str, file: str) -> Leniency:
    """Leave out what the validator objects to, in place, until it objects to nothing."""
    result = Leniency()
    before: set[tuple] = (
        set()
    )  # what earlier rounds left out: a finding there again takes its operation
    hint = _HINT.format(version=family)
    found: list = []
    for _ in range(MAX_ROUNDS):
        found = list(findings(document, family, most=_FINDINGS_PER_ROUND))
        if not found:
            return result
        if isinstance(found[0][0], ValidatorCrash):
            result.warnings.append(
                warning(
                    file,
                    "",
                    f"{found[0][0]} - the spec was built without full validation",
                    "simplify the deepest or most recursive schemas",
                )
            )
            return result
        now: set[tuple] = set()
        progressed = False
        for exc, parts in found:
            progressed = (
                _settle_one(document, exc, parts, before, now, result, file, hint)
                or progressed
            )
        before |= now
        if not progressed:
            break
    found = list(findings(document, family, most=MAX_REPORTED))
    result.errors = [
        error(file, pointer_join(*parts), _text(exc), hint) for exc, parts in found
    ]
    return result


def _settle_one(
    document: dict,
    exc: Exception,
    parts: list,
    before: set,
    now: set,
    result: Leniency,
    file: str,
    hint: str,
) -> bool:
    deepest, parts = _deepest(exc, parts)
    message = _text(deepest)
    unresolved = _UNRESOLVED.search(message)
    if unresolved:
        return _declare(document, unresolved, result, file)
    path = tuple(str(p) for p in parts)  # pointers name list items as text too
    if _under(path, now):
        return False  # settled already this round
    if not _under(path, before):
        left = _leave_out_keys(document, deepest, path)
        if left:
            now.add(
                path[:-1] if path and path[-1].isdigit() else path
            )  # list indices shift
            result.changed = True
            result.warnings.append(
                warning(file, pointer_join(*path), f"{message}: left out {left}", hint)
            )
            return True
    return _leave_out_operation(document, path, message, result, file, hint)


def _under(path: tuple, prefixes: set[tuple]) -> bool:
    return any(path[: len(p)] == p for p in prefixes)


def _deepest(exc: Exception, parts: list) -> tuple[Exception, list]:
    """The most specific error under a oneOf/anyOf failure, and its path.

    Of the innermost errors, the deepest one that leaving out a key can settle
    (not a missing key, not `in` or `name`): a path parameter with `style:
    form` fails every location's branch, and only the path branch's `style`
    is what is wrong with it.
    """
    if not getattr(exc, "context", None) or not hasattr(exc, "absolute_path"):
        return exc, parts
    leaves = list(_leaves(exc))
    settleable = [
        e
        for e in leaves
        if e.validator != "required"
        and e.absolute_path
        and str(e.absolute_path[-1]) not in _STRUCTURAL
    ]
    if settleable:
        best = max(settleable, key=lambda e: len(e.absolute_path))
    else:
        from jsonschema.exceptions import best_match

        best = best_match([exc])
    if best is None or len(best.absolute_path) < len(exc.absolute_path):
        return exc, parts
    return best, list(best.absolute_path)


def _leaves(exc: Any) -> Any:
    if not exc.context:
        yield exc
    for sub in exc.context:
        yield from _leaves(sub)


def _leave_out_keys(document: dict, exc: Exception, path: tuple) -> str:
    """Remove what `exc` is about below an operation's or a component's level; '' when it cannot."""
    node = value_at(document, path)
    validator = getattr(exc, "validator", None)
    if validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
        node, dict
    ):
        extras = _unexpected(node, getattr(exc, "schema", {}) or {})
        for key in extras:
            del node[key]
        return ", ".join(repr(k) for k in extras)
    if len(path) < 2:
        return ""
    parent, last = value_at(document, path[:-1]), path[-1]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        del parent[int(last)]
        return f"item {last} of {path[-2]!r}"
    if (
        validator != "required"
        and isinstance(parent, dict)
        and last not in _STRUCTURAL
        and last in parent
    ):
        del parent[last]
        return repr(last)
    return ""


def _unexpected(node: dict, schema: dict) -> list[str]:
    allowed = set(schema.get("properties") or {})
    patterns = list(schema.get("patternProperties") or {})
    return [
        k
        for k in node
        if k not in allowed and not any(re.search(p, str(k)) for p in patterns)
    ]


def _leave_out_operation(
    document: dict, path: tuple, message: str, result: Leniency, file: str, hint: str
) -> bool:
    """Drop the operation (or path item) the finding is in; False when it is in none."""
    paths = document.get("paths")
    if (
        len(path) < 2
        or path[0] != "paths"
        or not isinstance(paths, dict)
        or path[1] not in paths
    ):
        return False
    item = paths[path[1]]
    if len(path) >= 3 and path[2] in METHODS and isinstance(item, dict):
        del item[path[2]]
        gone = [f"{path[2].upper()} {path[1]}"]
        if not any(m in item for m in METHODS):
            del paths[path[1]]
    else:
        del paths[path[1]]
        gone = [
            f"{m.upper()} {path[1]}"
            for m in METHODS
            if isinstance(item, dict) and m in item
        ]
    result.left_out.extend(gone)
    result.changed = True
    result.warnings.append(
        warning(
            file,
            pointer_join(*path),
            f"{message}: operation {', '.join(gone) or path[1]} left out",
            hint,
        )
    )
    return True


def _declare(document: dict, unresolved: re.Match, result: Leniency, file: str) -> bool:
    """A path parameter the template names and nothing declares: a required string."""
    name, method, route = unresolved.groups()
    operation = ((document.get("paths") or {}).get(route) or {}).get(method)
    if not isinstance(operation, dict):
        return False
    declared = {"name": name, "in": "path", "required": True}
    declared.update(
        {"schema": {"type": "string"}} if "openapi" in document else {"type": "string"}
    )
    operation.setdefault("parameters", []).append(declared)
    result.changed = True
    result.warnings.append(
        warning(
            file,
            pointer_join("paths", route, method, "parameters"),
            f"path parameter {name!r} is used in {route!r} but not declared: "
            "declared as a required string",
            f"declare {name!r} under parameters",
        )
    )
    return True


def _text(exc: Exception) -> str:
    message = (getattr(exc, "message", None) or str(exc)).strip().splitlines()[0]
    return message if len(message) <= 200 else message[:197] + "..."
