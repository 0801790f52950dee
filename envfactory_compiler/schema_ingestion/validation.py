"""Structural validation with openapi-spec-validator, as diagnostics.

The validator reports schema errors lazily and may crash on a document that
is malformed enough; whatever it found before that is what we report.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator

from ..diagnostics import Diagnostic, error, pointer_join, pointer_split

MAX_REPORTED = 20

_VALIDATORS = {
    "2.0": "OpenAPIV2SpecValidator",
    "3.0": "OpenAPIV30SpecValidator",
    "3.1": "OpenAPIV31SpecValidator",
}
_HINT = "make this part of the document match the OpenAPI {version} specification"


def detect_version(document: Any, file: str) -> tuple[str | None, list[Diagnostic]]:
    """The spec family ("2.0", "3.0", "3.1") or a diagnostic saying why not."""
    if not isinstance(document, dict):
        kind = (
            type(document)
            .__name__.replace("NoneType", "nothing")
            .replace("str", "a string")
        )
        return None, [
            error(
                file,
                "",
                f"the document is {kind}, not an object",
                "an OpenAPI document is a YAML/JSON object with an 'openapi' or 'swagger' key",
            )
        ]
    if "openapi" in document:
        version = str(document["openapi"])
        family = ".".join(version.split(".")[:2])
        if family in ("3.0", "3.1"):
            return family, []
        return None, [
            error(
                file,
                "/openapi",
                f"unsupported OpenAPI version {version!r}",
                "use OpenAPI 3.0.x or 3.1.x",
            )
        ]
    if "swagger" in document:
        if str(document["swagger"]) == "2.0":
            return "2.0", []
        return None, [
            error(
                file,
                "/swagger",
                f"unsupported Swagger version {document['swagger']!r}",
                "use Swagger 2.0 or OpenAPI 3",
            )
        ]
    return None, [
        error(
            file,
            "",
            "no 'openapi' or 'swagger' version key",
            "add 'openapi: 3.0.3' (or 'swagger: \"2.0\"') at the top of the document",
        )
    ]


def validate(document: dict, family: str, file: str) -> list[Diagnostic]:
    """Every structural error the validator finds (up to MAX_REPORTED)."""
    hint = _HINT.format(version=family)
    problems = [
        error(file, pointer_join(*parts), _message(exc), hint)
        for exc, parts in findings(document, family, most=MAX_REPORTED)
    ]
    return problems or _duplicate_templates(document, file)


def findings(
    document: dict, family: str, *, most: int
) -> Iterator[tuple[Exception, list]]:
    """The validator's errors with the path of what each is about (empty: unknown).

    A validator crash (it has them on some malformed input, and a RecursionError
    on deeply recursive schemas) ends the list with the crash itself when it
    found nothing before.
    """
    validator = _validator_class(family)
    found = 0
    located: set[str] = set()  # errors that come without a path name different nodes
    try:
        for exc in validator(document).iter_errors():
            if type(exc).__name__ == "DuplicateOperationIDError":
                continue  # repaired later: every operation gets a unique name
            pointer = _pointer(exc, document) or _locate(document, exc, located)
            located.add(pointer)
            yield exc, pointer_split(pointer)
            found += 1
            if found >= most:
                return
    except (
        Exception
    ) as exc:  # noqa: BLE001 - the validator crashes on some malformed input
        if not found:
            yield ValidatorCrash(
                f"the document is malformed: {type(exc).__name__}: {exc}"
            ), []


@functools.cache
def _validator_class(family: str) -> type:
    """openapi-spec-validator's validator on the Python jsonschema backend, whatever else is installed.

    With jsonschema-rs present (Schemathesis brings it) the library switches to
    it, whose errors carry no sub-errors (lenient validation needs them) and
    whose regex dialect differs: the same spec must build the same everywhere.
    """
    import openapi_spec_validator  # imported here: slow to import, and the pipeline validates in a child process
    from jsonschema.validators import validator_for
    from openapi_spec_validator import schemas

    base = getattr(openapi_spec_validator, _VALIDATORS[family])
    schema = dict(
        {
            "2.0": schemas.schema_v2,
            "3.0": schemas.schema_v30,
            "3.1": schemas.schema_v31,
        }[family]
    )
    return type(
        base.__name__, (base,), {"schema_validator": validator_for(schema)(schema)}
    )


class ValidatorCrash(Exception):
    """The validator could not finish; what it raised, as a finding."""

    @property
    def message(self) -> str:
        return str(self)


def _duplicate_templates(document: dict, file: str) -> list[Diagnostic]:
    """`/a/{x}` and `/a/{y}` are one route; the validator lets that pass."""
    seen: dict[str, str] = {}
    problems = []
    for path in document.get("paths") or {}:
        shape = re.sub(r"\{[^}]*\}", "{}", path)
        if shape in seen:
            problems.append(
                error(
                    file,
                    pointer_join("paths", path),
                    f"duplicate path template: {path!r} and {seen[shape]!r} match the same URLs",
                    "merge the two path items or make their literal segments differ",
                )
            )
        seen.setdefault(shape, path)
    return problems


_OPERATION_IN_MESSAGE = re.compile(r"for '(\w+)' operation in '([^']+)'")


def _pointer(exc: Exception, document: dict) -> str:
    path = list(getattr(exc, "absolute_path", None) or [])
    if path:
        if not hasattr(exc, "instance") or value_at(document, path) == exc.instance:
            return pointer_join(*path)
        # a schema's own meta-check: the path is relative to that schema, wherever it is
        return _find(
            document,
            lambda v: isinstance(v, dict) and value_at(v, path) == exc.instance,
            *path,
        ) or pointer_join(*path)
    named = _OPERATION_IN_MESSAGE.search(
        str(exc)
    )  # semantic checks name the operation in words
    return pointer_join("paths", named.group(2), named.group(1)) if named else ""


_NOT_A_SCHEMA = re.compile(r"^(.*) is not of type 'object', 'boolean'$", re.S)
_UNDEFINED_REQUIRED = re.compile(
    r"^Required list has not defined properties: (\[.*\])$", re.S
)


def _locate(document: dict, exc: Exception, located: set[str] = frozenset()) -> str:
    """Where a semantic check's error is: these come without a path, so find what they name."""
    message = str(getattr(exc, "message", None) or exc)
    not_schema = _NOT_A_SCHEMA.match(message)
    if not_schema:
        return _find(
            document,
            lambda v: not isinstance(v, dict) and repr(v) == not_schema.group(1),
        )
    undefined = _UNDEFINED_REQUIRED.match(message)
    if undefined:
        names = set(re.findall(r"'([^']*)'", undefined.group(1)))
        return _find(
            document,
            lambda v: isinstance(v, dict)
            and "allOf" in v
            and names <= set(v.get("required") or []),
            "required",
        )
    if hasattr(exc, "instance") and not getattr(exc, "absolute_path", None):
        instance, schema = exc.instance, getattr(exc, "schema", None)

        def holds(v: Any) -> bool:
            return isinstance(v, dict) and "default" in v and v["default"] == instance

        # The schema the default broke, if the error names it (a `format: email` whose
        # default is ''), else the first default of that value: gsmtasks has hundreds of
        # '' defaults, and leaving out the wrong ones took every lenient round.
        named = (
            _find(document, lambda v: holds(v) and v == schema, "default", skip=located)
            if isinstance(schema, dict)
            else ""
        )
        return named or _find(document, holds, "default", skip=located)
    return ""


