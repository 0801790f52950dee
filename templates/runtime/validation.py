"""What Connexion's validation misses, added through its validator map.

- Formats: jsonschema's draft-4 checker knows nothing of OpenAPI's
  `int32`/`int64` ranges and checks `date-time` only when an optional
  package is installed.
- Direction: OpenAPI says a required `readOnly` property is required only
  in responses and a required `writeOnly` one only in requests; Connexion
  applies `required` to both.
Validators are also built once per operation instead of once per request.
"""

from __future__ import annotations

import datetime
import re
import uuid

from functools import cached_property
from typing import Any, Iterator

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.utils import is_null, is_nullable
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.validators import (
    VALIDATOR_MAP,
    FormDataValidator,
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    MultiPartFormDataValidator,
    ParameterValidator,
    TextResponseBodyValidator,
)
from jsonschema import Draft4Validator, ValidationError, validators
from starlette.datastructures import Headers

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _in_range(name: str):
    low, high = _RANGES[name]

    def check(value: object) -> bool:
        return (
            not isinstance(value, int)
            or isinstance(value, bool)
            or low <= value <= high
        )

    return check


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(
            value.replace("Z", "+00:00").replace("z", "+00:00").replace("t", "T")
        )
    except ValueError:
        return False
    return True


def _date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def register_formats() -> None:
    """Add the checks to the format checker Connexion validates with."""
    checker = Draft4Validator.FORMAT_CHECKER
    for name in _RANGES:
        checker.checks(name)(_in_range(name))
    checker.checks("date-time")(_date_time)
    checker.checks("date")(_date)
    checker.checks("uuid")(_uuid)


def _required_unless(flag: str):
    """`required`, except for properties marked with `flag` (readOnly/writeOnly)."""

    def required(
        validator: Any, names: list, instance: Any, schema: dict
    ) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "object"):
            return
        properties = schema.get("properties") or {}
        for name in names:
            if name not in instance and not (properties.get(name) or {}).get(flag):
                yield ValidationError(f"{name!r} is a required property")

    return required


_RequestSchema = validators.extend(
    Draft4RequestValidator, {"required": _required_unless("readOnly")}
)
_ResponseSchema = validators.extend(
    Draft4ResponseValidator, {"required": _required_unless("writeOnly")}
)


class _RequestBody:
    """Validators built once; an absent optional body is not an error."""

    async def wrap_receive(self, receive: Any, *, scope: Any) -> Any:
        absent = not int(Headers(scope=scope).get("content-length", 0) or 0)
        if absent and not self._required and self._schema.get("default") is None:
            return receive, scope
        return await super().wrap_receive(receive, scope=scope)

    @cached_property
    def _validator(self) -> Any:
        return _RequestSchema(
            self._schema, format_checker=Draft4Validator.FORMAT_CHECKER
        )


class JSONBody(_RequestBody, JSONRequestBodyValidator):
    pass


class _FormBody(_RequestBody):
    """Forms cannot carry an empty array: a missing required array means [],
    and an empty body is the empty form.

    A body the form parser chokes on (no boundary, no content type) is a
    bad request, not a server error.
    """

    async def wrap_receive(self, receive: Any, *, scope: Any) -> Any:
        """An empty form is a valid one when no field is required."""
        absent = not int(Headers(scope=scope).get("content-length", 0) or 0)
        if (
            absent
            and not self._schema.get("required")
            and self._schema.get("default") is None
        ):
            return receive, scope
        return await super().wrap_receive(receive, scope=scope)

    async def _parse(self, stream: Any, scope: Any) -> Any:
        try:
            return await super()._parse(stream, scope)
        except BadRequestProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - starlette's parser raises many kinds
            raise BadRequestProblem(
                detail=f"malformed form body: {type(exc).__name__}: {exc}"
            ) from None

    def _validate(self, body: Any) -> Any:
        if isinstance(body, dict):
            properties = self._schema.get("properties") or {}
            for name in self._schema.get("required") or ():
                if (
                    name not in body
                    and (properties.get(name) or {}).get("type") == "array"
                ):
                    body[name] = []
            for name, value in body.items():
                if _literal_in_text_field(properties.get(name) or {}, value):
                    raise BadRequestProblem(
                        detail=f"{name!r}: {value!r} is a JSON literal, not text"
                    )
        return super()._validate(body)


def _literal_in_text_field(schema: dict, value: Any) -> bool:
    """A form carries text only, so `true`/`false`/`null` in a free-text field
    are taken as a client that meant a boolean or null (as test generators do)."""
    if (
        schema.get("type") != "string"
        or schema.get("format") in ("binary", "byte")
        or "enum" in schema
    ):
        return False
    return value in ("true", "false", "null")


class FormBody(_FormBody, FormDataValidator):
    pass


class MultipartBody(_FormBody, MultiPartFormDataValidator):
    pass


_VALIDATORS: dict[tuple[int, Any], tuple[dict, Any]] = {}


def _validator_for(schema: dict, kind: Any) -> Any:
    """One validator per schema object, for the life of the app: Connexion
    builds one per request, which costs more than validating."""
    key = (id(schema), kind)
    cached = _VALIDATORS.get(key)
    if cached is None or cached[0] is not schema:
        validator = kind(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
        cached = _VALIDATORS[key] = (schema, validator)
    return cached[1]


class JSONResponse(JSONResponseBodyValidator):
    @property
    def validator(self) -> Any:
        return _validator_for(self._schema, _ResponseSchema)


class Parameters(ParameterValidator):
    """Connexion's parameter checks with validators built once, not per request."""

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict, param_name: Any = None
    ) -> str | None:
        if value is None or (is_nullable(param) and is_null(value)):
            return ParameterValidator.validate_parameter(
                parameter_type, value, param, param_name
            )
        if isinstance(value, list) and value and all(item == "" for item in value):
            value = []  # `ids=`: how a form-style, non-exploded empty array is sent
        try:
            _validator_for(param.get("schema", param), Draft4Validator).validate(value)
        except ValidationError as exception:
            return str(exception)
        return None


VALIDATORS = {
    **VALIDATOR_MAP,
    "parameter": Parameters,
    "body": MediaTypeDict(
        {
            "*/*json": JSONBody,
            "application/x-www-form-urlencoded": FormBody,
            "multipart/form-data": MultipartBody,
        }
    ),
    "response": MediaTypeDict(
        {"*/*json": JSONResponse, "text/plain": TextResponseBodyValidator}
    ),
}
