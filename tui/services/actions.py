"""The changes a person makes: add, done, move, drop, touch, note.

Each use case turns a request into file writes (YAML edits that keep the rest of the
file byte for byte, or new files), writes them atomically under the workspace lock,
and commits exactly those files with a message that says what happened. If the commit
fails the files are put back as they were: an action happens entirely or not at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import unicodedata
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tui.core.dates import Cadence, Due, parse_when
from tui.core.models import (
    PROMISE_ORDER,
    By,
    ClientStatus,
    HistoryEntry,
    Kind,
    NoteKind,
    Promise,
    PromiseStatus,
)
from tui.core.rules import format_money, next_occurrence
from tui.core.slugs import derived_id, new_id, slugify, unique_slug
from tui.errors import EditConflict, InvalidInput, KeptError, NotFound
from tui.services.context import Session
from tui.vcs.git import Commit
from tui.workspace import notes as notes_mod
from tui.workspace import secrets
from tui.workspace.edit import (
    AnyOp,
    Append,
    Op,
    SetKey,
    Where,
    atomic_write,
    edit_file,
    workspace_lock,
)
from tui.workspace.layout import (
    CLIENT_FILE,
    CLIENTS,
    NOTES,
    PROMISES_FILE,
    TEMPLATES,
    client_dir,
    rel,
    safe_path,
)
from tui.workspace.tasks import TaskEdit, edit_note
from tui.workspace.yamlio import Flow, FlowList, render_block

CLIENT_ORDER = (
    "name", "status", "owner", "backup", "since", "services", "channel", "touch", "report",
    "contacts", "billing", "tags",
)  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """What an action did: the message (also the commit message) and what it made."""

    message: str
    paths: tuple[Path, ...]
    commit: Commit | None
    value: str = ""  # the new slug, id or note path, for the CLI to print
    warnings: tuple[str, ...] = ()
    # For undo: each file's bytes before (None: it did not exist) and its hash after.
    before: tuple[tuple[Path, bytes | None], ...] = ()
    after: tuple[tuple[Path, str | None], ...] = ()


# --- writing and committing ----------------------------------------------------------


@dataclass(frozen=True)
class EditYaml:
    path: Path
    ops: Sequence[AnyOp]
    base_sha256: str | None = None


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str


@dataclass(frozen=True)
class PutFile:
    """A whole file's new bytes, over whatever is there."""

    path: Path
    data: bytes


@dataclass(frozen=True)
class DeleteFile:
    path: Path


@dataclass(frozen=True)
class EditNote:
    """Changes to task lines of a note (see :mod:`tui.workspace.tasks`): re-applied to
    the note as it is at write time, like :class:`EditYaml`."""

    path: Path
    edits: Sequence[TaskEdit]
    base_sha256: str | None = None


Write = EditYaml | NewFile | PutFile | DeleteFile | EditNote


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _sha(path: Path) -> str | None:
    data = _read(path)
    return None if data is None else hashlib.sha256(data).hexdigest()


def _put_back(saved: Sequence[tuple[Path, bytes | None]]) -> None:
    for path, data in reversed(saved):
        if data is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, data)


@dataclass
class _Undo:
    saved: list[tuple[Path, bytes | None]] = field(default_factory=list)

    def remember(self, path: Path) -> None:
        self.saved.append((path, _read(path)))

    def restore(self) -> None:
        """Best effort, file by file: one that cannot be put back (the disk is full)
        does not stop the others, and a file that is as it was is not touched."""
        for path, data in reversed(self.saved):
            with contextlib.suppress(OSError, KeptError):
                if _read(path) != data:
                    _put_back([(path, data)])


