#!/usr/bin/env python
"""A 1,000-operation, multi-megabyte spec through the corpus runner: build time and peak memory.

The spec is `build_bench.make_large_spec(N)` (copies of a petstore-v3-style
CRUD family) with a long description on every operation, as large real
specs have; it is deterministic and written to the work directory. The
corpus runner builds it in a child process (wall time, peak RSS), and by
default serves it to Schemathesis and samples it as well. Writes a table
like docs/corpus.md and exits 1 when the build takes 15 s or more, or
2 GiB or more.

    python bench/large_spec.py                                  # -> docs/corpus-large.md/.json
    python bench/large_spec.py --operations 1500 --stages build --markdown /tmp/l.md --json /tmp/l.json
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import make_large_spec  # noqa: E402

from envfactory_compiler import corpus  # noqa: E402

MAX_SECONDS, MAX_MIB = 15, 2048
_PARAGRAPH = (
    "This operation belongs to a synthetic API that stands in for the very large public specs "
    "(cloud providers, payment platforms) whose every operation carries pages of prose. "
)


def write_spec(path: Path, operations: int, description_bytes: int) -> Path:
    document = make_large_spec(operations)
    text = (_PARAGRAPH * (description_bytes // len(_PARAGRAPH) + 1))[:description_bytes]
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation["description"] = text
    path.write_text(
        yaml.safe_dump(document, sort_keys=False, width=120), encoding="utf-8"
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=1000)
    parser.add_argument(
        "--description-bytes", type=int, default=3000, help="prose per operation"
    )
    parser.add_argument("--stages", default="build,conformance,sample")
    parser.add_argument("--max-examples", type=int, default=2)
    parser.add_argument("--markdown", type=Path, default=Path("docs/corpus-large.md"))
    parser.add_argument("--json", type=Path, default=Path("docs/corpus-large.json"))
    args = parser.parse_args()
    settings = corpus.CorpusSettings(
        max_examples=args.max_examples, stages=tuple(args.stages.split(","))
    )
    with tempfile.TemporaryDirectory(prefix="envc-large-") as work:
        spec = write_spec(
            Path(work) / f"synthetic-{args.operations}-operations.yaml",
            args.operations,
            args.description_bytes,
        )
        size_mib = spec.stat().st_size / 2**20
        [row] = corpus.run_corpus([spec], Path(work), settings)
    command = f"python bench/large_spec.py --operations {args.operations}"
    described = {**settings.describe(), "spec size MiB": f"{size_mib:.1f}"}
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(
        corpus.to_markdown([row], described, command), encoding="utf-8"
    )
    args.json.write_text(corpus.to_json([row], described), encoding="utf-8")
    ok = row.build_ok and row.build_seconds < MAX_SECONDS and row.peak_mib < MAX_MIB
    print(
        f"{spec.name}: {size_mib:.1f} MiB, {row.operations} operations, build {'ok' if row.build_ok else 'FAILED'} "
        f"in {row.build_seconds:.1f} s, peak {row.peak_mib:.0f} MiB (limits {MAX_SECONDS} s, {MAX_MIB} MiB) "
        f"-> {args.markdown}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
