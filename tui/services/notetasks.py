"""Promises that live in meeting notes: numbering their task lines, and keeping the
lines in step with what the app and the command line do to them.

A note's task line is the promise's source of truth (see :mod:`tui.workspace.tasks`):
``done`` ticks its box, ``drop`` marks it ``[-]``, ``move`` rewrites its ``due:`` word,
and each writes a history line under it (``- 2026-11-24 moved from ... to ...: why``).
The first change Kept makes to a line without an id also writes its `` ^id``.

:func:`number_task_lines` is "first sight": it writes the id of every task line that
has none (the id the agenda already shows), and dates the boxes ticked by hand in an
editor (``- 2026-11-24 done``, the day Kept first saw the tick), in one commit. The
app runs it whenever it loads the workspace; ``kept sync`` and ``kept note`` run it
too. Commands that only read (agenda, check, stats, report) never write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path

from tui.core.dates import Due
from tui.core.models import HistoryEntry, Promise, PromiseStatus, Workspace
from tui.core.rules import needs_first_sight
from tui.core.slugs import derived_id
from tui.errors import EditConflict
from tui.services.actions import EditNote, Outcome, apply_writes
from tui.services.context import Session
from tui.workspace.layout import CLIENTS
from tui.workspace.tasks import TaskEdit


def note_day(ws: Workspace, promise: Promise) -> date:
    """The date of the note a task line is in: its relative due words count from it."""
    for note in ws.notes:
        if note.path == promise.path:
            return note.date
    raise EditConflict(f"{promise.path}: the note's front matter cannot be read; fix it "
                       "first (kept check)")


def taken_ids(session: Session) -> set[str]:
    """Every id written anywhere, including in records left out for their errors."""
    taken = {p.id for p in session.ws.promises if not p.pending_id}
    for result in session.loaded.files.values():
        taken.update(p.id for p in result.rejected if isinstance(p, Promise))
    return taken


def id_to_write(promise: Promise, taken: Collection[str]) -> str | None:
    """The id to write into a task line without one: the one Kept showed, unless
    that is taken (then another derived one)."""
    if not promise.pending_id:
        return None
    if promise.id not in taken:
        return promise.id
    return derived_id(f"{promise.path}\x00{promise.id}", taken)


def _base(session: Session, path: Path) -> str | None:
    result = session.loaded.files.get(path.relative_to(session.root).as_posix())
    if result is not None and result.fingerprint is not None:
        return result.fingerprint.sha256
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def note_write(session: Session, promise: Promise, *, status: PromiseStatus | None = None,
               due: Due | None = None, history: Sequence[HistoryEntry] = (),
               expect_due: Due | None = None) -> EditNote:
    """The write that changes one task line (and writes its id when it has none)."""
    path = session.root / promise.path
    edit = TaskEdit(
        promise_id=promise.id,
        note_day=note_day(session.ws, promise),
        new_id=id_to_write(promise, taken_ids(session)),
        status=status,
        due=due,
        history=tuple(history),
        expect_status=promise.status,
        expect_due=expect_due,
    )
    return EditNote(path, [edit], _base(session, path))


def unnumbered(ws: Workspace, paths: Collection[str] | None = None) -> list[Promise]:
    """Task lines still without an id, and boxes ticked by hand with no date."""
    return [p for p in ws.promises
            if (paths is None or p.path in paths) and needs_first_sight(p)]


def number_task_lines(session: Session, paths: Collection[str] | None = None,
                      ) -> Outcome | None:
    """Write the ids of task lines that have none and date the boxes ticked by hand,
    in one commit; None when there is nothing to do. ``paths`` limits it to notes."""
    planned = numbering(session, paths)
    if planned is None:
        return None
    writes, message = planned
    return apply_writes(session, writes, message)


def numbering(session: Session, paths: Collection[str] | None = None,
              ) -> tuple[list[EditNote], str] | None:
    """The writes :func:`number_task_lines` makes, and its commit message."""
    todo = unnumbered(session.ws, paths)
    if not todo:
        return None
    taken = taken_ids(session)
    today = session.clock.today
    by_file: dict[str, list[TaskEdit]] = {}
    for p in todo:
        new_id = id_to_write(p, taken)
        if new_id is not None:
            taken.add(new_id)
        history: tuple[HistoryEntry, ...] = ()
        if not p.is_open and p.closed is None:
            event = "done" if p.status is PromiseStatus.DONE else "dropped"
            history = (HistoryEntry(today, event),)
        by_file.setdefault(p.path, []).append(TaskEdit(
            promise_id=p.id, note_day=note_day(session.ws, p), new_id=new_id,
            history=history, expect_status=p.status,
        ))
    writes = [EditNote(session.root / path, edits, _base(session, session.root / path))
              for path, edits in sorted(by_file.items())]
    numbered = sum(1 for p in todo if p.pending_id)
    dated = sum(1 for p in todo if not p.is_open and p.closed is None)
    parts = []
    if numbered:
        parts.append(f"number {numbered} task line{'s' * (numbered != 1)}")
    if dated:
        parts.append(f"date {dated} ticked box{'es' * (dated != 1)}")
    where = ", ".join(sorted({_short(p.path) for p in todo}))
    return writes, f"{' and '.join(parts)} in {where}"


def _short(path: str) -> str:
    """``clients/askona/notes/2026-11-18-kickoff.md`` -> ``askona/2026-11-18-kickoff``."""
    parts = path.split("/")
    if len(parts) >= 4 and parts[0] == CLIENTS:
        return f"{parts[1]}/{parts[-1].removesuffix('.md')}"
    return path
