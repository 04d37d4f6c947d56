"""``kept sync`` and ``kept clone``, and resolving what a sync could not decide.

A sync commits what is uncommitted among the workspace's own files, fetches, merges
the upstream branch (a merge, never a rebase: one step to undo) with Kept's merge
driver (:mod:`tui.vcs.merge`), and pushes; it never force-pushes. It ends synced, or
exactly where it began (local commits kept, to go out next time).

Conflicts never leave the repository mid-merge, and never put markers in a file:

* a field changed on both sides keeps *your* value and is recorded beside it under
  ``conflict:`` (``kept check`` reports it, :func:`resolve_conflict` picks a side);
* a note (or any file) git cannot merge line by line keeps your version, and theirs
  goes beside it as ``<name>.conflict-<commit>.md`` (:func:`resolve_copy`);
* a file, promise, contact or whole client deleted on one side and changed on the
  other is kept: the change wins, and the sync says so; delete it again if it should go.

The merge is committed with the conflicts listed in its message, pushed, and the sync
exits 1 so a person looks. A sync that would delete more than a quarter of the
clients stops before it changes anything, unless told ``yes``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from tui.core.models import Promise, PromiseStatus
from tui.errors import EditConflict, GitError, InvalidInput, KeptError, NotFound
from tui.services.actions import DeleteFile, EditYaml, Outcome, PutFile, Write, apply_writes
from tui.services.context import Session
from tui.vcs.git import FALLBACK_EMAIL, FALLBACK_NAME, Commit
from tui.vcs.merge import Conflict, Unmergeable, kind_of, merge_bytes, typed
from tui.vcs.sync import SyncGit, Upstream, clone, ensure_attributes, ensure_driver
from tui.workspace import secrets
from tui.workspace.check import conflict_original
from tui.workspace.edit import (
    AnyOp,
    DeleteKey,
    SetKey,
    Where,
    atomic_write,
    workspace_lock,
)
from tui.workspace.layout import CLIENTS, KEPT_FILE, TEMPLATES, safe_path
from tui.workspace.schema import CONFLICT_KEY, Sink, locate_field, read_promises
from tui.workspace.text import DecodeError, conflict_markers, decode
from tui.workspace.yamlio import Map, Node, Scalar, Seq, parse, to_python

#: What Kept commits on its own: the workspace's files, never anything else in the repo.
OWNED = (KEPT_FILE, CLIENTS, TEMPLATES, ".gitattributes", ".gitignore", "README.md")
ATTEMPTS = 3  # pushes tried when the remote moves on during a sync
_KEPT = "Your changes are committed here and go out with the next sync."

Pick = Literal["mine", "theirs"]


class SyncError(GitError):
    """The sync could not run; the repository is as it was before it started."""

    title = "Sync"


# --- what a sync reports -------------------------------------------------------------


@dataclass(frozen=True)
class ClientChanges:
    """What came in for one client."""

    slug: str
    name: str
    new: tuple[str, ...] = ()  # texts of new promises
    closed: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # new notes, by file name
    added: bool = False
    removed: bool = False
    card: bool = False  # client.yaml changed
    edited: int = 0  # notes changed, and promises changed in other ways (text, chases)

    def summary(self) -> str:
        parts = []
        if self.added:
            parts.append("new client")
        if self.removed:
            parts.append("removed")
        if self.card:
            parts.append("card updated")
        for items, one, many in ((self.new, "new promise", "new promises"),
                                 (self.closed, "closed", "closed"),
                                 (self.moved, "moved", "moved"),
                                 (self.notes, "new note", "new notes")):
            if items:
                parts.append(f"{len(items)} {one if len(items) == 1 else many}")
        if self.edited:
            parts.append(f"{self.edited} other edit{'s' * (self.edited != 1)}")
        return ", ".join(parts) or "changed"


@dataclass(frozen=True)
class CopyConflict:
    """A file git could not merge: yours stayed, theirs is beside it."""

    path: str
    copy: str

    def __str__(self) -> str:
        return f"{self.path}: kept yours; theirs is in {self.copy}"


@dataclass(frozen=True)
class SyncReport:
    upstream: str
    committed: Commit | None = None  # local edits committed first
    received: int = 0  # commits that came in
    incoming: tuple[ClientChanges, ...] = ()
    sent: tuple[str, ...] = ()  # subjects of the commits that went out
    conflicts: tuple[Conflict, ...] = ()
    copies: tuple[CopyConflict, ...] = ()
    kept: tuple[str, ...] = ()  # deleted on one side, changed on the other: kept
    attempts: int = 1
    warnings: tuple[str, ...] = ()

    @property
    def needs_you(self) -> bool:
        return bool(self.conflicts or self.copies)

    @property
    def exit_code(self) -> int:
        return 1 if self.needs_you else 0

    def headline(self) -> str:
        """One line for the end of a sync: synced, up to date, or conflicts to settle."""
        if self.needs_you:
            count = len(self.conflicts) + len(self.copies)
            return (f"Synced with {self.upstream}; {count} conflict{'s' * (count != 1)} "
                    f"need{'s' * (count == 1)} you.")
        if not (self.received or self.sent):
            return f"Up to date with {self.upstream}."
        return f"Synced with {self.upstream}."


@dataclass
class _Merge:
    """What integrating the upstream branch did."""

    conflicts: list[Conflict] = field(default_factory=list)
    copies: list[CopyConflict] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)  # conflict copies written


# --- sync ----------------------------------------------------------------------------


def sync(session: Session, *, yes: bool = False, prompt: bool = False,
         before_push: Callable[[], None] | None = None,
         attempts: int = ATTEMPTS) -> SyncReport:
    """Commit, fetch, merge, push. Raises :class:`SyncError` when it cannot.

    ``yes`` lets a sync delete more than a quarter of the clients; ``prompt`` lets git
    ask for a password on the terminal; ``before_push`` runs just before each push
    (tests use it to move the remote on, the way a teammate would).
    """
    repo = session.repo
    if repo is None:
        raise SyncError("this workspace is not in a git repository, so there is nothing to "
                        "sync with; start from a shared one with: kept clone URL DIR")
    repo.check_safe()
    job = _Sync(session, SyncGit(repo, prompt), yes, before_push)
    try:
        up = job.prepare()
        _number_task_lines(session)
        with workspace_lock(session.state_dir):
            committed = job.commit_first()
        # The network, the slow part, without holding up the person's own edits; what
        # changes the branch (merge, push, undo) runs under the lock again.
        fetched = job.fetch(up)
        with workspace_lock(session.state_dir):
            return job.run(up, fetched, committed, attempts)
    finally:
        session.invalidate()


def _number_task_lines(session: Session) -> None:
    """First sight of notes' new task lines: their ids go out with this sync (the same
    ids on every machine, so the team's copies agree). A note Kept cannot number now
    is left for the next time; the sync goes on."""
    from tui.services.notetasks import number_task_lines

    with contextlib.suppress(KeptError):
        number_task_lines(session)


class _Sync:
    def __init__(self, session: Session, g: SyncGit, yes: bool,
                 before_push: Callable[[], None] | None) -> None:
        self.session = session
        self.g = g
        self.yes = yes
        self.before_push = before_push
        prefix = g.repo.relative(session.root)
        self.prefix = "" if prefix == "." else prefix + "/"
        self.clients = self.prefix + CLIENTS
        self.branch = ""

    def show(self, path: str) -> str:
        """A repository path as the workspace sees it."""
        return path.removeprefix(self.prefix)

    def prepare(self) -> Upstream:
        """Whether a sync can run at all, and with what."""
        self.check_state()
        try:
            up = self.g.upstream(self.branch)
        except GitError as exc:
            raise SyncError(str(exc)) from None
        if up is None:
            raise SyncError("there is no remote to sync with: add one (git remote add "
                            "origin URL), or start from a shared workspace with "
                            "kept clone URL DIR")
        ensure_driver(self.g.repo)
        ensure_attributes(self.g.repo, self.session.root)
        return up

    def check_state(self) -> None:
        g = self.g
        g.repo.wait_for_index()  # a git killed mid-way left its lock: clear it
        busy = g.in_progress()
        if busy:
            raise SyncError(f"git is in the middle of {busy}; finish it (git commit) or "
                            "abort it (git merge --abort, git rebase --abort), then sync")
        branch = g.branch()
        if branch is None:
            raise SyncError("git is not on a branch (detached HEAD); switch to yours "
                            "(git switch main), then sync")
        self.branch = branch
        staged = g.staged_elsewhere(self.owned())
        if staged:
            raise SyncError(f"files outside the workspace are staged in git "
                            f"({', '.join(staged[:5])}); commit or unstage them "
                            "(git restore --staged PATH), then sync")

    def commit_first(self) -> Commit | None:
        """Local edits are committed before anything else: from here on they are safe."""
        self.check_state()
        self.guard_uncommitted()
        return self.commit_local()

    def fetch(self, up: Upstream) -> str | None:
        """The upstream branch's commit after fetching (None: the remote has no such
        branch yet)."""
        fetched, exists = self.g.fetch(up)
        if exists and not fetched.ok:
            raise SyncError(f"could not fetch from {up.remote}: {fetched.message}. {_KEPT}")
        return self.g.rev(up.tracking) if exists else None

    def run(self, up: Upstream, fetched: str | None, committed: Commit | None,
            attempts: int) -> SyncReport:
        self.check_state()
        start = self.g.head()
        if start is None:
            raise SyncError("nothing is committed here yet; add a client first")
        last = ""
        for attempt in range(1, attempts + 1):
            remote = fetched if attempt == 1 else self.fetch(up)
            try:
                return self.attempt(up, start, remote, committed, attempt)
            except _Rejected as exc:
                self.rollback(start, exc.merge)
                last = exc.message
        raise SyncError(f"{up} kept moving while Kept pushed ({attempts} tries; {last}). "
                        f"{_KEPT} Run kept sync again")

    def attempt(self, up: Upstream, start: str, remote: str | None,
                committed: Commit | None, attempt: int) -> SyncReport:
        """Merge ``remote`` into ``start`` and push; undone entirely if anything fails."""
        g = self.g
        merge = _Merge()
        try:
            self.integrate(up, start, remote, merge)
            head = g.head() or start
            self.guard_deletions(up, start, remote, head)
            incoming = self.incoming(start, head) if head != start else ()
            received = g.count(f"{start}..{remote}") if remote else 0
            sent: tuple[str, ...] = ()
            if remote is None or not g.is_ancestor(head, remote):
                sent = tuple(reversed(g.subjects(f"{remote}..{head}" if remote else head)))
                if self.before_push is not None:
                    self.before_push()
                outcome, message = g.push(up)
                if outcome == "rejected":
                    raise _Rejected(message, merge)
                if outcome != "ok":
                    raise SyncError(f"could not push to {up}: {message}. {_KEPT}")
        except _Rejected:
            raise
        except BaseException:
            self.rollback(start, merge)
            raise
        return SyncReport(
            upstream=str(up), committed=committed, received=received, incoming=incoming,
            sent=sent, conflicts=tuple(merge.conflicts), copies=tuple(merge.copies),
            kept=tuple(merge.kept), attempts=attempt,
        )

    def rollback(self, start: str, merge: _Merge) -> None:
        """Back to where the sync began: no merge in progress, HEAD at ``start``."""
        g = self.g
        g.abort_merge()
        if g.head() != start:
            g.reset_keep(start)
        for path in merge.created:
            if path.exists() and not g.in_index(g.repo.relative(path)):
                with contextlib.suppress(OSError):
                    path.unlink()

    # before the merge

    def owned(self) -> list[str]:
        return [self.prefix + p for p in OWNED]

    def guard_uncommitted(self) -> None:
        """Client folders deleted here and not committed would go out with this sync."""
        if self.yes:
            return
        before = self.g.client_dirs("HEAD", self.clients)
        folder = self.session.root / CLIENTS
        now = {f"{self.clients}/{p.name}" for p in folder.iterdir() if p.is_dir()} if (
            folder.is_dir()) else set()
        self._too_many(before, before - now, "were deleted here and would go out with "
                       "this sync")

    def guard_deletions(self, up: Upstream, start: str, remote: str | None,
                        head: str) -> None:
        if self.yes:
            return
        after = self.g.client_dirs(head, self.clients)
        before = self.g.client_dirs(start, self.clients)
        self._too_many(before, before - after, f"would be deleted by changes from {up}")
        if remote is not None:
            theirs = self.g.client_dirs(remote, self.clients)
            self._too_many(theirs, theirs - after, f"would be deleted on {up} by this sync")

    def _too_many(self, before: set[str], gone: set[str], what: str) -> None:
        if gone and len(gone) * 4 > len(before):
            names = ", ".join(sorted(PurePosixPath(p).name for p in gone)[:8])
            raise SyncError(f"{len(gone)} of {len(before)} clients ({names}) {what} — more "
                            "than a quarter, so the sync stopped before merging or pushing "
                            "anything. If that is what you mean, run: kept sync --yes")

    def commit_local(self) -> Commit | None:
        """Commit what changed among the workspace's own files (never anything else)."""
        paths = sorted({p for _, p in self.g.status(self.owned()) if _committable(p)})
        if not paths:
            return None
        shown = [self.show(p) for p in paths]
        body = "\n".join(shown[:30]) + ("\n…" if len(shown) > 30 else "")
        message = (f"kept sync: changes made outside Kept ({len(paths)} "
                   f"file{'s' * (len(paths) != 1)})\n\n{body}")
        files = [self.g.workdir / p for p in paths]
        secrets.refuse_new(self.session.root, files, self.session.env, self.g.repo.committed,
                           "the sync stopped before committing anything; your files are "
                           "as you left them")
        try:
            return self.g.repo.commit(files, message)
        except GitError as exc:
            raise SyncError(f"{exc}; nothing was synced") from None

    # the merge

    def integrate(self, up: Upstream, start: str, remote: str | None, merge: _Merge) -> None:
        g = self.g
        if remote is None or g.is_ancestor(remote, start):
            return
        if g.is_ancestor(start, remote):
            result = g.fast_forward(remote)
            if not result.ok:
                raise SyncError(f"git could not bring in the changes from {up}: "
                                f"{result.message}")
            return
        log = self.session.state_dir / "merge-log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.unlink(missing_ok=True)
        result = g.merge(remote, f"kept sync: merge {up}", log)
        if g.in_progress() != "a merge":
            raise SyncError(f"git could not merge the changes from {up}: {result.message}")
        merge.kept.extend(self.driver_notes(log))
        self.resolve(remote, merge)
        self.restore_clients(up, start, remote, merge)
        self.refuse_markers(start)
        lines = [f"conflict: {self.show(c.path)}: {c}" for c in merge.conflicts]
        lines += [f"conflict: {c}" for c in merge.copies]
        lines += merge.kept
        message = f"kept sync: merge {up}" + ("\n\n" + "\n".join(lines) if lines else "")
        identity = [] if g.repo.user_email() else [f"user.name={FALLBACK_NAME}",
                                                    f"user.email={FALLBACK_EMAIL}"]
        g.commit_merge(message, identity)

    def resolve(self, remote: str, merge: _Merge) -> None:
        """Settle every path git left unmerged: merge as data, or keep both versions."""
        g = self.g
        for path, stages in sorted(g.unmerged().items()):
            if any(s.mode not in ("100644", "100755") for s in stages.values()):
                raise SyncError(f"git could not merge {self.show(path)} (a link or a "
                                "submodule); merge it by hand with git, then sync")
            base, ours, theirs = (g.blob(stages[i].sha) if i in stages else None
                                  for i in (1, 2, 3))
            full = g.workdir / path
            if ours is not None and theirs is not None:
                merged = None
                if kind_of(path) is not None:
                    with contextlib.suppress(Unmergeable):
                        merged = merge_bytes(path, base, ours, theirs)
                if merged is not None:
                    atomic_write(full, merged.data)
                    g.stage([path])
                    merge.conflicts.extend(merged.conflicts)
                    merge.kept.extend(f"{self.show(path)}: {n}" for n in merged.notes)
                    continue
                copy = _copy_path(full, remote[:7])
                atomic_write(full, ours)
                atomic_write(copy, theirs)
                merge.created.append(copy)
                g.stage([path, g.repo.relative(copy)])
                merge.copies.append(CopyConflict(self.show(path),
                                                 self.show(g.repo.relative(copy))))
            elif ours is not None:
                atomic_write(full, ours)
                g.stage([path])
                merge.kept.append(f"{self.show(path)}: deleted on the other side, changed "
                                  "here: kept")
            elif theirs is not None:
                full.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(full, theirs)
                g.stage([path])
                merge.kept.append(f"{self.show(path)}: deleted here, changed on the other "
                                  "side: kept")
            else:
                g.stage([path])

    def driver_notes(self, log: Path) -> list[str]:
        """What the merge driver kept (deleted on one side, changed on the other)."""
        try:
            lines = log.read_text("utf-8").splitlines()
        except OSError:
            return []
        finally:
            log.unlink(missing_ok=True)
        out = []
        for line in lines:
            with contextlib.suppress(ValueError, TypeError):
                path, note = json.loads(line)
                out.append(f"{self.show(str(path))}: {note}")
        return out

    def restore_clients(self, up: Upstream, start: str, remote: str, merge: _Merge) -> None:
        """A client deleted on one side and changed on the other comes back whole."""
        g = self.g
        base = g.merge_base(start, remote)
        if base is None:
            return
        for deleter, keeper, words in ((start, remote, f"deleted here but changed on {up}"),
                                       (remote, start, f"deleted on {up} but changed here")):
            for status, path in g.changes(base, deleter, self.clients):
                parts = PurePosixPath(path).relative_to(self.clients).parts
                if status != "D" or len(parts) != 2 or parts[1] != "client.yaml":
                    continue
                folder = f"{self.clients}/{parts[0]}"
                if not g.changes(base, keeper, folder):
                    continue
                present = self._index(folder)
                missing = [p for p in g.files(keeper, folder) if p not in present]
                g.restore(keeper, missing)
                merge.kept.append(f"client {parts[0]} was {words}: kept it; delete it "
                                  "again if it should go")

    def _index(self, folder: str) -> set[str]:
        out = self.g.run("ls-files", "--cached", "-z", "--", folder).out
        return {p for p in out.split("\0") if p}

    def refuse_markers(self, start: str) -> None:
        """The last guard: nothing with conflict markers is ever committed."""
        out = self.g.run("diff", "--cached", "--name-only", "-z", "--diff-filter=AM",
                         start).out
        for path in (p for p in out.split("\0") if p):
            try:
                text = decode((self.g.workdir / path).read_bytes()).text
            except (OSError, DecodeError):
                continue
            if conflict_markers(text):
                raise SyncError(f"{self.show(path)} would be committed with git conflict "
                                "markers; the sync was undone. Report this with the file")

    # what came in

    def incoming(self, old: str, new: str) -> tuple[ClientChanges, ...]:
        g = self.g
        by_slug: dict[str, dict[str, Any]] = {}
        for status, path in g.changes(old, new, self.clients):
            parts = PurePosixPath(path).relative_to(self.clients).parts
            if len(parts) < 2:
                continue
            slug = parts[0]
            info = by_slug.setdefault(slug, {"new": [], "closed": [], "moved": [],
                                             "notes": [], "edited": 0})
            if parts[1:] == ("client.yaml",):
                info["added"] = status == "A"
                info["removed"] = status == "D"
                info["card"] = status == "M"
            elif parts[1:] == ("promises.yaml",):
                before = _promises(g.show(old, path), path, slug)
                after = _promises(g.show(new, path), path, slug)
                for pid, p in after.items():
                    was = before.get(pid)
                    if was is None:
                        info["new"].append(p.text)
                    elif was.is_open and not p.is_open:
                        info["closed"].append(p.text)
                    elif was.due != p.due and p.status is PromiseStatus.OPEN:
                        info["moved"].append(p.text)
                    elif was.history != p.history or was.text != p.text or (
                            was.status != p.status):
                        info["edited"] += 1
            elif parts[1] == "notes" and path.endswith(".md") and (
                    conflict_original(parts[-1]) is None):
                if status == "A":
                    info["notes"].append(parts[-1])
                elif status == "M":
                    info["edited"] += 1
        out = []
        for slug, info in sorted(by_slug.items()):
            name = _client_name(g.show(new, f"{self.clients}/{slug}/client.yaml")) or _client_name(
                g.show(old, f"{self.clients}/{slug}/client.yaml")) or slug
            out.append(ClientChanges(slug, name, tuple(info["new"]), tuple(info["closed"]),
                                     tuple(info["moved"]), tuple(info["notes"]),
                                     bool(info.get("added")), bool(info.get("removed")),
                                     bool(info.get("card")), info["edited"]))
        return tuple(out)


