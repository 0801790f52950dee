"""What a task asks the assistant to report: values only the calls reveal.

The expected outputs of a task are short scalars of the last answer that
has any (ids, names and statuses first), skipping values the user said
themself: reporting back what the user already told is no evidence that
the work was done.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..pointers import pointer
from .policies import scalars, text

OUTPUT_KEYS = ("id", "name", "status", "username", "title", "state", "quantity")
MAX_OUTPUTS = 2
MAX_OUTPUT_CHARS = 40


def choose_outputs(
    answers: list[Any], limit: int = MAX_OUTPUTS, said: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """(step, JSON pointer, value) of up to `limit` reportable fields of the
    last answer that has any, none of them a value in `said`."""
    said = set(said)
    for number in range(len(answers) - 1, -1, -1):
        prefix, item = _item(answers[number], said | set(scalars(answers[:number])))
        if not isinstance(item, dict):
            continue
        chosen = [
            {"step": number, "pointer": prefix + where, "value": value}
            for where, value in _fields(item)
            if _reportable(value) and text(value) not in said and not _paging(where)
        ][:limit]
        if chosen:
            return chosen
    return []


def _fields(item: dict, depth: int = 0) -> list[tuple[str, Any]]:
    """(pointer, value) of an item's fields, the telling keys first; then,
    one level down, those of its objects (`{"temp": {"value": 3}}`)."""
    keys = [k for k in OUTPUT_KEYS if k in item] + sorted(
        k for k in item if k not in OUTPUT_KEYS
    )
    found = [(pointer(k), item[k]) for k in keys]
    if depth == 0:
        for k in keys:
            if isinstance(item[k], dict):
                found += [(pointer(k) + w, v) for w, v in _fields(item[k], 1)]
    return found


_ENVELOPE_EXTRAS = 3  # an envelope's fields beside its list: a link, a count, a page


def _item(body: Any, known: set[str]) -> tuple[str, Any]:
    """(pointer, value) of the answer itself, or for a list the item the task
    is about: the one holding most values the task already knows (else the
    first). A list in an envelope (ARM's `{value: [...], nextLink}`) is a list;
    an item with one list among its many fields (a user's `roles`) is an item."""
    prefix = ""
    if isinstance(body, dict):
        lists = [
            k
            for k, v in body.items()
            if isinstance(v, (list, dict)) and not _bookkeeping(k)
        ]
        inner = body.get(lists[0]) if len(lists) == 1 else None
        if (
            isinstance(inner, list)
            and inner
            and all(isinstance(i, dict) for i in inner)
            and len(body) - 1 <= _ENVELOPE_EXTRAS
        ):
            prefix, body = pointer(lists[0]), inner
    if not isinstance(body, list) or not body:
        return prefix, body
    item = max(body, key=lambda item: len(known.intersection(scalars(item))))
    return f"{prefix}/{body.index(item)}", item


# a page's link or cursor: how to read on, not what the user asked about
_PAGING = re.compile(
    r"(next|prev|previous)(link|page|pagetoken|cursor|url|href)?"
    r"|cursor|pagetoken|continuationtoken|odatanextlink|nextpagetoken"
)


# what an answer says about itself beside its items: a page's numbers, links
_BOOKKEEPING = frozenset(
    "page paging pagination pageinfo meta links totalelements totalpages "
    "numberofelements pagesize pagenumber totalcount total count".split()
)


def _bookkeeping(key: str) -> bool:
    return re.sub(r"[^a-z]", "", key.lower()) in _BOOKKEEPING


def _paging(where: str) -> bool:
    """A page's link or cursor, or a field of the answer's paging (Spring's
    `page: {numberOfElements, page}`): how the list is cut, not what the
    user asked about."""
    *outer, last = where.split("/")
    return bool(_PAGING.fullmatch(re.sub(r"[^a-z]", "", last.lower()))) or any(
        _bookkeeping(part) for part in outer if part
    )


def _reportable(value: Any) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return False
    return len(str(value)) <= MAX_OUTPUT_CHARS and str(value) != ""
