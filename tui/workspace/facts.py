"""What the checks across files need from each file, small enough to keep per file.

The checks that span files — a promise id used twice, an owner not in the team, a
``note:`` link to nowhere, a conflict copy a sync left — need only a few facts from
each file, not its records. Keeping those facts per file lets the index redo the
checks after one file changes without reading the others again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tui.core.models import By, Client, Promise, Settings
from tui.errors import InvalidInput, Problem, Severity
from tui.workspace.layout import CLIENTS, safe_path

Place = tuple[int, int]


@dataclass(frozen=True)
class Facts:
    """One file's part in the checks across files."""

    path: str
    slug: str
    kind: str
    ids: tuple[tuple[str, int, int], ...] = ()  # every promise id written in the file
    owners: tuple[tuple[str, str, int, int], ...] = ()  # (key, handle, line, col)
    links: tuple[tuple[str, int, int], ...] = ()  # promise note links


def facts_of(path: str, slug: str, kind: str, client: Client | None,
             promises: Iterable[Promise]) -> Facts:
    """The facts of one file, from all its records (the rejected ones too)."""
    ids = []
    owners: list[tuple[str, str, int, int]] = []
    links = []
    for p in promises:
        if p.id and not p.pending_id:
            ids.append((p.id, *p.at("id")))
        if p.by is By.US and p.owner:
            owners.append(("owner", p.owner, *p.at("owner")))
        if p.note:
            links.append((p.note, *p.at("note")))
    if client is not None:
        for key in ("owner", "backup"):
            handle = getattr(client, key)
            if handle:
                owners.append((key, handle, *client.at(key)))
    return Facts(path, slug, kind, tuple(ids), tuple(owners), tuple(links))


IdPlace = tuple[str, str, int, int]  # id, path, line, col
OwnerPlace = tuple[str, str, str, int, int]  # path, key, handle, line, col
LinkPlace = tuple[str, str, str, int, int]  # path, slug, note, line, col


def duplicate_ids(places: Iterable[IdPlace]) -> list[Problem]:
    """A promise id must be unique in the workspace; name every place it is used."""
    by_id: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for promise_id, path, line, col in places:
        by_id[promise_id].append((path, line, col))
    out = []
    for promise_id, found in by_id.items():
        if len(found) < 2:
            continue
        for place in found:
            others = ", ".join(f"{p}:{line}" for p, line, _ in found if (p, line) != place[:2])
            out.append(Problem(place[0], place[1], place[2], Severity.ERROR,
                               f"id '{promise_id}' is used more than once (also at {others}); "
                               "give one of them a new id"))
    return out


def owners_in_team(settings: Settings, owners: Iterable[OwnerPlace]) -> list[Problem]:
    """Client owners, backups and our promises' owners must be team handles."""
    if not settings.from_file:
        return []  # kept.yaml could not be read: its own problem says so, not every owner
    handles = {m.handle for m in settings.team}
    known = ", ".join(sorted(handles)) or "none yet: add them to kept.yaml"
    return [
        Problem(path, line, col, Severity.ERROR,
                f"{key}: '{handle}' is not in the team in kept.yaml (team: {known})")
        for path, key, handle, line, col in owners if handle not in handles
    ]


def note_links(root: Path, links: Iterable[LinkPlace], files: set[str]) -> list[Problem]:
    """A promise's ``note:`` must name a file in its client folder. ``files`` are the
    workspace's files already found, so most links cost no disk access."""
    out = []
    base = root.resolve()
    for path, slug, note, line, col in links:
        folder = f"{CLIENTS}/{slug}"
        try:
            target = safe_path(base / folder, note)
        except InvalidInput:
            out.append(Problem(path, line, col, Severity.ERROR,
                               f"note: '{note}' must be a file in {folder}/, "
                               "like notes/2026-11-20-kickoff.md"))
            continue
        relative = target.relative_to(base).as_posix()
        if relative not in files and not target.is_file():
            out.append(Problem(path, line, col, Severity.ERROR,
                               f"note: '{note}' does not exist in {folder}/"))
    return out


def cross_problems(root: Path, settings: Settings, facts: Mapping[str, Facts],
                   conflict_copies: Iterable[str]) -> list[Problem]:
    """Every problem that needs more than one file to see, from each file's facts."""
    from tui.workspace.check import conflict_problems

    every = list(facts.values())
    return [
        *duplicate_ids((i, f.path, line, col) for f in every for i, line, col in f.ids),
        *owners_in_team(settings, ((f.path, *o) for f in every for o in f.owners)),
        *note_links(root, ((f.path, f.slug, *link) for f in every for link in f.links),
                    set(facts)),
        *conflict_problems(conflict_copies),
    ]