class _Rejected(Exception):
    def __init__(self, message: str, merge: _Merge) -> None:
        super().__init__(message)
        self.message = message
        self.merge = merge


def _committable(path: str) -> bool:
    """Editor swap files, backups and hidden files are never Kept's to commit."""
    parts = PurePosixPath(path).parts
    name = parts[-1]
    if any(p.startswith(".") for p in parts[:-1]):
        return False
    if name.startswith(".") and name not in (".gitattributes", ".gitignore"):
        return False
    return not (name.endswith(("~", ".swp", ".swo", ".tmp", ".kept-tmp", ".orig"))
                or name.startswith("#"))


def _copy_path(path: Path, short: str) -> Path:
    """``kickoff.md`` -> ``kickoff.conflict-1a2b3c4.md``, never over an existing file."""
    stem, suffix = (path.stem, path.suffix) if path.suffix else (path.name, "")
    candidate = path.with_name(f"{stem}.conflict-{short}{suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{stem}.conflict-{short}-{n}{suffix}")
        n += 1
    return candidate


def _promises(data: bytes | None, path: str, slug: str) -> dict[str, Promise]:
    if not data:
        return {}
    try:
        text = decode(data).text
    except DecodeError:
        return {}
    root, _ = parse(text, path)
    return {p.id: p for p, _ok in read_promises(Sink(path), slug, root) if p.id}


