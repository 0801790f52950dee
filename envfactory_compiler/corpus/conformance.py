"""Serve a built package and run Schemathesis (`--checks all`) against it.

The sandbox runs as `python -m <package> serve` on 127.0.0.1; Schemathesis
reads the bundled spec, sends the sandbox's credential for every header
security scheme (as a user would configure it) and writes its JSON report,
from which the failures by check are read, and its JUnit report, which names
the operation behind each of Schemathesis's own errors.

A spec of more than `BATCH` operations is tested a batch at a time, each
batch against a fresh sandbox: one sandbox fuzzed with every operation of a
large API fills up (Kubernetes: Schemathesis's creates piled up until each
list answered thousands of items, and 845 operations did not finish in 28
minutes).
"""

from __future__ import annotations

import json
import socket
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

from ..sandbox_credentials import by_location
from . import processes


@dataclass(frozen=True)
class ConformanceOutcome:
    ran: bool
    served: int = 0  # operations Schemathesis exercised without an error of its own
    failures: dict[str, int] = field(
        default_factory=dict
    )  # check title -> unique failures
    findings: tuple[
        str, ...
    ] = ()  # "OPERATION: check title" and "OPERATION: Schemathesis error: message"
    note: str = ""  # why it did not run or did not complete


BATCH = 100  # operations one Schemathesis run tests against one fresh sandbox


def check(
    project: Path,
    work: Path,
    *,
    max_examples: int,
    seed: int,
    timeout: float,
    batch: int = BATCH,
) -> ConformanceOutcome:
    """Serve `project` and test it (a batch of operations at a time when it has
    more than `batch`; `timeout` is shared among them by size, a batch taking
    up to twice its share and what one leaves over going to the rest); every
    server is stopped whatever happens."""
    spec = project / project.name / "openapi.json"
    document = json.loads(spec.read_text(encoding="utf-8"))
    names = operation_names(document)
    work.mkdir(parents=True, exist_ok=True)
    if len(names) <= batch:
        return _check(project, work, spec, document, (), max_examples, seed, timeout)
    parts = []
    deadline = time.monotonic() + timeout
    for start in range(0, len(names), batch):
        chosen = names[start : start + batch]
        part = work / f"operations-{start + 1}-{start + len(chosen)}"
        part.mkdir(exist_ok=True)
        left = max(deadline - time.monotonic(), 1.0)
        fair = left * len(chosen) / (len(names) - start)
        # up to twice its fair share, leaving the rest at least half theirs
        # (Kubernetes' first 100 operations need 450 s, the next 100 180 s)
        share = min(2 * fair, (left + fair) / 2)
        parts.append(
            (
                part.name,
                _check(
                    project, part, spec, document, chosen, max_examples, seed, share
                ),
            )
        )
    return _merged(parts)


def operation_names(document: dict) -> list[str]:
    """Schemathesis's name of each operation (`GET /pets/{petId}`), in the document's order."""
    return [
        f"{method.upper()} {path}"
        for path, item in (document.get("paths") or {}).items()
        for method in (item or {})
        if method
        in ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    ]


def _merged(parts: list[tuple[str, ConformanceOutcome]]) -> ConformanceOutcome:
    """One outcome of the batches: what ran, summed; a note for each batch that did not finish."""
    failures: dict[str, int] = {}
    for _, outcome in parts:
        for title, count in outcome.failures.items():
            failures[title] = failures.get(title, 0) + count
    return ConformanceOutcome(
        any(outcome.ran for _, outcome in parts),
        sum(outcome.served for _, outcome in parts),
        failures,
        tuple(sorted({f for _, outcome in parts for f in outcome.findings})),
        "; ".join(f"{name}: {outcome.note}" for name, outcome in parts if outcome.note),
    )


def _check(
    project: Path,
    work: Path,
    spec: Path,
    document: dict,
    names: tuple[str, ...] | list[str],
    max_examples: int,
    seed: int,
    timeout: float,
) -> ConformanceOutcome:
    """One Schemathesis run (of the operations `names`, or all) against a fresh sandbox."""
    port = _free_port()
    server = processes.start(
        [processes.python(), "-m", project.name, "serve", "--port", str(port)],
        log=work / "serve.log",
        env={"PYTHONPATH": str(project)},
    )
    try:
        if not _ready(port, server, deadline=60):
            return ConformanceOutcome(
                False, note="the sandbox did not start: " + _tail(work / "serve.log")
            )
        report, junit = work / "schemathesis.json", work / "schemathesis.xml"
        finished = processes.run(
            [
                processes.python(),
                "-m",
                "schemathesis.cli",
                "run",
                str(spec),
                "--url",
                f"http://127.0.0.1:{port}{base_path(document)}",
                "--checks",
                "all",
                "--max-examples",
                str(max_examples),
                "--seed",
                str(seed),
                "--request-timeout",
                "10",
                "--report",
                "json,junit",
                "--report-json-path",
                str(report),
                "--report-junit-path",
                str(junit),
                *credentials(project),
                *(arg for name in names for arg in ("--include-name", name)),
            ],
            log=work / "schemathesis.log",
            timeout=timeout,
            env={
                "SCHEMATHESIS_HOOKS": str(
                    Path(__file__).with_name("schemathesis_hooks.py")
                ),
                "ENVC_FILE_MEDIA_TYPES": ",".join(file_media_types(document)),
            },
            cwd=work,
        )
    finally:
        processes.stop(server)
    written = _report(report)
    if written is None:
        why = (
            f"timed out after {timeout:.0f} s"
            if finished.timed_out
            else _tail(work / "schemathesis.log")
        )
        return ConformanceOutcome(False, note="schemathesis wrote no report: " + why)
    return _outcome(written, _errors(junit))


