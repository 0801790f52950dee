"""Quality of generated training records, as a researcher deciding whether to train.

Each record (OpenAI chat, ShareGPT, or a hand-built `Conversation`) is measured on
its own; `QualityReport` adds the figures up over a file:

- grounded argument values: scalar argument leaves that the system/user said, or
  an earlier call returned, before the call was made, or that the tool's schema
  fixes (a one-member enum); the rest were invented by the generator and are
  listed with their JSON pointers;
- user-message artifacts: operationIds, `METHOD /path`, JSON objects and case
  slips like "pOST" leaking from templates into what the user says;
- distinct user-message shapes: user text with argument values and numbers
  masked; few shapes per record means one template said over and over;
- connected steps: later calls that reuse a value or id of an earlier call, not
  unrelated calls strung together;
- repeated identical reads: the same read with the same answer again, with only
  reads between (wasted turns a model would learn to make);
- optional body fields filled: how much of each request body goes beyond the
  required fields;
- server-owned fields in write bodies: readOnly fields, timestamps and invented
  ids, which a client should not send;
- off-type arguments and missing required fields: values whose JSON type is
  not the one the tool's schema declares (one tag key sent for `tagKeys`, an
  array), and required fields left out (`HealthCheckConfig` sent as `{}`
  without its `Type`), which a model would learn to send and a real server
  refuse.

Stdlib only and free of project imports, so it also loads standalone by path.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

KINDS = ("case", "json_object", "method_path", "operation_id")
READ_VERBS = frozenset(
    "get list find search read show fetch describe query lookup retrieve".split()
)
ID_KEYS = frozenset({"id", "uuid", "slug", "username", "key", "name"})
EXAMPLES = 20
SHOWN = 5

_METHOD_PATH = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/", re.I)
_CASE_SLIP = re.compile(r"\b[a-z](?:OST|ET|UT|ATCH|ELETE|EAD|PTIONS)\b")
_JSON_START = re.compile(r'\{\s*"')
_TIMESTAMP = re.compile(
    r"^(created|updated|modified|deleted|last_?modified)(_?at|_?on|_?time|_?date)?$",
    re.I,
)
_NUMERIC = re.compile(r"^-?\d+(?:\.\d+)?$")
_DIGITS = re.compile(r"\d+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[\s_\-.]+")
_WORD = re.compile(r"\w")

Leaf = tuple[str, "str | None", Any]  # (JSON pointer, nearest key, scalar value)


# --- normalised conversations ----------------------------------------------------


@dataclass
class Call:
    """One tool call: where it sits, what was sent and what came back."""

    position: int
    name: str
    arguments: Any
    result: Any = None


@dataclass
class Conversation:
    """A record reduced to what the figures need, whatever format it came in."""

    said: list[tuple[int, str]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    user_messages: list[str] = field(default_factory=list)
    assistant_texts: list[str] = field(default_factory=list)
    tools: list[dict] = field(default_factory=list)
    reads: set[str] | None = None

    @classmethod
    def of_record(cls, record: dict, reads: set[str] | None = None) -> Conversation:
        """An OpenAI chat (`messages`) or ShareGPT (`conversations`) record."""
        if isinstance(record, dict) and isinstance(record.get("messages"), list):
            return _of_openai(record, reads)
        if isinstance(record, dict) and isinstance(record.get("conversations"), list):
            return _of_sharegpt(record, reads)
        keys = sorted(record) if isinstance(record, dict) else type(record).__name__
        raise ValueError(
            "unknown record shape: expected a dict with 'messages' (OpenAI chat)"
            f" or 'conversations' (ShareGPT), got {keys}"
        )


def _of_openai(record: dict, reads: set[str] | None) -> Conversation:
    conversation = Conversation(tools=_functions(record.get("tools")), reads=reads)
    waiting: list[tuple[str | None, Call]] = []
    for position, message in enumerate(record["messages"]):
        role, text = message.get("role"), _text(message.get("content"))
        if role in ("system", "developer", "user"):
            conversation.said.append((position, text))
            if role == "user":
                conversation.user_messages.append(text)
        elif role == "assistant":
            for tool_call in message.get("tool_calls") or []:
                function = tool_call.get("function") or {}
                call = Call(
                    position,
                    str(function.get("name", "")),
                    _parse(function.get("arguments")),
                )
                conversation.calls.append(call)
                waiting.append((tool_call.get("id"), call))
            if text:
                conversation.assistant_texts.append(text)
        elif role == "tool":
            _answer(
                waiting, message.get("tool_call_id"), _parse(message.get("content"))
            )
    return conversation


def _of_sharegpt(record: dict, reads: set[str] | None) -> Conversation:
    tools = _parse(record.get("tools"))
    conversation = Conversation(tools=_functions(tools), reads=reads)
    if record.get("system"):
        conversation.said.append((0, _text(record["system"])))
    waiting: list[tuple[str | None, Call]] = []
    for position, turn in enumerate(record["conversations"], 1):
        who, value = turn.get("from"), turn.get("value")
        if who in ("human", "user", "system"):
            conversation.said.append((position, _text(value)))
            if who != "system":
                conversation.user_messages.append(_text(value))
        elif who == "function_call":
            data = _parse(value)
            data = data if isinstance(data, dict) else {}
            call = Call(
                position, str(data.get("name", "")), _parse(data.get("arguments"))
            )
            conversation.calls.append(call)
            waiting.append((None, call))
        elif who in ("observation", "tool"):
            _answer(waiting, None, _parse(value))
        elif who in ("gpt", "assistant") and _text(value):
            conversation.assistant_texts.append(_text(value))
    return conversation


def _answer(waiting: list[tuple[str | None, Call]], call_id: Any, result: Any) -> None:
    """Give a result to the call it names, else to the oldest unanswered call."""
    for index, (waiting_id, call) in enumerate(waiting):
        if call_id is None or waiting_id == call_id:
            call.result = result
            del waiting[index]
            return
    if waiting:  # an id that matches nothing: pair in order
        waiting.pop(0)[1].result = result


_UNSET = object()


def _fixed_arguments(tool: dict | None) -> dict[str, Any]:
    """Top-level arguments whose schema allows one value, by JSON pointer."""
    properties = ((tool or {}).get("parameters") or {}).get("properties") or {}
    fixed = {}
    for key, schema in properties.items():
        if not isinstance(schema, dict):
            continue
        where = "/" + str(key).replace("~", "~0").replace("/", "~1")
        if "const" in schema:
            fixed[where] = schema["const"]
        elif isinstance(schema.get("enum"), list) and len(schema["enum"]) == 1:
            fixed[where] = schema["enum"][0]
    return fixed


def _functions(tools: Any) -> list[dict]:
    """Function dicts, whether wrapped as OpenAI `{"type": "function", ...}` or not."""
    if not isinstance(tools, list):
        return []
    found = [t.get("function", t) if isinstance(t, dict) else None for t in tools]
    return [t for t in found if isinstance(t, dict)]


def _text(content: Any) -> str:
    """Message text, including OpenAI content-part lists."""
    if content is None:
        return ""
    if isinstance(content, list):
        parts = [p.get("text", "") if isinstance(p, dict) else str(p) for p in content]
        return "\n".join(part for part in parts if part)
    return content if isinstance(content, str) else json.dumps(content)


def _parse(value: Any) -> Any:
    """JSON text decoded; anything that does not parse is kept as it is."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


