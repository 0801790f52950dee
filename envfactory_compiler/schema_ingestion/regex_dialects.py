"""Patterns in other regex dialects, rewritten for Python's `re`.

JSON Schema's `pattern` is ECMA-262, and real specs use what their authors'
languages accept: Unicode property classes (`\\p{L}`, `[\\p{L}\\p{N}_]*` in
most AWS specs), a case-insensitive flag in mid-pattern (`^v(?i)[a-z]+$`).
The sandbox validates requests with Python's `re`, which has neither, so
such a pattern would refuse every value or crash the validator. Rewritten:

- `\\p{..}` / `\\P{..}` (a general category or its one-letter group, by
  short or long name): the category's code point ranges (Basic Multilingual
  Plane), inside a class or as a class of its own;
- a global flag group after the start, `X(?i)Y`: the scoped `X(?i:Y)`, which
  means what the author meant (the flag applies from there on).

`translate` answers None for what it cannot rewrite; the caller drops it.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from functools import lru_cache

import rstr

_LONG_NAMES = {
    "letter": "L",
    "uppercase_letter": "Lu",
    "lowercase_letter": "Ll",
    "titlecase_letter": "Lt",
    "modifier_letter": "Lm",
    "other_letter": "Lo",
    "mark": "M",
    "number": "N",
    "decimal_digit_number": "Nd",
    "digit": "Nd",
    "letter_number": "Nl",
    "other_number": "No",
    "punctuation": "P",
    "symbol": "S",
    "separator": "Z",
    "space_separator": "Zs",
    "other": "C",
    "control": "Cc",
    "l&": "L",
    "all": "",
}
_PROPERTY = re.compile(r"\\([pP])\{\^?([A-Za-z_&]+)\}")
_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


def translate(pattern: str) -> str | None:
    """`pattern` in Python's dialect (itself if it already compiles), or None."""
    if _compiles(pattern):
        return pattern
    rewritten = _scoped_flags(_properties(pattern))
    return rewritten if rewritten is not None and _compiles(rewritten) else None


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        return False
    return True


def _properties(pattern: str) -> str:
    """Each `\\p{X}` as X's ranges: bare inside a class, bracketed outside."""
    out, inside, index = [], False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            found = _PROPERTY.match(pattern, index)
            if found:
                ranges = _ranges(_category(found.group(2)), found.group(1) == "P")
                out.append(ranges if inside else f"[{ranges}]")
                index = found.end()
                continue
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not inside:
            inside = True
        elif char == "]" and inside and pattern[index - 1] not in "[^":
            inside = False
        out.append(char)
        index += 1
    return "".join(out)


def _scoped_flags(pattern: str) -> str | None:
    """`X(?i)Y` as `X(?i:Y)`; a flag group at the very start is already fine."""
    found = next((m for m in _FLAGS.finditer(pattern) if m.start() > 0), None)
    if found is None:
        return pattern
    head, tail = pattern[: found.start()], pattern[found.end() :]
    end = "$" if tail.endswith("$") and not tail.endswith("\\$") else ""
    body = tail[: len(tail) - len(end)]
    return f"{head}(?{found.group(1)}:{body}){end}"


def _category(name: str) -> str:
    key = name.lower()
    if key in _LONG_NAMES:
        return _LONG_NAMES[key]
    return name[:1].upper() + name[1:2].lower()


@lru_cache(maxsize=None)
def _ranges(category: str, negated: bool) -> str:
    """The BMP code points of a general category (`L`, `Nd`; "" is any) as class ranges."""
    limit = min(sys.maxunicode, 0xFFFF)
    inside = [
        cp
        for cp in range(limit + 1)
        if (unicodedata.category(chr(cp)).startswith(category)) != negated
        and not 0xD800 <= cp <= 0xDFFF
    ]
    spans, start, last = [], None, None
    for cp in inside:
        if start is None:
            start = last = cp
        elif cp == last + 1:
            last = cp
        else:
            spans.append((start, last))
            start = last = cp
    if start is not None:
        spans.append((start, last))
    return "".join(
        _escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in spans
    )


def _escape(cp: int) -> str:
    return f"\\u{cp:04x}"


def case_folded(pattern: str) -> str:
    """`pattern` matching both cases of each ASCII letter without a flag
    (`magnet` -> `[mM][aA]...`, `[a-z]` -> `[a-zA-Z]`): JavaScript's `/.../i`
    in a form ECMA-262 patterns, Python and Schemathesis all read."""
    out, index, in_class = [], 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
                out.append(char)
            elif (
                char.isascii()
                and char.isalpha()
                and pattern[index + 1 : index + 2] == "-"
                and pattern[index + 2 : index + 3].isalpha()
            ):
                low, high = char, pattern[index + 2]
                out.append(f"{low}-{high}{low.swapcase()}-{high.swapcase()}")
                index += 3
                continue
            else:
                out.append(
                    char + char.swapcase()
                    if char.isascii() and char.isalpha()
                    else char
                )
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "{":  # a quantifier's digits, as they are
            end = pattern.find("}", index)
            end = len(pattern) - 1 if end < 0 else end
            out.append(pattern[index : end + 1])
            index = end + 1
            continue
        elif char.isascii() and char.isalpha():
            out.append(f"[{char}{char.swapcase()}]")
        else:
            out.append(char)
        index += 1
    return "".join(out)


class _Short(rstr.Rstr):
    """rstr with open repeats (`*`, `+`, `{2,}`) kept to a few more than their least."""

    def _handle_repeat(self, start_range: int, end_range: int, value: str) -> str:
        return super()._handle_repeat(
            start_range, min(end_range, start_range + 3), value
        )


@lru_cache(maxsize=1024)
def draws(pattern: str, *, short: bool = False) -> tuple[str, ...] | None:
    """A few seeded strings of `pattern` (`short`: open repeats kept short, for
    a schema's `maxLength`), or None when rstr cannot draw from it. Cached:
    AWS specs repeat one ARN pattern on dozens of parameters."""
    try:
        drawer = (_Short if short else rstr.Rstr)(random.Random(0))
        return tuple(drawer.xeger(pattern) for _ in range(50))
    except Exception:  # noqa: BLE001 - a pattern rstr cannot draw from: no verdict
        return None


def within_lengths(value: str, schema: dict) -> bool:
    """Whether `value` meets the schema's `minLength` and `maxLength`."""
    low, high = schema.get("minLength"), schema.get("maxLength")
    return (not isinstance(low, int) or len(value) >= low) and (
        not isinstance(high, int) or len(value) <= high
    )
