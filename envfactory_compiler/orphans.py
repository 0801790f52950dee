"""A child process that ends when the process that started it ends.

A build killed by a timeout, or a corpus runner killed by the kernel for
memory, must not leave its workers and sandbox servers burning a core and
holding a port: each child asks Linux for SIGKILL when its parent goes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Called in the child: SIGKILL when `parent` ends (Linux's parent-death
    signal; elsewhere nothing), or now if it already has."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
