"""Whether a process runs: for lock and temporary files named after the process
that made them (git's ``next-index-<pid>.lock``, Kept's ``.<name>.<pid>.kept-tmp``)
and for the background server's pid file."""

from __future__ import annotations

import contextlib
import os


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs. A zombie nobody reaped does not; someone
    else's process does; where it cannot be told (not POSIX), it is taken to run."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
        return fh.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    return True  # no /proc here: kill(0) is all there is
