"""Schema-valid, realistic fake data for the sandbox runtime.

The sandbox answers every request from stored state, and both the state and the
responses must validate against the OpenAPI 3.0 document while looking plausible
and staying reproducible from a seeded RNG.  ``SchemaData.generate`` invents such
values; ``SchemaData.conform`` repairs a partial or stale value, keeping every
part that already fits.  Per-schema analysis (resolved refs, merged ``allOf``,
read/write views) is cached, so the hot path is a walk over the value only.

This file is copied verbatim into every generated package: it may import only
the standard library and ``rstr``.
"""

from __future__ import annotations

import base64
import copy
import datetime as _dt
import ipaddress
import math
import re
import string
import threading
import uuid
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from random import Random
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import unquote

import rstr

from . import arns

__all__ = ["MISSING", "SchemaData"]


class _Missing:
    """Type of the ``MISSING`` sentinel."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

_HARD_DEPTH = 32  # levels past max_depth after which we stop even for required data
_SAMPLE_P = 0.5  # chance to start from a schema's example/default
_NULL_P = 0.1  # chance to emit null for a nullable schema
_ONE_OF_TRIES = 4
_CACHE_LIMIT = 50_000  # analysed schemas kept before the identity cache is reset
_NOT_TRIES = 32

# ---------------------------------------------------------------------------
# JSON value helpers
# ---------------------------------------------------------------------------

_TYPE_OF: dict[type, str] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    dict: "object",
    list: "array",
    type(None): "null",
}


def _json_type(value: Any) -> str | None:
    """JSON type name of ``value`` (``None`` for non-JSON values and MISSING)."""
    name = _TYPE_OF.get(type(value))
    if name is not None:
        return name
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return None


def _fits(json_type: str | None, types: tuple[str, ...]) -> bool:
    return json_type in types or (json_type == "integer" and "number" in types)


def _freeze(value: Any) -> Any:
    """Hashable key with JSON equality (1 == 1.0, True != 1)."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("z",)
    if isinstance(value, (list, tuple)):
        return ("a", tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("o", tuple(sorted((str(k), _freeze(v)) for k, v in value.items())))
    return ("x", repr(value))


def _copy(value: Any) -> Any:
    return copy.deepcopy(value) if isinstance(value, (dict, list)) else value


def _singular(hint: str) -> str:
    if hint.endswith("ies") and len(hint) > 4:
        return hint[:-3] + "y"
    if hint.endswith("s") and not hint.endswith("ss") and len(hint) > 3:
        return hint[:-1]
    return hint


# ---------------------------------------------------------------------------
# Realistic strings
# ---------------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(sep))


_FIRST = _words(
    "Alice Bruno Chloe Daniel Emma Felix Grace Hugo Isla Jonas Keiko Liam Maya Noah "
    "Olivia Priya Quinn Rosa Samuel Tara Uma Victor Wen Zoe"
)
_LAST = _words(
    "Anderson Baker Chen Diaz Evans Fischer Garcia Hughes Ito Johnson Kim Lopez "
    "Miller Nguyen Okafor Patel Rossi Smith Tanaka Walker Young"
)
_WORDS = _words(
    "alpha amber breeze cedar delta ember falcon garnet harbor indigo juniper kestrel "
    "lumen maple nova orbit pebble quartz river summit tundra violet willow zephyr"
)
_NOUNS = _words(
    "report project garden meeting journey update release review order invoice "
    "ticket profile account event photo playlist recipe workshop schedule budget"
)
_ADJECTIVES = _words(
    "quick quiet bright modern simple weekly final shared annual private new classic"
)
_VERBS = _words("covers describes includes tracks summarizes explains lists highlights")
_CITIES = _words(
    "Berlin Lisbon Austin Toronto Osaka Melbourne Nairobi Oslo Denver Madrid "
    "Seattle Dublin Montreal Seoul"
)
_COUNTRIES = _words(
    "Germany, Portugal, United States, Canada, Japan, Australia, Kenya, Norway, "
    "Spain, Ireland, France, Brazil",
    ",",
)
_STREETS = _words(
    "Main St, Oak Ave, Maple Rd, Cedar Ln, Elm St, Park Blvd, Lake Dr, River Way", ","
)
_COMPANIES = _words(
    "Acme Corp, Globex, Initech, Umbrella Labs, Hooli, Soylent Co, "
    "Vandelay Industries, Wonka Foods, Cyberdyne Systems",
    ",",
)
_COUNTRY_CODES = _words("US DE FR JP BR CA GB ES KE NO")
_COLORS = _words("red blue green black white yellow purple orange gray")
_STATUSES = _words("active pending inactive completed archived available")
_DOMAINS = _words("example.com example.org example.net mail.example.com")
_CURRENCIES = _words("USD EUR GBP JPY CAD AUD")
_LANGUAGES = _words("en de fr es ja pt")
_TIMEZONES = _words("UTC Europe/Berlin America/New_York Asia/Tokyo")
_MIMES = _words("application/json text/plain image/png application/pdf")
_EXTENSIONS = _words("pdf png txt csv jpg")
_PRONOUNS = _words("she/her he/him they/them")
_EPOCH = _dt.datetime(2020, 1, 1)


def _datetime_str(rng: Random) -> str:
    moment = _EPOCH + _dt.timedelta(seconds=rng.randrange(7 * 365 * 86400))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _date_str(rng: Random, start_year: int = 2020, years: int = 7) -> str:
    day = _dt.date(start_year, 1, 1) + _dt.timedelta(days=rng.randrange(years * 365))
    return day.isoformat()


def _time_str(rng: Random) -> str:
    return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"


def _full_name(rng: Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _username(rng: Random) -> str:
    first, last = rng.choice(_FIRST).lower(), rng.choice(_LAST).lower()
    return f"{first}_{last}{rng.randrange(100)}"


def _email(rng: Random) -> str:
    first, last = rng.choice(_FIRST).lower(), rng.choice(_LAST).lower()
    return f"{first}.{last}@{rng.choice(_DOMAINS)}"


def _url(rng: Random) -> str:
    path = f"{rng.choice(_NOUNS)}s/{rng.randrange(1, 1000)}"
    return f"https://www.{rng.choice(_DOMAINS)}/{path}"


def _image_url(rng: Random) -> str:
    name = f"{rng.choice(_WORDS)}-{rng.randrange(1000)}"
    return f"https://images.{rng.choice(_DOMAINS)}/{name}.png"


def _hostname(rng: Random) -> str:
    return f"{rng.choice(_WORDS)}.{rng.choice(_DOMAINS)}"


def _ipv4(rng: Random) -> str:
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def _ipv6(rng: Random) -> str:
    return ":".join(f"{rng.getrandbits(16):x}" for _ in range(8))


def _uuid(rng: Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _byte(rng: Random) -> str:
    text = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
    return base64.b64encode(text.encode()).decode()


def _password(rng: Random) -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%"
    return "".join(rng.choice(alphabet) for _ in range(12))


def _sentence(rng: Random) -> str:
    adj1, noun1 = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    adj2, noun2 = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    return f"The {adj1} {noun1} {rng.choice(_VERBS)} the {adj2} {noun2}."


def _title(rng: Random) -> str:
    return f"{rng.choice(_ADJECTIVES).title()} {rng.choice(_NOUNS).title()}"


def _token(rng: Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _code(rng: Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6))


def _street(rng: Random) -> str:
    return f"{rng.randint(1, 999)} {rng.choice(_STREETS)}"


def _phone(rng: Random) -> str:
    return f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def _version(rng: Random) -> str:
    return f"{rng.randint(0, 4)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"


def _filename(rng: Random) -> str:
    return f"{rng.choice(_NOUNS)}-{rng.randrange(100)}.{rng.choice(_EXTENSIONS)}"


def _pick(options: tuple[str, ...]) -> Callable[[Random], str]:
    return lambda rng: rng.choice(options)


_STRING_KINDS: dict[str, Callable[[Random], str]] = {
    "email": _email,
    "first_name": _pick(_FIRST),
    "last_name": _pick(_LAST),
    "username": _username,
    "full_name": _full_name,
    "company": _pick(_COMPANIES),
    "city": _pick(_CITIES),
    "country": _pick(_COUNTRIES),
    "country_code": _pick(_COUNTRY_CODES),
    "street": _street,
    "zip": lambda rng: f"{rng.randint(10000, 99999)}",
    "phone": _phone,
    "image_url": _image_url,
    "url": _url,
    "hostname": _hostname,
    "ipv4": _ipv4,
    "uuid": _uuid,
    "birth_date": lambda rng: _date_str(rng, 1950, 55),
    "date": _date_str,
    "datetime": _datetime_str,
    "password": _password,
    "token": _token,
    "slug": lambda rng: f"{rng.choice(_ADJECTIVES)}-{rng.choice(_NOUNS)}",
    "version": _version,
    "currency": _pick(_CURRENCIES),
    "language": _pick(_LANGUAGES),
    "timezone": _pick(_TIMEZONES),
    "mime": _pick(_MIMES),
    "filename": _filename,
    "path": lambda rng: f"/{rng.choice(_NOUNS)}s/{rng.choice(_WORDS)}",
    "color": _pick(_COLORS),
    "status": _pick(_STATUSES),
    "title": _title,
    "sentence": _sentence,
    "code": _code,
    "pronouns": _pick(_PRONOUNS),
    "tag": _pick(_WORDS),
    "name_word": lambda rng: rng.choice(_WORDS).title(),
    "tag_key": _pick(
        _words("Environment Team Project Owner CostCenter Application Stage")
    ),
    "tag_value": _pick(_words("production staging development analytics platform web")),
    "role": _pick(_words("admin editor viewer owner member maintainer")),
    "region": _pick(
        _words(
            "us-east-1 us-west-2 eu-west-1 eu-central-1 ap-southeast-2 ap-northeast-1"
            " ca-central-1 sa-east-1"
        )
    ),
    "word": _pick(_WORDS),
    "latitude": lambda rng: f"{rng.uniform(-80, 80):.4f}",
    "longitude": lambda rng: f"{rng.uniform(-179, 179):.4f}",
}

# "<kind>: <whole hints> | <last words>" -- a hint matches when its normalised
# form (camelCase/snake_case joined, lower case) is among the whole hints or its
# last word is among the last words.  First match wins.
_STRING_RULES_TEXT = """
tag_key: tagkey |
tag_value: tagvalue |
role: role rolename | role
region: region regionname regioncode awsregion replicaregion sourceregion
    destinationregion | region
email: email emailaddress mail | email mail
latitude: lat latitude | latitude
longitude: lon lng long longitude | longitude
first_name: firstname givenname forename |
last_name: lastname surname familyname | surname
username: username login handle nickname screenname user owner author github twitter
    devto discord linkedin discourse | username handle login
full_name: name fullname displayname contactname authorname ownername customername
    realname personname |
company: company companyname organization organisation org employer brand vendor
    publisher | company
city: city town location cityname | city
country_code: countrycode countryiso |
country: country countryname nationality | country
street: address street streetaddress addressline addressline1 address1 shippingaddress
    billingaddress | address street
zip: zip zipcode postalcode postcode | zip zipcode postcode
phone: phone phonenumber mobile telephone tel fax cell | phone mobile telephone
image_url: avatar avatarurl image imageurl photo photourl picture thumbnail icon logo
    | avatar image photo thumbnail logo
url: url uri link website homepage href webpage site callback redirect
    | url uri link href website homepage
hostname: host hostname domain domainname server | host hostname domain
ipv4: ip ipaddress ipv4 | ip
uuid: id uuid guid uid | id uuid guid uid
birth_date: birthday birthdate dob dateofbirth | birthday
date: date | date day
datetime: created updated modified deleted timestamp datetime
    | at time timestamp datetime since until
password: password passwd pass secret pin | password secret
token: token apikey key accesstoken secretkey hash checksum signature sha etag
    | token key hash checksum sha
slug: slug permalink | slug
version: version | version
currency: currency currencycode | currency
language: language lang locale languages | language locale lang
timezone: timezone tz | timezone
mime: mimetype contenttype mediatype |
filename: file filename attachment | filename
path: path filepath directory dir folder | path
color: color colour | color colour
status: status state | status state
title: title headline subject heading caption | title headline subject
sentence: description summary body text comment comments message note notes bio
    content details about reason remarks biography excerpt | description summary body
    text comment message note bio content details reason
code: code sku | code sku
pronouns: pronouns |
tag: tag label category keyword topic type kind source group
    | tag label category type kind topic
name_word: | name
"""

# "<low> <high>: <whole hints> | <last words>" for integers and numbers.
_NUMBER_RULES_TEXT = """
1 99999: id | id
18 90: age | age
1990 2030: year | year
1 12: month | month
1 28: day | day
0 23: hour hours | hour hours
0 59: minute minutes second seconds | minute minutes second seconds
1 5: rating stars | rating stars
0 100: percent percentage progress | percent percentage
1024 65535: port | port
-90 90: lat latitude | lat latitude
-180 180: lon lng long longitude | lon lng longitude
1 20: quantity qty | quantity qty
0 100: count total size limit number num length | count total size limit
1 500: price cost amount balance salary fee | price cost amount balance fee
400 599: code statuscode | code
"""


def _rules(text: str) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    """Parse a ``key: whole | last`` table (indented lines continue the previous)."""
    rules = []
    for entry in re.sub(r"\n\s+", " ", text).strip().splitlines():
        key, _, matchers = entry.partition(":")
        whole, _, last = matchers.partition("|")
        rules.append((key, frozenset(whole.split()), frozenset(last.split())))
    return rules


_STRING_RULES = [
    (_STRING_KINDS[kind], whole, last)
    for kind, whole, last in _rules(_STRING_RULES_TEXT)
]
_NUMBER_RULES = [
    ((int(key.split()[0]), int(key.split()[1])), whole, last)
    for key, whole, last in _rules(_NUMBER_RULES_TEXT)
]


@lru_cache(maxsize=8192)
def _hint_tokens(hint: str) -> tuple[str, str]:
    """Normalised (joined, last-token) form of a property/parameter name."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", hint).lower()
    tokens = [t for t in re.split(r"[^a-z0-9]+", snake) if t]
    if not tokens:
        return "", ""
    return "".join(tokens), tokens[-1]


def _match(
    hint: str, rules: list[tuple[Any, frozenset, frozenset]], default: Any
) -> Any:
    whole, last = _hint_tokens(hint)
    for value, names, lasts in rules:
        if whole in names or last in lasts:
            return value
    return default


_PERSONS = frozenset(
    "user person people customer employee member contact owner author patient "
    "student driver staff player passenger guest client subscriber recipient "
    "sender applicant candidate teacher doctor agent admin administrator human "
    "individual buyer seller traveler traveller attendee speaker participant "
    "friend follower assignee reviewer approver collaborator account".split()
)


_PERSON_FIELDS = frozenset(
    "email emailaddress phone phonenumber mobile firstname lastname surname "
    "birthdate birthday dateofbirth dob gender".split()
)


def _property_hint(prop: str, node: "_Node") -> str:
    """What a property is, from its object as well as its name: a thing's
    `name` ("item_name"), a tag's `Key` and `Value` (AWS's `Tag {Key, Value}`:
    `Environment: production`, not a hex token)."""
    if _thing_name(prop, node):
        return "item_name"
    owner = _hint_tokens(node.owner or "")[1]
    if owner in ("tag", "label") and _hint_tokens(prop)[0] in ("key", "value"):
        return "tag_" + _hint_tokens(prop)[0]
    return prop


def _thing_name(prop: str, node: "_Node") -> bool:
    """Whether an object's bare `name` names a thing, not a person: a brand, a
    product or a queue is not called 'Jonas Tanaka'. A person is a schema
    named for one (`User`, `CustomerInput`) or one with a person's fields
    beside the name (an email, a phone, a birth date)."""
    if _hint_tokens(prop)[0] not in ("name", "displayname"):
        return False
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", node.owner or "").lower()
    if any(_singular(w) in _PERSONS for w in re.findall(r"[a-z]+", words)):
        return False
    return not any(_hint_tokens(p)[0] in _PERSON_FIELDS for p in node.props)


@lru_cache(maxsize=4096)
def _string_kind(hint: str) -> Callable[[Random], str]:
    """Realistic string maker for a property/parameter name."""
    return _match(hint, _STRING_RULES, _STRING_KINDS["word"])


@lru_cache(maxsize=4096)
def _number_range(hint: str) -> tuple[int, int]:
    """Plausible numeric range for a property/parameter name."""
    return _match(hint, _NUMBER_RULES, (1, 1000))


# ---------------------------------------------------------------------------
# Formats and patterns
# ---------------------------------------------------------------------------

_DATE_TIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$")
_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-" r"[0-9a-fA-F]{12}$"
)
# `uri`, `email` and `hostname` as strictly as the served app checks them
# (validation.py): RFC 3986, RFC 5321 and RFC 1123.
# a pattern that is one atom repeated: `^[0-9]+$`, `[a-z]*`, `^\\d+$`
_REPEATED = re.compile(r"\^?(\[[^\]]+\]|\\[dwsDWS]|\.)[+*]\$?")
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|{_PCT})"
_URI_RE = re.compile(
    rf"^[A-Za-z][A-Za-z0-9+.\-]*:(?://(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|{_PCT})*@)?"
    rf"(?:\[[0-9A-Fa-f:.vV]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|{_PCT})*)(?::\d*)?"
    rf"(?:/{_PCHAR}*)*|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?$"
)
_HOST = (
    r"(?=[^@]{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*"
)
_HOST_RE = re.compile(rf"^{_HOST}$")
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+"
_EMAIL_RE = re.compile(
    rf'^(?:{_ATOM}(?:\.{_ATOM})*|"(?:[^"\\\r\n]|\\.)*")@'
    rf"(?:{_HOST}|\[\d{{1,3}}(?:\.\d{{1,3}}){{3}}\]|\[IPv6:[0-9A-Fa-f:.]+\])$"
)
# RFC 3339's duration (Appendix A), as JSON Schema validators check it:
# `P1D`, `PT5M`, `P1Y2M3DT4H`, `P2W`; not `PT1.5S` nor `P1M1Y`
_DURATION_TIME = r"T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)"
DURATION_RE = re.compile(
    rf"P(?:(?:\d+D|\d+M(?:\d+D)?|\d+Y(?:\d+M(?:\d+D)?)?)(?:{_DURATION_TIME})?"
    rf"|{_DURATION_TIME}|\d+W)"
)
_BASE64_RE = re.compile(
    r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
)


def _parses(parser: Callable[[str], Any]) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            parser(text)
        except ValueError:
            return False
        return True

    return check


def _is_datetime(text: str) -> bool:
    if not _DATE_TIME_RE.match(text):
        return False
    return _parses(_dt.datetime.fromisoformat)(text.upper().replace("Z", "+00:00"))


_FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_datetime,
    "date": lambda s: bool(_DATE_RE.match(s)) and _parses(_dt.date.fromisoformat)(s),
    "time": lambda s: bool(_TIME_RE.match(s))
    and _parses(_dt.time.fromisoformat)(s.upper().replace("Z", "+00:00")),
    "uuid": lambda s: bool(_UUID_RE.match(s)),
    "email": lambda s: bool(_EMAIL_RE.match(s)),
    "uri": lambda s: bool(_URI_RE.match(s)),
    "url": lambda s: bool(_URI_RE.match(s)),
    "hostname": lambda s: bool(_HOST_RE.match(s)),
    "ipv4": _parses(ipaddress.IPv4Address),
    "ipv6": _parses(ipaddress.IPv6Address),
    "byte": lambda s: bool(_BASE64_RE.match(s)),
    "duration": lambda s: bool(DURATION_RE.fullmatch(s)),
}

_FORMAT_GENERATORS: dict[str, Callable[[Random], str]] = {
    "date-time": _datetime_str,
    "date": _date_str,
    "time": _time_str,
    "uuid": _uuid,
    "email": _email,
    "idn-email": _email,
    "uri": _url,
    "url": _url,
    "iri": _url,
    "uri-reference": _url,
    "hostname": _hostname,
    "idn-hostname": _hostname,
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "byte": _byte,
    "password": _password,
    "duration": lambda rng: rng.choice(("PT{}M", "PT{}H", "P{}D")).format(
        rng.randint(1, 59)
    ),
}

_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@lru_cache(maxsize=1024)
def _compile_pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, TypeError):
        return None


class _Xeger(rstr.Rstr):
    """rstr with hash-seed independent negated classes, short unbounded repeats,
    and letters and digits wherever a pattern allows any character (`.`, `\\S`,
    `[^/]`): rstr drew from all of `string.printable`, so values read
    `arn:Y@Mqc!3:build/build-T:0`Vy}` and held vertical tabs."""

    def __init__(self, rng: Random) -> None:
        super().__init__(
            rng,
            printable=_READABLE,
            nonwhitespace=_READABLE,
            nondigits=string.ascii_letters,
            nonword="-.:",
        )
        self._cases["not_literal"] = lambda code: self._random.choice(
            _READABLE.replace(chr(code), "")
        )

    def _handle_in(self, value: Any) -> Any:
        candidates = list(self._flatten_in(value))
        if candidates and candidates[0] is False:
            excluded = set(candidates[1:])
            candidates = [c for c in _PRINTABLE if c not in excluded]
            candidates = [c for c in candidates if c.isalnum()] or candidates
        return self._random.choice(candidates)

    def _flatten_in(self, value: Any) -> Iterable[Any]:
        for item in value:
            yield from self._handle_state(item)

    def _handle_repeat(self, start_range: int, end_range: int, value: Any) -> str:
        if end_range > 100:  # '*', '+' and '{n,}' -> keep strings short
            end_range = max(start_range, min(start_range + 8, 100))
        return super()._handle_repeat(start_range, end_range, value)


_PRINTABLE = (
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~!$&()*+,;=:@ "
)
_READABLE = string.ascii_letters + string.digits


# ---------------------------------------------------------------------------
# Schema analysis
# ---------------------------------------------------------------------------

# Keywords that constrain a value (as opposed to annotations); used to decide
# whether a oneOf/anyOf sits next to constraints that every branch must meet.
_CONSTRAINTS = frozenset(
    (
        "type enum format pattern minLength maxLength minimum maximum multipleOf items "
        "minItems maxItems uniqueItems properties required additionalProperties "
        "minProperties maxProperties not __rest__"
    ).split()
)
_BOUND_KEYS = frozenset(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"))
_EMPTY: dict = {}
_NOTHING: dict = {"not": {}}


def _ordered_union(first: list, second: list) -> list:
    return list(first) + [item for item in second if item not in first]


def _merge_properties(first: dict, second: dict) -> dict:
    out = dict(first)
    for name, schema in second.items():
        current = out.get(name)
        out[name] = (
            schema
            if current is None or current is schema
            else {"allOf": [current, schema]}
        )
    return out


def _merge_additional(first: Any, second: Any) -> Any:
    if first is False or second is False:
        return False
    if isinstance(first, dict) and isinstance(second, dict):
        return first if first is second else {"allOf": [first, second]}
    return first if isinstance(first, dict) else second


def _merge_type(first: Any, second: Any) -> Any:
    if {first, second} == {"integer", "number"}:
        return "integer"
    return first


def _merge_enum(first: list, second: list) -> list:
    keys = {_freeze(v) for v in second}
    both = [v for v in first if _freeze(v) in keys]
    return both or first


def _merge_multiple(first: Any, second: Any) -> Any:
    if isinstance(first, int) and isinstance(second, int):
        return first * second // math.gcd(first, second)
    big, small = max(first, second), min(first, second)
    return big if (Fraction(big) / Fraction(small)).denominator == 1 else first


_COMBINERS: dict[str, Callable[[Any, Any], Any]] = {
    "type": _merge_type,
    "properties": _merge_properties,
    "required": _ordered_union,
    "additionalProperties": _merge_additional,
    "items": lambda a, b: a if a is b else {"allOf": [a, b]},
    "enum": _merge_enum,
    "multipleOf": _merge_multiple,
    "minLength": max,
    "minItems": max,
    "minProperties": max,
    "maxLength": min,
    "maxItems": min,
    "maxProperties": min,
    "uniqueItems": lambda a, b: a or b,
    "readOnly": lambda a, b: a or b,
    "writeOnly": lambda a, b: a or b,
}
_RESIDUAL = frozenset(("oneOf", "anyOf", "not", "pattern"))


def _merge_bounds(parts: list[dict], out: dict) -> None:
    """Tightest minimum/maximum (with OpenAPI 3.0 boolean exclusivity) of ``parts``."""
    for key in _BOUND_KEYS:
        out.pop(key, None)
    lows = [
        (p["minimum"], p.get("exclusiveMinimum") is True)
        for p in parts
        if "minimum" in p
    ]
    if lows:
        out["minimum"], out["exclusiveMinimum"] = max(lows)
    highs = [
        (p["maximum"], p.get("exclusiveMaximum") is not True)
        for p in parts
        if "maximum" in p
    ]
    if highs:
        value, inclusive = min(highs)
        out["maximum"], out["exclusiveMaximum"] = value, not inclusive


def _restrict_additional(
    parts: list[dict], out: dict, resolve: Callable[[Any], Any]
) -> None:
    """Each part's additionalProperties rules the properties it does not
    declare itself: a part with `false` admits only its own, and one with a
    schema has it hold for the others too (Adyen's `additionalData`: any
    string beside a branch's boolean `threeds2.cardEnrolled`), so an optional
    property that cannot meet both is left out."""
    if "properties" not in out:
        return
    props = dict(out["properties"])
    required = set(out.get("required", ()))
    for part in parts:
        extra = part.get("additionalProperties")
        if extra is None or extra is True:
            continue
        own = part.get("properties", _EMPTY)
        for name in [n for n in props if n not in own]:
            if extra is False or (
                name not in required and _clash(resolve(props[name]), resolve(extra))
            ):
                del props[name]
            elif isinstance(extra, dict) and extra:
                props[name] = {"allOf": [props[name], extra]}
    out["properties"] = props


def _clash(first: Any, second: Any) -> bool:
    """Whether two schemas' types leave no value both accept."""
    kinds = []
    for schema in (first, second):
        kind = schema.get("type") if isinstance(schema, dict) else None
        if kind is None:
            return False
        kinds.append({kind} if isinstance(kind, str) else set(kind))
    for both in kinds:
        if "integer" in both:
            both.add("number")
        if "number" in both:
            both.add("integer")
    return not kinds[0] & kinds[1]


class _View:
    """Properties of an object schema as seen in one direction."""

    __slots__ = ("props", "excluded", "required")

    def __init__(self, props: tuple, excluded: frozenset[str]) -> None:
        self.props = props  # ((name, schema, required), ...)
        self.excluded = excluded  # names that must not appear (readOnly/writeOnly)
        self.required = tuple(name for name, _, req in props if req)


class _Node:
    """Pre-digested form of one (allOf-merged) schema."""

    __slots__ = (
        # type and value set
        "types infer nullable enum enum_keys samples "
        # strings
        "min_len max_len regex pattern fmt fmt_check "
        # numbers (ilo/ihi/istep: integer bounds and step)
        "minimum maximum ex_min ex_max multiple ilo ihi istep "
        # arrays and objects
        "items min_items max_items unique props additional min_props max_props views tag "
        # oneOf/anyOf, discriminator, not, leftover allOf parts
        "choices exclusive base branch_nodes disc_prop disc_lookup disc_values not_ rest "
        # the component schema it is, if any (whose `name` is a person's?)
        "owner"
    ).split()


_OBJECT_KEYS = frozenset(
    "properties additionalProperties required minProperties maxProperties".split()
)
_ARRAY_KEYS = frozenset("items minItems maxItems uniqueItems".split())
_NUMBER_KEYS = frozenset("minimum maximum multipleOf".split())


def _infer_type(flat: dict) -> str:
    """Type implied by the keywords of a schema without ``type``."""
    if not _OBJECT_KEYS.isdisjoint(flat):
        return "object"
    if not _ARRAY_KEYS.isdisjoint(flat):
        return "array"
    fmt = flat.get("format")
    if fmt in _INT_FORMATS:
        return "integer"
    if fmt in ("float", "double") or not _NUMBER_KEYS.isdisjoint(flat):
        return "number"
    return "string"


def _int_bounds(node: _Node) -> None:
    low, high = node.minimum, node.maximum
    node.ilo = (
        None
        if low is None
        else (math.floor(low) + 1 if node.ex_min else math.ceil(low))
    )
    node.ihi = (
        None
        if high is None
        else (math.ceil(high) - 1 if node.ex_max else math.floor(high))
    )
    if node.fmt in _INT_FORMATS:
        fmt_low, fmt_high = _INT_FORMATS[node.fmt]
        node.ilo = fmt_low if node.ilo is None else max(node.ilo, fmt_low)
        node.ihi = fmt_high if node.ihi is None else min(node.ihi, fmt_high)
    step = node.multiple
    if step is None:
        node.istep = None
    elif isinstance(step, int):
        node.istep = abs(step) or None
    else:  # integer multiples of p/q are the multiples of p
        node.istep = abs(Fraction(step).limit_denominator(10**9).numerator) or None


def _is_multiple(value: float, step: Any) -> bool:
    """multipleOf exactly as jsonschema checks it."""
    if isinstance(step, float):
        quotient = value / step
        try:
            return int(quotient) == quotient
        except (OverflowError, ValueError):
            return (Fraction(value) / Fraction(step)).denominator == 1
    return not value % step


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------


def path_parameters(document: dict, resolve: Callable[[Any], Any]) -> Iterator[dict]:
    """Each path parameter object of the document (on path items, operations
    and in components), each read through `resolve` (`$ref`s followed)."""
    owners = [{"parameters": list(_parameter_components(document).values())}]
    for item in (document.get("paths") or {}).values():
        if isinstance(item, dict):
            owners += [item, *(op for op in item.values() if isinstance(op, dict))]
    for owner in owners:
        for parameter in owner.get("parameters") or ():
            parameter = resolve(parameter)
            if isinstance(parameter, dict) and parameter.get("in") == "path":
                yield parameter


def _parameter_components(document: dict) -> dict:
    return (document.get("components") or {}).get("parameters") or {}


class SchemaData:
    """Schema-valid values for an OpenAPI 3.0 document's schemas."""

    def __init__(self, document: dict, *, max_depth: int = 4) -> None:
        self._doc = document
        self._max_depth = max_depth
        self._refs: dict[str, dict] = {}
        self._nodes: dict[int, tuple[Any, _Node]] = {}
        self._ref_nodes: dict[str, _Node] = {}
        self._names: dict[int, str] | None = None
        self._any = self._make_node({}, _EMPTY)
        self._brief = threading.local()  # set while `generate(minimal=True)` runs
        self._codes: dict[str, list] | None = None
        self._service = arns.service_of(document)

    # -- public API ---------------------------------------------------------

    def resolve(self, schema: dict) -> dict:
        """Follow a ``$ref`` chain to the target schema."""
        hops = 0
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            target = self._refs.get(ref)
            if target is None:
                target = self._refs[ref] = self._lookup(ref)
            schema = target
            hops += 1
            if hops > 64:
                raise ValueError(f"circular $ref chain at {ref!r}")
        if isinstance(schema, dict):
            return schema
        return _NOTHING if schema is False else _EMPTY

    def generate(
        self,
        schema: dict,
        rng: Random,
        *,
        hint: str = "",
        direction: str = "response",
        minimal: bool = False,
    ) -> Any:
        """A fresh value valid against ``schema``; ``minimal``: only what the
        schema requires (required properties, the fewest array items), as a
        person filling in a form gives, rather than every optional field."""
        if not minimal:
            return self.conform(MISSING, schema, rng, hint=hint, direction=direction)
        self._brief.on = True
        try:
            return self.conform(MISSING, schema, rng, hint=hint, direction=direction)
        finally:
            self._brief.on = False

    def conform(
        self,
        value: Any,
        schema: dict,
        rng: Random,
        *,
        hint: str = "",
        direction: str = "response",
    ) -> Any:
        """``value`` made valid against ``schema``, keeping every part that already is."""
        if direction not in ("response", "request"):
            raise ValueError(
                f"direction must be 'response' or 'request', not {direction!r}"
            )
        return self._conform(value, schema, rng, hint, direction == "request", 0)

    # -- refs and analysis ----------------------------------------------------

    def _lookup(self, ref: str) -> dict:
        if not ref.startswith("#"):
            raise ValueError(f"only local $refs are supported, got {ref!r}")
        target: Any = self._doc
        for token in unquote(ref[1:]).split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            try:
                target = (
                    target[int(token)] if isinstance(target, list) else target[token]
                )
            except (KeyError, IndexError, ValueError, TypeError):
                raise ValueError(f"unresolvable $ref {ref!r}") from None
        return target

    def _node(self, schema: Any) -> _Node:
        """Analysis of ``schema``, cached by identity (``$ref`` objects by ref string)."""
        entry = self._nodes.get(id(schema))
        if entry is not None and entry[0] is schema:
            return entry[1]
        if isinstance(schema, dict) and "$ref" in schema:
            node = self._ref_nodes.get(schema["$ref"])
            if node is None:
                node = self._ref_nodes[schema["$ref"]] = self._node(
                    self.resolve(schema)
                )
            return node
        resolved = self.resolve(schema)
        if "allOf" in resolved:
            node = self._make_node(
                self._merge(self._flatten(resolved), resolved), resolved
            )
        else:
            node = self._make_node(resolved, resolved)
        node.owner = self._component_name(resolved)
        if len(self._nodes) >= _CACHE_LIMIT:  # callers passing throw-away schema dicts
            self._nodes.clear()
        self._nodes[id(schema)] = (schema, node)
        return node

    def _flatten(self, schema: Any) -> list[dict]:
        """The allOf tree under ``schema`` as a list of ref-free, allOf-free parts."""
        parts: list[dict] = []
        seen: list[int] = []

        def walk(item: Any) -> None:
            resolved = self.resolve(item)
            if id(resolved) in seen:
                return
            seen.append(id(resolved))
            if "allOf" not in resolved:
                parts.append(resolved)
                return
            own = {k: v for k, v in resolved.items() if k != "allOf"}
            if own:
                parts.append(own)
            for branch in resolved["allOf"]:
                walk(branch)

        walk(schema)
        return parts

    def _merge(self, parts: list[dict], owner: dict, *, keep_disc: bool = True) -> dict:
        """One schema requiring what all ``parts`` require (``owner`` names the result)."""
        out: dict = {}
        rest: list[dict] = []
        own_disc = owner.get("discriminator")
        for part in parts:
            for key, value in part.items():
                if key == "discriminator":
                    if value is not own_disc:
                        self._tag_from(value, owner, out)
                    continue
                if key not in out:
                    out[key] = value
                elif out[key] is not value and out[key] != value:
                    combine = _COMBINERS.get(key)
                    if combine is not None:
                        out[key] = combine(out[key], value)
                    elif key in _RESIDUAL:
                        rest.append({key: value})
        if keep_disc and own_disc is not None:
            out["discriminator"] = own_disc
        typed = [p for p in parts if "type" in p]
        if typed:
            out["nullable"] = all(p.get("nullable") is True for p in typed)
        _merge_bounds(parts, out)
        _restrict_additional(parts, out, self.resolve)
        if rest:
            out["__rest__"] = list(out.get("__rest__", ())) + rest
        return out

    def _component_name(self, schema: dict) -> str | None:
        if self._names is None:
            schemas = self._doc.get("components", {}).get("schemas", {})
            self._names = {id(s): name for name, s in schemas.items()}
        return self._names.get(id(schema))

    def _disc_target(self, target: Any) -> dict | None:
        """Schema a discriminator mapping value points at (None if unresolvable)."""
        if not isinstance(target, str):
            return None
        ref = target if target.startswith("#") else f"#/components/schemas/{target}"
        try:
            return self.resolve({"$ref": ref})
        except ValueError:
            return None

    def _disc_value(self, discriminator: dict, schema: dict) -> str | None:
        """The discriminator value that selects ``schema`` (mapping key or name)."""
        for key, target in discriminator.get("mapping", {}).items():
            if self._disc_target(target) is schema:
                return str(key)
        return self._component_name(schema)

    def _tag_from(self, discriminator: Any, owner: dict, out: dict) -> None:
        if not isinstance(discriminator, dict) or "__tag__" in out:
            return
        value = self._disc_value(discriminator, owner)
        prop = discriminator.get("propertyName")
        if value and isinstance(prop, str):
            out["__tag__"] = (prop, value)

    def _rw_flags(self, schema: Any, depth: int = 0) -> tuple[bool, bool]:
        resolved = self.resolve(schema)
        read_only = resolved.get("readOnly") is True
        write_only = resolved.get("writeOnly") is True
        if depth < 8:
            for branch in resolved.get("allOf", ()):
                ro, wo = self._rw_flags(branch, depth + 1)
                read_only, write_only = read_only or ro, write_only or wo
        return read_only, write_only

    def _make_node(self, flat: dict, owner: dict) -> _Node:
        node = _Node()
        node.owner = None
        kind = flat.get("type")
        node.nullable = flat.get("nullable") is True
        if isinstance(kind, list):  # tolerate 3.1-style type arrays
            node.nullable = node.nullable or "null" in kind
            kind = tuple(t for t in kind if t != "null") or None
        node.types = (kind,) if isinstance(kind, str) else kind
        node.infer = node.types[0] if node.types else _infer_type(flat)
        if node.infer not in _KNOWN_TYPES:
            node.infer = "string"
        self._scalar_fields(node, flat)
        self._container_fields(node, flat)
        node.rest = tuple(flat.get("__rest__", ())) + self._choice_fields(
            node, flat, owner
        )
        node.tag = flat.get("__tag__")
        node.not_ = flat.get("not")
        listed = flat.get("examples")  # 3.1: a list of sample values
        node.samples = tuple(flat[k] for k in ("example", "default") if k in flat) + (
            tuple(listed) if isinstance(listed, list) else ()
        )
        return node

    def _scalar_fields(self, node: _Node, flat: dict) -> None:
        enum = flat.get("enum")
        node.enum = None
        if isinstance(enum, list) and enum:
            usable = [v for v in enum if self._enum_member_ok(v, node)]
            node.enum = usable or list(enum)
            node.enum_keys = frozenset(_freeze(v) for v in node.enum)
        node.min_len = int(flat.get("minLength", 0) or 0)
        node.max_len = flat.get("maxLength")
        node.pattern = (
            flat.get("pattern") if isinstance(flat.get("pattern"), str) else None
        )
        node.regex = _compile_pattern(node.pattern) if node.pattern else None
        node.fmt = flat.get("format")
        node.fmt_check = _FORMAT_CHECKS.get(node.fmt)
        node.minimum, node.maximum = flat.get("minimum"), flat.get("maximum")
        node.ex_min = flat.get("exclusiveMinimum") is True
        node.ex_max = flat.get("exclusiveMaximum") is True
        multiple = flat.get("multipleOf")
        node.multiple = (
            multiple if isinstance(multiple, (int, float)) and multiple > 0 else None
        )
        _int_bounds(node)

    def _path_codes(self) -> dict[str, list]:
        """The values each path parameter with an `enum` allows, by name. A
        field of that name holds one of them (`route_type` beside
        `/route_type/{route_type}`, 0 to 4), so an answer's value is one the
        API takes back in its paths, not route type 689."""
        if self._codes is None:
            self._codes = {}
            for parameter in path_parameters(self._doc, self.resolve):
                enum = self.resolve(parameter.get("schema") or {}).get("enum")
                if isinstance(enum, list):
                    self._codes.setdefault(str(parameter.get("name")), enum)
        return self._codes

    def _holds(self, value: Any, node: _Node) -> bool:
        """Whether a scalar `value` is valid for a plain (enum-less) node."""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return False
        if not self._enum_member_ok(value, node):
            return False
        if isinstance(value, str):
            return self._string_ok(value, node)
        return self._number_ok(value, node)

    @staticmethod
    def _enum_member_ok(value: Any, node: _Node) -> bool:
        if value is None:
            return node.nullable or node.types is None
        return node.types is None or _fits(_json_type(value), node.types)

    def _container_fields(self, node: _Node, flat: dict) -> None:
        items = flat.get("items")
        node.items = items if isinstance(items, dict) else None
        node.min_items = int(flat.get("minItems", 0) or 0)
        node.max_items = flat.get("maxItems")
        node.unique = flat.get("uniqueItems") is True
        props = flat.get("properties")
        node.props = props if isinstance(props, dict) else _EMPTY
        additional = flat.get("additionalProperties", True)
        node.additional = (
            additional
            if additional is False or (isinstance(additional, dict) and additional)
            else True
        )
        node.min_props = int(flat.get("minProperties", 0) or 0)
        node.max_props = flat.get("maxProperties")
        node.views = self._views(node, flat)

    def _views(self, node: _Node, flat: dict) -> tuple[_View, _View]:
        """(response view, request view) of the object's properties."""
        required = [r for r in flat.get("required", ()) if isinstance(r, str)]
        extra_schema = node.additional if isinstance(node.additional, dict) else _EMPTY
        entries = [
            (name, schema, name in required) for name, schema in node.props.items()
        ]
        entries += [
            (name, extra_schema, True) for name in required if name not in node.props
        ]
        flags = {name: self._rw_flags(schema) for name, schema, _ in entries}
        response = tuple(e for e in entries if not flags[e[0]][1])
        request = tuple(e for e in entries if not flags[e[0]][0])
        return (
            _View(response, frozenset(n for n, f in flags.items() if f[1])),
            _View(request, frozenset(n for n, f in flags.items() if f[0])),
        )

    def _choice_fields(self, node: _Node, flat: dict, owner: dict) -> tuple[dict, ...]:
        """Set up oneOf/anyOf (or discriminator subtypes); returns leftover constraints."""
        disc = flat.get("discriminator")
        disc = (
            disc
            if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str)
            else None
        )
        node.exclusive = "oneOf" in flat
        choices = flat.get("oneOf") or flat.get("anyOf")
        leftover = (
            ({"anyOf": flat["anyOf"]},) if node.exclusive and "anyOf" in flat else ()
        )
        if not choices and disc and node.additional is not False:
            # polymorphic base: produce one of the mapped subtypes
            choices = [
                {"$ref": ref}
                for ref in self._mapping_refs(disc)
                if self._disc_target(ref) is not owner
            ]
        node.choices = list(choices) if isinstance(choices, list) and choices else None
        node.disc_prop = None
        if node.choices is None:
            return leftover
        base = {k: v for k, v in flat.items() if k in _CONSTRAINTS or k == "nullable"}
        node.base = base if any(k in _CONSTRAINTS for k in base) else None
        node.branch_nodes = [None] * len(node.choices)
        if disc is not None:
            self._discriminator_fields(node, disc)
        return leftover

    def _discriminator_fields(self, node: _Node, disc: dict) -> None:
        node.disc_prop = disc["propertyName"]
        resolved = [self.resolve(c) for c in node.choices]
        node.disc_values = [self._disc_value(disc, r) for r in resolved]
        node.disc_lookup = {}
        for key, target in disc.get("mapping", {}).items():
            target_schema = self._disc_target(target)
            for index, schema in enumerate(resolved):
                if schema is target_schema:
                    node.disc_lookup.setdefault(str(key), index)
        for index, schema in enumerate(resolved):
            name = self._component_name(schema)
            if name is not None:
                node.disc_lookup.setdefault(name, index)

    @staticmethod
    def _mapping_refs(disc: dict) -> list[str]:
        return [
            t if t.startswith("#") else f"#/components/schemas/{t}"
            for t in disc.get("mapping", {}).values()
            if isinstance(t, str)
        ]

    def _branch(self, node: _Node, index: int) -> _Node:
        """Node for choice ``index``, merged with the constraints beside oneOf/anyOf."""
        branch = node.branch_nodes[index]
        if branch is None:
            schema = node.choices[index]
            if node.base is None:
                branch = self._node(schema)
            else:
                resolved = self.resolve(schema)
                merged = self._merge(
                    [node.base] + self._flatten(resolved), resolved, keep_disc=False
                )
                branch = self._make_node(merged, resolved)
            node.branch_nodes[index] = branch
        return branch

    # -- conform ----------------------------------------------------------------

    def _conform(
        self, value: Any, schema: Any, rng: Random, hint: str, req: bool, depth: int
    ) -> Any:
        return self._conform_node(value, self._node(schema), rng, hint, req, depth)

    def _conform_node(
        self, value: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> Any:
        if depth > self._max_depth + _HARD_DEPTH:
            return self._minimal(node)
        if value is MISSING and node.samples and rng.random() < _SAMPLE_P:
            samples = [v for v in node.samples if not _placeholder(v, hint)]
            if samples:
                value = samples[0] if len(samples) == 1 else rng.choice(samples)
        if node.choices is not None:
            result = self._conform_choice(value, node, rng, hint, req, depth)
        else:
            result = self._conform_plain(value, node, rng, hint, req, depth)
        for extra in node.rest:
            result = self._conform(result, extra, rng, hint, req, depth)
        if node.not_ is not None:
            result = self._avoid(result, node, rng, hint, req, depth)
        return result

    def _minimal(self, node: _Node) -> Any:
        if node.nullable:
            return None
        if node.enum:
            return _copy(node.enum[0])
        return {
            "object": {},
            "array": [],
            "integer": 0,
            "number": 0,
            "boolean": False,
            "null": None,
        }.get(node.infer, "")

    def _avoid(
        self, result: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> Any:
        """Best effort for ``not``: drop forbidden keys, else regenerate (varying type)."""
        negated = self.resolve(node.not_)
        if isinstance(result, dict) and negated.get("required"):
            required = node.views[req].required
            trimmed = {
                k: v
                for k, v in result.items()
                if k in required or k not in negated["required"]
            }
            result = trimmed if len(trimmed) >= node.min_props else result
        kinds = node.types or _FALLBACK_KINDS
        for attempt in range(_NOT_TRIES):
            if not self._valid(result, negated, req):
                return result
            if node.choices is not None:
                result = self._conform_choice(MISSING, node, rng, hint, req, depth)
            elif node.enum is not None:
                result = self._conform_enum(MISSING, node, rng)
            else:
                kind = kinds[attempt % len(kinds)]
                result = self._HANDLERS[kind](
                    self, MISSING, node, rng, hint, req, depth
                )
        return result

    def _conform_plain(
        self, value: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> Any:
        if node.enum is not None:
            return self._conform_enum(value, node, rng)
        if value is MISSING and hint:
            codes = [
                c for c in self._path_codes().get(hint, ()) if self._holds(c, node)
            ]
            if codes:
                return _copy(rng.choice(codes))
        if value is None and (node.nullable or node.types is None):
            return None
        if value is MISSING and node.nullable and rng.random() < _NULL_P:
            return None
        kind = self._kind_for(value, node)
        return self._HANDLERS[kind](self, value, node, rng, hint, req, depth)

    @staticmethod
    def _kind_for(value: Any, node: _Node) -> str:
        """Handler to use: the value's own type if allowed, else the schema's."""
        if value is MISSING:
            return node.infer
        json_type = _json_type(value)
        if node.types is None:
            return json_type if json_type not in (None, "null") else node.infer
        if json_type in node.types:
            return json_type
        if json_type == "integer" and "number" in node.types:
            return "number"
        return node.infer

    @staticmethod
    def _conform_enum(value: Any, node: _Node, rng: Random) -> Any:
        if value is not MISSING and _freeze(value) in node.enum_keys:
            return _copy(value)
        return _copy(rng.choice(node.enum))

    # -- scalars ---

    def _string(
        self, value: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> str:
        text = None if value is MISSING else _as_string(value)
        if text is not None:
            if self._string_ok(text, node):
                return text
            if node.regex is None and node.fmt_check is None:
                return _fit_length(text, node.min_len, node.max_len, rng)
        return self._new_string(node, rng, hint)

    @staticmethod
    def _string_ok(text: str, node: _Node) -> bool:
        size = len(text)
        if size < node.min_len or (node.max_len is not None and size > node.max_len):
            return False
        if node.regex is not None and node.regex.search(text) is None:
            return False
        return node.fmt_check is None or node.fmt_check(text)

    def _new_string(self, node: _Node, rng: Random, hint: str) -> str:
        if node.fmt is None and arns.names_arn(hint, node.pattern):
            for text in arns.candidates(hint, node.pattern, self._service, rng):
                if self._string_ok(text, node):
                    return text
        make = _FORMAT_GENERATORS.get(node.fmt) or _string_kind(hint)
        text = _fit_length(make(rng), node.min_len, node.max_len, rng)
        if node.pattern is None or self._string_ok(text, node):
            return text
        matched = self._from_pattern(node, rng)
        return text if matched is None else matched

    def _from_pattern(self, node: _Node, rng: Random) -> str | None:
        """A string matching ``pattern``; retried a few times to meet the other limits,
        then, for one repeated atom (`^[0-9]+$` of length 12: an AWS account), at a
        length the limits allow."""
        xeger = _Xeger(rng)
        text = None
        for _ in range(5):
            try:
                text = xeger.xeger(node.pattern)
            except Exception:  # rstr cannot expand every regex construct
                return None
            if self._string_ok(text, node):
                return text
        atom = _REPEATED.fullmatch(node.pattern or "")
        if atom:
            high = node.max_len if node.max_len is not None else node.min_len + 8
            size = rng.randint(max(node.min_len, 1), max(high, node.min_len, 1))
            sized = xeger.xeger(f"^{atom.group(1)}{{{size}}}$")
            if self._string_ok(sized, node):
                return sized
        return text

    def _integer(
        self, value: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> int:
        number = _as_integer(value)
        if number is not None:
            if self._number_ok(number, node):
                return number
            return self._nearest_integer(number, node, rng, hint)
        return self._new_integer(node, rng, hint)

    def _number(
        self, value: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> float:
        number = _as_number(value)
        if number is not None and self._number_ok(number, node):
            return number
        return self._new_number(node, rng, hint)

    @staticmethod
    def _number_ok(number: float, node: _Node) -> bool:
        if node.minimum is not None and (
            number < node.minimum or node.ex_min and number == node.minimum
        ):
            return False
        if node.maximum is not None and (
            number > node.maximum or node.ex_max and number == node.maximum
        ):
            return False
        if node.multiple is not None and not _is_multiple(number, node.multiple):
            return False
        if node.fmt in _INT_FORMATS and isinstance(number, int):
            low, high = _INT_FORMATS[node.fmt]
            return low <= number <= high
        return True

    def _nearest_integer(self, number: int, node: _Node, rng: Random, hint: str) -> int:
        low, high, step = node.ilo, node.ihi, node.istep
        if low is not None and high is not None and low > high:
            return low
        candidate = number if low is None else max(number, low)
        candidate = candidate if high is None else min(candidate, high)
        if step:
            down = candidate - candidate % step
            candidate = down if low is None or down >= low else down + step
        return (
            candidate
            if self._number_ok(candidate, node)
            else self._new_integer(node, rng, hint)
        )

    def _new_integer(self, node: _Node, rng: Random, hint: str) -> int:
        low, high = _window(node.ilo, node.ihi, _number_range(hint))
        step = node.istep
        if not step:
            return rng.randint(low, high)
        first, last = -(-low // step), high // step
        if first > last and node.ilo is not None and node.ihi is not None:
            first, last = -(-node.ilo // step), node.ihi // step
        candidate = low
        for _ in range(8):
            candidate = rng.randint(first, max(first, last)) * step
            if self._number_ok(candidate, node):
                return candidate
        return candidate

    def _new_number(self, node: _Node, rng: Random, hint: str) -> float:
        low, high = _window(node.minimum, node.maximum, _number_range(hint))
        if node.multiple is not None:
            return self._new_multiple(node, low, high, rng)
        value = float(low)
        for attempt in range(8):
            value = rng.uniform(low, high)
            value = round(value, 2) if attempt < 4 else value
            if self._number_ok(value, node):
                return value
        return (low + high) / 2

    def _new_multiple(self, node: _Node, low: float, high: float, rng: Random) -> float:
        step = node.multiple
        first, last = math.ceil(low / step), math.floor(high / step)
        digits = _decimals(step)
        candidate: float = first * step
        for _ in range(16):
            k = rng.randint(first, max(first, last))
            for candidate in (round(k * step, digits), k * step):
                if self._number_ok(candidate, node):
                    return candidate
        return candidate

    def _boolean(self, value: Any, node: _Node, rng: Random, *_: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return rng.random() < 0.5

    def _null(self, *_: Any) -> None:
        return None

    # -- containers ---

    def _array(
        self, value: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> list:
        items = node.items if node.items is not None else _EMPTY
        item_hint = _singular(hint)
        if isinstance(value, (list, tuple)):
            source = value if node.max_items is None else value[: node.max_items]
            out = [
                self._conform(v, items, rng, item_hint, req, depth + 1) for v in source
            ]
            target = node.min_items
        else:
            out = []
            target = self._array_length(node, rng, depth)
        if node.unique:
            out = _dedupe(out)
        self._fill_array(out, target, items, node.unique, rng, item_hint, req, depth)
        return out

    def _array_length(self, node: _Node, rng: Random, depth: int) -> int:
        low = node.min_items
        if depth >= self._max_depth:
            return low
        if getattr(self._brief, "on", False):
            return max(low, 1 if node.max_items != 0 else 0)
        high = 3 if depth < 2 else 2
        if node.max_items is not None:
            high = min(high, node.max_items)
        return rng.randint(max(low, min(1, high)), max(low, high))

    def _fill_array(
        self,
        out: list,
        target: int,
        items: dict,
        unique: bool,
        rng: Random,
        hint: str,
        req: bool,
        depth: int,
    ) -> None:
        seen = {_freeze(v) for v in out} if unique else None
        tries = 0
        while len(out) < target and tries < 10 * target + 20:
            tries += 1
            item = self._conform(MISSING, items, rng, hint, req, depth + 1)
            if seen is not None:
                key = _freeze(item)
                if key in seen:
                    continue
                seen.add(key)
            out.append(item)

    def _object(
        self, value: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> dict:
        view = node.views[req]
        source = value if isinstance(value, dict) else None
        out: dict = {}
        if source:
            self._keep_properties(source, out, node, view, rng, req, depth)
        for name, schema, required in view.props:
            if name not in out and (
                required or source is None and self._want(depth, rng)
            ):
                hint = _property_hint(name, node)
                out[name] = self._conform(MISSING, schema, rng, hint, req, depth + 1)
        if source is None and not node.props and isinstance(node.additional, dict):
            self._add_entries(
                out, node, rng, req, depth, self._map_size(node, rng, depth)
            )
        if node.tag is not None:
            self._apply_tag(out, node, source, view)
        self._fit_properties(out, node, view, rng, req, depth)
        return out

    def _keep_properties(
        self,
        source: dict,
        out: dict,
        node: _Node,
        view: _View,
        rng: Random,
        req: bool,
        depth: int,
    ) -> None:
        for name, item in source.items():
            if name in view.excluded:
                continue
            schema = node.props.get(name)
            if schema is None:
                if node.additional is False:
                    continue
                schema = (
                    node.additional if isinstance(node.additional, dict) else _EMPTY
                )
            out[name] = self._conform(item, schema, rng, name, req, depth + 1)

    def _want(self, depth: int, rng: Random) -> bool:
        """Whether to generate an optional property of an object at ``depth``."""
        if getattr(self._brief, "on", False):
            return False
        if depth < self._max_depth - 1:
            return True
        return depth < self._max_depth and rng.random() < 0.5

    def _map_size(self, node: _Node, rng: Random, depth: int) -> int:
        size = rng.randint(1, 3) if depth < self._max_depth else 0
        return size if node.max_props is None else min(size, node.max_props)

    @staticmethod
    def _apply_tag(out: dict, node: _Node, source: dict | None, view: _View) -> None:
        prop, wanted = node.tag
        if prop in view.excluded or (
            node.additional is False and prop not in node.props
        ):
            return
        current = out.get(prop)
        if (
            source is None
            or prop not in source
            or not (isinstance(current, str) and current)
        ):
            out[prop] = wanted

    def _fit_properties(
        self, out: dict, node: _Node, view: _View, rng: Random, req: bool, depth: int
    ) -> None:
        if node.max_props is not None and len(out) > node.max_props:
            for name in reversed(list(out)):
                if len(out) <= node.max_props:
                    break
                if name not in view.required:
                    del out[name]
        if len(out) >= node.min_props:
            return
        for name, schema, _ in view.props:
            if len(out) >= node.min_props:
                return
            if name not in out:
                out[name] = self._conform(MISSING, schema, rng, name, req, depth + 1)
        if node.additional is not False:
            self._add_entries(out, node, rng, req, depth, node.min_props - len(out))

    def _add_entries(
        self, out: dict, node: _Node, rng: Random, req: bool, depth: int, count: int
    ) -> None:
        """Add ``count`` additionalProperties entries with word-like keys."""
        schema = node.additional if isinstance(node.additional, dict) else _EMPTY
        tries = 0
        while count > 0 and tries < count + 16:
            tries += 1
            key = rng.choice(_WORDS) if tries <= 8 else f"{rng.choice(_WORDS)}_{tries}"
            if key in out or key in node.props:
                continue
            out[key] = self._conform(MISSING, schema, rng, key, req, depth + 1)
            count -= 1

    # -- oneOf / anyOf ---

    def _conform_choice(
        self, value: Any, node: _Node, rng: Random, hint: str, req: bool, depth: int
    ) -> Any:
        if value is None and node.nullable:  # `nullable` beside the choice
            return None
        index = self._choose(value, node, rng, req)
        result = self._conform_branch(value, node, index, rng, hint, req, depth)
        if node.exclusive and len(node.choices) > 1:
            return self._make_exclusive(result, index, node, rng, hint, req, depth)
        return result

    def _conform_branch(
        self,
        value: Any,
        node: _Node,
        index: int,
        rng: Random,
        hint: str,
        req: bool,
        depth: int,
    ) -> Any:
        result = self._conform_node(
            value, self._branch(node, index), rng, hint, req, depth
        )
        if node.disc_prop is not None:
            result = self._set_discriminator(result, node, index)
        return result

    def _choose(self, value: Any, node: _Node, rng: Random, req: bool) -> int:
        if value is MISSING:
            return rng.randrange(len(node.choices))
        if node.disc_prop is not None and isinstance(value, dict):
            index = node.disc_lookup.get(value.get(node.disc_prop))
            if index is not None:
                return index
        count = len(node.choices)
        for index in range(count):
            if self._valid_node(value, self._branch(node, index), req):
                return index
        scores = [self._score(value, self._branch(node, i)) for i in range(count)]
        return scores.index(max(scores))

    @staticmethod
    def _score(value: Any, node: _Node) -> int:
        """How close ``value`` is to fitting ``node`` (for picking a branch to repair to)."""
        json_type = _json_type(value)
        score = 2 if _fits(json_type, node.types or (node.infer,)) else 0
        if json_type == "object" and node.props:
            for name in value:
                if name in node.props:
                    score += 1
                elif node.additional is False:
                    score -= 1
        return score

    def _set_discriminator(self, result: Any, node: _Node, index: int) -> Any:
        wanted = node.disc_values[index]
        if isinstance(result, dict) and wanted is not None:
            if node.disc_lookup.get(result.get(node.disc_prop)) != index:
                result[node.disc_prop] = wanted
        return result

    def _make_exclusive(
        self,
        result: Any,
        index: int,
        node: _Node,
        rng: Random,
        hint: str,
        req: bool,
        depth: int,
    ) -> Any:
        """Regenerate until the value matches exactly one oneOf branch (best effort).

        Also done with a discriminator: plain JSON Schema validators ignore it.
        """
        if self._matches_only(result, index, node, req):
            return result
        branch = self._branch(node, index)
        if (
            isinstance(result, dict) and branch.props
        ):  # first try dropping undeclared keys
            keep = (node.disc_prop,)
            trimmed = {
                k: v for k, v in result.items() if k in branch.props or k in keep
            }
            if self._valid_node(trimmed, branch, req) and self._matches_only(
                trimmed, index, node, req
            ):
                return trimmed
        for attempt in range(_ONE_OF_TRIES):
            chosen = (index + attempt) % len(node.choices)
            candidate = self._conform_branch(
                MISSING, node, chosen, rng, hint, req, depth
            )
            if self._matches_only(candidate, chosen, node, req):
                return candidate
        return result

    def _matches_only(self, value: Any, index: int, node: _Node, req: bool) -> bool:
        """Whether no choice other than ``index`` accepts ``value``."""
        return not any(
            self._valid_node(value, self._branch(node, j), req)
            for j in range(len(node.choices))
            if j != index
        )

    # -- validity (used for branch selection and ``not``) -------------------------

    def _valid(self, value: Any, schema: Any, req: bool) -> bool:
        return self._valid_node(value, self._node(schema), req)

    def _valid_node(self, value: Any, node: _Node, req: bool) -> bool:
        if node.choices is not None:
            if not self._valid_choice(value, node, req):
                return False
        elif not self._valid_plain(value, node, req):
            return False
        if not all(self._valid(value, extra, req) for extra in node.rest):
            return False
        return node.not_ is None or not self._valid(value, node.not_, req)

    def _valid_choice(self, value: Any, node: _Node, req: bool) -> bool:
        if node.disc_prop is not None:
            if not isinstance(value, dict):
                return False
            index = node.disc_lookup.get(value.get(node.disc_prop))
            return index is not None and self._valid_node(
                value, self._branch(node, index), req
            )
        hits = 0
        for index in range(len(node.choices)):
            if self._valid_node(value, self._branch(node, index), req):
                hits += 1
                if not node.exclusive or hits > 1:
                    break
        return hits == 1 or (hits > 0 and not node.exclusive)

    def _valid_plain(self, value: Any, node: _Node, req: bool) -> bool:
        if node.enum is not None and _freeze(value) not in node.enum_keys:
            return False
        json_type = _json_type(value)
        if json_type is None:
            return False
        if json_type == "null":
            return node.nullable or node.types is None
        if node.types is not None and not _fits(json_type, node.types):
            return False
        if json_type == "string":
            return self._string_ok(value, node)
        if json_type in ("integer", "number"):
            return self._number_ok(value, node)
        if json_type == "array":
            return self._valid_array(value, node, req)
        if json_type == "object":
            return self._valid_object(value, node, req)
        return True

    def _valid_array(self, value: list, node: _Node, req: bool) -> bool:
        if len(value) < node.min_items or (
            node.max_items is not None and len(value) > node.max_items
        ):
            return False
        if node.unique and len({_freeze(v) for v in value}) != len(value):
            return False
        items = self._node(node.items) if node.items is not None else self._any
        return all(self._valid_node(v, items, req) for v in value)

    def _valid_object(self, value: dict, node: _Node, req: bool) -> bool:
        view = node.views[req]
        if len(value) < node.min_props or (
            node.max_props is not None and len(value) > node.max_props
        ):
            return False
        if any(name not in value for name in view.required):
            return False
        for name, item in value.items():
            if name in view.excluded:
                return False
            schema = node.props.get(name)
            if schema is None:
                if node.additional is False:
                    return False
                if node.additional is True:
                    continue
                schema = node.additional
            if not self._valid(item, schema, req):
                return False
        return True

    _HANDLERS: dict[str, Callable[..., Any]] = {
        "string": _string,
        "integer": _integer,
        "number": _number,
        "boolean": _boolean,
        "array": _array,
        "object": _object,
        "null": _null,
    }


_KNOWN_TYPES = frozenset(SchemaData._HANDLERS)
_FALLBACK_KINDS = ("string", "integer", "object", "array", "boolean", "number")


# ---------------------------------------------------------------------------
# Small helpers used by the handlers
# ---------------------------------------------------------------------------


def _window(
    low: float | None, high: float | None, preferred: tuple[int, int]
) -> tuple[Any, Any]:
    """Range to draw from: the realistic ``preferred`` range clipped to wide bounds."""
    if (
        low is not None
        and high is not None
        and high - low <= preferred[1] - preferred[0]
    ):
        return low, max(low, high)
    start = preferred[0] if low is None else max(low, preferred[0])
    stop = preferred[1] if high is None else min(high, preferred[1])
    if start < stop:
        return start, stop
    width = preferred[1] - preferred[0]
    if low is not None and high is not None:
        return low, max(low, high)
    if low is not None:
        return low, low + width
    return high - width, high


def _decimals(number: float) -> int:
    """Digits after the decimal point in ``number``'s shortest repr."""
    exponent = Decimal(repr(number)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _fit_length(text: str, low: int, high: int | None, rng: Random) -> str:
    """Pad with words / truncate ``text`` to the length bounds."""
    if len(text) >= low and (high is None or len(text) <= high):
        return text
    if high is not None and len(text) > high:
        text = text[:high].rstrip() or text[:high]
    while len(text) < low:
        text = f"{text} {rng.choice(_WORDS)}" if text else rng.choice(_WORDS)
    if high is not None and len(text) > high:
        text = text[:high]
    if text.endswith(" "):
        text = text[:-1] + "a"
    return text


def _dedupe(values: list) -> list:
    seen: set = set()
    out = []
    for value in values:
        key = _freeze(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _as_string(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and math.isfinite(value):
        return str(value)
    return None


_INT_TEXT = re.compile(r"^\s*[-+]?\d+\s*$")
_NUMBER_TEXT = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _as_integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_TEXT.match(value):
        return int(value)
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str) and _NUMBER_TEXT.match(value):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _placeholder(sample: Any, hint: str) -> bool:
    """An example that only repeats its field's name (Velo's `accountName:
    "accountName"`, `href: "href"`): a template left unfilled, no value."""
    if not isinstance(sample, str) or not hint:
        return False
    bare = re.sub(r"[^a-z0-9]", "", sample.lower())
    return bool(bare) and bare == re.sub(r"[^a-z0-9]", "", hint.lower())
