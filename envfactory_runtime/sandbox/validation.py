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
import ipaddress
import json
import math
import re
import uuid

from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Any, Iterator

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import (
    BadRequestProblem,
    ExtraParameterProblem,
    TypeValidationError,
)
from connexion.lifecycle import ConnexionRequest
from connexion.uri_parsing import OpenAPIURIParser
from connexion.utils import coerce_type, is_null, is_nullable
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.validators import (
    VALIDATOR_MAP,
    AbstractRequestBodyValidator,
    FormDataValidator,
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    MultiPartFormDataValidator,
    ParameterValidator,
    TextResponseBodyValidator,
)
from jsonschema import Draft4Validator, ValidationError, validators
from starlette.datastructures import Headers, UploadFile

from . import valid_items, xml_bodies, yaml_bodies
from .fake import DURATION_RE
from .routes import conditions, unescaped

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


_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|{_PCT})"
_AUTHORITY = (
    rf"(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|{_PCT})*@)?"
    rf"(?:\[[0-9A-Fa-f:.vV]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|{_PCT})*)"
    r"(?::\d*)?"
)
# RFC 3986 `absolute-URI [ "#" fragment ]`: a scheme, then only URI characters.
_URI = re.compile(
    rf"^[A-Za-z][A-Za-z0-9+.\-]*:"
    rf"(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?$"
)
# RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*$"
)
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+"
# RFC 5321 mailbox: a dot-atom or quoted local part, then a host name or an address literal.
_EMAIL_LOCAL = re.compile(rf'^(?:{_ATOM}(?:\.{_ATOM})*|"(?:[^"\\\r\n]|\\.)*")$')


def _strings(check: Any) -> Any:
    """A format check that, like every format check, ignores non-strings."""

    def checked(value: object) -> bool:
        return not isinstance(value, str) or bool(check(value))

    return checked


def _email(value: str) -> bool:
    local, at, domain = value.rpartition("@")
    if not at or not _EMAIL_LOCAL.match(local):
        return False
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        v6 = literal[:5].lower() == "ipv6:"
        try:
            address = ipaddress.ip_address(literal[5:] if v6 else literal)
        except ValueError:
            return False
        return address.version == (6 if v6 else 4)
    return bool(_HOSTNAME.match(domain))


def register_formats() -> None:
    """Add the checks to the format checker Connexion validates with.

    `uri`, `hostname` and `email` follow their RFCs as JSON Schema
    validators do (jsonschema checks `uri` only with an optional package,
    `hostname` not at all, and takes any text with an `@` for an email).
    """
    checker = Draft4Validator.FORMAT_CHECKER
    for name in _RANGES:
        checker.checks(name)(_in_range(name))
    checker.checks("date-time")(_date_time)
    checker.checks("date")(_date)
    checker.checks("uuid")(_uuid)
    checker.checks("uri")(_strings(_URI.match))
    checker.checks("hostname")(_strings(_HOSTNAME.match))
    checker.checks("email")(_strings(_email))
    checker.checks("duration")(_strings(DURATION_RE.fullmatch))


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


def _multiple_of(
    validator: Any, step: Any, instance: Any, schema: dict
) -> Iterator[ValidationError]:
    """`multipleOf` in decimal, as the spec's author wrote it: 8.21 is a
    multiple of 0.01, though in binary floats it is 821.0000000000001 times."""
    if not validator.is_type(instance, "number") or not isinstance(step, (int, float)):
        return
    try:
        met = Decimal(repr(instance)) % Decimal(repr(step)) == 0
    except (InvalidOperation, ValueError):  # beyond decimal's precision
        quotient = instance / step
        met = math.isfinite(quotient) and quotient == int(quotient)
    if not met:
        yield ValidationError(f"{instance!r} is not a multiple of {step!r}")


