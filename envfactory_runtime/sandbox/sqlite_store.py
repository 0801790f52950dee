"""A `StateStore` that writes through to SQLite, so a restarted server loses nothing.

Reads are served from memory as before; every change (a task's state, a
trace entry, a project, a deletion) is committed before the request that
made it is answered. WAL with `synchronous=NORMAL`: a committed write
survives the server being killed (what `--store sqlite:PATH` promises),
though not necessarily a power cut. One connection, guarded by a lock,
because `SandboxServer` serves from a thread while its owner calls in.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any, Callable

from .store import StateStore, TaskState

_SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (project_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY, project_id TEXT, state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS trace (
    task_id TEXT NOT NULL, seq INTEGER NOT NULL, entry TEXT NOT NULL,
    PRIMARY KEY (task_id, seq)
);
"""
_SAVE_STATE = (
    "INSERT INTO tasks (task_id, project_id, state) VALUES (?, ?, ?)"
    " ON CONFLICT (task_id) DO UPDATE SET"
    " project_id = excluded.project_id, state = excluded.state"
)


class SqliteStore(StateStore):
    """Every task's state and trace, and every project, kept in one SQLite file."""

    def __init__(
        self,
        path: str,
        seed: int = 0,
        populate: Callable[[TaskState], None] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(seed=seed, populate=populate, **options)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._load()

    def _load(self) -> None:
        rows = self._db.execute("SELECT project_id FROM projects ORDER BY rowid")
        self.projects = {project_id: [] for (project_id,) in rows}
        rows = self._db.execute(
            "SELECT task_id, project_id, state FROM tasks ORDER BY rowid"
        )
        for task_id, project_id, state in rows:
            self.tasks[task_id] = TaskState.from_snapshot(json.loads(state))
            self._trace(task_id)
            if project_id is not None:
                self.projects.setdefault(project_id, []).append(task_id)
                self.owners[task_id] = project_id
        rows = self._db.execute(
            "SELECT task_id, entry FROM trace ORDER BY task_id, seq"
        )
        for task_id, entry in rows:
            if task_id in self.traces:
                self.traces[task_id].append(entry)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _transaction(self, *statements: tuple[str, tuple[Any, ...]]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for sql, params in statements:
                    self._db.execute(sql, params)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _state_row(self, task_id: str) -> tuple[str, tuple[Any, ...]]:
        state = json.dumps(self.tasks[task_id].snapshot(), separators=(",", ":"))
        return _SAVE_STATE, (task_id, self.project_of(task_id), state)

    def _persist_state(self, task_id: str) -> None:
        self._transaction(self._state_row(task_id))

    def _persist_entry(self, task_id: str, seq: int, text: str, changed: bool) -> None:
        statements = [
            (
                "INSERT INTO trace (task_id, seq, entry) VALUES (?, ?, ?)",
                (task_id, seq, text),
            )
        ]
        if changed:
            statements.append(self._state_row(task_id))
        self._transaction(*statements)

    def _persist_project(self, project_id: str) -> None:
        self._transaction(
            ("INSERT INTO projects (project_id) VALUES (?)", (project_id,))
        )

    def _persist_drop(self, task_id: str) -> None:
        self._transaction(
            ("DELETE FROM tasks WHERE task_id = ?", (task_id,)),
            ("DELETE FROM trace WHERE task_id = ?", (task_id,)),
        )


def open_store(
    spec: str,
    *,
    seed: int,
    populate: Callable[[TaskState], None] | None,
    **options: Any,
) -> StateStore:
    """The store a `--store` value names: `memory` (default) or `sqlite:PATH`
    (`options`: `StateStore`'s, such as `trace_limit`)."""
    kind, _, path = spec.partition(":")
    if kind == "memory" and not path:
        return StateStore(seed=seed, populate=populate, **options)
    if kind == "sqlite" and path:
        return SqliteStore(path, seed=seed, populate=populate, **options)
    raise ValueError(f"--store: expected 'memory' or 'sqlite:PATH', got {spec!r}")
