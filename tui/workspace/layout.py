"""Where things live in a workspace, and which files belong to it.

Every path Kept builds from a name goes through :func:`safe_path`, so nothing a
person types (or a file holds) can reach outside the workspace.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from tui.core.slugs import is_valid_slug
from tui.errors import InvalidInput, Problem, Severity, WorkspaceNotFound

KEPT_FILE = "kept.yaml"
CLIENTS = "clients"
CLIENT_FILE = "client.yaml"
PROMISES_FILE = "promises.yaml"
NOTES = "notes"
TEMPLATES = "templates"
STATE_DIR = ".kept"  # git-ignored: lock file, caches


def find_root(start: Path) -> Path | None:
    """The nearest folder upward from ``start`` that holds kept.yaml."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / KEPT_FILE).is_file():
            return folder
    return None


def resolve_root(explicit: str | os.PathLike[str] | None, env: Mapping[str, str],
                 cwd: Path) -> Path:
    """``-w``, else ``$KEPT_WORKSPACE``, else the nearest kept.yaml upward."""
    given = explicit or env.get("KEPT_WORKSPACE")
    if given:
        root = Path(given).expanduser().resolve()
        if not (root / KEPT_FILE).is_file():
            raise WorkspaceNotFound(
                f"{root} is not a Kept workspace (no {KEPT_FILE}); "
                f"create one with: kept init {given}"
            )
        return root
    found = find_root(cwd)
    if found is None:
        raise WorkspaceNotFound(
            "no Kept workspace here or above: run 'kept init DIR', "
            "pass -w DIR, or set KEPT_WORKSPACE"
        )
    return found


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def safe_path(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that would land outside ``root``."""
    if "\x00" in relative or not relative.strip():
        raise InvalidInput(f"'{relative}' is not a usable path")
    candidate = Path(relative)
    if candidate.is_absolute() or candidate.drive:
        raise InvalidInput(f"'{relative}' must be a path inside the workspace")
    full = (root / candidate).resolve()
    base = root.resolve()
    if full != base and base not in full.parents:
        raise InvalidInput(f"'{relative}' points outside the workspace")
    return full


def client_dir(root: Path, slug: str) -> Path:
    if not is_valid_slug(slug):
        raise InvalidInput(f"'{slug}' is not a client slug")
    return safe_path(root, f"{CLIENTS}/{slug}")


class Entry(NamedTuple):
    """One file Kept reads: its kind, relative path and client slug.

    A named tuple rather than a dataclass: a start makes one per file (12,000 for a
    large agency), and tuples are the cheapest thing to make."""

    kind: str  # settings | client | promises | note | conflict
    path: str
    slug: str = ""


def _inside(root: Path, entry: os.DirEntry[str]) -> bool:
    """False for a symlink that leads out of the workspace (never followed)."""
    return not entry.is_symlink() or _within(root, Path(entry.path).resolve())


def _within(root: Path, target: Path) -> bool:
    return target == root or root in target.parents


OUTSIDE = "a symlink to outside the workspace; Kept does not follow it"
StatKey = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns


def stat_key(st: os.stat_result) -> StatKey:
    """What says a file is unchanged since it was read (as git's index does)."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def scan(root: Path) -> tuple[list[Entry], list[Problem]]:
    """Every file of the workspace that Kept reads, in a stable order."""
    entries, problems, _ = scan_stat(root, stat=False)
    return entries, problems


def scan_stat(root: Path, stat: bool = True
              ) -> tuple[list[Entry], list[Problem], dict[str, StatKey | None]]:
    """:func:`scan`, and the stat key of every file found (None: it vanished).

    One directory listing per folder; conflict copies a sync left beside a file come
    back as entries of kind ``conflict``.
    """
    root = root.resolve()
    found = _Found([Entry("settings", KEPT_FILE)], stat)
    if stat:
        try:
            found.keys[KEPT_FILE] = stat_key(os.stat(root / KEPT_FILE))
        except OSError:
            found.keys[KEPT_FILE] = None
    _conflicts(root, root, "", found.add)
    _conflicts(root, root / TEMPLATES, TEMPLATES + "/", found.add)
    clients = root / CLIENTS
    try:
        folders = sorted(os.scandir(clients), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return found.entries, found.problems, found.keys
    except OSError as exc:
        found.warn(CLIENTS, f"cannot list the client folders: {exc.strerror}", Severity.ERROR)
        return found.entries, found.problems, found.keys
    for folder in folders:
        _scan_client(root, folder, found)
    return found.entries, found.problems, found.keys


def scan_client(root: Path, slug: str
                ) -> tuple[list[Entry], list[Problem], dict[str, StatKey | None]]:
    """:func:`scan_stat` of one client folder: what it gives for ``clients/SLUG``."""
    root = root.resolve()
    found = _Found([], True)
    with os.scandir(root / CLIENTS) as listing:
        for folder in listing:
            if folder.name == slug:
                _scan_client(root, folder, found)
    return found.entries, found.problems, found.keys


class _Found:
    """What a scan found: the entries, their stat keys (when it stats), problems."""

    def __init__(self, entries: list[Entry], stat: bool) -> None:
        self.entries = entries
        self.stat = stat
        self.problems: list[Problem] = []
        self.keys: dict[str, StatKey | None] = {}

    def warn(self, path: str, message: str, severity: Severity = Severity.WARNING) -> None:
        self.problems.append(Problem(path, 1, 1, severity, message))

    def add(self, entry: Entry, item: os.DirEntry[str]) -> None:
        self.entries.append(entry)
        if self.stat:
            try:
                st = item.stat()
            except OSError:
                self.keys[entry.path] = None
            else:
                self.keys[entry.path] = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _scan_client(root: Path, folder: os.DirEntry[str], found: _Found) -> None:
    """One client folder's part of :func:`scan_stat`: its entries (and their stat
    keys) added, its problems warned."""
    entries, keys, add, warn = found.entries, found.keys, found.add, found.warn
    if folder.name.startswith(".") or not folder.is_dir():
        return
    path = f"{CLIENTS}/{folder.name}"
    if not _inside(root, folder):
        warn(path, OUTSIDE)
        return
    if not is_valid_slug(folder.name):
        warn(path, f"folder name '{folder.name}' is not a slug (a-z, 0-9 and -); "
             "Kept reads it, but commands may not find it by name")
    slug = folder.name
    try:
        items = {e.name: e for e in os.scandir(folder.path)}
    except OSError as exc:
        warn(path, f"cannot list the folder: {exc.strerror}", Severity.ERROR)
        return
    client = items.get(CLIENT_FILE)
    if client is not None and client.is_file() and _inside(root, client):
        add(Entry("client", f"{path}/{CLIENT_FILE}", slug), client)
    elif client is not None and client.is_symlink():
        warn(f"{path}/{CLIENT_FILE}", _bad_link(client) + "; put the card itself here",
             Severity.ERROR)
    else:
        warn(path, f"a client folder without {CLIENT_FILE}; add one with at least 'name:'",
             Severity.ERROR)
    promises = items.get(PROMISES_FILE)
    if promises is not None and promises.is_file() and _inside(root, promises):
        add(Entry("promises", f"{path}/{PROMISES_FILE}", slug), promises)
    elif promises is not None and promises.is_symlink():
        warn(f"{path}/{PROMISES_FILE}", _bad_link(promises))
    for name in sorted(n for n in items if ".conflict-" in n):
        if _is_conflict_copy(name) and items[name].is_file(follow_symlinks=False):
            add(Entry("conflict", f"{path}/{name}", slug), items[name])
    notes = items.get(NOTES)
    if notes is None:
        return
    if notes.is_symlink() and not _inside(root, notes):
        warn(f"{path}/{NOTES}", OUTSIDE)
        return
    notes_found = _notes(root, notes.path, slug, warn)
    if not found.stat:
        entries.extend(entry for entry, _ in notes_found)
        return
    # The hot loop of every start: one stat per note, nothing else.
    for entry, item in notes_found:
        entries.append(entry)
        try:
            st = item.stat()
        except OSError:
            keys[entry[1]] = None
        else:
            keys[entry[1]] = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _bad_link(item: os.DirEntry[str]) -> str:
    return OUTSIDE if item.is_file() else "a symlink to a file that is not there"


def _is_conflict_copy(name: str) -> bool:
    return ".conflict-" in name and not name.startswith(".")


def _conflicts(root: Path, folder: Path, prefix: str,
               add: Callable[[Entry, os.DirEntry[str]], None]) -> None:
    try:
        items = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for item in items:
        if _is_conflict_copy(item.name) and item.is_file(follow_symlinks=False):
            add(Entry("conflict", prefix + item.name), item)


def _notes(root: Path, folder: str, slug: str,
           warn: Callable[[str, str], None]) -> list[tuple[Entry, os.DirEntry[str]]]:
    """The notes under a client's notes/ folder (any depth), with their directory
    entries, in path order. Strings only: this runs for every note on every start."""
    found: list[tuple[Entry, os.DirEntry[str]]] = []
    stack = [(folder, f"{CLIENTS}/{slug}/{NOTES}")]
    nested = False  # notes in sub-folders: then sort the whole list by path
    while stack:
        here, relative = stack.pop()
        try:
            items = sorted(os.scandir(here), key=_name)
        except OSError:
            continue
        for item in items:
            name = item.name
            if name[0] == ".":
                continue
            if item.is_symlink() and not _inside(root, item):
                warn(f"{relative}/{name}", OUTSIDE)
            elif name.endswith(".md") and item.is_file():
                found.append((Entry("note", f"{relative}/{name}", slug), item))
            elif item.is_dir():
                stack.append((item.path, f"{relative}/{name}"))
                nested = True
    if nested:
        found.sort(key=lambda pair: pair[0].path)
    return found


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name
