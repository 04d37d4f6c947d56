"""Where things live in a workspace, and which files belong to it.

Every path Kept builds from a name goes through :func:`safe_path`, so nothing a
person types (or a file holds) can reach outside the workspace.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class Entry:
    """One file Kept reads: its kind, relative path and client slug."""

    kind: str  # settings | client | promises | note
    path: str
    slug: str = ""


def _inside(root: Path, entry: os.DirEntry[str]) -> bool:
    """False for a symlink that leads out of the workspace (never followed)."""
    return not entry.is_symlink() or _within(root, Path(entry.path).resolve())


def _within(root: Path, target: Path) -> bool:
    return target == root or root in target.parents


def scan(root: Path) -> tuple[list[Entry], list[Problem]]:
    """Every file of the workspace that Kept reads, in a stable order."""
    root = root.resolve()
    entries = [Entry("settings", KEPT_FILE)]
    problems: list[Problem] = []

    def warn(path: str, message: str, severity: Severity = Severity.WARNING) -> None:
        problems.append(Problem(path, 1, 1, severity, message))

    clients = root / CLIENTS
    try:
        folders = sorted(os.scandir(clients), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return entries, problems
    except OSError as exc:
        warn(CLIENTS, f"cannot list the client folders: {exc.strerror}", Severity.ERROR)
        return entries, problems
    for folder in folders:
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        path = f"{CLIENTS}/{folder.name}"
        if not _inside(root, folder):
            warn(path, "a symlink to outside the workspace; Kept does not follow it")
            continue
        if not is_valid_slug(folder.name):
            warn(path, f"folder name '{folder.name}' is not a slug (a-z, 0-9 and -); "
                 "Kept reads it, but commands may not find it by name")
        slug = folder.name
        if (Path(folder.path) / CLIENT_FILE).is_file():
            entries.append(Entry("client", f"{path}/{CLIENT_FILE}", slug))
        else:
            warn(path, f"a client folder without {CLIENT_FILE}; add one with at least 'name:'",
                 Severity.ERROR)
        if (Path(folder.path) / PROMISES_FILE).is_file():
            entries.append(Entry("promises", f"{path}/{PROMISES_FILE}", slug))
        entries.extend(_notes(root, Path(folder.path) / NOTES, slug, warn))
    return entries, problems


def _notes(root: Path, folder: Path, slug: str,
           warn: Callable[[str, str], None]) -> list[Entry]:
    found: list[Entry] = []
    if folder.is_symlink() and not _within(root, folder.resolve()):
        warn(rel(root, folder), "a symlink to outside the workspace; Kept does not follow it")
        return found
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            items = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        for item in items:
            if item.name.startswith("."):
                continue
            if not _inside(root, item):
                warn(rel(root, Path(item.path)),
                     "a symlink to outside the workspace; Kept does not follow it")
            elif item.is_dir():
                stack.append(Path(item.path))
            elif item.name.endswith(".md") and item.is_file():
                found.append(Entry("note", rel(root, Path(item.path)), slug))
    return sorted(found, key=lambda e: e.path)