def value_at(node: Any, path: list | tuple) -> Any:
    """The value at `path` below `node` (list items named by int or digits), or MISSING when there is none."""
    for part in path:
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, TypeError, ValueError):
            return MISSING
    return node


MISSING = object()


def _find(
    document: Any,
    matches: Callable[[Any], bool],
    *suffix: object,
    skip: set[str] = frozenset(),
) -> str:
    """The pointer of the first value (depth-first, document order) that `matches`, other than those in `skip`."""
    stack: list[tuple[tuple, Any]] = [((), document)]
    while stack:
        parts, node = stack.pop()
        if parts and matches(node) and pointer_join(*parts, *suffix) not in skip:
            return pointer_join(*parts, *suffix)
        children = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node) if isinstance(node, list) else ()
        )
        stack.extend((parts + (k,), v) for k, v in reversed(list(children)))
    return ""


def _message(exc: Exception) -> str:
    message = (getattr(exc, "message", None) or str(exc)).strip().splitlines()[0]
    schema_path = list(getattr(exc, "absolute_schema_path", []) or [])
    if "definitions" in schema_path and ("oneOf" in message or "anyOf" in message):
        index = schema_path.index("definitions")
        if index + 1 < len(schema_path):
            expected = schema_path[index + 1]
            return f"not a valid {expected} object ({_short(message)})"
    return _short(message)


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