def apply_writes(session: Session, writes: Sequence[Write], message: str,
                 value: str = "") -> Outcome:
    """Write every file, then commit them together; on any failure, undo the writes."""
    root = session.root
    warnings: list[str] = []
    undo = _Undo()
    with workspace_lock(session.state_dir):
        try:
            for w in writes:
                _inside(root, w.path)
                undo.remember(w.path)
                if isinstance(w, NewFile):
                    if w.path.exists():
                        raise InvalidInput(f"{rel(root, w.path)} already exists")
                    w.path.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write(w.path, w.text.encode("utf-8"))
                elif isinstance(w, PutFile):
                    atomic_write(w.path, w.data)
                elif isinstance(w, DeleteFile):
                    w.path.unlink(missing_ok=True)
                else:
                    if isinstance(w, EditNote):
                        written = edit_note(w.path, w.edits, w.base_sha256, rel(root, w.path))
                    else:
                        written = edit_file(w.path, w.ops, w.base_sha256, rel(root, w.path))
                    if written.reapplied:
                        warnings.append(f"{rel(root, w.path)} had changed on disk; "
                                        "the change was applied on top of it")
            paths = tuple(w.path for w in writes)
            commit = _commit(session, paths, message, warnings)
        except BaseException:
            undo.restore()
            raise
        after = tuple((p, _sha(p)) for p in paths)
    session.invalidate()
    return Outcome(message, paths, commit, value, tuple(warnings), tuple(undo.saved), after)


def _inside(root: Path, path: Path) -> None:
    """Refuse a write that a symbolic link would carry out of the workspace."""
    try:
        safe_path(root, rel(root, path))
    except (InvalidInput, ValueError):
        raise InvalidInput(f"{path} leads outside the workspace (through a symbolic "
                           "link); Kept does not write there") from None


def undo(session: Session, outcome: Outcome) -> Outcome:
    """Take an action back: its files return to what they were, in a new commit.

    Refused when something came after it — another commit, or an edit to one of its
    files — since undoing then would throw that away.
    """
    if not outcome.before:
        raise InvalidInput("there is nothing to undo")
    root = session.root
    warnings: list[str] = []
    with workspace_lock(session.state_dir):
        repo = session.repo
        if outcome.commit is not None and repo is not None and (
            repo.head() != outcome.commit.sha
        ):
            raise InvalidInput(f"cannot undo '{outcome.message}': other commits came after it")
        for path, sha in outcome.after:
            if _sha(path) != sha:
                raise EditConflict(f"cannot undo: {rel(root, path)} changed after "
                                   f"'{outcome.message}'; undo would overwrite that")
        redo = _Undo([(p, _read(p)) for p, _ in outcome.before])
        message = f"undo: {outcome.message}"
        try:
            _put_back(outcome.before)
            commit = _commit(session, outcome.paths, message, warnings)
        except BaseException:
            redo.restore()
            raise
    session.invalidate()
    return Outcome(message, outcome.paths, commit, "", tuple(warnings))


def _commit(session: Session, paths: Sequence[Path], message: str,
            warnings: list[str]) -> Commit | None:
    repo = session.repo
    if repo is None:
        warnings.append("this workspace is not a git repository: nothing was "
                        "committed (git init it to keep history and sync)")
        return None
    secrets.refuse_new(session.root, paths, session.env, repo.committed,
                       "Kept did not commit it, and did not make the change")
    commit = repo.commit(paths, message)
    if commit.fallback_identity:
        warnings.append("git does not know your name (git config user.email); "
                        "committed as Kept <kept@localhost>")
    return commit


def _base(session: Session, path: Path) -> str | None:
    return session.fingerprint(path)


def _subject(text: str, limit: int = 72) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "…"


def _folded(name: str) -> str:
    """A name as compared for duplicates: one Unicode form (a name typed on a Mac may
    come decomposed: И + ◌̆ for Й), any case."""
    return unicodedata.normalize("NFC", name).casefold()


def _no_nul(text: str, what: str) -> str:
    """Text for a Markdown body: a NUL would make a file no editor (and no Kept) reads."""
    if "\x00" in text:
        raise InvalidInput(f"{what} holds a NUL character; type it again without it")
    return text


