"""Task lines in meeting notes: promises written down where they were made.

A note's body may hold task lines; each is a promise, and the note is its source of
truth::

    - [ ] Send the December media plan due:2026-11-25 ^k7m2p9
    - [ ] @client Access to Yandex Metrica due:завтра
    - [x] Call Olga back due:fri ^q4h8t2
      - 2026-11-24 done
    - [-] Banner set B due:2026-11-30 ^x1y2z3
      - 2026-11-25 dropped: the client cancelled the set

* ``- [ ]`` is open, ``- [x]`` done, ``- [-]`` dropped. ``@client`` (or ``@клиент``)
  first makes it the client's promise. ``*``, ``+`` and ``1.`` bullets work too.
* ``due:`` is the last thing before the id and runs to the end of the line, so
  ``due:в пятницу`` and ``due:2026-11-25 14:30`` work. A word is read relative to
  the note's ``date`` (``due:завтра`` in a note of 18 Nov is 19 Nov).
* `` ^id`` at the end is the promise's id. Kept writes it on first sight, changing
  nothing else on that line. Until then the promise already has the id Kept will
  write: derived from the note's path and the line's text (:func:`provisional_id`).
* The lines indented under a task line that start with a date and an event are its
  history (moves, chases, and the day it was done or dropped); other indented lines
  are the person's own and are left alone.

Lines inside fenced code blocks and HTML comments are not task lines. A task line
without ``due:`` is a plain checklist item (a warning says so); a ``due:`` Kept cannot
read, or a malformed ``^id``, is an error at its column.

:func:`read_tasks` turns a note's text into promises and problems (never raising);
:func:`apply_edits` changes task lines as text, verified by scanning the result again;
:func:`edit_note` does that to a file on disk, atomically.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.dates import Clock, Due, parse_date, parse_when
from tui.core.models import By, HistoryEntry, Kind, Promise, PromiseStatus
from tui.core.slugs import ID_RE, derived_id
from tui.errors import EditConflict, Problem, Severity, WriteError
from tui.workspace import notes as notes_mod
from tui.workspace.text import DecodeError, conflict_markers, decode, encode

if TYPE_CHECKING:
    from tui.workspace.edit import Written

TASK_RE = re.compile(
    r"(?P<lead>(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+)\[(?P<box>[ xX-])\]"
    r"(?:(?P<gap>[ \t]+)(?P<rest>.*))?"
)
_ID_END_RE = re.compile(r"(?:^|[ \t])\^(?P<id>\S*)[ \t]*$")
_CLIENT_RE = re.compile(r"@(?:client|клиент)(?=[ \t]|$)[ \t]*", re.IGNORECASE)
_DUE_RE = re.compile(r"(?:^|(?<=[ \t]))due:", re.IGNORECASE)
_FENCE_RE = re.compile(r"[ ]{0,3}(```|~~~)")
_DUE_TEXT = r"\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2})?"
HISTORY_RE = re.compile(
    r"(?P<indent>[ \t]+)[-*+][ \t]+(?P<on>\d{4}-\d{1,2}-\d{1,2})[ \t]+"
    r"(?P<event>moved|chased|answered|dropped|reopened|cold|done)\b(?P<rest>.*)"
)
_MOVED_RE = re.compile(
    rf"[ \t]+from[ \t]+(?P<from>{_DUE_TEXT})[ \t]+to[ \t]+(?P<to>{_DUE_TEXT})"
    r"[ \t]*(?::[ \t]*(?P<why>.*))?"
)
_PLAIN_RE = re.compile(r"[ \t]*(?::[ \t]*(?P<why>.*))?")

BOX_STATUS = {" ": PromiseStatus.OPEN, "x": PromiseStatus.DONE, "X": PromiseStatus.DONE,
              "-": PromiseStatus.DROPPED}
STATUS_BOX = {PromiseStatus.OPEN: " ", PromiseStatus.DONE: "x", PromiseStatus.DROPPED: "-"}
CLOSING_EVENTS = ("done", "dropped", "cold")
HISTORY_HINT = ("write '- 2026-11-24 moved from 2026-11-25 to 2026-11-27: why', "
                "'- 2026-11-24 chased: why' or '- 2026-11-24 done'")


@dataclass(frozen=True)
class HistoryLine:
    line: int
    entry: HistoryEntry | None  # None: the line is malformed
    col: int = 1
    error: str = ""


@dataclass(frozen=True)
class TaskLine:
    """One task line as written, with everything needed to read or patch it."""

    line: int  # 1-based, in the whole file
    raw: str  # the line without its line ending
    box: str
    box_col: int  # 1-based column of the box's inner character
    by_client: bool
    text: str
    text_col: int
    when: str  # "" when there is no due:
    when_col: int  # the column of WHEN (or of where it would start)
    when_span: tuple[int, int]  # 0-based slice of ``raw`` holding WHEN
    has_due: bool
    written_id: str | None  # what follows ^, when there is one
    id_col: int
    indent: str
    history: tuple[HistoryLine, ...]
    block_end: int  # the last line (1-based) of the lines indented under it
    history_indent: str  # how to indent a new history line
    provisional: str = ""  # the id Kept would write (set for lines without one)

    @property
    def status(self) -> PromiseStatus:
        return BOX_STATUS[self.box]


def provisional_id(path: str, by_client: bool, text: str, occurrence: int) -> str:
    """The id Kept writes into a task line that has none: the same on every machine."""
    side = "client" if by_client else "us"
    return derived_id(f"task\x00{path}\x00{side}\x00{' '.join(text.split())}\x00{occurrence}")


def body_start(text: str) -> int | None:
    """The 1-based line where a note's body begins; None without front matter."""
    try:
        fm = notes_mod.split(text)
    except notes_mod.FrontMatterError:
        return None
    return _first_line(text, fm.body)


