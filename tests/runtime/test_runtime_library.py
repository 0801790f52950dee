"""envfactory_runtime as a library: packages loaded by name or path, many in
one process, data formats checked, and `--standalone` copies that run alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import envfactory_runtime
from envfactory_runtime import IncompatiblePackage, bind, load

from conftest import GENERATED, ROOT, build, run_envc

PETSTORE = GENERATED / "petstore_env"
PETSTORE_V3 = GENERATED / "swagger_petstore_v3_env"


def test_a_package_loads_by_project_dir_module_dir_and_name() -> None:
    package = load(PETSTORE)
    assert package.__name__ == "petstore_env"
    assert load(PETSTORE / "petstore_env") is package
    assert load("petstore_env") is package
    assert package.environment is envfactory_runtime.environment("petstore_env")
    with pytest.raises(LookupError, match="no environment 'no_such_env'"):
        load("no_such_env")


def test_two_packages_in_one_process_keep_their_own_data() -> None:
    """The runtime's classes are shared; each package's bound ones see only its data."""
    a, b = load(PETSTORE), load(PETSTORE_V3)
    assert a.Engine is b.Engine  # one runtime, not one copy per package
    assert a.TrajectorySampler is not b.TrajectorySampler
    sa, sb = a.load_sandbox(), b.load_sandbox()
    assert sa.package == "petstore_env" and sb.package == "swagger_petstore_v3_env"
    assert set(sa.engine.operations) == {"listPets", "createPets", "showPetById"}
    assert len(sb.engine.operations) == 19
    first = a.TrajectorySampler(seed=1).sample()
    second = b.TrajectorySampler(seed=1).sample()
    assert {s.operation for s in first.steps} <= set(sa.engine.operations)
    assert {s.operation for s in second.steps} <= set(sb.engine.operations)
    assert a.TrajectorySampler(seed=1).sample().to_dict() == first.to_dict()


def test_sampling_two_packages_in_one_run_writes_what_each_alone_writes(
    tmp_path: Path,
) -> None:
    args = ("-n", "12", "--seed", "5")
    for project in (PETSTORE, PETSTORE_V3):
        result = run_envc(
            "sample", str(project), *args, "-o", str(tmp_path / project.name)
        )
        assert result.exit_code == 0, result.output
    both = tmp_path / "both.jsonl"
    result = run_envc("sample", str(PETSTORE), str(PETSTORE_V3), *args, "-o", str(both))
    assert result.exit_code == 0, result.output
    alone = (tmp_path / PETSTORE.name).read_bytes() + (
        tmp_path / PETSTORE_V3.name
    ).read_bytes()
    assert both.read_bytes() == alone
    packages = [json.loads(line)["metadata"]["package"] for line in both.open()]
    assert packages == ["petstore_env"] * 12 + ["swagger_petstore_v3_env"] * 12
    assert not list(tmp_path.glob("*.partial"))


def test_a_package_of_another_data_format_is_refused_with_the_versions_that_fit() -> (
    None
):
    with pytest.raises(IncompatiblePackage) as refused:
        bind("future_env", 99)
    message = str(refused.value)
    assert "future_env was built for runtime data format 99" in message
    fits = ", ".join(map(str, envfactory_runtime.DATA_FORMATS))
    version = envfactory_runtime.__version__
    assert f"envfactory-runtime {version} reads format {fits}." in message
    assert "envc build" in message


def test_an_unbound_runtime_class_says_how_to_get_a_package() -> None:
    from envfactory_runtime.sampling.sampler import TrajectorySampler

    with pytest.raises(TypeError, match=r"use <package>\.TrajectorySampler"):
        TrajectorySampler()


def test_a_standalone_package_runs_with_no_runtime_importable(tmp_path: Path) -> None:
    """Its `_runtime/` is the whole runtime: with `envfactory_runtime` and the
    compiler made unimportable, it samples the bytes the thin package samples."""
    spec = ROOT / "specs" / "petstore.yaml"
    thin = build(spec, tmp_path / "thin", name="same")
    standalone = build(spec, tmp_path / "standalone", name="same", standalone=True)
    module = standalone / standalone.name
    assert (module / "_runtime" / "sandbox" / "engine.py").is_file()
    runtime_files = {
        p.relative_to(ROOT / "envfactory_runtime")
        for p in (ROOT / "envfactory_runtime").rglob("*.py")
    }
    assert {
        p.relative_to(module / "_runtime") for p in (module / "_runtime").rglob("*.py")
    } == runtime_files
    run = "import same_env; same_env.main(['sample', '-n', '6', '--seed', '2'])"
    blocked = (  # neither the runtime nor the compiler can be imported
        "import sys; sys.modules['envfactory_runtime'] = None; "
        "sys.modules['envfactory_compiler'] = None; "
    )
    outputs = []
    for project, script in ((thin, run), (standalone, blocked + run)):
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == 6


def test_a_second_package_of_the_same_name_is_refused(tmp_path: Path) -> None:
    """One process holds one package per name: a copy built elsewhere is not
    silently swapped for the one already imported."""
    load(PETSTORE)
    copy = build(ROOT / "specs" / "petstore.yaml", tmp_path, name="petstore")
    with pytest.raises(LookupError, match="another package named petstore_env"):
        load(copy)
