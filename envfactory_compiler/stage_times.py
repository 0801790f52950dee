"""Wall time per build stage, for `envc build --timings` and `bench/build_bench.py`.

Stages: read (parse, bundle, repair), validate (structural validation),
normalise, render (the package but `models.py`), models
(datamodel-code-generator and black), infer, verify, write. Validation and
models run in processes of their own where the machine has a second core;
`validate_wait` and `models_wait` are how long the build then waited for
them. A stage run twice (lenient validation left parts out) sums.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator


class StageTimes:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def pairs(self) -> tuple[tuple[str, float], ...]:
        return tuple(self.seconds.items())


def render(pairs: tuple[tuple[str, float], ...]) -> str:
    """`stages: read 0.12s, validate 0.40s, ...`, as `--timings` prints it."""
    return "stages: " + ", ".join(f"{name} {seconds:.2f}s" for name, seconds in pairs)
