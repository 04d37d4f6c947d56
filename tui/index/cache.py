"""The cache: what each file of a workspace yielded, keyed by what the file was.

One SQLite file per workspace in the user's cache folder (see :func:`cache_path`):

* ``files``: per file its stat key (size, mtime_ns, inode, ctime_ns), when it was
  read, its sha256, and two pickles — the light part the agenda needs and the full
  records (empty until first asked for, when a start read every file: see
  :meth:`Cache.fill`);
* ``ids``, ``owners``, ``links``: the facts the checks across files need (where each
  promise id is written, each owner named, each note linked), so those checks are a
  few SQL queries, not a pass over every record;
* ``meta``: the format version and a *snapshot* of the assembled light parts, so a
  warm start with nothing changed reads one value.

Anything wrong with the cache — missing, corrupt, another version, locked too long —
and it is dropped and rebuilt. It is never trusted blindly and never fatal.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tui
from tui.workspace.facts import Facts

#: Bumped whenever what is stored changes shape; the package and Python versions are
#: part of the key too, so a new Kept never reads an old Kept's pickles.
FORMAT = 8
VERSION = f"{FORMAT}:{tui.__version__}:{sys.version_info[0]}.{sys.version_info[1]}"

_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB)",
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INT, mtime INT, "
    "ino INT, ctime INT, checked INT, sha TEXT, light BLOB, full BLOB)",
    "CREATE TABLE IF NOT EXISTS ids (path TEXT, id TEXT, line INT, col INT)",
    "CREATE INDEX IF NOT EXISTS ids_by_id ON ids (id)",
    "CREATE INDEX IF NOT EXISTS ids_by_path ON ids (path)",
    "CREATE TABLE IF NOT EXISTS owners (path TEXT, key TEXT, handle TEXT, line INT, col INT)",
    "CREATE INDEX IF NOT EXISTS owners_by_path ON owners (path)",
    "CREATE INDEX IF NOT EXISTS owners_by_handle ON owners (handle)",
    "CREATE TABLE IF NOT EXISTS links (path TEXT, slug TEXT, note TEXT, line INT, col INT)",
    "CREATE INDEX IF NOT EXISTS links_by_path ON links (path)",
]


@dataclass(frozen=True)
class Row:
    path: str
    key: tuple[int, int, int, int] | None
    checked: int  # time.time_ns() when the file was read
    sha256: str
    light: bytes
    full: bytes  # b"": not kept yet
    facts: Facts | None = None


class CacheTrouble(Exception):
    """The cache could not answer; the caller reads the files instead."""


def cache_path(root: Path, env: Mapping[str, str] | None = None) -> Path:
    """Where a workspace's cache lives: the user's cache folder (``$KEPT_CACHE_DIR``
    if set), one file per workspace — so reading a workspace never writes into it."""
    env = os.environ if env is None else env
    if env.get("KEPT_CACHE_DIR"):
        base = Path(env["KEPT_CACHE_DIR"])
    else:
        import platformdirs

        base = platformdirs.user_cache_path("kept") / "index"
    digest = hashlib.sha1(str(root).encode("utf-8")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in root.name)[:40]
    return base / f"{name}-{digest}.sqlite"


class Cache:
    """The per-file cache. Every method turns cache trouble into "nothing cached"."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent
        self._db: sqlite3.Connection | None = None
        # The app reads and writes from worker threads: one at a time.
        self._lock = threading.RLock()

    # --- opening -------------------------------------------------------------------

    def db(self) -> sqlite3.Connection | None:
        """The open database, opened (or rebuilt) on first use; None if impossible."""
        if self._db is not None:
            return self._db
        try:
            self._db = self._connect()
        except (sqlite3.Error, OSError):
            self.drop()
            try:
                self._db = self._connect()
            except (sqlite3.Error, OSError):
                self._db = None
        return self._db

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                             check_same_thread=False)
        found = None
        with contextlib.suppress(sqlite3.Error):
            found = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if found is None or found[0] != VERSION:
            db.close()
            self._remove_files()
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (VERSION,))
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def drop(self) -> None:
        """Forget everything (a corrupt or foreign cache): delete the file."""
        self.close()
        self._remove_files()

    def forget_connection(self) -> None:
        """In a forked process: leave the parent's connection alone (SQLite's must not
        be used across a fork) and open a new one when next needed."""
        self._db = None
        self._lock = threading.RLock()

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _guard(self, work: Any) -> Any:
        """Run ``work(db)``; on any cache trouble drop the cache and raise CacheTrouble."""
        with self._lock:
            db = self.db()
            if db is None:
                raise CacheTrouble("no cache")
            try:
                return work(db)
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise CacheTrouble(str(exc)) from exc  # another Kept is writing: skip
                self.drop()
                raise CacheTrouble(str(exc)) from exc
            except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError,
                    ImportError, TypeError, ValueError) as exc:
                self.drop()
                raise CacheTrouble(str(exc)) from exc

    # --- reading -------------------------------------------------------------------

    def snapshot(self) -> Any:
        """The last snapshot (whatever the index stored), or None."""
        def read(db: sqlite3.Connection) -> Any:
            found = db.execute("SELECT value FROM meta WHERE key = 'snapshot'").fetchone()
            return None if found is None else pickle.loads(found[0])

        try:
            return self._guard(read)
        except CacheTrouble:
            return None

    def rows(self, paths: Iterable[str]) -> dict[str, Row]:
        """The stored rows of these paths (those that have one), without the full part."""
        wanted = list(paths)

        def read(db: sqlite3.Connection) -> dict[str, Row]:
            out: dict[str, Row] = {}
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for r in db.execute(
                        f"SELECT path, size, mtime, ino, ctime, checked, sha, light "
                        f"FROM files WHERE path IN ({marks})", chunk):
                    key = None if r[1] is None else (r[1], r[2], r[3], r[4])
                    out[r[0]] = Row(r[0], key, r[5], r[6], r[7], b"")
            return out

        try:
            return dict(self._guard(read))
        except CacheTrouble:
            return {}

    def full(self) -> list[tuple[str, bytes]]:
        """Every file's full records, pickled (the files that have them kept)."""
        try:
            return list(self._guard(lambda db: db.execute(
                "SELECT path, full FROM files WHERE length(full) > 0").fetchall()))
        except CacheTrouble:
            return []

    def generation(self) -> int | None:
        """A number that changes whenever any file's facts change (None: no cache)."""
        try:
            found = self._guard(lambda db: db.execute(
                "SELECT value FROM meta WHERE key = 'generation'").fetchone())
        except CacheTrouble:
            return None
        return 0 if found is None else int(found[0])

    def sha(self, path: str) -> str | None:
        try:
            found = self._guard(lambda db: db.execute(
                "SELECT sha FROM files WHERE path = ?", (path,)).fetchone())
        except CacheTrouble:
            return None
        return None if found is None else str(found[0])

    def query(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only query over the fact tables (raises CacheTrouble)."""
        return list(self._guard(lambda db: db.execute(sql, tuple(args)).fetchall()))

    # --- writing -------------------------------------------------------------------

    def store(self, rows: Iterable[Row], removed: Iterable[str] = (),
              snapshot: Any = None) -> bool:
        """Keep these rows and their facts (forget removed paths); replace the snapshot
        if one is given. False when the cache could not take them."""
        rows = list(rows)
        removed = list(removed)
        gone = [(p,) for p in removed] + [(r.path,) for r in rows]

        def write(db: sqlite3.Connection) -> None:
            with _transaction(db):
                same = not removed and _same_facts(db, rows)
                for table in ("ids", "owners", "links"):
                    db.executemany(f"DELETE FROM {table} WHERE path = ?", gone)
                db.executemany("DELETE FROM files WHERE path = ?",
                               [(p,) for p in removed])
                db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(r.path, *(r.key or (None, None, None, None)), r.checked, r.sha256,
                      r.light, r.full) for r in rows])
                facts = [r.facts for r in rows if r.facts is not None]
                db.executemany("INSERT INTO ids VALUES (?, ?, ?, ?)",
                               [(f.path, *i) for f in facts for i in f.ids])
                db.executemany("INSERT INTO owners VALUES (?, ?, ?, ?, ?)",
                               [(f.path, *o) for f in facts for o in f.owners])
                db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?)",
                               [(f.path, f.slug, *link) for f in facts for link in f.links])
                if (rows or gone) and not same:
                    # What the checks across files see has changed: they run again.
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', "
                               "COALESCE((SELECT value FROM meta WHERE key = 'generation'), 0)"
                               " + 1)")
                if snapshot is not None:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('snapshot', ?)",
                               (pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL),))

        try:
            self._guard(write)
        except CacheTrouble:
            return False  # next time reads the files; this time is already answered
        return True

    def fill(self, rows: Iterable[tuple[str, str, bytes]]) -> None:
        """Keep the full records of files read again for them: (path, sha256, pickle).
        Each is kept only for the file as its row knows it (the same sha256), so the
        full records never tell of another content than the light part."""
        wanted = [(blob, path, sha) for path, sha, blob in rows]

        def write(db: sqlite3.Connection) -> None:
            with _transaction(db):
                db.executemany("UPDATE files SET full = ? WHERE path = ? AND sha = ?", wanted)

        if wanted:
            with contextlib.suppress(CacheTrouble):
                self._guard(write)  # not kept: read again when next asked for


SAME_FACTS_UP_TO = 32  # rows: a few edited files are compared; a bulk store is not


def _same_facts(db: sqlite3.Connection, rows: list[Row]) -> bool:
    """Whether these few rows bring exactly the facts already kept for their paths (a
    comment added, a text or date changed): then the checks across files stand."""
    if not rows or len(rows) > SAME_FACTS_UP_TO:
        return False
    for r in rows:
        f = r.facts
        if f is None or f.kind == "settings":
            return False  # the team in kept.yaml is part of the checks
        old = db.execute("SELECT 1 FROM files WHERE path = ?", (r.path,)).fetchone()
        if old is None:
            return False  # a new file
        ids = db.execute("SELECT id, line, col FROM ids WHERE path = ? ORDER BY rowid",
                         (r.path,)).fetchall()
        owners = db.execute("SELECT key, handle, line, col FROM owners WHERE path = ? "
                            "ORDER BY rowid", (r.path,)).fetchall()
        links = db.execute("SELECT slug, note, line, col FROM links WHERE path = ? "
                           "ORDER BY rowid", (r.path,)).fetchall()
        if (ids != list(f.ids) or owners != list(f.owners)
                or links != [(f.slug, *link) for link in f.links]):
            return False
    return True


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
