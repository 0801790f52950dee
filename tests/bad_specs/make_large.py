"""Generate an oversized (but syntactically valid) OpenAPI spec at test time.

A 50 MB file is not committed; a test calls ``write_large_spec(tmp_path / "large.yaml")``
and expects ``envc build`` to refuse it with exit 1 and a diagnostic naming the
document (pointer ``EXPECTED_POINTER``) whose message contains ``EXPECTED_MESSAGE``.
The size check should happen before parsing, so the test stays fast.

Stdlib only; writes in chunks, so memory use stays small.
"""

from __future__ import annotations

import os
from pathlib import Path

EXPECTED_POINTER = "/"
EXPECTED_MESSAGE = "too large"

_HEADER = """\
# Synthetic oversized spec written by tests/bad_specs/make_large.py.
openapi: 3.0.3
info:
  title: Oversized spec
  version: "1.0"
  description: |
"""

_FOOTER = """\
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Pet'
components:
  schemas:
    Pet:
      type: object
      properties:
        id:
          type: integer
        name:
          type: string
"""

_LINE = "    " + "All work and no play makes a very large description. " * 3 + "\n"


def write_large_spec(path: str | os.PathLike[str], megabytes: float = 50) -> Path:
    """Write a valid OpenAPI 3.0 YAML document of at least ``megabytes`` MiB.

    The bulk is an ``info.description`` block scalar, so the document is valid
    for any YAML parser and for openapi-spec-validator; only its size is wrong.
    Returns the path written.
    """
    path = Path(path)
    target = int(megabytes * 1024 * 1024)
    line = _LINE.encode("ascii")
    chunk = line * max(1, (1 << 20) // len(line))  # ~1 MiB of lines
    with path.open("wb") as fh:
        fh.write(_HEADER.encode("ascii"))
        written = len(_HEADER)
        while written < target:
            fh.write(chunk)
            written += len(chunk)
        fh.write(_FOOTER.encode("ascii"))
    return path


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    out = write_large_spec(sys.argv[1] if len(sys.argv) > 1 else "large.yaml")
    print(out, out.stat().st_size)