def _first_line(text: str, body: str) -> int:
    """The 1-based line of text where body, its tail, begins."""
    return text.count("\n", 0, len(text) - len(body)) + 1


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def _lines(text: str) -> list[str]:
    """The lines without their endings ("\\r\\n" or "\\n")."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def scan(text: str, path: str, fm: notes_mod.FrontMatter | None = None) -> list[TaskLine]:
    """Every task line of a note's body, in order (``fm``: the note split already)."""
    if fm is None:
        try:
            fm = notes_mod.split(text)
        except notes_mod.FrontMatterError:
            return []
    if "[" not in fm.body:
        return []  # no box, no task line (most notes)
    first = _first_line(text, fm.body)
    lines = _lines(text)
    found: list[TaskLine] = []
    fence: str | None = None
    in_comment = False
    seen: dict[tuple[bool, str], int] = {}
    index = first - 1
    while index < len(lines):
        raw = lines[index]
        number = index + 1
        index += 1
        stripped = raw.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        if in_comment:
            if "-->" in raw:
                in_comment = False
            continue
        m_fence = _FENCE_RE.match(raw)
        if m_fence:
            fence = m_fence[1]
            continue
        if "<!--" in raw and "-->" not in raw[raw.index("<!--"):]:
            in_comment = True
            continue
        m = TASK_RE.fullmatch(raw)
        if m is None:
            continue
        task = _task(raw, number, m, lines, index)
        # Lines of the same text count apart, with or without ids, so writing the id
        # of one never changes the id Kept derives for another.
        key = (task.by_client, " ".join(task.text.split()))
        n = seen.get(key, 0)
        seen[key] = n + 1
        if task.written_id is None:
            task = replace(task, provisional=provisional_id(path, task.by_client, task.text, n))
        found.append(task)
    return found


