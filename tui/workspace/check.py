"""Checks that need more than one file: ids across the workspace, owners against the
team, note links against the disk, and the conflict copies a sync left to look at.

Each check is a plain function ``(root, workspace) -> list[Problem]`` in
:data:`CHECKS`, in the manner of Beancount's validations.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from tui.core.models import By, Workspace
from tui.errors import InvalidInput, Problem, Severity
from tui.workspace.layout import CLIENTS, TEMPLATES, safe_path
from tui.workspace.secrets import secrets_in_records

Check = Callable[[Path, Workspace], list[Problem]]


def duplicate_ids(root: Path, ws: Workspace) -> list[Problem]:
    """A promise id must be unique in the workspace — in promises.yaml files and in
    notes' task lines alike; name every place it is used. (A task line's id that is
    not written yet is Kept's to choose, and it picks a free one when it writes it.)"""
    places = defaultdict(list)
    for p in ws.promises:
        if not p.pending_id:
            places[p.id].append(p)
    out = []
    for promise_id, found in places.items():
        if len(found) < 2 or not promise_id:
            continue
        for p in found:
            others = ", ".join(f"{o.path}:{o.at('id')[0]}" for o in found if o is not p)
            out.append(Problem(p.path, *p.at("id"), Severity.ERROR,
                               f"id '{promise_id}' is used more than once (also at {others}); "
                               "give one of them a new id"))
    return out


def owners_in_team(root: Path, ws: Workspace) -> list[Problem]:
    """Client owners, backups and our promises' owners must be team handles."""
    if not ws.settings.from_file:
        return []  # kept.yaml could not be read: its own problem says so, not every owner
    handles = {m.handle for m in ws.settings.team}
    known = ", ".join(sorted(handles)) or "none yet: add them to kept.yaml"
    out = []

    def unknown(path: str, at: tuple[int, int], key: str, handle: str) -> None:
        out.append(Problem(path, *at, Severity.ERROR,
                           f"{key}: '{handle}' is not in the team in kept.yaml "
                           f"(team: {known})"))

    for client in ws.clients.values():
        for key in ("owner", "backup"):
            handle = getattr(client, key)
            if handle and handle not in handles:
                unknown(client.path, client.at(key), key, handle)
    for p in ws.promises:
        if p.by is By.US and p.owner and p.owner not in handles:
            unknown(p.path, p.at("owner"), "owner", p.owner)
    return out


def note_links(root: Path, ws: Workspace) -> list[Problem]:
    """A promise's ``note:`` must name a file in its client folder."""
    out = []
    for p in ws.promises:
        if not p.note:
            continue
        folder = root / CLIENTS / p.client
        try:
            target = safe_path(folder, p.note)
        except InvalidInput:
            out.append(Problem(p.path, *p.at("note"), Severity.ERROR,
                               f"note: '{p.note}' must be a file in {CLIENTS}/{p.client}/, "
                               "like notes/2026-11-20-kickoff.md"))
            continue
        if not target.is_file():
            out.append(Problem(p.path, *p.at("note"), Severity.ERROR,
                               f"note: '{p.note}' does not exist in {CLIENTS}/{p.client}/"))
    return out


#: ``promises.conflict-1a2b3c4.yaml``: the other side's version of a file that a sync
#: could not merge line by line, kept beside the local one (see tui.vcs.merge).
CONFLICT_COPY_RE = re.compile(r"^(?P<stem>.+)\.conflict-[0-9a-f]{7,40}(?:-\d+)?(?P<ext>\.[^.]*)?$")


def conflict_original(name: str) -> str | None:
    """The file a conflict copy belongs beside (``kickoff.md``), or None."""
    m = CONFLICT_COPY_RE.match(name)
    return None if m is None else m["stem"] + (m["ext"] or "")


def conflict_copies(root: Path, ws: Workspace) -> list[Problem]:
    """Every conflict copy is an error until a person merges it and deletes it."""
    found = {n.path for n in ws.notes if conflict_original(n.path.rsplit("/", 1)[-1])}
    folders = [root, root / TEMPLATES]
    with contextlib.suppress(OSError):
        folders.extend(Path(e.path) for e in os.scandir(root / CLIENTS)
                       if e.is_dir(follow_symlinks=False) and not e.name.startswith("."))
    for folder in folders:
        try:
            names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
        except OSError:
            continue
        for name in names:
            if conflict_original(name):
                found.add((folder / name).relative_to(root).as_posix())
    return conflict_problems(found)


def conflict_problems(paths: Iterable[str]) -> list[Problem]:
    """The error each conflict copy (``kickoff.conflict-1a2b3c4.md``) stands for."""
    out = []
    for path in sorted(set(paths)):
        parent, _, name = path.rpartition("/")
        original_name = conflict_original(name)
        if original_name is None:
            continue
        original = f"{parent}/{original_name}" if parent else original_name
        out.append(Problem(path, 1, 1, Severity.ERROR,
                           f"conflict: the other side's version of {original}, which a sync "
                           "could not merge with yours; copy what you need into "
                           f"{original}, then delete this file"))
    return out


CHECKS: list[Check] = [duplicate_ids, owners_in_team, note_links, conflict_copies,
                       secrets_in_records]


def cross_checks(root: Path, ws: Workspace) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(root, ws)]
