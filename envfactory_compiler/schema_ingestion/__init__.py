"""Stage 1: a spec file (or URL) to the frozen IR, `NormalizedSpec`.

read -> parse -> bundle external $refs -> check local $refs -> repair what is
invalid but unambiguous (with warnings) -> validate ->
(lenient: leave out what the validator objects to, with warnings) ->
convert to OpenAPI 3.0.3 -> add the sandbox's error responses -> freeze ->
endpoints -> resources and roles. Every failure is a `SpecError` carrying
diagnostics; nothing here prints or exits.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, Level, SpecError, error, warning
from ..frozen import freeze
from ..ir import NormalizedSpec, SecurityScheme, SpecSource
from . import openapi31, swagger2
from .credential_parameters import credential_parameters_to_security
from .example_schemas import derive_example_schemas
from .contract import (
    add_sandbox_responses,
    drop_unparsed_media,
    type_parameter_schemas,
)
from .normalization import GENERATED_ID, METHODS, ORIGINAL_ID, read_endpoints
from .reading import MAX_BYTES, parse, read_source
from .references import bundle, check_local_refs
from .repairs import repair
from .resources import infer_resources
from .slashed_paths import slash_examples
from .leniency import settle
from .validation import detect_version, validate

__all__ = ["ParsedSpec", "SchemaLoader", "check_parsed", "validate_parsed"]

_CONVERTERS = {"2.0": swagger2.to_openapi30, "3.1": openapi31.to_openapi30}


# In-place changes that make a spec servable, each reported once (count, first pointer).
_ADAPTATIONS = (
    (
        drop_unparsed_media,
        "{count} request media types the sandbox cannot validate were dropped from the bundled "
        "spec (listed in x-envc-dropped-media-types)",
        "offer request bodies as JSON or forms to have them validated",
    ),
    (
        credential_parameters_to_security,
        "{count} operations take a required header parameter that carries a credential "
        "(Authorization, an API key, a token or a secret); it is read as an apiKey "
        "security scheme of that header (Envc<Name>Header), sent by the environment",
        "declare credentials as securitySchemes rather than header parameters",
    ),
    (
        type_parameter_schemas,
        "{count} parameter schemas without a 'type' were given one (their branches' common type, "
        "else string; the original kept in x-envc-untyped-schema)",
        "give parameter schemas a type so URL text can be read unambiguously",
    ),
    (
        slash_examples,
        "{count} path parameters whose pattern puts a '/' in every value (an ARN) got an "
        "example drawn from the pattern, showing clients to send the slash as %2F",
        "give such parameters an example",
    ),
    (
        derive_example_schemas,
        "{count} responses documented only by an example got a schema read off that example "
        "(marked x-envc-from-example: true)",
        "give these responses schemas to control what the sandbox answers",
    ),
)


class SchemaLoader:
    """Loads OpenAPI 2.0, 3.0 and 3.1 documents (YAML or JSON) into the IR."""

    def __init__(
        self,
        *,
        allow_remote: bool = False,
        max_bytes: int = MAX_BYTES,
        ref_root: str | None = None,
    ) -> None:
        self.allow_remote = allow_remote
        self.max_bytes = max_bytes
        self.ref_root = (
            ref_root  # the folder file $refs may reach (default: the spec's)
        )

    def load(self, path_or_url: str, *, strict: bool = False) -> NormalizedSpec:
        """Read, validate and normalise one spec."""
        return self.normalize(check_parsed(self.read(path_or_url), strict=strict))

    def read(self, path_or_url: str) -> "ParsedSpec":
        """Read, parse, bundle and repair a spec; its `$ref`s are checked, not yet its structure."""
        location = str(path_or_url)
        text, sha256 = read_source(
            location, allow_remote=self.allow_remote, max_bytes=self.max_bytes
        )
        raw = parse(text, location)
        family, problems = detect_version(raw, location)
        if family is None:
            raise SpecError(problems)
        raw = bundle(
            raw, location, allow_remote=self.allow_remote, ref_root=self.ref_root
        )
        _raise_if(check_local_refs(raw, location))
        before = _operations(raw)
        repairs = tuple(repair(raw, family, location))
        source = SpecSource(
            location, sha256, str(raw.get("openapi") or raw.get("swagger"))
        )
        return ParsedSpec(raw, family, source, repairs, _gone(before, raw))

    def normalize(self, parsed: "ParsedSpec") -> NormalizedSpec:
        """The IR of a parsed spec (which `validate_parsed` should have passed)."""
        document, notes = self._to_openapi30(
            parsed.document, parsed.family, parsed.source.path
        )
        return self._build(
            document, parsed.source, [*parsed.repairs, *notes], parsed.left_out
        )

    def _to_openapi30(
        self, raw: dict, family: str, location: str
    ) -> tuple[dict, list[Diagnostic]]:
        converter = _CONVERTERS.get(family)
        if converter is None:
            return copy.deepcopy(raw), []
        document, notes = converter(raw)
        return document, [warning(location, n.pointer, n.message) for n in notes]

    def _build(
        self,
        document: dict,
        source: SpecSource,
        notes: list[Diagnostic],
        left_out: tuple[str, ...],
    ) -> NormalizedSpec:
        document["openapi"] = "3.0.3"
        notes = _name_operations(document, source.path) + notes
        for adapt, message, hint in _ADAPTATIONS:
            pointers = adapt(document)
            if pointers:
                notes.append(
                    warning(
                        source.path,
                        pointers[0],
                        message.format(count=len(pointers)),
                        hint,
                    )
                )
        endpoints, _ = read_endpoints(document, source.path)
        resources, endpoints = infer_resources(document, endpoints)
        added = add_sandbox_responses(document, endpoints, resources)
        if added:
            counts = Counter(pointer.rsplit("/", 1)[1] for pointer in added)
            listing = ", ".join(
                f"{status} x{count}" for status, count in sorted(counts.items())
            )
            notes.append(
                warning(
                    source.path,
                    added[0],
                    f"{len(added)} statuses the sandbox answers were undocumented ({listing}); "
                    "they are added to the bundled spec with x-envc-added: true",
                    "document 400/401/404 responses (or a default response) to control their shape",
                )
            )
        frozen = freeze(document)
        endpoints, _ = read_endpoints(frozen, source.path)
        resources, endpoints = infer_resources(frozen, endpoints)
        info = frozen.get("info") or {}
        return NormalizedSpec(
            title=str(info.get("title") or "api"),
            version=str(info.get("version") or "0"),
            description=str(info.get("description") or ""),
            source=source,
            document=frozen,
            endpoints=tuple(endpoints),
            resources=tuple(resources),
            security_schemes=_security_schemes(frozen),
            warnings=tuple(notes),
            left_out=left_out,
        )


@dataclass(frozen=True)
class ParsedSpec:
    """A spec as read: the bundled document in its own version, not yet validated."""

    document: dict
    family: str
    source: SpecSource
    repairs: tuple[Diagnostic, ...] = ()  # what `repairs.repair` fixed, as warnings
    left_out: tuple[
        str, ...
    ] = ()  # operations lenient validation left out ("GET /path")


def validate_parsed(parsed: ParsedSpec) -> list[Diagnostic]:
    """Structural errors (openapi-spec-validator) of a parsed spec."""
    return validate(parsed.document, parsed.family, parsed.source.path)


def check_parsed(parsed: ParsedSpec, *, strict: bool = False) -> ParsedSpec:
    """The spec as it will be compiled, or a SpecError.

    Strict: any validator finding is an error. Lenient (the default): what the
    validator objects to is left out with warnings (`leniency.settle`); the
    same `parsed` comes back when it objected to nothing.
    """
    if strict:
        _raise_if(validate_parsed(parsed))
        return parsed
    document = copy.deepcopy(parsed.document)
    settled = settle(document, parsed.family, parsed.source.path)
    _raise_if(settled.errors)
    if not settled.changed and not settled.warnings:
        return parsed
    if (
        not any(
            isinstance(item, dict) and any(m in item for m in METHODS)
            for item in (document.get("paths") or {}).values()
        )
        and settled.left_out
    ):
        why = [dataclasses.replace(w, level=Level.ERROR) for w in settled.warnings]
        raise SpecError(
            why
            + [
                error(
                    parsed.source.path,
                    "/paths",
                    f"no operation is left: all {len(settled.left_out)} "
                    "were left out for the errors above",
                    "fix the operations they name",
                )
            ]
        )
    return ParsedSpec(
        document,
        parsed.family,
        parsed.source,
        parsed.repairs + tuple(settled.warnings),
        parsed.left_out + tuple(settled.left_out),
    )


def _operations(document: dict) -> dict[str, object]:
    """Each operation as "GET /path", with its operationId (None without one)."""
    paths = document.get("paths")
    return {
        f"{method.upper()} {path}": operation.get("operationId")
        for path, item in (paths.items() if isinstance(paths, dict) else ())
        if isinstance(item, dict)
        for method, operation in item.items()
        if method in METHODS and isinstance(operation, dict)
    }


def _gone(before: dict[str, object], document: dict) -> tuple[str, ...]:
    """The operations repairs left out: neither their path and method nor their
    operationId is left (one that joined another route keeps its operationId)."""
    after = _operations(document)
    ids = {name for name in after.values() if name is not None}
    return tuple(
        key
        for key, name in before.items()
        if key not in after and (name is None or name not in ids)
    )


def _raise_if(problems: list[Diagnostic]) -> None:
    if problems:
        raise SpecError(problems)


def _name_operations(document: dict, file: str) -> list[Diagnostic]:
    """Give every operation the unique, tool-safe name the sandbox and tools use.

    The spec's own operationId is kept under `x-envc-original-operation-id`
    when it had to change; a generated one is marked as such.
    """
    endpoints, notes = read_endpoints(document, file)
    by_pointer = {e.pointer: e.name for e in endpoints}
    for path, item in (document.get("paths") or {}).items():
        for method in METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                pointer = (
                    "/paths/"
                    + path.replace("~", "~0").replace("/", "~1")
                    + "/"
                    + method
                )
                original = operation.get("operationId")
                if original is None:
                    operation[GENERATED_ID] = True
                elif original != by_pointer[pointer]:
                    operation[ORIGINAL_ID] = original
                operation["operationId"] = by_pointer[pointer]
    return notes


def _security_schemes(document: Any) -> tuple[SecurityScheme, ...]:
    schemes = ((document.get("components") or {}).get("securitySchemes")) or {}
    result = []
    for name, scheme in schemes.items():
        kind = str(scheme.get("type", ""))
        if kind == "apiKey":
            result.append(
                SecurityScheme(
                    name,
                    kind,
                    str(scheme.get("in", "header")),
                    str(scheme.get("name", "")),
                )
            )
        elif kind == "http":
            result.append(
                SecurityScheme(
                    name, kind, "header", str(scheme.get("scheme", "bearer")).lower()
                )
            )
        else:
            result.append(SecurityScheme(name, kind, "header", "bearer"))
    return tuple(result)
