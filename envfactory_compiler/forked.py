"""One function run in a forked process while the build goes on.

Structural validation and `models.py` (datamodel-code-generator and black)
are the slowest stages, and nothing waits on them until the package is
assembled: on a machine with a second core each runs in a child forked from
the build, which sees the build's memory as it was (no inputs pickled) and
sends back only its result. The child dies with the build: a build killed by
a timeout or a job scheduler must not leave it burning a core. Where there
is no second core or no fork, the function runs when its result is asked for.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
import traceback
from typing import Any, Callable, Generic, TypeVar

from .orphans import die_with_parent

T = TypeVar("T")


def can_fork() -> bool:
    return (
        os.cpu_count() or 1
    ) > 1 and "fork" in multiprocessing.get_all_start_methods()


class Forked(Generic[T]):
    """`function(*args, **kwargs)` in a child process; `result()` is its value (or its
    exception) and seconds."""

    def __init__(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> None:
        self.function = function
        self.args = args
        self.kwargs = kwargs
        self._process: Any = None
        self._pipe: Any = None
        self._outcome: tuple[bool, Any, float] | None = None

    def __enter__(self) -> "Forked[T]":
        if can_fork():
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_child,
                args=(sender, os.getpid(), self.function, self.args, self.kwargs),
                name=f"envc-{getattr(self.function, '__name__', 'worker')}",
            )
            self._process.start()
            sender.close()
            self._pipe = receiver
        return self

    def result(self) -> tuple[T, float]:
        """The function's value and the seconds it took; what it raised, raised here."""
        if self._outcome is None:
            self._outcome = (
                self._received()
                if self._process
                else _run(self.function, self.args, self.kwargs)
            )
        ok, value, seconds = self._outcome
        if not ok:
            raise value
        return value, seconds

    def _received(self) -> tuple[bool, Any, float]:
        try:
            outcome = self._pipe.recv()
        except EOFError:
            self._process.join()
            code = self._process.exitcode
            return (
                False,
                WorkerDied(f"the {self._process.name} process died (exit code {code})"),
                0.0,
            )
        self._process.join()
        return outcome

    def __exit__(self, *exc: object) -> None:
        """A worker whose result nobody asked for (the build failed first) is ended, not awaited."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._pipe.close()


class WorkerDied(RuntimeError):
    """The child ended without sending a result (killed, or out of memory)."""


def _run(
    function: Callable[..., Any], args: tuple, kwargs: dict
) -> tuple[bool, Any, float]:
    start = time.perf_counter()
    try:
        return True, function(*args, **kwargs), time.perf_counter() - start
    except Exception as exc:  # noqa: BLE001 - handed to whoever asks for the result
        return False, exc, time.perf_counter() - start


def _child(
    sender: Any, parent: int, function: Callable[..., Any], args: tuple, kwargs: dict
) -> None:
    die_with_parent(parent)
    outcome = _run(function, args, kwargs)
    try:
        sender.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:  # it cannot cross
        ok, value, seconds = outcome
        why = (
            f"its result could not be sent back: {exc}"
            if ok
            else "".join(traceback.format_exception(value)).strip()
        )
        sender.send((False, RuntimeError(why), seconds))
    sender.close()
