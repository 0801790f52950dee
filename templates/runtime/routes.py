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

import re
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl

_SUFFIX = re.compile(r"[#?]")


def bare(path: str) -> str:
    """A path key without the `#...`/`?...` that tells operations on one URL apart."""
    found = _SUFFIX.search(path)
    return path if found is None else path[: found.start()]


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

    def _ops(self, path: str, patterns: list | None = None) -> dict[str, Any]:
        path = bare(path)  # a request `Dispatch` gave its path key's form
        return next(
            (ops for pattern, ops in patterns or self.templates if pattern.match(path)),
            {},
        )

    def methods(self, path: str) -> list[str]:
        return sorted(self._ops(path))

    def operation(self, path: str, method: str) -> Any:
        """The operation a request meant, even with a malformed or empty path parameter."""
        method = method.upper()
        return self._ops(path).get(method) or self._ops(path, self.loose).get(method)


def _loose_regex(path: str, base: str) -> re.Pattern[str]:
    loose = re.sub(r"/\\\{[^/]*?\\\}", "(?:/[^/]*)?", re.escape(bare(path)))
    return re.compile(f"^{re.escape(base)}{loose}/?$", re.DOTALL)


class _Keyed:
    """One operation whose path key carries a suffix, and the conditions it names."""

    def __init__(self, path: str, base: str) -> None:
        self.path = path
        self.regex = template_regex(path, base)
        self.suffix = path[len(bare(path)) :]
        self.conditions = [
            (key, None if value is None or value.startswith("{") else value)
            for key, value in (
                (
                    part.partition("=")[0],
                    part.partition("=")[2] if "=" in part else None,
                )
                for part in self.suffix[1:].split("&")
                if part
            )
        ]

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
        self.groups: list[tuple[re.Pattern[str], str, list[_Keyed], bool]] = []
        shared: dict[tuple[str, str], list[str]] = {}
        for op in operations:
            shared.setdefault((bare(op.path), op.method.upper()), []).append(op.path)
        for (route, method), keys in shared.items():
            keyed = [_Keyed(k, base) for k in keys if k != route]
            if keyed:
                self.groups.append(
                    (template_regex(route, base), method, keyed, route in keys)
                )

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.groups:
            routed = self.route(scope)
            if routed is not None:
                scope = {**scope, "path": routed, "raw_path": routed.encode()}
        await self.app(scope, receive, send)

    def route(self, scope: dict) -> str | None:
        path, method = scope["path"], scope["method"].upper()
        matching = [group for group in self.groups if group[0].match(path)]
        for _, group_method, keyed, has_bare in matching:
            if group_method != method:
                continue
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in scope.get("headers", [])
            }
            scored = [(entry.met(query, headers), entry) for entry in keyed]
            best = max(scored, key=lambda pair: pair[0])
            if best[0] >= 0:
                return best[1].key_form(path, query)
            return None if has_bare else keyed[0].key_form(path, query)
        # A method no key of this URL has: any key's route, for Connexion's 405.
        if matching and not any(has_bare for *_, has_bare in matching):
            return matching[0][2][0].key_form(path, {})
        return None