# --- values ------------------------------------------------------------------------


def _leaves(value: Any, path: str = "", key: str | None = None) -> Iterator[Leaf]:
    """Every scalar with its JSON pointer and the key it sits under."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _leaves(item, f"{path}/{_escaped(name)}", str(name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}/{index}", key)
    else:
        yield path, key, value


def _payload(result: Any) -> Any:
    """The body of a `{"status", "body"}` envelope: the status code is no source."""
    if isinstance(result, dict) and {"status", "body"} <= set(result) <= {
        "status",
        "body",
        "headers",
    }:
        return result["body"]
    return result


def _usable(value: Any) -> bool:
    """Values that can carry information from one call to another."""
    return value is not None and value != "" and not isinstance(value, bool)


def _number_texts(value: int | float) -> set[str]:
    texts = {str(value)}
    if isinstance(value, float) and value.is_integer():
        texts.add(str(int(value)))
    return texts


def _canon(value: Any) -> tuple[str, str] | tuple[str, bool]:
    """A comparison key that makes `5`, `5.0` and `"5"` the same value."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, str) and _NUMERIC.match(value):
        value = float(value) if "." in value else int(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            return ("num", str(int(value)))
        return ("num", str(value))
    return ("str", str(value))


def humanise(name: str) -> str:
    """`isActive` -> "is active", `photo_urls` -> "photo urls"."""
    spaced = _CAMEL.sub(" ", name)
    return " ".join(word for word in _SEPARATORS.split(spaced) if word).lower()


def is_read(name: str, reads: set[str] | None = None) -> bool:
    """Whether a tool only reads: listed in `reads`, else named with a read verb."""
    if reads is not None:
        return name in reads
    words = humanise(name).split()
    return bool(words) and words[0] in READ_VERBS


# --- grounding ---------------------------------------------------------------------


class _Sources:
    """What had been said and returned before one position."""

    def __init__(self, conversation: Conversation, position: int) -> None:
        self.text = "\n".join(t for p, t in conversation.said if p < position)
        self.lower = self.text.lower()
        earlier = [c for c in conversation.calls if c.position < position]
        leaves = [leaf for c in earlier for leaf in _leaves(_payload(c.result))]
        self.values = {_canon(v) for _, _, v in leaves if v is not None}
        self.flags = {(k, v) for _, k, v in leaves if isinstance(v, bool)}

    def said_number(self, texts: Iterable[str]) -> bool:
        """A whole number token: `8` is not said by `28` nor by `3.8`."""
        return any(
            re.search(rf"(?<!\d)(?<!\d\.){re.escape(t)}(?!\d)(?!\.\d)", self.text)
            for t in texts
        )

    def grounds(self, key: str | None, value: Any) -> bool:
        if isinstance(value, bool):
            said = key is not None and humanise(key) in self.lower
            return said or (key, value) in self.flags
        if isinstance(value, (int, float)):
            said = self.said_number(_number_texts(value))
        elif _NUMERIC.match(str(value)):  # a numeric string: whole tokens too
            said = self.said_number([str(value)])
        else:
            said = str(value) in self.text
        return said or _canon(value) in self.values


def _grounding(
    conversation: Conversation,
    sources: dict[int, _Sources],
    tools: dict[str, dict] | None = None,
) -> tuple[int, int, list[dict]]:
    """(values, grounded, ungrounded examples) over every call's arguments;
    a value the tool's own schema fixes (a one-member enum, a `const`) is
    grounded by the tool definition."""
    values, grounded, ungrounded = 0, 0, []
    for call in conversation.calls:
        fixed = _fixed_arguments((tools or {}).get(call.name))
        for path, key, value in _leaves(call.arguments):
            if value is None or value == "":
                continue
            values += 1
            if fixed.get(path, _UNSET) == value or sources[call.position].grounds(
                key, value
            ):
                grounded += 1
            else:
                ungrounded.append({"call": call.name, "path": path, "value": value})
    return values, grounded, ungrounded


# --- artifacts and shapes ----------------------------------------------------------


def _operation_names(tools: list[dict]) -> list[str]:
    """Tool names that could not pass for an ordinary lower-case word."""
    names = {str(t.get("name", "")) for t in tools}
    return sorted(
        n for n in names if re.search(r"[0-9_\-]", n) or n[1:] != n[1:].lower()
    )


def _json_object(text: str) -> str | None:
    """The first JSON object in the text, cheaply: a `{"` or a decodable dict."""
    start = _JSON_START.search(text)
    if start:
        return text[start.start() : start.start() + 40]
    decoder = json.JSONDecoder()
    for brace in re.finditer(r"\{", text):
        try:
            value, end = decoder.raw_decode(text, brace.start())
        except ValueError:
            continue
        if isinstance(value, dict):
            return text[brace.start() : end]
    return None


def _artifacts_in(text: str, names: list[str]) -> list[tuple[str, str]]:
    """(kind, matched text) for each kind of artifact found in one message."""
    found: list[tuple[str, str]] = []
    case = _CASE_SLIP.search(text)
    if case:
        found.append(("case", case.group(0)))
    obj = _json_object(text)
    if obj is not None:
        found.append(("json_object", obj))
    method = _METHOD_PATH.search(text)
    if method:
        found.append(("method_path", text[method.start() : method.end() + 30]))
    for name in names:
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text):
            found.append(("operation_id", name))
            break
    return found