@lru_cache(maxsize=4096)
def _ecma(pattern: str) -> re.Pattern:
    """A pattern as ECMA-262 reads it, as JSON Schema says: `\\w`, `\\d` and
    `\\b` are ASCII (Python's `re` lets `ä³` through `^[-\\w._()]+$`, an
    ARM resource group name)."""
    try:
        return re.compile(pattern, re.ASCII)
    except re.error:  # an inline `(?u)`: as written
        return re.compile(pattern)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _nullable(keyword: str, base: Any) -> Any:
    """`keyword` of `base`, passing `null` where the schema is `nullable`
    though it has no `type` (GitHub's `{nullable: true, oneOf: [string,
    integer]}` milestone, "or null to remove"): what its author meant, and
    what clients send."""
    check = base.VALIDATORS[keyword]

    def nullable(
        validator: Any, value: Any, instance: Any, schema: dict
    ) -> Iterator[ValidationError]:
        if instance is None and schema.get("nullable") is True:
            return
        yield from check(validator, value, instance, schema)

    return nullable


# a property named `$ref`, which Connexion takes for a reference (see `app._for_connexion`)
REF_PROPERTY = "x-envc-ref-property"


def _ref_property(
    validator: Any, schema: dict, instance: Any, _: dict
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "object") and "$ref" in instance:
        yield from validator.descend(instance["$ref"], schema, path="$ref")


def _keywords(base: Any, **extra: Any) -> dict:
    combined = {k: _nullable(k, base) for k in ("oneOf", "anyOf", "allOf", "enum")}
    own = {"pattern": _pattern, "multipleOf": _multiple_of, REF_PROPERTY: _ref_property}
    return {**combined, **own, **extra}


_Draft4 = validators.extend(Draft4Validator, _keywords(Draft4Validator))
_RequestSchema = validators.extend(
    Draft4RequestValidator,
    _keywords(Draft4RequestValidator, required=_required_unless("readOnly")),
)
_ResponseSchema = validators.extend(
    Draft4ResponseValidator,
    _keywords(
        Draft4ResponseValidator,
        required=_required_unless("writeOnly"),
        items=valid_items.remembered(Draft4ResponseValidator),
    ),
)


class _RequestBody:
    """Validators built once; an absent optional body is not an error, and an
    absent required one is, even where its schema has a `default` (Connexion
    would send the default: VTEX's whole example is its body's default)."""

    async def wrap_receive(self, receive: Any, *, scope: Any) -> Any:
        absent = not int(Headers(scope=scope).get("content-length", 0) or 0)
        if absent and self._required:
            raise BadRequestProblem("RequestBody is required")
        if absent and self._schema.get("default") is None:
            return receive, scope
        return await super().wrap_receive(receive, scope=scope)

    @cached_property
    def _validator(self) -> Any:
        return _RequestSchema(
            self._schema, format_checker=Draft4Validator.FORMAT_CHECKER
        )


class JSONBody(_RequestBody, JSONRequestBodyValidator):
    def _validate(self, body: Any) -> Any:
        """A `null` body is valid where the schema allows null (a schema
        without a `type`, say); Connexion refuses it unless `nullable`."""
        if body is None and self._validator.is_valid(None):
            return None
        return super()._validate(body)


class XMLBody(JSONBody):
    """An XML body read as the value its schema describes (`xml_bodies`), then
    checked as a JSON one is: AWS's query protocol posts `text/xml`."""

    async def _parse(self, stream: Any, scope: Any) -> Any:
        text = b"".join([message async for message in stream])
        if not text.strip():
            return None
        try:
            return xml_bodies.read(text, self._schema)
        except xml_bodies.MalformedXML as exc:
            raise BadRequestProblem(detail=str(exc)) from None


class YAMLBody(JSONBody):
    """A YAML body (`yaml_bodies`) checked as a JSON one is: Kubernetes' `*/*`
    bodies, which Schemathesis sends as `text/yaml`, were taken unread."""

    async def _parse(self, stream: Any, scope: Any) -> Any:
        text = b"".join([message async for message in stream])
        if not text.strip():
            return None
        try:
            return yaml_bodies.read(text)
        except yaml_bodies.MalformedYAML as exc:
            raise BadRequestProblem(detail=str(exc)) from None


