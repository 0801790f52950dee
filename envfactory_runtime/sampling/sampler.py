"""`TrajectorySampler`: verified multi-step trajectories from this package.

It walks the package's dependency graph (`dag.json`): the next call is
drawn among operations whose bound parameters the session can resolve
from earlier answers (calls that use a fresh answer weigh more), the rest
of each request is filled from the schemas by a seeded generator, and the
call runs against the sandbox: in process by default, over HTTP when
given the URL of a served sandbox. Trajectories come from AgentFlow-style
trees (`exploration.py`). Tree `i` has a focus operation and a start near
it (`guidance.py`); its walk favours what leads to the focus, disfavours
repeats within the tree and calls that could only use an unproven
producer's value, keeps a path that is on its way to the focus from
stopping early, and selection favours a path that reaches the focus. A
body field the schema does not require never holds a call back (it is
left out when nothing produced it). With fixtures, a path id that only
refuted edges bind (the verifier fed the consumer their value and it was
refused) is left to `given`: a seeded item's key names the item, and the
trajectory records it as given by the user. The seed of tree `i` derives
from the sampler's seed and `i`, so any worker can grow any tree and get
the same bytes.
"""

from __future__ import annotations

import random
import re
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

import networkx as nx

from ..environment import required_package
from ..sandbox.app import Sandbox, load_sandbox
from ..sandbox.catalog import Operation
from .dependencies import depth, load_dag, without_refuted
from ..sandbox.engine import as_type
from .executors import HttpExecutor, InProcessExecutor
from .guidance import Guidance
from .exploration import ExplorationOptions, Failed, Node, grow, select
from .requests import RequestBuilder
from .session import SessionStateManager, UnresolvableParameterError, leave_out
from ..pointers import parts, pointer
from ..tasks.policies import text
from ..sandbox.store import TaskState
from .trajectory import Step, Trajectory

FOLLOW_WEIGHT = 4.0  # a call that uses an earlier answer, against 1 for a producer
ISOLATED_WEIGHT = 0.5  # a call that neither uses nor produces anything
FOCUS_WEIGHT = (
    1000.0  # the tree's focus operation, once its best producers have answered
)
GUIDE_WEIGHT = (
    25.0  # an operation on the way to the focus (a producer of what it needs)
)
FALLBACK_WEIGHT = 0.25  # a call that could only use a value from an unproven producer
TREE_REPEAT = (
    0.5  # each earlier call of an operation in the same tree divides by 1 + this
)
GUIDE_SHARE = 0.9  # at least this chance that a drawn call leads to the focus
MAX_BARREN_TREES = 1000  # trees in a row without a trajectory before `sample` gives up


@dataclass
class TreeResult:
    """The trajectories selected from one tree and what happened growing it."""

    index: int
    trajectories: list[Trajectory]
    drops: Counter = field(default_factory=Counter)
    executed: int = 0
    tried: Counter = field(default_factory=Counter)  # operation -> calls made
    failed: dict[str, Counter] = field(default_factory=dict)  # operation -> statuses
    produced: set = field(default_factory=set)  # (operation, pointer) ever stored
    focus: str | None = None  # the operation this tree steers towards


