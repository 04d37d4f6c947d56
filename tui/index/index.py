"""The index over a workspace: stat every file, read only what changed, answer fast.

:meth:`Index.refresh` stats every file (one directory listing per folder), compares
each with what the index last saw, and reads only new and changed files — in
parallel on all cores when there are many. It returns a :class:`View`: what the
agenda, the checks and the actions need (settings, clients, open promises, the newest
note of each client, every problem) without building every record. The checks
across files run as SQL over per-file facts the cache keeps (where each id, owner and
note link is written). :meth:`Index.full` gives every record when a face needs them
all (the app's search, stats).

A file is unchanged when its size, mtime_ns, inode and ctime_ns are what they were
when it was read. A file written within :data:`RACY_NS` of that read could change
again without its mtime moving (coarse file-system clocks), so — as git does with
"racily clean" index entries — it is not trusted on its stat alone: its content hash
is compared.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import pickle
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.models import Client, Note, Promise, Settings, Workspace
from tui.core.rules import (
    AgendaRow,
    PromiseRows,
    counts_as_contact,
    may_show,
    needs_first_sight,
    row_order,
    rows_of,
)
from tui.errors import Problem
from tui.index.cache import Cache, CacheTrouble, Row, cache_path
from tui.workspace.facts import (
    Facts,
    cross_problems,
    duplicate_ids,
    facts_of,
    note_links,
    owners_in_team,
)
from tui.workspace.layout import CLIENTS, Entry, StatKey, scan_client, scan_stat

if TYPE_CHECKING:
    from tui.workspace.load import FileResult, Loaded

Progress = Callable[[int, int], None]

# One file's agenda rows, and the promises, client card and settings they came from.
_FileRows = tuple[tuple[Promise, ...], Client | None, Settings, list[AgendaRow]]

RACY_NS = 2_000_000_000  # coarse file-system clocks tick at most every 2 s (FAT)
PARALLEL_FROM = 200  # fewer files than this: reading them here beats starting workers
SNAPSHOT_AFTER = 32  # files changed since the snapshot before it is written again
MERGE_ROWS_UPTO = 32  # files with new agenda rows merged into the last order, not sorted


@dataclass(frozen=True)
class FileLight:
    """The part of one file the agenda and the checks need: what a start unpickles
    for every file, so nothing more (the facts live in the cache's tables)."""

    problems: tuple[Problem, ...]
    settings: Settings | None = None
    client: Client | None = None
    open: tuple[Promise, ...] = ()  # what the agenda may show (rules.may_show)
    contact: tuple[str, int] | None = None  # a note that counts: its client, its day
    first_sight: bool = False  # task lines Kept has yet to number (tasks.needs_first_sight)


def summarize(root: Path, result: FileResult) -> tuple[FileLight, Facts]:
    """The light part of a file that was read, and its facts."""
    from tui.workspace.secrets import secrets_in_records

    everything = list(result.promises) + [r for r in result.rejected if isinstance(r, Promise)]
    client = result.client or next((r for r in result.rejected if isinstance(r, Client)), None)
    problems = list(result.problems)
    if everything:
        # Checks of single records run here, per file, so they are cached with it.
        problems += secrets_in_records(root, Workspace(Settings(), {}, tuple(everything), ()))
    note = result.note
    light = FileLight(
        problems=tuple(sorted(problems, key=Problem.order)),
        settings=result.settings,
        client=_light_client(result.client) if result.client is not None else None,
        open=tuple(_light_promise(p) for p in result.promises if may_show(p)),
        # An ordinal, not a date: ints unpickle far faster, and there are many notes.
        contact=(note.client, note.date.toordinal()) if note is not None
        and counts_as_contact(note) else None,
        first_sight=any(needs_first_sight(p) for p in result.promises),
    )
    entry = result.entry
    return light, facts_of(entry.path, entry.slug, entry.kind, client, everything)


def _light_promise(promise: Promise) -> Promise:
    """A promise as the agenda needs it: no positions but its line (``at`` gives the
    line for any field; the checks and edits read the full records)."""
    return replace(promise, pos={}) if promise.pos else promise


def _light_client(client: Client) -> Client:
    """A client card as the agenda needs it: unpaid invoices only, no positions but
    the touch line. (``Session.client`` gives the whole card when an action needs it.)"""
    billing = client.billing
    unpaid = tuple(i for i in billing.invoices if i.paid is None)
    return replace(client, billing=replace(billing, invoices=unpaid),
                   pos={k: v for k, v in client.pos.items() if k == "touch"})


@dataclass
class _State:
    """What the index knows, by file: the snapshot it keeps between runs."""

    seen: dict[str, tuple[StatKey | None, int]] = field(default_factory=dict)  # key, read at
    settings: dict[str, Settings] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    open: dict[str, tuple[Promise, ...]] = field(default_factory=dict)
    notes: dict[str, tuple[str, int]] = field(default_factory=dict)  # slug, date ordinal
    problems: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    first_sight: set[str] = field(default_factory=set)
    # The checks across files, and the cache generation they were made at.
    cross: tuple[Problem, ...] = ()
    cross_at: int | None = None

    def forget(self, path: str) -> None:
        self.seen.pop(path, None)
        self.first_sight.discard(path)
        for part in (self.settings, self.clients, self.open, self.notes, self.problems):
            part.pop(path, None)

    def learn(self, path: str, key: StatKey | None, checked: int, light: FileLight) -> None:
        if path in self.seen:  # (every part holds only paths seen: a new one has none)
            self.forget(path)
        self.seen[path] = (key, checked)
        if light.settings is not None:
            self.settings[path] = light.settings
        if light.client is not None:
            self.clients[path] = light.client
        if light.open:
            self.open[path] = light.open
        if light.contact is not None:
            self.notes[path] = light.contact
        if light.problems:
            self.problems[path] = light.problems
        if light.first_sight:
            self.first_sight.add(path)


@dataclass
class View:
    """What the workspace holds, as far as the agenda, checks and actions go."""

    root: Path
    settings: Settings
    clients: dict[str, Client]
    open_promises: tuple[Promise, ...]
    newest_notes: dict[str, date]
    problems: tuple[Problem, ...]
    entries: list[Entry]
    index: Index
    first_sight: frozenset[str] = frozenset()  # notes with task lines to number
    # The open promises by file, as each file gave them (the agenda's rows are kept
    # per file, and made again only for a file whose tuple is new).
    open_parts: dict[str, tuple[Promise, ...]] = field(default_factory=dict, repr=False)
    _rows: PromiseRows | None = field(default=None, repr=False, compare=False)

    def promise_rows(self) -> PromiseRows:
        """The clock-free part of the agenda's promise rows, made on first use and kept
        with this view (a refresh that changes nothing keeps the view); the index
        keeps each file's rows, so a new view makes only the changed files' again."""
        if self._rows is None:
            self._rows = self.index.promise_rows(self)
        return self._rows

    def workspace(self) -> Workspace:
        """A workspace of the promises the agenda may show (no notes: their dates are
        in ``newest_notes``)."""
        return Workspace(self.settings, self.clients, self.open_promises, ())

    def locate(self, promise_id: str) -> list[tuple[str, int]]:
        """Every (path, line) where a promise id is written."""
        return self.index.locate(promise_id)

    def id_taken(self, promise_id: str) -> bool:
        return bool(self.locate(promise_id))

    def fingerprint(self, path: str) -> str | None:
        """The sha256 of the file as it was read (what an edit is based on)."""
        return self.index.cache.sha(path)


def read_entry(root: Path, entry: Entry) -> FileResult:
    """The reader, imported when a file must be read (a warm start reads none)."""
    from tui.workspace.load import read_entry as read

    return read(root, entry)


def _settings_of(root: Path, found: Iterable[Settings | None]) -> Settings:
    """kept.yaml's settings, or the defaults when it could not be read."""
    return next((s for s in found if s is not None), None) or Settings(
        name=root.name, from_file=False)


def _read(root: Path, entry: Entry, key: StatKey | None, full: bool = True) -> Row:
    """A file read: its light part and facts, and its full records when ``full``
    (else they are kept when first asked for)."""
    checked = time.time_ns()
    result = read_entry(root, entry)
    light, facts = summarize(root, result)
    return Row(entry.path, key, checked,
               result.fingerprint.sha256 if result.fingerprint else "",
               pickle.dumps(light, protocol=pickle.HIGHEST_PROTOCOL),
               pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) if full else b"",
               facts)