def _artifacts(conversation: Conversation) -> list[dict]:
    names = _operation_names(conversation.tools)
    found = [
        {"kind": kind, "message": f"user[{index}]", "match": match}
        for index, message in enumerate(conversation.user_messages)
        for kind, match in _artifacts_in(message, names)
    ]
    if conversation.assistant_texts:  # the closing text is templated too
        case = _CASE_SLIP.search(conversation.assistant_texts[-1])
        if case:
            found.append({"kind": "case", "message": "final", "match": case.group(0)})
    return found


def _shape(conversation: Conversation) -> str:
    """User text with argument values as `<v>` and other numbers as `<n>`."""
    values: set[str] = set()
    for call in conversation.calls:
        for _, _, value in _leaves(call.arguments):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values |= _number_texts(value)
            elif isinstance(value, str) and value:
                values.add(value)
    text = "\n".join(conversation.user_messages)
    if values:
        ordered = sorted(values, key=lambda v: (-len(v), v))
        text = re.sub("|".join(_whole(v) for v in ordered), "<v>", text)
    return " ".join(_DIGITS.sub("<n>", text).lower().split())


def _whole(value: str) -> str:
    """A pattern for the value that does not match inside a longer word."""
    before = r"(?<!\w)" if _WORD.match(value[0]) else ""
    after = r"(?!\w)" if _WORD.match(value[-1]) else ""
    return before + re.escape(value) + after