def _required(text: str, what: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(f"{what} cannot be empty")
    return cleaned


def _choice(enum_cls: Any, value: str, what: str) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        allowed = " | ".join(e.value for e in enum_cls)
        raise InvalidInput(f"{what} '{value}' is not one of {allowed}") from None


def _when(session: Session, text: str) -> Due:
    try:
        return parse_when(text, session.clock)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _cadence(text: str | None) -> Cadence | None:
    if not text:
        return None
    try:
        return Cadence.parse(text)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _handle(session: Session, handle: str) -> str:
    if session.settings.member(handle) is None:
        team = ", ".join(m.handle for m in session.settings.team) or "nobody yet"
        raise InvalidInput(f"'{handle}' is not in the team (kept.yaml team: {team})")
    return handle


# --- clients -------------------------------------------------------------------------


def add_client(
    session: Session,
    name: str,
    *,
    status: str = "active",
    owner: str | None = None,
    since: str | None = None,
    touch: str | None = None,
    channel: str | None = None,
    services: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> Outcome:
    name = _required(name, "a client's name")
    status_value = _choice(ClientStatus, status, "status")
    folded = slugify(name)
    for client in session.clients.values():
        if _folded(client.name) == _folded(name) or (
            slugify(client.name) == folded and client.name == name
        ):
            raise InvalidInput(f"a client named '{client.name}' already exists ({client.slug})")
    owner = _handle(session, owner) if owner else session.me()
    clients_dir = session.root / CLIENTS
    on_disk = [e.name for e in os.scandir(clients_dir)] if clients_dir.is_dir() else []
    slug = unique_slug(name, [*session.clients, *on_disk])
    card: dict[str, Any] = {"name": name, "status": status_value.value}
    if owner:
        card["owner"] = owner
    card["since"] = _when(session, since).day if since else session.clock.today
    if services:
        card["services"] = FlowList(services)
    if channel:
        card["channel"] = channel
    if touch:
        card["touch"] = str(_cadence(touch))
    if tags:
        card["tags"] = FlowList(tags)
    text = "\n".join(render_block(card, 0)) + "\n"
    path = client_dir(session.root, slug) / CLIENT_FILE
    return apply_writes(session, [NewFile(path, text)], f"add client {slug}: {name}", slug)


# --- promises ------------------------------------------------------------------------


def add_promise(
    session: Session,
    client_ref: str,
    text: str,
    due: str,
    *,
    by: str = "us",
    to: str | None = None,
    kind: str = "task",
    repeat: str | None = None,
    owner: str | None = None,
    note: str | None = None,
) -> Outcome:
    client = session.client(client_ref)
    text = _required(text, "a promise's text")
    due_value = _when(session, due)
    by_value = _choice(By, by, "by")
    kind_value = _choice(Kind, kind, "kind")
    cadence = _cadence(repeat)
    if by_value is By.US:
        owner = _handle(session, owner) if owner else (session.me() or client.owner)
    taken = session.taken_ids()
    promise_id = new_id(taken)
    item: dict[str, Any] = {"id": promise_id, "text": text, "by": by_value.value}
    if owner:
        item["owner"] = owner
    if to:
        item["to"] = to
    item["made"] = session.clock.today
    item["due"] = due_value
    if kind_value is not Kind.TASK:
        item["kind"] = kind_value.value
    if cadence:
        item["repeat"] = str(cadence)
    if note:
        item["note"] = note
    path = client_dir(session.root, client.slug) / PROMISES_FILE
    op = Append((), None, item, unique="id")
    message = f"add promise {promise_id}: {_subject(text)} ({client.slug})"
    return apply_writes(session, [EditYaml(path, [op], _base(session, path))], message,
                        promise_id)


def _promise_file(session: Session, promise: Promise) -> tuple[Path, str | None]:
    path = session.root / promise.path
    return path, _base(session, path)


def _open(promise: Promise) -> None:
    if promise.status is not PromiseStatus.OPEN:
        when = f" on {promise.closed}" if promise.closed else ""
        raise InvalidInput(f"promise {promise.id} is already {promise.status}{when}")


def _close(promise: Promise, status: PromiseStatus, today: date | Due) -> list[Op]:
    at = (Where("id", promise.id),)
    return [
        SetKey(at, "status", status.value, expect=promise.status.value, order=PROMISE_ORDER,
               default=PromiseStatus.OPEN.value),
        SetKey(at, "closed", today, expect=promise.closed, order=PROMISE_ORDER),
    ]


def closed_value(session: Session, promise: Promise) -> date | Due:
    """What ``closed:`` gets: the day, or for a reply the minute it was answered (so
    reply times can be measured against ``reply_within``)."""
    if promise.kind is Kind.REPLY:
        return Due.at(session.clock.now)
    return session.clock.today


def next_id(promise: Promise, following: Due, taken: AbstractSet[str]) -> str:
    """The id of a repeating promise's next occurrence, derived from the old id and the
    new due: two people who close the same one make the same next one, and a sync
    merges the two into one."""
    return derived_id(f"repeat\x00{promise.id}\x00{following}", taken - {promise.id})


def done(session: Session, promise_id: str) -> Outcome:
    promise = session.promise(promise_id)
    _open(promise)
    today = session.clock.today
    message = f"done {promise.id}: {_subject(promise.text)} ({promise.client})"
    if promise.in_note:
        from tui.services.notetasks import note_write

        write = note_write(session, promise, status=PromiseStatus.DONE,
                           history=[HistoryEntry(today, "done")])
        return apply_writes(session, [write], message)
    ops = _close(promise, PromiseStatus.DONE, closed_value(session, promise))
    following = next_occurrence(promise)
    new = ""
    if following is not None:
        new = next_id(promise, following, session.taken_ids())
        item: dict[str, Any] = {"id": new, "text": promise.text, "by": promise.by.value}
        if promise.owner:
            item["owner"] = promise.owner
        if promise.to:
            item["to"] = promise.to
        # The day the previous one was due, not today: whoever closes it, whenever,
        # writes the same next promise.
        item["made"] = promise.due.day
        item["due"] = following
        if promise.kind is not Kind.TASK:
            item["kind"] = promise.kind.value
        item["repeat"] = str(promise.repeat)
        if promise.note:
            item["note"] = promise.note
        ops.append(Append((), None, item, unique="id"))
        message += f"; next {new} due {following}"
    path, base = _promise_file(session, promise)
    return apply_writes(session, [EditYaml(path, ops, base)], message, new)


def move(session: Session, promise_id: str, when: str, why: str) -> Outcome:
    promise = session.promise(promise_id)
    _open(promise)
    why = _required(why, "the reason for moving (--why)")
    new_due = _when(session, when)
    if new_due == promise.due:
        raise InvalidInput(f"promise {promise.id} is already due {new_due}")
    message = (f"move {promise.id} to {new_due}: {_subject(promise.text)} "
               f"({promise.client}) — {_subject(why, 60)}")
    if promise.in_note:
        from tui.services.notetasks import note_write

        moved = HistoryEntry(session.clock.today, "moved", promise.due, new_due, why)
        write = note_write(session, promise, due=new_due, history=[moved],
                           expect_due=promise.due)
        return apply_writes(session, [write], message, str(new_due))
    at = (Where("id", promise.id),)
    entry = Flow(on=session.clock.today)
    entry.update({"from": promise.due, "to": new_due, "why": why})
    ops: list[Op] = [
        SetKey(at, "due", new_due, expect=promise.due, order=PROMISE_ORDER),
        Append(at, "history", entry),
    ]
    path, base = _promise_file(session, promise)
    return apply_writes(session, [EditYaml(path, ops, base)], message, str(new_due))


def drop(session: Session, promise_id: str, why: str) -> Outcome:
    promise = session.promise(promise_id)
    _open(promise)
    why = _required(why, "the reason for dropping (--why)")
    today = session.clock.today
    message = (f"drop {promise.id}: {_subject(promise.text)} ({promise.client}) — "
               f"{_subject(why, 60)}")
    if promise.in_note:
        from tui.services.notetasks import note_write

        write = note_write(session, promise, status=PromiseStatus.DROPPED,
                           history=[HistoryEntry(today, "dropped", why=why)])
        return apply_writes(session, [write], message)
    ops = _close(promise, PromiseStatus.DROPPED, today)
    ops.append(Append((Where("id", promise.id),), "history",
                      Flow(on=today, event="dropped", why=why)))
    path, base = _promise_file(session, promise)
    return apply_writes(session, [EditYaml(path, ops, base)], message)


# --- invoices ------------------------------------------------------------------------

INVOICE_ORDER = ("number", "amount", "issued", "due", "paid")


def invoice_paid(session: Session, client_ref: str, number: str) -> Outcome:
    """Mark an invoice paid today."""
    client = session.client(client_ref)
    invoice = next((i for i in client.billing.invoices if i.number == number), None)
    if invoice is None:
        raise NotFound(f"{client.name} has no invoice '{number}'")
    if invoice.paid is not None:
        raise InvalidInput(f"invoice {number} was already paid on {invoice.paid}")
    op = SetKey(("billing", "invoices", Where("number", number)), "paid",
                session.clock.today, expect=None, order=INVOICE_ORDER)
    path = session.root / client.path
    message = (f"paid {client.slug} invoice {number}: "
               f"{format_money(invoice.amount, client.billing.currency)}")
    return apply_writes(session, [EditYaml(path, [op], _base(session, path))], message)


# --- notes ---------------------------------------------------------------------------

DEFAULT_NOTE_BODY = """\
# {{title}}

## Notes


## Promises
<!-- One per line: "- [ ] what due:WHEN", and "- [ ] @client what due:WHEN" for theirs -->
"""


def _note_path(session: Session, slug: str, day: date, title: str) -> Path:
    folder = client_dir(session.root, slug) / NOTES
    base = slugify(title)[:40].rstrip("-") if title.strip() else ""
    name = notes_mod.note_filename(day.isoformat(), base)
    n = 2
    while (folder / name).exists():
        name = notes_mod.note_filename(day.isoformat(), f"{base}-{n}" if base else str(n))
        n += 1
    return folder / name


def _front_matter(day: date, kind: NoteKind, with_: Sequence[str], title: str) -> str:
    meta: dict[str, Any] = {"date": day, "kind": kind.value}
    if with_:
        meta["with"] = FlowList(with_)
    meta["title"] = title
    return "---\n" + "\n".join(render_block(meta, 0)) + "\n---\n"


def touch(
    session: Session,
    client_ref: str,
    text: str,
    *,
    kind: str = "call",
    with_: Sequence[str] = (),
) -> Outcome:
    """Log a contact with a client: a short note dated today."""
    client = session.client(client_ref)
    text = _no_nul(text.strip(), "the text")
    if not text:
        raise InvalidInput("say in a few words what the contact was about")
    kind_value = _choice(NoteKind, kind, "kind")
    title = _subject(text.splitlines()[0], 60)
    today = session.clock.today
    path = _note_path(session, client.slug, today, title)
    body = _front_matter(today, kind_value, with_, title) + "\n" + text + "\n"
    message = f"touch {client.slug}: {kind_value.value} — {_subject(text, 60)}"
    return apply_writes(session, [NewFile(path, body)], message, rel(session.root, path))


def draft_note(
    session: Session,
    client_ref: str,
    title: str,
    *,
    kind: str = "meeting",
    with_: Sequence[str] = (),
) -> tuple[Path, str]:
    """Create a meeting note from ``templates/note.md`` (not yet committed).

    Returns the path and the commit message; :func:`commit_note` commits it once the
    person has written it.
    """
    client = session.client(client_ref)
    title = _no_nul(_required(title, "a note's title"), "the title")
    kind_value = _choice(NoteKind, kind, "kind")
    today = session.clock.today
    template = session.root / TEMPLATES / "note.md"
    try:
        body = notes_mod.split(template.read_text("utf-8")).body
    except (OSError, ValueError):
        body = DEFAULT_NOTE_BODY
    values = {
        "title": title,
        "client": client.name,
        "date": today.isoformat(),
        "with": ", ".join(with_),
        "kind": kind_value.value,
    }
    text = _front_matter(today, kind_value, with_, title) + notes_mod.fill(body, values)
    path = _note_path(session, client.slug, today, title)
    _inside(session.root, path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    _inside(session.root, path)
    if path.exists():
        raise InvalidInput(f"{rel(session.root, path)} already exists")
    atomic_write(path, text.encode("utf-8"))
    return path, f"note {client.slug}: {_subject(title)}"


def commit_note(session: Session, path: Path, message: str) -> Outcome:
    """Commit a note written by hand after :func:`draft_note`."""
    if not path.exists():
        raise KeptError(f"{rel(session.root, path)} is gone; nothing to commit")
    from tui.services.notetasks import numbering

    warnings: list[str] = []
    session.invalidate()  # the note as written, to number its task lines in this commit
    planned = numbering(session, [rel(session.root, path)])
    with workspace_lock(session.state_dir):
        for write in planned[0] if planned else []:
            edit_note(write.path, write.edits, None, rel(session.root, write.path))
        commit = _commit(session, [path], message, warnings)
        after = ((path, _sha(path)),)
    session.invalidate()
    return Outcome(message, (path,), commit, rel(session.root, path), tuple(warnings),
                   ((path, None),), after)
