"""Checks that need more than one file: ids across the workspace, owners against the
team, note links against the disk.

Each check is a plain function ``(root, workspace) -> list[Problem]`` in
:data:`CHECKS`, in the manner of Beancount's validations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from tui.core.models import By, Workspace
from tui.errors import InvalidInput, Problem, Severity
from tui.workspace.layout import CLIENTS, safe_path

Check = Callable[[Path, Workspace], list[Problem]]


def duplicate_ids(root: Path, ws: Workspace) -> list[Problem]:
    """A promise id must be unique in the workspace; name every place it is used."""
    places = defaultdict(list)
    for p in ws.promises:
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


CHECKS: list[Check] = [duplicate_ids, owners_in_team, note_links]


def cross_checks(root: Path, ws: Workspace) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(root, ws)]