def _task(raw: str, number: int, m: re.Match[str], lines: list[str], after: int) -> TaskLine:
    rest = m["rest"] or ""
    rest_start = m.start("rest") if m["rest"] is not None else len(raw)
    written_id: str | None = None
    id_col = 0
    body_end = len(rest)
    m_id = _ID_END_RE.search(rest)
    if m_id:
        written_id = m_id["id"]
        id_col = rest_start + m_id.start("id")  # the caret's 1-based column
        body_end = m_id.start()
    body = rest[:body_end]
    by_client = False
    offset = 0
    m_client = _CLIENT_RE.match(body)
    if m_client:
        by_client = True
        offset = m_client.end()
    dues = list(_DUE_RE.finditer(body, offset))
    if dues:
        last = dues[-1]
        text = body[offset : last.start()].strip()
        when_raw = body[last.end() :]
        lead = len(when_raw) - len(when_raw.lstrip())
        when = when_raw.strip()
        start = rest_start + last.end() + lead
        span = (start, start + len(when))
        has_due = True
    else:
        text = body[offset:].strip()
        when = ""
        start = rest_start + len(body.rstrip())
        span = (start, start)
        has_due = False
    text_start = rest_start + offset + (len(body[offset:]) - len(body[offset:].lstrip()))
    indent = m["indent"]
    # The lines indented under it, up to a blank line or another task line.
    history: list[HistoryLine] = []
    block_end = number
    history_indent = indent + "  "
    j = after
    while j < len(lines):
        line = lines[j]
        if not line.strip() or _width(line[: len(line) - len(line.lstrip())]) <= _width(indent):
            break
        if TASK_RE.fullmatch(line):
            break
        block_end = j + 1
        h = HISTORY_RE.fullmatch(line)
        if h:
            if not history:
                history_indent = h["indent"]
            history.append(_history(h, j + 1))
        j += 1
    return TaskLine(
        line=number, raw=raw, box=m["box"], box_col=m.start("box") + 1, by_client=by_client,
        text=text, text_col=text_start + 1, when=when, when_col=span[0] + 1, when_span=span,
        has_due=has_due, written_id=written_id, id_col=id_col, indent=indent,
        history=tuple(history), block_end=block_end, history_indent=history_indent,
    )


def _history(h: re.Match[str], number: int) -> HistoryLine:
    col = h.start("on") + 1
    try:
        on = parse_date(h["on"])
    except ValueError:
        return HistoryLine(number, None, col, f"'{h['on']}' is not a date; {HISTORY_HINT}")
    event = h["event"]
    if event == "moved":
        m = _MOVED_RE.fullmatch(h["rest"])
        if m is None:
            return HistoryLine(number, None, h.start("rest") + 1,
                               f"a move needs 'from DATE to DATE'; {HISTORY_HINT}")
        try:
            entry = HistoryEntry(on, "moved", Due.parse(m["from"]), Due.parse(m["to"]),
                                 (m["why"] or "").strip())
        except ValueError as exc:
            return HistoryLine(number, None, h.start("rest") + 1, f"{exc}; {HISTORY_HINT}")
        return HistoryLine(number, entry, col)
    m = _PLAIN_RE.fullmatch(h["rest"])
    if m is None:
        return HistoryLine(number, None, h.start("rest") + 1,
                           f"after '{event}' write ': why', or nothing; {HISTORY_HINT}")
    return HistoryLine(number, HistoryEntry(on, event, why=(m["why"] or "").strip()), col)


# --- reading -------------------------------------------------------------------------


def read_tasks(path: str, slug: str, text: str, note_day: date,
               fm: notes_mod.FrontMatter | None = None,
               ) -> tuple[list[tuple[Promise, bool]], list[Problem]]:
    """Every task line of a note as a promise (with whether it is free of errors),
    and the problems of the malformed ones."""
    problems: list[Problem] = []
    out: list[tuple[Promise, bool]] = []
    clock = Clock.on(note_day)
    note_rel = path.split("/", 2)[2] if path.count("/") >= 2 else path
    for task in scan(text, path, fm):
        ok = True

        def problem(col: int, message: str, severity: Severity = Severity.ERROR,
                    line: int = task.line) -> None:
            nonlocal ok
            if severity is Severity.ERROR:
                ok = False
            problems.append(Problem(path, line, col, severity, message))

        if task.written_id is not None and not ID_RE.fullmatch(task.written_id):
            problem(task.id_col, f"task line id '^{task.written_id}' is malformed; an id is "
                    "6 lowercase letters and digits, like ^k7m2p9 (or delete it: Kept "
                    "writes one)")
        if not task.has_due:
            if task.written_id is None:
                problem(task.when_col, "a task line without due:WHEN is not a promise; add "
                        "one, like due:fri or due:2026-11-25", Severity.WARNING)
                continue
            problem(task.when_col, "this task line has an id but no due:WHEN; add one, "
                    "like due:fri")
        if not task.text:
            problem(task.text_col, "a task line needs text: what was promised")
        due = Due(date.min)
        if task.has_due:
            if not task.when:
                problem(task.when_col, "due: is empty; write a date or a word, like "
                        "due:2026-11-25, due:fri or due:завтра")
            else:
                try:
                    due = parse_when(task.when, clock)
                except ValueError as exc:
                    problem(task.when_col, f"due:{task.when}: {exc} (put due: last on "
                            "the line)")
        history: list[HistoryEntry] = []
        for h in task.history:
            if h.entry is None:  # costs only that line, as a bad YAML history entry does
                problems.append(Problem(path, h.line, h.col, Severity.ERROR,
                                        f"history line: {h.error}"))
            else:
                history.append(h.entry)
        closed = None
        if task.status is not PromiseStatus.OPEN:
            closed = next((h.on for h in reversed(history) if h.event in CLOSING_EVENTS), None)
        pos: dict[str, tuple[int, int]] = {
            "text": (task.line, task.text_col),
            "status": (task.line, task.box_col),
            "due": (task.line, task.when_col),
        }
        if task.written_id is not None:
            pos["id"] = (task.line, task.id_col)
        promise = Promise(
            id=task.written_id if task.written_id is not None else task.provisional,
            client=slug,
            text=" ".join(task.text.split()),
            due=due,
            path=path,
            line=task.line,
            by=By.CLIENT if task.by_client else By.US,
            made=note_day,
            status=task.status,
            closed=closed,
            kind=Kind.TASK,
            note=note_rel,
            history=tuple(history),
            pos=dict(pos),
            pending_id=task.written_id is None,
        )
        out.append((promise, ok))
    return out, problems