class FileBody(YAMLBody):
    """A body in a media type the sandbox does not read (a zip, an image):
    only its presence is checked, so a required one cannot be left out. No
    bytes under a content type are an empty file, which a binary string
    allows; no bytes and no content type are no body. A body whose schema is
    an object or an array (Kubernetes' `*/*`) is no file, whatever its type
    says: it is read as JSON or YAML text and checked, and bytes that are no
    such text are refused (Schemathesis sent Kubernetes' `DeleteOptions` as a
    punctuation string under `image/gif`; storing it made an item of nothing)."""

    async def wrap_receive(self, receive: Any, *, scope: Any) -> Any:
        if yaml_bodies.structured(self._schema):
            return await super().wrap_receive(receive, scope=scope)
        return _present(self, receive, scope)

    async def _parse(self, stream: Any, scope: Any) -> Any:
        text = b"".join([message async for message in stream])
        return yaml_bodies.structured_value(text)

    def _validate(self, body: Any) -> Any:
        if body is yaml_bodies.UNREAD:
            raise BadRequestProblem(
                detail="the body is no JSON or YAML text, and the operation takes "
                "an object or an array"
            )
        return super()._validate(body)


def _present(validator: Any, receive: Any, scope: Any) -> Any:
    """`FileBody`'s check: a required body was sent, in bytes or by type."""
    headers = Headers(scope=scope)
    given = "content-type" in headers or int(headers.get("content-length", 0) or 0)
    if validator._required and not given:
        raise BadRequestProblem(detail="RequestBody is required")
    return receive, scope


FORM_FIELDS = 100_000
"""The fields a form may have. Starlette's parsers refuse more than 1,000 by
default, which a valid body can exceed (Kubernetes' Job status as a form)."""


class _FormBody(_RequestBody):
    """Forms cannot carry an empty array or object: a missing required one
    means it empty, at any depth (Stripe's `business_profile` with none of its
    fields set), and an empty body is the empty form.

    A body the form parser chokes on (no boundary, no content type) is a
    bad request, not a server error.
    """

    async def wrap_receive(self, receive: Any, *, scope: Any) -> Any:
        """No content and no content type is no body: refused when the body is
        required. No content under a form content type is the empty form,
        valid when no field is required."""
        if _type_of(self._schema) not in (None, "object"):
            # `*/*` raw data (a string) a client sent under a form's type: its bytes
            return _present(self, receive, scope)
        headers = Headers(scope=scope)
        if int(headers.get("content-length", 0) or 0):
            return await super().wrap_receive(receive, scope=scope)
        if "content-type" not in headers:
            if self._required:
                raise BadRequestProblem(detail="RequestBody is required")
            return receive, scope
        self._validate({})
        return receive, scope

    async def _parse(self, stream: Any, scope: Any) -> Any:
        """Connexion's parse, with file fields found through `allOf` too."""
        try:
            data = await self._form_parser_cls(
                Headers(scope=scope), stream, max_fields=FORM_FIELDS
            ).parse()
        except BadRequestProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - starlette's parser raises many kinds
            raise BadRequestProblem(
                detail=f"malformed form body: {type(exc).__name__}: {exc}"
            ) from None
        properties = _properties(self._schema)
        form: dict = {}
        files: dict = {}
        for key in data:
            values = data.getlist(key)
            field = properties.get(key) or {}
            if _is_file(field):
                files[key] = "" if len(values) == 1 else [""] * len(values)
            elif _is_file(_first_dict(field, "items")) or any(
                isinstance(value, UploadFile) for value in values
            ):
                files[key] = [""] * len(values)
            else:
                form[key] = values
        # Connexion builds the parser with the operation's *first* media type's
        # body, which is not this one where an operation takes JSON and forms.
        parser = self._uri_parser
        same = (
            parser is not None and getattr(parser, "_body_schema", None) == self._schema
        )
        encodings = (getattr(parser, "_body_encoding", None) or {}) if same else {}
        return {**_resolve_form(form, self._schema, encodings), **files}

    def _validate(self, body: Any) -> Any:
        if isinstance(body, dict):
            _fill_empty(self._schema, body)
        # `true`, `false` and `null` in a text field of a urlencoded form are
        # text: the form carries nothing else (see MultipartBody for parts).
        return super()._validate(body)