def _client_name(data: bytes | None) -> str | None:
    if not data:
        return None
    try:
        root, _ = parse(decode(data).text, "client.yaml")
    except DecodeError:
        return None
    value = to_python(root)
    name = value.get("name") if isinstance(value, dict) else None
    return str(name) if name else None


# --- clone ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cloned:
    root: Path
    warnings: tuple[str, ...] = ()


def clone_workspace(url: str, target: Path, *, prompt: bool = False) -> Cloned:
    """``git clone`` a shared workspace and set up Kept's merge driver in it."""
    target = target.expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidInput(f"{target} already exists and is not an empty folder")
    repo = clone(url, target, prompt)
    ensure_driver(repo)
    ensure_attributes(repo, target)
    warnings = []
    if not (target / KEPT_FILE).is_file():
        warnings.append(f"{url} holds no {KEPT_FILE}: it is not a Kept workspace (yet)")
    return Cloned(target, tuple(warnings))


# --- conflicts: finding and resolving them -------------------------------------------


@dataclass(frozen=True)
class FieldConflict:
    """A field changed on both sides, as recorded in the file (see tui.vcs.merge)."""

    path: str  # the file, relative to the workspace
    line: int
    col: int
    record: str | None  # the promise id; None for the top of client.yaml / kept.yaml
    field: str  # "due", "contacts.Ольга Петрова.phone"
    mine: Any  # plain values (dates as text); None when not set
    theirs: Any
    base: Any
    theirs_removed: bool  # they deleted the field