class TrajectorySampler(Guidance):
    """Samples trajectories of this package's sandbox; see the module docstring."""

    package: str | None = (
        None  # `<pkg>.TrajectorySampler` sets it: whose sandbox to load
    )

    def __init__(
        self,
        sandbox: Sandbox | None = None,
        dag: nx.DiGraph | None = None,
        *,
        seed: int = 0,
        fixtures: int = 0,
        base_url: str | None = None,
        options: ExplorationOptions | None = None,
    ) -> None:
        super().__init__()
        self.sandbox = sandbox or load_sandbox(required_package(self), seed=seed)
        # where `sample` takes its trees from: grown here one by one, unless a
        # stream of the same trees grown elsewhere is given (`runs.tree_stream`)
        self.trees: Iterator[TreeResult] | None = None
        self.dag = dag if dag is not None else load_dag(self.sandbox.package)
        self.seed = seed
        self.fixtures = fixtures
        self.options = options or ExplorationOptions()
        if len(self.sandbox.engine.operations) == 1:  # one call is all a task can be
            self.options = replace(self.options, min_depth=1, max_depth=1)
        elif not self.dag.number_of_edges():  # no answer feeds another call:
            # a task is one call, or calls on the items it touched
            self.options = replace(self.options, min_depth=1)
        engine = self.sandbox.engine
        self.operations = engine.operations
        self.requests = RequestBuilder(engine)
        self.executor = (
            HttpExecutor(base_url, engine) if base_url else InProcessExecutor(engine)
        )
        self._seedable: frozenset[str] | None = None  # resources `populate` seeds
        self._body_named = frozenset(  # resources whose items RPC bodies name
            o.resource for o in self.operations.values() if o.body_keys
        )
        made = {
            self.operations[p].resource
            for p, _ in self.dag.edges()
            if self.operations[p].role == "create"
        }
        self._user_named = self._body_named - made  # no create answers the key
        if fixtures:  # a seeded item, not what a refuted edge answers, names it
            self.dag = without_refuted(self.dag, self._not_given)
        empty = SessionStateManager()
        self.order = sorted(self.operations)
        leave_out(
            self.dag,
            {
                name: [
                    t.key
                    for t in empty.targets(self.operations[name], self.dag)
                    if (
                        t.location == "body"
                        and not self.requests.requires(name, t.name)
                        and not self._addresses(name, t.name)
                    )
                    or self.requests.fixed(name, t.location, t.name)
                    or self._named_by_user(name, t)
                    or (
                        t.location == "path"
                        and (
                            self._names_new_item(name, t.name)
                            or self._free(name, t)
                            or (fixtures and self._circular(t))
                        )
                    )
                ]
                for name in self.order
            },
        )
        self.starts = [
            name
            for name in self.order
            if empty.resolvable(self.operations[name], self.dag)
        ]
        # A read-only API over a seeded state may have no start (every id comes
        # from another read): then a first call's path ids are the user's to give.
        self._given_roots: frozenset[str] = frozenset()
        if not self.starts and fixtures:
            self._given_roots = frozenset(
                name
                for name in self.order
                if all(
                    t.location == "path"
                    or t.name.lstrip("/") in self.operations[name].body_keys
                    for t in empty.targets(self.operations[name], self.dag)
                    if t.required
                )
            )
            self.starts = sorted(self._given_roots)
        self._seeded: dict[str, frozenset] = {}
        self._given: dict[int, dict[str, Any]] = {}  # id(step) -> values given
        self._buffer: deque[Trajectory] = deque()
        self._next_tree = 0
        self._result: TreeResult | None = None
        # ids the path so far sent or was answered (set by `candidates` for the
        # calls it offers; None for a root call, or the one loose step)
        self._touched: set[str] | None = None
        self._context: dict[tuple[str, str], Any] = {}  # values the path sent

    def _not_given(self, name: str, param: str) -> bool:
        """Whether `given` cannot fill path parameter `param` of `name`: no
        resource of its scopes gets seeded items, or the call makes the item."""
        engine = self.sandbox.engine
        if self._seedable is None:
            probe = TaskState(seed=self.seed)
            engine.populate(probe, self.fixtures)
            self._seedable = frozenset(n for n, items in probe.objects.items() if items)
        op = self.operations.get(name)
        return op is None or not any(
            param in params
            and resource in engine.resources
            and {resource, *engine.resources[resource].aliases} & self._seedable
            and not (op.upsert and resource == op.resource)
            for resource, params in op.scopes
        )

    def _named_by_user(self, name: str, target: Any) -> bool:
        """Whether a body field names an item of a resource no create answers
        the key of (CloudWatch Logs' `CreateLogGroup {"logGroupName": ...}`
        answers nothing): the user names the one the task made
        (`_named_before`), with no list to show it first."""
        if target.location != "body":
            return False
        op = self.operations[name]
        field = target.name.lstrip("/")
        owner = op.resource if field in op.body_keys else dict(op.references).get(field)
        return owner in self._user_named

    def _names_touched(self, op: Operation, touched: set) -> bool:
        """Whether the call names, as the user does, an item of a resource the
        path made whose create answers no key (`PutRetentionPolicy` after
        `CreateLogGroup`): it follows the path as if an answer gave the key."""
        owners = {op.resource} if op.body_keys else set()
        owners |= {resource for _, resource in op.references}
        return bool(owners & touched & self._user_named)

    def _names_new_item(self, name: str, param: str) -> bool:
        """Whether path parameter `param` is the key of the item an upsert
        makes (ARM's `PUT .../supportTickets/{supportTicketName}`): the call
        names it, so it waits for no producer; one fills it when it has answered."""
        op = self.operations[name]
        return op.upsert and any(
            resource == op.resource and params and params[-1] == param
            for resource, params in op.scopes
        )

    def _free(self, name: str, target: Any) -> bool:
        """Whether the verifier found that the operation takes any value for
        this path parameter (every edge binding it `not_selective`: Google's
        `{parent}`, a context the user names): it waits for no producer."""
        return bool(target.sources) and all(
            not s.confirmed
            and self.dag.edges[s.producer, name].get("outcome") == "not_selective"
            for s in target.sources
        )

    def _circular(self, target: Any) -> bool:
        """Whether every producer of path parameter `target` needs that very
        parameter in its own path (GitHub's `{org}`: only `GET` and `PATCH
        /orgs/{org}` answer an organization, and no call makes or lists them
        by it): then a seeded item's key, which the user gives, fills it
        instead of a producer no call can ever start."""
        return bool(target.sources) and all(
            any(
                p.name == target.name and p.location == "path"
                for p in self.operations[s.producer].params
            )
            for s in target.sources
        )

    def _addresses(self, name: str, pointer: str) -> bool:
        """Whether the body field at `pointer` names the item the operation works
        on (`PUT /api/Company` with its `CompanyID`): never left out."""
        op = self.operations[name]
        resource = self.sandbox.engine.resources.get(op.resource or "")
        return bool(resource and resource.id_field) and pointer == (
            "/" + resource.id_field
        )

    def depth(self) -> int:
        """Longest path of the verified dependency graph, in edges."""
        return depth(self.dag)

    def sample(self) -> Trajectory:
        """The next trajectory of this sampler's stream."""
        barren = 0
        while not self._buffer:
            if barren >= MAX_BARREN_TREES:
                raise RuntimeError(f"{barren} trees in a row gave no trajectory")
            tree = (
                next(self.trees)
                if self.trees is not None
                else self.explore(self._next_tree)
            )
            self._buffer.extend(tree.trajectories)
            self._next_tree += 1
            barren += 1
        return self._buffer.popleft()

    def explore(self, index: int) -> TreeResult:
        """Grow tree `index` and select its trajectories."""
        if not self.starts:
            reason = "no operation can start: every one needs a value nobody produced"
            return TreeResult(index, [], Counter({reason: 1}))
        tree_seed = f"{self.seed}:{index}"
        rng = random.Random(tree_seed)
        focus, start = self.plan(index)
        self._result = result = TreeResult(index, [], focus=focus)
        self._given = {}
        tree = grow(self, start, rng, self.options)
        chosen, dropped = select(tree, self.options, prefer=frozenset({focus}))
        result.trajectories = [
            Trajectory(
                tuple(n.step for n in path),
                index,
                tree_seed,
                score,
                tuple(
                    (number, name, value)
                    for number, n in enumerate(path)
                    for name, value in self._given.get(id(n.step), {}).items()
                ),
            )
            for path, score in chosen
        ]
        result.drops = tree.drops + dropped
        result.executed = tree.executed
        return result

    def start(self, rng: random.Random) -> tuple[TaskState, SessionStateManager]:
        self._touched = None  # the root call follows nothing
        self._context = {}
        state = TaskState(seed=rng.getrandbits(32))
        if self.fixtures:
            self.sandbox.engine.populate(state, self.fixtures)
        self._seeded = {name: frozenset(items) for name, items in state.objects.items()}
        return state, SessionStateManager()

    def given(
        self,
        op: Operation,
        state: TaskState,
        resolved: dict,
        rng: random.Random,
    ) -> dict[tuple[str, str], Any]:
        """Path parameters that neither an edge nor an earlier call's scope
        fills (a parent id no answer returns; every id of a read-only API's
        first call) are the user's to give, as tasks have them: the key of an
        item the task was seeded with and still holds, parents and all. So are
        the body fields an RPC call names its item by (`{"StreamName": ...}`)."""
        slots = {
            p.name: (("path", p.name), p.type)
            for p in op.params
            if p.location == "path"
        }
        id_type = self._id_type(op.resource)
        slots.update({k: (("body", "/" + k), id_type) for k in op.body_keys})
        known = {
            name: resolved[key] for name, (key, _) in slots.items() if key in resolved
        }
        given = self._named_before(op, state, resolved, known)
        if not self._seeded or not set(slots) - set(known):
            return given
        engine = self.sandbox.engine
        sent = {
            name: v for (where, name), v in self._context.items() if where == "path"
        }
        scopes = [(r, p, False) for r, p in op.scopes]
        if (op.role in ("list", "create") or op.upsert) and op.parent_params:
            # ARM's `{subscriptionId}` that no call produces: the one a seeded item is under
            scopes.append((op.resource, op.parent_params, True))
        for resource, params, prefix in sorted(scopes, key=lambda s: -len(s[1])):
            if not set(params) - set(known) or resource not in engine.resources:
                continue
            if op.upsert and resource == op.resource and not prefix:
                continue  # the call names the item it makes
            names = (resource,) + engine.resources[resource].aliases
            keys = sorted(
                key[: len(params)] if prefix else key[-len(params) :]
                for name in names
                for key in self._seeded.get(name, ())
                if len(key) >= len(params) + prefix
                and key in state.objects.get(name, {})
            )
            keys = _agreeing(keys, params, known)
            if not keys:
                continue
            keys = _agreeing(keys, params, sent) or keys  # the parents named before
            for param, part in zip(params, rng.choice(keys)):
                if param not in known and param in slots:
                    key, kind = slots[param]
                    known[param] = given[key] = as_type(part, kind)
        return given

    def _named_before(
        self, op: Operation, state: TaskState, resolved: dict, known: dict
    ) -> dict[tuple[str, str], Any]:
        """An RPC call's body key that no answer holds: the latest item of its
        resource the task made (CloudWatch Logs' `CreateLogGroup {"logGroupName":
        "orders"}` answers nothing; `DeleteLogGroup` then names "orders", as the
        user did). So is a body field naming such an item (`PutRetentionPolicy
        {"logGroupName": ...}`)."""
        given: dict[tuple[str, str], Any] = {}
        wanted = [(k, op.resource) for k in op.body_keys[-1:] if k not in known]
        wanted += [
            (field, resource)
            for field, resource in op.references
            if resource in self._body_named and ("body", "/" + field) not in resolved
        ]
        for field, resource in wanted:
            items = list(state.objects.get(resource or "", ()))
            if items:
                kind = self._id_type(resource)
                known[field] = given[("body", "/" + field)] = as_type(
                    items[-1][-1], kind
                )
        return given

    def _id_type(self, name: str | None) -> str:
        """The JSON type of a resource's keys."""
        resource = self.sandbox.engine.resources.get(name or "")
        return (resource.id_schema.get("type") if resource else None) or "string"

    def candidates(
        self, node: Node | None, session: SessionStateManager
    ) -> list[tuple[str, float]]:
        """Resolvable operations; those using an earlier answer weigh most, then
        the tree's focus and what leads to it; repeats in the path or the tree,
        and calls that could only use an unproven producer's value, weigh less."""
        used = Counter(n.step.operation for n in node.path()) if node else Counter()
        tried = self._result.tried
        focus = self._result.focus
        done = tuple(n.step.operation for n in node.path()) if node else ()
        wanted = self.wanted(focus, session, done) if not used[focus] else set()
        weighted: list[tuple[str, float]] = []
        loose: list[tuple[str, float]] = []  # runnable, but unconnected to the path
        following = 0  # candidates that use an earlier answer
        leads = set()
        path = node.path() if node else []
        touched = {  # resources whose items the path made or changed
            label.split("/")[0]
            for n in path
            for kind in ("created", "updated")
            for label in n.step.state_change.get(kind, ())
        }
        if session.produced:  # and those it read, when answers were kept
            touched |= {self.operations[n.step.operation].resource for n in path}
        for name in self.order:
            op = self.operations[name]
            if not session.resolvable(op, self.dag):
                continue
            follows = any(
                session.has(s.producer, s.pointer)
                for t in session.targets(op, self.dag)
                for s in t.sources
            ) or self._names_touched(op, touched)
            if op.changes_nothing and _reread(op, path, self.operations):
                continue
            if path and path[-1].step.operation == name:
                continue  # the same call again at once: padding, no new step
            if path and not (follows or _shows(op, touched)):
                loose.append((name, ISOLATED_WEIGHT))
                continue  # a step must use an earlier answer or show a touched item
            if follows:
                following += 1
                weight = FOLLOW_WEIGHT
            elif self.dag.out_degree(name):
                weight = 1.0
            else:
                weight = ISOLATED_WEIGHT
            if name == focus and not used[name]:
                ready = self.ready(name, session)
                weight *= FOCUS_WEIGHT if ready else GUIDE_WEIGHT
                leads.add(name)
            elif name in wanted and (not used[name] or self.fillers(name)):
                weight *= GUIDE_WEIGHT
                leads.add(name)
            elif not self.ready(name, session):
                weight *= FALLBACK_WEIGHT
            weight /= (1 + 2 * used[name]) * (1 + TREE_REPEAT * tried[name])
            weighted.append((name, weight))
        # what a call that uses no earlier answer must show to follow this path
        self._touched = _path_ids(path) if path else None
        self._context = _path_context(path)
        if (
            not following
            and len(path) < self.options.min_depth
            and self._dead_end(path)
        ):
            self._touched = None  # the one loose step: nothing to show
            # a call nothing follows from (a login, a report, a create that
            # answers nothing) still needs a second step to make a trajectory:
            # the one place a loose step goes
            return weighted + loose
        return _with_share(weighted, leads)

    def _dead_end(self, path: list[Node]) -> bool:
        """Whether the path's one call is the tree's focus, in the first round of
        trees, and one that no call can ever follow from (no edge reads its
        answer, and it lists nothing): it gets one tree of loose pairs."""
        name = path[-1].step.operation
        return (
            self._result.index < len(self.order)  # the first round of focuses
            and name == self._result.focus
            and self.operations[name].role != "list"
            and not self.dag.out_degree(name)
        )

    def pursuing(self, node: Node) -> bool:
        """Whether the path has yet to call the tree's focus, its last call led
        towards it (it was wanted then), and it can go on towards it now (the
        focus, or something that leads to it, can run)."""
        focus = self._result.focus
        done = tuple(n.step.operation for n in node.path())
        if focus in done:
            return False
        parent = node.parent
        if parent is not None and done[-1] not in self.wanted(
            focus, parent.session, done[:-1]
        ):
            return False
        session = node.session
        return session.resolvable(self.operations[focus], self.dag) or any(
            session.resolvable(self.operations[name], self.dag)
            for name in sorted(self.wanted(focus, session, done))
        )

    def step(
        self,
        state: TaskState,
        session: SessionStateManager,
        operation: str,
        rng: random.Random,
    ) -> tuple[Step, TaskState, SessionStateManager] | Failed:
        op = self.operations[operation]
        result = self._result
        result.tried[operation] += 1
        try:
            self.needs(operation)
            if operation in self._given_roots and not session.resolvable(op, self.dag):
                resolved = {}
            else:
                resolved = session.resolve_params(
                    op, self.dag, rng, prefer=self._prefer[operation]
                )
        except UnresolvableParameterError as exc:
            return Failed(str(exc))
        # a parameter its schema fixes takes that value, whatever answered or was seeded
        resolved = {
            k: v for k, v in resolved.items() if not self.requests.fixed(operation, *k)
        }
        given = {
            k: v
            for k, v in self.given(op, state, resolved, rng).items()
            if not self.requests.fixed(operation, *k)
        }
        carried = {  # a context parameter (an API version, a region) keeps its value
            (p.location, p.name): self._context[(p.location, p.name)]
            for p in op.params
            if p.required
            and (p.location, p.name) in self._context
            and (p.location, p.name) not in resolved
            and p.location != "path"
            and not self.requests.fixed(operation, p.location, p.name)
        }  # AWS's `X-Amz-Target` names its own operation, whatever the last one sent
        carried.update(  # and so does the ARN a body named (tagging's `resourceArn`)
            {
                key: value
                for key, value in self._context.items()
                if key[0] == "body"
                and key not in resolved
                and key not in given
                and self.requests.requires(operation, key[1])
            }
        )
        resolved = {**resolved, **given, **carried}
        unbound = tuple(
            t.name
            for t in session.targets(op, self.dag)
            if t.location == "body" and t.key not in resolved
        )
        request = self.requests.build(operation, resolved, rng, unbound=unbound)
        body_key = self.requests.body_key(operation)
        bound = tuple(
            sorted(
                pointer(body_key, *parts(name)) if location == "body" else pointer(name)
                for location, name in resolved
                if (location, name) not in given and (location, name) not in carried
            )
        )
        executed = self.executor.run(state, request)
        if not 200 <= executed.status < 300:
            result.failed.setdefault(operation, Counter())[executed.status] += 1
            return Failed(f"{operation} answered {executed.status}")
        if (
            self._touched is not None
            and not bound
            and not given
            and self._touched.isdisjoint(_ids_in(executed.body))
        ):
            return Failed(f"{operation} showed nothing the task had touched")
        after = session.fork()
        after.record(operation, executed.body, self.dag, request.params.get("path", {}))
        if op.role == "delete":
            for resource, params in op.scopes:
                if resource == op.resource and params:
                    after.forget(request.params.get("path", {}).get(params[-1]))
        result.produced.update(after.keys())
        step = Step(
            operation,
            op.method,
            request.path,
            request.arguments,
            {
                "query": request.params.get("query", {}),
                "headers": request.params.get("header", {}),
                "cookies": request.params.get("cookie", {}),
                "body": request.body,
            },
            executed.status,
            executed.body,
            executed.change,
            bound,
        )
        if given:
            self._given[id(step)] = {  # an RPC body key is said as the body is
                name: value for (at, name), value in given.items() if at == "path"
            }
        return step, executed.state, after


