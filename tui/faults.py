"""Named fault points, so tests can crash or fail Kept at an exact step of a write.

The way SQLite and git test themselves: the code that writes files and commits calls
:func:`point` at each step (``write.tmp``, ``write.fsync``, ``commit.add``...), and a
test says what should happen there — the process kills itself (``kill``, a real
``SIGKILL``: no cleanup, no ``finally``) or the step fails with an ``OSError`` of a
given errno (``ENOSPC``, ``EIO``).

A test in another process sets ``KEPT_FAULT`` before starting ``kept``::

    KEPT_FAULT="write.rename=kill"            # die just before the rename
    KEPT_FAULT="write.data=ENOSPC"            # the disk is full while writing
    KEPT_FAULT="write.renamed#2=kill"         # die after the second file's rename

and a test in this process calls :func:`inject`. Without either, :func:`point` is one
check of an empty dict: nothing else happens in normal use. The points:

``write.tmp``       the temp file exists, empty
``write.partial``   half the bytes are in the temp file (a torn write)
``write.data``      every byte is written, not yet flushed to disk
``write.fsync``     before fsync of the temp file
``write.rename``    synced, before the rename over the file
``write.renamed``   after the rename, before the folder is synced
``commit.add``      the files are written, before ``git add``
``commit.commit``   staged, before ``git commit``
``commit.done``     committed, before Kept learns the commit's id (``kill`` only)
"""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

ENV = "KEPT_FAULT"

_plan: dict[str, tuple[str, int]] = {}  # point -> (action, on which hit)
_hits: dict[str, int] = {}


def parse(spec: str) -> dict[str, tuple[str, int]]:
    """``"a=kill,b#2=EIO"`` -> ``{"a": ("kill", 1), "b": ("EIO", 2)}``."""
    plan: dict[str, tuple[str, int]] = {}
    for part in spec.split(","):
        name, sep, action = part.strip().partition("=")
        if not sep:
            continue
        name, _, nth = name.partition("#")
        if action != "kill" and not isinstance(getattr(errno, action, None), int):
            raise ValueError(f"{ENV}: '{action}' is neither 'kill' nor an errno name")
        plan[name.strip()] = (action, int(nth) if nth else 1)
    return plan


def configure(env: Mapping[str, str]) -> None:
    """Read the plan from ``KEPT_FAULT`` (done once, when this module loads)."""
    _plan.clear()
    _hits.clear()
    spec = env.get(ENV, "")
    if spec:
        _plan.update(parse(spec))


@contextmanager
def inject(spec: str) -> Iterator[None]:
    """In-process faults for the duration of a ``with`` block (tests only)."""
    saved = dict(_plan), dict(_hits)
    _plan.clear()
    _hits.clear()
    _plan.update(parse(spec))
    try:
        yield
    finally:
        _plan.clear()
        _hits.clear()
        _plan.update(saved[0])
        _hits.update(saved[1])


def armed(name: str) -> bool:
    """Whether a fault waits at ``name`` (for steps that cost something to stage)."""
    return bool(_plan) and name in _plan


def point(name: str, path: object = None) -> None:
    """A step where a test may make Kept die or fail; nothing happens otherwise."""
    if not _plan or name not in _plan:
        return
    action, nth = _plan[name]
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] != nth:
        return
    if action == "kill":
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    code = getattr(errno, action)
    raise OSError(code, os.strerror(code), None if path is None else str(path))


configure(os.environ)
