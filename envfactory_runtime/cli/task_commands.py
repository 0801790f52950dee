"""The `blueprints`, `rollout`, `evaluate` and `qa` commands of the package's CLI.

`main.py` adds them (`add_commands`) and dispatches to `COMMANDS`; they live
here so the task pipeline's options stay apart from `serve` and `sample`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from contextlib import contextmanager
from typing import Any, Iterator

from ..tasks.blueprints import (
    make_builder,
    make_generator,
    read_blueprints,
    write_blueprints,
)
from ..sampling.exploration import ExplorationOptions
from ..llm import LLM
from ..tasks.metrics import METRICS, Evaluator, from_rollout
from ..tasks.qa import synthesize
from ..tasks.recombine import recombine
from ..tasks.records_quality import of_blueprints, of_records
from ..tasks.rollouts import (
    AGENTS,
    RECORDS,
    RolloutJob,
    pass_hat_k,
    run_rollouts,
    write_rollouts,
)
from ..sandbox.app import load_sandbox
from ..sandbox.server import SandboxServer


def add_commands(commands: argparse._SubParsersAction) -> None:
    _add_blueprints(commands)
    _add_rollout(commands)
    evaluate_ = commands.add_parser(
        "evaluate", help="score rollout answers with AgentFlow's metrics"
    )
    evaluate_.add_argument("--in", dest="input", required=True, help="rollout JSONL")
    evaluate_.add_argument("--metric", action="append", choices=METRICS)
    quality_ = commands.add_parser(
        "quality", help="data-quality figures of a sample, blueprint or rollout JSONL"
    )
    quality_.add_argument(
        "input", help="JSONL written by sample, blueprints or rollout"
    )
    quality_.add_argument("--json", action="store_true", help="all figures as JSON")
    qa_ = commands.add_parser("qa", help="multi-hop QA pairs from blueprints")
    qa_.add_argument("--in", dest="input", required=True, help="blueprint JSONL")
    qa_.add_argument("-o", "--output", default="-", help="JSONL file (default: stdout)")


def _add_blueprints(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "blueprints",
        help="verified task blueprints (instruction, actions, outputs, state diff)",
        description="Propose tasks from sampled trajectories; keep those that replay,"
        " pass the policies and (with --committee) the review.",
    )
    parser.add_argument("-n", type=int, default=50, help="blueprints (default: 50)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", default="-", help="JSONL (default: stdout)")
    parser.add_argument("--best-of", type=int, default=3, help="proposals per attempt")
    parser.add_argument(
        "--max-attempts", type=int, default=10, help="per blueprint (default: 10)"
    )
    parser.add_argument("--committee", action="store_true", help="require a review")
    parser.add_argument("--min-correctness", type=float, default=3.0, help="0-5")
    parser.add_argument(
        "--recombine", action="store_true", help="also compose longer tasks"
    )
    parser.add_argument(
        "--policies",
        action="append",
        default=[],
        metavar="FILE",
        help="a Python file whose check_* functions join the policy suite",
    )
    parser.add_argument("--fixtures", type=int, default=0)
    _add_engine(parser, "where the trees behind the proposals grow (ray: the same)")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes growing trees (1)"
    )
    parser.add_argument(
        "--min-depth",
        type=int,
        default=None,
        help="calls a task needs at least (default 2; where no tree reaches 2,"
        " one-call tasks, said on stderr)",
    )
    parser.add_argument("--max-depth", type=int, default=5)
    parser.add_argument("--base-url", help="replay against this served sandbox")


def _add_engine(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--engine", choices=("local", "ray"), default="local", help=what
    )


def _add_rollout(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "rollout",
        help="replay or natural (simulated user + assistant) rollouts of blueprints",
    )
    parser.add_argument("--in", dest="input", required=True, help="blueprint JSONL")
    parser.add_argument("--agent", choices=AGENTS, default="replay")
    parser.add_argument("-o", "--output", default="-", help="JSONL (default: stdout)")
    parser.add_argument("--format", choices=tuple(RECORDS), default="openai")
    parser.add_argument("-k", "--trials", type=int, default=1, help="for pass^k")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="LLM seed: trial t's requests carry SEED + t (recorded as llm_seed)",
    )
    _add_engine(parser, "where rollouts run (ray: the same records)")
    parser.add_argument("--max-turns", type=int, default=30)
    parser.add_argument(
        "--keep-all", action="store_true", help="write rollouts that failed too"
    )
    parser.add_argument("--base-url", help="run against this served sandbox")
    parser.add_argument(
        "--serve", action="store_true", help="serve the sandbox here and use HTTP"
    )


def blueprints(args: argparse.Namespace) -> None:
    builder = make_builder(args.package, seed=args.seed, base_url=args.base_url)
    report, generator = _generated(builder, args, args.min_depth or 2)
    if not report.accepted and not report.proposals and args.min_depth is None:
        _say(  # as `sample`: a list nothing fills and reads of what it would list
            "note: no tree reached 2 calls; proposing one-call tasks"
            " (--min-depth 2 to refuse, --fixtures N to start with items)"
        )
        report, generator = _generated(builder, args, 1)
    accepted = list(report.accepted)
    composed: list = []
    if args.recombine:
        composed, dropped = recombine(accepted, builder, generator.validator)
        report.rejected.update({f"recombined: {k}": v for k, v in dropped.items()})
    with _output(args.output) as out:
        write_blueprints(out, accepted + composed)
    _say(
        f"{len(accepted)} blueprints accepted of {report.proposals} proposals"
        f" ({report.attempts} attempts), {len(composed)} recombined; rejected: "
        + (", ".join(f"{k} {v}" for k, v in sorted(report.rejected.items())) or "none")
    )
    _say(of_blueprints(accepted + composed, builder).line())
    if len(accepted) < args.n:
        _say(f"only {len(accepted)} of {args.n}: raise --max-attempts or --best-of")
        sys.exit(1)


def _generated(builder: Any, args: argparse.Namespace, min_depth: int) -> tuple:
    """`args.n` blueprints proposed from trees of `min_depth` calls or more:
    the report, and the generator (closed) whose validator checks recombinations."""
    generator = make_generator(
        builder,
        seed=args.seed,
        fixtures=args.fixtures,
        options=ExplorationOptions(min_depth=min_depth, max_depth=args.max_depth),
        best_of=args.best_of,
        max_attempts=args.max_attempts,
        policies=tuple(args.policies),
        committee=args.committee,
        min_correctness=args.min_correctness,
        engine=args.engine,
        workers=args.workers,
    )
    try:
        return generator.generate(args.n), generator
    finally:
        generator.close()


def rollout(args: argparse.Namespace) -> None:
    with open(args.input, encoding="utf-8") as source:
        records = tuple(line for line in source if line.strip())
    with _served(args) as base_url:
        builder = make_builder(args.package, base_url=base_url)
        job = RolloutJob(
            args.package,
            records,
            args.agent,
            trials=args.trials,
            base_url=base_url,
            seed=args.seed,
            max_turns=args.max_turns,
            settings=RolloutJob.llm_settings(),
        )
        rollouts = run_rollouts(job, engine=args.engine)
    kept = [r for r in rollouts if r.kept]
    with _output(args.output) as out:
        write_rollouts(
            out, builder.context, rollouts if args.keep_all else kept, args.format
        )
    trials: dict[str, list[bool]] = {}
    for r in rollouts:
        trials.setdefault(r.blueprint.id, []).append(r.kept)
    reasons = Counter(reason.split(":")[0] for r in rollouts for reason in r.reasons)
    summary = {
        "agent": args.agent,
        "rollouts": len(rollouts),
        "kept": len(kept),
        "pass_rate": round(len(kept) / len(rollouts), 4) if rollouts else 0.0,
        **{f"pass^{k}": pass_hat_k(trials, k) for k in range(1, args.trials + 1)},
        "reasons": dict(sorted(reasons.items())),
        "metrics": Evaluator(llm=LLM.from_env(seed=args.seed)).evaluate(
            [
                {
                    "prediction": r.answer,
                    "answers": [str(o["value"]) for o in r.blueprint.outputs],
                }
                for r in rollouts
            ]
        )["means"],
    }
    _say(json.dumps(summary, sort_keys=True))
    records = [RECORDS["openai"](builder.context, r, i) for i, r in enumerate(kept)]
    _say(of_records(records, builder.engine).line())


def quality(args: argparse.Namespace) -> None:
    """The quality figures of a JSONL file this package wrote: sampled or
    rolled-out records as they are, blueprints replayed for their answers."""
    with open(args.input, encoding="utf-8") as source:
        lines = [line for line in source if line.strip()]
    rows = [json.loads(line) for line in lines]
    builder = make_builder(args.package)
    if rows and "actions" in rows[0] and "instruction" in rows[0]:
        report = of_blueprints(read_blueprints(lines), builder)
    else:
        report = of_records(rows, builder.engine)
    print(
        json.dumps(report.as_dict(), sort_keys=True) if args.json else report.render()
    )


def evaluate(args: argparse.Namespace) -> None:
    with open(args.input, encoding="utf-8") as source:
        records = [from_rollout(json.loads(line)) for line in source if line.strip()]
    evaluator = Evaluator(tuple(args.metric or METRICS), llm=LLM.from_env())
    print(json.dumps(evaluator.evaluate(records), sort_keys=True))


def qa(args: argparse.Namespace) -> None:
    with open(args.input, encoding="utf-8") as source:
        tasks = read_blueprints(source)
    pairs = synthesize(tasks, make_builder(args.package))
    with _output(args.output) as out:
        for pair in pairs:
            out.write(json.dumps(pair, sort_keys=True, ensure_ascii=False) + "\n")
    _say(f"{len(pairs)} QA pairs from {len(tasks)} blueprints")


COMMANDS = {
    "blueprints": blueprints,
    "rollout": rollout,
    "evaluate": evaluate,
    "qa": qa,
    "quality": quality,
}


@contextmanager
def _output(path: str) -> Iterator[Any]:
    if path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        yield out


@contextmanager
def _served(args: argparse.Namespace) -> Iterator[str | None]:
    if not args.serve:
        yield args.base_url
        return
    with SandboxServer(load_sandbox(args.package)) as server:
        yield server.base_url


def _say(text: str) -> None:
    print(text, file=sys.stderr)