@dataclass(frozen=True)
class FileConflict:
    """A file git could not merge: yours in ``path``, theirs in ``copy``."""

    path: str
    copy: str


def conflicts(session: Session) -> list[FieldConflict | FileConflict]:
    """Every conflict a sync left in the workspace, in file order."""
    paths = sorted({p.path for p in session.loaded.problems
                    if p.message.startswith("conflict:")})
    out: list[FieldConflict | FileConflict] = []
    for path in paths:
        folder, _, name = path.rpartition("/")
        original = conflict_original(name)
        if original is not None:
            out.append(FileConflict(f"{folder}/{original}" if folder else original, path))
            continue
        root = _parse_file(session, path)
        for record_id, record in _records(path, root):
            node = record.get(CONFLICT_KEY)
            if not isinstance(node, Map):
                continue
            for key, entry in node.pairs:
                _, holder, name_ = locate_field(record, key.value)
                mine = holder.get(name_) if holder is not None else None
                theirs = entry.get("theirs") if isinstance(entry, Map) else None
                base = entry.get("base") if isinstance(entry, Map) else None
                out.append(FieldConflict(path, key.line, key.col, record_id, key.value,
                                         to_python(mine), to_python(theirs), to_python(base),
                                         theirs is None))
    return out


def _parse_file(session: Session, path: str) -> Node | None:
    full = safe_path(session.root, path)
    try:
        text = decode(full.read_bytes()).text
    except FileNotFoundError:
        raise NotFound(f"{path} is not there any more") from None
    except (OSError, DecodeError) as exc:
        raise EditConflict(f"cannot read {path}: {exc}") from None
    root, problems = parse(text, path)
    if any(p.is_error for p in problems):
        raise EditConflict(f"{path} has a YAML error; fix it first (kept check lists it)")
    return root


