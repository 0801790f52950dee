"""What a sampling run produced: counts, depths, coverage and drops.

An operation is covered when it answered 2xx in some selected trajectory.
For every operation that never is, the summary says why: its parameters
could never be resolved (which one, and the producers tried), it always
answered an error, or it succeeded only on branches not selected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .sampler import TrajectorySampler, TreeResult
from .session import SessionStateManager, UnresolvableParameterError
from .trajectory import Trajectory


@dataclass
class Summary:
    count: int
    trees: int
    executed: int
    steps: int
    depths: Counter
    covered: Counter  # operation -> 2xx steps in selected trajectories
    operations: tuple[str, ...]
    drops: Counter
    never: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_run(
        cls,
        sampler: TrajectorySampler,
        trajectories: list[Trajectory],
        trees: list[TreeResult],
    ) -> "Summary":
        covered = Counter(step.operation for t in trajectories for step in t.steps)
        summary = cls(
            count=len(trajectories),
            trees=len(trees),
            executed=sum(t.executed for t in trees),
            steps=sum(t.depth for t in trajectories),
            depths=Counter(t.depth for t in trajectories),
            covered=covered,
            operations=tuple(sorted(sampler.operations)),
            drops=sum((t.drops for t in trees), Counter()),
        )
        summary.never = {
            name: _why_never(sampler, trees, name)
            for name in summary.operations
            if name not in covered
        }
        return summary

    @property
    def coverage(self) -> float:
        return 1 - len(self.never) / len(self.operations) if self.operations else 1.0

    def render(self) -> str:
        lines = [
            f"{self.count} trajectories ({self.steps} steps) from {self.trees} trees,"
            f" {self.executed} calls executed",
            "depth histogram: "
            + ", ".join(f"{d}: {n}" for d, n in sorted(self.depths.items())),
            f"operation coverage: {len(self.operations) - len(self.never)}"
            f"/{len(self.operations)} ({self.coverage:.1%}) answered 2xx",
        ]
        lines += [f"  never covered: {name}: {why}" for name, why in self.never.items()]
        lines.append(f"dropped: {sum(self.drops.values())}")
        lines += [f"  {n} x {reason}" for reason, n in sorted_drops(self.drops)]
        return "\n".join(lines)


def sorted_drops(drops: Counter) -> list[tuple[str, int]]:
    return sorted(drops.items(), key=lambda item: (-item[1], item[0]))


def _why_never(sampler: TrajectorySampler, trees: list[TreeResult], name: str) -> str:
    tried = sum(t.tried[name] for t in trees)
    failed = sum((t.failed.get(name, Counter()) for t in trees), Counter())
    if failed:
        statuses = ", ".join(f"{s} x{n}" for s, n in sorted(failed.items()))
        return f"answered {statuses} in {tried} calls" + _unbound(sampler, name)
    if tried:
        return f"ran {tried} times, only on branches that were not selected"
    session = SessionStateManager()  # everything any tree ever produced
    for producer, pointer in set().union(*(t.produced for t in trees)):
        session.store(producer, pointer, "?")
    try:
        session.resolve_params(sampler.operations[name], sampler.dag)
    except UnresolvableParameterError as exc:
        return str(exc)
    return "never drawn: resolvable, but other operations were chosen"


def _unbound(sampler: TrajectorySampler, name: str) -> str:
    """Why a path id may have named nothing: no dependency edge binds it (no
    documented answer returns it), so only a seeded item's key, given by the
    user, can fill it."""
    op = sampler.operations[name]
    bound = {t.name for t in SessionStateManager().targets(op, sampler.dag)}
    free = [p.name for p in op.params if p.location == "path" and p.name not in bound]
    if not free:
        return ""
    listed = ", ".join(repr(n) for n in free)
    return f" (path parameter {listed}: no documented answer returns it)"
