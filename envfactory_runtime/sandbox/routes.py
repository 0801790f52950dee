"""The spec's routes as the wire sees them, for what Connexion cannot route.

OpenAPI allows one operation per path and method, so APIs whose operations
share a URL tell them apart in the path key itself: AWS writes
`/#Action=DescribeInstances` (query protocol), `/#X-Amz-Target=Svc.Op`
(JSON protocol), `/functions/{Name}/concurrency#Qualifier`; others write
`/rest?method=flickr.photos.search` or `/pic?key={APIKEY}`. No request ever
carries that suffix (a client drops the fragment; the query is the query),
so Connexion, which routes on the path key, would send them all to one
operation or none. `Dispatch` routes such a request to the operation whose
suffix it meets (`k=v`: query or header `k` is `v`; `k` or `k={p}`: it is
given), the one with most conditions met first, then the bare path's own,
then the first; it then hands Connexion the path key's form of the path.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl, unquote

_SUFFIX = re.compile(r"[#?]")


def bare(path: str) -> str:
    """A path key without the `#...`/`?...` that tells operations on one URL apart."""
    found = _SUFFIX.search(path)
    return path if found is None else path[: found.start()]


_ENCODED = re.compile(r"(%2[fF]|%25)")


def with_encoded_slashes(scope: dict) -> dict:
    """The request with a `%2F` in its path kept encoded (and `%25`, so that
    a kept `%` is never the text's own): a slash sent encoded is part of a
    segment (an ARN, `.../job/abc` as `job%2Fabc`), but servers decode it
    before routing, which splits the segment and misses the route.
    `unescaped` reads such a segment's value back."""
    raw = scope.get("raw_path") or b""
    text = raw.decode("latin-1")
    if not _ENCODED.search(text):
        return scope
    pieces = _ENCODED.split(text)
    path = "".join(p.upper() if i % 2 else unquote(p) for i, p in enumerate(pieces))
    return {**scope, "path": path}


def unescaped(segment: str) -> str:
    """A path segment's value, its kept `%2F` and `%25` read back."""
    return _ENCODED.sub(lambda m: "/" if m.group().upper() == "%2F" else "%", segment)


def template_regex(path: str, base: str, segment: str = "[^/]+") -> re.Pattern[str]:
    """The URLs of a path template (without its suffix), under `base`."""
    pattern = re.sub(r"\\\{[^/]*?\\\}", segment, re.escape(bare(path)))
    return re.compile(f"^{re.escape(base)}{pattern}/?$", re.DOTALL)


def _specificity(path: str) -> tuple[int, int]:
    """More literal text first: `/v1/{r}:getIamPolicy` is tried before `/v1/{r}`."""
    literal = re.sub(r"\{[^}]*\}", "", bare(path))
    return (-len(literal), path.count("{"))


class Routes:
    """The spec's path templates as regexes, to reason about unrouted requests."""

    def __init__(self, operations: Iterable[Any], base: str) -> None:
        by_path: dict[str, dict[str, Any]] = {}
        for op in operations:
            by_path.setdefault(bare(op.path), {})[op.method.upper()] = op
        ordered = sorted(by_path, key=_specificity)
        self.templates = [(template_regex(p, base), by_path[p]) for p in ordered]
        # An empty path parameter collapses "//" in some clients' URLs.
        self.loose = [(_loose_regex(p, base), by_path[p]) for p in ordered]
        # An item's URL with its last parameter empty (`/volumes/` of `/volumes/{name}`),
        # unless the spec writes such a URL itself (NetBox's `/dcim/sites/`).
        self.unnamed = [
            (template_regex(p[: p.rindex("{")], base), by_path[p])
            for p in ordered
            if re.search(r"/\{[^/{}]*\}$", p)
        ]
        self.slashed = [template_regex(p, base) for p in ordered if p.endswith("/")]

    def _ops(self, path: str, patterns: list | None = None) -> dict[str, Any]:
        # the path as sent (a decoded `%23` is a `#` in a segment), else as the
        # request's path key (`Dispatch` appends the suffix)
        for candidate in dict.fromkeys((path, bare(path))):
            found = next(
                (
                    ops
                    for pattern, ops in patterns or self.templates
                    if pattern.match(candidate)
                ),
                None,
            )
            if found is not None:
                return found
        return {}

    def methods(self, path: str) -> list[str]:
        return sorted(self._ops(path))

    def shadowed(self, path: str, method: str) -> list[str]:
        """The methods of the template a URL matches first, when `method` is
        not one of them though a later template has it: OpenAPI matches
        concrete paths before templated ones, so `GET /jobs/stop` beside
        `POST /jobs/stop` and `GET /jobs/{arn}` is a 405, not a bad `arn`."""
        method = method.upper()
        matched = [ops for pattern, ops in self.templates if pattern.match(path)]
        if len(matched) < 2 or method in matched[0]:
            return []
        if method == "HEAD" and "GET" in matched[0]:
            return []
        return sorted(matched[0]) if any(method in ops for ops in matched) else []

    def unnamed_item(self, path: str, method: str) -> Any:
        """The item operation a URL with an empty last segment names (`PATCH
        /volumes/`: `/volumes/{name}` with no name), where the spec writes no
        URL ending in a slash that it could be; else None."""
        if len(path) < 2 or not path.endswith("/"):
            return None
        if any(pattern.match(path) for pattern in self.slashed):
            return None
        return self._ops(path, self.unnamed).get(method.upper())

    def operation(self, path: str, method: str, *, loose: bool = True) -> Any:
        """The operation a request meant, even with a malformed (or, `loose`, an empty)
        path parameter."""
        method = method.upper()
        found = self._ops(path).get(method)
        return found or (self._ops(path, self.loose).get(method) if loose else None)


def _loose_regex(path: str, base: str) -> re.Pattern[str]:
    loose = re.sub(r"/\\\{[^/]*?\\\}", "(?:/[^/]*)?", re.escape(bare(path)))
    return re.compile(f"^{re.escape(base)}{loose}/?$", re.DOTALL)


def conditions(path: str) -> list[tuple[str, str | None]]:
    """What a path key's suffix asks of a request: (name, value) for `k=v`,
    (name, None) for `k` or `k={p}` (given, any value)."""
    found = []
    for part in path[len(bare(path)) + 1 :].split("&"):
        if part:
            key, equals, value = part.partition("=")
            found.append((key, value if equals and not value.startswith("{") else None))
    return found


class Keyed:
    """One operation whose path key carries a suffix, and the conditions it names."""

    def __init__(self, path: str, base: str) -> None:
        self.path = path
        self.regex = template_regex(path, base)
        self.suffix = path[len(bare(path)) :]
        self.conditions = conditions(path)

    def met(self, query: dict[str, str], headers: dict[str, str]) -> int:
        """How many conditions the request meets; -1 if it misses one."""
        for key, value in self.conditions:
            given = query.get(key, headers.get(key.lower()))
            if given is None or (value is not None and given != value):
                return -1
        return len(self.conditions)

    def key_form(self, path: str, query: dict[str, str]) -> str:
        """The request's path as Connexion's route for this key spells it."""
        if self.suffix.startswith("#"):
            return path + self.suffix
        return path + re.sub(
            r"\{([^}]*)\}",
            lambda m: _field(query, self.conditions, m.group(0)),
            self.suffix,
        )


def _field(query: dict[str, str], conditions: list, placeholder: str) -> str:
    """The request's value for the query key a `{p}` placeholder stands in."""
    for part in conditions:
        if part[1] is None:
            value = query.get(part[0])
            if value is not None and "/" not in value:
                return value
    return placeholder


class Dispatch:
    """ASGI middleware: a request for a URL several path keys share goes to the one it meets."""

    def __init__(self, app: Callable, operations: Iterable[Any], base: str) -> None:
        self.app = app
        methods: dict[str, dict[str, list[str]]] = {}  # route -> key -> its methods
        self.declared: dict[tuple[str, str], set[str]] = {}  # (key, method) -> params
        for op in operations:
            self.declared[op.path, op.method.upper()] = {p.name for p in op.params}
            keys = methods.setdefault(bare(op.path), {})
            keys.setdefault(op.path, []).append(op.method.upper())
        # Each URL several keys share: its regex, its keys, and whether the bare route is one.
        self.urls = [
            (template_regex(route, base), keys, route in keys)
            for route, keys in methods.items()
            if set(keys) != {route}
        ]
        self.keyed = {key: Keyed(key, base) for _, keys, _ in self.urls for key in keys}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.urls:
            allowed = self.refused(scope)
            if allowed:
                await not_allowed(send, allowed)
                return
            routed = self.route(scope)
            if routed is not None:
                scope = {**scope, "path": routed, "raw_path": routed.encode()}
        await self.app(scope, receive, send)

    def refused(self, scope: dict) -> list[str]:
        """The methods of the key a request is for, when its method is not one
        of them though the bare URL has it: a request that meets a key more
        fully than any key with its method (`POST .../link-associations?
        deviceId=..&linkId=..`, where only the bare URL has POST and the
        `#deviceId&linkId` key has DELETE) is for that key (Schemathesis:
        "Wrong response to undeclared method")."""
        method = scope["method"].upper()
        meant = self._best(scope, None)
        if meant is None or meant[1] is None or method in self._methods(meant[1]):
            return []
        found = self._best(scope, method)
        if found is None or found[1] is None:
            return []
        query, headers = _query(scope), _headers(scope)
        keyed = self.keyed[meant[1]]
        own = self.declared.get((found[1], method), set())
        if keyed.met(query, headers) > self.keyed[found[1]].met(query, headers) and (
            {name for name, _ in keyed.conditions} - own  # not the method's own query
        ):
            return sorted(self._methods(meant[1]))
        return []

    def _best(self, scope: dict, method: str | None) -> tuple[str, str | None] | None:
        """The request's path, and the key (with `method`, if given) it meets best."""
        path = scope["path"]
        for regex, keys, has_bare in self.urls:
            if not regex.match(path):
                continue
            query, headers = _query(scope), _headers(scope)
            candidates = [k for k, m in keys.items() if method is None or method in m]
            scored = [(self.keyed[k].met(query, headers), k) for k in candidates]
            met = [pair for pair in scored if pair[0] >= 0]
            if met:
                return path, max(met, key=lambda pair: pair[0])[1]
            if candidates and not has_bare:
                return path, candidates[0]  # Connexion answers what it misses
            if not candidates and not has_bare:
                return path, next(iter(keys))  # an undeclared method: Connexion's 405
            return path, None
        return None

    def route(self, scope: dict) -> str | None:
        """The path key's form of the request's path, or None to leave it as it is."""
        found = self._best(scope, scope["method"].upper())
        if found is None or found[1] is None or not self.keyed[found[1]].suffix:
            return None
        return self.keyed[found[1]].key_form(found[0], _query(scope))

    def _methods(self, key: str) -> list[str]:
        return next(keys[key] for _, keys, _ in self.urls if key in keys)

    def allowed(self, scope: dict) -> list[str] | None:
        """The methods of the key a request meets best (a 405's `Allow`), None if no shared URL."""
        found = self._best(scope, None)
        if found is None or found[1] is None:
            return None
        return sorted(self._methods(found[1]))


async def not_allowed(send: Callable, allowed: list[str]) -> None:
    """A 405 as Connexion words one, with the key's methods in `Allow`."""
    body = json.dumps(
        {"title": "Method Not Allowed", "status": 405, "detail": "Method Not Allowed"}
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        (b"allow", ", ".join(allowed).encode()),
    ]
    await send({"type": "http.response.start", "status": 405, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _query(scope: dict) -> dict[str, str]:
    return dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), True))


def _headers(scope: dict) -> dict[str, str]:
    return {
        k.decode("latin-1").lower(): v.decode("latin-1")
        for k, v in scope.get("headers", [])
    }
