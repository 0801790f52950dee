"""Schemathesis hooks the corpus runner loads (`SCHEMATHESIS_HOOKS`).

A request body in a file media type Schemathesis has no serializer for
(ETSI's `application/zip` package uploads) is sent as bytes, as a client
uploads a file, instead of each such operation ending in "No supported
serializers". The runner names the spec's media types of that kind in
`ENVC_FILE_MEDIA_TYPES` (`file_media_types`).
"""

from __future__ import annotations

import os

import schemathesis

for _media_type in filter(None, os.environ.get("ENVC_FILE_MEDIA_TYPES", "").split(",")):
    schemathesis.serializer.alias(_media_type, "application/octet-stream")