def _read_many(root: Path, jobs: Sequence[tuple[Entry, StatKey | None]],
               full: bool) -> list[Row]:
    """A worker's share of reading."""
    return [_read(root, entry, key, full) for entry, key in jobs]


class Index:
    def __init__(self, root: Path, env: Mapping[str, str] | None = None) -> None:
        self.root = root.resolve()
        self.cache = Cache(cache_path(self.root, env))
        self._state: _State | None = None
        self._lock = threading.Lock()
        self._snapshot_cross: int | None = None  # the generation the snapshot was made at
        self._facts: dict[str, Facts] | None = None  # only when the cache cannot serve
        # The last view, and what it was made of (entries, scan problems, generation).
        self._last: tuple[tuple[Any, ...], View] | None = None
        # Each file's agenda rows, and the promises, card and settings they came from.
        self._rows: dict[str, _FileRows] = {}
        self._ordered: list[AgendaRow] | None = None  # every row, in rules.row_order

    # --- refreshing ----------------------------------------------------------------

    def refresh(self, progress: Progress | None = None,
                changed: Collection[str] | None = None) -> View:
        """Bring the index up to date with the disk and return the view.

        ``changed``: the workspace-relative paths a watcher saw change since the last
        refresh; then only the client folders they are in are listed and stated again
        (a path elsewhere, or a folder the last refresh did not list, and every file
        is stated)."""
        with self._lock:  # the app refreshes from worker threads
            if changed is not None:
                view = self._refresh_folders(changed)
                if view is not None:
                    return view
            return self._refresh(progress)

    def _refresh_folders(self, changed: Collection[str]) -> View | None:
        """:meth:`refresh` of the client folders the changed paths are in; None when
        that cannot answer exactly what a refresh of everything would."""
        if self._last is None or self._state is None or self._facts is not None:
            return None
        (entries, scan_problems, _), _ = self._last
        slugs = set()
        for path in changed:
            parts = path.split("/")
            if len(parts) < 3 or parts[0] != CLIENTS:
                return None  # kept.yaml, templates/, a copy beside kept.yaml: rare
            slugs.add(parts[1])
        entries = list(entries)
        problems = list(scan_problems)
        keys: dict[str, StatKey | None] = {}
        fresh: dict[str, Entry] = {}
        dropped: set[str] = set()
        for slug in slugs:
            where = [i for i, e in enumerate(entries) if e.slug == slug]
            if not where or where[-1] - where[0] + 1 != len(where):
                return None  # a folder the last refresh did not list (or no entries)
            try:
                found, warned, stated = scan_client(self.root, slug)
            except OSError:
                return None  # clients/ itself is gone or unreadable: the full scan says so
            dropped.update(e.path for e in entries[where[0] : where[-1] + 1])
            entries[where[0] : where[-1] + 1] = found
            folder = f"{CLIENTS}/{slug}"
            problems = [p for p in problems
                        if p.path != folder and not p.path.startswith(folder + "/")]
            problems += warned
            keys.update(stated)
            fresh.update((e.path, e) for e in found)
        state = self._state
        todo = []
        for path, key in keys.items():
            seen = state.seen.get(path)
            if seen is None or key is None or seen[0] != key or key[1] >= seen[1] - RACY_NS:
                todo.append((fresh[path], key))
        removed = sorted(dropped - keys.keys())
        for path in removed:
            state.forget(path)
        unstored = self._catch_up(state, todo, None) if todo else []
        if unstored or (removed and not self.cache.store((), removed)):
            return None  # the cache could not take it: let a full refresh sort it out
        return self._kept_or_new(state, entries, problems, bool(todo or removed))

    def last_view(self) -> View | None:
        """The view the last refresh made (for a caller that knows nothing changed
        since: the background server, told so by the kernel's watch)."""
        return None if self._last is None else self._last[1]

    def _refresh(self, progress: Progress | None) -> View:
        state, entries, scan_problems, changed, stored = self._up_to_date(progress)
        first = changed < 0
        view = self._kept_or_new(state, entries, scan_problems, changed != 0)
        if stored and (first or changed >= SNAPSHOT_AFTER or (
                state.cross_at is not None and not changed
                and self._snapshot_cross != state.cross_at)):
            # The snapshot (with the checks across files worked out) for the next start.
            self.cache.store((), snapshot=state)
            self._snapshot_cross = state.cross_at
        return view

    def _up_to_date(self, progress: Progress | None
                    ) -> tuple[_State, list[Entry], list[Problem], int, bool]:
        """The state brought up to date with the disk: it, the entries, the scan's
        problems, how many files changed since the snapshot (-1: there was none), and
        whether the cache took every change."""
        entries, scan_problems, keys = scan_stat(self.root)
        state = self._state
        if state is None:
            loaded = self.cache.snapshot()
            state = loaded if isinstance(loaded, _State) else _State()
            self._snapshot_cross = state.cross_at
        first = not state.seen
        present = {e.path for e in entries}
        todo = []
        for entry in entries:
            key = keys.get(entry.path)
            seen = state.seen.get(entry.path)
            if seen is None or key is None or seen[0] != key or key[1] >= seen[1] - RACY_NS:
                todo.append((entry, key))
        removed = [p for p in state.seen if p not in present]
        for path in removed:
            state.forget(path)
        unstored = self._catch_up(state, todo, progress) if todo else []
        stored = not unstored and (self.cache.store((), removed) if removed else True)
        if unstored:
            # No cache to keep facts in: keep them here, for the checks across files.
            self._facts = {r.path: r.facts for r in unstored if r.facts is not None}
        self._state = state
        return state, entries, scan_problems, -1 if first else len(todo) + len(removed), stored

    def _catch_up(self, state: _State, todo: list[tuple[Entry, StatKey | None]],
                  progress: Progress | None) -> list[Row]:
        """Learn the new and changed files: from their cache rows when those still
        match (and are not racy, or hash the same), else by reading them. What is read
        is stored as it comes; the rows the cache could not take are returned."""
        now = time.time_ns()
        cached = self.cache.rows(e.path for e, _ in todo)
        to_read: list[tuple[Entry, StatKey | None]] = []
        for entry, key in todo:
            row = cached.get(entry.path)
            if row is not None and key is not None and row.key == key:
                racy = key[1] >= row.checked - RACY_NS
                if not racy or _sha(self.root / entry.path) == row.sha256:
                    light = _loads(row.light)
                    if isinstance(light, FileLight):
                        state.learn(entry.path, key, row.checked if not racy else now, light)
                        continue
            to_read.append((entry, key))
        unstored: list[Row] = []

        def keep(rows: list[Row]) -> None:
            for row in rows:
                light = _loads(row.light)
                if isinstance(light, FileLight):
                    state.learn(row.path, row.key, row.checked, light)
            if not self.cache.store(rows):
                unstored.extend(rows)

        if len(to_read) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            # Reading every file (a first start): the agenda needs only the light
            # parts; pickling every record as well would cost a fifth of the start,
            # so the full records are kept when a search or report first asks.
            self._read_parallel(to_read, keep, progress, full=False)
        elif to_read:
            batch: list[Row] = []
            for i, (entry, key) in enumerate(to_read):
                batch.append(_read(self.root, entry, key))
                if progress is not None and (i % 50 == 0 or i + 1 == len(to_read)):
                    progress(i + 1, len(to_read))
            keep(batch)
        return unstored

    def _read_parallel(self, jobs: list[tuple[Entry, StatKey | None]],
                       keep: Callable[[list[Row]], None], progress: Progress | None,
                       full: bool) -> None:
        """Read on every core; this process keeps each share as it arrives (while the
        workers go on with the next)."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        workers = min(os.cpu_count() or 2, 8)
        size = max(len(jobs) // (workers * 8), 1)
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        done = 0
        with ProcessPoolExecutor(workers,
                                 mp_context=multiprocessing.get_context(method)) as pool:
            for part in pool.map(_read_many, [self.root] * len(chunks), chunks,
                                 [full] * len(chunks)):
                keep(part)
                done += len(part)
                if progress is not None:
                    progress(done, len(jobs))

    # --- answering -----------------------------------------------------------------

    def _kept_or_new(self, state: _State, entries: list[Entry], scan_problems: list[Problem],
                     changed: bool) -> View:
        """The last view when no file changed and it was made of the same entries, scan
        problems and cache generation (a long-lived process keeps its view), else a
        new one."""
        generation = self.cache.generation() if self._facts is None else None
        seen = (entries, scan_problems, generation)
        if not changed and self._last is not None and self._last[0] == seen:
            return self._last[1]
        view = self._view(state, entries, scan_problems, generation)
        self._last = (seen, view)
        return view

    def _view(self, state: _State, entries: list[Entry], scan_problems: list[Problem],
              generation: int | None) -> View:
        settings = _settings_of(self.root, state.settings.values())
        clients = {c.slug: c for c in state.clients.values()}
        open_promises = tuple(p for part in state.open.values() for p in part)
        latest: dict[str, int] = {}
        for slug, day in state.notes.values():
            if day > latest.get(slug, 0):
                latest[slug] = day
        newest = {slug: date.fromordinal(day) for slug, day in latest.items()}
        problems = list(scan_problems)
        for found in state.problems.values():
            problems.extend(found)
        if generation is None or generation != state.cross_at:
            # Only the checks across files need every path (an edit that kept the
            # facts as they were does not pay for these passes over 12,000 entries).
            present = {e.path for e in entries}
            conflicts = [e.path for e in entries if e.kind == "conflict" or (
                e.kind == "note" and ".conflict-" in e.path.rsplit("/", 1)[-1])]
            state.cross = tuple(self._cross(settings, present, conflicts))
            state.cross_at = generation
        problems.extend(state.cross)
        return View(self.root, settings, clients, open_promises, newest,
                    tuple(sorted(set(problems), key=Problem.order)), entries, self,
                    frozenset(state.first_sight), dict(state.open))

    def _cross(self, settings: Settings, present: set[str],
               conflicts: list[str]) -> list[Problem]:
        """The checks across files: SQL over the cached facts when there is a cache."""
        from tui.workspace.check import conflict_problems

        if self._facts is not None:
            facts = {p: f for p, f in self._facts.items() if p in present}
            return cross_problems(self.root, settings, facts, conflicts)
        try:
            ids = self.cache.query(
                "SELECT id, path, line, col FROM ids WHERE id IN "
                "(SELECT id FROM ids GROUP BY id HAVING COUNT(*) > 1) ORDER BY path, line")
            team = {m.handle for m in settings.team}
            named = {str(r[0]) for r in self.cache.query("SELECT DISTINCT handle FROM owners")}
            unknown = sorted(named - team)
            owners = self.cache.query(
                "SELECT path, key, handle, line, col FROM owners WHERE handle IN "
                f"({','.join('?' * len(unknown))}) ORDER BY path, line", unknown
            ) if unknown else []
            links = self.cache.query("SELECT path, slug, note, line, col FROM links")
        except CacheTrouble:
            return []  # the next refresh rebuilds the cache and checks again
        return [
            *duplicate_ids(r for r in ids if r[1] in present),
            *owners_in_team(settings, (r for r in owners if r[0] in present)),
            *note_links(self.root, (r for r in links if r[0] in present), present),
            *conflict_problems(conflicts),
        ]

    def promise_rows(self, view: View) -> PromiseRows:
        """The view's promise rows, each file's reused from the last view when its
        promises (the very tuple the file gave), its client's card and the settings
        are the same objects."""
        ws = view.workspace()
        kept = self._rows
        fresh: dict[str, _FileRows] = {}
        for path, promises in view.open_parts.items():
            if not promises:
                continue
            client = ws.clients.get(promises[0].client)
            old = kept.get(path)
            if (old is not None and old[0] is promises and old[1] is client
                    and old[2] is ws.settings):
                part = old[3]
            else:
                part = rows_of((p for p in promises if p.is_open), ws)
            fresh[path] = (promises, client, ws.settings, part)
        changed = {p for p, f in fresh.items() if p not in kept or kept[p][3] is not f[3]}
        changed.update(p for p in kept if p not in fresh)
        self._rows = fresh
        if self._ordered is None or len(changed) > MERGE_ROWS_UPTO:
            ordered = sorted((r for f in fresh.values() for r in f[3]), key=row_order)
        else:
            # A few files changed: their rows out of the last order, their new ones in.
            ordered = [r for r in self._ordered if r[1].path not in changed]
            for p in changed:
                for r in fresh[p][3] if p in fresh else ():
                    bisect.insort(ordered, r, key=row_order)
        self._ordered = ordered
        return PromiseRows.of(ordered, ordered=True)

    def locate(self, promise_id: str) -> list[tuple[str, int]]:
        if self._facts is not None:
            return [(f.path, line) for f in self._facts.values()
                    for pid, line, _ in f.ids if pid == promise_id]
        try:
            found = self.cache.query("SELECT path, line FROM ids WHERE id = ?", (promise_id,))
        except CacheTrouble:
            return []
        return [(str(p), int(line)) for p, line in found]

    def all_ids(self) -> set[str]:
        if self._facts is not None:
            return {pid for f in self._facts.values() for pid, _, _ in f.ids}
        try:
            return {str(r[0]) for r in self.cache.query("SELECT DISTINCT id FROM ids")}
        except CacheTrouble:
            return set()

    def records(self, view: View, paths: set[str]) -> list[FileResult]:
        """The full records of some files (from the cache, else read)."""
        wanted = [e for e in view.entries if e.path in paths]
        cached: dict[str, FileResult] = {}
        try:
            marks = ",".join("?" * len(wanted))
            for path, blob in self.cache.query(
                    f"SELECT path, full FROM files WHERE path IN ({marks})",
                    [e.path for e in wanted]):
                result = _loads(blob)
                if type(result).__name__ == "FileResult":
                    cached[str(path)] = result
        except CacheTrouble:
            pass
        return self._with_missing(wanted, cached)

    def full(self, view: View) -> Loaded:
        """Every record, from the cache; the files whose full records it has not kept
        (a first start read them for their light parts only) or lost are read again,
        and kept."""
        results: dict[str, FileResult] = {}
        for path, blob in self.cache.full():
            result = _loads(blob)
            if type(result).__name__ == "FileResult":
                results[path] = result
        return _loaded(view, self._with_missing(view.entries, results))

    def lacking_full(self) -> list[str]:
        """The files whose full records the cache has yet to keep (a first start left
        them for later): what :meth:`keep_full` is for."""
        try:
            return [str(r[0]) for r in self.cache.query(
                "SELECT path FROM files WHERE length(full) = 0 AND sha != ''")]
        except CacheTrouble:
            return []

    def keep_full(self, view: View, paths: Collection[str]) -> None:
        """Read these files and keep their full records. The background server does it
        a few files at a time while nobody waits, so a first search or report finds
        them kept."""
        self._read_and_keep([e for e in view.entries if e.path in paths])

    def _with_missing(self, entries: Sequence[Entry], results: dict[str, FileResult]
                      ) -> list[FileResult]:
        """The full records of these entries: the ones given, the others read and
        kept in the cache."""
        for row in self._read_and_keep([e for e in entries if e.path not in results]):
            result = _loads(row.full)
            if type(result).__name__ == "FileResult":
                results[row.path] = result
        return [results.get(e.path) or read_entry(self.root, e) for e in entries]

    def _read_and_keep(self, entries: list[Entry]) -> list[Row]:
        """These files read with their full records (on every core when there are
        many), which the cache keeps for the content its rows know."""
        jobs: list[tuple[Entry, StatKey | None]] = [(e, None) for e in entries]
        rows: list[Row] = []
        if len(jobs) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            self._read_parallel(jobs, rows.extend, None, full=True)
        else:
            rows = [_read(self.root, entry, None) for entry in entries]
        self.cache.fill((r.path, r.sha256, r.full) for r in rows if r.sha256)
        return rows


def _loaded(view: View, results: Sequence[FileResult]) -> Loaded:
    """The full records, with the problems the view already worked out."""
    from tui.workspace.load import Loaded

    clients: dict[str, Client] = {}
    promises: list[Promise] = []
    notes: list[Note] = []
    for r in results:
        if r.client is not None:
            clients[r.client.slug] = r.client
        promises.extend(r.promises)
        if r.note is not None:
            notes.append(r.note)
    ws = Workspace(view.settings, clients, tuple(promises), tuple(notes))
    return Loaded(view.root, ws, view.problems, {r.entry.path: r for r in results})


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _loads(blob: bytes) -> Any:
    try:
        return pickle.loads(blob)
    except Exception:  # a corrupt row: the file is read again
        return None