# --- steps -------------------------------------------------------------------------


def _id_values(value: Any) -> set:
    return {
        _canon(v)
        for _, key, v in _leaves(value)
        if key is not None and _id_like(key) and _usable(v)
    }


def _id_like(key: str) -> bool:
    lowered = key.lower()
    return lowered in ID_KEYS or lowered.endswith("id")


def _connected(calls: list[Call]) -> int:
    """Calls after the first that reuse a returned value or share an id."""
    connected = 0
    for index in range(1, len(calls)):
        call, earlier = calls[index], calls[:index]
        returned = {
            _canon(v)
            for c in earlier
            for _, _, v in _leaves(_payload(c.result))
            if v is not None
        }
        sent = {_canon(v) for _, _, v in _leaves(call.arguments) if _usable(v)}
        ids = _id_values(_payload(call.result)) | _id_values(call.arguments)
        known = set().union(
            *(_id_values(_payload(c.result)) | _id_values(c.arguments) for c in earlier)
        )
        connected += bool(sent & returned or ids & known)
    return connected


def _fingerprint(call: Call) -> str:
    return json.dumps(
        [call.name, call.arguments, call.result], sort_keys=True, default=str
    )


def _repeated(calls: list[Call], reads: set[str] | None) -> int:
    """Reads answered the same as an earlier identical read, with only reads between."""
    repeated = 0
    for index, call in enumerate(calls):
        if not is_read(call.name, reads):
            continue
        mark = _fingerprint(call)
        for before in reversed(calls[:index]):
            if _fingerprint(before) == mark:
                repeated += 1
                break
            if not is_read(before.name, reads):
                break
    return repeated