class FormBody(_FormBody, FormDataValidator):
    """The form read here is kept on the request's scope (`parsed_form`) for
    the app to use: Connexion's own parse goes through Starlette's defaults,
    which refuse a form of more than 1,000 fields."""

    async def _parse(self, stream: Any, scope: Any) -> Any:
        body = await super()._parse(stream, scope)
        scope.setdefault("extensions", {})[_PARSED_FORM] = body
        return body


def parsed_form(scope: dict) -> dict | None:
    """The urlencoded body `FormBody` read and checked, if it read one."""
    return (scope.get("extensions") or {}).get(_PARSED_FORM)


_PARSED_FORM = "envc.parsed_form"


class MultipartBody(_FormBody, MultiPartFormDataValidator):
    """A plain part that is exactly `true`, `false` or `null` is read as the
    JSON value a client serialised into it (as `requests`-style multipart
    encoders and test generators do), so the schema decides: refused in a
    text field, and the branch it selects in a `oneOf`. A client that means
    the text can say so with the part's `Content-Type`; urlencoded forms,
    which cannot, keep such text as text.
    """

    def _validate(self, body: Any) -> Any:
        if isinstance(body, dict):
            properties = _properties(self._schema)
            for name, value in body.items():
                if _json_literal(properties.get(name) or {}, value):
                    body[name] = json.loads(value)
        return super()._validate(body)


def _fill_empty(schema: dict, value: dict) -> None:
    """The required arrays and objects a form left out, as the empty ones it
    could not write, in `value` and the objects inside it."""
    properties = _properties(schema)
    for name in schema.get("required") or ():
        kind = _type_of(properties.get(name) or {})
        if name not in value and kind in ("array", "object"):
            value[name] = [] if kind == "array" else {}
    for name, inner in value.items():
        field = _shaped(properties.get(name) or {}, "object")
        if isinstance(inner, dict) and field is not None:
            _fill_empty(field, inner)


def _json_literal(schema: dict, value: Any) -> bool:
    """Whether a part's text is a JSON literal rather than text the field keeps
    (file contents, an enum member spelled like one)."""
    if value not in ("true", "false", "null"):
        return False
    return schema.get("format") not in ("binary", "byte", "base64") and value not in (
        schema.get("enum") or ()
    )


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
    """Connexion's parameter checks with validators built once, not per request.

    An operation on a shared URL (`Dispatch` gave the request its path key)
    is told apart by its query, so it takes no query parameter it does not
    declare: one it does not means the request was not for it."""

    def validate(self, scope: dict) -> None:
        request = ConnexionRequest(scope, uri_parser=self.uri_parser)
        named = conditions(scope["path"])
        if named and not self.strict_validation:
            extra = set(
                self.validate_query_parameter_list(
                    request, security_params=self.security_query_params
                )
            ) - {name for name, _ in named}
            if extra:
                raise ExtraParameterProblem(
                    param_type="query", extra_params=sorted(extra)
                )
        self.validate_request(request)

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict, param_name: Any = None
    ) -> str | None:
        if value is None or (is_nullable(param) and is_null(value)):
            return ParameterValidator.validate_parameter(
                parameter_type, value, param, param_name
            )
        validator = _validator_for(param.get("schema", param), _Draft4)
        try:
            validator.validate(value)
        except ValidationError as exception:
            empty = isinstance(value, list) and all(item == "" for item in value)
            if not (empty and validator.is_valid([])):
                return str(exception)
            # `ids=` is `[""]`, or `[]` as clients that join items send it
        return None

    def validate_header_parameter(self, param: dict, request: Any) -> str | None:
        value = request.headers.get(param["name"])
        return self.validate_parameter("header", _typed(param, value), param)

    def validate_cookie_parameter(self, param: dict, request: Any) -> str | None:
        value = request.cookies.get(param["name"])
        return self.validate_parameter("cookie", _typed(param, value), param)


