"""Command line of the generated package: `python -m <package> serve|sample|tools`
(and `blueprints|rollout|evaluate|qa`, see `task_cli.py`)."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources

from tqdm import tqdm

from .app import base_path, load_sandbox
from .datasets import FORMATS, RECORDS, DatasetContext, write_jsonl
from .engine import SANDBOX_TOKEN
from .server import run_server
from .exploration import ExplorationOptions
from .runs import RunConfig, collect, sampler_for
from .records_quality import of_records
from .summary import Summary
from .task_cli import COMMANDS as TASK_COMMANDS
from .task_cli import add_commands as add_task_commands
from .agent_cli import COMMANDS as AGENT_COMMANDS
from .agent_cli import add_commands as add_agent_commands
from .hf_export import with_hf, write_hf


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}", description=__doc__
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
    if args.command == "serve":
        try:
            sandbox = load_sandbox(
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
            f"serving {__package__} on http://{args.host}:{args.port}{base or '/'}"
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
        text = (
            resources.files(__package__)
            .joinpath("tools.json")
            .read_text(encoding="utf-8")
        )
        print(json.dumps(json.loads(text)["tools"], indent=2))


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
    sample.add_argument("--min-depth", type=int, default=2)
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


def sample(args: argparse.Namespace) -> None:
    """Sample, write the records, print the summary to stderr."""
    if args.format == "hf" and args.output == "-":
        sys.exit("--format hf writes a dataset directory: give -o DIR")
    options = ExplorationOptions(
        min_depth=args.min_depth,
        max_depth=args.max_depth,
        branching_factor=args.branching_factor,
        depth_threshold=args.depth_threshold,
        max_selected=args.max_selected,
        similarity_threshold=args.similarity_threshold,
    )
    config = RunConfig(__package__, args.seed, args.fixtures, args.base_url, options)
    with tqdm(
        total=args.n, unit="traj", disable=not sys.stderr.isatty(), file=sys.stderr
    ) as bar:
        collection = collect(
            config,
            args.n,
            workers=args.workers,
            engine=args.engine,
            on_tree=lambda tree: bar.update(
                min(len(tree.trajectories), args.n - bar.n)
            ),
        )
    sampler = sampler_for(config)
    summary = Summary.of_run(sampler, collection.trajectories, collection.trees)
    if not collection.trajectories:  # nothing written: an empty dataset is an error
        print(summary.render(), file=sys.stderr)
        sys.exit("error: no trajectory could be sampled; the summary above says why")
    context = DatasetContext.of_package(
        __package__, sampler.sandbox.engine.document, args.seed
    )
    if args.format == "hf":
        records = [
            RECORDS["openai"](context, t, i)
            for i, t in enumerate(collection.trajectories)
        ]
        write_hf(records, args.output)
    elif args.output == "-":
        write_jsonl(sys.stdout, context, collection.trajectories, args.format)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            write_jsonl(out, context, collection.trajectories, args.format)
    print(summary.render(), file=sys.stderr)
    records = (
        RECORDS["openai"](context, t, i) for i, t in enumerate(collection.trajectories)
    )
    print(of_records(records, sampler.sandbox.engine).line(), file=sys.stderr)