# --- bodies ------------------------------------------------------------------------


def _bodies(call: Call, tools: dict[str, dict]) -> Iterator[tuple[dict, dict]]:
    """(object schema, object sent) for each object parameter with properties."""
    tool = tools.get(call.name)
    if tool is None or not isinstance(call.arguments, dict):
        return
    properties = (tool.get("parameters") or {}).get("properties") or {}
    for name in sorted(properties):
        schema, sent = properties[name], call.arguments.get(name)
        if isinstance(schema, dict) and isinstance(sent, dict):
            if isinstance(schema.get("properties"), dict):
                yield schema, sent


def _optional(calls: list[Call], tools: dict[str, dict]) -> tuple[int, int]:
    """(fields sent, of them optional) over the top level of every body."""
    sent_count, optional = 0, 0
    for call in calls:
        for schema, sent in _bodies(call, tools):
            required = set(schema.get("required") or [])
            for key, value in sent.items():
                if value is not None:
                    sent_count += 1
                    optional += key not in required
    return sent_count, optional


def _server_owned(
    conversation: Conversation,
    tools: dict[str, dict],
    sources: dict[int, _Sources],
    reads: set[str] | None,
) -> list[dict]:
    """Fields of write bodies that the server, not the client, decides."""
    found = []
    for call in conversation.calls:
        if is_read(call.name, reads):
            continue
        for schema, sent in _bodies(call, tools):
            for key, value in sent.items():
                prop = schema["properties"].get(key)
                reason = _owner_reason(key, value, prop, sources[call.position])
                if reason:
                    found.append(
                        {
                            "call": call.name,
                            "field": key,
                            "reason": reason,
                            "value": value,
                        }
                    )
    return found


def _owner_reason(key: str, value: Any, prop: Any, sources: _Sources) -> str | None:
    if value is None:
        return None
    if isinstance(prop, dict) and prop.get("readOnly") is True:
        return "readOnly"
    if _TIMESTAMP.match(key):
        return "timestamp"
    scalar = not isinstance(value, (dict, list))
    if key.lower() == "id" and scalar and not sources.grounds(key, value):
        return "invented id"
    return None


# --- types -------------------------------------------------------------------------

_TYPES = {"string": str, "boolean": bool, "object": dict, "array": list}


def _of_type(kind: Any, value: Any) -> bool:
    """Whether `value` is of JSON Schema type `kind` (an unknown kind: yes)."""
    if isinstance(value, bool):
        return kind == "boolean"
    if kind == "integer":
        return isinstance(value, int) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, (int, float))
    if kind == "null":
        return value is None
    expected = _TYPES.get(kind) if isinstance(kind, str) else None
    return expected is None or isinstance(value, expected)