def _agreeing(keys: list, params: tuple, values: dict) -> list:
    """The keys whose parts agree with `values` wherever they name a parameter."""
    return [
        key
        for key in keys
        if all(str(values[p]) == part for p, part in zip(params, key) if p in values)
    ]


def _path_context(path: list[Node]) -> dict[tuple[str, str], Any]:
    """The query, header and cookie values a path's calls sent, by location
    and name (the first call's, where two differ), and the ARNs their bodies
    named at the top (an ARN names something that exists: a later call's
    `resourceArn` is the same resource's, not another one made up)."""
    sent: dict[tuple[str, str], Any] = {}
    for node in path:
        for location, key in (
            ("query", "query"),
            ("header", "headers"),
            ("cookie", "cookies"),
        ):
            for name, value in (node.step.request.get(key) or {}).items():
                sent.setdefault((location, name), value)
        body = node.step.request.get("body")
        for name, value in (body if isinstance(body, dict) else {}).items():
            if _ARN_FIELD.search(name) and isinstance(value, str):
                sent.setdefault(("body", "/" + name), value)
    return sent


_ARN_FIELD = re.compile(r"(?:^|[a-z_])(?:arn|Arn|ARN)$")


def _path_ids(path: list[Node]) -> set[str]:
    """The ids a path's calls sent and were answered."""
    found: set[str] = set()
    for node in path:
        found |= _ids_in(node.step.arguments) | _ids_in(node.step.response)
    return found