# Numbers as frameworks read them: Python's syntax without `_`, spaces or words (`inf`).
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _typed(param: dict, value: str | None) -> Any:
    """A header or cookie as the value its schema types (Connexion types only
    query and path parameters): `simple` style, arrays comma-separated. Text
    that is no such value stays text, for the schema check to refuse."""
    schema = param.get("schema", param)
    if value is None or (is_nullable(param) and is_null(value)):
        return value
    if _type_of(schema) == "array":
        items = _first_dict(schema, "items")
        return [_scalar(items, item) for item in value.split(",")] if value else []
    if _type_of(schema) == "object" and not _json_container(value):
        return _simple_object(schema, value, param.get("explode") is True)
    return _scalar(schema, value)


def _simple_object(schema: dict, text: str, explode: bool) -> Any:
    """A header object in OpenAPI's `simple` style: `k1,v1,k2,v2`, or
    `k1=v1,k2=v2` exploded. A property that is an array holds its one value
    (none when empty: Cloudmersive's form template). Text of another shape
    stays text, for the schema check to refuse."""
    if not text:
        return {}
    parts = text.split(",")
    if explode:
        pairs = [part.partition("=") for part in parts]
        if not all(sep for _, sep, _ in pairs):
            return text
        entries = [(key, value) for key, _, value in pairs]
    elif len(parts) % 2:
        return text
    else:
        entries = list(zip(parts[::2], parts[1::2]))
    properties = _properties(schema)
    found: dict = {}
    for key, value in entries:
        field = properties.get(key) or {}
        if _type_of(field) == "array":
            items = _first_dict(field, "items")
            found[key] = [_scalar(items, value)] if value else []
        else:
            found[key] = _scalar(field, value)
    return found


def _container_schema(schema: dict) -> bool:
    """Whether an untyped schema still describes an object or an array (its
    `properties`, `required`, `items`...): JSON text for it is that value."""
    return any(
        key in schema
        for key in ("properties", "required", "additionalProperties", "items")
    )


def _json_container(text: Any) -> bool:
    """Whether `text` is a JSON object or array, as a form carries one."""
    if not isinstance(text, str) or text[:1] not in ("{", "["):
        return False
    try:
        return isinstance(json.loads(text), (dict, list))
    except ValueError:
        return False


def _scalar(schema: dict, text: Any) -> Any:
    """Text read as the value its schema types; objects and arrays travel
    as JSON text (as form parts and clients send them). Where branches type
    it apart (Stripe's `anyOf: [boolean, enum [""]]`), as the first scalar
    branch that reads it."""
    kind = _type_of(schema)
    if not isinstance(text, str):
        return text
    if kind is None and text:
        for branch in _branches(schema):
            if _type_of(branch) in ("boolean", "integer", "number"):
                value = _scalar(branch, text)
                if not isinstance(value, str):
                    return value
    if text == "null" and schema.get("nullable") is True:
        return None
    if (kind in ("object", "array") or kind is None and _container_schema(schema)) and (
        _json_container(text)
    ):
        return json.loads(text)
    if kind in ("integer", "number") and text.isascii() and _NUMBER.match(text):
        try:
            return int(text)
        except ValueError:
            number = float(text)
            return number if kind == "number" and math.isfinite(number) else text
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


