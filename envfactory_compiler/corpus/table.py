"""The corpus table: one row per spec, rendered as markdown and JSON."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Row:
    spec: str
    openapi: str  # the version the spec declares
    operations: int | None  # operations in the spec (None: it could not be read)
    build_ok: bool
    build_seconds: float
    peak_mib: float
    warnings: int = 0  # build warnings, repairs included
    left_out: int = 0  # operations lenient validation left out of the package
    served: int | None = None  # operations Schemathesis exercised
    failures: dict[str, int] = field(
        default_factory=dict
    )  # Schemathesis failures by check
    findings: tuple[
        str, ...
    ] = ()  # the operation behind each failure and each Schemathesis error
    confirmed_edges: int | None = None
    covered: int | None = None  # operations answering 2xx in sampled trajectories
    sampled_operations: int | None = None
    trajectories: int | None = None
    uncovered: dict[str, str] = field(
        default_factory=dict
    )  # operation -> why no sampled trajectory covers it
    notes: tuple[str, ...] = ()  # a failed build's diagnostic, a stage that did not run

    @property
    def coverage(self) -> float | None:
        if self.covered is None or not self.sampled_operations:
            return None
        return self.covered / self.sampled_operations


def to_json(rows: list[Row], settings: dict) -> str:
    records = [{**asdict(row), "coverage": row.coverage} for row in rows]
    return (
        json.dumps(
            {"settings": settings, "totals": totals(rows), "specs": records},
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )


def totals(rows: list[Row]) -> dict:
    built = [r for r in rows if r.build_ok]
    sampled = [r for r in built if r.sampled_operations]
    failures = sum((Counter(r.failures) for r in rows), Counter())
    covered, operations = sum(r.covered or 0 for r in sampled), sum(
        r.sampled_operations or 0 for r in sampled
    )
    return {
        "specs": len(rows),
        "built": len(built),
        "operations": sum(r.operations or 0 for r in rows),
        "left_out": sum(r.left_out for r in built),
        "built_operations": sum(r.operations or 0 for r in built),
        "served": sum(r.served or 0 for r in built),
        "failures": dict(sorted(failures.items())),
        "confirmed_edges": sum(r.confirmed_edges or 0 for r in built),
        "covered": covered,
        "sampled_operations": operations,
        "coverage": covered / operations if operations else None,
        "build_seconds": round(sum(r.build_seconds for r in rows), 1),
        "max_build_seconds": round(
            max((r.build_seconds for r in rows), default=0.0), 1
        ),
        "max_peak_mib": round(max((r.peak_mib for r in rows), default=0.0), 1),
    }


_HEADER = (
    "| Spec | OpenAPI | Ops | Build | Build s | Peak MiB | Warnings | Left out | Served | Schemathesis failures "
    "| Confirmed edges | Coverage | Notes |\n|" + "---|" * 13
)


def to_markdown(rows: list[Row], settings: dict, command: str) -> str:
    t = totals(rows)
    failures = (
        ", ".join(f"{title}: {n}" for title, n in t["failures"].items()) or "none"
    )
    coverage = _percent(t["coverage"])
    lines = [
        "# Corpus: real-world specs built, served and sampled",
        "",
        f"Regenerate with `{command}`. Settings: "
        + ", ".join(f"{k} {v}" for k, v in settings.items())
        + ".",
        "",
        f"- specs built: **{t['built']}/{t['specs']}**",
        f"- operations: {t['operations']} in the specs, {t['left_out']} of the built specs' {t['built_operations']} "
        f"left out by lenient validation, {t['served']} exercised by Schemathesis (`--checks all`)",
        f"- Schemathesis failures: **{sum(t['failures'].values())}** ({failures})",
        f"- operation coverage of sampled trajectories: **{t['covered']}/{t['sampled_operations']} ({coverage})**",
        f"- confirmed dependency edges: {t['confirmed_edges']}",
        f"- build: {t['build_seconds']} s in all, slowest {t['max_build_seconds']} s, largest peak memory {t['max_peak_mib']} MiB",
        "",
        _HEADER,
    ]
    lines += [_markdown_row(row) for row in rows]
    lines += _details(
        "Schemathesis findings", {row.spec: list(row.findings) for row in rows}
    )
    lines += _details(
        "Operations no sampled trajectory covers, and why",
        {row.spec: _by_reason(row.uncovered) for row in rows},
    )
    return "\n".join(lines) + "\n"


def _by_reason(uncovered: dict[str, str], most: int = 8) -> list[str]:
    """One line per reason, naming its operations (the first `most` of them:
    a large spec can leave hundreds out for one reason)."""
    grouped: dict[str, list[str]] = {}
    for operation, why in sorted(uncovered.items()):
        grouped.setdefault(why, []).append(f"`{operation}`")
    lines = []
    for why, operations in sorted(
        grouped.items(), key=lambda item: (-len(item[1]), item[0])
    ):
        more = f" and {len(operations) - most} more" if len(operations) > most else ""
        lines.append(f"{', '.join(operations[:most])}{more}: {why}")
    return lines


def _details(title: str, items: dict[str, list[str]]) -> list[str]:
    """A section listing `items` under their spec; nothing when there are none."""
    listed = {spec: found for spec, found in items.items() if found}
    if not listed:
        return []
    lines = ["", f"## {title}", ""]
    for spec, found in listed.items():
        lines += [f"- `{spec}`"] + [f"  - {item}" for item in found]
    return lines


def _markdown_row(row: Row) -> str:
    failures = ", ".join(
        f"{title}: {n}" for title, n in sorted(row.failures.items())
    ) or ("0" if row.served is not None else "–")
    coverage = (
        f"{row.covered}/{row.sampled_operations} ({_percent(row.coverage)})"
        if row.coverage is not None
        else "–"
    )
    cells = [
        f"`{row.spec}`",
        row.openapi,
        _value(row.operations),
        "ok" if row.build_ok else "**failed**",
        f"{row.build_seconds:.1f}",
        f"{row.peak_mib:.0f}",
        str(row.warnings),
        str(row.left_out),
        _value(row.served),
        failures,
        _value(row.confirmed_edges),
        coverage,
        "; ".join(row.notes).replace("|", "\\|").replace("\n", " "),
    ]
    return "| " + " | ".join(cells) + " |"


def _value(value: object) -> str:
    return "–" if value is None else str(value)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"