def file_media_types(document: dict) -> list[str]:
    """The request media types whose bodies are files (a binary string, or no
    schema at all) that Schemathesis cannot serialise, sorted."""
    from schemathesis.transport.requests import REQUESTS_TRANSPORT

    found = set()
    for item in (document.get("paths") or {}).values():
        for operation in (item or {}).values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            content = body.get("content") if isinstance(body, dict) else None
            for media_type, media in (content or {}).items():
                schema = (media or {}).get("schema") or {}
                if (
                    schema.get("format") in (None, "binary")
                    and schema.get("type") in (None, "string")
                    and not set(schema) - {"type", "format", "description"}
                    and REQUESTS_TRANSPORT.get_first_matching_media_type(media_type)
                    is None
                ):
                    found.add(media_type)
    return sorted(found)


def _report(path: Path) -> dict | None:
    """Schemathesis's JSON report, None when it wrote none or was stopped
    while writing it (it opens the file before the run: a killed run leaves
    it empty)."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def _outcome(report: dict, errors: tuple[str, ...] = ()) -> ConformanceOutcome:
    operations = report.get("operations") or {}
    failures = {
        f["title"]: int(f.get("count", 1)) for f in report.get("failures") or []
    }
    findings = [
        f"{operation}: {failure['title']}"
        for failure in report.get("failures") or []
        for operation in failure.get("operations") or ()
    ]
    if report.get("errors"):
        failures["Schemathesis errors"] = len(report["errors"])
    note = (
        ""
        if report.get("complete", True)
        else f"incomplete: {report.get('stop_reason')}"
    )
    served = int(operations.get("tested", 0)) - int(operations.get("errored", 0))
    return ConformanceOutcome(
        True, served, failures, tuple(sorted({*findings, *errors})), note
    )


def _errors(junit: Path) -> tuple[str, ...]:
    """`OPERATION: Schemathesis error: message` for each operation the tool itself
    failed on (its JUnit test cases are operations; an error's text opens with
    its title, then the message)."""
    if not junit.is_file():
        return ()
    found = set()
    for case in ET.parse(junit).iter("testcase"):
        for error in case.iter("error"):
            lines = [
                line.strip()
                for line in (error.text or error.get("message") or "").splitlines()
                if line.strip()
            ]
            message = (
                lines[1] if len(lines) > 1 else (lines[0] if lines else "no message")
            )
            found.add(f"{case.get('name')}: Schemathesis error: {message[:200]}")
    return tuple(sorted(found))


def base_path(document: dict) -> str:
    """The first server's path, its `{variables}` at their defaults (as Connexion serves it)."""
    server = (document.get("servers") or [{}])[0] or {}
    url = str(server.get("url", "/"))
    for name, variable in (server.get("variables") or {}).items():
        url = url.replace("{" + name + "}", str((variable or {}).get("default", "")))
    return (urlparse(url).path if "//" in url else url).rstrip("/")


def credentials(project: Path) -> list[str]:
    """`-H` options carrying the sandbox's credential for every header scheme of
    the package (its credentials table, the one the sandbox checks)."""
    table = json.loads(
        (project / project.name / "operations.json").read_text(encoding="utf-8")
    )
    headers = by_location(table.get("credentials", {}).values())["header"]
    return [
        arg
        for name, value in sorted(headers.items())
        for arg in ("-H", f"{name}: {value}")
    ]


def _ready(port: int, server, *, deadline: float) -> bool:
    stop_at = time.monotonic() + deadline
    while time.monotonic() < stop_at:
        try:
            httpx.get(f"http://127.0.0.1:{port}/_sandbox/tasks/probe/state", timeout=1)
            return True
        except httpx.TransportError:
            if server.poll() is not None:
                return False
            time.sleep(0.2)
    return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tail(log: Path, chars: int = 400) -> str:
    text = (
        log.read_text(encoding="utf-8", errors="replace").strip()
        if log.is_file()
        else ""
    )
    return " ".join(text[-chars:].splitlines())
