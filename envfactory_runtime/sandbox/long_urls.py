"""uvicorn's httptools protocol, for URLs of any length.

httptools reads a URL's parts with 16-bit offsets, so a request whose URL
is longer than 65,535 bytes is refused with uvicorn's plain-text "Invalid
HTTP request received." before the app sees it: an answer no spec
documents. Real APIs take long queries (Stripe's `expand[]`, where
Schemathesis sends tens of kilobytes), so such a URL is split at its `?`
and the query handed on whole.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

_MAX = 65535  # the longest URL httptools' parse_url reads


def protocol() -> Any:
    """The protocol class for `uvicorn.Config(http=...)`; "auto" without httptools."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return "auto"

    class LongUrlProtocol(HttpToolsProtocol):
        def on_headers_complete(self) -> None:
            url: bytes = self.url
            if len(url) <= _MAX:
                super().on_headers_complete()
                return
            self.url = b"/"  # read here instead, as uvicorn reads a URL's parts
            super().on_headers_complete()  # the request's task starts on the next loop turn
            if "path" not in self.scope:
                return
            raw_path, _, query = url.partition(b"?")
            path = raw_path.decode("ascii", "replace")
            if "%" in path:
                path = unquote(path)
            self.scope["path"] = self.root_path + path
            self.scope["raw_path"] = self.root_path.encode("ascii") + raw_path
            self.scope["query_string"] = query

    return LongUrlProtocol
