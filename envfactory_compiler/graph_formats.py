"""The dependency graph as text a person (or a tool) can look at.

Confirmed edges are drawn solid, unconfirmed ones dashed, in every format.
PNG goes through Graphviz's `dot`, which must be installed
(`apt-get install graphviz`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `envc` imports this module at start-up
    from .environment_verifier.dag import VerifiedDAG

FORMATS = ("mermaid", "dot", "json", "png")


def render(dag: VerifiedDAG, fmt: str) -> str | bytes:
    if fmt == "json":
        return dag.to_json()
    if fmt == "mermaid":
        return mermaid(dag)
    if fmt == "dot":
        return dot(dag)
    if fmt == "png":
        return png(dag)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _ids(dag: VerifiedDAG) -> dict[str, str]:
    return {name: f"op{index}" for index, name in enumerate(sorted(dag.operations))}


def _label(verdict) -> str:
    return ", ".join(sorted({b["name"] for b in verdict.bindings}))


def mermaid(dag: VerifiedDAG) -> str:
    ids = _ids(dag)
    lines = ["flowchart LR"]
    lines += [
        f'  {ids[name]}["{_escape_mermaid(name)}"]' for name in sorted(dag.operations)
    ]
    for v in sorted(dag.verdicts, key=lambda v: (v.producer, v.consumer)):
        arrow = "-->" if v.confirmed else "-.->"
        lines.append(
            f'  {ids[v.producer]} {arrow}|"{_escape_mermaid(_label(v))}"| {ids[v.consumer]}'
        )
    return "\n".join(lines) + "\n"


def dot(dag: VerifiedDAG) -> str:
    lines = [
        "digraph dependencies {",
        "  rankdir=LR;",
        "  node [shape=box, fontname=Helvetica];",
    ]
    lines += [f"  {json.dumps(name)};" for name in sorted(dag.operations)]
    for v in sorted(dag.verdicts, key=lambda v: (v.producer, v.consumer)):
        style = "solid" if v.confirmed else "dashed"
        color = "black" if v.confirmed else "gray50"
        lines.append(
            f"  {json.dumps(v.producer)} -> {json.dumps(v.consumer)} "
            f"[label={json.dumps(_label(v))}, style={style}, color={color}];"
        )
    return "\n".join(lines + ["}"]) + "\n"


def png(dag: VerifiedDAG) -> bytes:
    binary = shutil.which("dot")
    if binary is None:
        raise RuntimeError(
            "PNG output needs Graphviz's `dot`: apt-get install graphviz (or use --format dot)"
        )
    return subprocess.run(
        [binary, "-Tpng"],
        input=dot(dag).encode(),
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout


def _escape_mermaid(text: str) -> str:
    return text.replace('"', "#quot;")
