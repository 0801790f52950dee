"""A user's first commands on a fresh machine: `pip install` of the project
with no extras, in a new virtualenv, then `envc build`, `envc sample` and
`envc blueprints` on a spec of ours -- the path the `[test]` install hides."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
    return done


@pytest.mark.timeout(1200)
def test_a_plain_pip_install_builds_and_samples(tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    bin_ = env / ("Scripts" if sys.platform == "win32" else "bin")
    _run(bin_ / "python", "-m", "pip", "install", "--quiet", ROOT, cwd=tmp_path)
    # nothing of the test install leaks in: the extras' libraries are absent
    probe = _run(
        bin_ / "python",
        "-c",
        "import importlib.util as u; print([m for m in ('pytest', 'litellm', 'ray', 'mcp')"
        " if u.find_spec(m)])",
        cwd=tmp_path,
    )
    assert probe.stdout.strip() == "[]", probe.stdout
    built = _run(
        bin_ / "envc",
        "build",
        ROOT / "specs" / "petstore.yaml",
        "-o",
        "out",
        "--name",
        "petstore",
        cwd=tmp_path,
    )
    assert "petstore_env" in built.stdout + built.stderr
    package = tmp_path / "out" / "petstore_env"
    _run(
        bin_ / "envc",
        "sample",
        package,
        "-n",
        "5",
        "--seed",
        "0",
        "-o",
        "s.jsonl",
        cwd=tmp_path,
    )
    sampled = [
        json.loads(line) for line in (tmp_path / "s.jsonl").read_text().splitlines()
    ]
    assert len(sampled) == 5 and all(
        r["messages"][1]["role"] == "user" for r in sampled
    )
    _run(
        bin_ / "envc",
        "blueprints",
        package,
        "-n",
        "2",
        "--seed",
        "0",
        "-o",
        "b.jsonl",
        cwd=tmp_path,
    )
    tasks = [
        json.loads(line) for line in (tmp_path / "b.jsonl").read_text().splitlines()
    ]
    assert len(tasks) == 2 and all(t["actions"] and t["instruction"] for t in tasks)
