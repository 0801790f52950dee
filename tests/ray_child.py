"""Ray code paths run in a child Python with its own local Ray cluster.

A Ray driver that loses its cluster ends its process with `_exit(1)`. In the
pytest process that ended the whole suite with no summary (twice, each time
at the second test to start a cluster in the same process); in a child it
is one failed test, with Ray's output in the message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS = Path(__file__).parent
# Ray's C++ core aborting on an internal check ("You have likely discovered a
# bug in Ray"): seen once in CI, `task_manager.cc` completing a task that was
# not pending, in a run whose code and data were the same as a passing one.
RAY_FATAL = "You have likely discovered a bug in Ray"


def run_on_ray(body: str, *, helpers: Path) -> str:
    """Run `body` (Python, importing from `helpers` and tests/) between
    `ray.init` and `ray.shutdown` in a child; its stdout."""
    script = "\n".join(
        [
            "import ray",
            "ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)",
            "try:",
            textwrap.indent(textwrap.dedent(body).strip(), "    "),
            "finally:",
            "    ray.shutdown()",
        ]
    )
    path = [str(helpers), str(TESTS), os.environ.get("PYTHONPATH", "")]
    for _ in range(2):  # once more only after Ray's own fatal check (its bug, not ours)
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))},
            cwd=TESTS.parent,
            capture_output=True,
            text=True,
            timeout=540,
        )
        if done.returncode == 0 or RAY_FATAL not in done.stderr:
            break
    assert (
        done.returncode == 0
    ), f"the Ray child exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout
