"""Verified task blueprints (APIGen-MT phase 1), proposed from sampled trajectories.

A blueprint is an instruction, the ground-truth actions (tool calls), the
expected outputs (values the assistant must report: a step, a JSON pointer
into its answer, the value) and the expected state diff (final minus
initial state of the task, and the final state's canonical hash). Its task
starts from `initial` (the state seed and fixtures the sampler used), so
replaying the actions reproduces every answer.

Proposals come from the sampler's trajectories: every id in them was
returned by an earlier call, none is invented. `BlueprintGenerator` draws
`best_of` proposals per attempt, validates them (`acceptance.Validator`:
replay, policies, optional committee), keeps the best valid one (highest
review score, then fewest writes, then fewest steps) and tries up to
`max_attempts` times per blueprint. Same package and seed, same bytes.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, TextIO

import networkx as nx

from .acceptance import Validator
from ..frontends.actions import Result, TaskWorld, fresh_state, is_read
from ..sandbox.app import Sandbox, load_sandbox
from ..sampling.datasets import DatasetContext
from ..sampling.dependencies import load_dag
from ..sandbox.diffs import canonical, state_diff, state_hash
from ..sampling.exploration import ExplorationOptions
from ..llm import LLM
from .outputs import choose_outputs
from .phrasing import Persona, Phraser, moves_of
from .mentions import naming
from ..pointers import find, parts, pointer, without
from .policies import (
    body_key,
    id_arguments,
    in_path_order,
    load_suite,
    own_key,
    scalars,
    text,
)
from ..sampling.runs import RunConfig, tree_stream
from ..sampling.sampler import TrajectorySampler
from ..sampling.session import SessionStateManager
from ..sampling.trajectory import Trajectory


@dataclass
class Blueprint:
    """One verified task; `to_json` is its JSONL record."""

    id: str
    instruction: str
    actions: list[dict[str, Any]]
    outputs: list[dict[str, Any]]
    diff: dict[str, Any]
    final_hash: str
    initial: dict[str, int]
    user: dict[str, Any]
    tools: list[str]
    metadata: dict[str, Any] = field(default_factory=dict)
    review: dict[str, Any] | None = None
    # what the actions created, updated and deleted along the way (`TaskWorld.changes`);
    # empty in records written before it was kept
    changes: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> str:
        return canonical(asdict(self))

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> "Blueprint":
        return cls(**{k: row[k] for k in cls.__dataclass_fields__ if k in row})

    @property
    def given(self) -> list[str]:
        """Every value the user supplies, as text (what policies call `given`)."""
        return sorted(
            {v for fact in self.user["facts"] for v in scalars(fact["values"])}
        )

    def writes(self) -> int:
        return sum(1 for a in self.actions if a.get("write"))


def read_blueprints(lines: Iterable[str]) -> list[Blueprint]:
    return [Blueprint.from_dict(json.loads(line)) for line in lines if line.strip()]


def write_blueprints(out: TextIO, blueprints: Iterable[Blueprint]) -> None:
    for blueprint in blueprints:
        out.write(blueprint.to_json() + "\n")


def task_seed(trajectory: Trajectory) -> int:
    """The state seed the sampler's tree started from (its first draw)."""
    return random.Random(trajectory.seed).getrandbits(32)


class TaskBuilder:
    """Blueprints of one package from executed actions."""

    def __init__(
        self,
        sandbox: Sandbox,
        dag: nx.DiGraph,
        context: DatasetContext,
        phraser: Phraser,
        *,
        base_url: str | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.engine = sandbox.engine
        self.dag = dag
        self.context = context
        self.phraser = phraser
        self.base_url = base_url

    def world(self, initial: dict[str, int]) -> TaskWorld:
        state = fresh_state(self.engine, initial["seed"], initial.get("fixtures", 0))
        return TaskWorld(self.engine, state, base_url=self.base_url)

    def execute(
        self, initial: dict[str, int], actions: list[dict]
    ) -> tuple[TaskWorld, list[Result]]:
        world = self.world(initial)
        results = [world.run(a["name"], a["arguments"]) for a in actions]
        world.close()
        return world, results

    def build(
        self,
        ident: str,
        initial: dict[str, int],
        world: TaskWorld,
        source: dict,
        given: tuple[tuple[int, str, Any], ...] = (),
    ) -> Blueprint:
        """The blueprint of what `world` executed, phrased; `given` holds the
        (step, parameter, value) ids the sampled trajectory had the user give."""
        results = world.results
        actions = [self.action(r.name, r.arguments) for r in results]
        told = {(step, name) for step, name, _ in given}
        answers = [r.output for r in results]
        facts = [
            self.facts(
                r.name,
                r.arguments,
                {n for s, n in told if s == number},
                answers[:number],
                [r.name for r in results[:number]],
            )
            for number, r in enumerate(results)
        ]
        moves = moves_of(facts)
        said = {v for move in moves for v in scalars(move.values)}
        outputs = choose_outputs([r.output for r in results], said=said)
        instruction = self.phraser.instruction(moves, outputs, ident)
        user = {
            "goal": self.phraser.goal(moves, outputs, ident),
            "persona": str(Persona.of(ident)),
            "facts": facts,
        }
        return Blueprint(
            id=ident,
            instruction=instruction,
            actions=actions,
            outputs=outputs,
            diff=state_diff(world.initial.objects, world.state.objects),
            final_hash=state_hash(world.state),
            initial=dict(initial),
            user=user,
            tools=sorted({a["name"] for a in actions}),
            metadata={**self.context.metadata, "source": source},
            changes=world.changes(),
        )

    def action(self, name: str, arguments: dict) -> dict[str, Any]:
        return {
            "name": name,
            "arguments": arguments,
            "write": not is_read(self.engine, name),
        }

    def facts(
        self,
        name: str,
        arguments: dict,
        told: set[str] = frozenset(),
        earlier: list[Any] = (),
        callers: list[str] = (),
    ) -> dict[str, Any]:
        """What the user must tell the assistant for one action: its arguments
        less the ids an earlier answer provides (edge-bound ones that an
        earlier answer shows; a path parameter no edge binds, one no earlier
        answer shows, or one the trajectory had the user give (`told`), is
        the user's to give). `callers` name the operations that answered
        `earlier`."""
        op = self.engine.operations[name]
        targets = SessionStateManager().targets(op, self.dag)
        given_paths = {p.name for p in op.params if p.location == "path"}
        given_paths -= {t.name for t in targets if t.location == "path"} - told
        shown = {v for answer in earlier for v in scalars(answer)}
        ids = id_arguments(self.engine, self.dag, name, arguments)
        # an id no earlier answer shows (the item an upsert makes) is the user's
        given_paths |= {
            p.name
            for p in op.params
            if p.location == "path" and text(ids.get(p.name, "")) not in shown
        }
        bound = {  # a list is bound when an earlier answer shows its every item
            k
            for k, v in ids.items()
            if k not in given_paths
            and (
                isinstance(v, dict)
                or (isinstance(v, list) and set(scalars(v)) <= shown)
                or text(v) in shown
            )
        }
        values = {k: v for k, v in arguments.items() if k not in bound}
        key = body_key(op)
        if isinstance(values.get(key), dict):
            inner = [b for b in bound if b.startswith("/")]
            values = without(values, [pointer(key, *parts(b)) for b in inner])
        named = list(
            in_path_order(
                (
                    p.name
                    for p in op.params
                    if p.name in given_paths and p.name in values
                ),
                op.path,
            )
        )
        places = [
            pointer(key, *parts(b)) if b.startswith("/") else pointer(b)
            for b in sorted(bound)
        ]
        mention = next(
            (
                m
                for m in (naming(find(arguments, p), list(earlier)) for p in places)
                if m
            ),
            (),
        )
        return {
            "step": name,
            "values": values,
            "refers": bool(bound),
            "about": self.phraser.subject_of(places, arguments, earlier, callers),
            "given": named,
            "named": list(mention),
            "own": bool(named) and named[-1] == own_key(op.path),
        }


@dataclass
class GenerationReport:
    """Accepted blueprints and why the others were turned down."""

    accepted: list[Blueprint]
    rejected: Counter
    proposals: int = 0
    attempts: int = 0
    exhausted: str = ""  # why the sampler stopped giving trajectories, if it did


class BlueprintGenerator:
    """Proposes, validates and selects blueprints (see the module docstring)."""

    def __init__(
        self,
        builder: TaskBuilder,
        validator: Any,
        *,
        seed: int = 0,
        fixtures: int = 0,
        options: ExplorationOptions | None = None,
        best_of: int = 3,
        max_attempts: int = 10,
        engine: str = "local",
        workers: int = 1,
    ) -> None:
        self.builder = builder
        self.validator = validator
        self.seed = seed
        self.fixtures = fixtures
        self.best_of = best_of
        self.max_attempts = max_attempts
        self.sampler = TrajectorySampler(
            builder.sandbox, builder.dag, seed=seed, fixtures=fixtures, options=options
        )
        # the ids the sampler has the user give (a seeded item's, where only
        # refuted edges bind them) are the user's to give in the facts too
        builder.dag = self.sampler.dag
        self._seen: set[str] = set()
        if engine != "local" or workers > 1:  # trees grown elsewhere, same trees
            if builder.context.metadata.get("seed") != seed:
                raise ValueError("trees grown elsewhere need the builder's seed")
            config = RunConfig(
                builder.sandbox.package,
                seed,
                fixtures,
                None,
                options or ExplorationOptions(),
            )
            self.sampler.trees = tree_stream(config, workers=workers, engine=engine)

    def close(self) -> None:
        """Stop trees growing elsewhere (a process pool, Ray tasks)."""
        close = getattr(self.sampler.trees, "close", None)
        if close is not None:
            close()

    def generate(self, n: int) -> GenerationReport:
        report = GenerationReport([], Counter())
        while len(report.accepted) < n:
            chosen = self._one(len(report.accepted), report)
            if chosen is None:
                break
            report.accepted.append(chosen)
        return report

    def propose(self, trajectory: Trajectory, ident: str) -> Blueprint | str:
        """A blueprint from a sampled trajectory, or why it has none."""
        initial = {"seed": task_seed(trajectory), "fixtures": self.fixtures}
        actions = [
            {"name": s.operation, "arguments": s.arguments} for s in trajectory.steps
        ]
        world, results = self.builder.execute(initial, actions)
        for step, result in zip(trajectory.steps, results):
            if (step.status, step.response) != (result.status, result.output):
                return f"sampled {step.operation} does not reproduce"
        source = {"tree": trajectory.tree, "tree_seed": trajectory.seed}
        return self.builder.build(ident, initial, world, source, trajectory.given)

    def _one(self, index: int, report: GenerationReport) -> Blueprint | None:
        ident = f"{self.builder.context.metadata['package']}-{self.seed}-{index:04d}"
        for _ in range(self.max_attempts):
            report.attempts += 1
            valid = []
            for _ in range(self.best_of):
                proposal = self._proposal(ident, report)
                if proposal is None:
                    continue
                reasons = self.validator.validate(proposal)
                if reasons:
                    report.rejected[_kind(reasons[0])] += 1
                else:
                    valid.append(proposal)
            if valid:
                best = min(valid, key=_rank)
                self._seen.add(signature(best.actions))
                return best
        return None

    def _proposal(self, ident: str, report: GenerationReport) -> Blueprint | None:
        if report.exhausted:
            return None
        try:
            trajectory = self.sampler.sample()
        except RuntimeError as exc:  # the sampler found nothing more to propose
            report.exhausted = str(exc)
            report.rejected[f"no more proposals ({exc})"] += 1
            return None
        report.proposals += 1
        actions = [
            {"name": s.operation, "arguments": s.arguments} for s in trajectory.steps
        ]
        if signature(actions) in self._seen:
            report.rejected["duplicate of an accepted blueprint"] += 1
            return None
        proposal = self.propose(trajectory, ident)
        if isinstance(proposal, str):
            report.rejected[proposal] += 1
            return None
        return proposal


def signature(actions: list[dict]) -> str:
    """What makes two tasks the same: their calls and arguments."""
    return canonical([[a["name"], a["arguments"]] for a in actions])


def _rank(blueprint: Blueprint) -> tuple:
    score = (blueprint.review or {}).get("score", 0)
    return (-score, blueprint.writes(), len(blueprint.actions))


def _kind(reason: str) -> str:
    """A rejection reason without its particulars, for counting."""
    return reason.split(":")[0] if ":" in reason else reason


def make_builder(
    package: str,
    *,
    seed: int = 0,
    base_url: str | None = None,
    sandbox: Sandbox | None = None,
) -> TaskBuilder:
    """The task builder of a package: its sandbox, dag, tools and phrasing
    (through the environment's LLM, if one is configured)."""
    sandbox = sandbox or load_sandbox(package, seed=seed)
    context = DatasetContext.of_package(package, sandbox.engine.document, seed)
    phraser = Phraser(context, LLM.from_env(seed=seed))  # every request seeded
    return TaskBuilder(sandbox, load_dag(package), context, phraser, base_url=base_url)


def make_generator(
    builder: TaskBuilder,
    *,
    seed: int = 0,
    fixtures: int = 0,
    options: ExplorationOptions | None = None,
    best_of: int = 3,
    max_attempts: int = 10,
    policies: tuple[str, ...] = (),
    committee: bool = False,
    min_correctness: float = 3.0,
    engine: str = "local",
    workers: int = 1,
) -> BlueprintGenerator:
    """A generator over `builder`, validating with the package's policy suite
    (plus the user's `policies` files); its trees grow here, in `workers`
    processes, or on Ray (`engine`), the same trees whichever."""
    validator = Validator(
        builder,
        load_suite(policies, name=builder.context.metadata["package"]),
        committee=committee,
        min_correctness=min_correctness,
        llm=builder.phraser.llm,
    )
    return BlueprintGenerator(
        builder,
        validator,
        seed=seed,
        fixtures=fixtures,
        options=options,
        best_of=best_of,
        max_attempts=max_attempts,
        engine=engine,
        workers=workers,
    )
