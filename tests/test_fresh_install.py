"""A user's first commands on a fresh machine: `pip install` of the project
with no extras, in a new virtualenv, then `envc build`, `envc sample` and
`envc blueprints` on a spec of ours -- the path the `[test]` install hides;
the README's one command that installs the runtime and a generated package;
and a `--standalone` package installed where no runtime is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import build

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    # nothing of this checkout is importable but what was installed
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
    return done


@pytest.mark.timeout(1200)
def test_a_plain_pip_install_builds_and_samples(tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    bin_ = env / ("Scripts" if sys.platform == "win32" else "bin")
    # the README's command: the runtime (with the compiler) and a generated package
    _run(
        *(bin_ / "python", "-m", "pip", "install", "--quiet"),
        *(ROOT, ROOT / "generated" / "petstore_env"),
        cwd=tmp_path,
    )
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

    # the installed package, from anywhere, by name and through the registry
    _run(bin_ / "petstore-env", "sample", "-n", "3", "-o", "i.jsonl", cwd=tmp_path)
    assert len((tmp_path / "i.jsonl").read_text().splitlines()) == 3
    found = _run(
        bin_ / "python",
        "-c",
        "import envfactory_runtime as r; print(r.installed(), r.load('petstore_env').__name__)",
        cwd=tmp_path,
    )
    assert found.stdout.split() == ["['petstore_env']", "petstore_env"]


@pytest.mark.timeout(1200)
def test_a_standalone_package_installs_and_runs_without_the_runtime(
    tmp_path: Path,
) -> None:
    """`envc build --standalone`: the package carries its runtime, so a fresh
    virtualenv with only that package (and its libraries) serves and samples."""
    project = build(ROOT / "specs" / "petstore.yaml", tmp_path / "out", standalone=True)
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    bin_ = env / ("Scripts" if sys.platform == "win32" else "bin")
    _run(bin_ / "python", "-m", "pip", "install", "--quiet", project, cwd=tmp_path)
    probe = _run(
        bin_ / "python",
        "-c",
        "import importlib.util as u; print([m for m in ('envfactory_runtime',"
        " 'envfactory_compiler') if u.find_spec(m)])",
        cwd=tmp_path,
    )
    assert probe.stdout.strip() == "[]", probe.stdout
    name = project.name
    _run(
        bin_ / "python", "-m", name, "sample", "-n", "4", "-o", "s.jsonl", cwd=tmp_path
    )
    sampled = [
        json.loads(line) for line in (tmp_path / "s.jsonl").read_text().splitlines()
    ]
    assert len(sampled) == 4 and {r["metadata"]["package"] for r in sampled} == {name}