def _records(path: str, root: Node | None) -> list[tuple[str | None, Map]]:
    """The mappings conflicts are recorded on: each promise, or the file's top."""
    if kind_of(path) == "promises":
        out: list[tuple[str | None, Map]] = []
        for item in root.items if isinstance(root, Seq) else []:
            ident = item.get("id") if isinstance(item, Map) else None
            if isinstance(item, Map) and isinstance(ident, Scalar):
                out.append((ident.value, item))
        return out
    return [(None, root)] if isinstance(root, Map) else []


def resolve_conflict(session: Session, path: str, record: str | None, field_name: str,
                     pick: Pick) -> Outcome:
    """Settle one recorded conflict: keep mine (drop the entry) or take theirs (set the
    field to their value, or remove it if they did), and commit."""
    if pick not in ("mine", "theirs"):
        raise InvalidInput(f"pick 'mine' or 'theirs', not '{pick}'")
    root = _parse_file(session, path)
    found = [(r, m) for r, m in _records(path, root) if r == record]
    if not found:
        raise NotFound(f"{path}: no promise {record}" if record else f"{path} is not a mapping")
    if len(found) > 1:
        raise InvalidInput(f"{path}: promise {record} is in the file more than once")
    record_node = found[0][1]
    at = (Where("id", record),) if record else ()
    table = record_node.get(CONFLICT_KEY)
    entry = table.get(field_name) if isinstance(table, Map) else None
    if entry is None or not isinstance(table, Map):
        where = f"promise {record}" if record else path
        raise NotFound(f"no conflict recorded for {field_name} in {where}")
    ops: list[AnyOp] = []
    if pick == "theirs":
        steps, holder, key = locate_field(record_node, field_name)
        if holder is None:
            raise EditConflict(f"{field_name} is no longer in {path}; edit it by hand")
        here = (*at, *(Where(*s) if isinstance(s, tuple) else s for s in steps))
        theirs = entry.get("theirs") if isinstance(entry, Map) else None
        if theirs is None:
            ops.append(DeleteKey(here, key))
        else:
            ops.append(SetKey(here, key, typed(theirs)))
    if len(table.pairs) == 1:
        ops.append(DeleteKey(at, CONFLICT_KEY))
    else:
        ops.append(DeleteKey((*at, CONFLICT_KEY), field_name))
    full = safe_path(session.root, path)
    result = session.loaded.files.get(path)
    base = result.fingerprint.sha256 if result and result.fingerprint else None
    what = f"{record} {field_name}" if record else field_name
    side = "yours" if pick == "mine" else "theirs"
    message = f"resolve conflict {what} ({_where(path)}): kept {side}"
    return apply_writes(session, [EditYaml(full, ops, base)], message)


def resolve_copy(session: Session, copy: str, pick: Pick) -> Outcome:
    """Settle a file conflict: keep mine (delete their copy) or take theirs (their
    copy replaces mine), and commit both paths."""
    if pick not in ("mine", "theirs"):
        raise InvalidInput(f"pick 'mine' or 'theirs', not '{pick}'")
    folder, _, name = copy.rpartition("/")
    original_name = conflict_original(name)
    if original_name is None:
        raise InvalidInput(f"{copy} is not a conflict copy")
    original = f"{folder}/{original_name}" if folder else original_name
    copy_path = safe_path(session.root, copy)
    original_path = safe_path(session.root, original)
    if not copy_path.is_file():
        raise NotFound(f"{copy} is not there any more")
    message = f"resolve conflict {original}: kept {'yours' if pick == 'mine' else 'theirs'}"
    writes: list[Write] = [DeleteFile(copy_path)]
    if pick == "theirs":
        writes.insert(0, PutFile(original_path, copy_path.read_bytes()))
    return apply_writes(session, writes, message)


def _where(path: str) -> str:
    parts = PurePosixPath(path).parts
    return parts[1] if len(parts) > 2 and parts[0] == CLIENTS else path

