"""Bounds that come in pairs are sent in order.

Values are drawn one field at a time, so a search could ask for posts with
`date_min` 2024-12-17 and `date_max` 2024-03-01: an empty range no user
would ask for, read back in the task's words. Sibling fields whose names
differ only in a bound word (min/max, from/to, start/end, after/before,
since/until, gte/lte ...) and whose values are both numbers or both dates
are swapped when the lower bound is above the upper one.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Iterable

from ..tasks.wording import words as name_words

_BOUNDS = {
    "min": "max",
    "minimum": "maximum",
    "from": "to",
    "start": "end",
    "begin": "end",
    "after": "before",
    "since": "until",
    "gte": "lte",
    "gt": "lt",
    "lower": "upper",
    "earliest": "latest",
    "oldest": "newest",
}
_UPPER = {high: low for low, high in _BOUNDS.items()}


def order_bounds(values: dict[str, Any], fixed: Iterable[str] = ()) -> None:
    """Swap, in place, the values of each lower/upper pair of `values`'
    keys that are out of order; keys in `fixed` (values the user or an
    earlier result gave) are never moved."""
    fixed = set(fixed)
    for low, high in _pairs(values):
        if low in fixed or high in fixed:
            continue
        a, b = _comparable(values[low]), _comparable(values[high])
        if a is not None and b is not None and type(a) is type(b) and a > b:
            values[low], values[high] = values[high], values[low]


def _pairs(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(lower, upper) key pairs: the same words but for one bound word."""
    lows: dict[tuple, str] = {}
    highs: dict[tuple, str] = {}
    for key in values:
        words = name_words(key)
        for i, word in enumerate(words):
            if word in _BOUNDS:
                lows.setdefault((*words[:i], _BOUNDS[word], *words[i + 1 :]), key)
            elif word in _UPPER:
                highs.setdefault(tuple(words), key)
    return sorted((low, highs[shape]) for shape, low in lows.items() if shape in highs)


def _comparable(value: Any) -> float | datetime | date | None:
    """A number, or a date or date-time read from ISO text; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str) or not value[:4].isdigit():
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value) <= 10:
        return moment.date()
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