def _misses(value: Any, schema: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(JSON pointer, what its schema wanted) for each value off its schema's
    `type` (the declared type), and each required field left out
    ("required"; a read-only one is the server's to fill). `null` is let pass
    (nullable is spelled too many ways to judge)."""
    if not isinstance(schema, dict) or value is None:
        return
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if isinstance(kinds, list) and kinds:
        if not any(_of_type(kind, value) for kind in kinds):
            yield path, "|".join(str(kind) for kind in kinds)
            return
    properties = schema.get("properties")
    if isinstance(value, dict) and isinstance(properties, dict):
        for name in schema.get("required") or ():
            field_ = properties.get(name)
            if name not in value and not (field_ or {}).get("readOnly"):
                yield f"{path}/{_escaped(name)}", "required"
        for name, item in value.items():
            yield from _misses(item, properties.get(name), f"{path}/{_escaped(name)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _misses(item, schema.get("items"), f"{path}/{index}")


def _escaped(name: Any) -> str:
    return str(name).replace("~", "~0").replace("/", "~1")


def _off_schema(calls: list[Call], tools: dict[str, dict]) -> tuple[list, list]:
    """(arguments whose type is not their tool's schema's, required fields
    left out)."""
    off_type, missing = [], []
    for call in calls:
        tool = tools.get(call.name)
        if tool is None:
            continue
        for path, wanted in _misses(call.arguments, tool.get("parameters")):
            found = {"call": call.name, "path": path}
            if wanted == "required":
                missing.append(found)
            else:
                off_type.append({**found, "expected": wanted})
    return off_type, missing


# --- per record --------------------------------------------------------------------


@dataclass
class RecordQuality:
    """The figures of one record."""

    values: int
    grounded: int
    ungrounded: list[dict]
    artifacts: list[dict]
    shape: str
    calls: int
    connected: int
    repeated: int
    body_fields: int
    optional_fields: int
    server_owned: list[dict]
    off_type: list[dict] = field(default_factory=list)
    missing_required: list[dict] = field(default_factory=list)

    @property
    def later_calls(self) -> int:
        return max(self.calls - 1, 0)


def measure(conversation: Conversation, reads: set[str] | None = None) -> RecordQuality:
    """Every figure of one conversation; `reads` overrides the conversation's."""
    reads = reads if reads is not None else conversation.reads
    tools = {str(t.get("name", "")): t for t in conversation.tools}
    positions = sorted({c.position for c in conversation.calls})
    sources = {p: _Sources(conversation, p) for p in positions}
    values, grounded, ungrounded = _grounding(conversation, sources, tools)
    body_fields, optional = _optional(conversation.calls, tools)
    off_type, missing = _off_schema(conversation.calls, tools)
    return RecordQuality(
        values=values,
        grounded=grounded,
        ungrounded=ungrounded,
        artifacts=_artifacts(conversation),
        shape=_shape(conversation),
        calls=len(conversation.calls),
        connected=_connected(conversation.calls),
        repeated=_repeated(conversation.calls, reads),
        body_fields=body_fields,
        optional_fields=optional,
        server_owned=_server_owned(conversation, tools, sources, reads),
        off_type=off_type,
        missing_required=missing,
    )


# --- over a file -------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _sorted(value: Any) -> Any:
    """Dicts with sorted keys all the way down, for stable JSON."""
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


@dataclass
class QualityReport:
    """The figures of many records, added up."""

    records: list[RecordQuality]

    @classmethod
    def of(
        cls, conversations: Iterable[Conversation | dict], reads: set[str] | None = None
    ) -> QualityReport:
        """Measure conversations, or raw records converted with `of_record`."""
        return cls(
            [
                measure(
                    c if isinstance(c, Conversation) else Conversation.of_record(c),
                    reads,
                )
                for c in conversations
            ]
        )

    def _sum(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.records)

    def _examples(self, name: str, limit: int = EXAMPLES) -> list[dict]:
        found = [
            {"record": index, **item}
            for index, record in enumerate(self.records)
            for item in getattr(record, name)
        ]
        return found[:limit]

    def _kinds(self) -> dict[str, int]:
        """Records with each kind of artifact."""
        return {
            kind: sum(any(a["kind"] == kind for a in r.artifacts) for r in self.records)
            for kind in KINDS
        }

    def _artifact_messages(self) -> int:
        return sum(len({a["message"] for a in r.artifacts}) for r in self.records)

    def _distinct_shapes(self) -> int:
        return len({r.shape for r in self.records})

    def as_dict(self) -> dict[str, Any]:
        """Counts, shares (4 decimals, None when nothing to count) and examples."""
        n, values, grounded = (
            len(self.records),
            self._sum("values"),
            self._sum("grounded"),
        )
        later, connected = self._sum("later_calls"), self._sum("connected")
        calls, repeated = self._sum("calls"), self._sum("repeated")
        fields, optional = self._sum("body_fields"), self._sum("optional_fields")
        shapes = self._distinct_shapes()
        report = {
            "records": n,
            "grounded_values": {
                "grounded": grounded,
                "total": values,
                "share": _share(grounded, values),
                "ungrounded": self._examples("ungrounded"),
            },
            "artifacts": {
                "records": sum(bool(r.artifacts) for r in self.records),
                "messages": self._artifact_messages(),
                "by_kind": self._kinds(),
                "examples": self._examples("artifacts"),
            },
            "user_message_shapes": {
                "distinct": shapes,
                "records": n,
                "share": _share(shapes, n),
            },
            "connected_steps": {
                "connected": connected,
                "total": later,
                "share": _share(connected, later),
            },
            "repeated_reads": {
                "repeated": repeated,
                "calls": calls,
                "share": _share(repeated, calls),
            },
            "optional_body_fields": {
                "optional": optional,
                "sent": fields,
                "share": _share(optional, fields),
            },
            "server_owned_fields": {
                "count": sum(len(r.server_owned) for r in self.records),
                "examples": self._examples("server_owned"),
            },
            "off_type_arguments": {
                "count": sum(len(r.off_type) for r in self.records),
                "examples": self._examples("off_type"),
            },
            "missing_required_fields": {
                "count": sum(len(r.missing_required) for r in self.records),
                "examples": self._examples("missing_required"),
            },
        }
        return _sorted(report)

    def line(self) -> str:
        """One line for logs and CI output."""
        values, grounded = self._sum("values"), self._sum("grounded")
        parts = [
            f"{_percent(grounded, values)} grounded values ({grounded}/{values})",
            f"{self._artifact_messages()} user messages with artifacts",
            f"{_percent(self._distinct_shapes(), len(self.records))}"
            " distinct user-message shapes",
            f"{_percent(self._sum('connected'), self._sum('later_calls'))}"
            " connected steps",
            f"{_percent(self._sum('repeated'), self._sum('calls'))} repeated reads",
            f"{_percent(self._sum('optional_fields'), self._sum('body_fields'))}"
            " optional body fields",
            f"{sum(len(r.server_owned) for r in self.records)} server-owned fields",
            f"{sum(len(r.off_type) for r in self.records)} off-type arguments",
            f"{sum(len(r.missing_required) for r in self.records)}"
            " missing required fields",
        ]
        return "quality: " + ", ".join(parts)

    def render(self) -> str:
        """The line, artifact counts by kind and the first examples to look at."""
        kinds = ", ".join(f"{kind} {count}" for kind, count in self._kinds().items())
        lines = [
            self.line(),
            f"  records: {len(self.records)}",
            f"  artifacts: {kinds}",
        ]
        for item in self._examples("ungrounded", SHOWN):
            value = json.dumps(item["value"], ensure_ascii=False)
            lines.append(
                f"  ungrounded: record {item['record']} {item['call']}"
                f" {item['path']} = {value}"
            )
        for item in self._examples("artifacts", SHOWN):
            lines.append(
                f"  artifact: record {item['record']} {item['message']}"
                f" {item['kind']}: {item['match']!r}"
            )
        for item in self._examples("server_owned", SHOWN):
            value = json.dumps(item["value"], ensure_ascii=False, default=str)
            lines.append(
                f"  server-owned: record {item['record']} {item['call']}"
                f" {item['field']} = {value} ({item['reason']})"
            )
        for item in self._examples("off_type", SHOWN):
            lines.append(
                f"  off-type: record {item['record']} {item['call']}"
                f" {item['path'] or '/'} is no {item['expected']}"
            )
        for item in self._examples("missing_required", SHOWN):
            lines.append(
                f"  missing: record {item['record']} {item['call']} {item['path']}"
            )
        return "\n".join(lines)


def read_jsonl(path: str | Path) -> list[dict]:
    """One record per non-blank line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def report_file(path: str | Path, reads: set[str] | None = None) -> QualityReport:
    return QualityReport.of(read_jsonl(path), reads)


def main(argv: list[str] | None = None) -> int:
    """`python quality.py FILE.jsonl...`: render each file's report."""
    for path in argv if argv is not None else sys.argv[1:]:
        print(f"{path}\n{report_file(path).render()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
