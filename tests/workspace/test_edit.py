"""Round-trip editing: Kept changes the lines an action means to change, and no others.

Golden tests: a promises.yaml written the way people write by hand (comments
everywhere, odd quoting, extra spaces, ``null``/``~``/empty values, flow and block
lists indented both ways, a block scalar, Cyrillic), each operation the use cases build
(done, drop, move, add), and the exact text that must come out. Then the file-level
guarantees of ``edit_file``: line endings and BOM kept, nothing written on refusal,
re-application on top of external changes, atomic writes that leave no debris.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.dates import Due
from tui.core.models import PROMISE_ORDER, Promise
from tui.errors import EditConflict, WriteError
from tui.services import actions
from tui.services.context import Session
from tui.workspace.edit import Append, Op, SetKey, Where, apply, edit_file
from tui.workspace.schema import Sink, read_promises
from tui.workspace.yamlio import Flow, parse

DISPLAY = "clients/askona/promises.yaml"
TODAY = date(2026, 11, 23)  # the day tests/conftest.py pins with KEPT_TODAY

# --- helpers -------------------------------------------------------------------------


def at(promise_id: str) -> tuple[Where]:
    return (Where("id", promise_id),)


def close(promise_id: str, status: str, closed_was: Any = None) -> list[Op]:
    """What ``kept done`` / ``kept drop`` ask of the file (see services.actions._close)."""
    return [
        SetKey(at(promise_id), "status", status, expect="open", order=PROMISE_ORDER),
        SetKey(at(promise_id), "closed", TODAY, expect=closed_was, order=PROMISE_ORDER),
    ]


def move(promise_id: str, old: str, new: str, why: str) -> list[Op]:
    """What ``kept move`` asks of the file (see services.actions.move)."""
    entry = Flow(on=TODAY)
    entry.update({"from": Due.parse(old), "to": Due.parse(new), "why": why})
    return [
        SetKey(at(promise_id), "due", Due.parse(new), expect=Due.parse(old),
               order=PROMISE_ORDER),
        Append(at(promise_id), "history", entry),
    ]


def add(item: dict[str, Any]) -> list[Op]:
    """What ``kept add promise`` asks of the file."""
    return [Append((), None, item, unique="id")]


NEW_PROMISE: dict[str, Any] = {
    "id": "m3n4o5",
    "text": "Call Ольга about Q1",
    "by": "us",
    "owner": "anna",
    "to": "Ольга Петрова",
    "made": TODAY,
    "due": Due(date(2026, 11, 27), time(14, 30)),
}


def changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out of ``before`` and the lines put into ``after``."""
    old, new = before.splitlines(), after.splitlines()
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def check(before: str, ops: Sequence[Op], expected: str, removed: list[str],
          added: list[str], newline: str = "\n") -> None:
    after = apply(before, ops, newline, DISPLAY)
    assert after == expected
    assert changed(before, after) == (removed, added)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def promises_file(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "clients" / "askona"
    folder.mkdir(parents=True)
    path = folder / "promises.yaml"
    path.write_bytes(content)
    return path


def snapshot(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_ino


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "promises.yaml")


def read_back(text: str) -> list[Promise]:
    """The promises Kept reads from ``text``; any problem fails the test."""
    root, problems = parse(text, DISPLAY)
    sink = Sink(DISPLAY)
    read = read_promises(sink, "askona", root)
    assert problems == [] and sink.problems == []
    # read_promises gives (promise, ok) pairs; plain promises are accepted too
    return [item[0] if isinstance(item, tuple) else item for item in read]


# --- the hand-written file -----------------------------------------------------------

BASE = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: open
  closed: null
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: open
  closed: ~
  history: null
# end of promises
"""


def test_the_hand_written_file_reads_cleanly() -> None:
    assert [p.id for p in read_back(BASE)] == ["a1b2c3", "d4e5f6", "g7h8i9", "j0k1l2"]


# --- done / drop: status and closed --------------------------------------------------


def test_done_inserts_closed_right_after_status_when_missing() -> None:
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   done
  closed: 2026-11-23
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: open
  closed: null
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: open
  closed: ~
  history: null
# end of promises
"""
    check(BASE, close("a1b2c3", "done"), expected,
          ["  status:   open"], ["  status:   done", "  closed: 2026-11-23"])


def test_done_replaces_closed_null_in_place() -> None:
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: done
  closed: 2026-11-23
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: open
  closed: ~
  history: null
# end of promises
"""
    check(BASE, close("d4e5f6", "done"), expected,
          ["  status: open", "  closed: null"], ["  status: done", "  closed: 2026-11-23"])


def test_done_fills_an_empty_closed_and_keeps_the_comment_on_status() -> None:
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: open
  closed: null
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: done   # nudge on Friday
  closed: 2026-11-23
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: open
  closed: ~
  history: null
# end of promises
"""
    check(BASE, close("g7h8i9", "done"), expected,
          ["  status: open   # nudge on Friday", "  closed:"],
          ["  status: done   # nudge on Friday", "  closed: 2026-11-23"])


def test_drop_replaces_tilde_and_turns_a_null_history_into_a_list() -> None:
    ops = [*close("j0k1l2", "dropped"),
           Append(at("j0k1l2"), "history", Flow(on=TODAY, event="dropped", why="no budget"))]
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: open
  closed: null
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: dropped
  closed: 2026-11-23
  history:
  - {on: 2026-11-23, event: dropped, why: no budget}
# end of promises
"""
    check(BASE, ops, expected,
          ["  status: open", "  closed: ~", "  history: null"],
          ["  status: dropped", "  closed: 2026-11-23", "  history:",
           "  - {on: 2026-11-23, event: dropped, why: no budget}"])


# --- move: due and history -----------------------------------------------------------


def test_move_keeps_the_comment_on_due_and_appends_to_an_indented_block_list() -> None:
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-28                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}
    - {on: 2026-11-23, from: 2026-11-25, to: 2026-11-28, why: 'client asked: after the holidays'}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: open
  closed: null
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: open
  closed: ~
  history: null
# end of promises
"""
    check(BASE, move("a1b2c3", "2026-11-25", "2026-11-28", "client asked: after the holidays"),
          expected,
          ["  due: 2026-11-25                # promised on the kickoff call"],
          ["  due: 2026-11-28                # promised on the kickoff call",
           "    - {on: 2026-11-23, from: 2026-11-25, to: 2026-11-28, "
           "why: 'client asked: after the holidays'}"])


def test_move_appends_into_an_empty_flow_list() -> None:
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-29
  status: open
  closed: null
  repeat: ~
  history: [{on: 2026-11-23, from: 2026-11-22, to: 2026-11-29, why: Ольга is on holiday}]

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: open
  closed: ~
  history: null
# end of promises
"""
    check(BASE, move("d4e5f6", "2026-11-22", "2026-11-29", "Ольга is on holiday"), expected,
          ["  due: 2026-11-22", "  history: []"],
          ["  due: 2026-11-29",
           "  history: [{on: 2026-11-23, from: 2026-11-22, to: 2026-11-29, "
           "why: Ольга is on holiday}]"])


def test_move_keeps_quotes_and_appends_to_a_list_indented_at_its_key() -> None:
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: open
  closed: null
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-12-02'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}
  - {on: 2026-11-23, from: 2026-11-30, to: 2026-12-02, why: numbers late}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: open
  closed: ~
  history: null
# end of promises
"""
    check(BASE, move("g7h8i9", "2026-11-30", "2026-12-02", "numbers late"), expected,
          ["  due: '2026-11-30'"],
          ["  due: '2026-12-02'",
           "  - {on: 2026-11-23, from: 2026-11-30, to: 2026-12-02, why: numbers late}"])


def test_move_turns_history_null_into_a_list() -> None:
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: open
  closed: null
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: '2026-11-26 14:30'
  status: open
  closed: ~
  history:
  - {on: 2026-11-23, from: 2026-11-24, to: '2026-11-26 14:30', why: 'yes, by call'}
# end of promises
"""
    check(BASE, move("j0k1l2", "2026-11-24", "2026-11-26 14:30", "yes, by call"), expected,
          ["  due: 2026-11-24", "  history: null"],
          ["  due: '2026-11-26 14:30'", "  history:",
           "  - {on: 2026-11-23, from: 2026-11-24, to: '2026-11-26 14:30', "
           "why: 'yes, by call'}"])


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "- id: a1b2c3\n  text: x\n  due: 2026-11-25\n  status: open\n",
            "- id: a1b2c3\n  text: x\n  due: 2026-11-25\n  status: open\n"
            "  history:\n    - {on: 2026-11-23, event: chased, why: no answer}\n",
            id="missing-key",
        ),
        pytest.param(
            "- id: a1b2c3\n  history:\n  status: open\n",
            "- id: a1b2c3\n  history:\n    - {on: 2026-11-23, event: chased, why: no answer}\n"
            "  status: open\n",
            id="empty-value",
        ),
        pytest.param(
            "- id: a1b2c3\n  history: []   # none yet\n  status: open\n",
            "- id: a1b2c3\n  history: [{on: 2026-11-23, event: chased, why: no answer}]"
            "   # none yet\n  status: open\n",
            id="flow-with-comment",
        ),
        pytest.param(
            "- id: a1b2c3\n  history:\n    - on: 2026-11-21\n      why: first\n  status: open\n",
            "- id: a1b2c3\n  history:\n    - on: 2026-11-21\n      why: first\n"
            "    - {on: 2026-11-23, event: chased, why: no answer}\n  status: open\n",
            id="block-mapping-items",
        ),
        pytest.param(
            "- id: d4e5f6\n  history:\n  - {on: 2026-11-21, why: a}\n- id: a1b2c3\n  text: y\n",
            "- id: d4e5f6\n  history:\n  - {on: 2026-11-21, why: a}\n- id: a1b2c3\n  text: y\n"
            "  history:\n  - {on: 2026-11-23, event: chased, why: no answer}\n",
            id="missing-key-follows-the-files-indent",
        ),
        pytest.param(
            "- id: a1b2c3\n  status: open\n  # waiting on Ольга\n- id: d4e5f6\n",
            "- id: a1b2c3\n  status: open\n  history:\n"
            "    - {on: 2026-11-23, event: chased, why: no answer}\n"
            "  # waiting on Ольга\n- id: d4e5f6\n",
            id="comment-line-stays-below",
        ),
    ],
)
def test_append_history_entry(before: str, after: str) -> None:
    entry = Flow(on=TODAY, event="chased", why="no answer")
    assert apply(before, [Append(at("a1b2c3"), "history", entry)], "\n", DISPLAY) == after


def test_a_new_key_after_a_block_scalar_goes_before_the_blank_line() -> None:
    """The blank line between two promises stays between them."""
    before = """\
- id: a1b2c3
  text: Quarterly plan
  due: 2026-11-25
  note: |
    Draft first,
    then the numbers.

- id: d4e5f6
  text: Access to Metrica
  due: 2026-11-22
"""
    expected = """\
- id: a1b2c3
  text: Quarterly plan
  due: 2026-11-28
  note: |
    Draft first,
    then the numbers.
  history:
    - {on: 2026-11-23, from: 2026-11-25, to: 2026-11-28, why: draft late}

- id: d4e5f6
  text: Access to Metrica
  due: 2026-11-22
"""
    check(before, move("a1b2c3", "2026-11-25", "2026-11-28", "draft late"), expected,
          ["  due: 2026-11-25"],
          ["  due: 2026-11-28", "  history:",
           "    - {on: 2026-11-23, from: 2026-11-25, to: 2026-11-28, why: draft late}"])


# --- adding promises -----------------------------------------------------------------


def test_add_promise_keeps_the_blank_line_habit_and_the_trailing_comment() -> None:
    expected = """\
# Promises to and from Аскона.
# Written by hand; Kept edits it too.

- id: a1b2c3                     # the media plan
  text: Send the December media plan
  by:    us
  to: 'Ольга Петрова'
  due: 2026-11-25                # promised on the kickoff call
  status:   open
  history:
    - {on: 2026-11-20, from: 2026-11-23, to: 2026-11-25, why: "waiting for analytics access"}

# what the client owes
- id: d4e5f6
  text: "Access to Yandex Metrica"
  by: client
  due: 2026-11-22
  status: open
  closed: null
  repeat: ~
  history: []

- id: g7h8i9
  text: Monthly report — ноябрь
  due: '2026-11-30'
  status: open   # nudge on Friday
  closed:
  note: |
    Numbers from Metrica,
    then the summary.
  history:
  - {on: 2026-11-21, event: chased, why: asked on Telegram}

- id: j0k1l2
  text: Answer about the budget
  due: 2026-11-24
  status: open
  closed: ~
  history: null

- id: m3n4o5
  text: Call Ольга about Q1
  by: us
  owner: anna
  to: Ольга Петрова
  made: 2026-11-23
  due: '2026-11-27 14:30'
# end of promises
"""
    check(BASE, add(NEW_PROMISE), expected, [],
          ["", "- id: m3n4o5", "  text: Call Ольга about Q1", "  by: us", "  owner: anna",
           "  to: Ольга Петрова", "  made: 2026-11-23", "  due: '2026-11-27 14:30'"])


SMALL_ITEM: dict[str, Any] = {"id": "m3n4o5", "text": "Call back", "made": TODAY,
                              "due": Due(date(2026, 11, 27))}
SMALL_LINES = "- id: m3n4o5\n  text: Call back\n  made: 2026-11-23\n  due: 2026-11-27\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("", SMALL_LINES, id="empty-file"),
        pytest.param("# promises of Аскона\n# none yet\n",
                     "# promises of Аскона\n# none yet\n" + SMALL_LINES, id="only-comments"),
        pytest.param("# promises of Аскона",
                     "# promises of Аскона\n" + SMALL_LINES, id="only-a-comment-no-newline"),
        pytest.param("- id: a1b2c3\n  text: x\n  due: 2026-11-25",
                     "- id: a1b2c3\n  text: x\n  due: 2026-11-25\n" + SMALL_LINES,
                     id="no-final-newline"),
        pytest.param("- id: a1b2c3\n  text: x\n- id: d4e5f6\n  text: y\n",
                     "- id: a1b2c3\n  text: x\n- id: d4e5f6\n  text: y\n" + SMALL_LINES,
                     id="no-blank-lines"),
        pytest.param("- id: a1b2c3\n  text: x\n\n- id: d4e5f6\n  text: y\n",
                     "- id: a1b2c3\n  text: x\n\n- id: d4e5f6\n  text: y\n\n" + SMALL_LINES,
                     id="blank-lines"),
        pytest.param("- id: a1b2c3\n  text: x   # last words\n",
                     "- id: a1b2c3\n  text: x   # last words\n" + SMALL_LINES,
                     id="end-of-line-comment-stays-on-its-line"),
        pytest.param("- id: a1b2c3\n  note: |\n    line one\n",
                     "- id: a1b2c3\n  note: |\n    line one\n" + SMALL_LINES,
                     id="after-a-block-scalar"),
        pytest.param("- id: a1b2c3\n  note: |+\n    kept with its blank line\n\n",
                     "- id: a1b2c3\n  note: |+\n    kept with its blank line\n\n" + SMALL_LINES,
                     id="after-a-keep-block-scalar"),
        pytest.param("[]\n", SMALL_LINES, id="empty-flow-list"),
    ],
)
def test_add_promise_to(before: str, after: str) -> None:
    assert apply(before, add(SMALL_ITEM), "\n", DISPLAY) == after


def test_add_promise_to_a_file_that_is_not_a_list_is_refused() -> None:
    with pytest.raises(EditConflict, match="not a list"):
        apply("name: Аскона\n", add(SMALL_ITEM), "\n", DISPLAY)


def test_add_promise_refuses_an_id_already_there() -> None:
    with pytest.raises(EditConflict, match="id a1b2c3 is already in the file"):
        apply(BASE, add({**SMALL_ITEM, "id": "a1b2c3"}), "\n", DISPLAY)


def test_done_with_the_next_repeat_in_one_edit() -> None:
    """``kept done`` on a repeating promise closes it and appends the next one."""
    before = "- id: a1b2c3\n  text: Weekly report\n  due: 2026-11-23\n  status: open\n" \
             "  repeat: 1w\n"
    following = {"id": "q1w2e3", "text": "Weekly report", "by": "us", "made": TODAY,
                 "due": Due(date(2026, 11, 30)), "repeat": "1w"}
    expected = """\
- id: a1b2c3
  text: Weekly report
  due: 2026-11-23
  status: done
  closed: 2026-11-23
  repeat: 1w
- id: q1w2e3
  text: Weekly report
  by: us
  made: 2026-11-23
  due: 2026-11-30
  repeat: 1w
"""
    assert apply(before, [*close("a1b2c3", "done"), *add(following)], "\n", DISPLAY) == expected


# --- refusals ------------------------------------------------------------------------


def test_an_expectation_that_no_longer_holds_is_a_conflict() -> None:
    text = "- id: a1b2c3\n  due: 2026-11-25\n  status: done\n  closed: 2026-11-22\n"
    with pytest.raises(EditConflict, match="'status' changed on disk"):
        apply(text, close("a1b2c3", "done"), "\n", DISPLAY)
    with pytest.raises(EditConflict, match="'due' changed on disk"):
        apply(text, move("a1b2c3", "2026-11-24", "2026-11-28", "x"), "\n", DISPLAY)


def test_an_expected_date_matches_however_it_is_quoted() -> None:
    text = "- id: a1b2c3\n  due: \"2026-11-25\"\n"
    assert apply(text, [SetKey(at("a1b2c3"), "due", Due(date(2026, 11, 28)),
                               expect=Due(date(2026, 11, 25)))], "\n", DISPLAY) \
        == "- id: a1b2c3\n  due: \"2026-11-28\"\n"


def test_an_id_present_twice_is_refused() -> None:
    text = "- id: a1b2c3\n  text: one\n  status: open\n- id: a1b2c3\n  text: two\n"
    with pytest.raises(EditConflict, match="2 times"):
        apply(text, close("a1b2c3", "done"), "\n", DISPLAY)


def test_a_promise_no_longer_in_the_file_is_refused() -> None:
    with pytest.raises(EditConflict, match="id zzzzzz is not in the file any more"):
        apply(BASE, close("zzzzzz", "done"), "\n", DISPLAY)


def test_a_file_with_a_yaml_error_is_refused_with_its_position() -> None:
    text = "- id: a1b2c3\n  text: Note: call back\n  status: open\n"
    with pytest.raises(EditConflict) as info:
        apply(text, close("a1b2c3", "done"), "\n", DISPLAY)
    assert f"{DISPLAY}:2:13:" in str(info.value)


def test_a_file_with_a_duplicate_key_is_refused_with_its_position() -> None:
    text = "- id: a1b2c3\n  status: open\n  status: open\n"
    with pytest.raises(EditConflict) as info:
        apply(text, close("a1b2c3", "done"), "\n", DISPLAY)
    assert f"{DISPLAY}:3:3:" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- id: a1b2c3\n  text: x\n<<<<<<< ours\n  due: 2026-11-25\n=======\n"
                     "  due: 2026-11-26\n>>>>>>> theirs\n", id="between-keys"),
        pytest.param("- id: a1b2c3\n  text: \"one\n<<<<<<< ours\n  two\"\n",
                     id="inside-a-quoted-text-that-still-parses"),
    ],
)
def test_a_file_with_conflict_markers_is_refused_naming_the_marker(text: str) -> None:
    with pytest.raises(EditConflict) as info:
        apply(text, add(SMALL_ITEM), "\n", DISPLAY)
    message = str(info.value)
    assert f"{DISPLAY}:3:1:" in message
    assert "conflict" in message


# --- files: line endings, BOM, nothing half-written ----------------------------------


def test_crlf_is_kept_and_new_lines_use_it(tmp_path: Path) -> None:
    before = (
        b"# \xd0\x90\xd1\x81\xd0\xba\xd0\xbe\xd0\xbd\xd0\xb0\r\n"  # "# Аскона"
        b"- id: a1b2c3\r\n"
        b"  text: Send the plan\r\n"
        b"  due: 2026-11-25   # kickoff\r\n"
        b"  status: open\r\n"
        b"  history:\r\n"
        b"    - {on: 2026-11-20, why: first}\r\n"
    )
    path = promises_file(tmp_path, before)
    ops = [*close("a1b2c3", "done"), *move("a1b2c3", "2026-11-25", "2026-11-28", "late")]
    written = edit_file(path, ops, sha(before), DISPLAY)
    assert written.reapplied is False
    assert path.read_bytes() == (
        b"# \xd0\x90\xd1\x81\xd0\xba\xd0\xbe\xd0\xbd\xd0\xb0\r\n"
        b"- id: a1b2c3\r\n"
        b"  text: Send the plan\r\n"
        b"  due: 2026-11-28   # kickoff\r\n"
        b"  status: done\r\n"
        b"  closed: 2026-11-23\r\n"
        b"  history:\r\n"
        b"    - {on: 2026-11-20, why: first}\r\n"
        b"    - {on: 2026-11-23, from: 2026-11-25, to: 2026-11-28, why: late}\r\n"
    )


def test_crlf_append_of_a_new_promise(tmp_path: Path) -> None:
    before = b"- id: a1b2c3\r\n  text: x\r\n\r\n- id: d4e5f6\r\n  text: y\r\n"
    path = promises_file(tmp_path, before)
    edit_file(path, add(SMALL_ITEM), sha(before), DISPLAY)
    assert path.read_bytes() == (
        b"- id: a1b2c3\r\n  text: x\r\n\r\n- id: d4e5f6\r\n  text: y\r\n"
        b"\r\n- id: m3n4o5\r\n  text: Call back\r\n  made: 2026-11-23\r\n"
        b"  due: 2026-11-27\r\n"
    )


def test_a_utf8_bom_survives(tmp_path: Path) -> None:
    before = "\ufeff# Аскона\n- id: a1b2c3\n  text: Отчёт\n  status: open\n".encode()
    path = promises_file(tmp_path, before)
    edit_file(path, [*close("a1b2c3", "done"), *add(SMALL_ITEM)], sha(before), DISPLAY)
    assert path.read_bytes() == (
        "\ufeff# Аскона\n- id: a1b2c3\n  text: Отчёт\n  status: done\n"
        "  closed: 2026-11-23\n" + SMALL_LINES
    ).encode()
    assert path.read_bytes().startswith(b"\xef\xbb\xbf# ")


def test_a_missing_file_is_created_by_the_first_promise(tmp_path: Path) -> None:
    folder = tmp_path / "clients" / "new-client"
    folder.mkdir(parents=True)
    path = folder / "promises.yaml"
    written = edit_file(path, add(SMALL_ITEM), None, DISPLAY)
    assert written.reapplied is False
    assert path.read_bytes() == SMALL_LINES.encode()
    assert leftovers(folder) == []


def refused_ops() -> list[tuple[str, list[Op]]]:
    return [
        ("status already done", [SetKey(at("a1b2c3"), "status", "done", expect="done")]),
        ("second op fails", [SetKey(at("a1b2c3"), "text", "changed"),
                             SetKey(at("a1b2c3"), "due", Due(date(2026, 12, 1)),
                                    expect=Due(date(2026, 1, 1)))]),
        ("unknown id", close("zzzzzz", "done")),
        ("duplicate new id", add({**SMALL_ITEM, "id": "a1b2c3"})),
    ]


@pytest.mark.parametrize(("name", "ops"), refused_ops(), ids=[n for n, _ in refused_ops()])
def test_a_refused_edit_never_touches_the_file(tmp_path: Path, name: str,
                                               ops: list[Op]) -> None:
    content = b"- id: a1b2c3\n  text: x\n  due: 2026-11-25\n  status: open\n"
    path = promises_file(tmp_path, content)
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = snapshot(path)
    with pytest.raises(EditConflict):
        edit_file(path, ops, sha(content), DISPLAY)
    assert snapshot(path) == before
    assert leftovers(path.parent) == []


@pytest.mark.parametrize(
    ("content", "where"),
    [
        pytest.param(b"- id: a1b2c3\n  text: 'it's done'\n  status: open\n", ":2:13:",
                     id="yaml-error"),
        pytest.param(b"- id: a1b2c3\n  text: x\n  text: y\n  status: open\n", ":3:3:",
                     id="duplicate-key"),
        pytest.param(b"- id: a1b2c3\n<<<<<<< ours\n  status: open\n=======\n"
                     b"  status: done\n>>>>>>> theirs\n", ":2:1:", id="conflict-markers"),
    ],
)
def test_a_broken_file_is_refused_and_left_alone(tmp_path: Path, content: bytes,
                                                 where: str) -> None:
    path = promises_file(tmp_path, content)
    before = snapshot(path)
    with pytest.raises(EditConflict) as info:
        edit_file(path, close("a1b2c3", "done"), sha(content), DISPLAY)
    assert f"{DISPLAY}{where}" in str(info.value)
    assert snapshot(path) == before


def test_a_file_that_is_not_utf8_is_refused_with_its_position(tmp_path: Path) -> None:
    content = b"- id: a1b2c3\n  text: caf\xe9\n  status: open\n"
    path = promises_file(tmp_path, content)
    with pytest.raises(EditConflict) as info:
        edit_file(path, close("a1b2c3", "done"), sha(content), DISPLAY)
    assert ":2:12:" in str(info.value)
    assert "UTF-8" in str(info.value)
    assert path.read_bytes() == content


# --- re-application on top of external changes ---------------------------------------

READ = """\
- id: a1b2c3   # ours
  text: Send the plan
  due: 2026-11-25
  status: open

- id: d4e5f6
  text: Access to Metrica
  due: 2026-11-22
  status: open
"""


def test_edit_goes_on_top_of_changes_to_other_fields_and_promises(tmp_path: Path) -> None:
    path = promises_file(tmp_path, READ.encode())
    base = sha(READ.encode())
    # Someone edits the file in another editor after Kept read it.
    on_disk = """\
# reviewed with Ольга
- id: a1b2c3   # ours
  text: Send the December plan
  owner: ivan
  due: 2026-11-25
  status: open

- id: d4e5f6
  text: Access to Metrica
  due: 2026-11-29
  status: open
"""
    path.write_text(on_disk, encoding="utf-8")
    written = edit_file(path, close("a1b2c3", "done"), base, DISPLAY)
    assert written.reapplied is True
    assert path.read_text(encoding="utf-8") == """\
# reviewed with Ольга
- id: a1b2c3   # ours
  text: Send the December plan
  owner: ivan
  due: 2026-11-25
  status: done
  closed: 2026-11-23

- id: d4e5f6
  text: Access to Metrica
  due: 2026-11-29
  status: open
"""


def test_edit_on_an_unchanged_file_is_not_a_reapplication(tmp_path: Path) -> None:
    path = promises_file(tmp_path, READ.encode())
    assert edit_file(path, close("d4e5f6", "done"), sha(READ.encode()), DISPLAY).reapplied \
        is False
    assert changed(READ, path.read_text(encoding="utf-8")) == (
        ["  status: open"], ["  status: done", "  closed: 2026-11-23"])


def test_a_change_to_the_same_field_is_a_conflict(tmp_path: Path) -> None:
    path = promises_file(tmp_path, READ.encode())
    base = sha(READ.encode())
    path.write_text(READ.replace("due: 2026-11-25", "due: 2026-11-26"), encoding="utf-8")
    before = snapshot(path)
    with pytest.raises(EditConflict, match="'due' changed on disk"):
        edit_file(path, move("a1b2c3", "2026-11-25", "2026-11-28", "late"), base, DISPLAY)
    assert snapshot(path) == before


def test_a_promise_deleted_on_disk_is_a_conflict(tmp_path: Path) -> None:
    path = promises_file(tmp_path, READ.encode())
    base = sha(READ.encode())
    path.write_text(READ.split("\n\n")[1], encoding="utf-8")
    with pytest.raises(EditConflict, match="not in the file any more"):
        edit_file(path, close("a1b2c3", "done"), base, DISPLAY)


# --- atomic writes -------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_the_file_mode_is_kept_and_no_temp_file_is_left(tmp_path: Path, mode: int) -> None:
    path = promises_file(tmp_path, READ.encode())
    path.chmod(mode)
    edit_file(path, close("a1b2c3", "done"), None, DISPLAY)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert leftovers(path.parent) == []


def test_a_failed_rename_leaves_the_original_and_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = promises_file(tmp_path, READ.encode())
    before = snapshot(path)

    def refuse(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match="No space left on device"):
        edit_file(path, close("a1b2c3", "done"), None, DISPLAY)
    monkeypatch.undo()
    assert snapshot(path) == before
    assert list(path.parent.glob("*.kept-tmp")) == []
    assert leftovers(path.parent) == []


# --- through the use case ------------------------------------------------------------


def test_kept_done_on_a_promise_written_with_only_id_text_and_due(
        write_ws: Callable[..., Path]) -> None:
    """PRODUCT.md: only id, text and due are needed by hand; status defaults to open."""
    promises = "# Аскона\n- id: a1b2c3\n  text: Send the plan\n  due: 2026-11-25\n"
    root = write_ws({
        "clients/askona/client.yaml": "name: Аскона\nowner: anna\n",
        "clients/askona/promises.yaml": promises,
    })
    session = Session.at(root, {"KEPT_TODAY": TODAY.isoformat()})
    actions.done(session, "a1b2c3")
    assert (root / DISPLAY).read_text(encoding="utf-8") == (
        "# Аскона\n- id: a1b2c3\n  text: Send the plan\n  due: 2026-11-25\n"
        "  status: done\n  closed: 2026-11-23\n"
    )


# --- property: appended promises read back exactly -----------------------------------

IDS = st.from_regex(r"[a-z][a-z0-9]{5}", fullmatch=True)
TEXTS = st.text(st.characters(exclude_categories=["Cs"]))
DUES = st.builds(
    Due,
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.none() | st.times().map(lambda t: t.replace(microsecond=0)),
)
RECORDS = st.lists(
    st.tuples(IDS, TEXTS, st.none() | TEXTS, DUES),
    min_size=1, max_size=4, unique_by=lambda r: r[0],
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_appended_promises_read_back_exactly(
        records: list[tuple[str, str, str | None, Due]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "promises.yaml"
        path.write_bytes("# Аскона: promises\n".encode())
        for promise_id, text, to, due in records:
            item: dict[str, Any] = {"id": promise_id, "text": text, "by": "us"}
            if to is not None:
                item["to"] = to
            item["made"] = TODAY
            item["due"] = due
            before = path.read_text(encoding="utf-8")
            edit_file(path, add(item), None, DISPLAY)
            after = path.read_text(encoding="utf-8")
            removed, _ = changed(before, after)
            assert removed == []
            assert after.startswith(before)
        read = read_back(path.read_text(encoding="utf-8"))
        assert [(p.id, p.text, p.to, p.due) for p in read] == [
            (promise_id, text, to or "", due) for promise_id, text, to, due in records
        ]