def note_promises(sink_problems: list[Problem], path: str, slug: str, text: str,
                  note_day: date, fm: notes_mod.FrontMatter | None = None,
                  ) -> dict[str, tuple[Promise, ...]]:
    """A note's task lines as the ``promises`` and ``rejected`` of its FileResult; the
    problems go to ``sink_problems``."""
    read, problems = read_tasks(path, slug, text, note_day, fm)
    sink_problems.extend(problems)
    return {"promises": tuple(p for p, ok in read if ok),
            "rejected": tuple(p for p, ok in read if not ok)}


# --- writing -------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskEdit:
    """A change to one task line, found by its id (or, before it has one, by the id
    Kept derives from its text — so a line edited since it was read is not found).

    ``expect_status`` and ``expect_due`` are what was read; the edit is refused when
    the line no longer says so.
    """

    promise_id: str
    note_day: date
    new_id: str | None = None  # write `` ^new_id`` (a line without an id)
    status: PromiseStatus | None = None
    due: Due | None = None
    history: tuple[HistoryEntry, ...] = ()
    expect_status: PromiseStatus | None = None
    expect_due: Due | None = None


def render_history(entry: HistoryEntry) -> str:
    """A history line's text after ``- ``."""
    why = " ".join(entry.why.split())
    if entry.event == "moved":
        text = f"{entry.on.isoformat()} moved from {entry.from_} to {entry.to}"
    else:
        text = f"{entry.on.isoformat()} {entry.event}"
    return f"{text}: {why}" if why else text


def _find(tasks: list[TaskLine], edit: TaskEdit, path: str) -> TaskLine:
    by_id = [t for t in tasks if t.written_id == edit.promise_id]
    if not by_id:
        by_id = [t for t in tasks if t.written_id is None and t.provisional == edit.promise_id]
    if not by_id:
        raise EditConflict(f"{path}: the task line of promise {edit.promise_id} is not in the "
                           "note any more (it was changed or removed); nothing was written")
    if len(by_id) > 1:
        raise EditConflict(f"{path}: ^{edit.promise_id} is on {len(by_id)} task lines; "
                           "give each its own id first")
    return by_id[0]


def apply_edits(text: str, edits: Sequence[TaskEdit], path: str) -> str:
    """The note's text with ``edits`` applied: only the task lines they name change
    (and history lines are added under them). Raises EditConflict or WriteError."""
    markers = conflict_markers(text)
    if markers:
        raise EditConflict(f"{path}:{markers[0][0]}:1: git conflict markers: resolve the "
                           "conflict first; Kept will not edit around them")
    tasks = scan(text, path)
    pieces = text.split("\n")
    nl = "\r\n" if "\r\n" in text else "\n"
    replaced: dict[int, str] = {}
    inserted: dict[int, list[str]] = {}
    expected: dict[str, TaskEdit] = {}
    for edit in edits:
        task = _find(tasks, edit, path)
        clock = Clock.on(edit.note_day)
        if edit.expect_status is not None and task.status is not edit.expect_status:
            raise EditConflict(f"{path}:{task.line}: the task line is now "
                               f"'[{task.box}]' ({task.status}), not {edit.expect_status}; "
                               "nothing was written")
        if edit.expect_due is not None:
            try:
                now = parse_when(task.when, clock)
            except ValueError:
                now = None
            if now != edit.expect_due:
                raise EditConflict(f"{path}:{task.line}: due changed on disk since Kept read "
                                   f"it (now due:{task.when}); nothing was written")
        raw = replaced.get(task.line, task.raw)
        if raw != task.raw:
            raise EditConflict("two edits of one task line")
        new = raw
        # Right to left, so earlier positions stay valid.
        if edit.new_id is not None:
            if task.written_id is not None:
                raise EditConflict(f"{path}:{task.line}: the task line already has an id")
            body = len(new.rstrip())
            new = f"{new[:body]} ^{edit.new_id}{new[body:]}"
        if edit.due is not None:
            a, b = task.when_span
            if task.has_due:
                new = new[:a] + str(edit.due) + new[b:]
            else:
                new = new[:a] + f" due:{edit.due}" + new[a:]
        if edit.status is not None:
            i = task.box_col - 1
            new = new[:i] + STATUS_BOX[edit.status] + new[i + 1 :]
        replaced[task.line] = new
        if edit.history:
            lines = [f"{task.history_indent}- {render_history(h)}" for h in edit.history]
            inserted.setdefault(task.block_end, []).extend(lines)
        expected[edit.new_id or edit.promise_id] = edit
    out: list[str] = []
    for i, piece in enumerate(pieces, start=1):
        cr = "\r" if piece.endswith("\r") else ""
        out.append(replaced[i] + cr if i in replaced else piece)
        for line in inserted.get(i, []):
            out.append(line + ("\r" if nl == "\r\n" else ""))
    result = "\n".join(out)
    _verify(text, result, tasks, expected, path)
    return result


def _verify(before: str, after: str, tasks: list[TaskLine], expected: dict[str, TaskEdit],
            path: str) -> None:
    """The result must hold the same task lines, the edited ones as intended."""
    again = scan(after, path)
    if len(again) != len(tasks) or body_start(after) != body_start(before):
        raise WriteError(f"Kept could not edit {path} without changing its task lines "
                         "elsewhere, so nothing was written. Edit it by hand.")
    for old, new in zip(tasks, again, strict=True):
        key = new.written_id or new.provisional
        edit = expected.get(key)
        if edit is None:
            if old.raw != new.raw or _entries(old) != _entries(new):
                raise WriteError(f"Kept could not edit {path} without changing another task "
                                 "line, so nothing was written. Edit it by hand.")
            continue
        ok = (edit.new_id is None or new.written_id == edit.new_id) and (
            edit.status is None or new.status is edit.status) and (
            edit.due is None or new.when == str(edit.due)
        ) and len(new.history) == len(old.history) + len(edit.history) and all(
            h.entry is not None and render_history(h.entry) == render_history(e)
            for h, e in zip(new.history[len(old.history):], edit.history, strict=True)
        )
        if not ok:
            raise WriteError(f"Kept could not edit {path}:{new.line} as intended, so nothing "
                             "was written. Edit the task line by hand.")


def _entries(task: TaskLine) -> list[tuple[HistoryEntry | None, str]]:
    return [(h.entry, h.error) for h in task.history]


def edit_note(path: Path, edits: Sequence[TaskEdit], base_sha256: str | None,
              display: str) -> Written:
    """Apply ``edits`` to the note as it is now on disk and write it atomically."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise EditConflict(f"{display} is not there any more; nothing was written") from None
    except OSError as exc:
        raise WriteError(f"could not read {display}: {exc.strerror or exc}") from exc
    try:
        decoded = decode(data)
    except DecodeError as exc:
        raise EditConflict(f"{display}:{exc.line}:{exc.col}: {exc}") from None
    changed = base_sha256 is not None and hashlib.sha256(data).hexdigest() != base_sha256
    new_text = apply_edits(decoded.text, edits, display)
    from tui.workspace.edit import Written, atomic_write  # (reading needs neither)

    atomic_write(path, encode(decoded, new_text))
    return Written(path, changed)
