"""How a user names an item that an earlier answer listed among others.

When a call uses an id that came out of a list of several items, "delete
it" does not say which one: the user names the item by a field that tells
it apart from the others in that list ("the submission named 'Emma
Hughes'"), so the assistant can find it in the answer instead of guessing.
"""

from __future__ import annotations

from typing import Any

NAMING_KEYS = (
    "name",
    "title",
    "username",
    "email",
    "slug",
    "label",
    "display_name",
    "full_name",
    "login",
    "handle",
    "subject",
    "summary",
)
MAX_CHARS = 40


def naming(value: Any, answers: list[Any]) -> tuple[str, Any] | None:
    """(field, value) that names the item holding `value` in the latest
    answer listing it among other items; None when no list is involved, or
    nothing tells it apart."""
    for body in reversed(answers):
        items = _items(body)
        holders = [i for i in items if isinstance(i, dict) and _holds(i, value)]
        if not holders:
            if _holds_anywhere(body, value):
                return None  # the latest answer holding it is no list: "it" is clear
            continue
        if len(items) < 2:
            return None
        item = holders[0]
        keys = [k for k in NAMING_KEYS if k in item] + sorted(
            k for k in item if k not in NAMING_KEYS
        )
        for key in keys:
            found = item[key]
            if (
                _says(found)
                and found != value
                and sum(
                    1
                    for other in items
                    if isinstance(other, dict) and other.get(key) == found
                )
                == 1
            ):
                return key, found
        return None
    return None


def _items(body: Any) -> list:
    """A list answer's items, or those of the one list property of an envelope."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        lists = [v for v in body.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    return []


def _holds(item: dict, value: Any) -> bool:
    return any(v == value and type(v) is type(value) for v in item.values())


def _holds_anywhere(body: Any, value: Any) -> bool:
    if isinstance(body, dict):
        return any(_holds_anywhere(v, value) for v in body.values())
    if isinstance(body, list):
        return any(_holds_anywhere(v, value) for v in body)
    return body == value and type(body) is type(value)


def _says(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_CHARS and "\n" not in value
