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
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))},
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert (
        done.returncode == 0
    ), f"the Ray child exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout
