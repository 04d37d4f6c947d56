"""Loading a workspace: files to records, never raising on what the files say.

:func:`read_entry` turns one file into its records and problems, on its own (the unit
a cache or a watcher can redo); :func:`load_workspace` reads them all, then runs the
checks that need more than one file (:mod:`tui.workspace.check`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.models import Client, Note, Promise, Settings, Workspace
from tui.errors import Problem, Severity
from tui.workspace import direct
from tui.workspace import notes as notes_mod
from tui.workspace.layout import Entry, scan
from tui.workspace.schema import Sink, read_client, read_note, read_promises, read_settings
from tui.workspace.tasks import note_promises
from tui.workspace.text import DecodeError, conflict_markers, decode
from tui.workspace.yamlio import parse

MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Fingerprint:
    """What a file was when it was read: edits are based on this."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Fingerprint:
        return cls(len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class FileResult:
    entry: Entry
    fingerprint: Fingerprint | None
    problems: tuple[Problem, ...]
    settings: Settings | None = None
    client: Client | None = None
    promises: tuple[Promise, ...] = ()
    note: Note | None = None
    # Records with errors: left out of the workspace, still seen by cross-file checks.
    rejected: tuple[Client | Promise, ...] = ()


@dataclass(frozen=True)
class Loaded:
    root: Path
    workspace: Workspace
    problems: tuple[Problem, ...]
    files: dict[str, FileResult] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def read_bytes(path: str | Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes, to its end (it may have grown since its stat), and the stat;
    OverflowError past :data:`MAX_BYTES`.

    With the descriptor itself: a file object costs 30 µs to make, five times the
    read of a note, and a start with no cache reads 12,000 files."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if st.st_size > MAX_BYTES:
            raise OverflowError(st.st_size)
        # Sized by the stat (a 4 MB buffer for every file costs more than the read),
        # then what came since, in small reads up to the end.
        chunks = [os.read(fd, st.st_size + 1)]
        size = len(chunks[0])
        while chunks[-1]:
            if size > MAX_BYTES:
                raise OverflowError(size)
            chunks.append(os.read(fd, 1 << 16))
            size += len(chunks[-1])
        return b"".join(chunks), st
    finally:
        os.close(fd)


def read_entry(root: Path, entry: Entry) -> FileResult:
    """One file's records and problems. Never raises on the file's content."""
    sink = Sink(entry.path)
    if entry.kind == "conflict":
        return FileResult(entry, None, ())  # a sync's conflict copy: reported across files

    def fail(message: str, line: int = 1, col: int = 1) -> FileResult:
        sink.add(None, Severity.ERROR, message, line, col)
        return FileResult(entry, None, tuple(sink.problems), settings=_fallback(root, entry))

    try:
        data, st = read_bytes(os.path.join(root, entry.path))  # a str: no Path to make
    except FileNotFoundError:
        if entry.kind == "settings":
            return fail("kept.yaml is missing: this folder is not a Kept workspace")
        return fail("the file disappeared while Kept was reading it")
    except OverflowError as exc:
        size = exc.args[0] / 1024 / 1024
        return fail(f"the file is {size:.1f} MB; Kept reads files up to "
                    f"{MAX_BYTES // 1024 // 1024} MB — split it")
    except OSError as exc:
        return fail(f"cannot read the file: {exc.strerror or exc}")
    fingerprint = Fingerprint.of(data, st)
    try:
        decoded = decode(data)
    except DecodeError as exc:
        return FileResult(
            entry, fingerprint,
            (Problem(entry.path, exc.line, exc.col, Severity.ERROR, str(exc)),),
            settings=_fallback(root, entry),
        )
    text = decoded.text
    markers = conflict_markers(text)
    if markers:
        for line, col in markers:
            sink.add(None, Severity.ERROR, "a git conflict marker: resolve the conflict "
                     "(keep the right lines, delete the markers)", line, col)
        return FileResult(entry, fingerprint, tuple(sink.problems), settings=_fallback(root, entry))

    result: dict[str, object] = {}
    if entry.kind == "note":
        try:
            fm = notes_mod.split(text)
        except notes_mod.FrontMatterError as exc:
            sink.add(None, Severity.ERROR, str(exc), exc.line)
        else:
            fallback_title = _stem(entry.path)
            note = direct.note(fm.yaml, entry.path, entry.slug, fallback_title)
            if note is None:  # not in the shape Kept writes, or a problem to name
                node, problems = parse(fm.yaml, entry.path, line_offset=fm.first_line - 1)
                sink.problems.extend(problems)
                if node is not None or not problems:
                    note = read_note(sink, entry.slug, node, fallback_title, fm.first_line)
            if note is not None:  # its task lines are promises
                result["note"] = note
                result.update(note_promises(sink.problems, entry.path, entry.slug, text,
                                            note.date, fm))
    elif entry.kind == "promises" and (
            taken := direct.promises(text, entry.path, entry.slug)) is not None:
        result["promises"] = tuple(taken)  # in Kept's own shape, free of problems
    else:
        node, problems = parse(text, entry.path)
        sink.problems.extend(problems)
        if node is None and problems:
            pass  # the syntax error says it all; the file's records are lost
        elif entry.kind == "settings":
            result["settings"] = read_settings(sink, node, root.name)
        elif entry.kind == "client":
            client, ok = read_client(sink, entry.slug, node)
            if client is not None and ok:
                result["client"] = client
            elif client is not None:
                result["rejected"] = (client,)
        elif entry.kind == "promises":
            read = read_promises(sink, entry.slug, node)
            result["promises"] = tuple(p for p, ok in read if ok)
            result["rejected"] = tuple(p for p, ok in read if not ok)
    if entry.kind == "settings" and result.get("settings") is None:
        result["settings"] = _fallback(root, entry)
    return FileResult(entry, fingerprint, tuple(sink.problems), **result)  # type: ignore[arg-type]


def _stem(path: str) -> str:
    """The file name without ``.md`` (what ``Path(path).stem`` gives a note, sooner)."""
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".md") and len(name) > 3 else Path(name).stem


def _fallback(root: Path, entry: Entry) -> Settings | None:
    """A broken kept.yaml still yields default settings, so the rest keeps working."""
    return Settings(name=root.name, from_file=False) if entry.kind == "settings" else None


def assemble(root: Path, results: list[FileResult],
             scan_problems: list[Problem]) -> Loaded:
    """Records from per-file results, plus the checks that span files."""
    settings = Settings(name=root.name, from_file=False)
    clients: dict[str, Client] = {}
    promises: list[Promise] = []
    notes: list[Note] = []
    problems = list(scan_problems)
    rejected: list[Client | Promise] = []
    for r in results:
        rejected.extend(r.rejected)
        problems.extend(r.problems)
        if r.settings is not None:
            settings = r.settings
        if r.client is not None:
            clients[r.client.slug] = r.client
        promises.extend(r.promises)
        if r.note is not None:
            notes.append(r.note)
    ws = Workspace(settings, clients, tuple(promises), tuple(notes))
    # The checks across files also see the records left out for errors of their own,
    # so a person learns every problem of a record at once.
    seen = Workspace(
        settings,
        {**clients, **{c.slug: c for c in rejected if isinstance(c, Client)}},
        tuple(promises) + tuple(p for p in rejected if isinstance(p, Promise)),
        tuple(notes),
    )
    from tui.workspace.check import cross_checks  # (not for a file read on its own)

    problems.extend(cross_checks(root, seen))
    files = {r.entry.path: r for r in results}
    return Loaded(root, ws, tuple(sorted(problems, key=Problem.order)), files)


Progress = Callable[[int, int], None]


def load_workspace(root: Path, progress: Progress | None = None) -> Loaded:
    """Every record the workspace holds, and every problem in it.

    ``progress(done, total)`` is called as files are read, for faces that show it.
    """
    root = root.resolve()
    entries, scan_problems = scan(root)
    results = []
    for i, entry in enumerate(entries):
        results.append(read_entry(root, entry))
        if progress is not None and (i % 25 == 0 or i + 1 == len(entries)):
            progress(i + 1, len(entries))
    return assemble(root, results, scan_problems)