def _ids_in(value: Any, key: str = "") -> set[str]:
    """Values of id-like fields (`id`, `petId`, `slug`, `name`...) in a JSON value."""
    if isinstance(value, dict):
        return {v for k, item in value.items() for v in _ids_in(item, k)}
    if isinstance(value, list):
        return {v for item in value for v in _ids_in(item, key)}
    lowered = key.lower()
    if isinstance(value, bool) or value is None or value == "":
        return set()
    if lowered in _ID_KEYS or lowered.endswith("id"):
        return {text(value)}
    return set()


_ID_KEYS = frozenset(("id", "uuid", "slug", "username", "key", "name"))


def _shows(op: Operation, touched: set) -> bool:
    """Whether a call with no earlier value to use still shows an item the task
    touched: a list of a resource an earlier call created, read or changed."""
    return op.role == "list" and op.resource is not None and op.resource in touched


def _reread(op: Operation, path: list[Node], operations: dict) -> bool:
    """Whether `op` (or another list of the same items) already ran on this
    path with nothing written since: a second read says nothing new."""
    for node in reversed(path):
        earlier = operations[node.step.operation]
        if earlier.name == op.name or (
            op.role == earlier.role == "list" and op.resource == earlier.resource
        ):
            return True
        if node.step.writes or not earlier.changes_nothing:
            return False
    return False


def _with_share(weighted: list[tuple[str, float]], leads: set) -> list:
    """Scale up the calls that lead to the focus so that, together, they are
    drawn with at least `GUIDE_SHARE` chance however many other calls can run."""
    led = sum(w for name, w in weighted if name in leads)
    rest = sum(w for name, w in weighted if name not in leads)
    if not led or not rest:
        return weighted
    factor = GUIDE_SHARE / (1 - GUIDE_SHARE) * rest / led
    if factor <= 1:
        return weighted
    return [(name, w * factor if name in leads else w) for name, w in weighted]