class URIParser(OpenAPIURIParser):
    """Connexion's parser, with form fields typed by their effective schema.

    Connexion reads a form field's type from its `type` key alone (a field
    typed through `allOf` raises KeyError), skips typing altogether unless
    the body schema says `type: object`, and joins repeated parts of a
    scalar field into one text. Here a field's type is looked up through
    `allOf`, repeated parts are an array's items (or, for a scalar field,
    a list the schema check refuses), an object or array field (or item)
    sent as JSON text is that JSON value - so `{}` sent for an array is an
    object, refused - and text that is no value of the field's type stays
    text, for the schema check to refuse.
    """

    def __init__(self, param_defns: list, body_defn: dict) -> None:
        super().__init__(param_defns, body_defn)
        # Connexion keys definitions by name alone: a query parameter named
        # like a path parameter (`id_user` in both) replaced its definition.
        self._placed = {
            place: {p["name"]: p for p in param_defns if p["in"] == place}
            for place in self.parsable_parameters
        }

    def resolve_query(self, query_data: dict) -> dict:
        return super().resolve_query(self._gathered(query_data))

    def _gathered(self, query_data: dict) -> dict:
        """The query with the properties of each form-style, exploded object
        parameter gathered under its name: OpenAPI's default for an object
        (`?Target=TCP:80&Interval=5` for `HealthCheck`), nested objects in
        brackets as clients write them (`AccessLog[Enabled]=true`), which
        OpenAPI leaves undefined. Connexion reads only `deepObject`."""
        gathered = dict(query_data)
        declared = self._placed["query"]
        for name, defn in declared.items():
            if name not in gathered and _type_of(defn.get("schema") or {}) == "array":
                _gather_items(gathered, name)
        for name, defn in declared.items():
            if name in gathered or not _exploded_object(defn):
                continue
            schema = defn.get("schema") or {}
            properties = _properties(schema)
            open_ended = schema.get("additionalProperties", True) is not False
            found: dict = {}
            for key in list(gathered):
                path = [key.split("[", 1)[0], *_BRACKETS.findall(key)]
                if key not in declared and (
                    path[0] in properties or open_ended
                ):  # an open object's other keys are its additional properties
                    _put(found, path, gathered.pop(key))
            if found:
                gathered[name] = [found]
        return gathered

    def resolve_params(self, params: dict, _in: str) -> dict:
        """Connexion's query and path resolution, with types looked up
        through `allOf` (Connexion raises KeyError for an array of items
        typed by `$ref` to an `allOf`) and numbers read strictly (not
        Python's `int`, which takes `5_0` for 50)."""
        resolved = {}
        for name, values in params.items():
            defn = self._placed[_in].get(name)
            if not defn:
                resolved[name] = values
                continue
            schema = defn.get("schema") or {}
            if _in == "path":
                values = [unescaped(values) if isinstance(values, str) else values]
            kind = _type_of(schema)
            if kind == "array":
                item_schema = _first_dict(schema, "items")
                if (
                    _in == "query"
                    and _exploded(defn)
                    and _type_of(item_schema) == "string"
                ):
                    items = list(values)  # one item each, commas and all (`a,b`)
                else:  # split, as Connexion does (`ids=1,2` for exploded integers too)
                    joined = self._resolve_param_duplicates(values, defn, _in)
                    items = self._split(joined, defn, _in)
                resolved[name] = [_scalar(item_schema, item) for item in items]
            elif kind == "object" and isinstance(values[-1], dict):
                resolved[name] = _object(schema, values[-1])
            elif kind == "object":
                try:
                    resolved[name] = coerce_type(defn, values[-1], "parameter", name)
                except (TypeValidationError, KeyError, TypeError):
                    resolved[name] = values[-1]
            else:
                resolved[name] = _scalar(schema, values[-1])
        return resolved

    def resolve_form(self, form_data: dict) -> dict:
        return _resolve_form(form_data, self._body_schema, self._body_encoding or {})


_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def _gather_items(query: dict, name: str) -> None:
    """An array's items sent in brackets, `expand[]=a&expand[]=b` or
    `expand[0]=a` (Stripe's clients), as the exploded array `expand=a&expand=b`
    (Connexion's deepObject reading keeps the first item, as an object)."""
    keys = [
        k for k in query if k.startswith(name + "[") and _ITEM.fullmatch(k[len(name) :])
    ]
    keys.sort(key=lambda k: (len(k), k))  # expand[2] before expand[10]
    if keys:
        query[name] = [value for key in keys for value in query.pop(key)]


_ITEM = re.compile(r"\[\d*\]")


def _exploded(defn: dict) -> bool:
    """Whether a query parameter is sent exploded (`?a=1&a=2`): `form` style,
    the default, explodes by default."""
    style = defn.get("style", "form")
    return defn.get("explode", style == "form") is True


def _exploded_object(defn: dict) -> bool:
    """Whether a query parameter is an object sent as its properties
    (`style: form`, the default, with `explode`, also the default)."""
    return (
        defn.get("in") == "query"
        and _type_of(defn.get("schema") or {}) == "object"
        and defn.get("style", "form") == "form"
        and _exploded(defn)
    )


