"""The corpus runner (`envc corpus DIR`) on two small specs of specs/corpus:
each is built (timed, peak memory measured), served to Schemathesis and sampled,
and the table is written as markdown and JSON. The full corpus is `make corpus`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_envc
from envfactory_compiler.corpus import CorpusSettings, Row, to_markdown
from envfactory_compiler.corpus.conformance import check

CORPUS = ROOT / "specs" / "corpus"
SMALL = [
    "oai__v3-petstore.yaml",
    "datamodel-code-generator__enum-models.yaml",
]  # the second needs a repair


def test_corpus_runner_writes_one_row_per_spec(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    for name in SMALL:
        shutil.copy(CORPUS / name, specs / name)
    markdown, table = tmp_path / "corpus.md", tmp_path / "corpus.json"
    result = run_envc(
        "corpus",
        str(specs),
        "--markdown",
        str(markdown),
        "--json",
        str(table),
        "--jobs",
        "2",
        "--max-examples",
        "3",
        "--samples",
        "20",
        "--work",
        str(tmp_path / "work"),
    )
    assert result.exit_code == 0, result.output + markdown.read_text(encoding="utf-8")
    report = json.loads(table.read_text(encoding="utf-8"))
    rows = {row["spec"]: row for row in report["specs"]}
    assert sorted(rows) == sorted(SMALL)
    for row in rows.values():
        assert row["build_ok"] and row["failures"] == {} and row["findings"] == []
        assert 0 < row["build_seconds"] < 60 and 0 < row["peak_mib"] < 2048
        assert (
            row["served"] == row["operations"]
            and row["sampled_operations"] == row["operations"]
        )
        assert (
            row["covered"] is not None
            and row["trajectories"] > 0
            and row["uncovered"] == {}
        )
    assert rows["oai__v3-petstore.yaml"]["openapi"] == "3.0.0"
    assert (
        rows["datamodel-code-generator__enum-models.yaml"]["warnings"] >= 1
    )  # the repair
    assert report["totals"]["built"] == 2
    text = markdown.read_text(encoding="utf-8")
    assert "specs built: **2/2**" in text and "`oai__v3-petstore.yaml`" in text


def test_a_broken_spec_is_a_failed_row_with_its_diagnostic(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(
        ROOT / "tests" / "bad_specs" / "truncated.yaml", specs / "truncated.yaml"
    )
    table = tmp_path / "corpus.json"
    result = run_envc(
        "corpus",
        str(specs),
        "--markdown",
        str(tmp_path / "corpus.md"),
        "--json",
        str(table),
    )
    assert result.exit_code == 1
    [row] = json.loads(table.read_text(encoding="utf-8"))["specs"]
    assert not row["build_ok"] and "not valid YAML" in row["notes"][0]


def test_the_table_names_what_fails_and_what_is_not_covered() -> None:
    rows = [
        Row(
            "a.yaml",
            "3.0.0",
            2,
            True,
            1.0,
            90.0,
            served=2,
            failures={"Schema-violating request accepted": 1},
            findings=("POST /notes: Schema-violating request accepted",),
            covered=1,
            sampled_operations=2,
            uncovered={
                "deleteNote": "answered 404 x3 in 3 calls",
                **{f"op{i}": "never drawn" for i in range(10)},
            },
        ),
        Row(
            "b.yaml",
            "3.0.0",
            1,
            True,
            1.0,
            90.0,
            served=1,
            covered=1,
            sampled_operations=1,
        ),
    ]
    text = to_markdown(rows, {}, "envc corpus specs")
    findings = text.split("## Schemathesis findings")[1]
    assert "- `a.yaml`\n  - POST /notes: Schema-violating request accepted" in findings
    uncovered = text.split("covers, and why")[1]
    # one line per reason, the largest group first, named up to 8 operations
    named = ", ".join(f"`op{i}`" for i in range(8))
    assert f"- `a.yaml`\n  - {named} and 2 more: never drawn\n" in uncovered
    assert "  - `deleteNote`: answered 404 x3 in 3 calls" in uncovered
    assert "`b.yaml`" not in findings  # a spec with nothing to say is not listed
    assert "## " not in to_markdown(rows[1:], {}, "envc corpus specs")


def test_a_seeded_sample_is_the_same_for_a_seed_and_changes_with_it(
    tmp_path: Path,
) -> None:
    from envfactory_compiler.corpus import sample_specs

    specs = [tmp_path / f"s{i:03}.json" for i in range(200)]
    first = sample_specs(specs, 20, seed=1)
    assert first == sample_specs(list(reversed(specs)), 20, seed=1) == sorted(first)
    assert len(set(first)) == 20 and first != sample_specs(specs, 20, seed=2)
    assert sample_specs(specs[:5], 20, seed=1) == specs[:5]


def test_the_sampled_run_and_lenient_builds_are_in_the_table(tmp_path: Path) -> None:
    """`--sample N --seed S` builds N of the folder's specs; operations left out are counted."""
    specs = tmp_path / "specs"
    specs.mkdir()
    for name in ("lenient.yaml", "untidy.yaml", "regex_dialects.yaml"):
        shutil.copy(ROOT / "tests" / "tolerated_specs" / name, specs / name)
    markdown, table = tmp_path / "corpus.md", tmp_path / "corpus.json"
    result = run_envc(
        "corpus",
        str(specs),
        "--sample",
        "2",
        "--seed",
        "3",
        "--stages",
        "build",
        "--markdown",
        str(markdown),
        "--json",
        str(table),
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(table.read_text(encoding="utf-8"))["specs"]
    assert len(rows) == 2 and all(row["build_ok"] for row in rows)
    assert "--sample 2 --seed 3" in markdown.read_text(encoding="utf-8")
    everything = tmp_path / "all.json"
    run_envc(
        "corpus",
        str(specs),
        "--stages",
        "build",
        "--markdown",
        str(tmp_path / "all.md"),
        "--json",
        str(everything),
    )
    left_out = {
        row["spec"]: row["left_out"]
        for row in json.loads(everything.read_text(encoding="utf-8"))["specs"]
    }
    assert left_out == {"lenient.yaml": 1, "regex_dialects.yaml": 0, "untidy.yaml": 0}


def test_large_specs_get_a_tree_per_operation() -> None:
    """A fixed budget stretches thinner over a large API: each operation gets its trees."""
    settings = CorpusSettings(samples=100)
    assert settings.trajectories(None) == settings.trajectories(10) == 100
    assert settings.trajectories(336) == 1008


def test_large_specs_get_time_in_proportion() -> None:
    """Schemathesis and the sampling work per operation: Kubernetes' 845 get
    more than a 20-operation API's floor (it ran out of 900 s)."""
    settings = CorpusSettings(stage_timeout=900)
    assert settings.stage_deadline(None) == settings.stage_deadline(20) == 900
    assert settings.stage_deadline(845) == 3380


def test_a_schemathesis_run_stopped_by_the_timeout_is_a_note(tmp_path: Path) -> None:
    """Schemathesis opens its JSON report before it runs: one stopped by the
    stage timeout leaves it empty, and the runner says so for that spec
    instead of ending the whole run with a traceback (squareup at 900 s)."""
    project = ROOT / "generated" / "petstore_env"
    outcome = check(project, tmp_path, max_examples=200, seed=0, timeout=4)
    assert not outcome.ran
    assert outcome.note == "schemathesis wrote no report: timed out after 4 s"


def test_a_large_spec_is_tested_a_batch_at_a_time(
    tmp_path: Path, monkeypatch
) -> None:
    """Each batch of operations against a fresh sandbox (Kubernetes' 845
    operations filled one sandbox until it could not answer in time); the
    outcome sums them; a batch may take more than its share, and what one
    leaves over goes to the rest."""
    from envfactory_compiler.corpus import conformance

    project = ROOT / "generated" / "petstore_env"
    whole = check(project, tmp_path / "whole", max_examples=5, seed=0, timeout=300)
    given: list[float] = []
    run_one = conformance._check

    def spied(*args):
        given.append(args[-1])  # the batch's share of the deadline
        return run_one(*args)

    monkeypatch.setattr(conformance, "_check", spied)
    batched = check(
        project, tmp_path / "parts", max_examples=5, seed=0, timeout=300, batch=2
    )
    # 2 of 3 operations: a fair 200 s, up to 250 s (the last then has at least 50 s)
    assert given[0] == pytest.approx(250, abs=1)
    assert 250 < given[1] < 300  # the last: all that is left
    assert whole.ran and batched.ran and not batched.note
    assert batched.served == whole.served == 3
    assert batched.failures == whole.failures == {}
    parts = sorted(p.name for p in (tmp_path / "parts").iterdir())
    assert parts == ["operations-1-2", "operations-3-3"]
    assert all((tmp_path / "parts" / p / "schemathesis.json").is_file() for p in parts)


def test_a_child_keeps_the_callers_pythonpath_after_its_own(
    tmp_path: Path, monkeypatch
) -> None:
    """A checkout run from PYTHONPATH serves its own runtime, not the installed one."""
    import sys

    from envfactory_compiler.corpus import processes

    monkeypatch.setenv("PYTHONPATH", "/checkout")
    finished = processes.run(
        [sys.executable, "-c", "import os; print(os.environ['PYTHONPATH'])"],
        log=tmp_path / "child.log",
        timeout=30,
        env={"PYTHONPATH": "/package"},
    )
    assert finished.output.strip() == f"/package{os.pathsep}/checkout"
