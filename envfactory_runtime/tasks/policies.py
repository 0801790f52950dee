"""Policy suites: rules every task's trace must keep (APIGen-MT's policy checks).

A check takes a trace and answers `(passed, reason)`. A trace is a dict:
`steps` (each `name`, `arguments`, `status`, `output`, `role`, `method` and
`ids`: the id-like arguments, i.e. path parameters and every argument a
dependency edge binds, by name or body pointer) and `given` (every value
the user supplies, as text). The default suite holds for any package:

- `grounded_ids`: an id is used only after a tool output (or the user) gave it;
- `read_before_write`: an update, delete or item action touches only items an
  earlier call returned (the read that validates the write), not ids taken
  on trust from the user (the item's own key; its parents are context, and
  an upsert names the item it makes);
- `owner_consistency`: one user/owner per task (`username`, `userId`,
  `owner`, `customer_id`, ... agree across steps);
- `succeeds`: every step answered 2xx.

Users add checks in a Python file of their own, kept outside generated/
(`envc build` replaces a package's directory whole): every top-level
function named `check_*` in it joins the suite. Pass it with `--policies
FILE` (repeatable) or list files in `ENVC_POLICIES` (os.pathsep-separated).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import networkx as nx

from ..sandbox.engine import Engine
from ..pointers import find
from ..sampling.session import SessionStateManager

Check = Callable[[dict], "tuple[bool, str]"]
OWNER = re.compile(
    r"^(user(name|_?id)?|owner(_?(id|name))?|customer(_?id)?|account(_?id)?)$", re.I
)
WRITE_ROLES = ("update", "delete", "action")


@dataclass
class PolicySuite:
    """Named checks run over a trace; `violations` lists what failed."""

    name: str
    checks: list[Check] = field(default_factory=list)

    def add(self, check: Check) -> Check:
        self.checks.append(check)
        return check

    def violations(self, trace: dict) -> list[str]:
        found = []
        for check in self.checks:
            passed, reason = _verdict(check(trace))
            if not passed:
                found.append(f"{check.__name__}: {reason}")
        return found


def default_suite(name: str = "default") -> PolicySuite:
    suite = PolicySuite(name)
    for check in (grounded_ids, read_before_write, owner_consistency, succeeds):
        suite.add(check)
    return suite


def load_suite(
    paths: list[str] | tuple[str, ...] = (), name: str = "tasks"
) -> PolicySuite:
    """The default suite plus the `check_*` functions of each user file (and
    of those `ENVC_POLICIES` names)."""
    suite = default_suite(name)
    extra = [p for p in os.environ.get("ENVC_POLICIES", "").split(os.pathsep) if p]
    for path in [*paths, *extra]:
        for check in user_checks(Path(path)):
            suite.add(check)
    return suite


def user_checks(path: Path) -> list[Check]:
    """The `check_*` functions of a user's policy file, by name."""
    if not path.is_file():
        raise FileNotFoundError(f"policy file {path} does not exist")
    spec = importlib.util.spec_from_file_location(f"envc_policies_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [
        getattr(module, n)
        for n in sorted(vars(module))
        if n.startswith("check_") and callable(getattr(module, n))
    ]


# -- traces -------------------------------------------------------------------


def trace_of(
    engine: Engine, dag: nx.DiGraph, results: list[Any], given: list[str]
) -> dict:
    """The trace policies read, from executed results (`actions.Result`)."""
    steps = []
    for result in results:
        op = engine.operations.get(result.name)
        steps.append(
            {
                "name": result.name,
                "arguments": result.arguments,
                "status": result.status,
                "output": result.output,
                "role": op.role if op else "",
                "method": op.method if op else "",
                "ids": id_arguments(engine, dag, result.name, result.arguments),
                "item": own_key(op.path) if op else None,
                "upsert": bool(op and op.upsert),
            }
        )
    return {"steps": steps, "given": sorted(set(given))}


def id_arguments(
    engine: Engine, dag: nx.DiGraph, name: str, arguments: dict
) -> dict[str, Any]:
    """Path parameters and edge-bound arguments that hold a value, by name
    (body fields by their JSON pointer under the body key)."""
    op = engine.operations.get(name)
    if op is None:
        return {}
    found = {
        p.name: arguments[p.name]
        for p in op.params
        if p.location == "path" and p.name in arguments
    }
    body = arguments.get(body_key(op)) if op.body else None
    for target in SessionStateManager().targets(op, dag):
        if target.location == "body":
            value = at(body, target.name)
            if value is not None:
                found[target.name] = value
        elif target.name in arguments:
            found[target.name] = arguments[target.name]
    return found