def _put(tree: dict, path: list[str], values: list) -> None:
    """`values` at `path` in `tree` (`AccessLog[Enabled]`: tree["AccessLog"]["Enabled"])."""
    for step in path[:-1]:
        tree = tree.setdefault(step, {})
        if not isinstance(tree, dict):
            return  # `A=1&A[b]=2`: the text stays, for the schema check to refuse
    tree[path[-1]] = values


def _object(schema: dict, tree: dict) -> dict:
    """Gathered query or form text (lists of the values sent) as the object its
    schema types; a field whose branches differ (Stripe's `anyOf: [array,
    enum [""]]`) is read by its array or object branch."""
    properties = _properties(schema)
    others = schema.get("additionalProperties")
    typed = {}
    for key, value in tree.items():
        field = properties.get(key) or (others if isinstance(others, dict) else {})
        array = _shaped(field, "array")
        if isinstance(value, dict) and array is not None:
            typed[key] = _listed(array, value)
        elif isinstance(value, dict):
            typed[key] = _object(_shaped(field, "object") or field, value)
        elif not isinstance(value, list):
            typed[key] = _scalar(field, value)
        elif array is not None and all(item == "" for item in value):
            typed[key] = []  # `fixed_amounts[]=`: no items, as a form says so
        elif array is not None:
            typed[key] = [_scalar(_first_dict(array, "items"), item) for item in value]
        elif _type_of(field) == "object" and value[-1] == "":
            typed[key] = {}  # `Redrive=`: a nested object with nothing in it
        else:
            typed[key] = _scalar(field, value[-1])
    return typed


def _shaped(field: dict, kind: str) -> dict | None:
    """`field` if it is of type `kind`, else its first branch that is."""
    if _type_of(field) == kind:
        return field
    return next((b for b in _branches(field) if _type_of(b) == kind), None)


def _listed(field: dict, tree: dict) -> list:
    """An array sent as bracketed items, in order: `items[0][price]=...` (an
    object per index) or `expand[]=a&expand[]=b` (Stripe's forms); `x[]=`
    alone is no item."""
    items = _first_dict(field, "items")
    found: list = []
    for index in sorted(tree, key=lambda k: (0, int(k)) if k.isdigit() else (1, k)):
        value = tree[index]
        if isinstance(value, dict):
            found.append(_object(items, value))
        elif isinstance(value, list):
            found.extend(_scalar(items, item) for item in value if item != "" or index)
        else:
            found.append(_scalar(items, value))
    return found


def _resolve_form(form_data: dict, schema: dict, encodings: dict) -> dict:
    """Form fields as the values their schemas type: see `URIParser`. Objects
    and arrays sent as bracketed keys (`cancellation_details[comment]`,
    `items[0][price]`, `expand[]`: Stripe's forms, `deepObject` style and
    what clients send beyond it), and an object in `form` style (OpenAPI's
    default: its fields at the top), are gathered under their field first."""
    properties = _properties(schema)
    open_ended = schema.get("additionalProperties", True) is not False
    nested: dict = {}
    for key in [k for k in form_data if "[" in k and k not in properties]:
        path = [key.split("[", 1)[0], *_BRACKETS.findall(key)]
        if path[0] in properties or open_ended:
            values = form_data[key]
            _put(nested, path, values if isinstance(values, list) else [values])
    form_data = {k: v for k, v in form_data.items() if not _in_tree(k, nested)}
    for name, field in properties.items():  # an object in form style: fields at the top
        inner = _properties(field)
        style = (encodings.get(name) or {}).get("style", "form")
        if _type_of(field) != "object" or style != "form" or name in nested:
            continue
        for key in [k for k in form_data if k in inner and k not in properties]:
            nested.setdefault(name, {})[key] = form_data.pop(key)
    resolved = _object(schema, nested) if nested else {}
    for name, values in form_data.items():
        values = values if isinstance(values, list) else [values]
        field = properties.get(name) or {}
        encoding = encodings.get(name) or {}
        if "json" in str(encoding.get("contentType", "")) and values:
            try:
                resolved[name] = json.loads(values[-1])
            except ValueError:
                resolved[name] = values[-1]
            continue
        kind = _type_of(field)
        if kind == "array" and len(values) == 1 and _json_container(values[0]):
            resolved[name] = json.loads(values[0])  # the array as JSON text
        elif kind == "array":
            if encoding.get("explode", encoding.get("style", "form") == "form"):
                items = values
            else:
                delimiter = _DELIMITERS.get(encoding.get("style", "form"), ",")
                items = values[-1].split(delimiter) if values[-1] else []
            item_schema = _first_dict(field, "items")
            resolved[name] = [_scalar(item_schema, item) for item in items]
        elif kind is None and _shaped(field, "array") and values != [""]:
            # an array among the branches (Stripe's `anyOf: [array, enum [""]]`):
            # the values sent are its items, and `x=` alone the empty-string one
            item_schema = _first_dict(_shaped(field, "array"), "items")
            resolved[name] = [_scalar(item_schema, value) for value in values]
        elif len(values) == 1:
            resolved[name] = _scalar(field, values[0])
        else:
            resolved[name] = [_scalar(field, value) for value in values]
    return resolved


