"""Which files of a workspace changed, as the kernel saw it (Linux inotify).

A long-lived process (the background server) asks :meth:`Watch.changes` before each
command instead of stating every file. The kernel queues an event while the write,
rename or delete that causes it is still in its system call, so by the time a later
command asks, every change made before it started is in the queue: reading the queue
is as exact as a stat of every file, and costs nothing when nothing changed.

Whatever the queue cannot say exactly — it overflowed, a folder was made, moved or
removed, a watched folder went away — comes back as "unknown", and the caller stats
everything again (and starts a new watch). No threads: the queue is read when asked.
Elsewhere than Linux, or past the kernel's watch limit, there is no watch and the
caller stats every file as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

_MODIFY, _ATTRIB, _CLOSE_WRITE = 0x2, 0x4, 0x8
_MOVED_FROM, _MOVED_TO, _CREATE, _DELETE = 0x40, 0x80, 0x100, 0x200
_DELETE_SELF, _MOVE_SELF = 0x400, 0x800
_OVERFLOW, _IGNORED, _ISDIR = 0x4000, 0x8000, 0x40000000
_ONLYDIR, _DONT_FOLLOW = 0x01000000, 0x02000000
_EVENTS = (_MODIFY | _ATTRIB | _CLOSE_WRITE | _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE
           | _DELETE_SELF | _MOVE_SELF)
_UNKNOWN = _OVERFLOW | _IGNORED | _DELETE_SELF | _MOVE_SELF | _ISDIR
_HEADER = struct.Struct("iIII")  # wd, mask, cookie, length of the name


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return None


def folders(root: Path) -> Iterator[str]:
    """The folders whose entries Kept reads (relative, "" for the root): the root,
    templates/, clients/, each client folder and everything under its notes/."""
    yield ""
    yield "templates"
    yield "clients"
    try:
        clients = list(os.scandir(root / "clients"))
    except OSError:
        return
    for client in clients:
        if client.name.startswith(".") or not client.is_dir(follow_symlinks=False):
            continue
        yield f"clients/{client.name}"
        stack = [f"clients/{client.name}/notes"]
        while stack:
            here = stack.pop()
            try:
                items = list(os.scandir(root / here))
            except OSError:
                continue
            yield here
            stack += [f"{here}/{i.name}" for i in items
                      if not i.name.startswith(".") and i.is_dir(follow_symlinks=False)]


def _may_matter(name: str) -> bool:
    """A name the workspace scan could take (Kept's own temporary files and hidden
    files cannot)."""
    return not name.startswith(".") and (name.endswith((".yaml", ".md"))
                                         or ".conflict-" in name)


class Watch:
    """The changed files of one workspace since the last :meth:`changes`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._fd = -1
        self._where: dict[int, str] = {}

    def start(self) -> bool:
        """Watch every folder Kept reads; False when that cannot be done here."""
        self.close()
        libc = _libc()
        if libc is None:
            return False
        fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            return False
        self._fd = fd
        for folder in folders(self.root):
            path = os.fsencode(self.root / folder) if folder else os.fsencode(self.root)
            wd = libc.inotify_add_watch(fd, path, _EVENTS | _ONLYDIR | _DONT_FOLLOW)
            if wd >= 0:
                self._where[wd] = folder
            elif ctypes.get_errno() not in (2, 20):  # ENOENT, ENOTDIR: not there (yet)
                self.close()  # the watch limit, most likely: stat every file instead
                return False
        return True

    @property
    def active(self) -> bool:
        return self._fd >= 0

    def changes(self) -> set[str] | None:
        """The workspace-relative paths changed since last asked; None when that is not
        known exactly (then stat everything, and :meth:`start` again)."""
        if self._fd < 0:
            return None
        changed: set[str] = set()
        unknown = False
        while True:
            try:
                data = os.read(self._fd, 1 << 16)
            except BlockingIOError:
                break
            except OSError:
                self.close()
                return None
            at = 0
            while at + _HEADER.size <= len(data):
                wd, mask, _, length = _HEADER.unpack_from(data, at)
                raw = data[at + _HEADER.size : at + _HEADER.size + length].rstrip(b"\0")
                at += _HEADER.size + length
                if mask & _UNKNOWN or wd not in self._where:
                    unknown = True
                    continue
                name = os.fsdecode(raw)
                if name and _may_matter(name):
                    folder = self._where[wd]
                    changed.add(f"{folder}/{name}" if folder else name)
        return None if unknown else changed

    def close(self) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd = -1
        self._where = {}