def body_key(op: Any) -> str:
    """The tool argument that holds the body (`body`, unless a parameter has that name)."""
    key = "body"
    while key in {p.name for p in op.params}:
        key = "request_" + key
    return key


def text(value: Any) -> str:
    """A scalar as text, the way JSON writes it (`true`, not `True`)."""
    return value if isinstance(value, str) else json.dumps(value)


def scalars(value: Any) -> Iterator[str]:
    """Every scalar in a JSON value, as text (see `text`)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from scalars(item)
    elif isinstance(value, list):
        for item in value:
            yield from scalars(item)
    elif value is not None:
        yield text(value)


# -- the default checks -------------------------------------------------------


def grounded_ids(trace: dict) -> tuple[bool, str]:
    """No id the conversation never produced (tool outputs before it, or the user)."""
    found = _unproduced(trace, set(trace.get("given", ())), lambda step: True)
    if found is None:
        return True, ""
    number, step, name, value = found
    return False, (
        f"step {number} {step['name']}: {name}={value!r} was never"
        " produced by an earlier call or given by the user"
    )


def read_before_write(trace: dict) -> tuple[bool, str]:
    """A write on an item comes after a call that returned that item (its own
    key: the parents in its path are context the user gives; an upsert names
    the item it makes)."""
    found = _unproduced(
        trace,
        set(),
        lambda step: step["role"] in WRITE_ROLES
        and step["method"] != "get"
        and not step.get("upsert"),
        lambda step: [step["item"]] if step.get("item") in step["ids"] else None,
    )
    if found is None:
        return True, ""
    number, step, name, value = found
    return False, (
        f"step {number} {step['name']} writes with {name}={value!r}"
        " before any call returned it"
    )


def _unproduced(
    trace: dict,
    seen: set[str],
    applies: Callable[[dict], bool],
    checked: Callable[[dict], list[str] | None] = lambda step: None,
) -> tuple[int, dict, str, Any] | None:
    """The first id (of a step `applies` to; those `checked` names, or all)
    that neither `seen` nor an earlier step's output holds: (step number,
    step, argument, value)."""
    for number, step in enumerate(trace["steps"], 1):
        if applies(step):
            names = checked(step)
            for name, value in step["ids"].items():
                if names is not None and name not in names:
                    continue
                if not isinstance(value, (dict, list)) and text(value) not in seen:
                    return number, step, name, value
        seen.update(scalars(step["output"]))
    return None


def in_path_order(names: Any, path: str) -> tuple[str, ...]:
    """Path parameters as the template has them: parents first, the item's own key last."""
    return tuple(sorted(names, key=lambda n: path.find("{" + n + "}")))


def one_value(schema: Any) -> bool:
    """Whether a schema allows a single value (a one-member enum, a `const`)."""
    if not isinstance(schema, dict):
        return False
    enum = schema.get("enum")
    return "const" in schema or (isinstance(enum, list) and len(enum) == 1)


def own_key(path: str) -> str | None:
    """The path parameter naming the item itself: the template's last one."""
    names = re.findall(r"\{([^}]+)\}", path)
    return names[-1] if names else None


def owner_consistency(trace: dict) -> tuple[bool, str]:
    """Every user/owner named by the arguments is the same one."""
    owners: dict[str, int] = {}
    for number, step in enumerate(trace["steps"], 1):
        for value in _owner_values(step["arguments"]):
            owners.setdefault(value, number)
    if len(owners) > 1:
        named = ", ".join(f"{v!r} (step {n})" for v, n in owners.items())
        return False, f"more than one user/owner in one task: {named}"
    return True, ""


def succeeds(trace: dict) -> tuple[bool, str]:
    for number, step in enumerate(trace["steps"], 1):
        if not 200 <= step["status"] < 300:
            return False, f"step {number} {step['name']} answered {step['status']}"
    return True, ""


def _owner_values(arguments: dict) -> Iterator[str]:
    """Owner-like scalars among the arguments and the body's top-level fields."""
    for key, value in arguments.items():
        if isinstance(value, dict):
            yield from _owner_values(
                {k: v for k, v in value.items() if not isinstance(v, (dict, list))}
            )
        elif OWNER.match(key) and value not in (None, ""):
            yield str(value)


def _verdict(answer: Any) -> tuple[bool, str]:
    if isinstance(answer, tuple):
        return bool(answer[0]), str(answer[1]) if len(answer) > 1 else ""
    if isinstance(answer, str):
        return not answer, answer
    return answer is not False, "check failed"


at = find  # the value at a JSON pointer (list indices too), or None