def _in_tree(key: str, tree: dict) -> bool:
    """Whether a bracketed form key was gathered into `tree`."""
    return "[" in key and key.split("[", 1)[0] in tree


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _properties(schema: dict) -> dict:
    """A schema's properties, with those its `allOf` members declare and those
    its `anyOf` / `oneOf` branches declare alike (a field the branches type
    differently is left untyped, its text for the branches to judge)."""
    found: dict = {}
    for keyword in ("anyOf", "oneOf"):
        branches = [
            _properties(p) for p in schema.get(keyword) or () if isinstance(p, dict)
        ]
        for name in dict.fromkeys(name for branch in branches for name in branch):
            kinds = [branch[name] for branch in branches if name in branch]
            found[name] = kinds[0] if all(kind == kinds[0] for kind in kinds) else {}
    for part in schema.get("allOf") or ():
        if isinstance(part, dict):
            found.update(_properties(part))
    found.update(schema.get("properties") or {})
    return found


def _branches(schema: dict) -> list[dict]:
    """A schema's anyOf / oneOf branches (through `allOf`)."""
    found = [
        p
        for k in ("anyOf", "oneOf")
        for p in schema.get(k) or ()
        if isinstance(p, dict)
    ]
    for part in schema.get("allOf") or ():
        if isinstance(part, dict):
            found += _branches(part)
    return found


def _type_of(schema: dict) -> str | None:
    """A schema's `type`, looked up through `allOf` (and through `anyOf` /
    `oneOf` branches that all agree)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind
    for part in schema.get("allOf") or ():
        if isinstance(part, dict) and _type_of(part):
            return _type_of(part)
    for keyword in ("anyOf", "oneOf"):
        kinds = {_type_of(p) for p in schema.get(keyword) or () if isinstance(p, dict)}
        if len(kinds) == 1:
            return kinds.pop()
    return None


def _is_file(schema: dict) -> bool:
    return _type_of(schema) == "string" and schema.get("format") in ("binary", "base64")


def _first_dict(schema: dict, key: str) -> dict:
    if isinstance(schema.get(key), dict):
        return schema[key]
    for part in schema.get("allOf") or ():
        if isinstance(part, dict) and _first_dict(part, key):
            return _first_dict(part, key)
    return {}


VALIDATORS = {
    **VALIDATOR_MAP,
    "parameter": Parameters,
    "body": MediaTypeDict(
        {
            "*/*json": JSONBody,
            "*/*xml": XMLBody,
            "*/*yaml": YAMLBody,
            "application/x-www-form-urlencoded": FormBody,
            "multipart/*": MultipartBody,
            "*/*": FileBody,
        }
    ),
    "response": MediaTypeDict(
        {"*/*json": JSONResponse, "text/plain": TextResponseBodyValidator}
    ),
}
