"""Command line of a generated package: `python -m <package> serve|sample|tools`
(and `blueprints|rollout|evaluate|qa`, see `task_commands.py`; `mcp|export-hf`,
see `agent_commands.py`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Iterator, TextIO

from tqdm import tqdm

from ..environment import environment
from ..sandbox.app import base_path, load_sandbox
from ..sampling.datasets import (
    FORMATS,
    MAX_TOOLS,
    RECORDS,
    DatasetContext,
    write_jsonl,
)
from ..sandbox.engine import SANDBOX_TOKEN
from ..sandbox.server import run_server
from ..sampling.exploration import ExplorationOptions
from ..sampling.runs import RunConfig, collect, sampler_for
from ..tasks.records_quality import of_records
from ..sampling.summary import Summary
from .task_commands import COMMANDS as TASK_COMMANDS
from .task_commands import add_commands as add_task_commands
from .agent_commands import COMMANDS as AGENT_COMMANDS
from .agent_commands import add_commands as add_agent_commands
from ..sampling.hf_export import with_hf, write_hf


def main(package: str, argv: list[str] | None = None) -> None:
    """Run one command of `package`'s CLI (its `__main__` calls this)."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {package}",
        description=f"The stateful sandbox of {package}: serve it, sample training"
        " trajectories, generate and roll out tasks, serve it to agents (MCP, OpenEnv).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="serve the stateful sandbox (Swagger UI at <base path>/ui/)"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: 8000)"
    )
    serve.add_argument(
        "--seed", type=int, default=0, help="seed for generated values (default: 0)"
    )
    serve.add_argument(
        "--fixtures",
        type=int,
        default=0,
        metavar="N",
        help="seed every task with N items per resource (default: 0, empty)",
    )
    serve.add_argument(
        "--credential",
        action="append",
        default=[],
        metavar="SECRET",
        help=f"also accept this API key / bearer token / basic password (always accepted: {SANDBOX_TOKEN})",
    )
    serve.add_argument(
        "--any-credential", action="store_true", help="accept any non-empty credential"
    )
    serve.add_argument(
        "--fixtures-file",
        metavar="PATH",
        help="JSON items every task starts with: {resource: [item, ...]} or a task state",
    )
    serve.add_argument(
        "--store",
        default="memory",
        metavar="memory|sqlite:PATH",
        help="where task state lives; sqlite:PATH survives restarts (default: memory)",
    )
    _add_sample(commands)
    add_task_commands(commands)
    add_agent_commands(commands)
    commands.add_parser("tools", help="print the OpenAI function-calling tool schemas")
    args = parser.parse_args(argv)
    args.package = package
    if args.command == "serve":
        try:
            sandbox = load_sandbox(
                package,
                seed=args.seed,
                fixtures=args.fixtures,
                fixtures_file=args.fixtures_file,
                credentials=tuple(args.credential),
                any_credential=args.any_credential,
                store=args.store,
            )
        except ValueError as exc:  # a bad --store or --fixtures-file
            serve.error(str(exc))
        base = base_path(sandbox.engine.document)  # the spec's server path: `/v2`
        print(
            f"serving {package} on http://{args.host}:{args.port}{base or '/'}"
            f" (Swagger UI: {base}/ui/)",
            file=sys.stderr,
        )
        run_server(sandbox, host=args.host, port=args.port)
    elif args.command == "sample":
        sample(args)
    elif args.command in TASK_COMMANDS:
        with_hf(TASK_COMMANDS[args.command], args)
    elif args.command in AGENT_COMMANDS:
        AGENT_COMMANDS[args.command](args)
    elif args.command == "tools":
        print(json.dumps(environment(package).tools, indent=2))


def _add_sample(commands: argparse._SubParsersAction) -> None:
    sample = commands.add_parser(
        "sample",
        help="write verified multi-step trajectories as JSONL training data",
        description="Sample trajectories by walking the dependency graph (see sampler.py).",
    )
    sample.add_argument(
        "-n", type=int, default=100, help="trajectories to write (default: 100)"
    )
    sample.add_argument("--seed", type=int, default=0, help="seed (default: 0)")
    sample.add_argument(
        "-o", "--output", default="-", help="JSONL file (default: stdout)"
    )
    sample.add_argument(
        "--format",
        choices=(*FORMATS, "hf"),
        default="openai",
        help="record format (hf: the openai records as a Hugging Face dataset in -o DIR)",
    )
    sample.add_argument(
        "--workers", type=int, default=1, help="worker processes (default: 1)"
    )
    sample.add_argument(
        "--engine", choices=("local", "ray"), default="local", help="where trees grow"
    )
    sample.add_argument(
        "--min-depth",
        type=int,
        default=None,
        help="calls a trajectory needs at least (default 2; where no tree"
        " reaches 2, one-call trajectories, said on stderr)",
    )
    sample.add_argument("--max-depth", type=int, default=5)
    sample.add_argument("--branching-factor", type=int, default=2)
    sample.add_argument(
        "--depth-threshold", type=int, default=3, help="branch only above this depth"
    )
    sample.add_argument(
        "--max-selected", type=int, default=3, help="trajectories kept per tree"
    )
    sample.add_argument("--similarity-threshold", type=float, default=0.7)
    sample.add_argument(
        "--fixtures", type=int, default=0, help="seeded items per resource at start"
    )
    sample.add_argument(
        "--base-url", help="run calls against this served sandbox instead of in process"
    )
    sample.add_argument(
        "--max-tools",
        type=int,
        default=MAX_TOOLS,
        help=f"tools a record offers at most: its own, their resources' reads, others"
        f" drawn; 0 for all (default: {MAX_TOOLS})",
    )


def sample(args: argparse.Namespace) -> None:
    """Sample, write the records, print the summary to stderr."""
    if args.format == "hf" and args.output == "-":
        sys.exit("--format hf writes a dataset directory: give -o DIR")
    context, trajectories, engine = _sampled(args)
    if args.format == "hf":
        records = [RECORDS["openai"](context, t, i) for i, t in enumerate(trajectories)]
        write_hf(records, args.output)
    elif args.output == "-":
        write_jsonl(sys.stdout, context, trajectories, args.format)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            write_jsonl(out, context, trajectories, args.format)
    _report_quality(context, trajectories, engine)


def sample_packages(packages: list[str], argv: list[str]) -> None:
    """`envc sample A B ... ARGS`: every package sampled with the same ARGS in
    one process, into one JSONL: each package's records, in the order given,
    exactly as sampling it alone writes them (each record names its package)."""
    parser = argparse.ArgumentParser(prog="envc sample PACKAGE...")
    _add_sample(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["sample", *argv])
    if args.format == "hf":
        sys.exit("--format hf takes one package: sample each into its own -o DIR")
    with _jsonl_output(args.output) as out:
        for package in packages:
            args.package = package
            print(f"== {package}", file=sys.stderr)
            context, trajectories, engine = _sampled(args)
            write_jsonl(out, context, trajectories, args.format)
            _report_quality(context, trajectories, engine)


def _collected(config: RunConfig, args: argparse.Namespace) -> Any:
    with tqdm(
        total=args.n, unit="traj", disable=not sys.stderr.isatty(), file=sys.stderr
    ) as bar:
        return collect(
            config,
            args.n,
            workers=args.workers,
            engine=args.engine,
            on_tree=lambda tree: bar.update(
                min(len(tree.trajectories), args.n - bar.n)
            ),
        )


def _all_short(collection: Any) -> bool:
    """Whether every tree dropped its paths for being one call long."""
    drops = Counter()
    for tree in collection.trees:
        drops.update(tree.drops)
    return bool(drops) and all(r.startswith("shorter than min depth") for r in drops)


@contextmanager
def _jsonl_output(path: str) -> Iterator[TextIO]:
    """stdout, or a file that appears only once every package is in."""
    if path == "-":
        yield sys.stdout
        return
    partial = f"{path}.partial"
    with open(partial, "w", encoding="utf-8", newline="\n") as out:
        yield out
    os.replace(partial, path)


def _sampled(args: argparse.Namespace) -> tuple[DatasetContext, list, Any]:
    """The run `args` describe, its summary on stderr: the records' context,
    the trajectories, and the engine they ran on."""
    options = ExplorationOptions(
        min_depth=args.min_depth or 2,
        max_depth=args.max_depth,
        branching_factor=args.branching_factor,
        depth_threshold=args.depth_threshold,
        max_selected=args.max_selected,
        similarity_threshold=args.similarity_threshold,
    )
    config = RunConfig(args.package, args.seed, args.fixtures, args.base_url, options)
    collection = _collected(config, args)
    if (
        not collection.trajectories
        and args.min_depth is None
        and _all_short(collection)
    ):
        # a list nothing fills and a read of what it would list (HubSpot CMS's
        # two operations, no fixtures): one call is all a task can be
        print(
            "note: no tree reached 2 calls; sampling one-call trajectories"
            " (--min-depth 2 to refuse, --fixtures N to start with items)",
            file=sys.stderr,
        )
        config = replace(config, options=replace(options, min_depth=1))
        collection = _collected(config, args)
    sampler = sampler_for(config)
    summary = Summary.of_run(sampler, collection.trajectories, collection.trees)
    print(summary.render(), file=sys.stderr)
    if not collection.trajectories:  # nothing written: an empty dataset is an error
        sys.exit("error: no trajectory could be sampled; the summary above says why")
    context = DatasetContext.of_package(
        args.package, sampler.sandbox.engine.document, args.seed, args.max_tools
    )
    return context, collection.trajectories, sampler.sandbox.engine


def _report_quality(context: DatasetContext, trajectories: list, engine: Any) -> None:
    records = (RECORDS["openai"](context, t, i) for i, t in enumerate(trajectories))
    print(of_records(records, engine).line(), file=sys.stderr)
